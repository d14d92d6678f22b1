"""Reads for the quiz pages."""

from dataclasses import dataclass, field

from django.db.models import F, Max

from learn.registry import CLASS_NAMES
from quiz.models import (
    Answer,
    Attempt,
    Choice,
    Learner,
    Question,
    Quiz,
    scenario_groups,
    variant_parents,
)


def quizzes_with_best_scores(learner: Learner | None) -> list[Quiz]:
    """Published quizzes with `size` and the learner's `best` score in percent (or None)."""
    quizzes = list(Quiz.objects.for_list())
    best: dict[int, int] = {}
    if learner is not None:
        best = dict(
            Attempt.objects.filter(learner=learner, finished_at__isnull=False, total__gt=0)
            .values("quiz")
            .annotate(best=Max(F("correct") * 100 / F("total")))
            .values_list("quiz", "best")
        )
    published = list(Question.objects.published().values_list("id", flat=True))
    pools: dict[int, list[int]] = {}
    for quiz_id, question_id in Quiz.questions.through.objects.filter(
        question__published=True
    ).values_list("quiz_id", "question_id"):
        pools.setdefault(quiz_id, []).append(question_id)
    parents = variant_parents()
    for quiz in quizzes:
        pool = published if quiz.draws_from_all else pools.get(quiz.pk, [])
        quiz.size_now = quiz.size(len(scenario_groups(pool, parents)))  # variants count once
        quiz.best = best.get(quiz.pk)
    return quizzes


def shown_choices(attempt: Attempt, question: Question) -> list[Choice]:
    """The question's choices in this attempt's fixed order (uses prefetched choices)."""
    by_id = {choice.pk: choice for choice in question.choices.all()}
    order = attempt.choice_order.get(str(question.pk), [])
    return [by_id[pk] for pk in order if pk in by_id]


@dataclass
class ResultRow:
    number: int
    question: Question
    answer: Answer | None
    given_text: str
    given_choices: list[Choice] = field(default_factory=list)  # rendered as Markdown


@dataclass
class ClassScore:
    digit: int
    name: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def attempt_results(attempt: Attempt) -> tuple[list[ResultRow], list[ClassScore]]:
    """Every question of the attempt with the learner's answer, and the score per class."""
    questions = (
        Question.objects.published()
        .filter(pk__in=attempt.question_ids)
        .prefetch_related("choices", "codes")
    )
    by_id = {q.pk: q for q in questions}
    answers = {
        a.question_id: a for a in Answer.objects.filter(attempt=attempt).prefetch_related("choices")
    }
    rows, per_class = [], {}
    for number, pk in enumerate(attempt.question_ids, start=1):
        question = by_id.get(pk)
        if question is None:
            continue
        answer = answers.get(pk)
        picked = list(answer.choices.all()) if answer and question.has_choices else []
        rows.append(ResultRow(number, question, answer, given_text(question, answer), picked))
        for digit in sorted({code.code // 100 for code in question.codes.all()}):
            score = per_class.setdefault(digit, ClassScore(digit, CLASS_NAMES[digit], 0, 0))
            score.total += 1
            score.correct += int(bool(answer and answer.correct))
    return rows, [per_class[d] for d in sorted(per_class)]


def given_text(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return "Not answered"
    if question.type == Question.Type.CODE:
        return str(answer.given_code)
    if question.type == Question.Type.TRUEFALSE:
        return "True" if answer.given_bool else "False"
    return " · ".join(choice.text for choice in answer.choices.all())
