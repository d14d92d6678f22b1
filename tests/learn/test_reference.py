"""The status-code reference: a page for every registered code, and search."""

from http import HTTPStatus

import pytest

from learn.models import StatusCode
from learn.registry import REGISTERED, display_name, python_names

pytestmark = pytest.mark.django_db


def result_codes(html: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'href="/codes/(\d{3})/"', html)}


@pytest.mark.parametrize("code", sorted(REGISTERED))
def test_every_registered_code_has_a_page_with_its_name(client, code):
    response = client.get(f"/codes/{code}/")
    assert response.status_code == HTTPStatus.OK
    assert f"{code}</span> {REGISTERED[code]}</h1>".replace("'", "&#x27;") in response.text


def test_the_registry_covers_every_code_python_knows():
    assert python_names() <= set(REGISTERED)


def test_shipped_names_match_the_registry():
    shipped = dict(StatusCode.objects.filter(official=True).values_list("code", "name"))
    assert shipped == REGISTERED


@pytest.mark.parametrize(
    "code,former", [(413, "Payload Too Large"), (416, "Requested Range Not Satisfiable"),
                    (422, "Unprocessable Entity"), (418, "I&#x27;m a teapot")]
)  # fmt: skip
def test_rfc_9110_names_mention_the_former_ones(client, code, former):
    assert former in client.get(f"/codes/{code}/").text


@pytest.mark.parametrize("path", ["/codes/999/", "/codes/abc/", "/codes/42/", "/codes/0404/"])
def test_unknown_codes_get_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "There is no page at" in response.text


@pytest.mark.parametrize(
    "code,header",
    [(405, "Allow"), (401, "WWW-Authenticate"), (407, "Proxy-Authenticate"), (201, "Location"),
     (301, "Location"), (308, "Location"), (429, "Retry-After"), (503, "Retry-After"),
     (206, "Content-Range"), (416, "Content-Range"), (101, "Upgrade"), (426, "Upgrade")],
)  # fmt: skip
def test_code_pages_name_the_headers_the_spec_ties_to_them(client, code, header):
    html = client.get(f"/codes/{code}/").text
    assert f"<td><code>{header}</code></td>" in html


def test_code_page_shows_flags_example_and_related_codes(client):
    html = client.get("/codes/404/").text
    assert "Cacheable by default" in html
    assert "Yes: a cache may store it without explicit freshness" in html
    assert 'rfc9110#section-15.1">RFC 9110 §15.1</a>' in html
    assert "Safe to retry" in html
    assert "Example exchange" in html and "HTTP/1.1" in html
    assert 'href="/codes/410/"' in html
    assert "rfc9110#section-15.5.5" in html


def test_unofficial_codes_are_plainly_marked(client):
    html = client.get("/codes/499/").text
    assert "<strong>Unofficial.</strong>" in html
    assert "unofficial" in client.get("/codes/").text


@pytest.mark.parametrize("code,words", [(418, "RFC 2324"), (451, "RFC 7725")])
def test_joke_and_legal_codes_keep_their_history(client, code, words):
    html = client.get(f"/codes/{code}/").text
    assert ">History</h2>" in html
    assert words in html


def test_code_list_groups_every_code_by_class(client):
    html = client.get("/codes/").text
    for digit in range(1, 6):
        assert f'id="class-{digit}"' in html
    assert result_codes(html) >= set(REGISTERED)


def test_search_by_number_prefix(client):
    codes = result_codes(client.get("/codes/", {"q": "40"}).text)
    assert codes == {c for c in range(400, 410) if c in REGISTERED}


def test_search_by_word_finds_the_gateway_codes(client):
    codes = result_codes(client.get("/codes/", {"q": "gateway"}).text)
    assert {502, 504} <= codes
    assert 404 not in codes


def test_search_finds_the_teapot(client):
    codes = result_codes(client.get("/codes/", {"q": "teapot"}).text)
    assert 418 in codes


def test_search_with_no_match_says_so(client):
    html = client.get("/codes/", {"q": "zebra crossing"}).text
    assert "No status code matches" in html


def test_search_over_htmx_returns_only_the_results(client):
    response = client.get("/codes/", {"q": "gateway"}, headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    assert response.text.lstrip().startswith('<div id="code-results"')
    assert "<header" not in response.text


def test_an_overlong_search_is_a_clear_400(client):
    response = client.get("/codes/", {"q": "x" * 101})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That search is too long" in response.text


def test_a_search_with_control_characters_is_a_clear_400(client):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/codes/", {"q": "40\x00"}, headers=headers)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "control characters" in response.text


def test_link_labels_use_the_common_name_for_418():
    assert display_name(418) == "I'm a teapot"
    assert display_name(404) == "Not Found"


def test_code_list_queries_are_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/codes/")
    with django_assert_max_num_queries(3):
        client.get("/codes/", {"q": "gateway"})


def test_code_page_queries_are_bounded(client, django_assert_max_num_queries):
    for code in (100, 404, 503):
        with django_assert_max_num_queries(6):
            client.get(f"/codes/{code}/")
