"""The learning path: one clear next step for every learner.

Reviews due come first; then, lesson by lesson in reading order, read the lesson, then take its
quiz; when every lesson is read and every quiz taken, interview prep.
"""

from dataclasses import dataclass

from django.urls import reverse

from learn.caching import for_content
from learn.models import Lesson
from quiz.models import Attempt, Quiz
from quiz.progress.models import Learner


@dataclass(frozen=True)
class Step:
    kind: str  # "review", "read", "quiz" or "interview"
    label: str  # what the "Continue" button says
    url: str


@dataclass(frozen=True)
class Stop:
    """One lesson of the route, and the quiz that practises it (if any)."""

    lesson_id: int
    read: Step
    quiz_id: int | None
    practise: Step | None


def next_step(learner: Learner | None, *, due: int, done: set[int]) -> Step:
    """The learner's next step; for someone new, the first lesson. One query at most (the
    quizzes taken) besides what the caller knows: the route is content, cached."""
    if due:
        return Step(
            "review",
            f"Review {due} question{'s' if due != 1 else ''} due",
            reverse("progress:review"),
        )
    stops, last = route()
    taken: set[int] = set()
    if learner is not None and done:
        taken = set(
            Attempt.objects.filter(learner=learner, quiz__isnull=False, answered__gt=0)
            .values_list("quiz_id", flat=True)
            .distinct()
        )
    for stop in stops:
        if stop.lesson_id not in done:
            return stop.read
        if stop.quiz_id is not None and stop.quiz_id not in taken:
            return stop.practise
    return last


def route() -> tuple[list[Stop], Step]:
    """The lessons in reading order with their quizzes, and the step after the last one;
    cached until the content changes."""
    return for_content("path:route", _route)


def _route() -> tuple[list[Stop], Step]:
    quizzes = {
        quiz.lesson_id: quiz
        for quiz in Quiz.objects.published()
        .filter(lesson__isnull=False)
        .order_by("-position", "-title")  # the first by position wins
    }
    stops = []
    for lesson in Lesson.objects.published().order_by("position", "slug").only("slug", "title"):
        quiz = quizzes.get(lesson.pk)
        stops.append(
            Stop(
                lesson_id=lesson.pk,
                read=Step("read", f"Read: {lesson.title}", lesson.get_absolute_url()),
                quiz_id=quiz.pk if quiz else None,
                practise=Step("quiz", f"Take the quiz: {quiz.title}", quiz.get_absolute_url())
                if quiz
                else None,
            )
        )
    prep = Quiz.objects.published().filter(draws_from_all=True).order_by("position").first()
    last = (
        Step("interview", f"Practise for interviews: {prep.title}", prep.get_absolute_url())
        if prep
        else Step("review", "Review what you know", reverse("progress:review"))
    )
    return stops, last
