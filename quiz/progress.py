"""Reads for the progress dashboard: reading, history, mastery, streaks and the heatmap.

Every figure comes from an aggregate query; the number of queries does not depend on how long
the learner's history is. Days are the learner's days, in the time zone their browser gave.
"""

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber, TruncDate

from learn.models import Lesson, StatusCode
from learn.registry import CLASS_NAMES
from quiz.models import Answer, Attempt, Learner, LessonCompletion, Question

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
HEATMAP_WEEKS = 26
WEAKEST = 5


def learner_zone(learner: Learner | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(learner.timezone) if learner and learner.timezone else _UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return _UTC


_UTC = zoneinfo.ZoneInfo("UTC")


# Reading -------------------------------------------------------------------------------------


def completed_lesson_ids(learner: Learner | None) -> set[int]:
    if learner is None:
        return set()
    return set(LessonCompletion.objects.filter(learner=learner).values_list("lesson_id", flat=True))


@dataclass
class ReadingGroup:
    label: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def reading_by_group(done: set[int]) -> list[ReadingGroup]:
    """Published lessons done per group, in reading order."""
    groups_of = dict(Lesson.objects.published().values_list("id", "group"))
    totals = Counter(groups_of.values())
    finished = Counter(groups_of[pk] for pk in done if pk in groups_of)
    return [
        ReadingGroup(label, finished[key], totals[key])
        for key, label in Lesson.Group.choices
        if totals.get(key)
    ]


def reading_by_class(done: set[int]) -> list[ReadingGroup]:
    """For each class of codes, the published lessons that teach one of its codes, and how many
    of them are done."""
    pairs = (
        Lesson.objects.published()
        .filter(codes__isnull=False)
        .values_list("id", "codes__code")
        .distinct()
    )
    lessons_of: dict[int, set[int]] = {}
    for lesson_id, code in pairs:
        lessons_of.setdefault(code // 100, set()).add(lesson_id)
    return [
        ReadingGroup(f"{digit}xx", len(lessons_of[digit] & done), len(lessons_of[digit]))
        for digit in sorted(lessons_of)
    ]


# History -------------------------------------------------------------------------------------


def history(learner: Learner, limit: int = 20) -> tuple[list[Attempt], int]:
    """The latest attempts (newest first) and how many there are in all."""
    attempts = Attempt.objects.filter(learner=learner).select_related("quiz")
    return list(attempts.order_by("-started_at", "-id")[:limit]), attempts.count()


# Mastery -------------------------------------------------------------------------------------


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
        return round(100 * self.score)

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
        return round(100 * sum(c.score for c in self.codes) / len(self.codes)) if self.codes else 0

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


# Activity, streaks and the heatmap -----------------------------------------------------------


def activity_by_day(learner: Learner | None, zone: zoneinfo.ZoneInfo) -> Counter:
    """{local date: answers + lessons completed that day}, over the whole history."""
    days: Counter = Counter()
    if learner is None:
        return days
    answers = _per_day(Answer.objects.filter(attempt__learner=learner), "answered_at", zone)
    reads = _per_day(LessonCompletion.objects.filter(learner=learner), "completed_at", zone)
    for day, n in [*answers, *reads]:
        days[day] += n
    return days


def _per_day(rows, moment: str, zone: zoneinfo.ZoneInfo):
    """(local date, count) for the rows, grouped by the day `moment` falls on in `zone`."""
    return (
        rows.annotate(day=TruncDate(moment, tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    active_today: bool


def streak(days: set[date], today: date) -> Streak:
    """Consecutive active days. The current streak counts up to today, or up to yesterday while
    today is still to play for; a missed day ends it."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(current, longest, today in days)


CELL = 12
GAP = 3
LEFT = 30
TOP = 18


@dataclass(frozen=True)
class Cell:
    day: date
    count: int
    x: int
    y: int

    @property
    def level(self) -> int:
        """0 none, 1 a little (1–2), 2 some (3–5), 3 a lot (6–10), 4 a big day (11+)."""
        for level, floor in ((4, 11), (3, 6), (2, 3), (1, 1)):
            if self.count >= floor:
                return level
        return 0

    @property
    def svg(self) -> dict[str, str]:
        """The cell's attributes and title as text: 182 cells through the template's number
        and date localisation cost more than the rest of the page."""
        things = f"{self.count} thing{'' if self.count == 1 else 's'} learned"
        return {
            "level": str(self.level),
            "x": str(self.x),
            "y": str(self.y),
            "title": f"{self.day:%a} {self.day.day} {self.day:%b %Y}: "
            + (things if self.count else "nothing"),
        }


@dataclass
class Heatmap:
    cells: list[Cell]
    months: list[tuple[int, str]]
    width: int
    height: int
    first: date
    last: date

    @property
    def active_days(self) -> int:
        return sum(1 for c in self.cells if c.count)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def busiest(self) -> Cell | None:
        active = [c for c in self.cells if c.count]
        return max(active, key=lambda c: (c.count, c.day)) if active else None

    @property
    def active_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.count]


def heatmap(days: Counter, today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """A weeks × 7 grid ending with today's week (weeks start on Monday), laid out for SVG."""
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    cells, months = [], []
    day = first
    while day <= today:
        column, row = (day - first).days // 7, day.weekday()
        x, y = LEFT + column * (CELL + GAP), TOP + row * (CELL + GAP)
        cells.append(Cell(day, days.get(day, 0), x, y))
        if day.day <= 7 and row == 0:
            months.append((x, day.strftime("%b")))
        day += timedelta(days=1)
    return Heatmap(
        cells=cells,
        months=months,
        width=LEFT + weeks * (CELL + GAP),
        height=TOP + 7 * (CELL + GAP),
        first=first,
        last=today,
    )


def local_today(zone: zoneinfo.ZoneInfo, now: datetime) -> date:
    return now.astimezone(zone).date()


# Sets to practise ----------------------------------------------------------------------------


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
