"""The lab's API: each endpoint's status, headers and body, as a client sees them."""

import json
from http import HTTPStatus

import pytest
import time_machine
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.LAB_GATEWAY_TIMEOUT = 0.01


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_status_answers_with_the_code_for_any_method(client, method):
    response = getattr(client, method)("/lab/api/status/418")
    assert response.status_code == 418
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 418 and body["title"] == "I'm a teapot"
    assert body["type"].endswith("/codes/418/")
    assert method.upper() in body["detail"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "code, header, value",
    [
        (401, "WWW-Authenticate", 'Bearer realm="status-academy-lab"'),
        (405, "Allow", "POST"),  # was "GET, HEAD" for a GET: Allow listed the refused method
        (407, "Proxy-Authenticate", 'Basic realm="status-academy-lab-proxy"'),
        (201, "Location", "/lab/api/etag"),
        (301, "Location", "/lab/api/echo"),
        (302, "Location", "/lab/api/echo"),
        (303, "Location", "/lab/api/echo"),
        (307, "Location", "/lab/api/echo"),
        (308, "Location", "/lab/api/echo"),
        (429, "Retry-After", "10"),
        (503, "Retry-After", "30"),
        (206, "Content-Range", "bytes 0-99/1000"),
        (416, "Content-Range", "bytes */1000"),
        (426, "Upgrade", "HTTP/2.0"),
    ],
)
def test_status_sends_the_headers_the_spec_expects(client, code, header, value):
    response = client.get(f"/lab/api/status/{code}")
    assert response.status_code == code
    assert response[header] == value


@pytest.mark.parametrize("code", [204, 205, 304])
def test_no_body_with_204_205_and_304(client, code):
    response = client.get(f"/lab/api/status/{code}")
    assert response.status_code == code
    assert response.content == b""
    assert "Content-Type" not in response


def test_2xx_bodies_are_json_and_4xx_5xx_are_problem_documents(client):
    ok = client.get("/lab/api/status/200")
    assert ok["Content-Type"] == "application/json"
    assert json.loads(ok.content) == {"status": 200, "name": "OK", "method": "GET"}
    assert client.get("/lab/api/status/500")["Content-Type"] == "application/problem+json"
    assert len(client.get("/lab/api/status/206").content) == 100


@pytest.mark.parametrize(
    "code, words",
    [
        (100, "informational (1xx)"),
        (103, "informational (1xx)"),
        (600, "not a status code a response can carry"),
        (99, "not a status code a response can carry"),
        (1000, "not a status code a response can carry"),
    ],
)
def test_codes_that_cannot_be_final_get_a_clear_400(client, code, words):
    response = client.get(f"/lab/api/status/{code}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in json.loads(response.content)["detail"]


def test_head_gets_headers_without_a_body(client):
    response = client.head("/lab/api/status/404")
    assert response.status_code == 404
    assert response.content == b""


@pytest.mark.parametrize(
    "code, method_after", [(301, "GET"), (302, "GET"), (303, "GET"), (307, "POST"), (308, "POST")]
)
def test_a_post_through_each_redirect(client, code, method_after):
    """Django's test client follows redirects as browsers do: 301/302/303 become GET."""
    response = client.post(f"/lab/api/redirect/{code}", data=b"x=1", content_type="text/plain",
                           follow=True)  # fmt: skip
    assert response.redirect_chain == [("/lab/api/echo", code)]
    echoed = json.loads(response.content)
    assert echoed["method"] == method_after
    assert echoed["body"] == ("x=1" if method_after == "POST" else "")


def test_redirect_refuses_other_codes_and_any_target(client):
    assert client.get("/lab/api/redirect/300").status_code == HTTPStatus.NOT_FOUND
    for query in ["?to=https://evil.example/", "?next=//evil.example", "?URL=http://x"]:
        response = client.get(f"/lab/api/redirect/302{query}")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "only ever redirects to /lab/api/echo" in json.loads(response.content)["detail"]
        assert "Location" not in response


def test_echo_reports_method_headers_and_body_but_not_cookies(client):
    client.cookies["sessionid"] = "secret"
    response = client.put(
        "/lab/api/echo?a=1", data='{"k": 2}', content_type="application/json",
        headers={"X-Demo": "yes"},
    )  # fmt: skip
    echoed = json.loads(response.content)
    assert echoed["method"] == "PUT" and echoed["query"] == "a=1"
    assert echoed["headers"]["X-Demo"] == "yes"
    assert echoed["headers"]["Content-Type"] == "application/json"
    assert "Cookie" not in echoed["headers"]
    assert echoed["body"] == '{"k": 2}'


def test_auth_401_403_200(client):
    none = client.get("/lab/api/auth")
    assert none.status_code == 401
    assert none["WWW-Authenticate"] == 'Bearer realm="status-academy-lab"'
    bad = client.get("/lab/api/auth", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and 'error="invalid_token"' in bad["WWW-Authenticate"]
    reader = client.get("/lab/api/auth", headers={"Authorization": "Bearer reader-token"})
    assert reader.status_code == 403
    assert "WWW-Authenticate" not in reader
    admin = client.get("/lab/api/auth", headers={"Authorization": "Bearer admin-token"})
    assert admin.status_code == 200 and json.loads(admin.content)["role"] == "admin"


def test_limited_allows_five_a_minute_then_429_with_retry_after(client):
    # The window opens with the client's first request, so no clock position lets a burst pass.
    with time_machine.travel("2026-11-24 12:00:59Z", tick=False):
        codes = [client.get("/lab/api/limited").status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
    with time_machine.travel("2026-11-24 12:01:09Z", tick=False):
        refused = client.get("/lab/api/limited")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
    with time_machine.travel("2026-11-24 12:01:59Z", tick=False):
        assert client.get("/lab/api/limited").status_code == 200


def test_limited_takes_a_shorter_window_and_named_clients(client):
    url = "/lab/api/limited?window=10&client=polite-abc"
    with time_machine.travel("2026-11-24 12:00:09.5Z", tick=False):
        codes = [client.get(url).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
    with time_machine.travel("2026-11-24 12:00:17Z", tick=False):
        refused = client.get(url)
        # 2.5 s are left in this 10 s window: rounded up, never down, so waiting is enough.
        assert refused["Retry-After"] == "3"
        assert refused["RateLimit-Policy"] == "5;w=10"
        assert "5 requests every 10 s" in json.loads(refused.content)["detail"]
        # Another named client has its own allowance.
        assert client.get("/lab/api/limited?window=10&client=naive-abc").status_code == 200
    with time_machine.travel("2026-11-24 12:00:19.5Z", tick=False):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query", ["window=1", "window=61", "window=ten", "client=UPPER", "client=" + "a" * 33]
)
def test_limited_refuses_bad_parameters_with_400(client, query):
    response = client.get(f"/lab/api/limited?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_limited_has_its_own_overall_cap(client, settings):
    settings.LAB_LIMITED_CAP = 4
    settings.LAB_RATE_LIMIT = 2
    codes = [client.get(f"/lab/api/limited?client=c{i}").status_code for i in range(5)]
    # Not held to the lab-wide 2 a minute, but to its own cap of 4.
    assert codes == [200, 200, 200, 200, 429]


def test_every_lab_endpoint_is_rate_limited(client, settings):
    settings.LAB_RATE_LIMIT = 3
    codes = [client.get("/lab/api/echo").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/lab/api/status/200")["Retry-After"]


def test_big_bodies_get_413(client):
    response = client.post("/lab/api/echo", data="x" * (16 * 1024 + 1), content_type="text/plain")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_etag_and_304(client):
    first = client.get("/lab/api/etag")
    assert first.status_code == 200
    tag = first["ETag"]
    again = client.get("/lab/api/etag", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag
    other = client.get("/lab/api/etag", headers={"If-None-Match": '"old"'})
    assert other.status_code == 200


def test_an_unmet_if_match_gets_a_412_problem_document(client):
    response = client.put("/lab/api/etag", headers={"If-Match": '"old"'})
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert "GET it for the current ETag" in json.loads(response.content)["detail"]
    assert client.put("/lab/api/etag", headers={"If-Match": '"lab-resource-v1"'}).status_code == 200


def test_jobs_202_then_progress_then_303_to_the_result(client):
    with time_machine.travel("2026-11-24 12:00:00Z", tick=False) as clock:
        started = client.post("/lab/api/jobs")
        assert started.status_code == 202
        poll = started["Location"]
        assert poll.startswith("/lab/api/jobs/")
        running = client.get(poll)
        assert running.status_code == 200
        assert json.loads(running.content) == {"state": "running", "progress": 0}
        assert client.get(poll + "/result").status_code == 404
        clock.shift(1.5)
        assert json.loads(client.get(poll).content)["progress"] == 50
        clock.shift(2)
        done = client.get(poll)
        assert done.status_code == 303
        assert done["Location"] == poll + "/result"
        assert json.loads(client.get(done["Location"]).content)["state"] == "done"
    assert client.get("/lab/api/jobs").status_code == 405
    assert client.get("/lab/api/jobs/forged-id").status_code == 404


@pytest.mark.parametrize(
    "fault, code", [("bad-response", 502), ("overloaded", 503), ("slow", 504), ("nope", 404)]
)
def test_gateway_faults(client, fault, code):
    response = client.get(f"/lab/api/gateway/{fault}")
    assert response.status_code == code
    if code == 503:
        assert response["Retry-After"] == "30"


def test_lab_posts_need_no_csrf_token(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/lab/api/status/201").status_code == 201
