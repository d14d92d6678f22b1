"""An HTTP linter finds nothing wrong with any response of the site as `make serve` runs it.

httplint (the library behind REDbot) lints each response of a crawl through nginx: every kind
of page (content, per-learner, forms, account), redirects, error pages (Django's and nginx's),
static files and the lab's API. For each successful GET it also runs REDbot's own follow-up
requests: the same request without compression (negotiation, Vary and ETag per
representation), with If-None-Match and If-Modified-Since (a 304 with the right headers), and
a Range (a correct 206). No note may be a warning or worse.

Each request is one a client would make for that answer (a 201 comes from a POST, a 412 from
an If-Match that fails, a 206 from a Range). The only notes accepted are httplint's words for
a status itself, where the request earned that status on purpose (`STATUS_NOTES`): it warns
on every 400 ("The server didn't understand the request") and every 414, and on a few codes
the lab hands out because it teaches them (418, 305, 505, 599). One more is accepted: the lab's
202 for a job carries `Location`, the status monitor to poll, as the lesson on success codes
teaches (the widespread pattern of asynchronous APIs); RFC 9110 defines `Location` for 201 and
3xx only, so httplint warns that it means nothing on a 202.
"""

import gzip
import re
import time
from dataclasses import dataclass, field

import pytest
from httplint import HttpRequestLinter, HttpResponseLinter, levels

from tests.cluster.web import Browser, Reply, request

pytestmark = pytest.mark.cluster

USER_AGENT = "status-academy-lint/1 (tests/cluster/test_http_lint.py)"
BROWSER = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, br",
}
CONTENT = ["/", "/learn/", "/learn/401-vs-403/", "/codes/", "/codes/?q=gateway", "/codes/429/"]
STATIC = ["/static/css/site.css", "/static/img/favicon.svg", "/static/js/site.js"]
LAB_CODES = [200, 202, 203, 204, 205, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401]
LAB_CODES += [402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 413, 414, 415, 418, 421, 422]
LAB_CODES += [425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 507, 511, 599]
# The request that earns each of these (the lab answers any method and any headers).
LAB_IN_CONTEXT = {
    201: ("POST", {}),
    206: ("GET", {"Range": "bytes=0-99"}),
    406: ("GET", {"Accept": "application/x-nothing"}),
    412: ("PUT", {"If-Match": '"other"'}),
    416: ("GET", {"Range": "bytes=2000-3000"}),
    417: ("PUT", {"Expect": "x-lab"}),
}
# httplint's notes on a status as such, accepted where the request asked for that status.
STATUS_NOTES = {
    400: "STATUS_BAD_REQUEST",
    414: "STATUS_URI_TOO_LONG",
    418: "STATUS_IM_A_TEAPOT",
    305: "STATUS_DEPRECATED",
    505: "STATUS_VERSION_NOT_SUPPORTED",
    599: "STATUS_NONSTANDARD",
}


@dataclass
class Finding:
    where: str
    notes: list[str] = field(default_factory=list)


def lint(method: str, path: str, headers: dict, reply: Reply) -> list[str]:
    """httplint's notes of warning level or worse on one exchange."""
    asked = HttpRequestLinter()
    asked.process_request_topline(method.encode(), path.encode(), b"HTTP/1.1")
    asked.process_headers([(k.encode(), v.encode()) for k, v in headers.items()])
    asked.finish_content(True)
    linter = HttpResponseLinter(start_time=time.time(), _related=asked)
    linter.is_head_response = method == "HEAD"
    linter.process_response_topline(b"HTTP/1.1", str(reply.status).encode(), reply.reason.encode())
    linter.process_headers([(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers])
    linter.feed_content(reply.body)
    linter.finish_content(True)
    found = []

    def walk(notes) -> None:
        for note in notes:
            accepted = type(note).__name__ in (
                STATUS_NOTES.get(reply.status),
                "LOCATION_UNDEFINED" if path == "/lab/api/jobs" and reply.status == 202 else "",
            )
            if note.level in (levels.WARN, levels.BAD) and not accepted:
                found.append(f"{note.level.value}: {note.summary} ({type(note).__name__})")
            walk(note.subnotes)

    walk(linter.notes)
    return found


def follow_ups(base: str, path: str, headers: dict, reply: Reply) -> list[str]:
    """REDbot's follow-up requests for a successful GET, and what it would say of them."""
    notes = []
    bare_headers = {k: v for k, v in headers.items() if k != "Accept-Encoding"}
    bare = request(base, "GET", path, headers=bare_headers)
    zipped = request(base, "GET", path, headers={**bare_headers, "Accept-Encoding": "gzip"})
    if bare.header("Content-Encoding"):
        notes.append("warning: compressed although not asked for")
    if zipped.header("Content-Encoding") == "gzip":
        vary = {v.strip().lower() for v in zipped.header("Vary").split(",")}
        if "accept-encoding" not in vary:
            notes.append("bad: negotiated, but no Vary: Accept-Encoding")
        if bare.header("Vary") != zipped.header("Vary"):
            notes.append(f"bad: Vary differs ({bare.header('Vary')!r}, {zipped.header('Vary')!r})")
        if bare.status != zipped.status:
            notes.append("warning: the status changes with negotiation")
        if bare.header("Content-Type") != zipped.header("Content-Type"):
            notes.append("bad: Content-Type changes with negotiation")
        etag = bare.header("ETag")
        if etag and etag == zipped.header("ETag") and not etag.startswith("W/"):
            notes.append("bad: the same strong ETag for both representations")
        # Against its own content: a body may differ by request (the lab's echo repeats the
        # request's headers, Accept-Encoding included), and gzip pays or not on what it holds.
        if len(zipped.body) > len(gzip.decompress(zipped.body)):
            notes.append("warning: the gzip response is larger than the plain one")
    if reply.header("ETag"):
        validated = request(
            base, "GET", path, headers={**headers, "If-None-Match": reply.header("ETag")}
        )
        notes += _validation(reply, validated, "If-None-Match")
    if reply.header("Last-Modified"):
        since = {**headers, "If-Modified-Since": reply.header("Last-Modified")}
        notes += _validation(reply, request(base, "GET", path, headers=since), "If-Modified-Since")
    if "bytes" in reply.header("Accept-Ranges") and len(reply.body) > 100:
        ranged = request(base, "GET", path, headers={**headers, "Range": "bytes=10-60"})
        if ranged.status != 206:
            notes.append(f"warning: a Range request answered {ranged.status}")
        else:
            if ranged.body != reply.body[10:61]:
                notes.append("bad: the partial content is not that part of the response")
            missing = [
                name
                for name in ("Cache-Control", "ETag", "Expires", "Vary")
                if reply.header(name) and not ranged.header(name)
            ]
            if missing:
                notes.append(f"warning: the 206 lacks {missing}")
    return notes


def _validation(reply: Reply, validated: Reply, how: str) -> list[str]:
    if validated.status != 304:
        same = validated.body == reply.body
        return [f"warning: {how} got {validated.status}{' with the same body' if same else ''}"]
    missing = [
        name
        for name in ("Cache-Control", "Content-Location", "ETag", "Expires", "Vary")
        if reply.header(name) and not validated.header(name)
    ]
    return [f"warning: the 304 for {how} lacks {missing}"] if missing else []


def exchange(base: str, method: str, path: str, headers: dict | None = None, body=None) -> Finding:
    headers = {**BROWSER, **(headers or {})}
    reply = request(base, method, path, headers=headers, body=body)
    finding = Finding(f"{method} {path} → {reply.status}")
    finding.notes = lint(method, path, headers, reply)
    if method == "GET" and reply.status == 200:
        finding.notes += follow_ups(base, path, headers, reply)
    return finding


def test_no_response_has_a_warning_or_worse(front):
    base = front.base
    home = request(base, "GET", "/").text
    fingerprinted = re.findall(r'(?:href|src)="(/static/[^"]+)"', home)
    learner = Browser(base)
    learner.get("/csrf")
    learner.post("/progress/lessons/401-vs-403/", {"done": "1"})
    started = learner.post("/quiz/401-vs-403/start/", {"mode": "practice"})
    question = started.header("Location")
    session = {"Cookie": "; ".join(f"{k}={v}" for k, v in learner.cookies.items())}
    member = Browser(base)
    member.get("/csrf")
    member.post(
        "/accounts/signup/",
        {
            "username": "lint-member",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    account = {"Cookie": "; ".join(f"{k}={v}" for k, v in member.cookies.items())}
    token = {"X-CSRFToken": learner.cookies["csrftoken"], **session}

    findings = []
    for path in CONTENT + STATIC + fingerprinted + ["/healthz", "/csrf", "/lab/"]:
        findings.append(exchange(base, "GET", path))
    for path in ["/quiz/", "/quiz/401-vs-403/", "/accounts/login/", "/accounts/signup/"]:
        findings.append(exchange(base, "GET", path))
    for path in ["/progress/", "/review/", question, "/progress/export/", "/progress/delete/"]:
        findings.append(exchange(base, "GET", path, session))
    for path in ["/learn/401-vs-403/", "/", "/accounts/password/"]:
        findings.append(exchange(base, "GET", path, account))
    for path in ["/accounts/password/", "/codes", "/quiz/attempts/1/"]:  # redirects
        findings.append(exchange(base, "GET", path))
    for code in LAB_CODES:
        findings.append(exchange(base, "GET", f"/lab/api/status/{code}"))
    for code, (method, headers) in LAB_IN_CONTEXT.items():
        findings.append(exchange(base, method, f"/lab/api/status/{code}", headers))
    for code in (301, 302, 303, 307, 308):
        findings.append(exchange(base, "GET", f"/lab/api/redirect/{code}"))
        findings.append(exchange(base, "POST", f"/lab/api/redirect/{code}", body="x=1"))
    for path in ["/lab/api/echo", "/lab/api/auth", "/lab/api/etag", "/lab/api/limited"]:
        findings.append(exchange(base, "GET", path))
    findings.append(
        exchange(base, "GET", "/lab/api/auth", {"Authorization": "Bearer reader-token"})
    )
    findings.append(exchange(base, "GET", "/lab/api/etag", {"If-None-Match": '"lab-resource-v1"'}))
    findings.append(exchange(base, "PUT", "/lab/api/etag", {"If-Match": '"other"'}, body="x"))
    job = request(base, "POST", "/lab/api/jobs", headers=BROWSER)
    findings.append(exchange(base, "POST", "/lab/api/jobs"))
    findings.append(exchange(base, "GET", job.header("Location")))
    for fault in ("bad-response", "overloaded", "slow", "unknown"):
        findings.append(exchange(base, "GET", f"/lab/api/gateway/{fault}"))
    for _ in range(6):
        limited = exchange(base, "GET", "/lab/api/limited?client=lint")
    findings.append(limited)  # the 429
    errors = [
        ("GET", "/no-such-page/", {}, None),
        ("GET", "/learn/no-such-lesson/", {}, None),
        ("DELETE", "/", {}, None),
        ("GET", "/", {"Host": "evil.example"}, None),
        ("POST", "/progress/lessons/401-vs-403/", {}, "done=1"),  # no CSRF token
        (
            "POST",
            "/progress/lessons/401-vs-403/",
            {**token, "Content-Type": "application/x-www-form-urlencoded"},
            "done=2",
        ),
        ("GET", "/codes/?q=" + "x" * 101, {}, None),
        ("GET", "/static/no-such-file.css", {}, None),
        ("POST", "/static/css/site.css", {}, "x"),
        ("GET", "/" + "a" * 5000, {}, None),
        ("GET", "/", {"X-Big": "b" * 5000}, None),
        (
            "POST",
            "/accounts/login/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "x" * 300_000,
        ),
        ("HEAD", "/learn/401-vs-403/", {}, None),
        ("HEAD", "/static/css/site.css", {}, None),
    ]
    for method, path, headers, body in errors:
        findings.append(exchange(base, method, path, headers, body))

    problems = [f"{f.where}: {note}" for f in findings for note in f.notes]
    print(f"\n{len(findings)} exchanges linted, {len(problems)} warnings or worse")
    assert len(findings) > 120
    assert not problems, "\n".join(problems)
