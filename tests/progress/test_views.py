"""Progress pages: lessons marked done, practice sets, review start, export and delete."""

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from learn.models import Lesson
from quiz.models import Answer, Attempt, Question
from quiz.progress.models import Learner, LessonCompletion, ReviewCard, ReviewLog
from tests.quiz.conftest import start

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def lesson(db):
    return Lesson.objects.create(
        slug="a-lesson", title="A lesson", body="Text.", position=1, group="topics"
    )


def done_url(lesson):
    return f"/progress/lessons/{lesson.slug}/"


def answer_all(client, attempt, *, right: bool):
    """Answer the test quiz's code (2) and true/false (3) questions; leave the others."""
    client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "201" if right else "200"})
    client.post(f"/quiz/attempts/{attempt.pk}/3/", {"answer": "false" if right else "true"})


def test_mark_as_done_with_htmx_swaps_in_the_done_state(client, lesson):
    page = client.get(lesson.get_absolute_url()).text
    assert "Mark as done" in page
    response = client.post(done_url(lesson), {"done": "1"}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert response.text.lstrip().startswith('<div id="lesson-done"')
    assert "Undo" in response.text and "<html" not in response.text
    assert LessonCompletion.objects.get().lesson == lesson
    page = client.get(lesson.get_absolute_url()).text
    assert "Done: you marked this lesson as read." in page


def test_mark_as_done_without_javascript_redirects_back(client, lesson):
    response = client.post(done_url(lesson), {"done": "1"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/learn/a-lesson/#lesson-done"


def test_marking_twice_keeps_one_and_undo_removes_it(client, lesson):
    client.post(done_url(lesson), {"done": "1"})
    client.post(done_url(lesson), {"done": "1"})
    assert LessonCompletion.objects.count() == 1
    response = client.post(done_url(lesson), {"done": "0"}, headers=HTMX)
    assert "Mark as done" in response.text
    assert LessonCompletion.objects.count() == 0


def test_undo_without_progress_writes_nothing(client, lesson):
    assert client.post(done_url(lesson), {"done": "0"}).status_code == HTTPStatus.SEE_OTHER
    assert Learner.objects.count() == 0


def test_done_needs_post_a_known_value_and_a_published_lesson(client, lesson):
    assert client.get(done_url(lesson)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(done_url(lesson), {"done": "yes"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "done must be 1" in response.text
    assert client.post("/progress/lessons/nope/", {"done": "1"}).status_code == 404
    Lesson.objects.filter(pk=lesson.pk).update(published=False)
    assert client.post(done_url(lesson), {"done": "1"}).status_code == HTTPStatus.NOT_FOUND
    assert LessonCompletion.objects.count() == 0


def test_lesson_list_shows_done_lessons_and_shares(client, shipped_content):
    assert "Done" not in client.get("/learn/").text
    client.post("/progress/lessons/401-vs-403/", {"done": "1"})
    page = client.get("/learn/").text
    assert page.count('<span class="tag tag-right">Done</span>') == 1
    assert "You have done <strong>1</strong> of the lessons" in page
    assert "1 of 11 done" in page  # the topics group
    assert '<span class="chip class-4">4xx</span> 1 of' in page


def test_the_time_zone_is_stored_once_and_checked(client, lesson):
    client.post(done_url(lesson), {"done": "1", "tz": "Not/AZone"})
    assert Learner.objects.get().timezone == ""
    client.post(done_url(lesson), {"done": "1", "tz": "Asia/Tokyo"})
    client.post(done_url(lesson), {"done": "1", "tz": "Europe/Paris"})
    assert Learner.objects.get().timezone == "Asia/Tokyo"
    assert "Asia/Tokyo" not in client.get("/progress/").text  # shown only to account holders
    assert client.session["tz"] == "Asia/Tokyo"


def test_new_pages_write_nothing_on_get(client, shipped_content):
    for path in ["/progress/", "/review/", "/progress/export/", "/progress/delete/"]:
        assert client.get(path).status_code == HTTPStatus.OK
    assert Learner.objects.count() == 0


def test_an_empty_dashboard_invites_the_first_step(client, shipped_content):
    page = client.get("/progress/").text
    assert "No quizzes yet" in page
    assert "No activity yet" in page
    assert "Sign up" in page
    assert "0 days" in page


def test_practise_a_code_or_a_pair(client, quiz):
    response = client.post("/progress/practise/", {"code": ["502", "504"]})
    assert response.status_code == HTTPStatus.SEE_OTHER
    attempt = Attempt.objects.get()
    assert attempt.quiz is None and attempt.title == "Practise 502 and 504"
    assert attempt.total == 10
    asked = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("codes")
    assert all({c.code for c in q.codes.all()} & {502, 504} for q in asked)
    first = Question.objects.get(pk=attempt.question_ids[0])
    assert {502, 504} <= set(first.codes.values_list("code", flat=True))  # both codes first
    page = client.get(response["Location"]).text
    assert "Practise 502 and 504" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Say which status code to practise"),
        ({"code": "999"}, "999 is not a status code the questions cover."),
        ({"code": "abc"}, "abc is not a status code the questions cover."),
        ({"code": ["401", "403", "201"]}, "Practise one code or a pair"),
    ],
)
def test_practise_with_bad_codes_is_400(client, quiz, data, message):
    response = client.post("/progress/practise/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert Attempt.objects.count() == 0


def test_practise_my_mistakes_takes_the_last_wrong_answers(client, quiz):
    response = client.post("/review/mistakes/")
    assert response.status_code == HTTPStatus.CONFLICT
    assert "no mistakes to practise" in response.text
    answer_all(client, start(client), right=False)
    assert "Practise my mistakes (2)" in client.get("/progress/").text
    # Getting one of them right later takes it off the list.
    second = start(client)
    client.post(f"/quiz/attempts/{second.pk}/2/", {"answer": "201"})
    response = client.post("/review/mistakes/")
    assert response.status_code == HTTPStatus.SEE_OTHER
    mistakes = Attempt.objects.latest("pk")
    assert mistakes.title == "Practise my mistakes"
    assert list(mistakes.question_ids) == [Answer.objects.get(question__slug="t-tf").question_id]


def test_review_start_with_nothing_due_is_409(client, quiz):
    response = client.post("/review/start/")
    assert response.status_code == HTTPStatus.CONFLICT
    assert "Nothing is due right now" in response.text
    assert "Answer questions in a" in client.get("/review/").text


def test_review_answers_show_feedback_like_practice(client, quiz):
    answer_all(client, start(client), right=False)
    ReviewCard.objects.update(due="2000-01-01T00:00:00Z")
    assert '<span class="badge" aria-label="2 due">2</span>' in client.get("/").text
    response = client.post("/review/start/")
    review = Attempt.objects.latest("pk")
    assert review.mode == "review" and review.total == 2
    answer = client.post(f"/quiz/attempts/{review.pk}/1/", {"answer": "201"}, headers=HTMX)
    assert answer.status_code == HTTPStatus.CREATED
    assert "Right!" in answer.text
    assert response["Location"] == f"/quiz/attempts/{review.pk}/1/"


def test_export_downloads_everything_as_json(client, quiz, lesson):
    client.post(done_url(lesson), {"done": "1", "tz": "Europe/Berlin"})
    answer_all(client, start(client), right=True)
    response = client.get("/progress/export/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="status-academy-')
    data = json.loads(response.content)
    assert data["learner"]["timezone"] == "Europe/Berlin"
    assert data["lesson_completions"][0]["lesson"] == "a-lesson"
    assert data["attempts"][0]["quiz"] == "test-quiz"
    assert data["attempts"][0]["questions"] == ["t-role", "t-code", "t-tf", "t-multi"]
    assert [a["question"] for a in data["answers"]] == ["t-code", "t-tf"]
    assert all(a["correct"] for a in data["answers"])
    assert {c["question"] for c in data["review_cards"]} == {"t-code", "t-tf"}
    assert len(data["review_logs"]) == 2
    assert data["review_cards"][0]["fsrs"]["state"] == 1  # Learning: same-day steps first


def test_delete_needs_confirmation_and_removes_everything(client, quiz, lesson):
    client.post(done_url(lesson), {"done": "1"})
    answer_all(client, start(client), right=True)
    page = client.get("/progress/delete/").text
    assert "cannot be undone" in page
    refused = client.post("/progress/delete/", {})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Tick the box" in refused.text
    assert Learner.objects.count() == 1
    response = client.post("/progress/delete/", {"confirm": "on"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    for model in (Learner, Attempt, Answer, LessonCompletion, ReviewCard, ReviewLog):
        assert model.objects.count() == 0, model
    assert "your progress and account are deleted" in client.get("/").text


def test_deleting_an_account_needs_its_password(client, quiz):
    User = get_user_model()
    client.post(
        "/accounts/signup/", {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )
    answer_all(client, start(client), right=True)
    wrong = client.post("/progress/delete/", {"confirm": "on", "password": "guess"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "That is not your password." in wrong.text
    assert User.objects.count() == 1
    client.post("/progress/delete/", {"confirm": "on", "password": PASSWORD})
    assert User.objects.count() == 0
    assert Learner.objects.count() == 0 and Answer.objects.count() == 0
    assert "Log in" in client.get("/").text


def test_delete_needs_post(client):
    assert client.put("/progress/delete/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
