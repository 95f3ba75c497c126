// The page a mailed one-time link opens (templates/link_open.mustache, ADR 59). The mail's link
// carries its token in the fragment ("/confirm#<token>"), which the browser never sends: this
// script puts it in the form's field, takes it out of the address (so that history and bookmarks
// keep no token), and sends the form, whose body carries it. Without JavaScript the person pastes
// the code printed in the mail. Loaded as a file because the CSP allows no inline script.
'use strict';

(function () {
  function start() {
    var form = document.querySelector('form[data-link-token]');
    if (!form) return;
    var code = window.location.hash.replace(/^#/, '');
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(code)) return;
    form.elements.token.value = code;
    if (window.history && window.history.replaceState)
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    form.submit();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
