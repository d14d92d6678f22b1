"""Where the questions to lint come from: files, the database, an import, one saved question.

Everything is turned into the file format the rules read (`quiz.exporter.question_data` for
rows), so a question is linted the same way wherever it lives.
"""

from pathlib import Path
from typing import Any

from learn import safe_yaml
from quiz.lint.bank import Report, lint_bank, lint_question
from quiz.lint.finding import Finding


class SourceError(ValueError):
    """A file the lint cannot read as a question file."""


def documents(sources: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """The questions and quizzes of (name, text) question files, as plain mappings."""
    questions, quizzes = [], []
    for name, text in sources:
        try:
            document = safe_yaml.load(text, name=name)
        except safe_yaml.YamlProblem as error:
            raise SourceError(str(error)) from error
        if not isinstance(document, dict):
            raise SourceError(f"{name}: not a question file")
        questions += [q for q in document.get("questions") or [] if isinstance(q, dict)]
        quizzes += [document["quiz"]] if isinstance(document.get("quiz"), dict) else []
        quizzes += [q for q in document.get("quizzes") or [] if isinstance(q, dict)]
    return questions, quizzes


def from_files(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    try:
        return documents([(path.name, path.read_text(encoding="utf-8")) for path in paths])
    except UnicodeDecodeError as error:
        raise SourceError(f"a file is not UTF-8 text ({error})") from error


def database_questions() -> list[dict[str, Any]]:
    """Every question in the database, in the file format."""
    from quiz.exporter import question_data
    from quiz.models import Question

    questions = Question.objects.select_related("lesson", "variant_of").prefetch_related(
        "choices", "codes", "subject"
    )
    return [question_data(question) for question in questions]


def from_database() -> tuple[list[dict], list[dict]]:
    from quiz.models import Quiz

    quizzes = [{"slug": q.slug, "description": q.description} for q in Quiz.objects.all()]
    return database_questions(), quizzes


def for_import(sources: list[tuple[str, str]]) -> Report:
    """The lint of an import: the files' questions, and the bank as the import would leave it.

    Findings are limited to the files' questions; the figures are the whole bank's.
    """
    questions, quizzes = documents(sources)
    bank = {str(q.get("slug")): q for q in database_questions()}
    bank.update({str(q.get("slug")): q for q in questions})
    slugs = {str(q.get("slug")) for q in questions}
    return lint_bank(list(bank.values()), quizzes, only=slugs)


def for_saved_question(question) -> list[Finding]:
    """One question as saved in the database, linted against the rest of the bank."""
    from quiz.exporter import question_data
    from quiz.models import Question

    saved = (
        Question.objects.select_related("lesson", "variant_of")
        .prefetch_related("choices", "codes", "subject")
        .get(pk=question.pk)
    )
    return lint_question(question_data(saved), database_questions())
