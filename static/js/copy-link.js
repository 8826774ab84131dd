// Copy button for a link shown in a read-only text box (the invitation at the desk).
// Without JavaScript the button stays hidden and the link is selectable text.
(function () {
  "use strict";

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http on another host than localhost: the old way, from a selection.
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("button[data-copy-link]").forEach(function (button) {
    var id = button.getAttribute("data-copy-link");
    var input = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!input) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          if (status) status.textContent = button.getAttribute("data-copied-text");
        },
        function () {
          input.select();
          if (status) status.textContent = button.getAttribute("data-failed-text");
        }
      );
    });
  });
})();
