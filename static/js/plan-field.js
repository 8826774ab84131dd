// The injection form's treatment plan: shown only for an agent the clinic has a plan for.
// Without JavaScript the field is always there, and the server checks it against the agent.
(function () {
  "use strict";
  var plan = document.getElementById("id_plan");
  var agent = document.getElementById("id_agent");
  if (!plan || !agent) {
    return;
  }
  var wrapper = document.getElementById("div_id_plan") || plan.parentNode;
  var agents = (plan.getAttribute("data-plan-agents") || "").split(" ");

  function update() {
    var relevant = agents.indexOf(agent.value) !== -1;
    wrapper.hidden = !relevant;
    if (!relevant) {
      plan.value = "";
    }
  }

  agent.addEventListener("change", update);
  update();
})();
