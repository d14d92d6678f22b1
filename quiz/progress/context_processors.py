"""What every page may show about the learner; computed only when a template asks."""

from functools import cached_property

from django.http import HttpRequest
from django.utils import timezone

from quiz.progress import learners, path, reading, review


class Learning:
    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def learner(self):
        return learners.current_learner(self.request)

    @cached_property
    def _due_state(self) -> review.DueState:
        """Review cards due now (questions and interview follow-ups), and when the next falls
        due: kept per learner (`review.due_now`), so most pages ask the database nothing."""
        if self.learner is None:
            return review.DueState(review.Due(), None)
        return review.due_now(self.learner, timezone.now())

    @property
    def due(self) -> review.Due:
        return self._due_state.due

    @property
    def due_next_at(self):
        """When the next card not yet due falls due (None: none)."""
        return self._due_state.next_at

    @cached_property
    def due_count(self) -> int:
        """Review cards due now, of both kinds (the navigation's badge)."""
        return self.due.total

    @cached_property
    def done_lessons(self) -> set[int]:
        return reading.completed_lesson_ids(self.learner)

    @cached_property
    def next_step(self) -> path.Step:
        """Where "Continue" goes: reviews due, else the next lesson or its quiz."""
        return path.next_step(self.learner, due=self.due_count, done=self.done_lessons)

    @cached_property
    def reading_by_group(self) -> list[reading.ReadingGroup]:
        return reading.reading_by_group(self.done_lessons)

    @cached_property
    def reading_by_class(self) -> list[reading.ReadingGroup]:
        return reading.reading_by_class(self.done_lessons)


def learning_for(request: HttpRequest) -> Learning:
    """One `Learning` per request, so a view and the navigation share its figures."""
    if not hasattr(request, "_learning"):
        request._learning = Learning(request)
    return request._learning


def learning(request: HttpRequest) -> dict:
    return {"learning": learning_for(request)}
