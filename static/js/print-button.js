// A "Print" button for a print-styled page. Without JavaScript it stays hidden and the
// browser's own Print command does the same.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
