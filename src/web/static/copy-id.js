// The copy button next to a declaration ID (templates/_declaration_id.mustache). Without JavaScript
// the button stays hidden and the ID is copied by selecting it, which gives the digits too: the
// grouping is CSS spacing only. Loaded as a file because the CSP allows no inline script.
'use strict';

(function () {
  function copied(button) {
    var status = button.nextElementSibling;
    if (status) {
      // Cleared first, so that a second press is announced again.
      status.textContent = '';
      window.setTimeout(function () { status.textContent = button.dataset.copied; }, 50);
    }
    button.classList.add('is-copied');
  }

  // Where the Clipboard API is missing (an old browser, or a page not served over HTTPS), the
  // digits are selected and copied the old way.
  function copyBySelection(button) {
    var digits = button.previousElementSibling;
    var range = document.createRange();
    range.selectNodeContents(digits);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    if (ok) copied(button);
  }

  function press(event) {
    var button = event.currentTarget;
    var text = button.dataset.copy;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); },
                                               function () { copyBySelection(button); });
    } else {
      copyBySelection(button);
    }
  }

  document.querySelectorAll('button.copy-id[data-copy]').forEach(function (button) {
    button.addEventListener('click', press);
    button.hidden = false;
  });
})();
