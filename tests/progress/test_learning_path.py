"""The learning path (issue 16): what the app believes about the learner, and the next step.

Evidence only for subject codes, the learner's own confusions, same-day learning steps and when
a question comes back, check-yourself at the end of a lesson, Continue, typed-code whys, and the
adaptive interview-prep draw.
"""

import random
import re
from collections import Counter
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learn.models import Lesson
from quiz import draws, services
from quiz.importer import questions_import
from quiz.models import Answer, Attempt, Question, Quiz
from quiz.progress.models import CodeEvidence, Confusion, Learner, ReviewCard
from tests.quiz.conftest import start

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
GATEWAY = "gateways-and-proxies"


def answer_code(client, attempt: Attempt, number: int, code: int, **headers):
    return client.post(
        f"/quiz/attempts/{attempt.pk}/{number}/", {"answer": str(code)}, headers=headers
    )


def first_code_question(subject: int) -> Question:
    return (
        Question.objects.published()
        .filter(type=Question.Type.CODE, answer_code=subject)
        .order_by("id")
        .first()
    )


def practice_set(client, question: Question) -> Attempt:
    """A practice set of just this question, for the browser's learner (made on the way)."""
    client.post(f"/progress/lessons/{Lesson.objects.first().slug}/", {"done": "1"})
    return services.attempt_start(
        learner=Learner.objects.get(), quiz=None, mode="practice", question_ids=[question.pk]
    )


# Evidence and confusions -----------------------------------------------------------------


def test_a_typed_wrong_code_is_a_confusion_and_leads_easily_confused(client):
    question = first_code_question(504)
    for _ in range(2):
        answer_code(client, practice_set(client, question), 1, 502)
    learner = Learner.objects.get()
    assert Confusion.objects.get(learner=learner).count == 2
    assert (Confusion.objects.get().subject, Confusion.objects.get().picked) == (504, 502)
    evidence = CodeEvidence.objects.get(learner=learner, code=504)
    assert (evidence.answered, evidence.correct, evidence.recent) == (2, 0, "WW")
    assert not CodeEvidence.objects.filter(learner=learner, code=502).exists()  # not its subject
    page = client.get("/progress/").text
    section = page[page.index('id="pairs-title"') :]
    first_pair = re.search(
        r'href="/codes/(\d+)/"[^>]*>\d+</a> vs <a[^>]*href="/codes/(\d+)/"', section
    )
    assert first_pair.groups() == ("504", "502")
    assert "you answered 502 for 504 2 times" in section


def test_changing_a_subject_on_import_rebuilds_the_evidence(
    client, django_capture_on_commit_callbacks
):
    text = (
        "questions:\n  - slug: path-subject\n    type: truefalse\n    prompt: A 401 needs a "
        "challenge.\n    answer: true\n    explanation: Yes.\n    subject: [401]\n"
        "    codes: [401, 403]\n"
    )
    questions_import([("s.yaml", text)])
    question = Question.objects.get(slug="path-subject")
    attempt = practice_set(client, question)
    client.post(f"/quiz/attempts/{attempt.pk}/1/", {"answer": "true"})
    learner = attempt.learner
    assert list(learner.evidence.values_list("code", flat=True)) == [401]
    with django_capture_on_commit_callbacks(execute=True):
        questions_import([("s.yaml", text.replace("subject: [401]", "subject: [403]"))])
    assert list(learner.evidence.values_list("code", "recent")) == [(403, "R")]


def test_results_by_class_add_up_to_the_questions(client):
    attempt = start(client, slug=GATEWAY)
    for number in range(1, attempt.total + 1):
        kind = Question.objects.get(pk=attempt.question_ids[number - 1]).type
        data = {"single": {"choice": "1"}, "multiple": {"choice": ["1"]}}.get(
            kind, {"answer": "true" if kind == "truefalse" else "500"}
        )
        client.post(f"/quiz/attempts/{attempt.pk}/{number}/", data)
    page = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    classes = page.context["classes"]
    assert sum(score.total for score in classes) == attempt.total
    assert all(score.digit == 5 or score.total for score in classes)


def test_lessons_per_class_add_up_to_the_lessons(client):
    page = client.get("/learn/")
    shares = page.context["learning"].reading_by_class
    teaching = Lesson.objects.published().filter(codes__isnull=False).distinct().count()
    assert sum(share.total for share in shares) == teaching <= 17


# Same-day steps and the forecast -----------------------------------------------------------


def test_feedback_says_when_a_question_comes_back(client, quiz):
    attempt = start(client)
    wrong = client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "200"}, headers=HTMX)
    assert "comes back for review in 1 minute" in wrong.text
    right = client.post(f"/quiz/attempts/{attempt.pk}/3/", {"answer": "false"}, headers=HTMX)
    assert "comes back for review in 10 minutes" in right.text


def test_a_miss_returns_in_the_same_sitting(client, quiz):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        attempt = start(client)
        client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "200"})
        page = client.get("/review/")
        forecast = page.context["forecast"]
        assert (forecast.now, forecast.today + forecast.tomorrow) == (0, 1)
        clock.shift(timedelta(minutes=1))
        page = client.get("/review/")
        assert page.context["due"] == 1 and page.context["forecast"].now == 1
        assert client.post("/review/start/").status_code == HTTPStatus.SEE_OTHER
        review = Attempt.objects.latest("pk")
        assert review.question_ids == attempt.question_ids[1:2]


# Typed codes get a why ------------------------------------------------------------------------


def test_a_typed_code_with_an_authored_note_shows_it(client, quiz):
    Question.objects.filter(slug="t-code").update(
        wrong_codes={"200": "200 says nothing was **created**."}
    )
    attempt = start(client)
    page = client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "200"}, headers=HTMX).text
    assert "Why not 200?" in page and "200 says nothing was <strong>created</strong>." in page


def test_a_typed_code_without_a_note_gets_its_meaning(client, quiz):
    attempt = start(client)
    page = client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "401"}, headers=HTMX).text
    assert "Why not 401?" in page and '<a href="/codes/401/">401 Unauthorized</a> means:' in page


# Continue and the links between lessons and quizzes ------------------------------------------


def test_continue_leads_through_lesson_then_quiz_then_the_next_lesson(client):
    lessons = list(Lesson.objects.published().order_by("position", "slug"))
    first, second = lessons[0], lessons[1]
    quiz = Quiz.objects.get(lesson=first)
    go = client.get("/continue/")
    assert go.status_code == HTTPStatus.SEE_OTHER and go["Location"] == first.get_absolute_url()
    assert "private" in go["Cache-Control"]
    client.post(f"/progress/lessons/{first.slug}/", {"done": "1"})
    assert client.get("/continue/")["Location"] == quiz.get_absolute_url()
    attempt = start(client, slug=quiz.slug)
    client.post(f"/quiz/attempts/{attempt.pk}/1/", {"choice": "1", "answer": "200"})
    assert client.get("/continue/")["Location"] == second.get_absolute_url()
    home = client.get("/").text
    assert f"Read: {second.title}" in home and "Continue" in home


def test_continue_puts_due_reviews_first(client, quiz):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = start(client)
        client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "200"})
        clock.shift(timedelta(minutes=2))
        assert client.get("/continue/")["Location"] == "/review/"
        assert "Review 1 question due" in client.get("/").text


def test_a_new_visitor_is_told_where_to_start(client):
    first = Lesson.objects.published().order_by("position", "slug").first()
    home = client.get("/").text
    assert f'Start here: <a href="{first.get_absolute_url()}">Read: {first.title}</a>' in home


def test_each_quiz_links_its_lesson_and_each_lesson_its_quiz(client):
    quiz = Quiz.objects.get(slug="401-vs-403")
    assert quiz.lesson.slug == "401-vs-403"
    page = client.get(quiz.get_absolute_url()).text
    assert f'<a href="{quiz.lesson.get_absolute_url()}">{quiz.lesson.title}</a>' in page
    lesson = client.get(quiz.lesson.get_absolute_url()).text
    assert f'href="{quiz.get_absolute_url()}">Take the full quiz: {quiz.title}</a>' in lesson


# Check yourself ---------------------------------------------------------------------------------


def check_form_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'action="/quiz/check/401-vs-403/(\d+)/"', html)]


def test_a_lesson_ends_with_check_yourself_questions(client):
    page = client.get("/learn/401-vs-403/").text
    assert "Check yourself" in page
    numbers = check_form_numbers(page)
    assert 2 <= len(numbers) <= 3 and numbers == list(range(1, len(numbers) + 1))
    assert 'hx-target="#check-1"' in page


def test_a_check_answer_with_htmx_swaps_in_the_feedback(client):
    page = client.get("/learn/401-vs-403/")
    cards = page.context["cards"]
    question = cards[0]["question"]
    data = answer_for(question, cards[0]["shown"])
    response = client.post(
        "/quiz/check/401-vs-403/1/", data, headers=HTMX | {"HX-Target": "check-1"}
    )
    assert response.status_code == HTTPStatus.CREATED
    assert response.text.lstrip().startswith('<article id="check-1"')
    assert "Right!" in response.text and "comes back for review in 10 minutes" in response.text
    attempt = Attempt.objects.get()
    assert (attempt.mode, attempt.lesson.slug, attempt.answered) == ("check", "401-vs-403", 1)
    assert ReviewCard.objects.filter(question=question).exists()
    again = client.post("/quiz/check/401-vs-403/1/", data, headers=HTMX)
    assert again.status_code == HTTPStatus.CONFLICT


def test_a_check_answer_without_javascript_returns_to_the_lesson(client):
    page = client.get("/learn/401-vs-403/")
    card = page.context["cards"][1]
    response = client.post("/quiz/check/401-vs-403/2/", answer_for(card["question"], card["shown"]))
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/learn/401-vs-403/#check-2"
    shown = client.get("/learn/401-vs-403/").text
    assert "Right!" in shown and Answer.objects.count() == 1


def test_a_finished_check_set_takes_no_second_answer(client):
    """Every card answered: sending one again (a double click, a stale tab) is a 409, not a new
    set that records the answer twice."""
    cards = client.get("/learn/401-vs-403/").context["cards"]
    for number, card in enumerate(cards, start=1):
        data = answer_for(card["question"], card["shown"])
        assert client.post(f"/quiz/check/401-vs-403/{number}/", data).status_code == 303
    assert Attempt.objects.get().is_finished
    last = answer_for(cards[-1]["question"], cards[-1]["shown"])
    again = client.post(f"/quiz/check/401-vs-403/{len(cards)}/", last, headers=HTMX)
    assert again.status_code == HTTPStatus.CONFLICT
    assert Attempt.objects.count() == 1 and Answer.objects.count() == len(cards)


def test_a_bad_check_answer_is_a_clear_400_and_records_nothing(client):
    response = client.post("/quiz/check/401-vs-403/1/", {}, headers=HTMX)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = client.post("/quiz/check/401-vs-403/1/", {})  # without JavaScript: a whole page
    assert page.status_code == HTTPStatus.BAD_REQUEST
    assert page.text.startswith("<!doctype html>") and "Back to the lesson" in page.text
    assert not Answer.objects.exists()
    assert client.post("/quiz/check/401-vs-403/9/", {}).status_code == HTTPStatus.NOT_FOUND
    assert client.post("/quiz/check/no-such-lesson/1/", {}).status_code == HTTPStatus.NOT_FOUND


def answer_for(question: Question, shown) -> dict:
    """The right answer to a check question, by its position on the page."""
    if question.type == Question.Type.CODE:
        return {"answer": str(question.answer_code)}
    if question.type == Question.Type.TRUEFALSE:
        return {"answer": "true" if question.answer_bool else "false"}
    return {"choice": [str(n) for n, c in enumerate(shown, start=1) if c.correct]}


# The adaptive interview-prep draw ------------------------------------------------------------


def draw(learner, seed: int) -> list[int]:
    prep = Quiz.objects.get(slug="interview-prep")
    pool = list(prep.pool().order_by("id").values_list("id", flat=True))
    return draws.adaptive_draw(pool, prep.draw, learner, random.Random(seed))


def classes_of(ids: list[int]) -> Counter:
    return Counter(
        min(codes) // 100
        for codes in (
            list(Question.objects.get(pk=pk).subject.values_list("code", flat=True)) for pk in ids
        )
    )


def test_a_new_learner_gets_a_draw_with_every_class(client):
    prep = Quiz.objects.get(slug="interview-prep")
    for seed in range(5):
        chosen = draw(None, seed)
        assert len(chosen) == len(set(chosen)) == prep.draw
        assert set(classes_of(chosen)) == {1, 2, 3, 4, 5}


def test_the_draw_favours_what_the_learner_keeps_missing():
    learner = Learner.objects.create()
    now = timezone.now()
    for code in range(100, 600):  # mastered everything but the 5xx, missed every time
        CodeEvidence.objects.create(
            learner=learner, code=code, answered=5, correct=0 if code >= 500 else 5,
            recent="WWWWW" if code >= 500 else "RRRRR", last_at=now,
        )  # fmt: skip
    fives_new = sum(classes_of(draw(None, seed))[5] for seed in range(8))
    fives_weak = sum(classes_of(draw(learner, seed))[5] for seed in range(8))
    assert fives_weak > fives_new


def test_the_draw_never_serves_two_variants_of_one_scenario():
    pairs = dict(Question.objects.exclude(variant_of=None).values_list("id", "variant_of_id"))
    assert pairs, "the shipped bank marks its variants"
    for seed in range(10):
        chosen = set(draw(None, seed))
        assert not any(child in chosen and parent in chosen for child, parent in pairs.items())


def test_rebuild_evidence_command_recomputes_from_answers(client, quiz):
    attempt = start(client)
    client.post(f"/quiz/attempts/{attempt.pk}/2/", {"answer": "200"})
    CodeEvidence.objects.all().delete()
    call_command("rebuild_evidence", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(CodeEvidence.objects.values_list("code", "recent")) == [(201, "W")]
