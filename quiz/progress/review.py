"""Spaced repetition with FSRS: every answer reviews the question's card for that learner, and
every rated drill answer the interview follow-up's card. Both kinds share one queue.

A right answer is rated Good and a wrong one Again; in the drill the learner rates their own
recall (Again, Hard, Good, Easy). Same-day learning steps, as Anki has them: a new card comes
back after 1 minute when missed and after 10 minutes when right, a lapsed one after 10 minutes,
so a miss returns within the sitting; once learned, intervals grow in days (FSRS).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from fsrs import Card, Rating, Scheduler

from learn.caching import content_version
from learn.models import FollowUp
from quiz.models import Question
from quiz.progress.freshness import learner_changed, learner_version
from quiz.progress.models import Learner, ReviewCard, ReviewLog

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
SCHEDULER = Scheduler(
    learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS, enable_fuzzing=True
)
SESSION_SIZE = 20
DUE_SECONDS = 60 * 60  # how long a process keeps a learner's due counts at most


class Raced(Exception):
    """The card changed since it was read (another review committed first): the caller's
    transaction is rolled back, and the review is made again from a locked read."""


UNREAD = object()  # `card=UNREAD`: read the card in the transaction, under a lock


@transaction.atomic(savepoint=False)  # inside an answer's transaction: no savepoint of its own
def card_review(
    *, learner: Learner, question: Question, correct: bool, when: datetime, card=UNREAD
) -> ReviewCard:
    """Review (creating on first sight) the learner's card for the question; log the review.

    `card` is the card as read before the transaction (`Attempt.objects.for_question`), or
    None when there was none: the review then writes without reading again, and raises `Raced`
    if another review got there first.
    """
    rating = Rating.Good if correct else Rating.Again
    subject = {"question": question}
    return _review(learner=learner, subject=subject, rating=rating, when=when, card=card)


@transaction.atomic
def followup_review(
    *, learner: Learner, followup: FollowUp, rating: Rating, when: datetime
) -> ReviewCard:
    """Review (creating on first sight) the learner's card for an interview follow-up, with the
    rating they gave their recall; log the review."""
    return _review(learner=learner, subject={"followup": followup}, rating=rating, when=when)


def _review(
    *, learner: Learner, subject: dict, rating: Rating, when: datetime, card=UNREAD
) -> ReviewCard:
    locked = card is UNREAD
    learner_changed(learner.pk)
    if locked:
        card = ReviewCard.objects.select_for_update().filter(learner=learner, **subject).first()
    state = Card.from_dict(card.fsrs) if card else Card()
    due_before = card.due if card else None
    state, _ = SCHEDULER.review_card(state, rating, review_datetime=when)
    missed = int(rating == Rating.Again)
    fields = {
        "fsrs": state.to_dict(),
        "due": state.due,
        "state": int(state.state),
        "last_review": when,
    }
    if card is None:
        try:
            card = ReviewCard.objects.create(
                learner=learner, reviews=1, lapses=missed, **subject, **fields
            )
        except IntegrityError:
            if locked:
                raise
            raise Raced from None  # created by another review since it was read
    else:
        # Only if no other review changed the card since it was read: one statement.
        changed = ReviewCard.objects.filter(pk=card.pk, reviews=card.reviews).update(
            reviews=card.reviews + 1, lapses=card.lapses + missed, **fields
        )
        if not changed:
            raise Raced
        for name, value in fields.items():
            setattr(card, name, value)
        card.reviews += 1
        card.lapses += missed
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


@dataclass(frozen=True)
class Due:
    """Cards due now: questions (a review session) and interview follow-ups (a drill)."""

    questions: int = 0
    followups: int = 0

    @property
    def total(self) -> int:
        return self.questions + self.followups


@dataclass(frozen=True)
class DueState:
    """Cards due at a moment, and when the next one falls due (None: no other card)."""

    due: Due
    next_at: datetime | None


def due_state(learner: Learner, now: datetime) -> DueState:
    """One aggregate query over the learner's live cards."""
    counts = (
        ReviewCard.objects.filter(learner=learner)
        .live()
        .aggregate(
            questions=Count("id", filter=Q(question__isnull=False, due__lte=now)),
            followups=Count("id", filter=Q(followup__isnull=False, due__lte=now)),
            next_at=Min("due", filter=Q(due__gt=now)),
        )
    )
    next_at = counts.pop("next_at")
    return DueState(Due(**counts), next_at)


def due_now(learner: Learner, now: datetime) -> DueState:
    """The cards due now, kept per process until one more falls due, the learner reviews, or
    the content changes (`freshness`): most pages then ask the database nothing for it."""
    version = learner_version(learner.pk)
    if not version:
        return due_state(learner, now)
    key = f"due:{learner.pk}:{version}:{content_version()}"
    kept = cache.get(key)
    if kept is None or (kept.next_at is not None and now >= kept.next_at):
        kept = due_state(learner, now)
        cache.set(key, kept, DUE_SECONDS)
    return kept


def due_counts(learner: Learner, now: datetime) -> Due:
    """One aggregate query over the learner's live cards."""
    counts = (
        ReviewCard.objects.due(now)
        .filter(learner=learner)
        .live()
        .aggregate(
            questions=Count("id", filter=Q(question__isnull=False)),
            followups=Count("id", filter=Q(followup__isnull=False)),
        )
    )
    return Due(**counts)


def next_due(learner: Learner, now: datetime) -> datetime | None:
    """When the next card falls due, if none is due now."""
    return (
        ReviewCard.objects.filter(learner=learner, due__gt=now)
        .live()
        .aggregate(at=Min("due"))
        .get("at")
    )


def comes_back(due: datetime, now: datetime) -> str:
    """When a card is next due, in words: "in 1 minute", "in 10 minutes", "tomorrow", "in 3
    days" (whole days rounded, from the review's moment)."""
    seconds = max(0, (due - now).total_seconds())
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 86400 * 0.75:
        hours = round(seconds / 3600)
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = max(1, round(seconds / 86400))
    return "tomorrow" if days == 1 else f"in {days} days"


@dataclass(frozen=True)
class Forecast:
    """How many cards (questions and follow-ups) fall due: now, later today, tomorrow, and over
    the next seven days."""

    now: int
    today: int
    tomorrow: int
    week: int


def forecast(learner: Learner, now: datetime, zone) -> Forecast:
    """One aggregate query; "today" and "tomorrow" are the learner's local days."""
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end_today = midnight + timedelta(days=1)
    end_tomorrow = end_today + timedelta(days=1)
    end_week = now + timedelta(days=7)
    cards = ReviewCard.objects.filter(learner=learner).live()
    counts = cards.aggregate(
        now=Count("id", filter=Q(due__lte=now)),
        today=Count("id", filter=Q(due__gt=now, due__lt=end_today)),
        tomorrow=Count("id", filter=Q(due__gte=end_today, due__lt=end_tomorrow)),
        week=Count("id", filter=Q(due__gt=now, due__lte=end_week)),
    )
    return Forecast(**counts)
