"""Rubrics for interview follow-ups: their shape, their text form, and a matcher for answers.

A rubric is a list of 2–5 points, each `{"point": "...", "phrasings": ["...", ...]}`: one
checkable idea and the wordings that count as making it. Pure Python, deterministic, no
models: the loader and the admin validate with `problems()`, the drill marks with
`found_points()`, and the learner confirms or corrects the marks.

How an answer is matched against a phrasing:

1. Both texts are normalised the same way: lower case; Markdown links and `[[403|label]]`
   keep only their visible words (`[[403]]` becomes "403"); negative contractions are spelled
   out ("don't", "dont" → "do not"; "won't" → "will not"; "can't", "cannot" → "can not"),
   other apostrophes vanish ("server's" → "servers"); every other character that is not a
   letter, digit, hyphen or underscore separates words.
2. Words joined by `-` or `_` form one term, so header names and codes are tokens:
   "WWW-Authenticate", "Retry-After", "x-ratelimit-remaining", "401", "4xx". A phrasing never
   matches part of a term ("authenticate" is not found in "WWW-Authenticate"), but a term
   matches its words written apart or fused ("retry after", "reauthenticate" for
   "re-authenticate").
3. Each word is reduced by a small suffix stemmer (plurals, -ies, -ed, -ing, -ly, -ation,
   -ion, a final e), so "retrying", "retried" and "retries" all meet "retry". Words with a
   digit ("401", "5xx", "h2c") are left alone.
4. A phrasing is found when its words appear as a contiguous phrase, or, if it has at least
   two content words (the phrasing minus filler words such as "the", "a", "is", "with"), when
   they all appear, in any order, within a window of their number plus `NEAR_SLACK` words.
   So "valid credentials" meets "the credentials are valid", while "with its body" must be
   said as such (its one content word, "body", alone would match far too much).
5. A point is made when any one of its phrasings is found.

The matcher does not understand negation or meaning: "not idempotent" contains "idempotent",
and "401 is not about permission" contains "permission". Phrasings that include the negation
("no valid credentials") help, but the marks are suggestions that the learner confirms.
"""

import re
from dataclasses import dataclass
from functools import cached_property

MIN_POINTS = 2
MAX_POINTS = 5
NEAR_SLACK = 3  # extra words allowed between a phrasing's content words when out of order
SUFFIXES = (  # tried in order after a plural -s; the first that fits is removed
    ("ization", "iz"),
    ("ation", "at"),
    ("ion", ""),
    ("ily", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ed", ""),
    ("ly", ""),
)

FILLER_WORDS = {
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that",
    "of", "to", "in", "on", "at", "by", "for", "with", "as", "and", "or", "so", "then", "do",
}  # fmt: skip

_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")  # [text](url) -> text
_CODE_REF = re.compile(r"\[\[(\d{3})(?:\|([^\]\n]+))?\]\]")  # [[403]] -> 403, [[403|x]] -> x
_LAB_REF = re.compile(r"\[\[lab:[a-z0-9-]+(?:\|([^\]\n]+))?\]\]")  # only its label reads
_DIGIT_DASH = re.compile(r"(?<=\d)[–—](?=\d)")  # 200–299 reads like 200-299
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
_TERM = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_WONT = re.compile(r"\bwon['’]t\b")
_CANT = re.compile(r"\b(?:can['’]t|cannot)\b")
_NT = re.compile(r"\b(do|does|did|is|are|was|were|has|have|had|should|would|could)n['’]?t\b")


# The shape of a rubric -----------------------------------------------------------------------


def problems(rubric: object) -> list[str]:
    """What is wrong with a rubric, as sentences for an author; empty when it is valid.

    Points and phrasings may not contain `|` or `;`, so the admin's one-line-per-point text
    form (see `to_text`) always reads back as the same rubric.
    """
    if not isinstance(rubric, list):
        return ["the rubric must be a list of points"]
    found: list[str] = []
    if not MIN_POINTS <= len(rubric) <= MAX_POINTS:
        found.append(f"needs {MIN_POINTS}–{MAX_POINTS} points, has {len(rubric)}")
    for number, item in enumerate(rubric, start=1):
        if not isinstance(item, dict) or set(item) != {"point", "phrasings"}:
            found.append(f"point {number} needs exactly 'point' and 'phrasings'")
            continue
        point, phrasings = item["point"], item["phrasings"]
        if not isinstance(point, str) or not point.strip():
            found.append(f"point {number} has no text")
        elif "|" in point or "\n" in point:
            found.append(f"point {number} may not contain '|' or a line break")
        label = f"point {number}" + (f" ({point.strip()})" if isinstance(point, str) else "")
        if not isinstance(phrasings, list) or not phrasings:
            found.append(f"{label} needs at least one phrasing")
            continue
        for phrasing in phrasings:
            if not isinstance(phrasing, str) or not _words(phrasing).stems:
                found.append(f"{label}: every phrasing must be text with a word in it")
            elif any(mark in phrasing for mark in "|;\n"):
                found.append(f"{label}: phrasing {phrasing!r} may not contain '|' or ';'")
    return found


def to_text(rubric: list[dict]) -> str:
    """The rubric as lines an author edits: `point | phrasing; phrasing; ...`."""
    return "\n".join(f"{item['point']} | {'; '.join(item['phrasings'])}" for item in rubric)


def from_text(text: str) -> tuple[list[dict], list[str]]:
    """Read the `to_text` form back; blank lines are skipped. Returns (rubric, problems)."""
    rubric: list[dict] = []
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        point, bar, rest = line.partition("|")
        if not bar:
            found.append(f"line {number}: put '|' between the point and its phrasings")
            continue
        if "|" in rest:
            found.append(f"line {number}: use one '|'; separate phrasings with ';'")
            continue
        phrasings = [p.strip() for p in rest.split(";") if p.strip()]
        rubric.append({"point": point.strip(), "phrasings": phrasings})
    return rubric, found


# Matching ------------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A crude but consistent stem: enough to meet plurals and -ed/-ing/-ly/-ation forms."""
    if any(char.isdigit() for char in word) or len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"  # retries -> retry
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]  # tokens -> token, caches -> cache (its e goes below)
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if not (suffix == "ed" and word.endswith("eed")):  # succeed, agreed
                word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopped -> stop, getting -> get
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # cache, cached, caching -> cach
    return word


@dataclass(frozen=True)
class _Words:
    """A text as stemmed words, with where each term (a run joined by - or _) starts."""

    stems: tuple[str, ...]
    plain: tuple[str, ...]
    term_start: tuple[bool, ...]  # True where a word begins a new term

    def term_end(self, index: int) -> bool:
        return index == len(self.stems) or self.term_start[index]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Where each stem stands in the text, in order."""
        found: dict[str, list[int]] = {}
        for index, word in enumerate(self.stems):
            found.setdefault(word, []).append(index)
        return found

    @cached_property
    def fused_terms(self) -> tuple[tuple[int, int, str], ...]:
        """(start, end, stem of its words written together) of each term: worked out once per
        text, not once per phrasing, so a long answer costs one pass."""
        return tuple(
            (start, end, stem("".join(self.plain[start:end]))) for start, end in _terms(self)
        )


def _normalise(text: str) -> str:
    text = _CODE_REF.sub(lambda m: m.group(2) or m.group(1), text)
    text = _LAB_REF.sub(lambda m: m.group(1) or "", text)
    text = _LINK.sub(r"\1", text)
    text = _DIGIT_DASH.sub("-", text).lower()
    text = _NT.sub(r"\1 not", _CANT.sub("can not", _WONT.sub("will not", text)))
    return _APOSTROPHE.sub("", text)


def _words(text: str) -> _Words:
    stems: list[str] = []
    plain: list[str] = []
    starts: list[bool] = []
    for term in _TERM.findall(_normalise(text)):
        for index, word in enumerate(re.split(r"[-_]", term)):
            stems.append(stem(word))
            plain.append(word)
            starts.append(index == 0)
    return _Words(tuple(stems), tuple(plain), tuple(starts))


def _terms(words: _Words) -> list[tuple[int, int]]:
    """(start, end) of each term, in word positions."""
    starts = [i for i, start in enumerate(words.term_start) if start]
    ends = [*starts[1:], len(words.stems)] if starts else []
    return list(zip(starts, ends, strict=True))


def _occurrences(answer: _Words, unit: _Words) -> list[tuple[int, int]]:
    """Where `unit` occurs in `answer` as whole terms, word by word or fused into one word."""
    found = []
    size = len(unit.stems)
    # Only where the unit's rarest word stands in the answer can the unit start (so a long
    # answer is not walked word by word for every phrasing).
    anchor = min(range(size), key=lambda i: len(answer.positions.get(unit.stems[i], ())))
    for at in answer.positions.get(unit.stems[anchor], ()):
        start = at - anchor
        if (
            0 <= start <= len(answer.stems) - size
            and answer.term_start[start]
            and answer.term_end(start + size)
            and answer.stems[start : start + size] == unit.stems
        ):
            found.append((start, start + size))
    fused_unit = stem("".join(unit.plain))
    for start, end, fused in answer.fused_terms:
        if (end - start > 1 or size > 1) and fused == fused_unit:
            found.append((start, end))
    return found


def _near(answer: _Words, units: list[_Words]) -> bool:
    """All units occur within a window of their total length plus NEAR_SLACK words."""
    hits = sorted(
        (start, end, index)
        for index, unit in enumerate(units)
        for start, end in _occurrences(answer, unit)
    )
    limit = sum(len(unit.stems) for unit in units) + NEAR_SLACK
    for first, (start, _, _) in enumerate(hits):
        seen: set[int] = set()
        for later_start, later_end, index in hits[first:]:
            if later_start - start >= limit:
                break
            if later_end - start <= limit:
                seen.add(index)
            if len(seen) == len(units):
                return True
    return False


def phrasing_found(answer: str | _Words, phrasing: str) -> bool:
    """Whether `answer` says `phrasing`, contiguously or nearby in any order."""
    words = answer if isinstance(answer, _Words) else _words(answer)
    whole = _words(phrasing)
    if not whole.stems:
        return False
    if _occurrences(words, whole):
        return True
    terms = [term for term in _TERM.findall(_normalise(phrasing)) if term not in FILLER_WORDS]
    units = [_words(term) for term in terms]
    return len(units) >= 2 and _near(words, units)


def point_evidence(answer: str, point: dict) -> str | None:
    """The first of the point's phrasings that the answer says, or None."""
    words = _words(answer)
    return next((p for p in point["phrasings"] if phrasing_found(words, p)), None)


def points_evidence(answer: str, rubric: list[dict]) -> list[str | None]:
    """For each point of the rubric, the first of its phrasings the answer says, or None; the
    answer is read once for all of them."""
    words = _words(answer)
    return [
        next((p for p in point["phrasings"] if phrasing_found(words, p)), None) for point in rubric
    ]


def found_points(answer: str, rubric: list[dict]) -> list[bool]:
    """For each point of the rubric, whether the answer makes it (by any of its phrasings)."""
    words = _words(answer)
    return [any(phrasing_found(words, p) for p in point["phrasings"]) for point in rubric]
