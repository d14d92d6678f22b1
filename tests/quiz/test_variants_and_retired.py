"""Variants of one scenario are never asked together; retired choices stay out of new attempts."""

import random

import pytest
from django.utils import timezone

from quiz import services
from quiz.importer import questions_import
from quiz.models import Choice, Question, Quiz
from quiz.progress.models import Learner

pytestmark = pytest.mark.django_db

BANK = """\
quizzes:
  - slug: all-of-them
    title: All of them
    pool: all
    draw: 3
  - slug: topic
    title: Topic
    questions: [v-root, v-one, v-two, lone]
questions:
  - {slug: v-root, type: code, prompt: "A?", answer: 404, explanation: "404.", codes: [404]}
  - slug: v-one
    type: code
    prompt: "A, told differently?"
    answer: 404
    explanation: "404."
    codes: [404]
    variant_of: v-root
  - slug: v-two
    type: code
    prompt: "A, a third way?"
    answer: 404
    explanation: "404."
    codes: [404]
    variant_of: v-one
  - {slug: lone, type: code, prompt: "B?", answer: 201, explanation: "201.", codes: [201]}
"""


@pytest.fixture
def bank():
    Question.objects.all().update(published=False)  # only this file's questions are drawn
    questions_import([("variants.yaml", BANK)])


def slugs(attempt) -> set[str]:
    return set(Question.objects.filter(pk__in=attempt.question_ids).values_list("slug", flat=True))


@pytest.mark.parametrize("quiz_slug", ["all-of-them", "topic"])
def test_an_attempt_asks_one_question_of_each_scenario(bank, quiz_slug):
    learner = Learner.objects.create()
    quiz = Quiz.objects.get(slug=quiz_slug)
    seen = set()
    for seed in range(30):
        attempt = services.attempt_start(
            learner=learner, quiz=quiz, mode="practice", rng=random.Random(seed)
        )
        asked = slugs(attempt)
        assert "lone" in asked
        assert len(asked & {"v-root", "v-one", "v-two"}) == 1
        seen |= asked
    assert {"v-root", "v-one", "v-two"} <= seen  # each variant gets its turn


def test_a_set_built_for_the_learner_keeps_every_question_it_names(bank):
    ids = list(Question.objects.filter(slug__startswith="v-").values_list("id", flat=True))
    attempt = services.attempt_start(
        learner=Learner.objects.create(), quiz=None, mode="review", question_ids=ids
    )
    assert len(attempt.question_ids) == 3


def test_a_retired_choice_is_not_shown_and_does_not_count(quiz):
    question = Question.objects.get(slug="t-role")
    old = question.choices.get(correct=True)
    Choice.objects.filter(pk=old.pk).update(retired_at=timezone.now())
    new = Choice.objects.create(question=question, key="z", text="403", correct=True, position=9)
    attempt = services.attempt_start(learner=Learner.objects.create(), quiz=quiz, mode="practice")
    assert old.pk not in attempt.choice_order[str(question.pk)]
    answer = services.answer_submit(
        attempt=attempt, question=question, given=services.Given(choices=(new,))
    )
    assert answer.correct


def test_the_quiz_pages_count_a_scenario_once(client, bank):
    assert "2 questions." in client.get("/quiz/topic/").text  # v-root, v-one, v-two and lone
    listing = client.get("/quiz/").text
    assert "2 questions" in listing
    assert Quiz.objects.get(slug="topic").scenario_count() == 2
