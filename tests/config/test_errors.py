"""Error pages render in the layout, with the right status and words that teach it."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_teaching_page(response, status: HTTPStatus, words: str):
    assert response.status_code == status
    html = response.content.decode()
    assert f"{status.value}" in html
    assert words in html
    assert 'href="/"' in html  # a way home
    assert '<a class="skip-link"' in html  # inside the site layout


def test_404_page(client):
    response = client.get("/no-such-page/")
    assert_teaching_page(response, HTTPStatus.NOT_FOUND, "There is no page at")
    assert "404 Not Found" in response.text


def test_405_page_keeps_the_allow_header(client):
    response = client.post("/")
    assert_teaching_page(response, HTTPStatus.METHOD_NOT_ALLOWED, "does not accept a")
    assert response["Allow"] == "GET, HEAD"  # HEAD wherever GET (issue 13)
    assert "<code>POST</code>" in response.text


def test_400_page_for_a_host_the_site_does_not_serve(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_teaching_page(response, HTTPStatus.BAD_REQUEST, "400 Bad Request")


def test_403_page_for_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert_teaching_page(response, HTTPStatus.FORBIDDEN, "security token was missing")


def test_403_page_for_a_refused_request(client, settings):
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    response = client.get("/forbidden/")
    assert_teaching_page(response, HTTPStatus.FORBIDDEN, "You are not allowed to open this page")


def test_500_page(settings):
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert_teaching_page(response, HTTPStatus.INTERNAL_SERVER_ERROR, "went wrong on our side")


def test_500_page_renders_when_the_session_store_is_down(settings, django_user_model):
    """A 5xx page must not need the database: no account menu, no review badge."""
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("ada", password="x-long-pass-1"))
    broken = OperationalError("database is unavailable")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=broken):
        response = client.get("/crash/")
    assert_teaching_page(response, HTTPStatus.INTERNAL_SERVER_ERROR, "went wrong on our side")
    assert "Log out" not in response.text


def test_the_404_page_never_shows_the_url_patterns(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "URLPattern" not in response.text and "tried" not in response.text
