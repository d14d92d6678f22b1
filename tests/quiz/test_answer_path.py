"""The answer's path, built for speed (issue 18): what it costs in queries, and that a race
with another review of the same card still records everything exactly once."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz import services
from quiz.models import Answer, Attempt, Question
from quiz.progress.models import CodeEvidence, Confusion, ReviewCard, ReviewLog
from tests.quiz.conftest import number_of, start

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "question-card"}
# The issue's bound for an answer, BEGIN and COMMIT included; one more where sessions are read
# from the database (no shared cache: PostgreSQL without REDIS_URL).
MOST_QUERIES = 10 if settings.SESSION_ENGINE == "config.sessions" else 11


def url(attempt, n):
    return f"/quiz/attempts/{attempt.pk}/{n}/"


def position(attempt, slug):
    return attempt.question_ids.index(Question.objects.get(slug=slug).pk) + 1


def forms(attempt):
    """For each question of the test quiz, a right and a wrong answer (the wrong single choice
    names another code, 401 or 404, so it records a confusion as well)."""
    role, multi = Question.objects.get(slug="t-role"), Question.objects.get(slug="t-multi")
    return {
        "t-role": ({"choice": number_of(attempt, role, correct=True)[0]},
                   {"choice": number_of(attempt, role, correct=False)[0]}),
        "t-code": ({"answer": "201"}, {"answer": "404"}),
        "t-tf": ({"answer": "false"}, {"answer": "true"}),
        "t-multi": ({"choice": number_of(attempt, multi, correct=True)},
                    {"choice": number_of(attempt, multi, correct=False)}),
    }  # fmt: skip


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_every_answer_costs_at_most_ten_queries_begin_and_commit_included(client, quiz, right):
    warm = start(client)  # the questions read once, as any page of them would
    for n in range(1, warm.total + 1):
        client.get(url(warm, n))
    attempt = start(client)
    for slug, (good, bad) in forms(attempt).items():
        n = position(attempt, slug)
        client.get(url(attempt, n))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url(attempt, n), good if right else bad, headers=HTMX)
        assert response.status_code == HTTPStatus.CREATED, slug
        assert len(queries) <= MOST_QUERIES, (slug, [q["sql"][:80] for q in queries])
    assert Answer.objects.filter(attempt=attempt).count() == 4
    assert Attempt.objects.get(pk=attempt.pk).finished_at is not None  # the last closed it
    if not right:
        assert Confusion.objects.exists()  # the costliest answer was among them


def test_a_question_page_is_one_query_once_its_question_was_read(client, quiz, shared_cache):
    attempt = start(client)
    client.get(url(attempt, 1))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(attempt, 1)).status_code == HTTPStatus.OK
    assert len(queries) == 1, [q["sql"][:80] for q in queries]


def test_a_card_changed_since_it_was_read_is_read_again_and_reviewed_once(client, quiz):
    """Two tabs: the card is read with the attempt, another review commits, then this one."""
    first, second = start(client), start(client)
    code = Question.objects.get(slug="t-code")
    client.post(url(first, position(first, "t-code")), {"answer": "201"})
    read = Attempt.objects.for_question(
        second.pk, position(second, "t-code"), user_id=None, learner_id=second.learner_id,
        card=True,
    )  # fmt: skip
    assert read.at_card.reviews == 1
    other = start(client)  # the other tab answers first
    client.post(url(other, position(other, "t-code")), {"answer": "404"})
    answer = services.answer_submit(
        attempt=read, question=code, given=services.Given(code=201), card=read.at_card
    )
    card = ReviewCard.objects.get(question=code)
    assert card.reviews == 3 and card.lapses == 1  # all three reviews, none lost
    assert ReviewLog.objects.filter(card=card).count() == 3
    assert answer.correct and Answer.objects.filter(question=code).count() == 3
    assert Attempt.objects.get(pk=second.pk).answered == 1


def test_a_card_created_since_the_attempt_was_read_is_reviewed_not_duplicated(client, quiz):
    first, second = start(client), start(client)
    code = Question.objects.get(slug="t-code")
    read = Attempt.objects.for_question(
        second.pk, position(second, "t-code"), user_id=None, learner_id=second.learner_id,
        card=True,
    )  # fmt: skip
    assert read.at_card is None
    client.post(url(first, position(first, "t-code")), {"answer": "201"})  # creates the card
    services.answer_submit(
        attempt=read, question=code, given=services.Given(code=201), card=read.at_card
    )
    card = ReviewCard.objects.get(question=code)
    assert card.reviews == 2 and ReviewLog.objects.filter(card=card).count() == 2
    assert CodeEvidence.objects.get(code=201).answered == 2


def test_an_answer_refused_leaves_no_trace(client, quiz):
    attempt = start(client, mode="interview")
    n = position(attempt, "t-code")
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        response = client.post(url(attempt, n), {"answer": "201"}, headers=HTMX)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "Time is up" in response.text
    assert not Answer.objects.exists() and not ReviewCard.objects.exists()
    assert not CodeEvidence.objects.exists()
    attempt.refresh_from_db()
    assert attempt.answered == 0 and attempt.finished_at == attempt.deadline


def test_the_badge_follows_answers_and_the_clock(client, quiz):
    """The due count is kept between pages, yet shows every answer and every card falling due."""
    now = timezone.now()

    def badge(html: str) -> str | None:
        start_at = html.find('class="badge"')
        return None if start_at < 0 else html[start_at:].split(">", 1)[1].split("<", 1)[0]

    with time_machine.travel(now, tick=False):
        attempt = start(client)
        assert badge(client.get(url(attempt, 1)).text) is None
        client.post(url(attempt, position(attempt, "t-code")), {"answer": "404"})  # 1 minute
        assert badge(client.get(url(attempt, 1)).text) is None
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        assert badge(client.get(url(attempt, 1)).text) == "1"
        client.post(url(attempt, position(attempt, "t-tf")), {"answer": "true"})
        assert badge(client.get(url(attempt, 1)).text) == "1"
    with time_machine.travel(now + timedelta(seconds=130), tick=False):
        assert badge(client.get(url(attempt, 1)).text) == "2"


@pytest.mark.parametrize(
    "path", ["/quiz/attempts/10000000000000000000000000/1/", "/quiz/attempts/1/99999999999/"]
)
def test_an_attempt_number_too_large_for_the_database_is_not_found(client, path):
    """The attempt is read in SQL of its own: a number no row can have is a 404, not a 500."""
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND
