/* Sharaka's own behaviour, from a file: the Content-Security-Policy refuses inline code
   and event handlers (onclick=, onfocus=...), so pages mark elements with data-
   attributes and this script gives them their behaviour. */
(function () {
  "use strict";
  // A field to copy from (a new API token): focusing it selects its whole text.
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
      field.select();
    }
  });
})();
