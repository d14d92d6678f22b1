"""Quiz pages: the list, a quiz's introduction, one question at a time, and results."""

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from config.ratelimit import Limit, client_ip, rate_limit
from quiz import learners, selectors, services
from quiz.forms import AnswerForm
from quiz.models import Attempt, Question, Quiz


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


QUIZ_MODES = (Attempt.Mode.PRACTICE, Attempt.Mode.INTERVIEW)


def _learner_key(request: HttpRequest) -> str | None:
    learner = learners.current_learner(request)
    return str(learner.pk) if learner else None


# Generous limits on answering (quiz, review and practice sets all post here): against scripts.
ANSWER_LIMITS = (
    Limit(
        "ANSWER_RATE_LIMIT",
        key=_learner_key,
        message="You are answering faster than anyone can read: the site takes {count} "
        "answers {window} from one learner.",
    ),
    Limit(
        "ANSWER_RATE_LIMIT_PER_IP",
        key=client_ip,
        message="Too many answers came from your network: the site takes {count} answers "
        "{window} from one address.",
    ),
)


def see_other(url: str) -> HttpResponse:
    """See Other: after a POST, the browser GETs the next page (post/redirect/get)."""
    response = HttpResponse(status=HTTPStatus.SEE_OTHER)
    response["Location"] = url
    return response


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """The attempt, if it belongs to this browser's learner; otherwise 404."""
    learner = learners.current_learner(request)
    if learner is None:
        raise Http404("No such attempt")
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, learner=learner)


@require_GET
def quiz_home(request: HtmxHttpRequest) -> HttpResponse:
    learner = learners.current_learner(request)
    quizzes = selectors.quizzes_with_best_scores(learner)
    return render(request, "quiz/quiz_list.html", {"quizzes": quizzes})


@require_GET
def quiz_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    size = quiz.size(quiz.scenario_count())
    context = {"quiz": quiz, "size": size, "minutes": quiz.time_limit_minutes(size)}
    return render(request, "quiz/quiz_detail.html", context)


@require_POST
def attempt_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    mode = request.POST.get("mode", Attempt.Mode.PRACTICE)
    if mode not in QUIZ_MODES or not quiz.pool().exists():
        size = quiz.size(quiz.scenario_count())
        context = {
            "quiz": quiz,
            "size": size,
            "minutes": quiz.time_limit_minutes(size),
            "error": "Choose practice or interview mode."
            if size
            else "This quiz has no questions yet.",
        }
        return render(request, "quiz/quiz_detail.html", context, status=HTTPStatus.BAD_REQUEST)
    learner = learners.learner_for_write(request)
    attempt = services.attempt_start(learner=learner, quiz=quiz, mode=mode)
    return see_other(attempt.question_url(1))


@require_GET
def attempt_resume(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished or services.attempt_is_overdue(attempt):
        return see_other(reverse("quiz:results", args=[attempt.pk]))
    return see_other(attempt.question_url(min(attempt.answered + 1, attempt.total)))


@require_http_methods(["GET", "POST"])
@rate_limit("answer", *ANSWER_LIMITS)
def question(request: HtmxHttpRequest, attempt_id: int, number: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not 1 <= number <= attempt.total:
        raise Http404("That question is not part of this attempt")
    item = get_object_or_404(
        Question.objects.published().for_page(), pk=attempt.question_ids[number - 1]
    )
    shown = selectors.shown_choices(attempt, item)
    answer = item.answers.filter(attempt=attempt).prefetch_related("choices").first()
    form = AnswerForm(
        request.POST if request.method == "POST" else None, question=item, shown=shown
    )
    status, notice = HTTPStatus.OK, ""
    if request.method == "POST":
        if answer is not None:
            status, notice = HTTPStatus.CONFLICT, "You have already answered this question."
        elif not form.is_valid():
            status = HTTPStatus.BAD_REQUEST
        else:
            try:
                answer = services.answer_submit(attempt=attempt, question=item, given=form.given())
            except services.AnswerRefused as refusal:
                status, notice = HTTPStatus.CONFLICT, str(refusal)
                if services.attempt_is_overdue(attempt):
                    services.attempt_finish(attempt=attempt)
            else:
                attempt.refresh_from_db()
                if not attempt.shows_feedback:
                    return see_other(_next_url(attempt, number))
                if not request.htmx:
                    return see_other(attempt.question_url(number))
                status = HTTPStatus.CREATED
    elif attempt.mode == Attempt.Mode.INTERVIEW and (
        attempt.is_finished or services.attempt_is_overdue(attempt)
    ):
        return see_other(reverse("quiz:results", args=[attempt.pk]))
    context = {
        "attempt": attempt,
        "number": number,
        "question": item,
        "shown": shown,
        "form": form,
        "answer": answer if attempt.shows_feedback else None,
        "picked": {c.pk for c in answer.choices.all()} if answer else set(),
        "notice": notice,
        "next_url": _next_url(attempt, number),
        "seconds_left": _seconds_left(attempt),
    }
    template = "quiz/question.html#question-card" if request.htmx else "quiz/question.html"
    return render(request, template, context, status=status)


def _next_url(attempt: Attempt, number: int) -> str:
    if number < attempt.total:
        return attempt.question_url(number + 1)
    return reverse("quiz:results", args=[attempt.pk])


def _seconds_left(attempt: Attempt) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


@require_POST
def attempt_finish(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    services.attempt_finish(attempt=attempt)
    return see_other(reverse("quiz:results", args=[attempt.pk]))


@require_GET
def results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        if services.attempt_is_overdue(attempt):
            attempt = services.attempt_finish(attempt=attempt)
        elif attempt.answered < attempt.total:
            return see_other(attempt.question_url(attempt.answered + 1))
    rows, classes = selectors.attempt_results(attempt)
    context = {
        "attempt": attempt,
        "rows": rows,
        "classes": classes,
        "missed": sum(1 for row in rows if not (row.answer and row.answer.correct)),
        "duration": (attempt.finished_at or timezone.now()) - attempt.started_at,
    }
    return render(request, "quiz/results.html", context)


@require_POST
def retry_missed(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    rows, _ = selectors.attempt_results(attempt)
    missed = [row.question.pk for row in rows if not (row.answer and row.answer.correct)]
    if not attempt.is_finished or not missed:
        return see_other(reverse("quiz:results", args=[attempt.pk]))
    retry = services.attempt_start(
        learner=attempt.learner,
        quiz=attempt.quiz,
        mode=Attempt.Mode.PRACTICE,
        question_ids=missed,
        title=attempt.title,
    )
    return see_other(retry.question_url(1))
