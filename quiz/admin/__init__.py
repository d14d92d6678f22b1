"""The admin as the authoring tool for questions and quizzes (Django imports this package to
register them)."""

from quiz.admin import questions, quizzes  # noqa: F401 (registers the model admins)
