"""Taking a quiz: pages, htmx fragments, grading, and every kind of bad input."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from quiz.models import Answer, Attempt, Question
from quiz.progress.models import Learner
from tests.quiz.conftest import number_of, start

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "question-card"}  # what htmx sends from a question


def without_csrf(html: str) -> str:
    """The page minus its per-render masked CSRF tokens."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def url(attempt, n):
    return f"/quiz/attempts/{attempt.pk}/{n}/"


def test_quiz_list_shows_size_and_best_score(client, quiz):
    assert "4 questions" in client.get("/quiz/").text
    assert "best score" not in client.get("/quiz/").text
    attempt = start(client)
    single = Question.objects.get(slug="t-role")
    multi = Question.objects.get(slug="t-multi")
    client.post(url(attempt, 1), {"choice": number_of(attempt, single, correct=True)[0]})
    client.post(url(attempt, 2), {"answer": "201"})
    client.post(url(attempt, 3), {"answer": "true"})
    client.post(url(attempt, 4), {"choice": number_of(attempt, multi, correct=False)})
    assert "best score 50%" in client.get("/quiz/").text


def test_quiz_intro_and_unknown_quiz(client, quiz):
    assert client.get("/quiz/test-quiz/").status_code == HTTPStatus.OK
    assert client.get("/quiz/no-such-quiz/").status_code == HTTPStatus.NOT_FOUND


def test_plain_page_views_create_no_learner(client, quiz):
    for path in ["/quiz/", "/quiz/test-quiz/", "/", "/learn/", "/codes/"]:
        client.get(path)
    assert Learner.objects.count() == 0


def test_starting_needs_post_and_a_known_mode(client, quiz):
    assert client.get("/quiz/test-quiz/start/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post("/quiz/test-quiz/start/", {"mode": "speedrun"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose practice or interview mode." in response.text
    assert Attempt.objects.count() == 0


def test_start_redirects_to_the_first_question(client, quiz):
    response = client.post("/quiz/test-quiz/start/", {"mode": "practice"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    attempt = Attempt.objects.get()
    assert response["Location"] == url(attempt, 1)
    assert client.get(response["Location"]).status_code == HTTPStatus.OK


def test_question_page_full_and_htmx_fragment(client, quiz):
    attempt = start(client)
    single = Question.objects.get(slug="t-role")
    page = client.get(url(attempt, 1))
    assert "<header" in page.text and 'id="question-card"' in page.text
    right = number_of(attempt, single, correct=True)[0]
    fragment = client.post(url(attempt, 1), {"choice": right}, headers=HTMX)
    assert fragment.status_code == HTTPStatus.CREATED
    assert fragment.text.lstrip().startswith('<article id="question-card"')
    assert "<header" not in fragment.text
    assert "Right!" in fragment.text and "Authenticated but not allowed is 403." in fragment.text
    assert 'href="/codes/403/"' in fragment.text and 'href="/learn/401-vs-403/"' in fragment.text


def test_without_javascript_an_answer_redirects_back_to_its_feedback(client, quiz):
    attempt = start(client)
    response = client.post(url(attempt, 2), {"answer": "201"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == url(attempt, 2)
    page = client.get(url(attempt, 2)).text
    assert "Right!" in page and "Next question" in page


def test_a_wrong_choice_shows_its_why_not(client, quiz):
    attempt = start(client)
    single = Question.objects.get(slug="t-role")
    wrong = {c.text: c for c in single.choices.all()}["401 Unauthorized"]
    number = str(attempt.choice_order[str(single.pk)].index(wrong.pk) + 1)
    html = client.post(url(attempt, 1), {"choice": number}, headers=HTMX).text
    assert "Not quite." in html
    assert "The caller is authenticated." in html
    assert Answer.objects.get().correct is False


def test_a_partial_multiple_selection_is_wrong_and_names_the_missed_choice(client, quiz):
    attempt = start(client)
    multi = Question.objects.get(slug="t-multi")
    right = number_of(attempt, multi, correct=True)
    html = client.post(url(attempt, 4), {"choice": right[:1]}, headers=HTMX).text
    assert "Not quite." in html and "missed" in html
    assert Answer.objects.get().correct is False


def test_full_multiple_selection_is_right(client, quiz):
    attempt = start(client)
    multi = Question.objects.get(slug="t-multi")
    client.post(url(attempt, 4), {"choice": number_of(attempt, multi, correct=True)})
    assert Answer.objects.get().correct is True


@pytest.mark.parametrize("given,right", [("201", True), ("200", False)])
def test_code_questions_are_graded_by_the_number(client, quiz, given, right):
    attempt = start(client)
    client.post(url(attempt, 2), {"answer": given})
    assert Answer.objects.get().correct is right


@pytest.mark.parametrize("given,right", [("false", True), ("true", False)])
def test_truefalse_questions(client, quiz, given, right):
    attempt = start(client)
    client.post(url(attempt, 3), {"answer": given})
    assert Answer.objects.get().correct is right


@pytest.mark.parametrize(
    "number,data,message",
    [
        (1, {}, "Pick one of the choices."),
        (1, {"choice": "9"}, "That is not one of this question’s choices."),
        (1, {"choice": "abc"}, "That is not one of this question’s choices."),
        (4, {}, "Pick at least one choice."),
        (2, {"answer": "abc"}, "A status code has three digits"),
        (2, {"answer": "700"}, "Status codes run from 100 to 599."),
        (2, {"answer": ""}, "Type a three-digit status code"),
        (3, {"answer": "maybe"}, "Answer with True or False."),
    ],
)
def test_bad_answers_are_400_with_a_message_and_record_nothing(client, quiz, number, data, message):
    attempt = start(client)
    for headers in ({}, HTMX):
        response = client.post(url(attempt, number), data, headers=headers)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert message in response.text
    assert Answer.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.answered == 0


def test_answering_twice_is_a_409(client, quiz):
    attempt = start(client)
    client.post(url(attempt, 2), {"answer": "201"})
    response = client.post(url(attempt, 2), {"answer": "404"}, headers=HTMX)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "already answered" in response.text
    assert Answer.objects.count() == 1


def test_a_question_outside_the_attempt_is_a_404(client, quiz):
    attempt = start(client)
    assert client.get(url(attempt, 5)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url(attempt, 0), {"answer": "201"}).status_code == HTTPStatus.NOT_FOUND


def test_someone_elses_attempt_is_a_404(client, quiz):
    from django.test import Client

    attempt = start(client)
    stranger = Client()
    assert stranger.get(url(attempt, 1)).status_code == HTTPStatus.NOT_FOUND
    response = stranger.post(url(attempt, 2), {"answer": "201"}, headers=HTMX)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "not part of any attempt of yours" in response.text
    assert Answer.objects.count() == 0


def test_a_finished_attempt_takes_no_answers(client, quiz):
    attempt = start(client)
    assert client.post(f"/quiz/attempts/{attempt.pk}/finish/").status_code == HTTPStatus.SEE_OTHER
    response = client.post(url(attempt, 2), {"answer": "201"})
    assert response.status_code == HTTPStatus.CONFLICT
    assert "already finished" in response.text
    assert Answer.objects.count() == 0


def test_interview_mode_refuses_answers_after_the_deadline(client, quiz):
    attempt = start(client, mode="interview")
    assert attempt.deadline is not None
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = client.post(url(attempt, 2), {"answer": "201"})
    assert response.status_code == HTTPStatus.CONFLICT
    assert "Time is up" in response.text
    assert Answer.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_interview_mode_gives_no_feedback_until_the_end(client, quiz):
    attempt = start(client, mode="interview")
    response = client.post(url(attempt, 2), {"answer": "201"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == url(attempt, 3)
    assert "Authenticated but not allowed" not in client.get(url(attempt, 1)).text


def test_choice_order_is_shuffled_per_attempt_and_stable_on_reload(client, quiz):
    attempt = start(client)
    first = without_csrf(client.get(url(attempt, 1)).text)
    assert without_csrf(client.get(url(attempt, 1)).text) == first
    role = str(Question.objects.get(slug="t-role").pk)
    orders = {tuple(start(client).choice_order[role]) for _ in range(12)}
    assert len(orders) > 1


def test_results_show_score_answers_classes_and_retry(client, quiz):
    attempt = start(client)
    client.post(
        url(attempt, 1),
        {"choice": number_of(attempt, Question.objects.get(slug="t-role"), correct=False)[0]},
    )
    client.post(url(attempt, 2), {"answer": "201"})
    client.post(url(attempt, 3), {"answer": "false"})
    client.post(
        url(attempt, 4),
        {"choice": number_of(attempt, Question.objects.get(slug="t-multi"), correct=True)},
    )
    page = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assert page.status_code == HTTPStatus.OK
    html = page.text
    assert "3 of 4" in html and "75%" in html
    assert "Right answer: <strong>403 Forbidden</strong>" in html
    assert "4xx</span> Client error" in html and "5xx</span> Server error" in html
    retry = client.post(f"/quiz/attempts/{attempt.pk}/retry/")
    assert retry.status_code == HTTPStatus.SEE_OTHER
    new = Attempt.objects.latest("pk")
    assert new.question_ids == [Question.objects.get(slug="t-role").pk]


def test_every_shipped_quiz_can_be_started(client):
    from quiz.models import Quiz

    for quiz in Quiz.objects.published():
        response = client.post(f"/quiz/{quiz.slug}/start/", {"mode": "practice"})
        assert response.status_code == HTTPStatus.SEE_OTHER, quiz.slug
        assert client.get(response["Location"]).status_code == HTTPStatus.OK
    assert Attempt.objects.get(quiz__slug="interview-prep").total == 15


def test_quiz_pages_use_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/quiz/")
    attempt = start(client, slug="class-4xx")
    for n in (1, 5, 10):
        with django_assert_max_num_queries(10):
            client.get(url(attempt, n))
    with django_assert_max_num_queries(8):
        client.get("/quiz/")
