// Light or dark pages, following the phone's or computer's own setting (prefers-color-scheme),
// through Bootstrap 5.3's data-bs-theme. Loaded in <head> so the page is never drawn in the
// wrong colours first. Without JavaScript the pages stay light.
(function () {
  "use strict";
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark && dark.matches ? "dark" : "light");
  }

  apply();
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", apply);
  }
})();
