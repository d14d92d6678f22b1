"""The rules for one question: cues in its choices, missing whys, and markup."""

import re
from typing import Any

from quiz.lint.finding import Finding
from quiz.lint.markup import markup_findings, rendered_length
from quiz.lint.thresholds import LONG_KEY_RATIO, MARKDOWN_FIELDS
from quiz.validation import derived_subject


def subject_of(question: dict[str, Any]) -> list[int]:
    """The question's subject codes: as written, else as the importer derives them."""
    if question.get("subject"):
        return list(question["subject"])
    qtype = question.get("type")
    return derived_subject(
        type=qtype,
        answer_code=question.get("answer") if qtype == "code" else None,
        choices=[
            {"text": c.get("text"), "correct": c.get("correct")}
            for c in question.get("choices") or []
        ],
        codes=list(question.get("codes") or []),
    )


def is_published(question: dict[str, Any]) -> bool:
    return question.get("published", True) is not False


def right_and_wrong(question: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    choices = question.get("choices") or []
    return [c for c in choices if c.get("correct")], [c for c in choices if not c.get("correct")]


def _long_keys(question: dict[str, Any]) -> list[str]:
    keys, wrong = right_and_wrong(question)
    if question.get("type") not in ("single", "multiple") or not keys or not wrong:
        return []
    longest = max(rendered_length(c.get("text", "")) for c in wrong)
    messages = []
    for key in keys:
        length = rendered_length(key.get("text", ""))
        if length > LONG_KEY_RATIO * longest:
            messages.append(
                f"the key “{_short(key.get('text', ''))}” has {length} characters, "
                f"{length / longest:.1f} times the longest wrong choice ({longest}); shorten it "
                "or make a distractor as specific"
            )
    return messages


def _short(text: str, width: int = 50) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def question_findings(question: dict[str, Any]) -> list[Finding]:
    """Every rule one question breaks, silenced ones included (with the reason)."""
    slug = str(question.get("slug") or "(no slug)")
    findings = [Finding(slug, "long-key", message) for message in _long_keys(question)]
    _, wrong = right_and_wrong(question)
    if question.get("type") in ("single", "multiple"):
        for choice in wrong:
            if not str(choice.get("why") or "").strip():
                findings.append(
                    Finding(
                        slug,
                        "no-why",
                        f"the wrong choice “{_short(choice.get('text', ''))}” needs a why: the "
                        "fact that rules it out",
                    )
                )
    if question.get("type") == "code" and not question.get("wrong_codes"):
        findings.append(
            Finding(
                slug,
                "no-wrong-codes",
                "say why its 1–3 likeliest wrong codes are wrong (wrong_codes: {code: why})",
            )
        )
    texts = [(name, str(question.get(name) or "")) for name in MARKDOWN_FIELDS]
    for number, choice in enumerate(question.get("choices") or [], start=1):
        texts.append((f"choice {choice.get('key') or number}", str(choice.get("text") or "")))
        texts.append((f"why of choice {choice.get('key') or number}", str(choice.get("why") or "")))
    for code, why in (question.get("wrong_codes") or {}).items():
        texts.append((f"wrong_codes {code}", str(why or "")))
    findings += markup_findings(slug, texts)
    return _silence(findings, question)


def _silence(findings: list[Finding], question: dict[str, Any]) -> list[Finding]:
    reasons = question.get("lint") or {}
    return [
        Finding(f.slug, f.rule, f.message, str(reasons[f.rule]).strip()) if f.rule in reasons else f
        for f in findings
    ]


def quiz_findings(quiz: dict[str, Any]) -> list[Finding]:
    """Markup problems in a quiz's description (it renders as Markdown on /quiz/)."""
    slug = f"quiz:{quiz.get('slug') or '?'}"
    return markup_findings(slug, [("description", str(quiz.get("description") or ""))])
