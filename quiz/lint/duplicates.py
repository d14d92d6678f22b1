"""Near-duplicates: two published questions that ask about the same code in much the same words.

Similarity is the cosine of TF-IDF vectors over prompt, key and explanation, so words every
question uses weigh little and the words of a scenario weigh much.
"""

import math
import re
from collections import Counter
from itertools import combinations
from typing import Any

from quiz.lint.finding import Finding
from quiz.lint.questions import is_published, right_and_wrong, subject_of
from quiz.lint.thresholds import DUPLICATE_SIMILARITY

_STOP = {
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "is", "it", "its", "no", "not", "of", "on", "or", "should", "that", "the", "this", "to",
    "what", "when", "which", "with", "you", "your",
}  # fmt: skip
_URL = re.compile(r"\]\([^)]*\)")
_REF = re.compile(r"\[\[(\d{3})(?:\|[^\]]*)?\]\]")
_WORD = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def _words(question: dict[str, Any]) -> list[str]:
    keys, _ = right_and_wrong(question)
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
