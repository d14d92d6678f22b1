"""Lint the question bank: the shipped files by default, or the database's questions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quiz import lint
from quiz.importer import CONTENT_DIR
from quiz.lint import sources


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
        if database:
            questions, quizzes = sources.from_database()
        else:
            paths = files or sorted(CONTENT_DIR.glob("*.yaml"))
            missing = [str(path) for path in paths if not path.is_file()]
            if missing:
                raise CommandError(f"No such file: {', '.join(missing)}")
            try:
                questions, quizzes = sources.from_files(paths)
            except sources.SourceError as error:
                raise CommandError(str(error)) from error
        report = lint.lint_bank(questions, quizzes)
        self.stdout.write(report.text(verbose=verbose))
        for note in lint.unused_silences(questions, report.findings):
            self.stderr.write(f"Note: {note}", style_func=str)
        if report.failed:
            raise CommandError("The question bank fails its lint (see above).")
