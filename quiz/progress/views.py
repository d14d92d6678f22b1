"""Progress pages: lessons marked done, the dashboard, review, practice sets, and your data."""

import json
from datetime import datetime, timedelta
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.http import HtmxHttpRequest, see_other
from config.ratelimit import rate_limit
from learn.caching import CSRF_PLACEHOLDER, render_page
from learn.models import Lesson
from quiz import services
from quiz.interview import selectors as interview
from quiz.limits import WRITE_LIMITS
from quiz.models import Attempt
from quiz.progress import activity, data, kept, learners, mastery, reading, review
from quiz.progress.context_processors import learning_for
from quiz.progress.forms import DeleteForm, PractiseForm
from quiz.progress.freshness import learner_changed
from quiz.progress.models import LessonCompletion

MISTAKES_SIZE = 20
PRACTISE_SIZE = 10


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def lesson_done(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Mark a lesson as done (`done=1`) or undo it (`done=0`)."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    wanted = request.POST.get("done", "1")
    if wanted not in ("0", "1"):
        return HttpResponse(
            "done must be 1 (mark as done) or 0 (undo).",
            status=HTTPStatus.BAD_REQUEST,
            content_type="text/plain; charset=utf-8",
        )
    if wanted == "1":
        learner = learners.learner_for_write(request)
        LessonCompletion.objects.get_or_create(learner=learner, lesson=lesson)
        learner_changed(learner.pk)
        done = True
    else:
        learner = learners.current_learner(request)
        if learner is not None:
            LessonCompletion.objects.filter(learner=learner, lesson=lesson).delete()
            learner_changed(learner.pk, history=True)  # it may have been done on a past day
        done = False
    if not request.htmx:
        return see_other(lesson.get_absolute_url() + "#lesson-done")
    context = {"lesson": lesson, "done": done}
    return render(request, "progress/lesson_done.html#lesson-done", context)


@require_safe
def continue_path(request: HtmxHttpRequest) -> HttpResponse:
    """ "Continue" in the navigation: See Other, to the learner's next step (reviews due, else
    the next lesson or its quiz). Worked out on the click, so no page pays for it."""
    return see_other(learning_for(request).next_step.url)  # private (config/middleware.py)


@require_safe
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Everything the learner has done: rendered once, then kept until something on it changes
    (`kept`), so a second look costs a cache read."""
    learner = learners.current_learner(request)
    now = timezone.now()
    main = kept.learner_part(
        request, learner, "dashboard", now, lambda: _dashboard_main(request, learner, now)
    )
    return render(request, "progress/dashboard.html", {"main": main})


def _dashboard_main(request: HttpRequest, learner, now) -> tuple[str, datetime | None]:
    zone = activity.learner_zone(learner)
    today = activity.local_today(zone, now)
    done = reading.completed_lesson_ids(learner)
    codes = mastery.mastery(learner)
    days = activity.activity_by_day(learner, zone, now)
    attempts, attempt_count = reading.history(learner) if learner else ([], 0)
    latest = interview.latest_answers(learner)
    learning = learning_for(request)
    due_followups = learning.due.followups
    due_cards = interview.due_cards(learner, now) if due_followups else []
    context = {
        "learner": learner,
        "user": request.user,
        "learning": learning,
        "csrf_token": CSRF_PLACEHOLDER,
        "reading": reading.reading_by_group(done),
        "lessons_done": len(done),
        "attempts": attempts,
        "attempt_count": attempt_count,
        "classes": mastery.mastery_by_class(codes),
        "weakest": mastery.weakest(codes),
        "pairs": mastery.confused_pairs(learner, codes),
        "streak": activity.streak(set(days), today),
        "heatmap": activity.heatmap(days, today),
        "heatmap_key": activity.heatmap_key(),
        "mistakes": len(mastery.last_wrong_question_ids(learner)),
        "zone": zone,
        "levels": mastery.LEVEL_NAMES,
        "readiness": interview.readiness(interview.topics(), latest),
        "drilled": len(latest),
        "due_followups": due_followups,
        "due_cards": due_cards,
        "due_more": due_followups - len(due_cards),
    }
    html = render_to_string("progress/dashboard.html#main", context)
    # Until the clock alone changes it: a card falls due, an open attempt's deadline passes.
    moments = [learning.due_next_at] if learner else []
    moments += [
        a.deadline for a in attempts if a.deadline and not a.finished_at and a.deadline > now
    ]
    moments = [moment for moment in moments if moment is not None]
    return html, min(moments) if moments else None


@require_safe
@kept.kept_page
def review_home(request: HtmxHttpRequest) -> HttpResponse:
    context = _review_context(request)
    response = render_page(request, "progress/review.html", context)
    if context["next_due"]:  # "(9 minutes from now)" holds for a minute
        response.kept_until = timezone.now() + timedelta(minutes=1)
    return response


def _review_context(request: HttpRequest) -> dict:
    learner = learners.current_learner(request)
    now = timezone.now()
    due = learning_for(request).due
    forecast = review.forecast(learner, now, activity.learner_zone(learner)) if learner else None
    return {
        "due": due.total,
        "due_questions": due.questions,
        "due_followups": due.followups,
        "session_size": min(due.questions, review.SESSION_SIZE),
        "next_due": review.next_due(learner, now) if learner and not due.total else None,
        "forecast": forecast,
        "mistakes": len(mastery.last_wrong_question_ids(learner)),
        "has_cards": bool(learner and learner.cards.exists()),
    }


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def review_start(request: HtmxHttpRequest) -> HttpResponse:
    """Start a review of the questions due now (up to a session's worth); when only interview
    questions are due, their drill."""
    learner = learners.current_learner(request)
    ids = review.due_question_ids(learner, timezone.now()) if learner else []
    if not ids and learning_for(request).due.followups:
        return see_other(reverse("interview:due"))
    if not ids:
        context = _review_context(request) | {
            "notice": "Nothing is due right now, so there is nothing to review."
        }
        return render(request, "progress/review.html", context, status=HTTPStatus.CONFLICT)
    attempt = services.attempt_start(
        learner=learner, quiz=None, mode=Attempt.Mode.REVIEW, question_ids=ids, title="Review"
    )
    return see_other(attempt.question_url(1))


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def mistakes_start(request: HtmxHttpRequest) -> HttpResponse:
    """A practice set of the questions the learner last got wrong."""
    learner = learners.current_learner(request)
    ids = mastery.last_wrong_question_ids(learner)[:MISTAKES_SIZE]
    if not ids:
        context = _review_context(request) | {
            "notice": "You have no mistakes to practise: every question's latest answer is right."
        }
        return render(request, "progress/review.html", context, status=HTTPStatus.CONFLICT)
    attempt = services.attempt_start(
        learner=learner,
        quiz=None,
        mode=Attempt.Mode.PRACTICE,
        question_ids=ids,
        title="Practise my mistakes",
    )
    return see_other(attempt.question_url(1))


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def practise_start(request: HtmxHttpRequest) -> HttpResponse:
    """A practice set for one weak code or a confusable pair (`code` once or twice)."""
    form = PractiseForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        context = {"status": HTTPStatus.BAD_REQUEST, "reason": message}
        return render(request, "errors/400.html", context, status=HTTPStatus.BAD_REQUEST)
    codes = form.cleaned_data["code"]
    ids = mastery.question_ids_for_codes(codes)[:PRACTISE_SIZE]
    learner = learners.learner_for_write(request)
    title = "Practise " + " and ".join(str(code) for code in codes)
    attempt = services.attempt_start(
        learner=learner, quiz=None, mode=Attempt.Mode.PRACTICE, question_ids=ids, title=title
    )
    return see_other(attempt.question_url(1))


@require_safe
def export(request: HtmxHttpRequest) -> HttpResponse:
    """Everything stored about the learner, as a JSON download."""
    learner = learners.current_learner(request)
    body = json.dumps(data.learner_export(learner, request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="status-academy-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache  # asks for the password
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HtmxHttpRequest) -> HttpResponse:
    """Delete all progress (and the account): a confirmation page, then a POST."""
    learner = learners.current_learner(request)
    form = DeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            context = {"form": form, "learner": learner}
            return render(request, "progress/delete.html", context, status=HTTPStatus.BAD_REQUEST)
        learners.progress_delete(learner=learner, user=request.user)
        logout(request)
        messages.success(request, "Done: your progress and account are deleted.")
        return see_other(reverse("home"))
    return render(request, "progress/delete.html", {"form": form, "learner": learner})
