"""Spaced repetition with FSRS: every answer reviews the question's card for that learner.

A right answer is rated Good and a wrong one Again. There are no same-day learning steps:
a learner of status codes comes back on another day, so a wrong answer is due the next day
and a right one on a new card two days later, with intervals growing from there.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Min
from fsrs import Card, Rating, Scheduler

from quiz.models import Question
from quiz.progress.models import Learner, ReviewCard, ReviewLog

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=True)
SESSION_SIZE = 20


@transaction.atomic
def card_review(
    *, learner: Learner, question: Question, correct: bool, when: datetime
) -> ReviewCard:
    """Review (creating on first sight) the learner's card for the question; log the review."""
    card = ReviewCard.objects.select_for_update().filter(learner=learner, question=question).first()
    state = Card.from_dict(card.fsrs) if card else Card()
    due_before = card.due if card else None
    rating = Rating.Good if correct else Rating.Again
    state, _ = SCHEDULER.review_card(state, rating, review_datetime=when)
    fields = {
        "fsrs": state.to_dict(),
        "due": state.due,
        "state": int(state.state),
        "last_review": when,
    }
    if card is None:
        card = ReviewCard.objects.create(
            learner=learner, question=question, reviews=1, lapses=int(not correct), **fields
        )
    else:
        for name, value in fields.items():
            setattr(card, name, value)
        card.reviews += 1
        card.lapses += int(not correct)
        card.save()
    ReviewLog.objects.create(
        card=card,
        rating=int(rating),
        reviewed_at=when,
        due_before=due_before,
        due_after=state.due,
        state_after=int(state.state),
    )
    return card


def due_question_ids(learner: Learner, now: datetime, limit: int = SESSION_SIZE) -> list[int]:
    """The learner's due cards' questions, most overdue first (published questions only)."""
    return list(
        ReviewCard.objects.due(now)
        .filter(learner=learner, question__published=True)
        .order_by("due", "id")
        .values_list("question_id", flat=True)[:limit]
    )


def due_count(learner: Learner, now: datetime) -> int:
    return ReviewCard.objects.due(now).filter(learner=learner, question__published=True).count()


def next_due(learner: Learner, now: datetime) -> datetime | None:
    """When the next card falls due, if none is due now."""
    return (
        ReviewCard.objects.filter(learner=learner, due__gt=now, question__published=True)
        .aggregate(at=Min("due"))
        .get("at")
    )
