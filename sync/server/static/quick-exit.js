// Quick exit (issue 14), after the GOV.UK Design System's "Exit this page": the link works
// without JavaScript; with it, the page is blanked at once and replaced in the history by the
// neutral page (location.replace), so "back" does not return here, and pressing Esc three
// times within five seconds does the same.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.className += " leaving";
    document.title = "\u2026";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      presses = 0;
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) {
      leave(event);
    }
  });
  // A page brought back from the browser's memory (back/forward cache) stays blank.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body.className.indexOf("leaving") >= 0) {
      window.location.replace(link.href);
    }
  });
})();
