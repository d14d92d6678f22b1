"""Writes for the quiz: starting attempts, grading and recording answers, finishing."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from quiz import draws
from quiz.models import Answer, AnswerChoice, Attempt, Choice, Question, Quiz, scenario_groups
from quiz.progress import evidence, review
from quiz.progress.freshness import learner_changed
from quiz.progress.models import Learner
from quiz.selectors import fixed_choice_order


class AnswerRefused(Exception):
    """The answer cannot be taken in the attempt's current state (HTTP 409)."""


@dataclass(frozen=True)
class Given:
    """A validated answer: chosen choices (single/multiple), a code, or true/false."""

    choices: tuple[Choice, ...] = ()
    code: int | None = None
    boolean: bool | None = None


def grade(question: Question, given: Given) -> bool:
    """Right or wrong. Multiple choice is right only when exactly the correct set is picked."""
    if question.type == Question.Type.CODE:
        return given.code == question.answer_code
    if question.type == Question.Type.TRUEFALSE:
        return given.boolean == question.answer_bool
    correct = {choice.pk for choice in question.right_choices}
    return {choice.pk for choice in given.choices} == correct


@transaction.atomic
def attempt_start(
    *,
    learner: Learner,
    quiz: Quiz | None,
    mode: str,
    question_ids: list[int] | None = None,
    title: str = "",
    rng: random.Random | None = None,
) -> Attempt:
    """Draw the questions, fix the order of every question's choices, set the deadline.

    Without a quiz, `question_ids` (published ones, in the order given) make a set built for
    the learner, named by `title`: a review, their mistakes, a weak code.
    """
    rng = rng or random.SystemRandom()
    source = quiz.pool() if quiz is not None else Question.objects.published()
    if question_ids is not None:
        allowed = set(source.filter(pk__in=question_ids).values_list("id", flat=True))
        chosen = list(dict.fromkeys(pk for pk in question_ids if pk in allowed))
    elif quiz is not None and quiz.draws_from_all and quiz.draw:
        pool = list(source.order_by("id").values_list("id", flat=True))
        chosen = draws.adaptive_draw(pool, quiz.draw, learner, rng)
    else:
        chosen = one_per_scenario(list(source.order_by("id").values_list("id", flat=True)), rng)
        if quiz is not None and quiz.draw and quiz.draw < len(chosen):
            chosen = rng.sample(chosen, quiz.draw)
    orders: dict[str, list[int]] = {}
    for question_id, choice_id in (
        Choice.objects.active().filter(question_id__in=chosen).values_list("question_id", "id")
    ):
        orders.setdefault(str(question_id), []).append(choice_id)
    for ids in orders.values():
        rng.shuffle(ids)
    now = timezone.now()
    # Pages never write, so an interview left past its deadline is closed by the next write.
    Attempt.objects.filter(learner=learner, finished_at__isnull=True, deadline__lt=now).update(
        finished_at=F("deadline")
    )
    learner_changed(learner.pk)
    deadline = None
    if mode == Attempt.Mode.INTERVIEW:
        minutes = quiz.time_limit_minutes(len(chosen)) if quiz else max(1, len(chosen))
        deadline = now + timedelta(minutes=minutes)
    return Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        title=title,
        mode=mode,
        question_ids=chosen,
        choice_order=orders,
        total=len(chosen),
        deadline=deadline,
    )


def one_per_scenario(question_ids: list[int], rng: random.Random) -> list[int]:
    """Deliberate variants of one scenario are never asked together: of each group of
    questions linked by `variant_of`, one, picked at random, stays (in the given order)."""
    groups = scenario_groups(question_ids).values()
    kept = {group[0] if len(group) == 1 else rng.choice(group) for group in groups}
    return [question_id for question_id in question_ids if question_id in kept]


@transaction.atomic
def attempt_finish(*, attempt: Attempt) -> Attempt:
    """Close the attempt (idempotent); an overdue one closes at its deadline."""
    if attempt.finished_at is None:
        finished = min(timezone.now(), attempt.deadline) if attempt.deadline else timezone.now()
        Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=finished)
        learner_changed(attempt.learner_id)
        attempt.refresh_from_db()
    return attempt


def answer_submit(
    *, attempt: Attempt, question: Question, given: Given, card=review.UNREAD
) -> Answer:
    """Grade and record one answer, and count it on the attempt; all or nothing.

    `card` is the learner's review card for the question as read with the attempt
    (`Attempt.objects.for_question`); if another review changed it since, everything is rolled back
    and recorded again from a locked read, once. The attempt in hand is updated to match.
    """
    try:
        return _answer_record(attempt, question, given, card)
    except review.Raced:
        return _answer_record(attempt, question, given, review.UNREAD)


@transaction.atomic
def _answer_record(attempt: Attempt, question: Question, given: Given, card) -> Answer:
    now = timezone.now()
    correct = grade(question, given)
    counted = Attempt.objects.count_answer(attempt.pk, correct=correct, now=now)
    if counted is None:
        raise AnswerRefused(_refusal(attempt.pk, now))
    try:
        answer = Answer.objects.create(
            attempt=attempt,
            question=question,
            given_code=given.code,
            given_bool=given.boolean,
            correct=correct,
        )
    except IntegrityError:  # the unique answer per question: rolls the count back too
        raise AnswerRefused("You have already answered this question in this attempt.") from None
    if given.choices:
        AnswerChoice.objects.bulk_create(
            AnswerChoice(answer=answer, choice=choice) for choice in given.choices
        )
    answer.picked_ids = {choice.pk for choice in given.choices}
    card = review.card_review(
        learner=attempt.learner,
        question=question,
        correct=correct,
        when=answer.answered_at,
        card=card,
    )
    answer.comes_back = card.due  # for the feedback: when the learner sees it again
    evidence.evidence_record(
        learner=attempt.learner,
        question=question,
        correct=correct,
        given=evidence.given_codes(question, code=given.code, choices=given.choices),
        when=answer.answered_at,
    )
    attempt.answered, attempt.correct = counted
    if attempt.answered >= attempt.total:
        attempt.finished_at = now
    return answer


def _refusal(attempt_id: int, now) -> str:
    """Why an attempt took no answer: finished, or past its deadline."""
    attempt = Attempt.objects.get(pk=attempt_id)
    if attempt.finished_at is None and attempt.deadline is not None and attempt.deadline < now:
        return (
            "Time is up: this interview-mode attempt ended at its deadline, so the answer was "
            "not counted. Your results are ready."
        )
    return "This attempt is already finished, so it takes no more answers."


@transaction.atomic
def check_start(*, learner: Learner, lesson, questions: list[Question]) -> Attempt:
    """A "check yourself" set for the lesson: its questions, choices in the page's fixed order."""
    learner_changed(learner.pk)
    return Attempt.objects.create(
        learner=learner,
        lesson=lesson,
        title=f"Check yourself: {lesson.title}",
        mode=Attempt.Mode.CHECK,
        question_ids=[question.pk for question in questions],
        choice_order={str(q.pk): fixed_choice_order(q) for q in questions if q.has_choices},
        total=len(questions),
    )
