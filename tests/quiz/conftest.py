"""A small quiz with one question of each type, and helpers to answer it."""

import pytest

from quiz.importer import questions_import
from quiz.models import Attempt, Question
from tests.quiz.test_importer import GOOD


@pytest.fixture
def quiz(db):
    questions_import([("test.yaml", GOOD)])
    from quiz.models import Quiz

    return Quiz.objects.get(slug="test-quiz")


def start(client, slug="test-quiz", mode="practice") -> Attempt:
    response = client.post(f"/quiz/{slug}/start/", {"mode": mode})
    assert response.status_code == 303
    return Attempt.objects.latest("pk")


def number_of(attempt: Attempt, question: Question, *, correct: bool) -> list[str]:
    """The on-page numbers of the question's right (or wrong) choices in this attempt."""
    order = attempt.choice_order[str(question.pk)]
    flags = {c.pk: c.correct for c in question.choices.all()}
    return [str(i) for i, pk in enumerate(order, start=1) if flags[pk] == correct]
