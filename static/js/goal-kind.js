// The goal form: only the fields of the chosen kind. An ability goal has no diary measure, and
// the baseline's and target's hints say what they mean for the chosen kind. Without JavaScript
// every field shows, each hint says which kind it is for, and the server checks as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-goal-form]");
  if (!form) {
    return;
  }
  var kinds = form.querySelectorAll('input[name="kind"]');
  var measure = document.getElementById("div_id_measure");
  var hinted = form.querySelectorAll("[data-hint-ability]");

  function chosen() {
    for (var i = 0; i < kinds.length; i++) {
      if (kinds[i].checked) {
        return kinds[i].value;
      }
    }
    return "";
  }

  function update() {
    var kind = chosen();
    if (measure) {
      measure.hidden = kind === "ability";
    }
    for (var i = 0; i < hinted.length; i++) {
      var help = document.getElementById(hinted[i].id + "_helptext");
      if (!help) {
        continue;
      }
      if (!help.hasAttribute("data-hint-both")) {
        help.setAttribute("data-hint-both", help.textContent);
      }
      help.textContent = hinted[i].getAttribute("data-hint-" + kind) || help.getAttribute("data-hint-both");
    }
  }

  for (var i = 0; i < kinds.length; i++) {
    kinds[i].addEventListener("change", update);
  }
  update();
})();
