"""Reads for the quiz pages."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from learn.models import Lesson, StatusCode
from learn.registry import CLASS_NAMES
from learn.rendering import render_markdown
from quiz.models import Answer, Attempt, Choice, Question, Quiz
from quiz.percent import percent
from quiz.progress import review
from quiz.progress.models import Learner, ReviewCard


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
    all_questions = (
        Question.objects.published().count() if any(q.draws_from_all for q in quizzes) else 0
    )
    for quiz in quizzes:
        pool = all_questions if quiz.draws_from_all else quiz.pool_size
        quiz.size_now = quiz.size(pool)
        quiz.best = best.get(quiz.pk)
    return quizzes


def shown_choices(attempt: Attempt, question: Question, *, answered: bool) -> list[Choice]:
    """The question's choices in this attempt's fixed order (uses prefetched choices).

    Once answered, exactly what the learner saw, retired choices included. Before that, the
    choices as they are now: retired ones left out, any added since the attempt began last.
    """
    by_id = {choice.pk: choice for choice in question.choices.all()}
    order = attempt.choice_order.get(str(question.pk), [])
    shown = [by_id[pk] for pk in order if pk in by_id]
    if answered:
        return shown
    added = [choice for pk, choice in by_id.items() if pk not in set(order)]
    return [choice for choice in shown + added if not choice.is_retired]


@dataclass
class ResultRow:
    number: int
    question: Question
    answer: Answer | None
    given_text: str


@dataclass
class ClassScore:
    digit: int
    name: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.correct, self.total)


def attempt_results(attempt: Attempt) -> tuple[list[ResultRow], list[ClassScore]]:
    """Every question of the attempt (published or not) with the learner's answer, and the
    score per class: each question counts once, in the class of what it asks about (its
    subject), so the classes add up to the questions."""
    questions = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
        "choices", "codes", "subject"
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
        rows.append(ResultRow(number, question, answer, given_text(question, answer)))
        digit = subject_class(question)
        score = per_class.setdefault(digit, ClassScore(digit, CLASS_NAMES[digit], 0, 0))
        score.total += 1
        score.correct += int(bool(answer and answer.correct))
    return rows, [per_class[d] for d in sorted(per_class)]


def subject_class(question: Question) -> int:
    """The class (1–5) of what the question asks about: its lowest subject code's (prefetched);
    a question without a subject counts under its lowest code's class."""
    codes = [c.code for c in question.subject.all()] or [c.code for c in question.codes.all()]
    return min(codes) // 100 if codes else 2


def given_text(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return "Not answered"
    return question.in_words(
        code=answer.given_code, boolean=answer.given_bool, choices=answer.choices.all()
    )


def comes_back(learner_id: int, question: Question, answer: Answer) -> str:
    """When the answered question comes back for review, in words ("in 10 minutes")."""
    due = getattr(answer, "comes_back", None)  # set by answer_submit; saves the query
    if due is None:
        due = (
            ReviewCard.objects.filter(learner_id=learner_id, question=question)
            .values_list("due", flat=True)
            .first()
        )
    return review.comes_back(due, timezone.now()) if due else ""


def code_note(question: Question, answer: Answer) -> SafeString | str:
    """Why a typed code is wrong: the author's note for that code, or the code's meaning from
    the reference ("401 Unauthorized: the request has no valid credentials…") with its link."""
    given = answer.given_code
    if question.type != Question.Type.CODE or answer.correct or given is None:
        return ""
    authored = (question.wrong_codes or {}).get(str(given))
    if authored:
        return render_markdown(authored).html
    meaning = StatusCode.objects.filter(code=given).values_list("name", "summary").first()
    if meaning is None:
        return format_html("{} is not a registered status code.", given)
    name, summary = meaning
    return format_html(
        '<a href="{}">{} {}</a> means: {}',
        reverse("learn:code_detail", args=[given]),
        given,
        name,
        summary,
    )


def quiz_lesson_slug(question_slugs: list[str]) -> str | None:
    """The lesson a quiz practises when its file does not say: the one most of its questions
    name (ties: the first in reading order); none for a quiz drawing from everything."""
    named = Counter(
        Question.objects.filter(slug__in=question_slugs, lesson__isnull=False).values_list(
            "lesson__slug", flat=True
        )
    )
    if not named:
        return None
    positions = dict(Lesson.objects.filter(slug__in=named).values_list("slug", "position"))
    return min(named, key=lambda slug: (-named[slug], positions.get(slug, 0), slug))
