"""Every response carries the security headers: strict CSP, nosniff, referrer, COOP, framing.

The same URL list as the fuzz test, plus every error page (400, 403, 404, 405, 412, 429,
500), a static file, the lab's JSON and the admin's log-in page.
"""

from http import HTTPStatus

import pytest
from django.test import Client

from tests.security.routes import site_routes

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name.lower()] = values
    return parsed


def assert_secure_headers(response, where: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert policy, f"{where}: no Content-Security-Policy"
    csp = directives(policy)
    assert csp.get("default-src") == ["'self'"], f"{where}: {policy}"
    script = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, f"{where}: {policy}"
    assert all(source == "'self'" or source.startswith("'nonce-") for source in script), policy
    assert csp.get("object-src") == ["'none'"], f"{where}: {policy}"
    assert csp.get("base-uri") == ["'self'"], f"{where}: {policy}"
    framing = csp.get("frame-ancestors") == ["'none'"] or response.get("X-Frame-Options") == "DENY"
    assert framing, f"{where}: may be framed"
    assert response.get("X-Frame-Options") == "DENY", f"{where}: no X-Frame-Options"
    assert response.get("X-Content-Type-Options") == "nosniff", f"{where}: no nosniff"
    assert response.get("Referrer-Policy") in (
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    ), where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", f"{where}: no COOP"


def test_every_route(world):
    problems = []
    for route in site_routes():
        path = route.fill({name: world.values[name][0] for name in route.parameters})
        for who in ("stranger", "member"):
            for method in ("GET", "POST"):
                response = world.client(who).generic(method, path)
                try:
                    assert_secure_headers(
                        response, f"{who} {method} {path} ({response.status_code})"
                    )
                except AssertionError as problem:
                    problems.append(str(problem).splitlines()[0])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/", {"HTTP_HOST": "evil.example"}, HTTPStatus.BAD_REQUEST),
        ("/no-such-page/", {}, HTTPStatus.NOT_FOUND),
        ("/no-such-page/", {"HTTP_HX_REQUEST": "true"}, HTTPStatus.NOT_FOUND),
        ("/", {"REQUEST_METHOD": "DELETE"}, HTTPStatus.METHOD_NOT_ALLOWED),
        ("/lab/api/etag", {"HTTP_IF_MATCH": '"other"'}, HTTPStatus.PRECONDITION_FAILED),
        ("/lab/api/echo", {"HTTP_ACCEPT": "application/json"}, HTTPStatus.OK),
        ("/lab/api/status/503", {}, HTTPStatus.SERVICE_UNAVAILABLE),
        ("/lab/api/etag", {"HTTP_IF_NONE_MATCH": '"lab-resource-v1"'}, HTTPStatus.NOT_MODIFIED),
        ("/admin/login/", {}, HTTPStatus.OK),
        ("/static/css/site.css", {}, HTTPStatus.OK),
        ("/static/img/favicon.svg", {}, HTTPStatus.OK),
        ("/healthz", {}, HTTPStatus.OK),
    ],
)
def test_error_pages_static_files_and_the_lab(client, path, headers, status):
    method = headers.pop("REQUEST_METHOD", "GET")
    response = client.generic(method, path, **headers)
    assert response.status_code == status
    assert_secure_headers(response, path)


def test_the_403_page_for_a_missing_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert_secure_headers(response, "csrf")


def test_the_429_pages(client, settings):
    settings.LAB_RATE_LIMIT = 1
    client.get("/lab/api/echo")
    response = client.get("/lab/api/echo")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_secure_headers(response, "lab 429")

    settings.LOGIN_RATE_LIMIT = "1/minute"
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_secure_headers(response, "log-in 429")


def test_the_500_page(settings):
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert_secure_headers(response, "500")
