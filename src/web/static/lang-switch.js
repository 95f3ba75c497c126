// The header's language switch on pages with one form per item (the console's review queue and
// disputes): the server makes the switch a button of one item's form, so a reason typed into
// another item's form would be lost. Here the button follows the form being filled in, marked
// data-lang-switch, so switching sends what was typed there. Without JavaScript the switch stays
// with the form the server chose. Loaded as a file because the CSP allows no inline script.
'use strict';

(function () {
  var button = document.querySelector('header button.lang-switch[form]');
  if (!button) return;

  function follow(event) {
    var form = event.target.closest ? event.target.closest('form[data-lang-switch]') : null;
    if (!form || !form.id || button.getAttribute('form') === form.id) return;
    button.setAttribute('form', form.id);
    button.setAttribute('formaction', form.getAttribute('action'));
  }

  document.addEventListener('focusin', follow);
  document.addEventListener('input', follow);
})();
