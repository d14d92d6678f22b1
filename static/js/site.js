// Site-wide behaviour: report the browser's time zone with every form that posts (the server keeps
// it with the learner's progress), get a CSRF token before the first POST from a page that came
// from a shared cache, and keep keyboard focus on "Mark as done" after htmx swaps it.
(function () {
  "use strict";

  // A page every visitor may get (a lesson, a code: learn/caching.py) carries no CSRF token,
  // since it would be everybody's. Before the first POST from it, ask /csrf for this browser's
  // own and put it where the page has an empty one: the form field and htmx's header.
  var tokenRequest = null;

  function pageToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function useToken(token) {
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    Array.prototype.forEach.call(
      document.querySelectorAll('input[name="csrfmiddlewaretoken"]'),
      function (input) { if (!input.value) input.value = token; }
    );
  }

  function obtainToken() {
    if (!tokenRequest) {
      tokenRequest = fetch("/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("/csrf answered " + response.status);
          return response.json();
        })
        .then(function (data) { useToken(data.token); })
        .catch(function () { tokenRequest = null; });  // the server's 403 page then explains
    }
    return tokenRequest;
  }

  document.addEventListener("htmx:confirm", function (event) {
    if (pageToken() || event.detail.verb === "get" || event.detail.elt.dataset.tokenAsked) return;
    event.preventDefault();
    event.detail.elt.dataset.tokenAsked = "true";
    obtainToken().then(function () { event.detail.issueRequest(true); });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var input = form.querySelector && form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!input || input.value || form.hasAttribute("hx-post") || event.defaultPrevented) return;
    if (form.dataset.tokenAsked) return;  // none to be had: the server's 403 offers a resend
    event.preventDefault();
    form.dataset.tokenAsked = "true";
    var submitter = event.submitter;
    obtainToken().then(function () {
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    });
  }, true);

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
