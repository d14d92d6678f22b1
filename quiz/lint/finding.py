"""What the lint reports about one question (or one quiz's description)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One rule broken by one question (or a quiz's description: slug "quiz:<slug>")."""

    slug: str
    rule: str
    message: str
    silenced: str = ""  # the question's reason, when its `lint:` silences the rule

    def __str__(self) -> str:
        note = f" (silenced: {self.silenced})" if self.silenced else ""
        return f"{self.slug}: {self.rule}: {self.message}{note}"
