"""Search across everything: lessons, codes and questions from one box, tolerant of typos."""

from http import HTTPStatus

import pytest

from learn.search import Document, Index, within
from quiz.models import Attempt

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def top(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    groups = response.context["groups"]
    first = [result for kind in ("code", "lesson", "question") for result in groups[kind]]
    return max(first, key=lambda result: result.score).document.title


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("forbiden", "403 Forbidden"),  # a missing letter
        ("gatway timeout", "504 Gateway Timeout"),
        ("too many", "429 Too Many Requests"),
        ("404", "404 Not Found"),
        ("not modified", "304 Not Modified"),
        ("unauthorised", "401 Unauthorized"),  # British spelling: one letter off
        ("Payment Requird", "402 Payment Required"),
    ],
)
def test_typos_and_partial_words_find_the_code(client, query, found):
    assert top(client, query) == found


def test_lessons_and_questions_are_found_too(client):
    groups = client.get("/search/", {"q": "retry after backoff"}).context["groups"]
    assert any("Retry-After" in r.document.title for r in groups["lesson"])
    assert groups["question"], "questions about backoff"
    assert all(r.document.action.endswith("/practise/") for r in groups["question"])


def test_nothing_found_says_so(client):
    page = client.get("/search/", {"q": "xyzzy plugh"})
    assert page.status_code == HTTPStatus.OK
    assert "Nothing for “xyzzy plugh”" in page.text


def test_htmx_gets_the_results_alone(client):
    fragment = client.get("/search/", {"q": "teapot"}, headers=HTMX)
    assert fragment.text.lstrip().startswith('<div id="search-results"')
    assert "<html" not in fragment.text


def test_a_bad_query_is_a_clear_400(client):
    for query in ("x" * 101, "40\x00"):
        response = client.get("/search/", {"q": query})
        assert response.status_code == HTTPStatus.BAD_REQUEST


def test_without_javascript_the_header_box_is_a_plain_get_form(client):
    home = client.get("/").text
    assert '<form class="site-search" role="search" method="get" action="/search/">' in home


def test_practise_a_question_found_by_search(client):
    result = client.get("/search/", {"q": "forbidden"}).context["groups"]["question"][0]
    response = client.post(result.document.action)
    assert response.status_code == HTTPStatus.SEE_OTHER
    attempt = Attempt.objects.get()
    assert response["Location"] == attempt.question_url(1) and attempt.total == 1


def test_search_queries_are_bounded(client, django_assert_max_num_queries):
    client.get("/search/", {"q": "warm"})  # the index is built once per content version
    with django_assert_max_num_queries(1):
        client.get("/search/", {"q": "gateway"})


def test_the_edit_distance_counts_swaps_as_one():
    assert within("forbiden", "forbidden", 1)
    assert within("gatweay", "gateway", 1)  # two letters swapped
    assert not within("gateway", "getaway", 1)
    assert within("gateway", "getaway", 2)


def test_a_query_mostly_unknown_finds_nothing():
    index = Index.build([Document("code", "404 Not Found", "/codes/404/", code=404)])
    assert index.search("found") and not index.search("found zzzz yyyy")
