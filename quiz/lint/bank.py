"""The bank as a whole: the figures a guesser could exploit, coverage, and the report."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from learn.registry import REGISTERED
from quiz.lint.duplicates import duplicate_findings
from quiz.lint.finding import Finding
from quiz.lint.markup import rendered_length
from quiz.lint.questions import (
    is_published,
    question_findings,
    quiz_findings,
    right_and_wrong,
    subject_of,
)
from quiz.lint.thresholds import (
    MAX_LENGTH_GUESS_SHARE,
    MIN_SUBJECT_QUESTIONS,
    TRUE_SHARE,
)

# Guessers who pick by length: the key should not sit in any one place of the length order.
STRATEGIES = ("longest", "2nd longest", "2nd shortest", "shortest")


@dataclass
class Figures:
    """The bank report's numbers: what a guesser could exploit, and what the bank covers."""

    types: Counter = field(default_factory=Counter)
    unpublished: int = 0
    single: int = 0
    # Expected hits of guessers who pick by length ("longest", "2nd longest", "2nd shortest",
    # "shortest"), ties broken at random; "longest" is the audit's figure.
    length_guess: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STRATEGIES, 0.0))
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
        return self.length_share("longest")

    def length_share(self, strategy: str) -> float:
        return self.length_guess[strategy] / self.single if self.single else 0.0

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
        keys, wrong = right_and_wrong(question)
        if qtype == "single" and keys and wrong:
            lengths = [rendered_length(c.get("text", "")) for c in keys + wrong]
            result.single += 1
            result.chance += 1 / len(lengths)
            for strategy, hit in length_guesses(lengths[0], lengths).items():
                result.length_guess[strategy] += hit
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


def length_guesses(key: int, lengths: list[int]) -> dict[str, float]:
    """How often each pick-by-length guesser hits the key of one question: the key (length
    `key`, one of `lengths`) takes each of its tied places in the length order equally often."""
    n = len(lengths)
    longer = sum(1 for length in lengths if length > key)
    tied = lengths.count(key)
    places = {"longest": 1, "2nd longest": 2, "2nd shortest": n - 1, "shortest": n}
    return {
        strategy: (1 / tied if longer < place <= longer + tied else 0.0)
        for strategy, place in places.items()
    }


def bank_problems(numbers: Figures) -> list[str]:
    """The bank-level bounds the figures break."""
    problems = []
    if numbers.longest_share > MAX_LENGTH_GUESS_SHARE:
        problems.append(
            f"the key is the longest choice in {numbers.longest_share:.1%} of single-choice "
            f"questions (at most {MAX_LENGTH_GUESS_SHARE:.0%})"
        )
    for strategy in STRATEGIES[1:]:
        share = numbers.length_share(strategy)
        if share > MAX_LENGTH_GUESS_SHARE:
            problems.append(
                f"the key is the {strategy} choice in {share:.1%} of single-choice questions "
                f"(at most {MAX_LENGTH_GUESS_SHARE:.0%}: a guesser should not gain by length)"
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
        f"(chance {n.chance_share:.1%}; bound {MAX_LENGTH_GUESS_SHARE:.0%})",
        "  key by length        "
        + ", ".join(f"{strategy} {n.length_share(strategy):.1%}" for strategy in STRATEGIES)
        + f" (each at most {MAX_LENGTH_GUESS_SHARE:.0%})",
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
