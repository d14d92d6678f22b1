// Quiz keyboard shortcuts and the interview countdown (focus after swaps is in site.js).
// Loaded as a file (no inline script), so it works under the site's strict CSP.
(function () {
  "use strict";

  function isTyping(target) {
    return target && (target.tagName === "TEXTAREA" ||
      (target.tagName === "INPUT" && (target.type === "text" || target.type === "search" || !target.type)));
  }

  // Once the feedback shows, N (or Enter on the feedback) goes to the next question.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    var next = document.querySelector("#question-card [data-next]");
    if (!next) return;
    var onFeedback = event.target && event.target.classList && event.target.classList.contains("feedback");
    if (event.key === "n" || event.key === "N" || (event.key === "Enter" && onFeedback)) {
      event.preventDefault();
      next.click();
    }
  });

  // Number keys pick a choice; Enter then submits the form natively.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (!/^[1-9]$/.test(event.key)) return;
    var input = document.querySelector('.answer-form input[data-key="' + event.key + '"]');
    if (!input) return;
    event.preventDefault();
    if (input.type === "checkbox") input.checked = !input.checked; else input.checked = true;
    input.focus();
  });

  // Interview mode: show the time left; the server enforces the deadline.
  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var end = Date.now() + 1000 * parseInt(timer.getAttribute("data-seconds-left"), 10);
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left > 0) window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
