"""What the security tests share: a site with learners, attempts and an account to probe."""

import copy
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learn.models import FollowUp, Lesson
from quiz import services
from quiz.interview.services import drill_answer_record, mock_start
from quiz.models import Attempt, Choice, Question, Quiz
from quiz.progress.learners import LEARNER_KEY
from quiz.progress.models import Learner
from tests.browser.conftest import site  # noqa: F401 (the live site, for test_xss)
from tests.security.xss_vectors import SWALLOWING, VECTORS

MEMBER_PASSWORD = "a long enough passphrase 7"


@dataclass
class World:
    """Real values for every URL parameter, and the learners who own the attempts."""

    member: object
    anonymous: Learner
    values: dict[str, list] = field(default_factory=dict)
    _clients: dict[str, tuple[Client, SimpleCookie]] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        """A client that shows a 500 as a status, as `who`: stranger, anonymous or member.

        One client each, made once (a new one loads the middleware, and whitenoise then scans
        every static file), its cookies put back before each use.
        """
        if who not in self._clients:
            client = Client(raise_request_exception=False)
            if who == "member":
                client.force_login(self.member, backend="django.contrib.auth.backends.ModelBackend")
            elif who == "anonymous":
                session = client.session
                session[LEARNER_KEY] = self.anonymous.pk
                session.save()
            self._clients[who] = (client, copy.deepcopy(client.cookies))
        client, cookies = self._clients[who]
        client.cookies = copy.deepcopy(cookies)
        return client


def _attempts(learner: Learner) -> list[int]:
    """A fresh practice attempt, an interview one, a half-answered one and a finished one."""
    quizzes = list(Quiz.objects.published().order_by("position")[:3])
    fresh = services.attempt_start(learner=learner, quiz=quizzes[0], mode="practice")
    interview = services.attempt_start(learner=learner, quiz=quizzes[1], mode="interview")
    half = services.attempt_start(learner=learner, quiz=quizzes[2], mode="practice")
    question = Question.objects.get(pk=half.question_ids[0])
    services.answer_submit(attempt=half, question=question, given=_some_answer(question))
    done = services.attempt_start(learner=learner, quiz=quizzes[0], mode="practice")
    services.attempt_finish(attempt=done)
    return [fresh.pk, interview.pk, half.pk, done.pk]


def _some_answer(question: Question) -> services.Given:
    if question.type == Question.Type.CODE:
        return services.Given(code=404)
    if question.type == Question.Type.TRUEFALSE:
        return services.Given(boolean=True)
    return services.Given(choices=(question.choices.first(),))


def _mocks(learner: Learner) -> list[int]:
    """A mock interview with its first question rated, and one finished."""
    followups = list(FollowUp.objects.current().order_by("id")[:5])
    open_mock = mock_start(learner=learner, followup_ids=[f.pk for f in followups])
    done = mock_start(learner=learner, followup_ids=[followups[0].pk])
    now = timezone.now()
    for mock in (open_mock, done):
        drill_answer_record(
            learner=learner,
            followup=followups[0],
            text="401 means no valid credentials",
            made={1},
            rating=3,
            served_at=now - timedelta(seconds=mock.pk),
            seconds=20,
            when=now,
            mock=mock,
        )
    return [open_mock.pk, done.pk]


@pytest.fixture
def world(db) -> World:
    member = get_user_model().objects.create_user("fuzz-member", password=MEMBER_PASSWORD)
    anonymous = Learner.objects.create()
    attempt_ids = _attempts(anonymous) + _attempts(Learner.objects.create(user=member))
    stranger = _attempts(Learner.objects.create())[:1]
    mock_ids = _mocks(anonymous) + _mocks(Learner.objects.get(user=member))
    job = signing.dumps(0, salt="lab-job")  # started in 1970: long done, yet over an hour old
    fresh_job = signing.dumps(int(time.time() * 1000), salt="lab-job")
    slugs = list(Lesson.objects.values_list("slug", flat=True)[:5])
    slugs += list(Quiz.objects.values_list("slug", flat=True)[:5])
    keys = list(FollowUp.objects.filter(lesson__slug__in=slugs).values_list("key", flat=True)[:6])
    values = {
        "slug": slugs,
        "key": keys + ["no-such-follow-up"],
        "mock_id": mock_ids,
        "attempt_id": attempt_ids + stranger,
        "number": [1, 2, 3, max(Attempt.objects.get(pk=attempt_ids[0]).total, 1)],
        "code": [200, 201, 204, 206, 301, 304, 400, 401, 404, 418, 429, 451, 503, 599],
        "job": [job, fresh_job],
        "fault": ["bad-response", "overloaded", "slow", "unknown"],
        "uidb64": [urlsafe_base64_encode(force_bytes(member.pk)), "MQ", "not-a-user"],
        "token": [default_token_generator.make_token(member), "set-password", "bad-token"],
    }
    return World(member=member, anonymous=anonymous, values=values)


# The XSS corpus in every authored field ------------------------------------------------------


def start_of(field: str) -> str:
    return f"Readable start of the {field}."


def end_of(field: str) -> str:
    return f"Readable end of the {field}."


def corpus_markdown(field: str) -> str:
    """Every vector as its own paragraph, between two plain sentences that must survive."""
    inner = [vector for vector in VECTORS if vector not in SWALLOWING]
    return "\n\n".join([start_of(field), *inner, end_of(field), *SWALLOWING])


@dataclass
class XssContent:
    lesson: Lesson
    quiz: Quiz
    question: Question


@pytest.fixture
def xss_content(db) -> XssContent:
    """A lesson, a quiz and a question whose every field carries the corpus.

    Short fields (titles, choices, follow-up questions) hold one vector each, on records that
    one page lists together: the lesson list, the quiz list, the question's choices.
    """
    lesson = Lesson.objects.create(
        slug="xss-corpus",
        title=f"Corpus lesson {VECTORS[0]}",
        group=Lesson.Group.TOPICS,
        position=900,
        summary=f"{start_of('summary')} {' '.join(VECTORS)} {end_of('summary')}",
        takeaways=VECTORS,
        body=corpus_markdown("lesson body"),
        short_answer=corpus_markdown("short answer"),
    )
    FollowUp.objects.create(
        lesson=lesson,
        key="all-of-them",
        position=0,
        question="All of them",
        answer=corpus_markdown("follow-up"),
        rubric=[{"point": vector, "phrasings": [vector, vector[::-1]]} for vector in VECTORS],
    )
    for n, vector in enumerate(VECTORS, start=1):
        FollowUp.objects.create(
            lesson=lesson, key=f"vector-{n}", position=n, question=vector, answer=vector
        )
        Lesson.objects.create(
            slug=f"xss-{n}", title=vector, summary=vector, body=vector, position=900 + n
        )
        Quiz.objects.create(slug=f"xss-{n}", title=vector, description=vector, position=900 + n)
    question = Question.objects.create(
        slug="xss-corpus",
        type=Question.Type.MULTIPLE,
        prompt=corpus_markdown("prompt"),
        snippet_language="html",
        snippet_code="\n".join(VECTORS),
        explanation=corpus_markdown("explanation"),
        lesson=lesson,
    )
    Choice.objects.create(question=question, position=0, text="The right one", correct=True)
    for n, vector in enumerate(VECTORS, start=1):
        Choice.objects.create(
            question=question, position=n, text=vector, why=corpus_markdown(f"why-not {n}")
        )
    quiz = Quiz.objects.create(
        slug="xss-corpus",
        title=f"Corpus quiz {VECTORS[1]}",
        description=corpus_markdown("quiz description"),
        position=0,
    )
    quiz.questions.add(question)
    return XssContent(lesson=lesson, quiz=quiz, question=question)
