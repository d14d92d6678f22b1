"""Nothing a learner did is ever lost: re-imports, admin edits and deletions, unpublishing.

Each test is a regression test for a way learners' history was lost before (issue 13, items
1–3): a re-import deleted every choice (and every pick of it) when one letter changed, the
admin deleted answered questions with their answers and review cards, and unpublishing a
question stranded the attempts that held it.
"""

from html import unescape
from http import HTTPStatus

import pytest

from quiz.importer import questions_import
from quiz.models import Answer, AnswerChoice, Choice, Question
from quiz.progress.models import ReviewCard, ReviewLog
from tests.quiz.conftest import number_of, start

pytestmark = pytest.mark.django_db

FILE = """\
quiz:
  slug: keep-quiz
  title: Keeping quiz
questions:
  - slug: keep-role
    type: single
    prompt: The token is valid but the role lacks permission. Which status?
    choices:
      - {key: a, text: "401 Unauthorized", why: "The caller is authenticated."}
      - {key: b, text: "403 Forbidden", correct: true}
      - {key: c, text: "404 Not Found", why: "Only to hide the resource."}
    explanation: Authenticated but not allowed is 403.
    codes: [401, 403, 404]
  - slug: keep-code
    type: code
    prompt: Which code says a resource was created?
    answer: 201
    explanation: 201 Created.
"""


def load(text: str = FILE, **kwargs):
    return questions_import([("keep.yaml", text)], **kwargs)


@pytest.fixture
def picked(client):
    """A learner who picked the wrong choice (401) of keep-role; the attempt is unfinished."""
    load()
    attempt = start(client, slug="keep-quiz")
    question = Question.objects.get(slug="keep-role")
    number = attempt.question_ids.index(question.pk) + 1
    wrong = Choice.objects.get(question=question, key="a")
    position = attempt.choice_order[str(question.pk)].index(wrong.pk) + 1
    response = client.post(f"/quiz/attempts/{attempt.pk}/{number}/", {"choice": str(position)})
    assert response.status_code == HTTPStatus.SEE_OTHER
    return attempt, question, wrong


def picks_of(question: Question) -> list[str]:
    return list(
        AnswerChoice.objects.filter(answer__question=question).values_list("choice__key", flat=True)
    )


def test_editing_a_choices_text_keeps_every_pick(client, picked):
    attempt, question, wrong = picked
    results = load(FILE.replace('text: "401 Unauthorized"', 'text: "401 Unauthorised"'))
    assert results[0].updated == 1
    wrong.refresh_from_db()  # the same row, with the new text
    assert wrong.text == "401 Unauthorised" and wrong.retired_at is None
    assert picks_of(question) == ["a"]
    page = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assert page.status_code == HTTPStatus.SEE_OTHER  # unfinished: it resumes
    number = attempt.question_ids.index(question.pk) + 1
    shown = client.get(f"/quiz/attempts/{attempt.pk}/{number}/")
    assert "401 Unauthorised" in shown.text and "your answer" in shown.text


def test_reordering_choices_keeps_every_pick(picked):
    _, question, wrong = picked
    reordered = FILE.replace(
        '      - {key: a, text: "401 Unauthorized", why: "The caller is authenticated."}\n', ""
    ).replace(
        '      - {key: c, text: "404 Not Found", why: "Only to hide the resource."}\n',
        '      - {key: c, text: "404 Not Found", why: "Only to hide the resource."}\n'
        '      - {key: a, text: "401 Unauthorized", why: "The caller is authenticated."}\n',
    )
    load(reordered)
    assert list(question.choices.values_list("key", flat=True)) == ["b", "c", "a"]
    assert Choice.objects.get(pk=wrong.pk).position == 2
    assert picks_of(question) == ["a"]


def test_a_choice_without_a_key_is_matched_by_its_text(picked):
    _, question, wrong = picked
    load(FILE.replace("{key: a, text", "{text"))
    assert Choice.objects.get(pk=wrong.pk).key == "a"
    assert picks_of(question) == ["a"]


def test_dropping_an_answered_choice_retires_it_and_the_dry_run_says_so(client, picked):
    attempt, question, wrong = picked
    dropped = FILE.replace(
        '      - {key: a, text: "401 Unauthorized", why: "The caller is authenticated."}\n', ""
    )
    dry = load(dropped, dry_run=True)
    assert any("401 Unauthorized" in note and "would be retired" in note for note in dry[0].notes)
    assert Choice.objects.get(pk=wrong.pk).retired_at is None  # a dry run changes nothing
    results = load(dropped)
    assert any("is retired" in note for note in results[0].notes)
    wrong.refresh_from_db()
    assert wrong.retired_at is not None
    assert picks_of(question) == ["a"]
    # The old attempt still shows what the learner saw and picked; a new one does not.
    number = attempt.question_ids.index(question.pk) + 1
    old = client.get(f"/quiz/attempts/{attempt.pk}/{number}/")
    assert "401 Unauthorized" in old.text and "your answer" in old.text
    fresh = start(client, slug="keep-quiz")
    assert wrong.pk not in fresh.choice_order[str(question.pk)]


def test_an_unanswered_choice_that_is_dropped_is_deleted(picked):
    _, question, _ = picked
    load(
        FILE.replace(
            '      - {key: c, text: "404 Not Found", why: "Only to hide the resource."}\n', ""
        )
    )
    assert list(question.choices.values_list("key", flat=True)) == ["a", "b"]


def test_a_question_in_progress_takes_answers_after_a_reimport(client):
    load()
    attempt = start(client, slug="keep-quiz")
    question = Question.objects.get(slug="keep-role")
    load(FILE.replace("Only to hide the resource.", "Only to hide that the resource exists."))
    number = attempt.question_ids.index(question.pk) + 1
    right = number_of(attempt, question, correct=True)[0]
    response = client.post(f"/quiz/attempts/{attempt.pk}/{number}/", {"choice": right})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Answer.objects.get(attempt=attempt, question=question).correct


def test_load_content_keeps_the_picks_of_a_shipped_question(client):
    """The deploy path: `load_content` reloads the shipped files on every `make serve`."""
    from django.core.management import call_command

    attempt = start(client, slug="401-vs-403")
    number = 1
    question = Question.objects.get(pk=attempt.question_ids[0])
    data = (
        {"choice": "1"}
        if question.has_choices
        else {"answer": "404" if question.type == "code" else "true"}
    )
    client.post(f"/quiz/attempts/{attempt.pk}/{number}/", data)
    before = list(AnswerChoice.objects.values_list("pk", "choice_id"))
    call_command("load_content", verbosity=0)
    assert list(AnswerChoice.objects.values_list("pk", "choice_id")) == before


# The admin --------------------------------------------------------------------------------


def test_deleting_an_answered_question_in_the_admin_is_refused(admin_client, picked):
    _, question, _ = picked
    url = f"/admin/quiz/question/{question.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert Question.objects.filter(pk=question.pk).exists()
    assert "can't be deleted" in unescape(response.text)
    assert "Unpublish it instead" in response.text
    assert Answer.objects.filter(question=question).count() == 1
    assert ReviewCard.objects.filter(question=question).count() == 1
    assert ReviewLog.objects.filter(card__question=question).count() == 1


def test_the_bulk_delete_action_keeps_answered_questions(admin_client, picked):
    _, question, _ = picked
    unanswered = Question.objects.get(slug="keep-code")
    Question.objects.filter(pk=unanswered.pk).update()  # unanswered: may go
    response = admin_client.post(
        "/admin/quiz/question/",
        {
            "action": "delete_selected",
            "_selected_action": [question.pk, unanswered.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert Question.objects.filter(pk=question.pk).exists()
    assert not Question.objects.filter(pk=unanswered.pk).exists()
    assert "Not deleted, because learners' history depends on them" in unescape(response.text)


def test_deleting_a_picked_choice_in_the_admin_retires_it(admin_client, picked):
    _, question, wrong = picked
    choices = list(question.choices.all())
    data = {
        "slug": question.slug,
        "type": question.type,
        "prompt": question.prompt,
        "answer_bool": "unknown",
        "explanation": question.explanation,
        "codes": [str(c.pk) for c in question.codes.all()],
        "subject": [str(c.pk) for c in question.subject.all()],
        "wrong_codes": "{}",
        "lint_silenced": "{}",
        "difficulty": "1",
        "published": "on",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(choices):
        prefix = f"choices-{index}-"
        data[f"{prefix}id"] = str(choice.pk)
        data[f"{prefix}question"] = str(question.pk)
        data[f"{prefix}position"] = str(choice.position)
        data[f"{prefix}text"] = choice.text
        data[f"{prefix}why"] = choice.why
        if choice.correct:
            data[f"{prefix}correct"] = "on"
        if choice.pk == wrong.pk:
            data[f"{prefix}DELETE"] = "on"
    response = admin_client.post(f"/admin/quiz/question/{question.pk}/change/", data, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "is retired rather than deleted" in response.text, response.context.get("errors")
    wrong.refresh_from_db()
    assert wrong.retired_at is not None
    assert picks_of(question) == ["a"]
    assert "401 Unauthorized" not in [c.text for c in question.choices.active()]


def test_deleting_a_quiz_with_attempts_is_refused(admin_client, picked):
    attempt, _, _ = picked
    quiz = attempt.quiz
    response = admin_client.post(
        f"/admin/quiz/quiz/{quiz.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "can't be deleted" in unescape(response.text)
    assert type(quiz).objects.filter(pk=quiz.pk).exists()


def test_deleting_a_lesson_someone_marked_done_is_refused(admin_client, client):
    from learn.models import Lesson

    lesson = Lesson.objects.get(slug="401-vs-403")
    assert client.post(f"/progress/lessons/{lesson.slug}/", {"done": "1"}).status_code == 303
    response = admin_client.post(
        f"/admin/learn/lesson/{lesson.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "can't be deleted" in unescape(response.text)
    assert Lesson.objects.filter(pk=lesson.pk).exists()


# Unpublishing --------------------------------------------------------------------------------


def test_unpublishing_a_question_keeps_its_attempts_working(client, picked):
    attempt, question, _ = picked
    Question.objects.filter(pk=question.pk).update(published=False)
    resume = client.get(f"/quiz/attempts/{attempt.pk}/")
    assert resume.status_code == HTTPStatus.SEE_OTHER
    assert client.get(resume["Location"]).status_code == HTTPStatus.OK
    for number in range(1, attempt.total + 1):
        assert client.get(f"/quiz/attempts/{attempt.pk}/{number}/").status_code == HTTPStatus.OK
    other = Question.objects.get(slug="keep-code")
    other_number = attempt.question_ids.index(other.pk) + 1
    client.post(f"/quiz/attempts/{attempt.pk}/{other_number}/", {"answer": "201"})
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assert results.status_code == HTTPStatus.OK
    assert "The token is valid but the role lacks permission" in results.text
    assert "401 Unauthorized" in results.text  # what the learner picked
