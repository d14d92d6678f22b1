"""Fuzzing every URL: random methods, queries, forms, bodies and headers never give a 5xx.

Every route comes from the URL resolver, its parameters filled with real slugs and ids from
the shipped content or with junk. A request must get a status below 500 (the lab's own
/status/5xx and /gateway/ faults excepted: they answer 5xx on purpose) and a well-formed
answer: a page, an htmx fragment, JSON that parses, plain text, a redirect with a Location,
or nothing for HEAD, 204 and 304.
"""

import gzip
import json
import os
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.routes import Route, site_routes

pytestmark = pytest.mark.django_db

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"]
WHO = ["stranger", "anonymous", "member"]
# CI runs a fixed, repeatable sample. FUZZ_EXAMPLES=20000 explores afresh each run.
EXPLORE = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXPLORE or 800,
    deadline=None,
    derandomize=not EXPLORE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Header values travel as ISO-8859-1; servers refuse CR, LF and NUL in them.
header_text = st.text(st.characters(codec="latin-1", exclude_characters="\r\n\x00"), max_size=40)
NASTY = [
    "", "\x00", "a\x00b", "\ufeff", "\u202e", "'\"<>&", "<script>alert(1)</script>",
    "javascript:alert(1)", "../../etc/passwd", "9" * 400, "-1", "0", "1", "2", "3", "7",
    "99999999999999999999999", "1e309", "NaN", "true", "false", "on", "null", "{}", "[]",
    "404", "٤٠٤", "４０４", "Europe/Berlin", "Mars/Olympus", "practice", "interview", "review",
]  # fmt: skip
value_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), header_text)
FIELDS = [
    "choice", "answer", "mode", "tz", "done", "code", "confirm", "password", "username",
    "password1", "password2", "old_password", "new_password1", "new_password2", "q", "next",
    "csrfmiddlewaretoken", "token", "made", "rating", "via",
]  # fmt: skip
field_name = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
pairs = st.lists(st.tuples(field_name, value_text), max_size=8)

raw_query = st.lists(
    st.one_of(
        pairs.map(lambda items: urlencode(items)),
        st.sampled_from(["%00", "q=%00", "q=%FF%FE", "q=%C3%28", "%ZZ", "&&=&", "q", "=x", ";;"]),
        st.binary(max_size=20).map(lambda raw: "q=" + quote(raw)),
    ),
    max_size=3,
).map("&".join)

CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz", "application/json", "text/plain", "text/html",
    "application/octet-stream", "application/x-www-form-urlencoded; charset=junk-8", ";;", "",
]  # fmt: skip
bodies = st.one_of(
    st.just((b"", None)),
    pairs.map(lambda items: (urlencode(items).encode(), "application/x-www-form-urlencoded")),
    st.dictionaries(st.sampled_from(FIELDS), value_text, max_size=5).map(
        lambda data: (encode_multipart(BOUNDARY, data), MULTIPART_CONTENT)
    ),
    st.tuples(st.binary(max_size=300), st.sampled_from(CONTENT_TYPES)),
    st.just((b"choice=\xff\xfe&answer=\xc3\x28&q=\x00", "application/x-www-form-urlencoded")),
    st.just((b'{"choice": [1, 2], "answer": null}', "application/json")),
)

HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", "", "1"]) | header_text,
        "HTTP_HX_TARGET": st.sampled_from(["question-card", "code-results", "#x"]) | header_text,
        "HTTP_HX_CURRENT_URL": st.sampled_from(
            ["http://testserver/quiz/", "http://[", "javascript:"]
        )
        | header_text,
        "HTTP_HX_TRIGGER": header_text,
        "HTTP_HX_TRIGGER_NAME": header_text,
        "HTTP_HX_BOOSTED": st.sampled_from(["true", "false"]) | header_text,
        "HTTP_HX_PROMPT": header_text,
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.sampled_from(["true"]) | header_text,
        "HTTP_ACCEPT": st.sampled_from(
            ["text/html", "application/json", "application/problem+json", "*/*", "image/*;q=x"]
        )
        | header_text,
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(["de", "zz-ZZ", "*;q=0"]) | header_text,
        "HTTP_RANGE": st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=10-1", "lines=1-2"])
        | header_text,
        "HTTP_IF_NONE_MATCH": st.sampled_from(['"lab-resource-v1"', "*", 'W/"x"']) | header_text,
        "HTTP_IF_MATCH": st.sampled_from(['"lab-resource-v1"', "*", '"other"']) | header_text,
        "HTTP_IF_MODIFIED_SINCE": st.sampled_from(["Sun, 06 Nov 1994 08:49:37 GMT", "yesterday"])
        | header_text,
        "HTTP_AUTHORIZATION": st.sampled_from(
            ["Bearer reader-token", "Bearer admin-token", "Bearer", "Basic Zm9vOmJhcg=="]
        )
        | header_text,
        "HTTP_ORIGIN": st.sampled_from(["http://testserver", "null", "http://evil.example"]),
        "HTTP_REFERER": header_text,
        "HTTP_X_CSRFTOKEN": header_text,
        "HTTP_COOKIE": st.sampled_from(["sessionid=junk", "csrftoken=x; =;;", 'a="b'])
        | header_text,
    },
)
# A host the site does not serve is refused before any view runs: send one only now and then.
hosts = st.sampled_from([None] * 9 + ["evil.example", "[::1", "testserver:99999"])
methods = st.sampled_from(["GET", "POST"]) | st.sampled_from(METHODS)


def parameter_values(world, route: Route):
    """Each parameter: a real value most of the time, junk of the converter's shape otherwise."""
    junk = {
        "int": st.sampled_from([0, 10**25]) | st.integers(0, 10**6),
        "slug": st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True),
        "status": st.integers(100, 599),
        "str": st.text(st.characters(exclude_characters="/"), min_size=1, max_size=30),
    }
    return st.fixed_dictionaries(
        {
            name: st.sampled_from(world.values[name])
            | st.sampled_from(world.values[name])
            | junk[kind]
            for name, kind in route.parameters.items()
        }
    )


def request(world, who, method, path, query="", body=b"", content_type=None, headers=None):
    """Send one request as `who`, inside a transaction rolled back afterwards."""
    extra = dict(headers or {})
    client = world.client(who)
    with transaction.atomic():
        response = client.generic(
            method,
            path + (f"?{query}" if query else ""),
            data=body,
            content_type=content_type or "application/octet-stream",
            **extra,
        )
        transaction.set_rollback(True)
    return response


def deliberate_5xx(path: str, status: int) -> bool:
    """The lab answers 5xx when asked to: /lab/api/status/5xx and the gateway's faults."""
    if path.startswith("/lab/api/status/"):
        return path.rstrip("/").rsplit("/", 1)[-1] == str(status)
    return path.startswith("/lab/api/gateway/") and status in (502, 503, 504)


def assert_well_formed(response, method: str, path: str, htmx: bool) -> None:
    status = response.status_code
    where = f"{method} {path} answered {status}"
    assert status < 500 or deliberate_5xx(path, status), f"{where}:\n{response.content[:2000]!r}"
    body = response.content
    if method == "HEAD" or status in (204, 304) or status < 200:
        assert body == b"", f"{where} with a body"
        return
    if status in (301, 302, 303, 307, 308):
        assert response.has_header("Location"), f"{where} without a Location"
    if 300 <= status < 400 and response.has_header("Location"):
        return  # a redirect may have no body
    if status == 405:
        assert response.has_header("Allow"), f"{where} without Allow"
    if status == 429:
        assert response.has_header("Retry-After"), f"{where} without Retry-After"
    if method == "OPTIONS" and status < 300 and response.has_header("Allow"):
        return  # an answer to OPTIONS is its Allow header
    content_type = response.get("Content-Type", "")
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assert body, f"{where} with an empty body ({content_type})"
    if "html" in content_type:
        text = body.decode("utf-8")
        if "<html" in text or not htmx:
            assert text.lstrip().lower().startswith("<!doctype html>"), f"{where}: not a page"
            assert text.rstrip().endswith("</html>"), f"{where}: a page cut short"
        else:
            assert text.lstrip().startswith("<"), f"{where}: not an htmx fragment"
    elif "json" in content_type:
        json.loads(body)
    elif content_type.startswith("text/plain"):
        assert body.decode("utf-8").strip(), f"{where}: empty text"
    else:
        pytest.fail(f"{where} with an unexpected content type {content_type!r}")


@pytest.fixture
def fuzz_settings(settings):
    """No real sleeping in the gateway, and room to fuzz the lab past its rate limit."""
    settings.LAB_GATEWAY_TIMEOUT = 0
    settings.LAB_RATE_LIMIT = 100_000
    return settings


def test_every_route_answers_every_method(world, fuzz_settings):
    """Each route with real parameters, as each kind of visitor, with every method."""
    problems = []
    for route in site_routes():
        path = route.fill({name: world.values[name][0] for name in route.parameters})
        for who in WHO:
            for method in METHODS:
                for htmx in (False, True):
                    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
                    response = request(world, who, method, path, "", b"x=1", None, headers)
                    try:
                        assert_well_formed(response, method, path, htmx)
                    except AssertionError as problem:
                        problems.append(f"{who}: {str(problem)[:300]}")
    assert not problems, "\n".join(problems)


@FUZZ
@given(data=st.data())
def test_fuzzed_requests_never_fail_on_the_server(world, fuzz_settings, data):
    route = data.draw(st.sampled_from(site_routes()), label="route")
    path = route.fill(data.draw(parameter_values(world, route), label="parameters"))
    who = data.draw(st.sampled_from(WHO), label="who")
    method = data.draw(methods, label="method")
    query = data.draw(raw_query, label="query")
    body, content_type = data.draw(bodies, label="body")
    headers = data.draw(HEADERS, label="headers")
    if host := data.draw(hosts, label="host"):
        headers["HTTP_HOST"] = host
    response = request(world, who, method, path, query, body, content_type, headers)
    htmx = headers.get("HTTP_HX_REQUEST") == "true"
    assert_well_formed(response, method, path, htmx)


@settings(FUZZ, max_examples=EXPLORE or 200)
@given(path=st.text(max_size=40), method=st.sampled_from(METHODS))
def test_unknown_paths_get_the_404_page(world, fuzz_settings, path, method):
    response = request(world, "stranger", method, "/" + quote(path.encode("utf-8", "replace")))
    assert_well_formed(response, method, path, htmx=False)


FORM = "application/x-www-form-urlencoded"
DRILL = "/interview/lessons/401-vs-403/401-vs-403-difference/"
EDGE_CASES = [
    ("stranger", "GET", "/accounts/signup/", "next=/foo%0Abar", b"", None),
    ("member", "GET", "/accounts/login/", "next=/foo%0D%0ASet-Cookie:x=1", b"", None),
    ("member", "POST", "/accounts/logout/", "next=/foo%0Abar", b"", None),
    ("stranger", "POST", "/accounts/signup/", "", b"username=a%00b&password1=x", FORM),
    ("stranger", "POST", "/accounts/login/", "", b"username=" + b"a" * 5000, FORM),
    ("member", "POST", "/accounts/password/", "", b"old_password=%00&new_password1=%00", FORM),
    ("stranger", "GET", "/codes/", "q=%ED%A0%80", b"", None),  # an encoded lone surrogate
    ("stranger", "GET", "/codes/", "q=%C2%B2", b"", None),  # "²": isdigit(), but not int()
    ("stranger", "GET", "/codes/", "q=%E2%91%A0%E2%91%A1", b"", None),  # "①②"
    ("stranger", "GET", "/codes/", "q=%D9%A4%D9%A0", b"", None),  # Arabic-Indic "40"
    ("stranger", "POST", "/progress/practise/", "", b"code=%C2%B2&code=" + b"9" * 500, FORM),
    ("stranger", "POST", "/progress/practise/", "", b"code=401&code=403&code=404", FORM),
    ("stranger", "POST", "/quiz/interview-prep/start/", "", b"mode=practice&tz=%00", FORM),
    ("anonymous", "POST", "/progress/delete/", "", b"confirm=on", FORM),
    ("member", "POST", "/progress/delete/", "", b"confirm=on&password=%00", FORM),
    ("stranger", "POST", "/lab/api/echo", "", b"\xff\xfe" * 9000, "application/octet-stream"),
    ("stranger", "POST", "/lab/api/echo", "", b"a=" + b"x" * 2_700_000, FORM),  # over 2.5 MB
    ("stranger", "POST", "/quiz/interview-prep/start/", "", b"a=" + b"x" * 2_700_000, FORM),
    ("stranger", "POST", "/quiz/interview-prep/start/", "", b"&".join([b"f=1"] * 1100), FORM),
    ("stranger", "GET", "/quiz/", "&".join(["f=1"] * 1100), b"", None),  # too many fields
    ("stranger", "POST", "/accounts/login/", "", b"junk", "multipart/form-data; boundary=\x00"),
    ("stranger", "POST", "/accounts/login/", "", b"--x\r\n\r\n", "multipart/form-data; boundary=x"),
    ("stranger", "GET", "/lab/api/status/99999999999999999999999999", "", b"", None),
    ("stranger", "GET", "/lab/api/jobs/a:b:c", "", b"", None),
    ("stranger", "GET", "/quiz/attempts/99999999999999999999999999/", "", b"", None),
    ("anonymous", "POST", "/quiz/attempts/1/99999999999999999999999999/", "", b"", None),
    ("anonymous", "POST", "/quiz/attempts/1/1/", "", b"choice=%3Cscript%3E&answer=%3Cb%3E", FORM),
    ("stranger", "GET", "/lab/api/etag", "", b"", None),
    ("stranger", "POST", DRILL, "", b"answer=" + b"x" * 3001 + b"&token=x", FORM),
    ("stranger", "POST", DRILL, "", b"answer=%00&token=x", FORM),
    ("stranger", "POST", DRILL + "rate/", "", b"answer=a&token=W1swLDAsMF0:x:y&rating=9", FORM),
    ("anonymous", "POST", DRILL + "rate/", "", b"made=99&made=-1&made=%C2%B2&rating=%00", FORM),
    ("anonymous", "POST", "/interview/mock/99999999999999999999999999/1/rate/", "", b"", None),
    ("member", "GET", "/interview/lessons/401-vs-403/" + "k" * 500 + "/", "", b"", None),
]


def test_known_edge_cases(world, fuzz_settings):
    """Inputs found while fuzzing, or too rare for it to find: each answered properly."""
    for who, method, path, query, body, content_type in EDGE_CASES:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_IF_MATCH": '"stale"'}):
            response = request(world, who, method, path, query, body, content_type, headers)
            assert_well_formed(response, method, path, htmx="HTTP_HX_REQUEST" in headers)
