"""The question bank's lint: cues that let a test-wise learner score without knowing, markup that
rendering loses, and the coverage the bank needs.

The rules are pure functions over questions in the file format (the plain dicts of
quiz/content/*.yaml, of `quiz.exporter.question_data`, or of one admin form), so the same rules
run on the shipped files, on the database and on one question being edited; `sources` reads
those. Lengths are of the rendered text (`[[403]]` counts as "403 Forbidden").
"""

from quiz.lint.bank import Figures, Report, figures, lint_bank, lint_question, unused_silences
from quiz.lint.finding import Finding
from quiz.lint.thresholds import RULES

__all__ = [
    "RULES",
    "Figures",
    "Finding",
    "Report",
    "figures",
    "lint_bank",
    "lint_question",
    "unused_silences",
]
