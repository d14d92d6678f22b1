"""Export questions and quizzes as one question file (the format import_questions reads)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quiz.exporter import UnknownQuiz, bank, questions_yaml


class Command(BaseCommand):
    help = (
        "Write the whole question bank, or one quiz with its questions, as a YAML question "
        "file. Importing it into an empty bank and exporting again gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to write (UTF-8); '-' writes to stdout.")
        parser.add_argument(
            "--quiz",
            metavar="SLUG",
            help="Export only this quiz and its questions (every question if it draws from all).",
        )

    def handle(self, *args, file: str, quiz: str | None, **options):
        try:
            questions, quizzes = bank(quiz)
        except UnknownQuiz as error:
            raise CommandError(str(error)) from error
        text = questions_yaml(questions, quizzes)
        if file == "-":
            self.stdout.write(text, ending="")
            report = self.stderr
        else:
            try:
                Path(file).write_text(text, encoding="utf-8", newline="\n")
            except OSError as error:
                raise CommandError(f"Could not write {file}: {error.strerror or error}") from error
            report = self.stdout
        report.write(
            f"Wrote {_count(questions.count(), 'question')} and {_count(quizzes.count(), 'quiz')} "
            f"to {'standard output' if file == '-' else file}.",
            style_func=str,  # a report, not an error, even on stderr
        )


def _count(number: int, noun: str) -> str:
    plural = "quizzes" if noun == "quiz" else f"{noun}s"
    return f"{number} {noun if number == 1 else plural}"
