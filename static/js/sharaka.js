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
  // Stacked tables (table.table-stack, cards on phones): each cell is labelled with its
  // column's header, shown above it when the header row is hidden.
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      if (row.cells.length !== headers.length) return;  // a row spanning columns ("None.")
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headers[i]);
      });
    });
  });
  // A table too wide for the screen scrolls within its wrapper (.table-responsive): the
  // wrapper takes the keyboard focus then, so that arrow keys scroll it.
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
      } else if (wrapper.getAttribute("tabindex") === "0") {
        wrapper.removeAttribute("tabindex");
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();
