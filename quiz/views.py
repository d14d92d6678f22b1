"""Quiz pages: the list, a quiz's introduction, one question at a time, and results."""

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.http import HtmxHttpRequest, see_other
from config.ratelimit import rate_limit
from learn.models import Lesson
from quiz import selectors, services
from quiz.caching import question_for_page
from quiz.forms import AnswerForm
from quiz.limits import ANSWER_LIMITS, NEW_LEARNER_LIMIT, WRITE_LIMITS
from quiz.models import Attempt, Question, Quiz
from quiz.progress import learners

QUIZ_MODES = (Attempt.Mode.PRACTICE, Attempt.Mode.INTERVIEW)


NOT_YOURS = (
    "That is not part of any attempt of yours. Start the quiz again from the quiz list (/quiz/)."
)


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """The attempt, if it belongs to this browser's learner (read with it); otherwise 404."""
    owner = learners.learner_filter(request)
    attempt = (
        Attempt.objects.select_related("quiz", "learner").filter(owner, pk=attempt_id).first()
        if owner is not None
        else None
    )
    if attempt is None:
        raise Http404(NOT_YOURS)
    learners.remember(request, attempt.learner)
    return attempt


def _own_attempt_at(request: HttpRequest, attempt_id: int, number: int, *, card: bool) -> Attempt:
    """The attempt at question `number` (`Attempt.objects.for_question`), if it belongs to this
    browser's learner and has that question; otherwise 404."""
    owner = learners.owner_ids(request)
    attempt = None
    if owner is not None and number >= 1:
        user_id, learner_id = owner
        attempt = Attempt.objects.for_question(
            attempt_id, number, user_id=user_id, learner_id=learner_id, card=card
        )
    if attempt is None or not number <= attempt.total:
        raise Http404(NOT_YOURS)
    learners.remember(request, attempt.learner)
    return attempt


@require_safe
def quiz_home(request: HtmxHttpRequest) -> HttpResponse:
    learner = learners.current_learner(request)
    quizzes = selectors.quizzes_with_best_scores(learner)
    return render(request, "quiz/quiz_list.html", {"quizzes": quizzes})


@require_safe
def quiz_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    size = quiz.size(quiz.scenario_count())
    context = {"quiz": quiz, "size": size, "minutes": quiz.time_limit_minutes(size)}
    return render(request, "quiz/quiz_detail.html", context)


@require_POST
@rate_limit("write", *WRITE_LIMITS)
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


@require_safe
def attempt_resume(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        return see_other(reverse("quiz:results", args=[attempt.pk]))
    return see_other(attempt.question_url(min(attempt.answered + 1, attempt.total)))


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("answer", *ANSWER_LIMITS)
def question(request: HtmxHttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """One question of an attempt; a POST answers it (201 with feedback for htmx, else 303)."""
    posting = request.method == "POST"
    attempt = _own_attempt_at(request, attempt_id, number, card=posting)
    # Not only published questions: an attempt keeps every question it holds.
    item = question_for_page(attempt.at_question_id)
    if item is None:
        raise Http404(NOT_YOURS)
    page = QuestionPage(request, attempt, number, item, selectors.answer_given(attempt))
    if posting:
        return _answer(page)
    if attempt.mode == Attempt.Mode.INTERVIEW and attempt.is_finished:
        return see_other(reverse("quiz:results", args=[attempt.pk]))
    return page.render()


def _answer(page: "QuestionPage") -> HttpResponse:
    """Grade and record the posted answer, or say why not (409 taken, 400 malformed)."""
    if page.answer is not None:
        return page.render(HTTPStatus.CONFLICT, "You have already answered this question.")
    if not page.form.is_valid():
        return page.render(HTTPStatus.BAD_REQUEST)
    attempt = page.attempt
    try:
        answer = services.answer_submit(
            attempt=attempt,
            question=page.question,
            given=page.form.given(),
            card=attempt.at_card,
        )
    except services.AnswerRefused as refusal:
        if attempt.is_overdue:
            services.attempt_finish(attempt=attempt)
        return page.render(HTTPStatus.CONFLICT, str(refusal))
    if not attempt.shows_feedback:
        return see_other(_next_url(attempt, page.number))
    if not page.request.htmx:
        return see_other(attempt.question_url(page.number))
    return page.answered(answer).render(HTTPStatus.CREATED, oob=True)


class QuestionPage:
    """The question page (or its card, for htmx), before or after an answer."""

    def __init__(self, request, attempt: Attempt, number: int, question: Question, answer):
        self.request, self.attempt, self.number = request, attempt, number
        self.question, self.answer = question, answer
        self.shown = selectors.shown_choices(attempt, question, answered=answer is not None)
        self.form = AnswerForm(
            request.POST if request.method == "POST" else None, question=question, shown=self.shown
        )

    def answered(self, answer) -> "QuestionPage":
        self.answer = answer
        return self

    def render(
        self, status: int = HTTPStatus.OK, notice: str = "", *, oob: bool = False
    ) -> HttpResponse:
        """The page, or for htmx its card; `oob` also sends the progress bar, now advanced."""
        attempt, question = self.attempt, self.question
        answer = self.answer if attempt.shows_feedback else None
        context = {
            "attempt": attempt,
            "number": self.number,
            "question": question,
            "shown": self.shown,
            "form": self.form,
            "action": attempt.question_url(self.number),
            "answer": answer,
            "picked": selectors.picked_ids(answer) if answer else set(),
            "notice": notice,
            "next_url": _next_url(attempt, self.number),
            "next_label": "Next question" if self.number < attempt.total else "See your results",
            "comes_back": selectors.comes_back(attempt.learner_id, question, answer)
            if answer
            else "",
            "seconds_left": _seconds_left(attempt),
            "oob": oob and self.request.htmx,
        }
        template = "quiz/question.html#question-card" if self.request.htmx else "quiz/question.html"
        return render(self.request, template, context, status=status)


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


@require_safe
def results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished and attempt.answered < attempt.total:
        return see_other(attempt.question_url(attempt.answered + 1))
    rows, classes = selectors.attempt_results(attempt)
    context = {
        "attempt": attempt,
        "rows": rows,
        "classes": classes,
        "missed": sum(1 for row in rows if not (row.answer and row.answer.correct)),
        "duration": (attempt.ended_at or timezone.now()) - attempt.started_at,
    }
    return render(request, "quiz/results.html", context)


@require_POST
@rate_limit("write", *WRITE_LIMITS)
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


@require_POST
@rate_limit("answer", *ANSWER_LIMITS)
@rate_limit("write", NEW_LEARNER_LIMIT)
def check_answer(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """Answer question `number` of a lesson's "check yourself" set, in place on the lesson: the
    card with feedback for htmx (201), else back to the lesson (303). Recorded like any answer;
    the set, once all answered, stays (a second send of an answer is a 409, not a new set)."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    learner = learners.current_learner(request)
    attempt = selectors.current_check(learner, lesson)
    if attempt is None:
        questions = selectors.check_questions(lesson)
        if not 1 <= number <= len(questions):
            raise Http404("That lesson has no such question to check yourself with.")
        learner = learners.learner_for_write(request)
        attempt = services.check_start(learner=learner, lesson=lesson, questions=questions)
    if not 1 <= number <= attempt.total:
        raise Http404("That lesson has no such question to check yourself with.")
    item = get_object_or_404(Question.objects.for_page(), pk=attempt.question_ids[number - 1])
    answer = item.answers.filter(attempt=attempt).prefetch_related("choices").first()
    page = CheckCard(request, attempt, number, item, answer)
    if page.answer is None and page.form.is_valid():
        try:
            page.answer = services.answer_submit(
                attempt=attempt, question=item, given=page.form.given()
            )
        except services.AnswerRefused as refusal:
            return page.render(HTTPStatus.CONFLICT, str(refusal))
        if not request.htmx:
            return see_other(f"{lesson.get_absolute_url()}#check-{number}")
        return page.render(HTTPStatus.CREATED)
    if page.answer is not None:
        return page.render(HTTPStatus.CONFLICT, "You have already answered this question.")
    return page.render(HTTPStatus.BAD_REQUEST)


class CheckCard(QuestionPage):
    """A "check yourself" question as a card at the end of its lesson."""

    def render(self, status: int = HTTPStatus.OK, notice: str = "", **kwargs) -> HttpResponse:
        context = selectors.check_card(self.attempt, self.number, self.question, self.answer)
        context.update(form=self.form, notice=notice, shown=self.shown)
        template = (
            "quiz/question.html#question-card" if self.request.htmx else "quiz/check_page.html"
        )
        return render(self.request, template, context, status=status)


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def practise_question(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Practise one question (search finds questions): a set of just it, then its page."""
    question = get_object_or_404(Question.objects.published(), slug=slug)
    learner = learners.learner_for_write(request)
    attempt = services.attempt_start(
        learner=learner,
        quiz=None,
        mode=Attempt.Mode.PRACTICE,
        question_ids=[question.pk],
        title="A question you searched for",
    )
    return see_other(attempt.question_url(1))
