"""The interview drill in the learner's progress: readiness on /progress/, follow-up cards in
the review queue, export, delete, the merge on log-in, query counts that ignore the history's
length, and the migration that made cards a question's or a follow-up's."""

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fsrs import Rating

from learn.models import FollowUp, Lesson
from quiz.models import Question
from quiz.progress.learners import learner_merge, stale_learners
from quiz.progress.models import DrillAnswer, Learner, MockInterview, ReviewCard, ReviewLog
from quiz.progress.review import card_review, followup_review
from tests import servers
from tests.progress.test_figures import log_in
from tests.quiz.conftest import DRILL, drill_rate

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"
LESSON = "401 vs 403 (and when to answer 404)"


def squeezed(html: str) -> str:
    return " ".join(html.split())


def followup(key: str = "401-vs-403-difference") -> FollowUp:
    return FollowUp.objects.get(lesson__slug="401-vs-403", key=key)


# Readiness and the follow-ups due on /progress/ -----------------------------------------------


def test_progress_shows_interview_readiness_per_lesson(client):
    page = squeezed(client.get("/progress/").text)
    assert "You have not drilled any interview questions yet." in page
    drill_rate(client, made=[1, 3])  # 2 of the first follow-up's 4 points
    other = "/interview/lessons/401-vs-403/github-404-for-private-repo/"
    drill_rate(client, "", made=[1], url=other)  # 1 of 3
    drill_rate(client, "", made=[1, 2, 3], url=other)  # the latest answer counts: 3 of 3
    points = sum(len(f.rubric) for f in Lesson.objects.get(slug="401-vs-403").followups.all())
    page = squeezed(client.get("/progress/").text)
    assert '<h2 id="readiness-title">Interview readiness</h2>' in page
    assert f'aria-label="{LESSON}: 5 of {points} points"' in page
    assert f"{LESSON}</a> <progress" in page and f"5 of {points} points</span>" in page
    assert "None due right now." in page
    home = squeezed(client.get("/interview/").text)
    assert f"4 questions · 5 of {points} points" in home


def test_progress_lists_the_follow_ups_due(client):
    drill_rate(client, rating=1)
    ReviewCard.objects.update(due=timezone.now() - timedelta(minutes=1))
    page = squeezed(client.get("/progress/").text)
    assert 'What is the difference between 401 and 403? <span class="meta">(' in page
    assert "Drill the interview questions due (1)" in page
    assert '<p class="stat-value">1</p><p class="stat-label">Review due' in page


# Export, delete, merge --------------------------------------------------------------------------


def test_export_has_drill_answers_follow_up_cards_and_mock_interviews(client):
    drill_rate(client, made=[1, 2], rating=2)
    client.post("/interview/mock/start/")
    data = json.loads(client.get("/progress/export/").content)
    assert data["format"] == "status-academy-progress/2"
    [answer] = data["drill_answers"]
    assert answer["followup"] == "401-vs-403/401-vs-403-difference"
    assert answer["text"].startswith("401 means the request has no valid credentials")
    assert [m["made"] for m in answer["marks"]] == [True, True, False, False]
    assert [m["found"] for m in answer["marks"]] == [True, False, True, False]
    assert (answer["made"], answer["points"], answer["rating"], answer["mock"]) == (
        2,
        4,
        "Hard",
        None,
    )
    assert answer["seconds"] >= 0 and answer["answered_at"] and answer["served_at"]
    [card] = data["review_cards"]
    assert (card["question"], card["followup"]) == (None, "401-vs-403/401-vs-403-difference")
    assert data["review_logs"][0]["rating"] == 2
    [mock] = data["mock_interviews"]
    assert len(mock["followups"]) == 5 and all("/" in name for name in mock["followups"])


def test_delete_removes_drill_answers_cards_and_mocks(client):
    drill_rate(client)
    client.post("/interview/mock/start/")
    response = client.post("/progress/delete/", {"confirm": "on"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    for model in (Learner, DrillAnswer, MockInterview, ReviewCard, ReviewLog):
        assert not model.objects.exists(), model
    assert FollowUp.objects.filter(pk=followup().pk).exists()  # content stays


def test_logging_in_moves_drill_answers_and_merges_follow_up_cards(client):
    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    account = Learner.objects.create(user=user)
    now = timezone.now()
    # The account drilled the follow-up once on another device; this browser, twice.
    followup_review(learner=account, followup=followup(), rating=Rating.Again, when=now)
    drill_rate(client, rating=3)
    drill_rate(client, rating=3)
    client.post("/interview/mock/start/")
    anonymous = Learner.objects.get(user__isnull=True)

    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert not Learner.objects.filter(pk=anonymous.pk).exists()
    assert DrillAnswer.objects.filter(learner=account).count() == 2
    assert MockInterview.objects.get().learner == account
    card = ReviewCard.objects.get()  # one card: the browser's, with more reviews
    assert (card.learner, card.followup, card.reviews) == (account, followup(), 2)
    assert ReviewLog.objects.filter(card=card).count() == 3  # no review lost


def test_merge_keeps_question_and_follow_up_cards_apart(quiz):
    question = Question.objects.get(slug="t-code")
    source, target = Learner.objects.create(), Learner.objects.create()
    now = timezone.now()
    card_review(learner=source, question=question, correct=True, when=now)
    followup_review(learner=source, followup=followup(), rating=Rating.Good, when=now)
    followup_review(learner=target, followup=followup(), rating=Rating.Good, when=now)
    card_review(learner=target, question=question, correct=True, when=now)
    learner_merge(source=source, target=target)
    kinds = sorted((c.question_id is None, c.followup_id is None) for c in ReviewCard.objects.all())
    assert kinds == [(False, True), (True, False)]
    assert ReviewLog.objects.count() == 4


def test_a_card_is_a_questions_or_a_follow_ups_never_both_nor_neither(quiz):
    learner = Learner.objects.create()
    question = Question.objects.get(slug="t-code")
    fields = {"learner": learner, "fsrs": {}, "due": timezone.now(), "state": 1}
    for subject in ({}, {"question": question, "followup": followup()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReviewCard.objects.create(**fields, **subject)
    ReviewCard.objects.create(**fields, followup=followup())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewCard.objects.create(**fields, followup=followup())  # one per learner
    ReviewCard.objects.create(**fields, question=question)
    assert ReviewCard.objects.count() == 2


# Query counts ---------------------------------------------------------------------------------


def learner_with_drills(count: int) -> Learner:
    """A learner with `count` drill answers over the follow-ups, cards for each follow-up drilled
    (some due), a finished mock interview and one not started."""
    now = timezone.now()
    learner = Learner.objects.create(timezone="Europe/Berlin")
    followups = list(FollowUp.objects.current().order_by("id"))
    mock = MockInterview.objects.create(
        learner=learner, followup_ids=[f.pk for f in followups[:5]], finished_at=now
    )
    MockInterview.objects.create(learner=learner, followup_ids=[f.pk for f in followups[5:10]])
    answers = []
    for i in range(count):
        item = followups[i % len(followups)]
        points = len(item.rubric)
        at = now - timedelta(hours=count - i)
        answers.append(
            DrillAnswer(
                learner=learner,
                followup=item,
                text="no valid credentials",
                marks=[
                    {"point": p["point"], "found": False, "made": n < i % 3}
                    for n, p in enumerate(item.rubric)
                ],
                made=min(points, i % 3),
                points=points,
                rating=1 + i % 4,
                seconds=20 + i % 60,
                served_at=at - timedelta(seconds=20),
                answered_at=at,
                mock=mock if i < 5 else None,
            )
        )
    DrillAnswer.objects.bulk_create(answers)
    for i, item in enumerate(followups[: min(count, len(followups))]):
        due = now + timedelta(days=i % 5 - 2)
        ReviewCard.objects.create(
            learner=learner, followup=item, fsrs={}, due=due, state=2, reviews=1 + i % 3
        )
    return learner


# Each page and the most queries it may run (the session, the user or learner, its figures).
PAGES = [
    ("/progress/", 16),
    ("/review/", 6),
    ("/interview/", 4),
    ("/interview/mixed/", 5),
    ("/interview/due/", 4),
    ("/interview/lessons/401-vs-403/", 5),
    (DRILL, 4),
    ("/interview/mock/", 4),
    ("/interview/cheatsheet/", 4),
    ("mock summary", 6),
    ("mock question", 6),
]


def queries_for(client, learner: Learner, path: str) -> list[str]:
    log_in(client, learner)
    mocks = MockInterview.objects.filter(learner=learner)
    if path == "mock summary":
        path = f"/interview/mock/{mocks.get(finished_at__isnull=False).pk}/"
    elif path == "mock question":
        path = f"/interview/mock/{mocks.get(finished_at__isnull=True).pk}/1/"
    # The clock stands still, so nothing cached for a second (the content version) expires
    # between warming and counting on a slow machine.
    with time_machine.travel(timezone.now(), tick=False):
        client.get(path)  # warm anything cached per process
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def drilled():
    return learner_with_drills(10), learner_with_drills(1000)


@pytest.mark.parametrize("path,most", PAGES)
def test_drill_pages_run_as_many_queries_for_10_drill_answers_as_for_1000(
    client, drilled, path, most
):
    few = queries_for(client, drilled[0], path)
    many = queries_for(client, drilled[1], path)
    assert len(few) == len(many), "\n".join(["10:", *few, "1,000:", *many])
    assert len(many) <= most, "\n".join(many)


# The migration --------------------------------------------------------------------------------


def test_the_migration_keeps_every_existing_card_as_a_questions(tmp_path):
    """quiz 0007 -> 0008 on a throwaway database holding a card and its log: both kept."""
    path = tmp_path / "migrate.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    servers.manage("migrate", "quiz", "0007", "--noinput", env=env)
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            INSERT INTO quiz_learner (timezone, created_at) VALUES ('', '2026-01-01');
            INSERT INTO quiz_question (slug, type, prompt, snippet_language, snippet_code,
                answer_code, explanation, difficulty, published, updated_at, lint_silenced,
                wrong_codes)
            VALUES ('q1', 'code', 'p', '', '', 200, 'e', 1, 1, '2026-01-01', '[]', '{}');
            INSERT INTO quiz_reviewcard (learner_id, question_id, fsrs, due, state, reviews,
                lapses, last_review)
            VALUES (1, 1, '{"state": 2}', '2026-01-02 00:00:00', 2, 3, 1, '2026-01-01 00:00:00');
            INSERT INTO quiz_reviewlog (card_id, rating, reviewed_at, due_after, state_after)
            VALUES (1, 3, '2026-01-01 00:00:00', '2026-01-02 00:00:00', 2);
            """
        )
    servers.manage("migrate", "--noinput", env=env)
    with sqlite3.connect(path) as db:
        cards = db.execute(
            "SELECT id, learner_id, question_id, followup_id, fsrs, due, reviews, lapses "
            "FROM quiz_reviewcard"
        ).fetchall()
        logs = db.execute("SELECT card_id, rating FROM quiz_reviewlog").fetchall()
        with pytest.raises(sqlite3.IntegrityError):  # neither a question's nor a follow-up's
            db.execute(
                "INSERT INTO quiz_reviewcard (learner_id, fsrs, due, state, reviews, lapses) "
                "VALUES (1, '{}', '2026-01-02', 1, 0, 0)"
            )
    assert cards == [(1, 1, 1, None, '{"state": 2}', "2026-01-02 00:00:00", 3, 1)]
    assert logs == [(1, 3)]


def test_due_counts_ignore_cards_of_retired_follow_ups_and_unpublished_lessons(client):
    drill_rate(client)
    ReviewCard.objects.update(due=datetime(2000, 1, 1, tzinfo=UTC))
    assert "1 card due" in client.get("/review/").text
    retired = followup()
    retired.retired_at = timezone.now()
    retired.save()  # as the content loader retires it
    assert "Nothing is due" in client.get("/review/").text
    FollowUp.objects.filter(pk=followup().pk).update(retired_at=None)
    Lesson.objects.filter(slug="401-vs-403").update(published=False)
    assert "Nothing is due" in client.get("/review/").text


def test_an_anonymous_learner_who_drilled_lately_is_not_pruned():
    now = timezone.now()
    drilled, idle = Learner.objects.create(), Learner.objects.create()
    Learner.objects.update(created_at=now - timedelta(days=90))
    DrillAnswer.objects.create(
        learner=drilled,
        followup=followup(),
        made=1,
        points=4,
        rating=3,
        seconds=20,
        served_at=now - timedelta(days=2, seconds=20),
        answered_at=now - timedelta(days=2),
    )
    assert list(stale_learners(days=30, now=now)) == [idle]
