"""Every response says how it may be cached: only content pages for visitors without a session
are public, pages with secrets are never stored, and a browser forgets shared pages when the
visitor changes.

Before issue 19, per-learner pages (the quiz, progress, review, the lab, sign-up) sent no
`Cache-Control` at all, which lets a shared cache store them heuristically.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from tests.security.routes import site_routes

pytestmark = pytest.mark.django_db

# learn/caching.py content_page: the same page for every visitor without a session.
PUBLIC_ROUTES = {
    "home",
    "learn:lesson_list",
    "learn:lesson_detail",
    "learn:code_list",
    "learn:code_detail",
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
            if not policy:
                problems.append(f"{where}: no Cache-Control")
            elif "public" in policy and not (
                route.name in PUBLIC_ROUTES and who == "stranger" and response.status_code == 200
            ):
                problems.append(f"{where}: public")
            elif route.name in SECRET_ROUTES and "no-store" not in policy:
                problems.append(f"{where}: stored")
            elif "public" not in policy and "no-store" not in policy and "private" not in policy:
                problems.append(f"{where}: neither public, private nor no-store")
            if "public" in policy and (response.cookies or "Cookie" in response.get("Vary", "")):
                problems.append(f"{where}: public, yet per visitor")
    assert not problems, "\n".join(problems)


def test_content_pages_are_public_for_a_stranger_and_private_for_a_learner(world):
    for who, expected in (("stranger", "public"), ("anonymous", "private")):
        response = world.client(who).get("/learn/401-vs-403/")
        assert response.status_code == HTTPStatus.OK
        assert expected in response["Cache-Control"], who


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
