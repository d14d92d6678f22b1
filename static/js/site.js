// Site-wide behaviour: report the browser's time zone with forms that create progress, and keep
// keyboard focus on the "Mark as done" control after htmx swaps it.
(function () {
  "use strict";

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }

  function fillTimeZone(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll('input[name="tz"]').forEach(function (input) { input.value = zone; });
  }

  document.addEventListener("DOMContentLoaded", function () { fillTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { fillTimeZone(event.detail.elt); });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "lesson-done") return;
    var button = document.querySelector("#lesson-done button");
    if (button) button.focus();
  });
})();
