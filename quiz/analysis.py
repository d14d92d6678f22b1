"""Item analysis for authors: how each question is answered, and which ones look broken.

Every figure comes from an aggregate query; the number of queries does not depend on how many
answers or questions there are. A question is only judged once it has MIN_ANSWERS answers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, NullIf

from quiz.models import Answer, Choice, Question
from quiz.percent import percent

# A question is judged (flags and notes) only once it has this many answers.
MIN_ANSWERS = 10
# Flag: the percent right (rounded, as shown) is under this.
LOW_RIGHT_PERCENT = 20
# Flag: one wrong answer (a choice, True/False, or a typed code) is given by more than this
# share of the answers.
POPULAR_WRONG_SHARE = 0.5
# Note, not a flag: every answer is right, once there are this many.
ALL_RIGHT_MIN_ANSWERS = 30
# How many of the most common wrong codes to keep for a "type the code" question.
TOP_WRONG_CODES = 3


class ChoiceStat(NamedTuple):
    """One choice, how many answers picked it, and their share of the question's answers."""

    choice: Choice
    picked: int
    share: float  # 0–1; 0.0 while the question is unanswered

    @property
    def percent(self) -> int:
        return percent(self.share, 1)


@dataclass
class ItemStats:
    question: Question
    answered: int = 0
    right: int = 0
    # Single and multiple choice: every choice in position order.
    choices: list[ChoiceStat] = field(default_factory=list)
    # Type the code: the most common wrong codes, [(code, answers)], most given first.
    wrong_codes: list[tuple[int, int]] = field(default_factory=list)
    # True or false: how many answered each way.
    said_true: int = 0
    said_false: int = 0
    # Why the question looks broken; empty under MIN_ANSWERS.
    flags: list[str] = field(default_factory=list)
    # Hints worth a look that are not faults.
    notes: list[str] = field(default_factory=list)

    @property
    def percent_right(self) -> int | None:
        return percent(self.right, self.answered) if self.answered else None

    @property
    def wrong(self) -> int:
        return self.answered - self.right

    @property
    def judged(self) -> bool:
        return self.answered >= MIN_ANSWERS


def item_stats(questions: Iterable[Question]) -> dict[int, ItemStats]:
    """{question id: ItemStats} for the questions, in at most three queries (plus one to run
    `questions` when it is an unevaluated queryset)."""
    questions = list(questions)
    stats = {q.pk: ItemStats(q) for q in questions}
    if not stats:
        return stats
    totals = (
        Answer.objects.filter(question_id__in=stats)
        .order_by()
        .values("question_id")
        .annotate(
            answered=Count("id"),
            right=Count("id", filter=Q(correct=True)),
            said_true=Count("id", filter=Q(given_bool=True)),
            said_false=Count("id", filter=Q(given_bool=False)),
        )
    )
    for row in totals:
        item = stats[row["question_id"]]
        item.answered, item.right = row["answered"], row["right"]
        if item.question.type == Question.Type.TRUEFALSE:
            item.said_true, item.said_false = row["said_true"], row["said_false"]

    with_choices = [q.pk for q in questions if q.has_choices]
    if with_choices:
        picks = (
            Choice.objects.filter(question_id__in=with_choices)
            .annotate(picked=Count("answers"))
            .order_by("question_id", "position", "id")
        )
        for choice in picks:
            item = stats[choice.question_id]
            share = choice.picked / item.answered if item.answered else 0.0
            item.choices.append(ChoiceStat(choice, choice.picked, share))

    typed = [q.pk for q in questions if q.type == Question.Type.CODE]
    if typed:
        wrong_codes = (
            Answer.objects.filter(question_id__in=typed, correct=False, given_code__isnull=False)
            .order_by()
            .values_list("question_id", "given_code")
            .annotate(n=Count("id"))
            .order_by("question_id", "-n", "given_code")
        )
        for question_id, code, n in wrong_codes:
            codes = stats[question_id].wrong_codes
            if len(codes) < TOP_WRONG_CODES:
                codes.append((code, n))

    for item in stats.values():
        _judge(item)
    return stats


def _judge(item: ItemStats) -> None:
    """Fill in the flags and notes of a question with enough answers."""
    if not item.judged:
        return
    if item.percent_right < LOW_RIGHT_PERCENT:
        item.flags.append(f"Only {item.percent_right}% of answers are right")
    for text, n in _wrong_answers(item):
        if n > POPULAR_WRONG_SHARE * item.answered:
            item.flags.append(f"Most learners {text} ({percent(n, item.answered)}%)")
    if item.right == item.answered and item.answered >= ALL_RIGHT_MIN_ANSWERS:
        item.notes.append(f"Everyone gets it right ({item.answered} answers): too easy?")


def _wrong_answers(item: ItemStats) -> list[tuple[str, int]]:
    """(what learners did, in words; how many answers did it) for each wrong answer."""
    question = item.question
    if question.has_choices:
        return [
            (f"pick the wrong choice '{s.choice.text}'", s.picked)
            for s in item.choices
            if not s.choice.correct
        ]
    if question.type == Question.Type.TRUEFALSE and question.answer_bool is not None:
        if question.answer_bool:
            return [("pick the wrong choice 'False'", item.said_false)]
        return [("pick the wrong choice 'True'", item.said_true)]
    if question.type == Question.Type.CODE:
        return [(f"type the wrong code {code}", n) for code, n in item.wrong_codes]
    return []


def flagged_questions() -> list[tuple[Question, ItemStats]]:
    """Every question, published or not, with at least one flag; the lowest percent right
    first, then the one with more answers, then by slug."""
    candidates = annotate_answer_stats(Question.objects.all()).filter(
        times_answered__gte=MIN_ANSWERS
    )
    flagged = [s for s in item_stats(candidates).values() if s.flags]
    flagged.sort(key=lambda s: (s.percent_right, -s.answered, s.question.slug))
    return [(s.question, s) for s in flagged]


def annotate_answer_stats(queryset: QuerySet) -> QuerySet:
    """Questions annotated for list columns and ordering: `times_answered`, `right_answers`
    and `percent_right` (a float 0–100, None while unanswered).

    The counts are distinct, so joins added by filters or search (codes, quizzes) do not
    inflate them. The percent divides floats, so neither backend truncates it, and a zero
    count becomes NULL first, so PostgreSQL never divides by zero.
    """
    return queryset.annotate(
        times_answered=Count("answers", distinct=True),
        right_answers=Count("answers", filter=Q(answers__correct=True), distinct=True),
    ).annotate(
        percent_right=ExpressionWrapper(
            Cast(F("right_answers"), FloatField())
            * Value(100.0)
            / NullIf(Cast(F("times_answered"), FloatField()), Value(0.0)),
            output_field=FloatField(),
        )
    )
