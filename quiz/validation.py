"""The rules every question obeys: one copy, used by the importer and the admin."""

import re
from typing import Any

TYPES = ("single", "multiple", "truefalse", "code")


def question_problems(
    *,
    type: str,
    prompt: str,
    explanation: str,
    choices: list[dict[str, Any]],
    answer_code: Any = None,
    answer_bool: Any = None,
    difficulty: Any = 1,
) -> dict[str, str]:
    """{field: message} for every rule the question breaks; empty when it is valid."""
    problems: dict[str, str] = {}
    if type not in TYPES:
        problems["type"] = f"must be one of {', '.join(TYPES)} (got {type!r})"
        return problems
    if not str(prompt or "").strip():
        problems["prompt"] = "is required"
    if not str(explanation or "").strip():
        problems["explanation"] = "is required: say why the right answer is right"
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        problems["difficulty"] = "must be 1, 2 or 3"
    correct = [choice for choice in choices if choice.get("correct")]
    if type in ("single", "multiple"):
        if len(choices) < 2:
            problems["choices"] = "needs at least two choices"
        elif any(not str(choice.get("text") or "").strip() for choice in choices):
            problems["choices"] = "every choice needs a text"
        elif type == "single" and len(correct) != 1:
            problems["choices"] = (
                f"a single-choice question needs exactly one correct choice ({len(correct)} marked)"
            )
        elif type == "multiple" and not correct:
            problems["choices"] = "a multiple-choice question needs at least one correct choice"
    elif choices:
        problems["choices"] = f"a {type} question has no choices"
    if type == "code":
        if (
            isinstance(answer_code, bool)
            or not isinstance(answer_code, int)
            or not 100 <= answer_code <= 599
        ):
            problems["answer"] = "must be a status code from 100 to 599"
    elif type == "truefalse":
        if not isinstance(answer_bool, bool):
            problems["answer"] = "must be true or false"
    elif answer_code is not None or answer_bool is not None:
        problems["answer"] = f"a {type} question is answered by its choices, not 'answer'"
    return problems


LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LEADING_CODE = re.compile(r"^`?([1-5]\d\d)\b")


def choice_key(index: int) -> str:
    """The key for the choice at `index` when none is given: a, b, c … z, then c27, c28 …"""
    return LETTERS[index] if index < len(LETTERS) else f"c{index + 1}"


def derived_subject(
    *, type: str, answer_code: Any, choices: list[dict[str, Any]], codes: list[int]
) -> list[int]:
    """The codes a question asks about when its author did not say: a code question's answer;
    the right choices' codes when every choice starts with a code; the one code it mentions.
    Empty when none of these applies, and the author must name them."""
    if type == "code" and isinstance(answer_code, int) and not isinstance(answer_code, bool):
        return [answer_code]
    texts = [str(choice.get("text") or "") for choice in choices]
    if type in ("single", "multiple") and texts and all(_LEADING_CODE.match(t) for t in texts):
        right = [
            int(_LEADING_CODE.match(str(choice.get("text"))).group(1))
            for choice in choices
            if choice.get("correct")
        ]
        return list(dict.fromkeys(right))
    if len(codes) == 1:
        return list(codes)
    return []
