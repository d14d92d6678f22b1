"""A learner's review, interview and lesson pages are kept whole until something on them
changes (quiz/progress/kept.py): a second look reads the cache, and every write of theirs, a
card falling due or a minute on the review page's clock shows afresh."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.models import Lesson

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

LESSON = "/learn/401-vs-403/"
PASSWORD = "correct-horse-battery-staple-42"
TOKEN = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def learner_client(db):
    """A browser whose learner has made progress: a lesson marked done elsewhere."""
    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/csrf").json()["token"]
    other = Lesson.objects.published().exclude(slug="401-vs-403").first()
    made = browser.post(
        f"/progress/lessons/{other.slug}/", {"done": "1"}, headers={"X-CSRFToken": token}
    )
    assert made.status_code == HTTPStatus.SEE_OTHER
    return browser


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return len(captured), response.text


@pytest.mark.parametrize("path", ["/review/", "/interview/", LESSON])
def test_a_second_look_reads_the_kept_page(learner_client, path):
    first, page = queries(learner_client, path)
    second, again = queries(learner_client, path)
    assert second <= 2 < first  # the session's learner and, at most, the session itself
    assert TOKEN.sub("", again) == TOKEN.sub("", page)  # but for the token, masked afresh


def test_marking_the_lesson_done_shows_at_once(learner_client):
    assert "Mark as done" in learner_client.get(LESSON).text
    token = learner_client.get("/csrf").json()["token"]
    learner_client.post(
        "/progress/lessons/401-vs-403/", {"done": "1"}, headers={"X-CSRFToken": token}
    )
    assert "Done: you marked this lesson as read." in learner_client.get(LESSON).text


def test_the_kept_page_carries_each_browsers_own_token(learner_client):
    """The page is kept once for the learner; the token in it is the asking browser's."""
    learner_client.get(LESSON)
    page = learner_client.get(LESSON).text
    token = page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    done = learner_client.post(
        "/progress/lessons/401-vs-403/", {"done": "1"}, headers={"X-CSRFToken": token}
    )
    assert done.status_code == HTTPStatus.SEE_OTHER


def test_the_review_pages_clock_moves_on(learner_client):
    """A quiz answer makes a card due in minutes; the page says how long, a minute at a time."""
    token = learner_client.get("/csrf").json()["token"]
    quiz = learner_client.post(
        "/quiz/status-codes-at-a-glance/start/",
        {"mode": "practice"},
        headers={"X-CSRFToken": token},
    )
    assert quiz.status_code == HTTPStatus.SEE_OTHER
    answered = learner_client.post(
        quiz["Location"], {"answer": "200", "choice": "1"}, headers={"X-CSRFToken": token}
    )
    assert answered.status_code in (HTTPStatus.OK, HTTPStatus.SEE_OTHER, HTTPStatus.CREATED)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = learner_client.get("/review/").text
    with time_machine.travel(now + timedelta(seconds=90), tick=False):
        later = learner_client.get("/review/").text
    assert "from now" in first
    assert first != later


def test_a_waiting_message_is_shown_on_the_next_page(learner_client):
    learner_client.get("/interview/")
    learner_client.get("/interview/")  # kept
    token = learner_client.get("/csrf").json()["token"]
    form = {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    signed_up = learner_client.post(
        "/accounts/signup/?next=/interview/", form, headers={"X-CSRFToken": token}
    )
    assert signed_up.status_code == HTTPStatus.SEE_OTHER
    page = learner_client.get(signed_up["Location"]).text
    assert "Welcome, ada: your account is ready" in page
    assert "Welcome, ada" not in learner_client.get("/interview/").text  # shown once
