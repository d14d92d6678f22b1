"""The quiz tests' small test quiz, for progress tests too."""

from tests.quiz.conftest import quiz  # noqa: F401
