"""A learner's data, whole, for the export download."""

from django.utils import timezone

from learn.models import FollowUp
from quiz.models import Answer, Attempt, Question
from quiz.progress.learners import login_records
from quiz.progress.models import (
    DrillAnswer,
    Learner,
    LessonCompletion,
    MockInterview,
    ReviewCard,
    ReviewLog,
)

FORMAT = "status-academy-progress/2"  # 2: follow-up cards, drill answers, mock interviews


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def learner_export(learner: Learner | None, user=None) -> dict:
    """Everything stored about the learner and their account, in plain JSON types."""
    export = {
        "format": FORMAT,
        "exported_at": _iso(timezone.now()),
        "account": None,
        "logins": [],
        "learner": None,
        "attempts": [],
        "answers": [],
        "lesson_completions": [],
        "review_cards": [],
        "review_logs": [],
        "drill_answers": [],
        "mock_interviews": [],
    }
    if user is not None and user.is_authenticated:
        export["account"] = {
            "username": user.get_username(),
            "email": user.email or None,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        }
        export["logins"] = _logins(user.get_username())
    if learner is None:
        return export
    export["learner"] = {
        "username": learner.user.get_username() if learner.user_id else None,
        "timezone": learner.timezone or None,
        "created_at": _iso(learner.created_at),
    }
    attempts = list(Attempt.objects.filter(learner=learner).select_related("quiz").order_by("id"))
    asked = {pk for a in attempts for pk in a.question_ids}
    slugs = dict(Question.objects.filter(pk__in=asked).values_list("id", "slug"))
    export["attempts"] = [
        {
            "id": a.pk,
            "quiz": a.quiz.slug if a.quiz_id else None,
            "title": a.name,
            "mode": a.mode,
            "questions": [slugs.get(pk, f"deleted-question-{pk}") for pk in a.question_ids],
            "total": a.total,
            "answered": a.answered,
            "correct": a.correct,
            "started_at": _iso(a.started_at),
            "deadline": _iso(a.deadline),
            "finished_at": _iso(a.finished_at),
        }
        for a in attempts
    ]
    answers = (
        Answer.objects.filter(attempt__learner=learner)
        .select_related("question")
        .prefetch_related("choices")
        .order_by("answered_at", "id")
    )
    export["answers"] = [
        {
            "attempt": a.attempt_id,
            "question": a.question.slug,
            "choices": [choice.text for choice in a.choices.all()],
            "code": a.given_code,
            "true_false": a.given_bool,
            "correct": a.correct,
            "answered_at": _iso(a.answered_at),
        }
        for a in answers
    ]
    export["lesson_completions"] = [
        {"lesson": slug, "completed_at": _iso(at)}
        for slug, at in LessonCompletion.objects.filter(learner=learner)
        .order_by("completed_at")
        .values_list("lesson__slug", "completed_at")
    ]
    cards = (
        ReviewCard.objects.filter(learner=learner)
        .select_related("question", "followup__lesson")
        .order_by("id")
    )
    export["review_cards"] = [
        {
            "id": c.pk,
            "question": c.question.slug if c.question_id else None,
            "followup": _followup_name(c.followup) if c.followup_id else None,
            "due": _iso(c.due),
            "state": c.state,
            "reviews": c.reviews,
            "lapses": c.lapses,
            "last_review": _iso(c.last_review),
            "fsrs": c.fsrs,
        }
        for c in cards
    ]
    export["review_logs"] = [
        {
            "card": log.card_id,
            "rating": log.rating,
            "reviewed_at": _iso(log.reviewed_at),
            "due_before": _iso(log.due_before),
            "due_after": _iso(log.due_after),
            "state_after": log.state_after,
        }
        for log in ReviewLog.objects.filter(card__learner=learner).order_by("reviewed_at", "id")
    ]
    mocks = list(MockInterview.objects.filter(learner=learner).order_by("id"))
    asked = FollowUp.objects.filter(pk__in={pk for m in mocks for pk in m.followup_ids})
    names = {f.pk: _followup_name(f) for f in asked.select_related("lesson")}
    export["mock_interviews"] = [
        {
            "id": mock.pk,
            "followups": [names.get(pk, f"deleted-followup-{pk}") for pk in mock.followup_ids],
            "started_at": _iso(mock.started_at),
            "finished_at": _iso(mock.finished_at),
        }
        for mock in mocks
    ]
    drilled = (
        DrillAnswer.objects.filter(learner=learner)
        .select_related("followup__lesson")
        .order_by("answered_at", "id")
    )
    export["drill_answers"] = [
        {
            "followup": _followup_name(d.followup),
            "question": d.followup.question,
            "text": d.text,
            "marks": d.marks,
            "made": d.made,
            "points": d.points,
            "rating": d.get_rating_display(),
            "seconds": d.seconds,
            "mock": d.mock_id,
            "served_at": _iso(d.served_at),
            "answered_at": _iso(d.answered_at),
        }
        for d in drilled
    ]
    return export


def _followup_name(followup) -> str:
    """A follow-up as "lesson-slug/key": its identity across content reloads."""
    return f"{followup.lesson.slug}/{followup.key}"


def _logins(username: str) -> list[dict]:
    """django-axes' records for the account: log-ins, failed attempts, failures logged."""
    rows = []
    for model, records in login_records(username):
        kind = {"AccessLog": "log-in", "AccessAttempt": "failed attempts"}.get(
            model.__name__, "failed log-in"
        )
        for record in records.order_by("attempt_time"):
            rows.append(
                {
                    "kind": kind,
                    "at": _iso(record.attempt_time),
                    "logged_out_at": _iso(getattr(record, "logout_time", None)),
                    "failures": getattr(record, "failures_since_start", None),
                    "address": record.ip_address,
                    "browser": record.user_agent,
                    "path": record.path_info,
                }
            )
    return sorted(rows, key=lambda row: row["at"] or "")
