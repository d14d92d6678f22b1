"""A small quiz with one question of each type, helpers to answer it, and helpers to drill
an interview follow-up (ask, reveal, rate) through the pages."""

import re

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


# The interview drill -----------------------------------------------------------------------

DRILL = "/interview/lessons/401-vs-403/401-vs-403-difference/"
# Makes points 1 (no valid credentials) and 3 (not allowed) of that follow-up's four, in words.
PARTIAL = "401 means the request has no valid credentials. 403: the user is not allowed."
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def token_of(html: str) -> str:
    """The signed timer in a drill page's form."""
    return _TOKEN.search(html).group(1)


def drill_reveal(client, text: str = PARTIAL, url: str = DRILL, **fields):
    """Ask the follow-up at `url`, then reveal with `text` typed."""
    token = token_of(client.get(url).text)
    return client.post(url, {"answer": text, "token": token, **fields})


def drill_rate(client, text: str = PARTIAL, made=(1, 3), rating=3, url: str = DRILL, **fields):
    """Ask, reveal and rate the follow-up at `url` with these marks; the rating's response."""
    revealed = drill_reveal(client, text, url, **fields)
    assert revealed.status_code == 200, revealed.text[:500]
    data = {"answer": text, "token": token_of(revealed.text), "made": [str(n) for n in made]}
    return client.post(url + "rate/", {**data, "rating": str(rating), **fields})
