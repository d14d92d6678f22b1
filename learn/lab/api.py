"""The lab's API (/lab/api/...): real requests that answer with real status codes.

Usable from the lab page's console and from curl. Nothing here fetches another host or
redirects off-site; every endpoint is rate limited per client and bounded in time and size.
The endpoints hold no user data and use no cookies, so they take requests without a CSRF token.
"""

import json
import re
import time
from functools import wraps

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import etag

from config.errors import problem
from config.ratelimit import Limit, Rate, client_ip, hit, rate_limit
from learn.registry import display_name

CLIENT_NAME = re.compile(r"[a-z0-9-]{1,32}")
TOKENS = {"reader-token": "reader", "admin-token": "admin"}
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_AFTER = {429: 10, 503: 30}
NO_BODY = (204, 205, 304)
ECHO = "/lab/api/echo"
RESOURCE_ETAG = '"lab-resource-v1"'
REDIRECT_PARAMS = {"to", "next", "url", "location", "redirect", "target", "return"}
EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
LAB_LIMIT = Limit(
    "LAB_RATE_LIMIT", message="The lab takes {count} requests {window} from one client."
)
CAP_LIMIT = Limit(
    "LAB_LIMITED_CAP",
    message="This endpoint takes {count} requests {window} from one client, refused or not.",
)


def _json(status: int, data: dict, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2), status=status, content_type="application/json", headers=headers
    )
    if display_name(status):
        response.reason_phrase = display_name(status)
    return response


def lab_endpoint(view=None, *, limit: Limit = LAB_LIMIT):
    """Rate limit per client, refuse big bodies with 413, never cache, accept any method.

    Refusals are problem documents, as every error under /lab/api/ (config.errors).
    """
    if view is None:
        return lambda view: lab_endpoint(view, limit=limit)

    @csrf_exempt
    @rate_limit(f"lab:{limit.setting}", limit, methods=EVERY_METHOD)
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        largest = settings.LAB_MAX_BODY
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > largest or len(request.body) > largest:
            return problem(request, 413, f"Lab request bodies are at most {largest // 1024} KB.")
        response = view(request, *args, **kwargs)
        if response.status_code == 412 and not response.content:
            # Django's @etag answers an unmet If-Match with a bare 412: say what failed.
            response = problem(
                request,
                412,
                "If-Match named a version the resource does not have: GET it for the current "
                "ETag, then retry with that.",
            )
        response.setdefault("Cache-Control", "no-store")
        if request.method == "HEAD":
            response.content = b""
        return response

    return wrapper


@lab_endpoint
def status(request: HttpRequest, code: int) -> HttpResponse:
    """Answer with `code`, with the headers the spec requires or expects for it."""
    if 100 <= code <= 199:
        return problem(
            request,
            400,
            f"{code} is informational (1xx): a server sends it before the final response, "
            "never as the final one, and every final response is 2xx to 5xx. Try 200–599.",
        )
    if not 200 <= code <= 599:
        return problem(
            request,
            400,
            f"{code} is not a status code a response can carry: final status codes run from "
            "200 to 599.",
        )
    name = display_name(code) or "Unregistered code"
    headers: dict[str, str] = {}
    if code == 201:
        headers["Location"] = "/lab/api/etag"
    if 300 <= code <= 308 and code not in (304, 305, 306):
        headers["Location"] = ECHO
    if code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="status-academy-lab"'
    if code == 405:  # Allow never lists the method it refused
        headers["Allow"] = "POST" if request.method in ("GET", "HEAD") else "GET, HEAD"
    if code == 407:
        headers["Proxy-Authenticate"] = 'Basic realm="status-academy-lab-proxy"'
    if code in RETRY_AFTER:
        headers["Retry-After"] = str(RETRY_AFTER[code])
    if code == 416:
        headers["Content-Range"] = "bytes */1000"
    if code == 426 and not request.META.get("SERVER_SOFTWARE", "").startswith("WSGIServer"):
        # Upgrade is hop-by-hop; Python's development server refuses to send it.
        headers["Upgrade"] = "HTTP/2.0"
    if code in NO_BODY:
        response = HttpResponse(status=code, headers=headers)
        response.reason_phrase = name
        del response["Content-Type"]
        return response
    if code == 206:
        response = HttpResponse(
            b"0123456789" * 10,
            status=206,
            content_type="text/plain; charset=utf-8",
            headers={**headers, "Content-Range": "bytes 0-99/1000"},
        )
        response.reason_phrase = name
        return response
    detail = f"You asked the lab for {code} {name}, with {request.method}."
    if code >= 400:
        return problem(request, code, detail, headers)
    return _json(code, {"status": code, "name": name, "method": request.method}, headers)


@lab_endpoint
def redirect(request: HttpRequest, code: int) -> HttpResponse:
    """Redirect to the echo with `code`: a POST shows whether the method survives."""
    if code not in REDIRECTS:
        return problem(request, 404, f"The lab redirects with {', '.join(map(str, REDIRECTS))}.")
    if REDIRECT_PARAMS & {key.lower() for key in request.GET}:
        return problem(
            request,
            400,
            "The lab only ever redirects to /lab/api/echo on this site: it takes no target.",
        )
    body = {"status": code, "location": ECHO, "method": request.method}
    response = HttpResponseRedirect(
        ECHO, content=json.dumps(body, indent=2), status=code, content_type="application/json"
    )
    response.reason_phrase = display_name(code)
    return response


@lab_endpoint
def echo(request: HttpRequest) -> HttpResponse:
    """What the lab received: method, headers and body."""
    hidden = {"HTTP_COOKIE", "HTTP_X_CSRFTOKEN"}
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in sorted(request.META.items())
        if key.startswith("HTTP_") and key not in hidden
    }
    if request.META.get("CONTENT_TYPE"):
        headers["Content-Type"] = request.META["CONTENT_TYPE"]
    return _json(
        200,
        {
            "method": request.method,
            "path": request.path,
            "query": request.META.get("QUERY_STRING", ""),
            "body": request.body.decode("utf-8", errors="replace"),
            "headers": headers,
        },
    )


@lab_endpoint
def auth(request: HttpRequest) -> HttpResponse:
    """401 without a (valid) token, 403 when the token's role lacks permission, 200 for admin."""
    challenge = 'Bearer realm="status-academy-lab"'
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return problem(
            request,
            401,
            "No credentials: send Authorization: Bearer <token>.",
            {"WWW-Authenticate": challenge},
        )
    role = TOKENS.get(token.strip())
    if role is None:
        return problem(
            request,
            401,
            "That token is not valid, so the lab does not know who you are.",
            {"WWW-Authenticate": f'{challenge}, error="invalid_token"'},
        )
    if role != "admin":
        return problem(
            request,
            403,
            f"The token is valid (role: {role}), but that role may not read this resource.",
        )
    return _json(200, {"role": role, "secret": "Only admins see this."})


@lab_endpoint(limit=CAP_LIMIT)
def limited(request: HttpRequest) -> HttpResponse:
    """At most LIMITED requests a window per client; past it, 429 with Retry-After.

    The window is a minute; `?window=2..60` (seconds) shortens it and `?client=<name>` gives a
    named client its own allowance, like an API key, so the backoff demo can run two clients.
    """
    limit = settings.LAB_LIMITED
    window, name = request.GET.get("window", "60"), request.GET.get("client", "default")
    if not window.isdigit() or not 2 <= int(window) <= 60:
        return problem(request, 400, "window is a number of seconds from 2 to 60.")
    if not CLIENT_NAME.fullmatch(name):
        return problem(request, 400, "client is 1 to 32 lowercase letters, digits or dashes.")
    window = int(window)
    wait = hit(f"lab:limited:{client_ip(request)}:{name}", Rate(limit, window))
    policy = {"RateLimit-Policy": f"{limit};w={window}"}
    if wait is not None:
        return problem(
            request,
            429,
            f"This endpoint takes {limit} requests every {window} s. Wait {wait} s.",
            {"Retry-After": str(wait), **policy},
        )
    return _json(200, {"ok": True, "limit": limit, "window_seconds": window}, policy)


@lab_endpoint
@etag(lambda request: RESOURCE_ETAG)
def resource(request: HttpRequest) -> HttpResponse:
    """A resource with an ETag: If-None-Match with it gives 304 Not Modified."""
    return _json(200, {"id": 1, "name": "A lab resource", "version": 1})


JOB_SALT = "lab-job"


@lab_endpoint
def jobs(request: HttpRequest) -> HttpResponse:
    """POST starts a job (202 + Location to poll); jobs live in their signed id, not the server."""
    if request.method != "POST":
        return problem(request, 405, "Start a job with POST.", {"Allow": "POST"})
    job = signing.dumps(int(time.time() * 1000), salt=JOB_SALT)
    location = reverse("lab:job", args=[job])
    return _json(202, {"state": "queued", "poll": location}, {"Location": location})


def _job_started(job: str) -> int | None:
    try:
        return signing.loads(job, salt=JOB_SALT, max_age=3600)
    except signing.BadSignature:
        return None


@lab_endpoint
def job(request: HttpRequest, job: str) -> HttpResponse:
    """200 with progress while running; 303 to the result when done."""
    started = _job_started(job)
    if started is None:
        return problem(request, 404, "No such job (or it is over an hour old).")
    seconds = settings.LAB_JOB_SECONDS
    elapsed = time.time() - started / 1000
    if elapsed < seconds:
        progress = int(100 * elapsed / seconds) if seconds else 100
        return _json(200, {"state": "running", "progress": progress}, {"Retry-After": "1"})
    result = reverse("lab:job_result", args=[job])
    return _json(303, {"state": "done", "result": result}, {"Location": result})


@lab_endpoint
def job_result(request: HttpRequest, job: str) -> HttpResponse:
    started = _job_started(job)
    seconds = settings.LAB_JOB_SECONDS
    if started is None or time.time() - started / 1000 < seconds:
        return problem(request, 404, "This job has no result yet: poll the job first.")
    return _json(200, {"state": "done", "result": "42 reports generated"})


@lab_endpoint
def gateway(request: HttpRequest, fault: str) -> HttpResponse:
    """A simulated proxy in front of a simulated upstream that misbehaves as asked."""
    if fault == "bad-response":
        return problem(request, 502, "The upstream answered with something that is not HTTP.")
    if fault == "overloaded":
        return problem(
            request,
            503,
            "The upstream is overloaded and shedding load; try again later.",
            {"Retry-After": str(RETRY_AFTER[503])},
        )
    if fault == "slow":
        timeout = settings.LAB_GATEWAY_TIMEOUT
        time.sleep(min(timeout, 2.0))
        return problem(
            request, 504, f"The upstream did not answer within the proxy's {timeout:g} s."
        )
    return problem(request, 404, "Faults: bad-response, overloaded, slow.")
