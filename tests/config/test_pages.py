"""The home page, the section roots and the health check."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = {
    "learn:lesson_list": "/learn/",
    "learn:code_list": "/codes/",
    "quiz:quiz_home": "/quiz/",
    "interview:home": "/interview/",
    "progress:dashboard": "/progress/",
}


def test_home_says_what_the_site_is_for(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert "HTTP status code" in response.text
    assert "Status Academy" in response.text


def test_home_leads_to_every_section(client):
    html = client.get("/").text
    for path in SECTIONS.values():
        assert f'href="{path}"' in html


@pytest.mark.parametrize("name,path", SECTIONS.items())
def test_section_roots_answer_200(client, name, path):
    assert reverse(name) == path
    assert client.get(path).status_code == HTTPStatus.OK


def test_navigation_marks_the_current_section(client):
    html = client.get("/codes/").text
    assert '<a href="/codes/" aria-current="page">Reference</a>' in html
    assert '<a href="/learn/" aria-current="page">' not in html


def test_layout_has_skip_link_and_landmarks(client):
    html = client.get("/").text
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html


def test_htmx_is_served_from_the_site_and_swaps_form_errors(client):
    html = client.get("/").text
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
    assert '"allowEval":false' in html
    assert '{"code":"(400|404|409|422)","swap":true' in html


def test_healthz_answers_200_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"  # never_cache, reduced to what counts


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unreachable"
    assert response["Retry-After"] == "30"


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
