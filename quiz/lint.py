"""The question bank's lint: cues that let a test-wise learner score without knowing, markup that
rendering loses, and the coverage the bank needs.

Pure functions over questions in the file format (the plain dicts of quiz/content/*.yaml, of
`quiz.exporter.question_data`, or of one admin form), so the same rules run on the shipped
files, on the database and on one question being edited. Rendered text comes from
`learn.rendering`, so lengths are what a learner sees (`[[403]]` counts as "403 Forbidden").
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from itertools import combinations
from typing import Any

from learn.registry import REGISTERED, display_name
from learn.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from quiz.validation import derived_subject

# Thresholds, each with its reason in docs (README, "Question bank lint").
LONG_KEY_RATIO = 1.5  # a key this many times longer than the longest distractor gives itself away
MAX_LONGEST_KEY_SHARE = 0.30  # "pick the longest" may beat chance (about 25 %) by 5 points at most
TRUE_SHARE = (0.40, 0.60)  # true/false keyed True in 40–60 % of questions
MIN_SUBJECT_QUESTIONS = 2  # every registered code is what at least two published questions ask
DUPLICATE_SIMILARITY = 0.35  # TF-IDF cosine of two questions that ask about the same code

RULES: dict[str, str] = {
    "long-key": "a key more than 1.5 times as long as the longest wrong choice",
    "no-why": "a wrong choice without a why",
    "no-wrong-codes": "a code question without wrong_codes for its likeliest misses",
    "dropped-html": "raw HTML that rendering removes",
    "literal-markup": "Markdown that shows up literally (a stray backtick, [[ or **)",
    "code-name-twice": "[[304]] Not Modified: the link already says the name",
    "near-duplicate": "the same scenario and answer as another question, not marked variant_of",
}
MARKDOWN_FIELDS = ("prompt", "explanation")


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


@dataclass
class Figures:
    """The bank report's numbers: what a guesser could exploit, and what the bank covers."""

    types: Counter = field(default_factory=Counter)
    unpublished: int = 0
    single: int = 0
    longest_guess: float = 0.0  # expected score of "always pick the longest" (ties split)
    chance: float = 0.0  # expected score of a blind guess over the same questions
    multiple: int = 0
    multiple_key_chars: float = 0.0
    multiple_distractor_chars: float = 0.0
    truefalse: int = 0
    true_keyed: int = 0
    code: int = 0
    code_with_wrong_codes: int = 0
    difficulty: Counter = field(default_factory=Counter)
    subject_counts: dict[int, int] = field(default_factory=dict)
    duplicates: list[tuple[str, str, float]] = field(default_factory=list)  # unmarked
    variant_pairs: int = 0

    @property
    def longest_share(self) -> float:
        return self.longest_guess / self.single if self.single else 0.0

    @property
    def chance_share(self) -> float:
        return self.chance / self.single if self.single else 0.0

    @property
    def true_share(self) -> float:
        return self.true_keyed / self.truefalse if self.truefalse else 0.5

    @property
    def thin_codes(self) -> list[int]:
        return sorted(
            code for code in REGISTERED if self.subject_counts.get(code, 0) < MIN_SUBJECT_QUESTIONS
        )


@dataclass
class Report:
    findings: list[Finding]
    figures: Figures
    bank_problems: list[str]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if not f.silenced]

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.bank_problems)

    def text(self, *, verbose: bool = False) -> str:
        return report_text(self, verbose=verbose)


# Rendering ------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a reader sees, and the same text outside code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.prose: list[str] = []
        self._code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self._code += 1

    def handle_endtag(self, tag):
        if tag in ("code", "pre") and self._code:
            self._code -= 1

    def handle_data(self, data):
        self.all.append(data)
        if not self._code:
            self.prose.append(data)


@lru_cache(maxsize=4096)
def _rendered(text: str) -> tuple[str, str]:
    """(visible text, visible text outside code) of authored Markdown."""
    parser = _Text()
    parser.feed(str(render_markdown(text).html))
    parser.close()
    squash = lambda parts: re.sub(r"\s+", " ", unescape("".join(parts))).strip()  # noqa: E731
    return squash(parser.all), squash(parser.prose)


def rendered_length(text: str) -> int:
    """Characters a learner reads: Markdown rendered, `[[403]]` as "403 Forbidden"."""
    return len(_rendered(text or "")[0])


# Markup that rendering loses ------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]*>", re.I)
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|</?([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>", re.S)
_ATTR = re.compile(r"([^\s=/\"'>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.I)
_CODE_NAME = re.compile(r"\[\[(\d{3})\]\]\s+")


def _outside_code(text: str) -> str:
    return _CODE_SPAN.sub(" ", _FENCE.sub("\n", text))


def dropped_html(text: str) -> list[str]:
    """The raw HTML in authored Markdown that the sanitiser removes, outside code."""
    dropped = []
    for match in _TAG.finditer(_AUTOLINK.sub(" ", _outside_code(text or ""))):
        raw = match.group(0)
        tag = (match.group(1) or "").lower()
        if raw.startswith("<!--"):
            dropped.append("<!-- … -->")
        elif tag not in ALLOWED_TAGS:
            dropped.append(f"<{tag}>")
        else:
            allowed = ALLOWED_ATTRIBUTES.get(tag, set())
            for name, value in _ATTR.findall(match.group(2) or ""):
                value = value.strip("\"'")
                if name.lower() not in allowed:
                    dropped.append(f"{name}= on <{tag}>")
                elif name.lower() == "href" and not _SAFE_SCHEME.match(value.strip()):
                    dropped.append(f"the href of <{tag}>")
    return list(dict.fromkeys(dropped))


def literal_markup(text: str) -> list[str]:
    """Markdown a reader would see as typed: a stray backtick, `[[…`, `**`."""
    prose = _rendered(text or "")[1]
    return [mark for mark in ("`", "[[", "]]", "**") if mark in prose]


def names_twice(text: str) -> list[int]:
    """Codes written `[[304]] Not Modified`, which renders "304 Not Modified Not Modified"."""
    twice = []
    for match in _CODE_NAME.finditer(text or ""):
        code = int(match.group(1))
        name = display_name(code)
        after = re.sub(r"\s+", " ", text[match.end() : match.end() + len(name) + 20])
        if name and after.lower().startswith(name.lower()):
            twice.append(code)
    return twice


def markup_findings(slug: str, texts: list[tuple[str, str]]) -> list[Finding]:
    """Markup problems in (label, Markdown) pairs: the fields of one question or quiz."""
    findings = []
    for label, text in texts:
        if not text:
            continue
        dropped = dropped_html(text)
        if dropped:
            findings.append(
                Finding(
                    slug,
                    "dropped-html",
                    f"{label}: rendering removes {', '.join(dropped)}; put markup in backticks "
                    "or describe it in words",
                )
            )
        literal = literal_markup(text)
        if literal:
            findings.append(
                Finding(
                    slug,
                    "literal-markup",
                    f"{label}: learners would see {' and '.join(repr(m) for m in literal)} as "
                    "typed; close the code span or link",
                )
            )
        for code in names_twice(text):
            findings.append(
                Finding(
                    slug,
                    "code-name-twice",
                    f"{label}: [[{code}]] already reads “{code} {display_name(code)}”; drop the "
                    "name after it",
                )
            )
    return findings


# One question ---------------------------------------------------------------------------------


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


def _choices(question: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    choices = question.get("choices") or []
    return [c for c in choices if c.get("correct")], [c for c in choices if not c.get("correct")]


def _long_keys(question: dict[str, Any]) -> list[str]:
    keys, wrong = _choices(question)
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
    _, wrong = _choices(question)
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
                "say why its 1–3 likeliest wrong codes are wrong (wrong_codes: {401: …})",
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


# Near-duplicates ------------------------------------------------------------------------------

_STOP = {
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "is", "it", "its", "no", "not", "of", "on", "or", "should", "that", "the", "this", "to",
    "what", "when", "which", "with", "you", "your",
}  # fmt: skip
_URL = re.compile(r"\]\([^)]*\)")
_REF = re.compile(r"\[\[(\d{3})(?:\|[^\]]*)?\]\]")
_WORD = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def _words(question: dict[str, Any]) -> list[str]:
    keys, _ = _choices(question)
    answer = question.get("answer")
    parts = [
        str(question.get("prompt") or ""),
        " ".join(str(c.get("text") or "") for c in keys),
        str(answer) if question.get("type") == "code" else "",
        str(question.get("explanation") or ""),
    ]
    text = _REF.sub(r" \1 ", _URL.sub("]", " ".join(parts).lower()))
    return [w.strip(".-") for w in _WORD.findall(text) if w not in _STOP and len(w) > 1]


def _vectors(questions: list[dict[str, Any]]) -> list[dict[str, float]]:
    """TF-IDF vectors (log-scaled term frequency), normalised to length 1."""
    counts = [Counter(_words(q)) for q in questions]
    document_frequency = Counter(word for count in counts for word in count)
    total = len(questions)
    vectors = []
    for count in counts:
        vector = {
            word: (1 + math.log(n)) * math.log(total / document_frequency[word])
            for word, n in count.items()
        }
        norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
        vectors.append({word: x / norm for word, x in vector.items()})
    return vectors


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(word, 0.0) for word, x in a.items())


def variant_root(slug: str, by_slug: dict[str, dict[str, Any]]) -> str:
    """The question a chain of `variant_of` leads to: variants of one scenario share it."""
    seen = {slug}
    while True:
        parent = (by_slug.get(slug) or {}).get("variant_of")
        if not parent or parent in seen:
            return slug
        seen.add(parent)
        slug = parent


def duplicate_pairs(
    questions: list[dict[str, Any]], *, only: set[str] | None = None
) -> tuple[list[tuple[str, str, float, list[int]]], int]:
    """(near-duplicate pairs not marked as variants, number of marked variant pairs).

    Two published questions are near-duplicates when they share a subject code and their
    prompt, key and explanation are at least DUPLICATE_SIMILARITY alike. With `only`, just the
    pairs that involve those slugs.
    """
    published = [q for q in questions if is_published(q)]
    by_slug = {str(q.get("slug")): q for q in questions}
    vectors = _vectors(published)
    subjects = [set(subject_of(q)) for q in published]
    pairs, marked = [], 0
    for i, j in combinations(range(len(published)), 2):
        a, b = str(published[i].get("slug")), str(published[j].get("slug"))
        if only is not None and a not in only and b not in only:
            continue
        shared = subjects[i] & subjects[j]
        if variant_root(a, by_slug) == variant_root(b, by_slug):
            marked += 1
            continue
        if not shared:
            continue
        score = similarity(vectors[i], vectors[j])
        if score >= DUPLICATE_SIMILARITY:
            pairs.append((a, b, score, sorted(shared)))
    return pairs, marked


def duplicate_findings(
    questions: list[dict[str, Any]], *, only: set[str] | None = None
) -> tuple[list[Finding], list[tuple[str, str, float]], int]:
    by_slug = {str(q.get("slug")): q for q in questions}
    pairs, marked = duplicate_pairs(questions, only=only)
    findings, unmarked = [], []
    for a, b, score, shared in pairs:
        reasons = {**(by_slug[a].get("lint") or {}), **(by_slug[b].get("lint") or {})}
        codes = ", ".join(str(c) for c in shared)
        for slug, other in ((a, b), (b, a)):
            if only is not None and slug not in only:
                continue
            findings.append(
                Finding(
                    slug,
                    "near-duplicate",
                    f"asks what {other} asks (about {codes}; similarity {score:.2f}): mark one "
                    "variant_of the other, or rewrite it into its own scenario",
                    str(reasons.get("near-duplicate", "")).strip(),
                )
            )
        if "near-duplicate" not in reasons:
            unmarked.append((a, b, score))
    return findings, unmarked, marked


# The bank -------------------------------------------------------------------------------------


def figures(questions: list[dict[str, Any]]) -> Figures:
    result = Figures()
    key_chars: list[int] = []
    distractor_chars: list[int] = []
    for question in questions:
        if not is_published(question):
            result.unpublished += 1
            continue
        qtype = question.get("type")
        result.types[qtype] += 1
        result.difficulty[question.get("difficulty", 1)] += 1
        for code in subject_of(question):
            result.subject_counts[code] = result.subject_counts.get(code, 0) + 1
        keys, wrong = _choices(question)
        if qtype == "single" and keys and wrong:
            lengths = [rendered_length(c.get("text", "")) for c in keys + wrong]
            longest = max(lengths)
            result.single += 1
            result.chance += 1 / len(lengths)
            if lengths[0] == longest:  # keys come first: the single key
                result.longest_guess += 1 / lengths.count(longest)
        elif qtype == "multiple":
            result.multiple += 1
            key_chars += [rendered_length(c.get("text", "")) for c in keys]
            distractor_chars += [rendered_length(c.get("text", "")) for c in wrong]
        elif qtype == "truefalse":
            result.truefalse += 1
            result.true_keyed += question.get("answer") is True
        elif qtype == "code":
            result.code += 1
            result.code_with_wrong_codes += bool(question.get("wrong_codes"))
    result.multiple_key_chars = sum(key_chars) / len(key_chars) if key_chars else 0.0
    result.multiple_distractor_chars = (
        sum(distractor_chars) / len(distractor_chars) if distractor_chars else 0.0
    )
    return result


def bank_problems(numbers: Figures) -> list[str]:
    """The bank-level bounds the figures break."""
    problems = []
    if numbers.longest_share > MAX_LONGEST_KEY_SHARE:
        problems.append(
            f"the key is the longest choice in {numbers.longest_share:.1%} of single-choice "
            f"questions (at most {MAX_LONGEST_KEY_SHARE:.0%})"
        )
    low, high = TRUE_SHARE
    if numbers.truefalse and not low <= numbers.true_share <= high:
        problems.append(
            f"{numbers.true_share:.1%} of true/false questions are keyed True "
            f"(keep it within {low:.0%}–{high:.0%})"
        )
    if numbers.thin_codes:
        problems.append(
            f"{len(numbers.thin_codes)} registered codes are the subject of fewer than "
            f"{MIN_SUBJECT_QUESTIONS} published questions: "
            + ", ".join(
                f"{code} ({numbers.subject_counts.get(code, 0)})" for code in numbers.thin_codes
            )
        )
    return problems


def lint_bank(
    questions: list[dict[str, Any]], quizzes: list[dict[str, Any]] = (), *, only=None
) -> Report:
    """Lint published questions (and quiz descriptions) and the bank they make.

    With `only` (a set of slugs), per-question findings are limited to those questions, as in
    an import's dry run; the figures are always the whole bank's.
    """
    findings: list[Finding] = []
    for question in questions:
        if not is_published(question):
            continue
        if only is not None and str(question.get("slug")) not in only:
            continue
        findings += question_findings(question)
    for quiz in quizzes:
        findings += quiz_findings(quiz)
    duplicates, unmarked, marked = duplicate_findings(questions, only=only)
    findings += duplicates
    numbers = figures(questions)
    numbers.duplicates = unmarked
    numbers.variant_pairs = marked
    return Report(findings=findings, figures=numbers, bank_problems=bank_problems(numbers))


def lint_question(question: dict[str, Any], bank: list[dict[str, Any]] = ()) -> list[Finding]:
    """One question's findings (unpublished too: a draft is linted before it ships), with its
    near-duplicates in `bank` (the other questions; the question replaces its own row)."""
    slug = str(question.get("slug"))
    findings = question_findings(question)
    others = [q for q in bank if str(q.get("slug")) != slug]
    duplicates, _, _ = duplicate_findings([*others, dict(question, published=True)], only={slug})
    return findings + duplicates


def unused_silences(questions: list[dict[str, Any]], findings: list[Finding]) -> list[str]:
    """`lint:` entries that silence nothing: stale reasons mislead the next author."""
    fired = {(f.slug, f.rule) for f in findings}
    notes = []
    for question in questions:
        slug = str(question.get("slug"))
        for rule in question.get("lint") or {}:
            if is_published(question) and (slug, rule) not in fired:
                notes.append(f"{slug}: lint: {rule} is silenced but does not fire; remove it")
    return notes


# The report -----------------------------------------------------------------------------------


def report_text(report: Report, *, verbose: bool = False) -> str:
    n = report.figures
    low, high = TRUE_SHARE
    lines = [
        "Question bank",
        f"  published questions  {sum(n.types.values())} "
        f"({', '.join(f'{t} {n.types[t]}' for t in ('single', 'multiple', 'truefalse', 'code'))})"
        f"; {n.unpublished} unpublished",
        f"  difficulty           {', '.join(f'{d}: {n.difficulty[d]}' for d in (1, 2, 3))}",
        f"  longest-key share    {n.longest_share:.1%} of {n.single} single-choice questions "
        f"(chance {n.chance_share:.1%}; bound {MAX_LONGEST_KEY_SHARE:.0%})",
        f"  multiple-choice keys {n.multiple_key_chars:.0f} characters on average, distractors "
        f"{n.multiple_distractor_chars:.0f} ({n.multiple} questions)",
        f"  true share           {n.true_keyed} of {n.truefalse} true/false questions keyed True "
        f"({n.true_share:.1%}; bound {low:.0%}–{high:.0%})",
        f"  code questions       {n.code_with_wrong_codes} of {n.code} explain likely wrong codes",
        f"  subject coverage     {len(REGISTERED) - len(n.thin_codes)} of {len(REGISTERED)} "
        f"registered codes are the subject of {MIN_SUBJECT_QUESTIONS}+ published questions"
        + (f"; short: {', '.join(str(c) for c in n.thin_codes)}" if n.thin_codes else ""),
        f"  near-duplicates      {len(n.duplicates)} unmarked; {n.variant_pairs} marked variant "
        "pairs",
    ]
    errors = report.errors
    silenced = [f for f in report.findings if f.silenced]
    by_rule = Counter(f.rule for f in errors)
    counts = ", ".join(f"{rule} {k}" for rule, k in sorted(by_rule.items()))
    lines.append(
        f"Findings: {len(errors)} to fix"
        + (f" ({counts})" if errors else "")
        + f", {len(silenced)} silenced with a reason"
    )
    lines += [f"  {finding}" for finding in errors]
    if verbose:
        lines += [f"  {finding}" for finding in silenced]
    if report.bank_problems:
        lines.append("Bank out of bounds:")
        lines += [f"  {problem}" for problem in report.bank_problems]
    lines.append("FAILED" if report.failed else "OK")
    return "\n".join(lines)
