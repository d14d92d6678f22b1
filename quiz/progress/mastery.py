"""What the learner knows: mastery per code and class, weakest codes, confusable pairs, and
the question sets to practise them.

Mastery is one windowed query over the learner's answers, whatever the history's length.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from learn.models import StatusCode, code_url
from learn.registry import CLASS_NAMES
from quiz.models import Answer, Question
from quiz.percent import percent
from quiz.progress.models import CodeEvidence, Confusion, Learner

# Mastery looks at the latest answers that tag a code, the newest weighing most (5, 4, 3 …).
MASTERY_WINDOW = 5
LEVELS = ("not-started", "familiar", "proficient", "mastered")
LEVEL_NAMES = {
    "not-started": "Not started",
    "familiar": "Familiar",
    "proficient": "Proficient",
    "mastered": "Mastered",
}
# Pairs that interviews and real APIs mix up; each is taught side by side in a lesson.
CONFUSABLE_PAIRS = (
    (401, 403),
    (400, 422),
    (404, 410),
    (502, 504),
    (500, 503),
    (429, 503),
    (301, 308),
    (302, 307),
    (302, 303),
    (409, 412),
    (200, 204),
    (201, 202),
)
WEAKEST = 5
CONFUSIONS = 6  # pairs under "Easily confused"


@dataclass
class CodeMastery:
    code: int
    name: str
    answered: int = 0
    weight_right: int = 0
    weight_total: int = 0

    def take(self, recent: str) -> None:
        """The latest answers, newest first ("RWR…"), weighted 5, 4, 3 … from the newest."""
        weights = range(MASTERY_WINDOW, 0, -1)
        self.answered = len(recent)
        self.weight_total = sum(w for w, _ in zip(weights, recent, strict=False))
        self.weight_right = sum(w for w, mark in zip(weights, recent, strict=False) if mark == "R")

    @property
    def score(self) -> float:
        """Weighted share right in the recent window, 0–1."""
        return self.weight_right / self.weight_total if self.weight_total else 0.0

    @property
    def percent(self) -> int:
        return percent(self.score, 1)

    @property
    def level(self) -> str:
        if self.answered == 0:
            return "not-started"
        if self.answered >= 3 and self.score >= 0.9:
            return "mastered"
        if self.answered >= 2 and self.score >= 0.7:
            return "proficient"
        return "familiar"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def status_class(self) -> int:
        return self.code // 100

    @property
    def url(self) -> str:
        return code_url(self.code)


def mastery(learner: Learner | None) -> list[CodeMastery]:
    """Every code that published questions ask about, with the learner's mastery of it: from
    the evidence rows kept on write (`quiz.progress.evidence`), two queries in all."""
    codes = (
        StatusCode.objects.filter(subject_of__published=True)
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    )
    rows = {code: CodeMastery(code, name) for code, name in codes}
    if learner is not None:
        for code, recent in CodeEvidence.objects.filter(learner=learner).values_list(
            "code", "recent"
        ):
            if code in rows:
                rows[code].take(recent)
    return list(rows.values())


@dataclass
class ClassMastery:
    digit: int
    name: str
    codes: list[CodeMastery] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Mean mastery score over the class's codes; codes not started count as 0."""
        return percent(sum(c.score for c in self.codes), len(self.codes))

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(c.level for c in self.codes)
        return {level: tally[level] for level in LEVELS}

    @property
    def proficient_or_better(self) -> int:
        return sum(1 for c in self.codes if c.level in ("proficient", "mastered"))


def mastery_by_class(codes: list[CodeMastery]) -> list[ClassMastery]:
    classes: dict[int, ClassMastery] = {}
    for code in codes:
        digit = code.status_class
        classes.setdefault(digit, ClassMastery(digit, CLASS_NAMES[digit])).codes.append(code)
    return [classes[d] for d in sorted(classes)]


def weakest(codes: list[CodeMastery], limit: int = WEAKEST) -> list[CodeMastery]:
    """Codes answered but not mastered, weakest first (more evidence first on a tie)."""
    started = [c for c in codes if c.answered and c.level != "mastered"]
    return sorted(started, key=lambda c: (c.score, -c.answered, c.code))[:limit]


@dataclass
class Pair:
    """Two codes to tell apart: the learner's own mix-up (`count` times), or a classic one."""

    first: CodeMastery
    second: CodeMastery
    count: int = 0  # how often this learner gave `second` where `first` was right

    @property
    def score(self) -> float:
        return min(self.first.score, self.second.score)

    @property
    def started(self) -> bool:
        return bool(self.first.answered or self.second.answered)

    @property
    def own(self) -> bool:
        return self.count > 0


def confused_pairs(
    learner: Learner | None, codes: list[CodeMastery], limit: int = CONFUSIONS
) -> list[Pair]:
    """The learner's own most frequent mix-ups first (subject, then what they gave instead),
    then the classic pairs for codes they have not met yet. One query."""
    by_code = {c.code: c for c in codes}
    own: list[Pair] = []
    if learner is not None:
        mixups = Confusion.objects.filter(learner=learner).order_by("-count", "-last_at")
        for subject, picked, count in mixups.values_list("subject", "picked", "count"):
            if subject in by_code and picked in by_code and len(own) < limit:
                own.append(Pair(by_code[subject], by_code[picked], count))
    seen = {frozenset((p.first.code, p.second.code)) for p in own}
    classic = [
        Pair(by_code[a], by_code[b])
        for a, b in CONFUSABLE_PAIRS
        if a in by_code
        and b in by_code
        and frozenset((a, b)) not in seen
        and not (by_code[a].answered and by_code[b].answered)
    ]
    return own + classic


def last_wrong_question_ids(learner: Learner | None) -> list[int]:
    """Published questions whose latest answer by the learner was wrong, most recent first."""
    if learner is None:
        return []
    latest = Answer.objects.filter(attempt__learner=learner, question=OuterRef("pk")).order_by(
        "-answered_at", "-id"
    )
    return list(
        Question.objects.published()
        .annotate(
            last_correct=Subquery(latest.values("correct")[:1]),
            last_at=Subquery(latest.values("answered_at")[:1]),
        )
        .filter(last_correct=False)
        .order_by("-last_at", "id")
        .values_list("id", flat=True)
    )


def question_ids_for_codes(codes: list[int]) -> list[int]:
    """Published questions asking about any of the codes (their subject), those about more of
    them first, then those merely mentioning them."""
    about = (
        Question.objects.published()
        .filter(subject__code__in=codes)
        .annotate(hits=Count("subject", filter=Q(subject__code__in=codes), distinct=True))
        .order_by("-hits", "id")
        .values_list("id", flat=True)
    )
    mentioning = (
        Question.objects.published()
        .filter(codes__code__in=codes)
        .distinct()
        .order_by("id")
        .values_list("id", flat=True)
    )
    return list(dict.fromkeys([*about, *mentioning]))
