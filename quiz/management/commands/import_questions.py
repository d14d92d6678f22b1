"""Import question files (the format of quiz/content/*.yaml), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learn.services import ContentError
from quiz.importer import questions_import, read_sources
from quiz.lint import sources as lint_sources


class Command(BaseCommand):
    help = "Validate whole question files, then import them all or change nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="YAML question files")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )

    def handle(self, *args, files: list[Path], dry_run: bool, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        try:
            sources = read_sources(files)
            results = questions_import(sources, dry_run=dry_run)
        except ContentError as error:
            raise CommandError(
                "Nothing was imported. Fix these problems first:\n  " + "\n  ".join(error.problems)
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"Nothing was imported: a file is not UTF-8 text ({error})."
            ) from error
        for result in results:
            self.stdout.write(str(result))
            for note in result.notes:
                self.stdout.write(f"  {note}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        self._lint(sources)

    def _lint(self, files: list[tuple[str, str]]) -> None:
        """The bank lint of the imported questions: warnings, never a reason to refuse."""
        report = lint_sources.for_import(files)
        if not report.errors and not report.bank_problems:
            self.stdout.write("Bank lint: no warnings.")
            return
        self.stdout.write(f"Bank lint: {len(report.errors) + len(report.bank_problems)} warnings")
        for finding in report.errors:
            self.stdout.write(f"  {finding}")
        for problem in report.bank_problems:
            self.stdout.write(f"  after this import, {problem}")
