"""The learner's days: activity per day in their own time zone, streaks and the heatmap.

Days are the learner's days, in the time zone their browser gave. Activity is three aggregate
queries (answers, drill answers, lessons done), whatever the length of the history.
"""

import zoneinfo
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from quiz.models import Answer
from quiz.progress.models import DrillAnswer, Learner, LessonCompletion

HEATMAP_WEEKS = 26
_UTC = zoneinfo.ZoneInfo("UTC")


def learner_zone(learner: Learner | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(learner.timezone) if learner and learner.timezone else _UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return _UTC


def local_today(zone: zoneinfo.ZoneInfo, now: datetime) -> date:
    return now.astimezone(zone).date()


def activity_by_day(learner: Learner | None, zone: zoneinfo.ZoneInfo) -> Counter:
    """{local date: answers (quiz and drill) + lessons completed that day}, over the whole
    history."""
    days: Counter = Counter()
    if learner is None:
        return days
    answers = _per_day(Answer.objects.filter(attempt__learner=learner), "answered_at", zone)
    drilled = _per_day(DrillAnswer.objects.filter(learner=learner), "answered_at", zone)
    reads = _per_day(LessonCompletion.objects.filter(learner=learner), "completed_at", zone)
    for day, n in [*answers, *drilled, *reads]:
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


DAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))
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
    def title(self) -> str:
        things = f"{self.count} thing{'' if self.count == 1 else 's'} learned"
        return f"{self.day:%a} {self.day.day} {self.day:%b %Y}: " + (
            things if self.count else "nothing"
        )


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

    @property
    def svg(self) -> SafeString:
        """The grid as SVG, drawn here with its geometry: 182 cells through the template
        engine cost more than the rest of the page."""
        months = format_html_join("", '<text class="hm-label" x="{}" y="11">{}</text>', self.months)
        days = format_html_join(
            "",
            '<text class="hm-label" x="0" y="{}">{}</text>',
            ((TOP + row * (CELL + GAP) + CELL - 2, name) for row, name in DAY_LABELS),
        )
        cells = format_html_join(
            "",
            '<rect class="hm-{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
            "<title>{}</title></rect>",
            ((c.level, c.x, c.y, CELL, CELL, c.title) for c in self.cells),
        )
        return format_html(
            '<svg role="img" aria-labelledby="heatmap-summary" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}">{}{}{}</svg>',
            months,
            days,
            cells,
            w=self.width,
            h=self.height,
        )


def heatmap_key() -> SafeString:
    """The legend: one cell of each level, from less to more."""
    cells = format_html_join(
        "",
        '<rect class="hm-{}" x="{}" y="0" width="{}" height="{}" rx="2"/>',
        ((level, level * (CELL + 4), CELL, CELL) for level in range(5)),
    )
    width = 5 * (CELL + 4)
    return format_html(
        '<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}">{}</svg>', cells, w=width, h=CELL
    )


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
