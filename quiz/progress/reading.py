"""Reads for what the learner has read and tried: lessons done per group and class, history.

Every figure comes from an aggregate query; the number of queries does not depend on how long
the learner's history is.
"""

from collections import Counter
from dataclasses import dataclass

from learn.models import Lesson
from quiz.models import Attempt
from quiz.percent import percent
from quiz.progress.models import Learner, LessonCompletion


def completed_lesson_ids(learner: Learner | None) -> set[int]:
    if learner is None:
        return set()
    return set(LessonCompletion.objects.filter(learner=learner).values_list("lesson_id", flat=True))


@dataclass
class ReadingGroup:
    label: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def reading_by_group(done: set[int]) -> list[ReadingGroup]:
    """Published lessons done per group, in reading order."""
    groups_of = dict(Lesson.objects.published().values_list("id", "group"))
    totals = Counter(groups_of.values())
    finished = Counter(groups_of[pk] for pk in done if pk in groups_of)
    return [
        ReadingGroup(label, finished[key], totals[key])
        for key, label in Lesson.Group.choices
        if totals.get(key)
    ]


def reading_by_class(done: set[int]) -> list[ReadingGroup]:
    """Lessons by the class of codes they mostly teach (each lesson counted once, so the
    classes add up to the published lessons that teach codes), and how many are done."""
    codes_of: dict[int, list[int]] = {}
    for lesson_id, code in Lesson.objects.published().values_list("id", "codes__code"):
        if code is not None:
            codes_of.setdefault(lesson_id, []).append(code // 100)
    lessons_of: dict[int, set[int]] = {}
    for lesson_id, digits in codes_of.items():
        tally = Counter(digits)
        digit = min(tally, key=lambda d: (-tally[d], d))  # the most taught class; ties: lowest
        lessons_of.setdefault(digit, set()).add(lesson_id)
    return [
        ReadingGroup(f"{digit}xx", len(lessons_of[digit] & done), len(lessons_of[digit]))
        for digit in sorted(lessons_of)
    ]


def history(learner: Learner, limit: int = 20) -> tuple[list[Attempt], int]:
    """The latest attempts with at least one answer (newest first), and how many there are:
    a set started and left without an answer is not history (the export still has it)."""
    attempts = Attempt.objects.filter(learner=learner, answered__gt=0).select_related("quiz")
    return list(attempts.order_by("-started_at", "-id")[:limit]), attempts.count()
