// "Show password": one button turns the password fields it names into plain text and back.
// Without JavaScript the button stays hidden and the fields work as ordinary password fields.
(function () {
  "use strict";
  document.querySelectorAll("button[data-password-toggle]").forEach(function (button) {
    var inputs = button
      .getAttribute("data-password-toggle")
      .split(" ")
      .map(function (id) { return document.getElementById(id); })
      .filter(function (input) { return input; });
    if (!inputs.length) {
      return;
    }
    var status = button.parentNode.querySelector("[data-password-status]");

    function show(visible) {
      inputs.forEach(function (input) {
        input.type = visible ? "text" : "password";
      });
      button.textContent = button.getAttribute(visible ? "data-hide-text" : "data-show-text");
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      var visible = inputs[0].type === "password";
      show(visible);
      if (status) {
        status.textContent = button.getAttribute(visible ? "data-shown-status" : "data-hidden-status");
      }
    });
    // Sent as a password field, so that the browser offers to save it as one.
    if (button.form) {
      button.form.addEventListener("submit", function () { show(false); });
    }
  });
})();
