"""The question exporter: what it writes imports back to the same bank and the same bytes."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from learn.services import ContentError
from quiz.exporter import UnknownQuiz, bank_yaml, questions_yaml
from quiz.importer import content_load, questions_import
from quiz.models import Question, Quiz
from tests.quiz.test_importer import GOOD

pytestmark = pytest.mark.django_db

BANK = """\
quizzes:
  - slug: everything
    title: Everything
    pool: all
    draw: 3
    minutes: 5
  - slug: auth
    position: 20
    title: "Auth: 401 and 403"
    description: |
      Who are you, and may you?
      Two questions, one shared with *basics*.
    questions: [x-role, x-basics-shared]
  - slug: basics
    position: 10
    title: Basics
    description: The first digit — and what it says.
    published: false
    questions: [x-basics-shared, x-tf, x-code]
questions:
  - slug: x-role
    type: single
    prompt: |
      The token is valid but the role lacks permission.
      Which status should the API answer?
    snippet:
      language: python
      code: |2
            return JsonResponse({"error": "forbidden"}, status=STATUS)
        # indented on purpose: the first line keeps its four spaces
    choices:
      - text: "401"
        why: |
          The caller is authenticated.
          A 401 would log them out.
      - text: "403"
        correct: true
      - text: "yes"
        why: Not a status code at all.
    explanation: Authenticated but not allowed is 403.
    subject: [403]
    codes: [403, 401]
    lesson: 401-vs-403
    difficulty: 2
  - slug: x-basics-shared
    type: multiple
    prompt: "Which are 5xx? Select all that apply: café, naïve — unicode stays readable."
    choices:
      - {text: "502 Bad Gateway", correct: true, why: "Right: the upstream failed."}
      - {text: "504 Gateway Timeout", correct: true}
      - {text: "404 Not Found", why: "A client error."}
    explanation: "A line with a hard break  \\nkeeps its two trailing spaces."
    codes: [502, 504, 404]
  - slug: x-tf
    type: truefalse
    prompt: fetch() rejects on a 404.
    answer: false
    explanation: |
      It resolves; check `response.ok`:

          if (!response.ok) throw new Error(response.status);
    codes: [404]
    published: false
  - slug: x-code
    type: code
    prompt: Which code says a resource was created?
    answer: 201
    explanation: 201 Created.
    codes: [201]
    difficulty: 3
"""


def clear_bank() -> None:
    """No questions and no quizzes; lessons and status codes (the learn app's) stay."""
    Question.objects.all().delete()
    Quiz.objects.all().delete()


def load(text: str, name: str = "bank.yaml", **kwargs):
    return questions_import([(name, text)], **kwargs)


def snapshot() -> dict:
    """Everything a question file carries, as plain data."""
    questions = {
        q.slug: (
            q.type, q.prompt, q.snippet_language, q.snippet_code, q.answer_code, q.answer_bool,
            q.explanation, q.lesson.slug if q.lesson else None, q.difficulty, q.published,
            [(c.text, c.correct, c.why) for c in q.choices.all()],
            sorted(c.code for c in q.codes.all()),
        )
        for q in Question.objects.select_related("lesson").prefetch_related("choices", "codes")
    }  # fmt: skip
    quizzes = {
        z.slug: (
            z.title, z.description, z.position, z.draw, z.minutes, z.draws_from_all, z.published,
            sorted(z.questions.values_list("slug", flat=True)),
        )
        for z in Quiz.objects.all()
    }  # fmt: skip
    return {"questions": questions, "quizzes": quizzes}


def round_trip(text: str) -> str:
    clear_bank()
    load(text)
    return bank_yaml()


def test_a_small_bank_round_trips_byte_for_byte():
    clear_bank()
    load(BANK)
    before = snapshot()
    first = bank_yaml()
    assert round_trip(first) == first
    assert snapshot() == before


def test_the_export_keeps_every_feature_of_the_bank():
    clear_bank()
    load(BANK)
    assert Quiz.objects.get(slug="everything").draws_from_all
    assert not Question.objects.get(slug="x-tf").published
    assert not Quiz.objects.get(slug="basics").published
    text = bank_yaml()
    document = yaml.safe_load(text)
    assert [quiz["slug"] for quiz in document["quizzes"]] == ["basics", "auth", "everything"]
    basics, auth, everything = document["quizzes"]  # by position, then slug
    assert everything == {
        "slug": "everything", "title": "Everything", "pool": "all", "draw": 3, "minutes": 5
    }  # fmt: skip
    assert basics["published"] is False and "published" not in auth
    assert auth["questions"] == ["x-basics-shared", "x-role"]
    assert basics["questions"] == ["x-basics-shared", "x-code", "x-tf"]
    questions = {q["slug"]: q for q in document["questions"]}
    assert list(questions) == ["x-basics-shared", "x-code", "x-role", "x-tf"]
    assert questions["x-tf"]["published"] is False
    assert "published" not in questions["x-role"]
    assert list(questions["x-role"]) == [
        "slug", "type", "prompt", "snippet", "choices", "explanation", "subject", "codes",
        "lesson", "difficulty",
    ]  # fmt: skip
    assert questions["x-code"]["answer"] == 201 and questions["x-tf"]["answer"] is False
    assert "difficulty" not in questions["x-tf"]  # 1, the importer's default
    assert questions["x-role"]["codes"] == [401, 403]
    assert [c["text"] for c in questions["x-role"]["choices"]] == ["401", "403", "yes"]
    # The house style: block scalars, inline codes, readable unicode, no anchors.
    assert "    prompt: |\n      The token is valid but the role lacks permission.\n" in text
    assert "    codes: [401, 403]\n" in text
    assert "café, naïve — unicode" in text
    assert "&id" not in text and "*id" not in text
    assert "\n\n  - slug: x-code\n" in text  # a blank line between questions


def test_snippet_indentation_and_trailing_spaces_survive():
    clear_bank()
    load(BANK)
    text = bank_yaml()
    clear_bank()
    load(text)
    role = Question.objects.get(slug="x-role")
    assert role.snippet_code.startswith('    return JsonResponse({"error"')
    assert role.snippet_code.endswith("four spaces")
    shared = Question.objects.get(slug="x-basics-shared")
    assert shared.explanation == "A line with a hard break  \nkeeps its two trailing spaces."


def test_an_exact_export_of_a_tiny_bank():
    clear_bank()
    load(BANK)
    Question.objects.exclude(slug__in=["x-code", "x-tf"]).delete()
    Quiz.objects.exclude(slug="basics").delete()
    assert bank_yaml() == (
        "quizzes:\n"
        "  - slug: basics\n"
        "    position: 10\n"
        "    title: Basics\n"
        "    description: The first digit — and what it says.\n"
        "    published: false\n"
        "    questions:\n"
        "      - x-code\n"
        "      - x-tf\n"
        "\n"
        "questions:\n"
        "  - slug: x-code\n"
        "    type: code\n"
        "    prompt: Which code says a resource was created?\n"
        "    answer: 201\n"
        "    explanation: 201 Created.\n"
        "    codes: [201]\n"
        "    difficulty: 3\n"
        "\n"
        "  - slug: x-tf\n"
        "    type: truefalse\n"
        "    prompt: fetch() rejects on a 404.\n"
        "    answer: false\n"
        "    explanation: |\n"
        "      It resolves; check `response.ok`:\n"
        "\n"
        "          if (!response.ok) throw new Error(response.status);\n"
        "    codes: [404]\n"
        "    published: false\n"
    )


def test_edits_made_in_the_admin_round_trip():
    clear_bank()
    load(BANK)
    question = Question.objects.get(slug="x-code")
    question.published = False
    question.prompt = "Which code says\r\na resource was created?  "  # a browser's textarea
    question.save()
    quiz = Quiz.objects.get(slug="auth")
    quiz.questions.add(question)
    first = bank_yaml()
    assert "  - slug: x-code\n    type: code\n    prompt: |\n      Which code says\n" in first
    assert round_trip(first) == first
    question = Question.objects.get(slug="x-code")
    assert not question.published
    assert question.prompt == "Which code says\na resource was created?"
    assert set(Quiz.objects.get(slug="auth").questions.values_list("slug", flat=True)) == {
        "x-role", "x-basics-shared", "x-code"
    }  # fmt: skip


def test_the_shipped_bank_round_trips():
    before = snapshot()
    assert len(before["questions"]) >= 150 and "interview-prep" in before["quizzes"]
    first = bank_yaml()
    assert round_trip(first) == first
    assert snapshot() == before
    # The export says what the shipped files say: loading them again changes nothing.
    assert [(r.created, r.updated) for r in content_load()] == [(0, 0), (0, 0)]


def test_questions_yaml_without_quizzes_touches_no_quiz():
    selected = Question.objects.filter(slug__startswith="401-vs-403-")
    text = questions_yaml(selected)
    assert "quizzes" not in yaml.safe_load(text)
    quizzes_before = snapshot()["quizzes"]
    results = load(text)
    assert {r.kind: (r.created, r.updated, r.unchanged) for r in results} == {
        "Questions": (0, 0, selected.count()),
        "Quizzes": (0, 0, 0),
    }
    assert snapshot()["quizzes"] == quizzes_before


def test_one_quiz_exports_with_its_questions():
    quiz = Quiz.objects.get(slug="401-vs-403")
    slugs = sorted(quiz.questions.values_list("slug", flat=True))
    text = bank_yaml("401-vs-403")
    document = yaml.safe_load(text)
    assert [z["slug"] for z in document["quizzes"]] == ["401-vs-403"]
    assert document["quizzes"][0]["questions"] == slugs
    exported = [q["slug"] for q in document["questions"]]
    # Plus the questions of other quizzes that its questions are variants of.
    targets = {q["variant_of"] for q in document["questions"] if "variant_of" in q}
    assert targets - set(slugs) and targets <= set(exported)
    assert sorted(set(slugs) | targets) == exported
    assert round_trip(text) == text  # the file stands alone
    assert Quiz.objects.count() == 1 and Question.objects.count() == len(exported)


def test_a_quiz_drawing_from_all_exports_every_question():
    total = Question.objects.count()
    document = yaml.safe_load(bank_yaml("interview-prep"))
    assert [z["slug"] for z in document["quizzes"]] == ["interview-prep"]
    assert document["quizzes"][0]["pool"] == "all"
    assert len(document["questions"]) == total


def test_an_unknown_quiz_is_refused():
    with pytest.raises(UnknownQuiz, match="No quiz has the slug 'nope'. Quizzes: .*401-vs-403"):
        bank_yaml("nope")


def test_command_writes_the_bank(tmp_path: Path):
    path = tmp_path / "bank.yaml"
    out = StringIO()
    call_command("export_questions", str(path), stdout=out)
    questions, quizzes = Question.objects.count(), Quiz.objects.count()
    assert f"Wrote {questions} questions and {quizzes} quizzes to {path}." in out.getvalue()
    assert path.read_text(encoding="utf-8") == bank_yaml()


def test_command_exports_one_quiz_to_stdout():
    out, err = StringIO(), StringIO()
    call_command("export_questions", "-", quiz="webhooks", stdout=out, stderr=err)
    assert out.getvalue() == bank_yaml("webhooks")
    count = Quiz.objects.get(slug="webhooks").questions.count()
    assert f"Wrote {count} questions and 1 quiz to standard output." in err.getvalue()


def test_command_refuses_an_unknown_quiz(tmp_path: Path):
    path = tmp_path / "out.yaml"
    with pytest.raises(CommandError, match="No quiz has the slug 'nope'"):
        call_command("export_questions", str(path), quiz="nope", stdout=StringIO())
    assert not path.exists()


# The `quizzes:` form on import ----------------------------------------------------------------

QUIZZES = """\
quizzes:
  - slug: q-one
    title: One
    questions: [t-role, t-code]
  - slug: q-two
    title: Two
    questions: [t-code, t-tf]
questions:
""" + GOOD.split("questions:\n", 1)[1]


def test_quizzes_form_links_each_quiz_to_its_listed_questions():
    results = load(QUIZZES)
    assert {r.kind: r.created for r in results} == {"Questions": 4, "Quizzes": 2}
    one, two = Quiz.objects.get(slug="q-one"), Quiz.objects.get(slug="q-two")
    assert set(one.questions.values_list("slug", flat=True)) == {"t-role", "t-code"}
    assert set(two.questions.values_list("slug", flat=True)) == {"t-code", "t-tf"}
    assert one.position == 100 and one.published
    assert counts_of(load(QUIZZES)) == {"Questions": (0, 0, 4), "Quizzes": (0, 0, 2)}


def counts_of(results):
    return {r.kind: (r.created, r.updated, r.unchanged) for r in results}


def test_a_quiz_may_list_questions_of_another_file_or_the_database():
    composed = """\
quizzes:
  - slug: q-mixed
    title: Mixed
    questions: [t-role, 401-vs-403-check-order]
"""
    questions_import([("composed.yaml", composed), ("test.yaml", GOOD)])
    mixed = Quiz.objects.get(slug="q-mixed")
    assert set(mixed.questions.values_list("slug", flat=True)) == {
        "t-role", "401-vs-403-check-order"
    }  # fmt: skip
    assert Quiz.objects.get(slug="test-quiz").questions.count() == 4


@pytest.mark.parametrize(
    "change,message",
    [
        (("[t-role, t-code]", "[t-role, t-nope]"),
         "bank.yaml: quizzes: q-one: questions: no question has the slug 't-nope'"),
        (("slug: q-two", "slug: q-one"),
         "bank.yaml: quizzes: q-one: slug: the quiz 'q-one' is also defined in bank.yaml"),
        (("[t-role, t-code]", "[t-role, t-role]"),
         "bank.yaml: quizzes: q-one: questions: 't-role' is listed twice"),
        (("[t-role, t-code]", "t-role"),
         "bank.yaml: quizzes: q-one: questions: must be a list of question slugs"),
        (("[t-role, t-code]", "[t-role, {slug: t-code}]"),
         "bank.yaml: quizzes: q-one: questions: item 2 must be a question slug"),
        (("    title: Two\n", ""), "bank.yaml: quizzes: q-two: title: is required"),
        (("  - slug: q-two\n", "  - colour: red\n    slug: q-two\n"),
         "bank.yaml: quizzes: q-two: colour: unknown field"),
        (("  - slug: q-two\n", "  - slug: Q Two\n"),
         "bank.yaml: quizzes: Q Two: slug: is required (lowercase"),
        (("    title: One\n", "    title: One\n    published: maybe\n"),
         "bank.yaml: quizzes: q-one: published: must be true or false"),
        (("    title: One\n", "    title: One\n    pool: some\n"),
         "bank.yaml: quizzes: q-one: pool: the only value is 'all'"),
        (("    title: One\n", "    title: One\n    draw: 0\n"),
         "bank.yaml: quizzes: q-one: draw: must be a positive whole number"),
        (("quizzes:\n", "quiz: {slug: solo, title: Solo}\nquizzes:\n"),
         "bank.yaml: use either 'quiz:' or 'quizzes:', not both"),
        (("quizzes:\n  - slug: q-one", "quizzes:\n  - just-a-slug\n  - slug: q-one"),
         "bank.yaml: quizzes: quiz 1: must be a mapping with slug and title"),
        (("    answer: 201", "    answer: 99"), "bank.yaml: t-code: answer: must be a status code"),
    ],
)  # fmt: skip
def test_a_bad_quizzes_block_is_refused_whole(change, message):
    bad = QUIZZES.replace(*change)
    assert bad != QUIZZES
    before = snapshot()
    with pytest.raises(ContentError) as error:
        load(bad)
    assert any(message in problem for problem in error.value.problems), error.value.problems
    assert snapshot() == before


def test_quizzes_must_be_a_list():
    with pytest.raises(ContentError, match="bank.yaml: quizzes: must be a list of quizzes"):
        load("quizzes: {slug: q-one, title: One}\nquestions: []\n")


def test_a_quiz_defined_in_two_files_is_refused():
    other = "quizzes:\n  - slug: test-quiz\n    title: Again\n    questions: [t-code]\n"
    with pytest.raises(ContentError) as error:
        questions_import([("test.yaml", GOOD), ("other.yaml", other)])
    assert error.value.problems == [
        "other.yaml: quizzes: test-quiz: slug: the quiz 'test-quiz' is also defined in test.yaml"
    ]
    assert not Question.objects.filter(slug__startswith="t-").exists()


# The single `quiz:` form, as before ------------------------------------------------------------


def test_the_single_quiz_form_still_gets_exactly_its_files_questions():
    second = GOOD.replace("slug: t-", "slug: u-").replace("test-quiz", "other-quiz")
    questions_import([("test.yaml", GOOD), ("second.yaml", second)])
    for slug, prefix in (("test-quiz", "t-"), ("other-quiz", "u-")):
        linked = list(Quiz.objects.get(slug=slug).questions.values_list("slug", flat=True))
        assert len(linked) == 4 and all(s.startswith(prefix) for s in linked)


def test_reloading_a_file_keeps_a_quiz_the_admin_unpublished():
    load(GOOD)
    Quiz.objects.filter(slug="test-quiz").update(published=False)
    assert counts_of(load(GOOD))["Quizzes"] == (0, 0, 1)
    assert not Quiz.objects.get(slug="test-quiz").published
    republished = GOOD.replace("  title: Test quiz\n", "  title: Test quiz\n  published: true\n")
    assert counts_of(load(republished))["Quizzes"] == (0, 1, 0)
    assert Quiz.objects.get(slug="test-quiz").published
