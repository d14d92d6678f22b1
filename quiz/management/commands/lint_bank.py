"""Lint the question bank: the shipped files by default, or the database's questions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learn import safe_yaml
from quiz import lint
from quiz.importer import CONTENT_DIR


class Command(BaseCommand):
    help = (
        "Check the question bank for cues a test-wise learner could use (long keys, unbalanced "
        "true/false), near-duplicates, thin coverage of registered codes, wrong choices without "
        "a why, and markup that rendering drops or shows as typed. Prints the bank report; exits "
        "non-zero when a finding is not silenced or a bank figure is out of bounds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help=f"Question files to lint as one bank (default: {CONTENT_DIR}/*.yaml).",
        )
        parser.add_argument(
            "--database",
            action="store_true",
            help="Lint the questions and quizzes in the database instead of files.",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="Also list the silenced findings with their reasons.",
        )

    def handle(self, *args, files: list[Path], database: bool, verbose: bool, **options):
        if database and files:
            raise CommandError("Give files or --database, not both.")
        questions, quizzes = _from_database() if database else _from_files(files)
        report = lint.lint_bank(questions, quizzes)
        self.stdout.write(report.text(verbose=verbose))
        for note in lint.unused_silences(questions, report.findings):
            self.stderr.write(f"Note: {note}", style_func=str)
        if report.failed:
            raise CommandError("The question bank fails its lint (see above).")


def _from_files(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    paths = paths or sorted(CONTENT_DIR.glob("*.yaml"))
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CommandError(f"No such file: {', '.join(missing)}")
    questions, quizzes = [], []
    for path in paths:
        try:
            document = safe_yaml.load(path.read_text(encoding="utf-8"), name=path.name)
        except (safe_yaml.YamlProblem, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        if not isinstance(document, dict):
            raise CommandError(f"{path.name}: not a question file")
        questions += [q for q in document.get("questions") or [] if isinstance(q, dict)]
        quizzes += [document["quiz"]] if isinstance(document.get("quiz"), dict) else []
        quizzes += [q for q in document.get("quizzes") or [] if isinstance(q, dict)]
    return questions, quizzes


def _from_database() -> tuple[list[dict], list[dict]]:
    from quiz.exporter import question_data, quiz_data
    from quiz.models import Question, Quiz

    questions = Question.objects.select_related("lesson", "variant_of").prefetch_related(
        "choices", "codes", "subject"
    )
    quizzes = [dict(quiz_data(q), description=q.description) for q in Quiz.objects.all()]
    return [question_data(q) for q in questions], quizzes
