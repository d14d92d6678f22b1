"""What the learner knows: mastery per code and class, weakest codes, confusable pairs, and
the question sets to practise them.

Mastery is one windowed query over the learner's answers, whatever the history's length.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from learn.models import StatusCode
from learn.registry import CLASS_NAMES
from quiz.models import Answer, Question
from quiz.percent import percent
from quiz.progress.models import Learner

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


@dataclass
class CodeMastery:
    code: int
    name: str
    answered: int = 0
    weight_right: int = 0
    weight_total: int = 0

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


def _recent_answers_per_code(learner: Learner) -> list[tuple[int, int, int, int]]:
    """[(code, answers in window, weighted right, weighted total)] in one query.

    The ORM cannot aggregate over a window function, so the ranked answers it builds are
    wrapped in a GROUP BY here; the SQL is portable between SQLite and PostgreSQL.
    """
    ranked = (
        Answer.objects.filter(attempt__learner=learner, question__codes__isnull=False)
        .annotate(
            code=F("question__codes__code"),
            recency=Window(
                RowNumber(),
                partition_by=F("question__codes__code"),
                order_by=[F("answered_at").desc(), F("id").desc()],
            ),
        )
        .values("code", "correct", "recency")
    )
    sql, params = ranked.query.sql_with_params()
    top = MASTERY_WINDOW + 1
    wrapped = (
        "SELECT ranked.code, COUNT(*), "
        f"SUM(CASE WHEN ranked.correct THEN {top} - ranked.recency ELSE 0 END), "
        f"SUM({top} - ranked.recency) "
        f"FROM ({sql}) ranked WHERE ranked.recency <= %s GROUP BY ranked.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(wrapped, (*params, MASTERY_WINDOW))
        return [tuple(int(v) for v in row) for row in cursor.fetchall()]


def mastery(learner: Learner | None) -> list[CodeMastery]:
    """Every code that published questions teach, with the learner's mastery of it."""
    codes = (
        StatusCode.objects.filter(questions__published=True)
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    )
    rows = {code: CodeMastery(code, name) for code, name in codes}
    if learner is not None:
        for code, answered, weight_right, weight_total in _recent_answers_per_code(learner):
            if code in rows:
                row = rows[code]
                row.answered, row.weight_right, row.weight_total = (
                    answered,
                    weight_right,
                    weight_total,
                )
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
    first: CodeMastery
    second: CodeMastery

    @property
    def score(self) -> float:
        return min(self.first.score, self.second.score)

    @property
    def started(self) -> bool:
        return bool(self.first.answered or self.second.answered)


def confusable_pairs(codes: list[CodeMastery]) -> list[Pair]:
    """The confusable pairs the bank has questions for, weakest first (unstarted last)."""
    by_code = {c.code: c for c in codes}
    pairs = [
        Pair(by_code[a], by_code[b]) for a, b in CONFUSABLE_PAIRS if a in by_code and b in by_code
    ]
    return sorted(pairs, key=lambda p: (not p.started, p.score))


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
    """Published questions tagging any of the codes; those tagging more of them first."""
    return list(
        Question.objects.published()
        .filter(codes__code__in=codes)
        .annotate(hits=Count("codes", filter=Q(codes__code__in=codes)))
        .order_by("-hits", "id")
        .values_list("id", flat=True)
    )
