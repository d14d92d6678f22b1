"""Reads for the quiz pages."""

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from learn.models import Lesson
from learn.registry import CLASS_NAMES
from learn.search import Document
from quiz.models import Answer, Attempt, Choice, Question, Quiz, scenario_groups, variant_parents
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
    given_choices: list[Choice] = field(default_factory=list)  # rendered as Markdown


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
        picked = list(answer.choices.all()) if answer and question.has_choices else []
        rows.append(ResultRow(number, question, answer, given_text(question, answer), picked))
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


def answer_given(attempt: Attempt) -> Answer | None:
    """The answer to the question `Attempt.objects.at_question` read the attempt at, if any."""
    if attempt.at_answer_id is None:
        return None
    return Answer.objects.prefetch_related("choices").filter(pk=attempt.at_answer_id).first()


def picked_ids(answer: Answer) -> set[int]:
    """The choices the answer picked (known without a query right after it was recorded)."""
    known = getattr(answer, "picked_ids", None)
    return known if known is not None else {choice.pk for choice in answer.choices.all()}


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


CHECK_SIZE = 3  # questions answered in place at the end of a lesson


def check_questions(lesson: Lesson) -> list[Question]:
    """The lesson's "check yourself" questions: up to three of its published questions, the
    easiest first, one per scenario. The same for everyone, so the page can be cached."""
    candidates = list(
        Question.objects.published()
        .filter(lesson=lesson)
        .order_by("difficulty", "id")
        .select_related("lesson")
        .prefetch_related("choices")
    )
    parents = {q.pk: q.variant_of_id for q in candidates if q.variant_of_id}
    groups = scenario_groups([question.pk for question in candidates], parents)
    firsts = {group[0] for group in groups.values()}
    return [question for question in candidates if question.pk in firsts][:CHECK_SIZE]


def fixed_choice_order(question: Question) -> list[int]:
    """A shuffle of the question's current choices that is the same on every page view, so a
    cached lesson page and the answer it posts agree on what choice 2 is."""
    ids = [choice.pk for choice in question.choices.all() if not choice.is_retired]
    random.Random(question.pk).shuffle(ids)  # noqa: S311 (an order, not a secret)
    return ids


def current_check(learner: Learner | None, lesson: Lesson) -> Attempt | None:
    """The learner's latest "check yourself" set for the lesson, if any."""
    if learner is None:
        return None
    return (
        Attempt.objects.filter(learner=learner, lesson=lesson, mode=Attempt.Mode.CHECK)
        .order_by("-started_at", "-id")
        .first()
    )


def check_card(attempt, number: int, question: Question, answer: Answer | None) -> dict:
    """What the question card needs to show a lesson's check-yourself question `number`
    (`attempt` may be a stand-in for someone who has answered none yet)."""
    return {
        "attempt": attempt,
        "number": number,
        "question": question,
        "card_id": f"check-{number}",
        "prefix": f"check-{number}-",  # ids stay unique with several cards on one page
        "action": reverse("quiz:check_answer", args=[attempt.lesson.slug, number]),
        "answer": answer,
        "picked": {c.pk for c in answer.choices.all()} if answer else set(),
        "comes_back": comes_back(attempt.learner_id, question, answer) if answer else "",
        "next_url": None,
    }


def check_cards(learner: Learner | None, lesson: Lesson) -> tuple[Attempt | None, list[dict]]:
    """The learner's check-yourself cards for the lesson, answered or not; with no learner (or
    none started), the lesson's questions in their fixed order, the same for everyone."""
    attempt = current_check(learner, lesson)
    if attempt is None:
        stand_in = SimpleNamespace(
            lesson=lesson, learner_id=None, shows_feedback=True, mode="check"
        )
        cards = []
        for number, question in enumerate(check_questions(lesson), start=1):
            by_id = {choice.pk: choice for choice in question.choices.all()}
            shown = [by_id[pk] for pk in fixed_choice_order(question)]
            cards.append(check_card(stand_in, number, question, None) | {"shown": shown})
        return None, cards
    questions = Question.objects.filter(pk__in=attempt.question_ids).for_page().in_bulk()
    answers = {a.question_id: a for a in attempt.answers.prefetch_related("choices")}
    cards = []
    for number, pk in enumerate(attempt.question_ids, start=1):
        if pk in questions:
            question, answer = questions[pk], answers.get(pk)
            shown = shown_choices(attempt, question, answered=answer is not None)
            cards.append(check_card(attempt, number, question, answer) | {"shown": shown})
    return attempt, cards


def question_documents() -> list[Document]:
    """Quiz's documents for site-wide search: every published question, by its prompt (never
    its answer), with a POST that practises it."""
    questions = (
        Question.objects.published()
        .order_by("id")
        .select_related("lesson")
        .prefetch_related("subject")
    )
    return [
        Document(
            kind="question",
            title=plain_text(question.prompt)[:160],
            url=question.lesson.get_absolute_url() if question.lesson_id else "",
            summary=question.lesson.title if question.lesson_id else "",
            keywords=" ".join(f"{code.code} {code.name}" for code in question.subject.all()),
            text=plain_text(question.prompt),
            action=reverse("quiz:practise_question", args=[question.slug]),
        )
        for question in questions
    ]


def plain_text(markdown: str) -> str:
    """Authored Markdown as one line of plain text: `[[403]]` → 403, no backticks or stars."""
    text = re.sub(r"\[\[(\d{3})(?:\|([^\]]+))?\]\]", lambda m: m.group(2) or m.group(1), markdown)
    text = re.sub(r"[`*_#>]", "", text)
    return " ".join(text.split())
