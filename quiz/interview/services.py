"""Writes for the interview drill: a rated answer (which reviews the follow-up's card), and a
mock interview."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from fsrs import Rating

from learn import rubric
from learn.models import FollowUp
from quiz.progress import review
from quiz.progress.freshness import learner_changed
from quiz.progress.models import DrillAnswer, Learner, MockInterview


class DrillRefused(Exception):
    """The answer cannot be recorded (rated already, or the mock is over); says why."""


@dataclass(frozen=True)
class Mark:
    """One rubric point against an answer: what the matcher found, and by which phrasing."""

    number: int
    point: str
    phrasing: str | None

    @property
    def found(self) -> bool:
        return self.phrasing is not None


def marks_for(followup: FollowUp, text: str) -> list[Mark]:
    """The matcher's suggestions: for each point, the first phrasing the answer says."""
    found = rubric.points_evidence(text, followup.rubric)
    return [
        Mark(number, point["point"], phrasing)
        for number, (point, phrasing) in enumerate(zip(followup.rubric, found, strict=True), 1)
    ]


@transaction.atomic
def drill_answer_record(
    *,
    learner: Learner,
    followup: FollowUp,
    text: str,
    made: set[int],
    rating: int,
    served_at: datetime,
    seconds: int,
    when: datetime,
    mock: MockInterview | None = None,
) -> DrillAnswer:
    """Record a rated drill answer with the marks as they stand (the matcher's finding and the
    learner's word for each point), and review the follow-up's card with the rating."""
    if mock is not None:
        mock = MockInterview.objects.select_for_update().get(pk=mock.pk)
        if followup.pk not in mock.followup_ids:
            raise DrillRefused("That question is not part of this mock interview.")
    marks = [
        {"point": mark.point, "found": mark.found, "made": mark.number in made}
        for mark in marks_for(followup, text)
    ]
    try:
        with transaction.atomic():
            answer = DrillAnswer.objects.create(
                learner=learner,
                followup=followup,
                text=text,
                marks=marks,
                made=sum(1 for mark in marks if mark["made"]),
                points=len(marks),
                rating=rating,
                seconds=seconds,
                served_at=served_at,
                mock=mock,
                answered_at=when,
            )
    except IntegrityError:
        raise DrillRefused(
            "You have already rated this answer: the question has moved on."
        ) from None
    card = review.followup_review(
        learner=learner, followup=followup, rating=Rating(rating), when=when
    )
    answer.comes_back = card.due  # for the message: when the learner sees it again
    if mock is not None and mock.answers.count() >= mock.total:
        MockInterview.objects.filter(pk=mock.pk).update(finished_at=when)
    return answer


@transaction.atomic
def mock_start(*, learner: Learner, followup_ids: list[int]) -> MockInterview:
    learner_changed(learner.pk)
    return MockInterview.objects.create(learner=learner, followup_ids=followup_ids)
