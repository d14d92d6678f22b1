"""The bench's learners, made with the ORM in the throwaway database (after `django.setup()`)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from fsrs import Card

from learn.models import Lesson
from quiz import services
from quiz.models import Answer, Attempt, Question, Quiz
from quiz.progress.evidence import evidence_rebuild
from quiz.progress.learners import LEARNER_KEY
from quiz.progress.models import Learner, LessonCompletion, ReviewCard

# A form that is a valid answer (right or wrong) for each type of question, and as a body.
ANSWER_FORM = {
    Question.Type.SINGLE: {"choice": "1"},
    Question.Type.MULTIPLE: {"choice": ["1"]},
    Question.Type.TRUEFALSE: {"answer": "true"},
    Question.Type.CODE: {"answer": "404"},
}
ANSWER_BODY = {kind: urlencode(form, doseq=True) for kind, form in ANSWER_FORM.items()}


@dataclass
class Browser:
    """A learner's browser: its cookies and the CSRF token that matches them."""

    learner: Learner
    session_key: str
    csrf_secret: str

    @property
    def cookie(self) -> str:
        return (
            f"{settings.SESSION_COOKIE_NAME}={self.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf_secret}"
        )


def browser_for(learner: Learner) -> Browser:
    session = SessionStore()
    session[LEARNER_KEY] = learner.pk
    session.create()
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    return Browser(learner=learner, session_key=session.session_key, csrf_secret=secret)


def learner_with_history(answer_count: int, *, per_attempt: int = 20, lessons: int = 10) -> Learner:
    """A learner with `answer_count` answers over many days, review cards and lessons done."""
    now = datetime.now(UTC)
    learner = Learner.objects.create(timezone="Europe/Berlin")
    pool = list(Question.objects.published().order_by("id").values_list("id", flat=True))
    quiz = Quiz.objects.published().first()
    attempts = max(1, answer_count // per_attempt)
    per_attempt = min(per_attempt, answer_count)
    for n in range(attempts):
        when = now - timedelta(days=2 * (attempts - n), hours=n % 5)
        chosen = (pool[(n * per_attempt) % len(pool) :] + pool)[:per_attempt]
        attempt = Attempt.objects.create(
            learner=learner,
            quiz=quiz if n % 2 else None,
            title="" if n % 2 else f"Set {n}",
            question_ids=chosen,
            total=per_attempt,
            answered=per_attempt,
            correct=per_attempt // 2,
            finished_at=when,
        )
        Attempt.objects.filter(pk=attempt.pk).update(started_at=when - timedelta(minutes=10))
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question_id=pk, correct=(pk + n) % 3 != 0) for pk in chosen
        )
        Answer.objects.filter(attempt=attempt).update(answered_at=when)
    answered = sorted(
        set(Answer.objects.filter(attempt__learner=learner).values_list("question_id", flat=True))
    )
    cards = []
    for i, pk in enumerate(answered):
        due = now + timedelta(days=i % 7 - 3)
        cards.append(
            ReviewCard(
                learner=learner,
                question_id=pk,
                fsrs=Card(due=due).to_dict(),
                due=due,
                state=2,
                reviews=1 + i % 4,
                last_review=due - timedelta(days=1),
            )
        )
    ReviewCard.objects.bulk_create(cards)
    evidence_rebuild([learner.pk])  # what answering through the site keeps up to date
    LessonCompletion.objects.bulk_create(
        LessonCompletion(learner=learner, lesson=lesson, completed_at=now - timedelta(days=3 * i))
        for i, lesson in enumerate(Lesson.objects.published().order_by("id")[:lessons])
    )
    return learner


def open_attempt(learner: Learner) -> Attempt:
    """A practice set of every published question, nothing answered yet."""
    ids = list(Question.objects.published().order_by("id").values_list("id", flat=True))
    return services.attempt_start(
        learner=learner, quiz=None, mode=Attempt.Mode.PRACTICE, question_ids=ids, title="Bench"
    )


def answer_targets(clients: int, *, attempts_each: int) -> tuple[list[str], list[Browser]]:
    """One learner per client, each with fresh attempts: a TSV line per answer to post.

    Every line is a question not yet answered, so no request is refused as a repeat.
    """
    kinds = dict(Question.objects.published().values_list("id", "type"))
    lines, browsers = [], []
    for client in range(clients):
        browser = browser_for(Learner.objects.create())
        browsers.append(browser)
        for _ in range(attempts_each):
            attempt = open_attempt(browser.learner)
            for number, pk in enumerate(attempt.question_ids, start=1):
                path = attempt.question_url(number)
                body = ANSWER_BODY[kinds[pk]]
                lines.append(f"{client}\t{path}\t{browser.cookie}\t{browser.csrf_secret}\t{body}")
    return lines, browsers
