"""Reads for the interview drill: the topics, what to ask next, readiness, the mock interview's
draw, and the follow-ups due for review.

The topics are content, cached until it changes; everything about the learner is one windowed
query over their drill answers (the latest per follow-up), whatever the history's length.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Prefetch, Sum, Window
from django.db.models.functions import RowNumber

from learn.caching import for_content
from learn.models import FollowUp, Lesson
from quiz.percent import percent
from quiz.progress.models import DrillAnswer, Learner, MockInterview, ReviewCard

MOCK_SIZE = 5
DUE_LISTED = 10  # follow-ups due, listed on the progress page


@dataclass(frozen=True)
class Item:
    """One follow-up, as the drill lists it."""

    id: int
    key: str
    question: str
    points: int


@dataclass(frozen=True)
class Topic:
    """A published lesson with follow-ups to drill."""

    lesson_id: int
    slug: str
    title: str
    items: tuple[Item, ...]

    @property
    def points(self) -> int:
        return sum(item.points for item in self.items)


def topics() -> list[Topic]:
    """Published lessons with current follow-ups, in reading order; cached until the content
    changes."""
    return for_content("interview:topics", _topics)


def _topics() -> list[Topic]:
    lessons = (
        Lesson.objects.published()
        .order_by("position", "slug")
        .only("slug", "title")
        .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.current()))
    )
    found = []
    for lesson in lessons:
        items = tuple(Item(f.pk, f.key, f.question, len(f.rubric)) for f in lesson.followups.all())
        if items:
            found.append(Topic(lesson.pk, lesson.slug, lesson.title, items))
    return found


@dataclass(frozen=True)
class Latest:
    """The learner's latest answer to one follow-up."""

    made: int
    points: int
    answered_at: datetime


def latest_answers(learner: Learner | None) -> dict[int, Latest]:
    """{follow-up id: the learner's latest answer to it}, in one query."""
    if learner is None:
        return {}
    newest_first = [F("answered_at").desc(), F("id").desc()]
    rows = (
        DrillAnswer.objects.filter(learner=learner)
        .annotate(rank=Window(RowNumber(), partition_by=[F("followup_id")], order_by=newest_first))
        .filter(rank=1)
        .values_list("followup_id", "made", "points", "answered_at")
    )
    return {pk: Latest(made, points, at) for pk, made, points, at in rows}


@dataclass(frozen=True)
class Readiness:
    """How ready the learner is to be interviewed on a topic: the rubric points made in their
    latest answer to each of its follow-ups (a follow-up not drilled yet counts none)."""

    topic: Topic
    made: int
    drilled: int

    @property
    def points(self) -> int:
        return self.topic.points

    @property
    def percent(self) -> int:
        return percent(self.made, self.points)

    @property
    def share(self) -> float:
        return self.made / self.points if self.points else 0.0


def readiness(all_topics: list[Topic], latest: dict[int, Latest]) -> list[Readiness]:
    """Readiness per topic, in reading order. A rubric that lost points since an answer counts
    at most its points now."""
    rows = []
    for topic in all_topics:
        answered = [(item, latest[item.id]) for item in topic.items if item.id in latest]
        made = sum(min(answer.made, item.points) for item, answer in answered)
        rows.append(Readiness(topic, made, len(answered)))
    return rows


def next_item(
    items: list[Item], latest: dict[int, Latest], rng: random.Random | None = None
) -> Item | None:
    """What to ask next: a follow-up never drilled (the first, or one at random with `rng`),
    else the one drilled longest ago."""
    fresh = [item for item in items if item.id not in latest]
    if fresh:
        return rng.choice(fresh) if rng else fresh[0]
    if not items:
        return None
    return min(items, key=lambda item: (latest[item.id].answered_at, item.id))


def mock_draw(
    all_topics: list[Topic], latest: dict[int, Latest], rng: random.Random, size: int = MOCK_SIZE
) -> list[int]:
    """Follow-ups for a mock interview, one from each of the learner's weakest topics: topics
    never drilled first (at random), then the lowest readiness. Within a topic, a follow-up
    never drilled first, else the one drilled longest ago. Fewer topics than `size`: the rest
    come from the weakest topics again."""
    rows = readiness(all_topics, latest)
    rng.shuffle(rows)  # ties at random; the sort is stable
    rows.sort(key=lambda row: (row.drilled > 0, row.share))
    picked: list[int] = []
    while len(picked) < size:
        added = False
        for row in rows:
            left = [item for item in row.topic.items if item.id not in picked]
            item = next_item(left, latest, rng)
            if item is not None and len(picked) < size:
                picked.append(item.id)
                added = True
        if not added:
            break
    return picked


def followup_for_page(slug: str, key: str) -> FollowUp | None:
    """A follow-up of a published lesson, retired or not, with its lesson."""
    return (
        FollowUp.objects.select_related("lesson")
        .filter(lesson__slug=slug, lesson__published=True, key=key)
        .first()
    )


def due_cards(learner: Learner | None, now: datetime, limit: int = DUE_LISTED) -> list[ReviewCard]:
    """The learner's follow-up cards due now, most overdue first, with their follow-ups."""
    if learner is None:
        return []
    return list(
        ReviewCard.objects.due(now)
        .filter(learner=learner, followup__isnull=False)
        .live()
        .select_related("followup__lesson")
        .order_by("due", "id")[:limit]
    )


def mock_for(learner: Learner | None, mock_id: int) -> MockInterview | None:
    """The learner's own mock interview, or None."""
    if learner is None:
        return None
    return MockInterview.objects.filter(pk=mock_id, learner=learner).first()


def mocks_of(learner: Learner, limit: int = 5):
    """The learner's latest mock interviews, newest first, with their answers counted."""
    return MockInterview.objects.filter(learner=learner).annotate(
        answered=Count("answers"), made=Sum("answers__made"), points=Sum("answers__points")
    )[:limit]


def mock_followups(mock: MockInterview) -> list[FollowUp]:
    """The mock's follow-ups in order (with their lessons); any deleted since are left out."""
    found = FollowUp.objects.select_related("lesson").in_bulk(mock.followup_ids)
    return [found[pk] for pk in mock.followup_ids if pk in found]


def mock_answers(mock: MockInterview) -> dict[int, DrillAnswer]:
    """{follow-up id: the answer given in this mock}."""
    return {answer.followup_id: answer for answer in mock.answers.all()}


def cheatsheet():
    """Every published lesson's short answer, in reading order."""
    return (
        Lesson.objects.published()
        .exclude(short_answer="")
        .order_by("position", "slug")
        .only("slug", "title", "group", "short_answer")
    )
