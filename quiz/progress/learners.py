"""Who is learning: the session's anonymous learner or the account's, and merging the two."""

import zoneinfo
from datetime import datetime, timedelta
from functools import cache

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from quiz.models import Answer, Attempt
from quiz.progress.evidence import evidence_rebuild
from quiz.progress.freshness import learner_changed
from quiz.progress.models import (
    DrillAnswer,
    Learner,
    LessonCompletion,
    MockInterview,
    ReviewCard,
    ReviewLog,
)

LEARNER_KEY = "learner_id"
TIMEZONE_KEY = "tz"
_CACHE = "_learner_cache"


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_timezone(name: str) -> str:
    """The IANA time-zone name if it is one, else "" (browsers send what Intl reports)."""
    name = (name or "").strip()
    return name if name in _zones() else ""


def current_learner(request: HttpRequest) -> Learner | None:
    """The account's learner when logged in, else the session's anonymous one; cached per request.

    A session never reaches an account's learner without being logged in to that account.
    """
    if not hasattr(request, _CACHE):
        learner = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            learner = Learner.objects.filter(user=user).first()
        elif pk := request.session.get(LEARNER_KEY):
            learner = Learner.objects.filter(pk=pk, user__isnull=True).first()
        setattr(request, _CACHE, learner)
    return getattr(request, _CACHE)


def learner_filter(request: HttpRequest) -> Q | None:
    """The current learner as a filter on a model's `learner`, with no query of its own, for a
    query that reads the learner anyway (`remember` it then); None when there is no learner."""
    if hasattr(request, _CACHE):
        learner = getattr(request, _CACHE)
        return Q(learner=learner) if learner is not None else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Q(learner__user=user)
    pk = request.session.get(LEARNER_KEY)
    return Q(learner_id=pk, learner__user__isnull=True) if pk else None


def owner_ids(request: HttpRequest) -> tuple[int | None, int | None] | None:
    """(user id, anonymous learner id) for a query that checks ownership itself and reads the
    learner with what it reads (`remember` it then): one of the two is set; None when there is
    no learner. A learner already read this request is named by its id."""
    if hasattr(request, _CACHE):
        learner = getattr(request, _CACHE)
        if learner is None:
            return None
        return (learner.user_id, None) if learner.user_id else (None, learner.pk)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk, None
    pk = request.session.get(LEARNER_KEY)
    return (None, pk) if pk else None


def remember(request: HttpRequest, learner: Learner) -> None:
    """The current learner, as read with something of theirs (`learner_filter`, `owner_ids`)."""
    setattr(request, _CACHE, learner)


def learner_for_write(request: HttpRequest) -> Learner:
    """The current learner, created on the first thing worth remembering (only ever on POST).

    Stores the browser's time zone the first time a form brings it (`tz`, filled by site.js).
    """
    learner = current_learner(request)
    user = request.user if request.user.is_authenticated else None
    if learner is None:
        if user is None:
            learner = Learner.objects.create()
        else:  # two first writes at once (a double click) make one learner, not a 500
            learner, _ = Learner.objects.get_or_create(user=user)
        if user is None:
            request.session[LEARNER_KEY] = learner.pk
        setattr(request, _CACHE, learner)
    zone = valid_timezone(request.POST.get("tz", ""))
    if zone and not learner.timezone:
        learner.timezone = zone
        learner.save(update_fields=["timezone"])
        learner_changed(learner.pk)
    if learner.timezone:
        request.session[TIMEZONE_KEY] = learner.timezone
    return learner


def forget(request: HttpRequest) -> None:
    """Drop the cached learner (after a merge or a deletion)."""
    if hasattr(request, _CACHE):
        delattr(request, _CACHE)


@transaction.atomic
def learner_merge(*, source: Learner, target: Learner) -> Learner:
    """Move everything `source` learned into `target`, then delete `source`.

    Attempts (and their answers), drill answers and mock interviews move as they are. A lesson
    both completed keeps the earlier completion. A question or a follow-up both have a review
    card for keeps the card with more reviews (on a tie, the one reviewed last); the other
    card's log rows move to the kept card, so the review history stays whole.
    """
    if source.pk == target.pk:
        return target
    learner_changed(target.pk, history=True)
    Attempt.objects.filter(learner=source).update(learner=target)

    theirs = dict(
        LessonCompletion.objects.filter(learner=target).values_list("lesson_id", "completed_at")
    )
    for completion in LessonCompletion.objects.filter(learner=source):
        if completion.lesson_id not in theirs:
            continue
        if completion.completed_at < theirs[completion.lesson_id]:
            LessonCompletion.objects.filter(learner=target, lesson_id=completion.lesson_id).update(
                completed_at=completion.completed_at
            )
        completion.delete()
    LessonCompletion.objects.filter(learner=source).update(learner=target)

    _cards_merge(source=source, target=target)
    DrillAnswer.objects.filter(learner=source).update(learner=target)
    MockInterview.objects.filter(learner=source).update(learner=target)

    if not target.timezone and source.timezone:
        target.timezone = source.timezone
        target.save(update_fields=["timezone"])
    source.delete()
    evidence_rebuild([target.pk])  # both histories, in order
    return target


def _cards_merge(*, source: Learner, target: Learner) -> None:
    """Move the source's review cards to the target; where both have a card for the same
    question or follow-up, keep the more reviewed one with both logs."""

    def subject(card: ReviewCard) -> tuple[int | None, int | None]:
        return (card.question_id, card.followup_id)

    kept = {subject(card): card for card in ReviewCard.objects.filter(learner=target)}
    for card in ReviewCard.objects.filter(learner=source):
        other = kept.get(subject(card))
        if other is None:
            continue
        mine_wins = (card.reviews, card.last_review or card.due) > (
            other.reviews,
            other.last_review or other.due,
        )
        winner, loser = (card, other) if mine_wins else (other, card)
        ReviewLog.objects.filter(card=loser).update(card=winner)
        loser.delete()
        if mine_wins:
            ReviewCard.objects.filter(pk=card.pk).update(learner=target)
    ReviewCard.objects.filter(learner=source).update(learner=target)


def on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: the browser's anonymous progress joins the account's."""
    if request is None:
        return
    pk = request.session.get(LEARNER_KEY)
    anonymous = Learner.objects.filter(pk=pk, user__isnull=True).first() if pk else None
    account = Learner.objects.filter(user=user).first()
    if anonymous is not None:
        if account is None:
            anonymous.user = user
            anonymous.save(update_fields=["user"])
            learner_changed(anonymous.pk)
            account = anonymous
        else:
            account = learner_merge(source=anonymous, target=account)
    request.session.pop(LEARNER_KEY, None)
    forget(request)
    if account is not None and account.timezone:
        request.session[TIMEZONE_KEY] = account.timezone


LOGIN_RECORDS = (AccessAttempt, AccessLog, AccessFailureLog)


def login_records(username: str) -> list:
    """django-axes' records of log-ins with this username: [(model, queryset)]."""
    return [(model, model.objects.filter(username=username)) for model in LOGIN_RECORDS]


@transaction.atomic
def progress_delete(*, learner: Learner | None, user) -> None:
    """Everything of the learner goes: attempts, answers, completions, cards, logs, drill answers
    and mock interviews (all cascade from the learner); and with
    an account, the account and every record of its log-ins (address, browser, times)."""
    if learner is not None:
        user = learner.user or user
        learner.delete()
    if user is not None and user.is_authenticated:
        for _, records in login_records(user.get_username()):
            records.delete()
        user.delete()


def stale_learners(*, days: int, now: datetime):
    """Anonymous learners neither seen nor active for `days` days: their session has expired
    (it lasts SESSION_COOKIE_AGE from the last visit), so nobody can reach their progress."""
    cutoff = now - timedelta(days=days)
    return (
        Learner.objects.filter(user__isnull=True, created_at__lt=cutoff)
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=cutoff.date()))
        .exclude(pk__in=Attempt.objects.filter(started_at__gte=cutoff).values("learner_id"))
        .exclude(
            pk__in=Answer.objects.filter(answered_at__gte=cutoff).values("attempt__learner_id")
        )
        .exclude(
            pk__in=LessonCompletion.objects.filter(completed_at__gte=cutoff).values("learner_id")
        )
        .exclude(pk__in=ReviewCard.objects.filter(last_review__gte=cutoff).values("learner_id"))
        .exclude(pk__in=DrillAnswer.objects.filter(answered_at__gte=cutoff).values("learner_id"))
        .exclude(pk__in=MockInterview.objects.filter(started_at__gte=cutoff).values("learner_id"))
    )


def learners_prune(*, days: int, now: datetime, batch: int = 500) -> int:
    """Delete stale anonymous learners with all their progress, in batches; how many."""
    deleted = 0
    while ids := list(stale_learners(days=days, now=now).values_list("pk", flat=True)[:batch]):
        with transaction.atomic():  # still stale now: a learner back since is kept
            _, counts = stale_learners(days=days, now=now).filter(pk__in=ids).delete()
        deleted += counts.get(Learner._meta.label, 0)
    return deleted
