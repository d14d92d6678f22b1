"""Every response says how it may be cached: only content pages for visitors without a session
may be kept by every cache, pages with secrets are never stored, and a browser forgets shared
pages when the visitor changes.

Before issue 19, per-learner pages (the quiz, progress, review, the lab, sign-up) sent no
`Cache-Control` at all, which lets a shared cache store them heuristically.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from tests.security.routes import site_routes

pytestmark = pytest.mark.django_db

SHARED = "max-age=60, stale-while-revalidate=30, stale-if-error=86400"
PRIVATE = "private, max-age=0, must-revalidate"
# learn/caching.py content_page: the same page for every visitor without a session.
SHARED_ROUTES = {
    "home",
    "learn:lesson_list",
    "learn:lesson_detail",
    "learn:code_list",
    "learn:code_detail",
    "learn:search",
    "interview:cheatsheet",
}
# Pages holding something no cache may keep: personal data, a password form, a fresh token.
SECRET_ROUTES = {
    "progress:export",
    "progress:delete",
    "signup",
    "login",
    "password_change",
    "csrf",
    "admin:login",
}


def test_every_route_says_how_it_may_be_cached(world):
    problems = []
    for route in site_routes():
        path = route.fill({name: world.values[name][0] for name in route.parameters})
        for who in ("stranger", "anonymous", "member"):
            response = world.client(who).get(path)
            policy = response.get("Cache-Control", "")
            where = f"{who} GET {path} ({response.status_code}): {policy!r}"
            shared = route.name in SHARED_ROUTES and who == "stranger"
            if shared and response.status_code == 200:
                expected = SHARED
            elif route.name in SECRET_ROUTES:
                expected = "no-store"
            else:
                expected = {PRIVATE, "no-store"}  # the lab's API says no-store
            if policy != expected and policy not in expected:
                problems.append(f"{where}: expected {expected!r}")
            if policy == SHARED and (response.cookies or "Cookie" in response.get("Vary", "")):
                problems.append(f"{where}: shared, yet per visitor")
    assert not problems, "\n".join(problems)


def test_content_pages_are_shared_for_a_stranger_and_private_for_a_learner(world):
    for who, expected in (("stranger", SHARED), ("anonymous", PRIVATE), ("member", PRIVATE)):
        response = world.client(who).get("/learn/401-vs-403/")
        assert response.status_code == HTTPStatus.OK
        assert response["Cache-Control"] == expected, who


def test_the_first_progress_makes_the_browser_forget_shared_pages(client):
    first = client.post("/progress/lessons/401-vs-403/", {"done": "1"})
    second = client.post("/progress/lessons/client-errors/", {"done": "1"})

    assert first.status_code == second.status_code == HTTPStatus.SEE_OTHER
    assert first["Clear-Site-Data"] == '"cache"'  # the session started
    assert not second.has_header("Clear-Site-Data")  # the same visitor


def test_logging_in_and_out_makes_the_browser_forget_shared_pages(client):
    get_user_model().objects.create_user("ada", password="a long passphrase 42")

    logged_in = client.post(
        "/accounts/login/", {"username": "ada", "password": "a long passphrase 42"}
    )
    logged_out = client.post("/accounts/logout/")

    assert logged_in.status_code == logged_out.status_code == HTTPStatus.FOUND
    assert logged_in["Clear-Site-Data"] == '"cache"'
    assert logged_out["Clear-Site-Data"] == '"cache"'
