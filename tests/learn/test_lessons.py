"""Lesson pages: the list in reading order, and each lesson's parts."""

import re
from http import HTTPStatus

import pytest
from django.utils.html import escape

from learn.models import Lesson

pytestmark = pytest.mark.django_db

REQUIRED_LESSONS = [
    "status-codes-at-a-glance",
    "informational",
    "success",
    "redirection",
    "client-errors",
    "server-errors",
    "401-vs-403",
    "redirects-and-methods",
    "rate-limiting-and-backoff",
    "handling-statuses-in-fetch",
    "success-codes-for-apis",
    "validation-errors",
    "gateways-and-proxies",
    "caching-and-conditional-requests",
    "common-mistakes",
    "status-codes-in-real-apis",
    "webhooks",
]


def test_every_required_lesson_is_published():
    published = set(Lesson.objects.published().values_list("slug", flat=True))
    assert set(REQUIRED_LESSONS) <= published


def test_lesson_list_groups_lessons_in_reading_order(client):
    html = client.get("/learn/").text
    headings = re.findall(r'<h2 id="group-\d">([^<]+)</h2>', html)
    assert headings == ["Fundamentals", "The five classes", "Topics"]
    order = re.findall(r'class="lesson-link" href="/learn/([^/]+)/"', html)
    assert order[0] == "status-codes-at-a-glance"
    assert order.index("informational") < order.index("server-errors") < order.index("401-vs-403")
    assert set(REQUIRED_LESSONS) <= set(order)


@pytest.mark.parametrize("slug", REQUIRED_LESSONS)
def test_lesson_page_has_every_part(client, slug):
    lesson = Lesson.objects.get(slug=slug)
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert f">{escape(lesson.title)}</h1>" in html
    assert "min read" in html
    assert "Key takeaways" in html
    assert 'class="toc"' in html and re.search(r'<h2 id="[^"]+">', html)
    assert '<details class="followup">' in html
    assert "Codes in this lesson" in html
    assert 'rel="next"' in html or 'rel="prev"' in html


@pytest.mark.parametrize("slug", REQUIRED_LESSONS)
def test_lesson_shows_code_in_two_stacks(client, slug):
    body = Lesson.objects.get(slug=slug).body
    assert "```javascript" in body or "```js" in body
    assert "```python" in body


def test_a_comparison_reads_as_a_table(client):
    html = client.get("/learn/redirects-and-methods/").text
    assert "<table>" in html and "308" in html


def test_codes_in_a_lesson_link_to_their_reference_pages(client):
    html = client.get("/learn/401-vs-403/").text
    assert 'href="/codes/401/"' in html
    assert 'href="/codes/403/"' in html


def test_previous_and_next_follow_the_reading_order(client):
    html = client.get("/learn/informational/").text
    assert re.search(r'href="/learn/status-codes-at-a-glance/" rel="prev"', html)
    assert re.search(r'href="/learn/success/" rel="next"', html)


def test_unknown_lesson_is_a_404(client):
    response = client.get("/learn/no-such-lesson/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_draft_lesson_is_hidden_from_learners(client):
    Lesson.objects.filter(slug="webhooks").update(published=False)
    assert client.get("/learn/webhooks/").status_code == HTTPStatus.NOT_FOUND
    assert "/learn/webhooks/" not in client.get("/learn/").text


def test_lesson_list_queries_are_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/learn/")


def test_lesson_page_queries_are_bounded(client, django_assert_max_num_queries):
    for slug in ("status-codes-at-a-glance", "client-errors", "webhooks"):
        with django_assert_max_num_queries(9):  # 6, and 3 for "check yourself" (issue 16)
            client.get(f"/learn/{slug}/")
