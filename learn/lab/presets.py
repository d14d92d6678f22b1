"""The lab console's experiments: one preset per claim a lesson makes, and the console's input.

A preset is a request the console fills in (method, path, headers, body) plus what to look for
in the answer. Lessons link them with `[[lab:<slug>]]`; code pages link the preset that shows
their code, or a plain request to /lab/api/status/<code>.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

API_PREFIX = "/lab/api/"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
REDIRECT_MODES = ("follow", "manual", "error")
MAX_PATH = 200
MAX_HEADERS = 2000
JSON = "Content-Type: application/json"


@dataclass(frozen=True)
class Preset:
    slug: str
    group: str
    title: str
    method: str
    path: str
    look_for: str
    codes: tuple[int, ...] = ()
    headers: str = ""
    body: str = ""
    body_size: int = 0  # the console fills the body with this many bytes (the 413 experiment)
    repeat: int = 1  # send it this many times in a row
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{reverse('lab:console')}?{urlencode({'preset': self.slug})}#console"


PRESETS: tuple[Preset, ...] = (
    # Success
    Preset("ok", "Success", "200 OK", "GET", "/lab/api/status/200",
           "status 200, ok true, a JSON body.", (200,)),
    Preset("created", "Success", "POST that creates: 201", "POST", "/lab/api/status/201",
           "201 with a Location header naming the new resource; fetch() reports ok true.",
           (201,), JSON, '{"name": "Ada"}'),
    Preset("job-start", "Success", "Start a slow job: 202", "POST", "/lab/api/jobs",
           "202 Accepted and a Location to poll. Use \u201cFollow Location\u201d a few times: "
           "200 with progress while it runs, then 303 to the result, which fetch() follows "
           "(redirected true).", (202,)),
    Preset("no-content", "Success", "DELETE with 204", "DELETE", "/lab/api/status/204",
           "status 204 and an empty body: calling response.json() on it would throw.", (204,)),
    Preset("partial", "Success", "A range: 206", "GET", "/lab/api/status/206",
           "206 Partial Content with Content-Range: bytes 0-99/1000.", (206,),
           "Range: bytes=0-99"),
    # Redirects
    Preset("post-301", "Redirects and methods", "POST through 301", "POST",
           "/lab/api/redirect/301",
           "The echo reports method GET and no body: browsers turn a POST into a GET on 301.",
           (301,), JSON, '{"order": 42}'),
    Preset("post-302", "Redirects and methods", "POST through 302", "POST",
           "/lab/api/redirect/302",
           "The echo reports method GET: browsers turn a POST into a GET on 302 too, which "
           "is why 307 exists.", (302,), JSON, '{"order": 42}'),
    Preset("post-303", "Redirects and methods", "POST through 303", "POST",
           "/lab/api/redirect/303",
           "The echo reports method GET and an empty body: 303 See Other always means "
           "\u201cnow GET this\u201d.", (303,), JSON, '{"order": 42}'),
    Preset("post-307", "Redirects and methods", "POST through 307", "POST",
           "/lab/api/redirect/307",
           "The echo reports method POST with the same body: 307 keeps the method.",
           (307,), JSON, '{"order": 42}'),
    Preset("post-308", "Redirects and methods", "POST through 308", "POST",
           "/lab/api/redirect/308",
           "The echo reports method POST with the same body: 308 is the permanent 307.",
           (308,), JSON, '{"order": 42}'),
    Preset("manual-redirect", "Redirects and methods", "Don't follow: redirect: manual", "GET",
           "/lab/api/redirect/302",
           "With redirect set to manual, fetch() gives an opaque redirect: type "
           "\u201copaqueredirect\u201d, status 0, no headers. Scripts cannot read a redirect.",
           (), extra={"redirect": "manual"}),
    # Caching
    Preset("etag", "Caching", "A resource with an ETag", "GET", "/lab/api/etag",
           'status 200 and ETag: "lab-resource-v1". Copy it into If-None-Match next.', ()),
    Preset("not-modified", "Caching", "Revalidate: 304", "GET", "/lab/api/etag",
           "304 Not Modified with no body: the copy you hold is still good. ok is false, "
           "because 304 is not 2xx.", (304,), 'If-None-Match: "lab-resource-v1"'),
    # Client errors
    Preset("informational", "Client errors", "Ask for a 1xx", "GET", "/lab/api/status/100",
           "400: a 1xx is never a final response, so the lab refuses and explains why.",
           (100, 101, 103)),
    Preset("bad-request", "Client errors", "400 Bad Request", "POST", "/lab/api/status/400",
           "400 with an application/problem+json body (RFC 9457).", (400,), JSON, "{oops"),
    Preset("unauthorized", "Authentication", "No token: 401", "GET", "/lab/api/auth",
           "401 with WWW-Authenticate: Bearer \u2026: the server does not know who you are.",
           (401,)),
    Preset("forbidden", "Authentication", "Valid token, wrong role: 403", "GET",
           "/lab/api/auth",
           "403: the token is valid (role reader), but that role may not read this. "
           "Logging in again would not help.", (403,), "Authorization: Bearer reader-token"),
    Preset("authorized", "Authentication", "The right role: 200", "GET", "/lab/api/auth",
           "200: the admin token's role may read the resource.", (),
           "Authorization: Bearer admin-token"),
    Preset("not-found", "Client errors", "404 Not Found", "GET", "/lab/api/status/404",
           "fetch() resolves: status 404, ok false. It does not throw on an HTTP error.",
           (404,)),
    Preset("method-not-allowed", "Client errors", "GET where only POST works: 405", "GET",
           "/lab/api/jobs", "405 with Allow: POST, the methods the resource does support.",
           (405,)),
    Preset("proxy-auth", "Client errors", "407 Proxy Authentication Required", "GET",
           "/lab/api/status/407", "407 with a Proxy-Authenticate challenge.", (407,)),
    Preset("conflict", "Client errors", "409 Conflict", "PUT", "/lab/api/status/409",
           "409: the request conflicts with the resource's current state.", (409,), JSON,
           '{"version": 3}'),
    Preset("gone", "Client errors", "410 Gone", "GET", "/lab/api/status/410",
           "410: it existed and was removed on purpose.", (410,)),
    Preset("precondition-failed", "Client errors", "412 Precondition Failed", "PUT",
           "/lab/api/status/412", "412: an If-Match or If-Unmodified-Since did not hold.",
           (412,), 'If-Match: "v1"'),
    Preset("too-large", "Client errors", "A body over the limit: 413", "POST", "/lab/api/echo",
           "413: the lab takes bodies up to 16 KB and this one is 17 KB.", (413,),
           "Content-Type: text/plain", body_size=17 * 1024),
    Preset("range-not-satisfiable", "Client errors", "416 Range Not Satisfiable", "GET",
           "/lab/api/status/416", "416 with Content-Range: bytes */1000.", (416,)),
    Preset("teapot", "Client errors", "418 I'm a teapot", "GET", "/lab/api/status/418",
           "status 418 and ok false, and fetch() still resolves: only a network failure "
           "rejects.", (418,)),
    Preset("unprocessable", "Client errors", "422 Unprocessable Content", "POST",
           "/lab/api/status/422",
           "422: well-formed JSON whose content fails validation.", (422,), JSON,
           '{"email": "not-an-email"}'),
    Preset("upgrade-required", "Client errors", "426 Upgrade Required", "GET",
           "/lab/api/status/426",
           "426, with an Upgrade header naming the protocol to switch to (a proxy may drop "
           "it, since Upgrade is hop-by-hop).", (426,)),
    Preset("rate-limited", "Rate limits", "Past the limit: 429", "GET", "/lab/api/limited",
           "Sent 6 times: five 200s, then 429 with Retry-After: the seconds to wait.", (429,),
           repeat=6),
    # Server errors
    Preset("server-error", "Server errors", "500 Internal Server Error", "GET",
           "/lab/api/status/500", "500 with a problem+json body; nothing to retry yet.", (500,)),
    Preset("not-implemented", "Server errors", "501 Not Implemented", "PATCH",
           "/lab/api/status/501", "501: the server does not support this method at all.",
           (501,)),
    Preset("bad-gateway", "Gateways", "Upstream talks nonsense: 502", "GET",
           "/lab/api/gateway/bad-response",
           "502 Bad Gateway: the proxy reached the upstream but got an invalid answer.",
           (502,)),
    Preset("unavailable", "Gateways", "Upstream overloaded: 503", "GET",
           "/lab/api/gateway/overloaded",
           "503 with Retry-After: temporary, try again later.", (503,)),
    Preset("gateway-timeout", "Gateways", "Upstream too slow: 504", "GET",
           "/lab/api/gateway/slow",
           "504 after about a second: the proxy gave up waiting for the upstream.", (504,)),
    Preset("echo", "Tools", "Echo what you send", "POST", "/lab/api/echo",
           "200 and the method, headers and body the server received.", (),
           "Content-Type: application/json\nX-Demo: hello", '{"hello": "lab"}'),
)  # fmt: skip

BY_SLUG = {preset.slug: preset for preset in PRESETS}


@dataclass(frozen=True)
class Probe:
    """One row of the fetch() truth table: a request the browser really makes."""

    label: str
    path: str
    method: str = "GET"
    headers: str = ""
    body: str = ""
    redirect: str = "follow"
    abort_ms: int = 0
    note: str = ""


TRUTH_TABLE: tuple[Probe, ...] = (
    Probe("GET 200", "/lab/api/status/200", note="Read the body."),
    Probe("POST 201", "/lab/api/status/201", "POST", note="Created: read Location."),
    Probe("DELETE 204", "/lab/api/status/204", "DELETE",
          note="Success with no body: don't call json()."),
    Probe("GET through 301", "/lab/api/redirect/301",
          note="Followed for you: status is the final one."),
    Probe('GET with If-None-Match', "/lab/api/etag", headers='If-None-Match: "lab-resource-v1"',
          note="Not 2xx, yet not an error: use your cached copy."),
    Probe("GET 400", "/lab/api/status/400", note="Fix the request; don't retry."),
    Probe("GET 401", "/lab/api/status/401", note="Log in (again), then retry."),
    Probe("GET 403", "/lab/api/status/403", note="Show \u201cnot allowed\u201d; don't retry."),
    Probe("GET 404", "/lab/api/status/404", note="Show \u201cnot found\u201d."),
    Probe("GET 418", "/lab/api/status/418", note="Still resolves."),
    Probe("GET 422", "/lab/api/status/422", note="Show the field errors."),
    Probe("GET 429", "/lab/api/status/429", note="Wait for Retry-After, then retry."),
    Probe("GET 500", "/lab/api/status/500", note="Report it; maybe retry once."),
    Probe("GET 502", "/lab/api/gateway/bad-response", note="Retry idempotent requests."),
    Probe("GET 503", "/lab/api/gateway/overloaded", note="Retry after Retry-After."),
    Probe("GET 504", "/lab/api/status/504", note="Retry idempotent requests, with backoff."),
    Probe("302 with redirect: \"error\"", "/lab/api/redirect/302", redirect="error",
          note="A redirect you forbade: a network error."),
    Probe("Aborted after 200 ms", "/lab/api/gateway/slow", abort_ms=200,
          note="Your own timeout: AbortError."),
    Probe("GET with a body", "/lab/api/echo", body="x",
          note="Refused before sending: GET cannot have a body."),
)  # fmt: skip


def preset_for_code(code: int) -> Preset | None:
    return next((preset for preset in PRESETS if code in preset.codes), None)


def presets_for_codes(codes) -> list[Preset]:
    """The presets that show any of `codes`, in console order."""
    wanted = set(codes)
    return [preset for preset in PRESETS if wanted & set(preset.codes)]


def try_url(code: int) -> str | None:
    """Where a code page's "Try it" goes: its preset, else a plain request for the code."""
    preset = preset_for_code(code)
    if preset:
        return preset.url
    if 200 <= code <= 599:
        query = urlencode({"method": "GET", "path": f"{API_PREFIX}status/{code}"})
        return f"{reverse('lab:console')}?{query}#console"
    return None


def groups() -> list[tuple[str, list[Preset]]]:
    grouped: dict[str, list[Preset]] = {}
    for preset in PRESETS:
        grouped.setdefault(preset.group, []).append(preset)
    return list(grouped.items())


def path_problem(path: str) -> str:
    """Why the console will not send to `path`, or "" when it is a lab API path on this site."""
    if len(path) > MAX_PATH:
        return f"That path is too long: at most {MAX_PATH} characters."
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or path.startswith("//") or "\\" in path:
        return (
            "The console only sends requests to this site's lab, so the path must start with "
            f"{API_PREFIX}: other hosts are off limits."
        )
    if (
        not parts.path.startswith(API_PREFIX)
        or "/../" in parts.path
        or any(ord(char) < 32 for char in path)
    ):
        return f"The console only sends requests to paths under {API_PREFIX} on this site."
    return ""


@dataclass
class ConsoleRequest:
    """What the console is filled with: a preset, or method/path/headers/body from the URL."""

    method: str = "GET"
    path: str = f"{API_PREFIX}status/418"
    headers: str = ""
    body: str = ""
    redirect: str = "follow"
    preset: Preset | None = None
    problems: list[str] = field(default_factory=list)


def console_request(query) -> ConsoleRequest:
    """Read the console's query string; anything malformed becomes a problem, never a guess."""
    request = ConsoleRequest()
    slug = query.get("preset")
    if slug is not None:
        preset = BY_SLUG.get(slug)
        if preset is None:
            request.problems.append(
                "There is no experiment by that name: pick one from the list below."
            )
        else:
            request.preset = preset
            request.method, request.path = preset.method, preset.path
            request.headers, request.body = preset.headers, preset.body
            request.redirect = preset.extra.get("redirect", "follow")
    if "method" in query:
        method = query["method"].upper()
        if method not in METHODS:
            request.problems.append(f"The console sends {', '.join(METHODS)}.")
        else:
            request.method = method
    if "path" in query:
        problem = path_problem(query["path"])
        if problem:
            request.problems.append(problem)
        else:
            request.path = query["path"]
    if "headers" in query:
        if len(query["headers"]) > MAX_HEADERS:
            request.problems.append(f"Headers are limited to {MAX_HEADERS} characters.")
        else:
            request.headers = query["headers"]
    if "body" in query:
        if len(query["body"]) > settings.LAB_MAX_BODY:
            request.problems.append(f"The body is limited to {settings.LAB_MAX_BODY // 1024} KB.")
        else:
            request.body = query["body"]
    if "redirect" in query:
        if query["redirect"] not in REDIRECT_MODES:
            request.problems.append(f"Redirect mode is one of {', '.join(REDIRECT_MODES)}.")
        else:
            request.redirect = query["redirect"]
    return request


def curl_command(request: ConsoleRequest, origin: str) -> str:
    """The same request from a terminal."""
    prefix = ""
    has_body = bool(request.body or (request.preset and request.preset.body_size))
    parts = ["curl", "-i"]
    if request.redirect == "follow":
        parts.append("-L")
    if request.method == "HEAD":
        parts.append("--head")
    elif (request.method not in ("GET", "POST")) or (request.method == "POST") != has_body:
        # Not for a POST with a body: curl infers it, and -X would survive a 303 under -L.
        parts += ["-X", request.method]
    for line in request.headers.splitlines():
        if line.strip():
            parts += ["-H", _shell_quote(line.strip())]
    if request.body:
        parts += ["--data-binary", _shell_quote(request.body)]
    elif request.preset and request.preset.body_size:
        prefix = f"head -c {request.preset.body_size} /dev/zero | tr '\\0' x | "
        parts += ["--data-binary", "@-"]
    parts.append(_shell_quote(origin + request.path))
    return prefix + " ".join(parts)


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"
