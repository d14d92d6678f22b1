"""Rate limits: each allows its count, then answers 429 with Retry-After and writes nothing."""

from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from config.ratelimit import Rate, hit
from quiz.models import Answer, Attempt, Question
from tests.bench.fixtures import ANSWER_FORM
from tests.quiz.conftest import start as start_attempt

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "question-card"}  # what htmx sends from a question
QUIZ = "401-vs-403"  # shipped content: more questions than any limit below
PASSWORD = "correct-horse-battery-staple-42"
User = get_user_model()


def start(client: Client) -> Attempt:
    return start_attempt(client, slug=QUIZ)


def answer(client: Client, attempt: Attempt, number: int, **headers):
    """Post a well-formed answer (right or wrong does not matter) to question `number`."""
    kind = Question.objects.get(pk=attempt.question_ids[number - 1]).type
    return client.post(f"/quiz/attempts/{attempt.pk}/{number}/", ANSWER_FORM[kind], headers=headers)


def assert_refused(response, *, within: int, says: str) -> None:
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(response["Retry-After"]) <= within
    assert says in response.text
    assert f"Wait {response['Retry-After']} second" in response.text or "minutes" in response.text


@pytest.fixture
def answer_limits(settings):
    settings.ANSWER_RATE_LIMIT = "3/minute"
    settings.ANSWER_RATE_LIMIT_PER_IP = "off"
    return settings


def test_a_learner_may_post_three_answers_a_minute_then_gets_429(client, answer_limits):
    attempt = start(client)
    for number in (1, 2, 3):
        assert answer(client, attempt, number).status_code < HTTPStatus.BAD_REQUEST
    refused = answer(client, attempt, 4)
    assert_refused(refused, within=60, says="the site takes 3 answers a minute from one learner")
    assert 'class="site-header"' in refused.text  # the site's error page
    assert Answer.objects.filter(attempt=attempt).count() == 3
    attempt.refresh_from_db()
    assert attempt.answered == 3


def test_the_answer_limit_refuses_an_htmx_post_with_a_fragment(client, answer_limits):
    attempt = start(client)
    for number in (1, 2, 3):
        answer(client, attempt, number, **HTMX)
    refused = answer(client, attempt, 4, **HTMX)
    assert_refused(refused, within=60, says="3 answers a minute from one learner")
    assert refused.text.startswith('<div id="question-card"')
    assert "<header" not in refused.text
    assert Answer.objects.filter(attempt=attempt).count() == 3


def test_viewing_questions_does_not_count_against_the_answer_limit(client, answer_limits):
    attempt = start(client)
    for _ in range(5):
        assert client.get(f"/quiz/attempts/{attempt.pk}/1/").status_code == HTTPStatus.OK
    assert answer(client, attempt, 1).status_code == HTTPStatus.SEE_OTHER


def test_answers_from_one_address_are_limited_across_learners(settings):
    settings.ANSWER_RATE_LIMIT = "off"
    settings.ANSWER_RATE_LIMIT_PER_IP = "3/minute"
    first, second = Client(), Client()
    mine, theirs = start(first), start(second)
    assert answer(first, mine, 1).status_code == HTTPStatus.SEE_OTHER
    assert answer(first, mine, 2).status_code == HTTPStatus.SEE_OTHER
    assert answer(second, theirs, 1).status_code == HTTPStatus.SEE_OTHER
    refused = answer(second, theirs, 2)
    assert_refused(refused, within=60, says="the site takes 3 answers a minute from one address")
    assert Answer.objects.count() == 3
    other_address = Client(REMOTE_ADDR="203.0.113.9")
    assert answer(other_address, start(other_address), 1).status_code == HTTPStatus.SEE_OTHER


def sign_up(username: str):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return Client().post("/accounts/signup/", data)


def test_sign_ups_are_limited_per_address(settings):
    settings.SIGNUP_RATE_LIMIT = "2/hour"
    assert sign_up("ada").status_code == HTTPStatus.SEE_OTHER
    assert sign_up("grace").status_code == HTTPStatus.SEE_OTHER
    refused = sign_up("linus")
    assert_refused(refused, within=3600, says="Too many sign-ups came from your network")
    assert "the site takes 2 an hour from one address" in refused.text
    assert not User.objects.filter(username="linus").exists()
    assert User.objects.count() == 2


def test_log_in_posts_are_limited_per_address(client, settings):
    settings.LOGIN_RATE_LIMIT = "3/minute"
    User.objects.create_user("ada", password=PASSWORD)
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
    refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert_refused(refused, within=60, says="Too many log-in attempts came from your network")
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/login/").status_code == HTTPStatus.OK  # reading is not limited


def test_failed_log_ins_lock_the_address_out_with_retry_after(client, settings):
    """django-axes: the site's log-in after LOGIN_FAILURE_LIMIT wrong passwords."""
    User.objects.create_user("ada", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
    locked = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "Too many failed log-ins came from your network" in locked.text
    right = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("120/minute", Rate(120, 60)),
        ("10/hour", Rate(10, 3600)),
        ("5/30", Rate(5, 30)),
        ("7/s", Rate(7, 1)),
        ("off", None),
        ("0", None),
        ("", None),
    ],
)
def test_rates_are_read_from_settings_text(value, rate):
    assert Rate.parse(value) == rate


def test_a_burst_across_a_minute_boundary_is_still_limited():
    """The window opens with a client's first request, not on the clock's minute."""
    rate = Rate(5, 60)
    with time_machine.travel("2026-11-24 12:00:59.9Z", tick=False):
        assert [hit("burst", rate) for _ in range(3)] == [None] * 3
    with time_machine.travel("2026-11-24 12:01:00.1Z", tick=False):
        assert [hit("burst", rate) for _ in range(2)] == [None] * 2
        assert hit("burst", rate) == 60  # 59.8 s left, rounded up
    with time_machine.travel("2026-11-24 12:01:59.8Z", tick=False):
        assert hit("burst", rate) == 1
    with time_machine.travel("2026-11-24 12:01:59.9Z", tick=False):
        assert hit("burst", rate) is None  # the window has closed; a new one opens


@pytest.mark.parametrize("value", ["lots", "10/fortnight", "-1/minute"])
def test_a_mistyped_rate_is_an_error(value):
    with pytest.raises(ValueError, match="is not a rate limit"):
        Rate.parse(value)


def test_a_failed_log_in_with_an_overlong_username_is_recorded_not_a_500(client):
    """PostgreSQL enforces axes' 255-character username column; SQLite does not."""
    from axes.models import AccessAttempt

    response = client.post("/accounts/login/", {"username": "a" * 5000, "password": "wrong"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert AccessAttempt.objects.get().username == "a" * 255
