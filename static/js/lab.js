// The lab page: a request console that runs fetch() against /lab/api/, the fetch() truth table,
// and the backoff demo. Everything stays on this site: paths outside /lab/api/ are refused.
(function () {
  "use strict";

  var API = "/lab/api/";
  var SVG = "http://www.w3.org/2000/svg";
  document.documentElement.classList.add("lab-js");

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function seconds(ms) { return (ms / 1000).toFixed(2) + " s"; }

  // Where a request may go: a path under /lab/api/ on this origin, nothing else.
  function checkPath(path) {
    path = (path || "").trim();
    if (!path) return { error: "Type a path under " + API + "." };
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.indexOf("//") === 0 || path.indexOf("\\") !== -1) {
      return { error: "The console only sends requests to this site's lab: other hosts are off limits." };
    }
    var url;
    try { url = new URL(path, window.location.origin); } catch (e) { return { error: "That is not a path." }; }
    if (url.origin !== window.location.origin || url.pathname.indexOf(API) !== 0) {
      return { error: "The console only sends requests to paths under " + API + " on this site." };
    }
    return { url: url.pathname + url.search };
  }

  // "Name: value" lines into a list of pairs; a malformed line is an error, not a guess.
  function parseHeaders(text) {
    var pairs = [];
    var lines = (text || "").split(/\r?\n/);
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      var match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
      if (!match) return { error: "Header line " + (i + 1) + " is not in the form Name: value." };
      pairs.push([match[1], match[2]]);
    }
    return { pairs: pairs };
  }

  // One real fetch(), described: what resolved (status, ok, headers, body) or how it rejected.
  async function send(spec) {
    var result = { spec: spec, rejected: false };
    var init = { method: spec.method, headers: spec.headers || [], redirect: spec.redirect || "follow", cache: "no-store" };
    if (spec.body) init.body = spec.body;
    var timer = null;
    if (spec.abortMs) {
      var controller = new AbortController();
      init.signal = controller.signal;
      timer = setTimeout(function () { controller.abort(); }, spec.abortMs);
    }
    var started = performance.now();
    try {
      var response = await fetch(spec.url, init);
      result.status = response.status;
      result.statusText = response.statusText;
      result.ok = response.ok;
      result.redirected = response.redirected;
      result.type = response.type;
      result.finalUrl = response.url;
      result.headers = [];
      response.headers.forEach(function (value, name) { result.headers.push([name, value]); });
      result.body = spec.method === "HEAD" ? "" : await response.text();
    } catch (error) {
      result.rejected = true;
      result.error = (error && error.name ? error.name : "Error") + ": " + (error && error.message ? error.message : error);
    } finally {
      if (timer) clearTimeout(timer);
    }
    result.ms = performance.now() - started;
    return result;
  }

  function header(result, name) {
    var found = (result.headers || []).filter(function (pair) { return pair[0].toLowerCase() === name; });
    return found.length ? found[0][1] : null;
  }

  function prettyBody(text) {
    if (!text) return "";
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  // The console ------------------------------------------------------------------------------

  var form = document.getElementById("console-form");
  var panel = document.getElementById("lab-response");

  function formSpec() {
    var path = checkPath(form.elements.path.value);
    if (path.error) return { error: path.error };
    var headers = parseHeaders(form.elements.headers.value);
    if (headers.error) return { error: headers.error };
    var body = form.elements.body.value;
    var size = Number(form.dataset.bodySize || 0);
    if (!body && size) body = "x".repeat(size);
    return {
      method: form.elements.method.value,
      url: path.url,
      headers: headers.pairs,
      body: body,
      redirect: form.elements.redirect.value
    };
  }

  function quote(text) { return "'" + text.replace(/'/g, "'\"'\"'") + "'"; }

  // The same request from a terminal (mirrors learn/lab_presets.py's curl_command).
  function curlCommand() {
    var method = form.elements.method.value;
    var body = form.elements.body.value;
    var size = Number(form.dataset.bodySize || 0);
    var hasBody = Boolean(body || size);
    var parts = ["curl", "-i"];
    var prefix = "";
    if (form.elements.redirect.value === "follow") parts.push("-L");
    if (method === "HEAD") parts.push("--head");
    else if ((method !== "GET" && method !== "POST") || (method === "POST") !== hasBody) parts.push("-X", method);
    form.elements.headers.value.split(/\r?\n/).forEach(function (line) {
      if (line.trim()) parts.push("-H", quote(line.trim()));
    });
    if (body) parts.push("--data-binary", quote(body));
    else if (size) { prefix = "head -c " + size + " /dev/zero | tr '\\0' x | "; parts.push("--data-binary", "@-"); }
    parts.push(quote(window.location.origin + form.elements.path.value.trim()));
    return prefix + parts.join(" ");
  }

  function showProblem(message) {
    panel.replaceChildren(make("h3", { id: "response-title" }, "Response"));
    var note = make("p", { class: "notice notice-error", role: "alert" }, message);
    panel.appendChild(note);
  }

  function describe(result) {
    var box = make("div", { class: "lab-result" });
    if (result.rejected) {
      box.appendChild(make("p", { class: "lab-status lab-rejected" }, "fetch() rejected"));
      box.appendChild(make("p", { class: "lab-error" }, result.error));
      box.appendChild(make("p", { class: "hint" }, "No HTTP response reached your code: fetch() rejects only when there is none (a network failure, a refused redirect, an abort, or a request it will not build). Every real status, 404 and 500 included, resolves."));
      box.appendChild(make("p", { class: "meta" }, "Time: " + Math.round(result.ms) + " ms"));
      return box;
    }
    var klass = result.status ? String(result.status).charAt(0) : "0";
    var line = make("p", { class: "lab-status lab-status-" + klass });
    line.appendChild(make("span", { class: "lab-code", "data-status": String(result.status) }, String(result.status)));
    line.appendChild(document.createTextNode(" " + (result.statusText || (result.type === "opaqueredirect" ? "(opaque redirect)" : ""))));
    box.appendChild(line);
    var facts = make("dl", { class: "lab-facts" });
    [
      ["ok", String(result.ok)],
      ["redirected", String(result.redirected)],
      ["type", result.type],
      ["final URL", result.finalUrl || "(none)"],
      ["time", Math.round(result.ms) + " ms"]
    ].forEach(function (pair) {
      var wrap = make("div", { "data-fact": pair[0] });
      wrap.appendChild(make("dt", {}, pair[0]));
      wrap.appendChild(make("dd", {}, pair[1]));
      facts.appendChild(wrap);
    });
    box.appendChild(facts);
    var location = header(result, "location");
    if (location && !checkPath(location).error) {
      var follow = make("button", { class: "button button-small", type: "button", "data-location": location }, "Follow Location (GET " + location.slice(0, 60) + (location.length > 60 ? "…" : "") + ")");
      box.appendChild(follow);
    }
    box.appendChild(make("h4", {}, "Body"));
    if (result.body) box.appendChild(make("pre", { class: "lab-body", tabindex: "0" }, prettyBody(result.body)));
    else box.appendChild(make("p", { class: "hint lab-body-empty" }, "(empty body)"));
    box.appendChild(make("h4", {}, "Headers"));
    if (result.headers.length) {
      var table = make("table", { class: "lab-headers" });
      var body = make("tbody");
      result.headers.forEach(function (pair) {
        var row = make("tr");
        row.appendChild(make("th", { scope: "row" }, pair[0]));
        row.appendChild(make("td", {}, pair[1]));
        body.appendChild(row);
      });
      table.appendChild(body);
      box.appendChild(table);
    } else {
      box.appendChild(make("p", { class: "hint" }, "None that a script may read."));
    }
    return box;
  }

  async function runConsole() {
    var spec = formSpec();
    if (spec.error) { showProblem(spec.error); return; }
    var times = Number(form.dataset.repeat || 1);
    var button = document.getElementById("lab-send");
    button.disabled = true;
    panel.setAttribute("aria-busy", "true");
    var results = [];
    for (var i = 0; i < times; i++) results.push(await send(spec));
    panel.replaceChildren(make("h3", { id: "response-title" }, "Response"));
    if (times > 1) {
      var list = make("ol", { class: "lab-series" });
      results.forEach(function (result, index) {
        var label = result.rejected ? "rejected" : String(result.status);
        var retry = result.rejected ? null : header(result, "retry-after");
        list.appendChild(make("li", { "data-status": label }, "#" + (index + 1) + ": " + label + (retry ? " (Retry-After: " + retry + ")" : "")));
      });
      panel.appendChild(make("p", { class: "hint" }, "Sent " + times + " times in a row. The last response:"));
      panel.appendChild(list);
    }
    panel.appendChild(describe(results[results.length - 1]));
    panel.removeAttribute("aria-busy");
    button.disabled = false;
    // On a phone the panel sits below the form: bring the answer into view.
    var top = panel.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) panel.scrollIntoView({ block: "start" });
  }

  if (form && panel) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runConsole();
    });
    form.addEventListener("input", function (event) {
      if (event.target === form.elements.body) form.dataset.bodySize = "0";
      document.getElementById("lab-curl").textContent = curlCommand();
    });
    panel.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-location]");
      if (!target) return;
      form.elements.method.value = "GET";
      form.elements.path.value = target.dataset.location;
      form.elements.body.value = "";
      form.elements.headers.value = "";
      form.dataset.bodySize = "0";
      form.dataset.repeat = "1";
      document.getElementById("lab-send").textContent = "Send";
      document.getElementById("lab-curl").textContent = curlCommand();
      runConsole();
    });
  }

  // The fetch() truth table --------------------------------------------------------------------

  var truthButton = document.getElementById("truth-run");
  if (truthButton) {
    truthButton.hidden = false;
    truthButton.addEventListener("click", async function () {
      truthButton.disabled = true;
      var rows = document.querySelectorAll("#truth tbody tr");
      var resolved = 0, notOk = 0, rejected = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        row.classList.add("running");
        var result = await send({
          method: row.dataset.method,
          url: row.dataset.path,
          headers: parseHeaders(row.dataset.headers).pairs,
          body: row.dataset.body,
          redirect: row.dataset.redirect,
          abortMs: Number(row.dataset.abort || 0)
        });
        row.classList.remove("running");
        row.dataset.done = "true";
        if (result.rejected) {
          rejected++;
          row.querySelector(".t-status").textContent = "none";
          row.querySelector(".t-ok").textContent = "n/a";
          row.querySelector(".t-redirected").textContent = "n/a";
          row.querySelector(".t-outcome").textContent = "rejects (" + result.error.split(":")[0] + ")";
          row.dataset.outcome = "rejected";
        } else {
          resolved++;
          if (!result.ok) notOk++;
          row.querySelector(".t-status").textContent = result.status;
          row.querySelector(".t-ok").textContent = String(result.ok);
          row.querySelector(".t-redirected").textContent = String(result.redirected);
          row.querySelector(".t-outcome").textContent = "resolves";
          row.dataset.outcome = "resolved";
          row.dataset.ok = String(result.ok);
          row.dataset.status = String(result.status);
        }
      }
      document.getElementById("truth-summary").textContent = rows.length + " requests: " + resolved + " resolved (" + notOk + " of them with ok false), " + rejected + " rejected. Check response.ok, not just whether fetch() threw.";
      truthButton.disabled = false;
    });
  }

  // The backoff demo ---------------------------------------------------------------------------

  function drawLane(lane, log, total) {
    var width = 600, height = 46, left = 8, right = 8;
    var scale = function (t) { return left + (width - left - right) * Math.min(1, t / total); };
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("class", "timeline");
    svg.setAttribute("role", "img");
    var refused = log.filter(function (entry) { return entry.status !== 200; }).length;
    svg.setAttribute("aria-label", log.length + " requests over " + seconds(total) + ", " + refused + " refused");
    var axis = document.createElementNS(SVG, "line");
    axis.setAttribute("x1", left); axis.setAttribute("x2", width - right);
    axis.setAttribute("y1", 20); axis.setAttribute("y2", 20);
    axis.setAttribute("class", "axis");
    svg.appendChild(axis);
    log.forEach(function (entry) {
      if (entry.wait) {
        var wait = document.createElementNS(SVG, "rect");
        wait.setAttribute("x", scale(entry.t));
        wait.setAttribute("y", 17);
        wait.setAttribute("width", Math.max(1, scale(entry.t + entry.wait) - scale(entry.t)));
        wait.setAttribute("height", 6);
        wait.setAttribute("class", "wait");
        svg.appendChild(wait);
      }
    });
    log.forEach(function (entry) {
      var mark = document.createElementNS(SVG, "circle");
      mark.setAttribute("cx", scale(entry.t));
      mark.setAttribute("cy", 20);
      mark.setAttribute("r", 4);
      mark.setAttribute("class", entry.status === 200 ? "hit" : "refused");
      var title = document.createElementNS(SVG, "title");
      title.textContent = seconds(entry.t) + ": " + entry.status;
      mark.appendChild(title);
      svg.appendChild(mark);
    });
    [[0, "0 s"], [total, seconds(total)]].forEach(function (tick, index) {
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", index ? width - right : left);
      text.setAttribute("y", 42);
      text.setAttribute("text-anchor", index ? "end" : "start");
      text.textContent = tick[1];
      svg.appendChild(text);
    });
    lane.querySelector(".lane-chart").replaceChildren(svg);
  }

  function logLane(lane, log, grouped) {
    var list = lane.querySelector(".lane-log");
    list.replaceChildren();
    if (!grouped) {
      log.forEach(function (entry) {
        var text = seconds(entry.t) + ": " + entry.status;
        if (entry.retryAfter !== null) text += ", Retry-After " + entry.retryAfter + " s";
        if (entry.wait) text += ", waited " + seconds(entry.wait);
        list.appendChild(make("li", {
          "data-t": String(Math.round(entry.t)),
          "data-status": String(entry.status),
          "data-retry-after": entry.retryAfter === null ? "" : String(entry.retryAfter),
          "data-wait": String(Math.round(entry.wait || 0))
        }, text));
      });
      return;
    }
    var runs = [];
    log.forEach(function (entry) {
      var last = runs[runs.length - 1];
      if (last && last.status === entry.status) { last.count++; last.end = entry.t; } else runs.push({ status: entry.status, count: 1, start: entry.t, end: entry.t });
    });
    runs.forEach(function (run) {
      var when = run.count > 1 ? seconds(run.start) + "–" + seconds(run.end) : seconds(run.start);
      list.appendChild(make("li", { "data-status": String(run.status) }, when + ": " + run.count + " × " + run.status));
    });
  }

  async function runLane(name, polite, options, log, onEntry) {
    var client = name + "-" + Math.random().toString(36).slice(2, 10);
    var url = API + "limited?client=" + client + "&window=" + options.window;
    var successes = 0, attempt = 0;
    while (successes < options.goal && log.length < options.cap) {
      var entry = { t: performance.now() - options.start, status: 0, retryAfter: null, wait: 0 };
      var response;
      try {
        response = await fetch(url, { cache: "no-store" });
      } catch (error) {
        entry.status = "rejected";
        log.push(entry);
        break;
      }
      entry.status = response.status;
      var retryAfter = response.headers.get("Retry-After");
      entry.retryAfter = retryAfter === null ? null : Number(retryAfter);
      log.push(entry);
      if (response.ok) { successes++; attempt = 0; onEntry(); continue; }
      if (polite && (response.status === 429 || response.status === 503)) {
        var backoff = Math.min(8000, 250 * Math.pow(2, attempt));
        var jitter = Math.random() * backoff / 2;
        entry.wait = Math.max((entry.retryAfter || 0) * 1000, backoff) + jitter;
        attempt++;
        onEntry();
        await sleep(entry.wait);
      } else if (polite) {
        break;
      } else if (log.length % 10 === 0) {
        onEntry();
      }
    }
    var last = log[log.length - 1];
    return { log: log, successes: successes, elapsed: last ? last.t : 0, capped: successes < options.goal };
  }

  function summarise(lane, outcome, goal) {
    var refused = outcome.log.length - outcome.successes;
    var text = outcome.successes + " of " + goal + " answers, " + outcome.log.length + " requests, " + refused + " refused (wasted)";
    text += outcome.capped ? "; gave up at the cap." : ", done after " + seconds(outcome.elapsed) + ".";
    lane.querySelector(".lane-summary").textContent = text;
    lane.dataset.requests = String(outcome.log.length);
    lane.dataset.refused = String(refused);
    lane.dataset.successes = String(outcome.successes);
    lane.dataset.done = "true";
  }

  var backoffButton = document.getElementById("backoff-run");
  if (backoffButton) {
    backoffButton.hidden = false;
    backoffButton.addEventListener("click", async function () {
      backoffButton.disabled = true;
      var polite = document.getElementById("lane-polite");
      var naive = document.getElementById("lane-naive");
      [polite, naive].forEach(function (lane) {
        delete lane.dataset.done;
        lane.querySelector(".lane-summary").textContent = "running…";
      });
      var options = {
        window: Number(backoffButton.dataset.window),
        goal: Number(backoffButton.dataset.goal),
        cap: Number(backoffButton.dataset.cap),
        start: performance.now()
      };
      var logs = { polite: [], naive: [] };
      function redraw() {
        var total = Math.max(1000, performance.now() - options.start);
        drawLane(polite, logs.polite, total);
        drawLane(naive, logs.naive, total);
        logLane(polite, logs.polite, false);
        logLane(naive, logs.naive, true);
      }
      // Both clients run at once; the timeline redraws as their logs grow.
      var outcomes = await Promise.all([
        runLane("polite", true, options, logs.polite, redraw),
        runLane("naive", false, options, logs.naive, redraw)
      ]);
      redraw();
      summarise(polite, outcomes[0], options.goal);
      summarise(naive, outcomes[1], options.goal);
      backoffButton.disabled = false;
    });
  }
})();
