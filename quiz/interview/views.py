"""Interview drill pages: the topics, the cheatsheet, one follow-up at a time (ask, reveal,
rate), the follow-ups due for review, and mock interviews.

A follow-up's page is asked with a GET; revealing is a POST of the typed text that records
nothing and answers 200 with the model answer and the rubric; rating is a POST that records the
answer, reviews the follow-up's card and answers See Other, to the next question.
"""

import random
from http import HTTPStatus

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.errors import error_response
from config.http import HtmxHttpRequest, see_other
from config.ratelimit import rate_limit
from learn.caching import content_page, render_page
from learn.models import FollowUp
from quiz.interview import selectors, services
from quiz.interview.forms import MAX_ANSWER, RATINGS, DrillForm, Timer
from quiz.limits import ANSWER_LIMITS, NEW_LEARNER_LIMIT, WRITE_LIMITS
from quiz.progress import learners, review
from quiz.progress.context_processors import learning_for
from quiz.progress.kept import kept_page
from quiz.progress.models import MockInterview

VIA = {"topic": "", "mixed": "Mixed topics", "due": "Due for review"}


@require_safe
@kept_page
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Pick a topic, mixed, the follow-ups due, or a mock interview."""
    learner = learners.current_learner(request)
    rows = selectors.readiness(selectors.topics(), selectors.latest_answers(learner))
    context = {
        "rows": rows,
        "questions": sum(len(row.topic.items) for row in rows),
        "due": learning_for(request).due.followups,
    }
    return render_page(request, "interview/home.html", context)


@require_safe
@content_page
def cheatsheet(request: HtmxHttpRequest) -> HttpResponse:
    """Every lesson's short answer on one printable page."""
    context = {"lessons": selectors.cheatsheet()}
    return render_page(request, "interview/cheatsheet.html", context)


@require_safe
def drill_topic(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The next follow-up of one lesson: one never drilled, else the one drilled longest ago."""
    topic = next((t for t in selectors.topics() if t.slug == slug), None)
    if topic is None:
        raise Http404(
            "There is no lesson with interview questions at that address. Pick a topic on the "
            "Interview page (/interview/)."
        )
    latest = selectors.latest_answers(learners.current_learner(request))
    item = selectors.next_item(list(topic.items), latest)
    return DrillPage(request, _followup(item.id), via="topic").ask()


@require_safe
def drill_mixed(request: HtmxHttpRequest) -> HttpResponse:
    """A follow-up from any topic: one never drilled, at random, else the one drilled longest
    ago."""
    items = [item for topic in selectors.topics() for item in topic.items]
    latest = selectors.latest_answers(learners.current_learner(request))
    item = selectors.next_item(items, latest, random.Random())
    if item is None:
        raise Http404("There are no interview questions to drill yet.")
    return DrillPage(request, _followup(item.id), via="mixed").ask()


@require_safe
def drill_due(request: HtmxHttpRequest) -> HttpResponse:
    """The most overdue follow-up due for review; when none is left, say when the next is."""
    learner = learners.current_learner(request)
    now = timezone.now()
    cards = selectors.due_cards(learner, now, limit=1)
    if cards:
        return DrillPage(request, cards[0].followup, via="due").ask()
    context = {
        "next_due": review.next_due(learner, now) if learner else None,
        "questions_due": learning_for(request).due.questions,
    }
    return render(request, "interview/none_due.html", context)


def _followup(pk: int) -> FollowUp:
    return FollowUp.objects.select_related("lesson").get(pk=pk)


def _current_followup(slug: str, key: str) -> FollowUp:
    """The follow-up at this address: 404 if there is none, 410 Gone if it was retired."""
    followup = selectors.followup_for_page(slug, key)
    if followup is None:
        raise Http404(
            f"There is no interview question “{key}” in a lesson “{slug}”. Pick one from the "
            "Interview page (/interview/)."
        )
    return followup


def _gone(request: HtmxHttpRequest, followup: FollowUp) -> HttpResponse:
    return error_response(
        request,
        HTTPStatus.GONE,
        reason=f"“{followup.question}” is no longer part of the lesson “{followup.lesson}”: "
        "your answers to it are kept, but it is not asked any more.",
    )


def _via(request: HtmxHttpRequest) -> str:
    """Which drill the learner came from, so the next question comes from it too."""
    via = request.POST.get("via") or request.GET.get("via") or "topic"
    return via if via in VIA else "topic"


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("answer", *ANSWER_LIMITS)
def followup(request: HtmxHttpRequest, slug: str, key: str) -> HttpResponse:
    """One follow-up: the question (GET), or its reveal (POST of the typed answer; 200)."""
    item = _current_followup(slug, key)
    if item.retired_at is not None:
        return _gone(request, item)
    page = DrillPage(request, item, via=_via(request))
    return page.reveal_posted() if request.method == "POST" else page.ask()


@require_POST
@rate_limit("answer", *ANSWER_LIMITS)
@rate_limit("write", NEW_LEARNER_LIMIT)
def rate(request: HtmxHttpRequest, slug: str, key: str) -> HttpResponse:
    """Record the rated answer and review the follow-up's card; See Other, to the next one."""
    item = _current_followup(slug, key)
    if item.retired_at is not None:
        return _gone(request, item)
    return DrillPage(request, item, via=_via(request)).rate_posted()


class DrillPage:
    """A follow-up's page in the drill or a mock interview: asked, revealed, or rated."""

    def __init__(self, request, followup: FollowUp, *, via="topic", mock=None, number=0, total=0):
        self.request, self.followup, self.via = request, followup, via
        self.mock, self.number, self.total = mock, number, total
        self.form: DrillForm | None = None

    def _bind(self, *, rate: bool) -> DrillForm:
        points = len(self.followup.rubric)
        self.form = DrillForm(
            self.request.POST, followup_id=self.followup.pk, points=points, rate=rate
        )
        return self.form

    # Where the forms go and where the learner goes next ---------------------------------------

    def url(self, name: str) -> str:
        if self.mock is not None:
            return reverse(f"interview:mock_{name}", args=[self.mock.pk, self.number])
        lesson = self.followup.lesson
        return reverse(f"interview:{name}", args=[lesson.slug, self.followup.key])

    def next_url(self) -> str:
        if self.mock is not None:
            if self.number < self.total:
                return reverse("interview:mock_question", args=[self.mock.pk, self.number + 1])
            return reverse("interview:mock", args=[self.mock.pk])
        if self.via == "topic":
            return reverse("interview:topic", args=[self.followup.lesson.slug])
        return reverse(f"interview:{self.via}")

    # The three steps ----------------------------------------------------------------------------

    def ask(self, status: int = HTTPStatus.OK, timer: Timer | None = None) -> HttpResponse:
        now = timezone.now()
        timer = timer or Timer.start(self.followup.pk, now)
        return self._render("ask", status, timer=timer, elapsed=timer.seconds(now))

    def reveal_posted(self) -> HttpResponse:
        """Show the model answer and the matcher's marks for the typed text; records nothing."""
        form = self._bind(rate=False)
        if not form.is_valid():
            return self._refused()
        timer = form.cleaned_data["token"].reveal(timezone.now())
        return self._revealed(HTTPStatus.OK, timer, form.cleaned_data["answer"], checked=None)

    def rate_posted(self) -> HttpResponse:
        """Record the answer with the learner's marks and rating; See Other, to the next one."""
        form = self._bind(rate=True)
        if not form.is_valid():
            return self._refused()
        data, now = form.cleaned_data, timezone.now()
        timer: Timer = data["token"]
        learner = learners.learner_for_write(self.request)
        try:
            answer = services.drill_answer_record(
                learner=learner,
                followup=self.followup,
                text=data["answer"],
                made=set(data["made"]),
                rating=data["rating"],
                served_at=timer.served_at,
                seconds=timer.seconds(now),
                when=now,
                mock=self.mock,
            )
        except services.DrillRefused as refusal:
            return error_response(self.request, HTTPStatus.CONFLICT, reason=str(refusal))
        when = review.comes_back(answer.comes_back, now)
        messages.success(
            self.request,
            f"Rated {answer.get_rating_display()}: {answer.made} of {answer.points} points. "
            f"“{self.followup.question}” comes back for review {when}.",
        )
        return see_other(self.next_url())

    def _refused(self) -> HttpResponse:
        """400 with what was wrong: the question again, the typed text kept, when the text or
        the timer is; the revealed page again when only the marks or the rating are."""
        form, now = self.form, timezone.now()
        timer = form.cleaned_data.get("token")
        if timer is None or "answer" in form.errors:
            kept = Timer(timer.followup_id, timer.served_ms) if timer else None
            return self.ask(HTTPStatus.BAD_REQUEST, timer=kept)
        checked = {int(n) for n in self.request.POST.getlist("made") if n.isdigit()}
        text = form.cleaned_data["answer"]
        return self._revealed(HTTPStatus.BAD_REQUEST, timer.reveal(now), text, checked=checked)

    def _revealed(self, status, timer: Timer, text: str, checked: set[int] | None):
        marks = services.marks_for(self.followup, text)
        ticked = checked if checked is not None else {m.number for m in marks if m.found}
        return self._render(
            "reveal",
            status,
            timer=timer,
            text=text,
            marks=[(mark, mark.number in ticked) for mark in marks],
            elapsed=timer.seconds(timezone.now()),
        )

    def _render(self, step: str, status: int, **context) -> HttpResponse:
        followup = self.followup
        topic = next((t for t in selectors.topics() if t.lesson_id == followup.lesson_id), None)
        form = self.form
        context = {
            "step": step,
            "followup": followup,
            "lesson": followup.lesson,
            "topic": topic,
            "via": self.via,
            "via_label": VIA[self.via] or followup.lesson.title,
            "mock": self.mock,
            "number": self.number,
            "total": self.total,
            "ask_url": self.url("followup" if self.mock is None else "question"),
            "rate_url": self.url("rate"),
            "stop_url": reverse("interview:home"),
            "text": form.text.replace("\x00", "") if form else "",
            "errors": form.messages() if form else [],
            "ratings": RATINGS.choices,
            "max_answer": MAX_ANSWER,
            **context,
        }
        context["token"] = context["timer"].token
        return render(self.request, "interview/drill.html", context, status=status)


# Mock interviews ------------------------------------------------------------------------------

NOT_YOUR_MOCK = (
    "That is not one of your mock interviews. Start one from the mock interview page "
    "(/interview/mock/)."
)


@require_safe
def mock_home(request: HtmxHttpRequest) -> HttpResponse:
    learner = learners.current_learner(request)
    past = list(selectors.mocks_of(learner)) if learner else []
    return render(request, "interview/mock_home.html", {"past": past})


@require_POST
@rate_limit("write", *WRITE_LIMITS)
def mock_start(request: HtmxHttpRequest) -> HttpResponse:
    """Five follow-ups from the learner's weakest topics, never-drilled topics first."""
    learner = learners.learner_for_write(request)
    latest = selectors.latest_answers(learner)
    ids = selectors.mock_draw(selectors.topics(), latest, random.Random())
    mock = services.mock_start(learner=learner, followup_ids=ids)
    return see_other(reverse("interview:mock_question", args=[mock.pk, 1]))


def _own_mock(request: HtmxHttpRequest, mock_id: int) -> MockInterview:
    mock = selectors.mock_for(learners.current_learner(request), mock_id)
    if mock is None:
        raise Http404(NOT_YOUR_MOCK)
    return mock


@require_safe
def mock(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    """The summary once every question is rated; before that, See Other to the next one."""
    interview = _own_mock(request, mock_id)
    followups = selectors.mock_followups(interview)
    answers = selectors.mock_answers(interview)
    for number, item in enumerate(followups, start=1):
        if item.pk not in answers:
            return see_other(reverse("interview:mock_question", args=[interview.pk, number]))
    rows = [(item, answers[item.pk]) for item in followups]
    context = {
        "mock": interview,
        "rows": rows,
        "made": sum(answer.made for _, answer in rows),
        "points": sum(answer.points for _, answer in rows),
        "seconds": sum(answer.seconds for _, answer in rows),
    }
    return render(request, "interview/mock_summary.html", context)


def _mock_page(request: HtmxHttpRequest, mock_id: int, number: int) -> "DrillPage | None":
    """The mock's question `number` (404 past its end); None once it is answered."""
    interview = _own_mock(request, mock_id)
    followups = selectors.mock_followups(interview)
    if not 1 <= number <= len(followups):
        raise Http404(f"This mock interview has {len(followups)} questions, not {number}.")
    item = followups[number - 1]
    if interview.answers.filter(followup=item).exists():
        return None
    return DrillPage(request, item, mock=interview, number=number, total=len(followups))


ANSWERED = "You have already answered this question of the mock interview."


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("answer", *ANSWER_LIMITS)
def mock_question(request: HtmxHttpRequest, mock_id: int, number: int) -> HttpResponse:
    """A mock interview's question, with its clock (GET), or its reveal (POST; 200)."""
    page = _mock_page(request, mock_id, number)
    if page is None:
        if request.method == "POST":
            return error_response(request, HTTPStatus.CONFLICT, reason=ANSWERED)
        return see_other(reverse("interview:mock", args=[mock_id]))
    return page.reveal_posted() if request.method == "POST" else page.ask()


@require_POST
@rate_limit("answer", *ANSWER_LIMITS)
def mock_rate(request: HtmxHttpRequest, mock_id: int, number: int) -> HttpResponse:
    page = _mock_page(request, mock_id, number)
    if page is None:
        return error_response(request, HTTPStatus.CONFLICT, reason=ANSWERED)
    return page.rate_posted()
