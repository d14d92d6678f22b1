"""Accounts: sign up, log in, log out, password change, and merging anonymous progress."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from learn.models import Lesson
from quiz.models import Answer, Attempt, Question
from quiz.progress.learners import learner_merge
from quiz.progress.models import Learner, LessonCompletion, ReviewCard, ReviewLog
from quiz.progress.review import card_review
from tests.quiz.conftest import start

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple-42"
User = get_user_model()


def sign_up(client, username="ada", **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def answer_first_question(client, attempt, right=True):
    """Answer the test quiz's code question (number 2), right (201) or wrong (200)."""
    return client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "201" if right else "200"})


@pytest.fixture
def lesson(db):
    return Lesson.objects.create(slug="a-lesson", title="A lesson", body="Text.", position=1)


def test_account_pages_render_in_the_site_layout(client):
    for path in ["/accounts/signup/", "/accounts/login/"]:
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        assert 'class="site-header"' in response.text
        assert 'name="csrfmiddlewaretoken"' in response.text


def test_sign_up_logs_in_and_lands_on_progress(client):
    response = sign_up(client)
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/progress/"
    page = client.get("/progress/")
    assert "Signed in as <strong>ada</strong>" in page.text
    assert "Log out" in page.text


def test_sign_up_errors_are_400_and_shown_in_place(client):
    response = client.post(
        "/accounts/signup/", {"username": "ada", "password1": PASSWORD, "password2": "other"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The two passwords differ" in response.text
    assert 'value="ada"' in response.text  # what was typed is kept
    assert not User.objects.exists()

    for data in ({"username": "", "password1": "x"}, {}):
        response = client.post("/accounts/signup/", data)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "This field is required." in response.text


def test_a_weak_password_is_refused(client):
    response = client.post(
        "/accounts/signup/", {"username": "ada", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "too common" in response.text


@pytest.mark.parametrize("taken", ["ada", "ADA", "Ada"])
def test_a_duplicate_username_is_a_clear_error(client, taken):
    User.objects.create_user("ada", password=PASSWORD)
    response = sign_up(client, username=taken)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That username is taken" in response.text
    assert User.objects.count() == 1


def test_sign_up_refuses_an_off_site_next(client):
    response = sign_up(client, next="https://evil.example/")
    assert response["Location"] == "/progress/"
    client.logout()
    response = sign_up(client, username="bob", next="/quiz/")
    assert response["Location"] == "/quiz/"


def test_wrong_credentials_are_400_and_say_so(client):
    User.objects.create_user("ada", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please enter a correct username and password" in response.text


def test_log_out_is_a_post_and_forgets_the_browser(client):
    sign_up(client)
    assert client.get("/accounts/logout/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post("/accounts/logout/")
    assert response.status_code == HTTPStatus.FOUND
    assert "Log in" in client.get("/").text


def test_password_change(client):
    sign_up(client)
    bad = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    )
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "Your old password was entered incorrectly" in bad.text
    new = "another-long-passphrase-77"
    good = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert good.status_code == HTTPStatus.FOUND
    assert User.objects.get(username="ada").check_password(new)
    assert "Password changed" in client.get("/accounts/password/done/").text


def test_password_change_needs_an_account(client):
    response = client.get("/accounts/password/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/?next=")


def test_signing_up_keeps_what_the_browser_did(client, quiz, lesson):
    client.post(f"/progress/lessons/{lesson.slug}/", {"done": "1", "tz": "Europe/Berlin"})
    attempt = start(client)
    answer_first_question(client, attempt)
    anonymous = Learner.objects.get()

    sign_up(client)

    learner = Learner.objects.get()
    assert learner.pk == anonymous.pk
    assert learner.user.username == "ada"
    assert learner.timezone == "Europe/Berlin"
    page = client.get("/progress/").text
    assert "Test quiz" in page
    assert LessonCompletion.objects.filter(learner=learner).count() == 1


def test_logging_in_merges_the_browser_into_the_account(client, quiz, lesson):
    # Yesterday, on another device, the account answered and read.
    user = User.objects.create_user("ada", password=PASSWORD)
    account = Learner.objects.create(user=user)
    earlier = timezone.now() - timedelta(days=1)
    LessonCompletion.objects.create(learner=account, lesson=lesson, completed_at=earlier)
    other_lesson = Lesson.objects.create(slug="other", title="Other", body="x", position=2)

    # Today, anonymously in this browser.
    client.post(f"/progress/lessons/{lesson.slug}/", {"done": "1"})
    client.post(f"/progress/lessons/{other_lesson.slug}/", {"done": "1"})
    attempt = start(client)
    answer_first_question(client, attempt)
    anonymous = Learner.objects.get(user__isnull=True)

    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND

    assert not Learner.objects.filter(pk=anonymous.pk).exists()
    assert Attempt.objects.get().learner == account
    assert Answer.objects.filter(attempt__learner=account).count() == 1
    completions = dict(
        LessonCompletion.objects.filter(learner=account).values_list("lesson__slug", "completed_at")
    )
    assert set(completions) == {"a-lesson", "other"}  # no duplicate for the shared lesson
    assert completions["a-lesson"] == earlier  # the earlier completion is kept
    assert ReviewCard.objects.filter(learner=account).count() == 1
    # The browser now shows the account's progress, and the anonymous attempt still opens.
    assert client.get(f"/quiz/attempts/{attempt.pk}/results/").status_code in (200, 303)
    assert "Test quiz" in client.get("/progress/").text


def test_merge_keeps_the_card_with_more_reviews_and_all_the_logs(quiz):
    question = Question.objects.get(slug="t-code")
    other = Question.objects.get(slug="t-tf")
    source, target = Learner.objects.create(), Learner.objects.create()
    now = timezone.now()
    for day in range(3):  # the source reviewed t-code three times
        card_review(learner=source, question=question, correct=True, when=now + timedelta(days=day))
    card_review(learner=target, question=question, correct=False, when=now)  # target: once
    card_review(learner=target, question=other, correct=True, when=now)  # not in conflict
    card_review(learner=source, question=other, correct=True, when=now)  # tie on reviews: 1 each
    source_card = ReviewCard.objects.get(learner=source, question=question)

    learner_merge(source=source, target=target)

    cards = ReviewCard.objects.filter(learner=target)
    assert cards.count() == 2
    kept = cards.get(question=question)
    assert kept.pk == source_card.pk and kept.reviews == 3
    assert ReviewLog.objects.filter(card=kept).count() == 4  # 3 of its own + 1 from the loser
    assert ReviewLog.objects.count() == 6  # nothing lost
    assert ReviewCard.objects.count() == 2
    assert not Learner.objects.filter(pk=source.pk).exists()


def test_merge_with_the_account_having_more_reviews_keeps_the_accounts_card(quiz):
    question = Question.objects.get(slug="t-code")
    source, target = Learner.objects.create(), Learner.objects.create()
    now = timezone.now()
    card_review(learner=source, question=question, correct=True, when=now)
    for day in range(2):
        card_review(
            learner=target, question=question, correct=False, when=now + timedelta(days=day)
        )
    target_card = ReviewCard.objects.get(learner=target)
    learner_merge(source=source, target=target)
    assert list(ReviewCard.objects.values_list("pk", "reviews")) == [(target_card.pk, 2)]
    assert ReviewLog.objects.filter(card=target_card).count() == 3


def test_logging_out_then_in_again_does_not_duplicate(client, quiz):
    sign_up(client)
    attempt = start(client)
    answer_first_question(client, attempt)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert Learner.objects.count() == 1
    assert Answer.objects.count() == 1
    assert ReviewCard.objects.count() == 1


def test_an_anonymous_session_never_reaches_an_accounts_learner(client, quiz):
    user = User.objects.create_user("ada", password=PASSWORD)
    account = Learner.objects.create(user=user)
    session = client.session
    session["learner_id"] = account.pk  # a forged or stale session value
    session.save()
    assert "No quizzes yet" in client.get("/progress/").text
    assert client.get("/progress/export/").json()["learner"] is None
