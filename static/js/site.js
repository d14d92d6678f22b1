// Site-wide behaviour: report the browser's time zone with every form that posts (the server keeps
// it with the learner's progress), and keep keyboard focus on "Mark as done" after htmx swaps it.
(function () {
  "use strict";

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }

  function fillTimeZone(root) {
    if (!zone || !root || !root.querySelectorAll) return;
    var forms = Array.prototype.slice.call(root.querySelectorAll('form[method="post"]'));
    if (root.matches && root.matches('form[method="post"]')) forms.push(root);
    forms.forEach(function (form) {
      var input = form.querySelector('input[name="tz"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "tz";
        form.appendChild(input);
      }
      input.value = zone;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { fillTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { fillTimeZone(event.detail.elt); });

  // After htmx swaps in a question's feedback (or an error), move focus there so it is read
  // out: a quiz's card or a lesson's check-yourself card.
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    var card = id ? document.getElementById(id) : null;
    if (!card || !card.classList.contains("question-card")) return;
    var target = card.querySelector(".feedback, .answer-error");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "lesson-done") return;
    var button = document.querySelector("#lesson-done button");
    if (button) button.focus();
  });
})();
