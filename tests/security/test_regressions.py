"""Bugs the fuzzer and the header walk found, pinned."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["²", "①②", "٤٠٤"])
def test_a_search_for_digits_that_are_not_ascii_is_not_a_server_error(client, query):
    """ "²".isdigit() is true, yet int("²") fails: it was a 500."""
    response = client.get("/codes/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert "No status code matches" in response.text


def test_an_unmet_if_match_gets_the_412_page(client, settings):
    """Django's conditional-request handling answered 412 with an empty body."""
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    response = client.get("/versioned/", headers={"If-Match": '"stale"'})
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "412 Precondition Failed" in response.text
    assert "If-Match" in response.text
    assert '<a class="skip-link"' in response.text  # inside the site layout


def test_an_unmet_if_match_from_htmx_gets_a_message(client, settings):
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    response = client.get("/versioned/", headers={"If-Match": '"stale"', "HX-Request": "true"})
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "412 Precondition Failed" in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/", {"HTTP_HOST": "evil.example"}), ("/static/img/favicon.svg", {})],
)
def test_responses_made_before_the_views_carry_csp_and_frame_options(client, path, headers):
    """The 400 for an unknown host and whitenoise's static files had neither header."""
    response = client.get(path, **headers)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("model", ["learn/lesson", "quiz/question"])
def test_an_admin_preview_of_an_id_that_is_not_a_number_is_not_a_server_error(admin_client, model):
    """`<path:object_id>` let "abc" through to a pk lookup: a ValueError and a 500."""
    admin_client.raise_request_exception = False
    response = admin_client.get(f"/admin/{model}/abc/preview/", follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "doesn’t exist" in response.text
