// The interview drill's keyboard and clock. Loaded as a file (no inline script) on drill pages
// only, so it works under the site's strict CSP; without it the forms work as they are.
// Ctrl+Enter (or Cmd+Enter) reveals the model answer; once revealed, keys 1-4 rate; the mock
// interview's clock ticks (the server measures the time taken either way).
(function () {
  "use strict";

  function isTyping(target) {
    return target && (target.tagName === "TEXTAREA" || target.isContentEditable ||
      (target.tagName === "INPUT" && /^(text|search|email|password|number|)$/.test(target.type)));
  }

  var askForm = document.querySelector('form[data-drill="ask"]');
  var rateForm = document.querySelector('form[data-drill="rate"]');
  var sent = false;

  function submit(form, button) {
    if (sent) return; // one reveal, one rating: a second key press sends nothing
    sent = true;
    if (form.requestSubmit) form.requestSubmit(button || undefined); else form.submit();
  }
  [askForm, rateForm].forEach(function (form) {
    if (form) form.addEventListener("submit", function () { sent = true; });
  });

  document.addEventListener("keydown", function (event) {
    if (askForm && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit(askForm);
      return;
    }
    if (!rateForm || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (!/^[1-4]$/.test(event.key)) return;
    var button = rateForm.querySelector('button[data-rating="' + event.key + '"]');
    if (!button) return;
    event.preventDefault();
    submit(rateForm, button);
  });

  // After the reveal, focus lands on the model answer (autofocus does it too; this is for
  // browsers that only honour autofocus on form controls).
  var model = document.getElementById("model-answer");
  if (model && document.activeElement !== model) model.focus();

  var clock = document.querySelector("[data-clock-elapsed]");
  if (clock) {
    var start = Date.now() - 1000 * parseInt(clock.getAttribute("data-clock-elapsed"), 10);
    var tick = function () {
      var total = Math.max(0, Math.floor((Date.now() - start) / 1000));
      var hours = Math.floor(total / 3600), minutes = Math.floor((total % 3600) / 60), seconds = total % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      clock.textContent = (hours ? hours + ":" + pad(minutes) : minutes) + ":" + pad(seconds);
      window.setTimeout(tick, 1000 - ((Date.now() - start) % 1000));
    };
    tick();
  }
})();
