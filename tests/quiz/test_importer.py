"""The question importer: all or nothing, with messages naming file, slug and field."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from learn.services import ContentError
from quiz.importer import questions_import
from quiz.models import Question, Quiz

pytestmark = pytest.mark.django_db

GOOD = """\
quiz:
  slug: test-quiz
  title: Test quiz
  description: A quiz for tests.
questions:
  - slug: t-role
    type: single
    prompt: The token is valid but the role lacks permission. Which status?
    choices:
      - {text: "401 Unauthorized", why: "The caller is authenticated."}
      - {text: "403 Forbidden", correct: true}
      - {text: "404 Not Found", why: "Only to hide the resource."}
    explanation: Authenticated but not allowed is 403.
    codes: [401, 403]
    lesson: 401-vs-403
    difficulty: 2
  - slug: t-code
    type: code
    prompt: Which code says a resource was created?
    answer: 201
    explanation: 201 Created.
    codes: [201]
  - slug: t-tf
    type: truefalse
    prompt: fetch() rejects on a 404.
    answer: false
    explanation: It resolves; check response.ok.
    codes: [404]
  - slug: t-multi
    type: multiple
    prompt: Which are 5xx? Select all that apply.
    choices:
      - {text: "502", correct: true}
      - {text: "504", correct: true}
      - {text: "404", why: "A client error."}
    explanation: The first digit is the class.
    codes: [502, 504]
"""


def run(text: str, name: str = "test.yaml", **kwargs):
    return questions_import([(name, text)], **kwargs)


def counts(results):
    return {r.kind: (r.created, r.updated, r.unchanged) for r in results}


def test_a_valid_file_round_trips_into_the_database():
    assert counts(run(GOOD)) == {"Questions": (4, 0, 0), "Quizzes": (1, 0, 0)}
    question = Question.objects.get(slug="t-role")
    assert question.type == "single" and question.difficulty == 2
    assert [c.correct for c in question.choices.all()] == [False, True, False]
    assert question.choices.first().why == "The caller is authenticated."
    assert sorted(question.codes.values_list("code", flat=True)) == [401, 403]
    assert question.lesson.slug == "401-vs-403"
    assert Question.objects.get(slug="t-code").answer_code == 201
    assert Question.objects.get(slug="t-tf").answer_bool is False
    assert Quiz.objects.get(slug="test-quiz").questions.count() == 4


def test_a_second_import_changes_nothing_and_an_edit_updates():
    run(GOOD)
    assert counts(run(GOOD)) == {"Questions": (0, 0, 4), "Quizzes": (0, 0, 1)}
    edited = GOOD.replace(
        "Authenticated but not allowed is 403.", "Authenticated yet not allowed is 403."
    )
    assert counts(run(edited))["Questions"] == (0, 1, 3)


def test_dry_run_reports_and_changes_nothing():
    assert counts(run(GOOD, dry_run=True))["Questions"] == (4, 0, 0)
    assert not Question.objects.filter(slug__startswith="t-").exists()


@pytest.mark.parametrize(
    "change,message",
    [
        (("type: code", "type: essay"), "test.yaml: t-code: type: must be one of"),
        (("    answer: 201", "    answer: 700"), "t-code: answer: must be a status code from 100"),
        (("    answer: 201", "    answer: abc"), "t-code: answer: must be a status code"),
        (("- {text: \"401 Unauthorized\", why: \"The caller is authenticated.\"}",
          "- {text: \"401 Unauthorized\", correct: true}"),
         "t-role: choices: a single-choice question needs exactly one correct choice"),
        (("      - {text: \"502\", correct: true}\n      - {text: \"504\", correct: true}\n",
          "      - {text: \"502\"}\n      - {text: \"504\"}\n"),
         "t-multi: choices: a multiple-choice question needs at least one correct choice"),
        (("    explanation: 201 Created.\n", ""), "t-code: explanation: is required"),
        (("lesson: 401-vs-403", "lesson: nope"), "t-role: lesson: no lesson has the slug"),
        (("slug: t-tf", "slug: t-code"), "t-code: slug: also used in test.yaml"),
        (("    answer: false", "    answer: maybe"), "t-tf: answer: must be true or false"),
        (("codes: [201]", "codes: [999]"), "t-code: codes: 999 is not a status code we know"),
        (("difficulty: 2", "difficulty: 5"), "t-role: difficulty: must be 1, 2 or 3"),
        (("  - slug: t-code\n", "  - slug: t-code\n    colour: red\n"), "colour: unknown field"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_whole_naming_slug_and_field(change, message):
    bad = GOOD.replace(*change)
    assert bad != GOOD
    with pytest.raises(ContentError) as error:
        run(bad)
    assert any(message in problem for problem in error.value.problems), error.value.problems
    assert not Question.objects.filter(slug__startswith="t-").exists()
    assert not Quiz.objects.filter(slug="test-quiz").exists()


def test_broken_yaml_is_refused():
    with pytest.raises(ContentError, match="test.yaml: not valid YAML"):
        run("questions: [ {slug: x")


def test_command_imports_and_reports(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    out = StringIO()
    call_command("import_questions", str(path), stdout=out)
    assert "Questions: 4 created, 0 updated, 0 unchanged" in out.getvalue()


def test_command_fails_with_the_problems_and_imports_nothing(tmp_path: Path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("slug: t-", "slug: u-").replace("answer: 201", "answer: 99"))
    with pytest.raises(CommandError, match="bad.yaml: u-code: answer"):
        call_command("import_questions", str(good), str(bad), stdout=StringIO())
    assert not Question.objects.filter(slug__startswith="t-").exists()


def test_shipped_bank_is_large_and_well_formed():
    questions = Question.objects.published().prefetch_related("choices", "codes")
    assert questions.count() >= 150
    for question in questions:
        if question.has_choices:
            assert question.choices.count() >= 3, question.slug
            wrong = [c for c in question.choices.all() if not c.correct]
            assert all(c.why.strip() for c in wrong), question.slug


def test_shipped_bank_covers_every_registered_code_and_class():
    from learn.registry import REGISTERED

    covered = set(Question.objects.published().values_list("codes__code", flat=True))
    assert set(REGISTERED) <= covered
    assert {code // 100 for code in covered} == {1, 2, 3, 4, 5}


def test_shipped_quizzes_exist():
    slugs = set(Quiz.objects.values_list("slug", flat=True))
    assert {"class-1xx", "class-2xx", "class-3xx", "class-4xx", "class-5xx"} <= slugs
    assert {"common-mistakes", "interview-prep", "401-vs-403", "webhooks"} <= slugs
    assert Quiz.objects.get(slug="interview-prep").draws_from_all
