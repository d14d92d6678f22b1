"""The learner's days: activity per day in their own time zone, streaks and the heatmap.

Days are the learner's days, in the time zone their browser gave. Activity is three aggregate
queries (answers, drill answers, lessons done), whatever the length of the history.
"""

import zoneinfo
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from quiz.models import Answer
from quiz.progress.freshness import HISTORY, learner_version
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


def activity_by_day(learner: Learner | None, zone: zoneinfo.ZoneInfo, now: datetime) -> Counter:
    """{local date: answers (quiz and drill) + lessons completed that day}, over the whole
    history.

    Days before today cannot change but by a merge or a new time zone, so they are kept (per
    learner, zone and day, until their history moves: `freshness`); only today's rows are
    counted on each view. Grouping a long history by local day runs a Python function per row
    in SQLite, which cost more than the rest of the dashboard's queries together.
    """
    days: Counter = Counter()
    if learner is None:
        return days
    today = local_today(zone, now)
    midnight = datetime.combine(today, time.min, tzinfo=zone)
    history = learner_version(learner.pk, scope=HISTORY)
    if not history:  # nothing may be kept: every day at once
        return _count_by_day(learner, zone)
    key = f"activity:{learner.pk}:{history}:{zone.key}:{today.isoformat()}"
    past = cache.get(key)
    if past is None:
        past = _count_by_day(learner, zone, before=midnight)
        cache.set(key, past, 60 * 60 * 24)
    days.update(past)
    days.update(_count_by_day(learner, zone, since=midnight))
    return days


def _count_by_day(learner: Learner, zone: zoneinfo.ZoneInfo, **bound) -> Counter:
    days: Counter = Counter()
    sources = (
        (Answer.objects.filter(attempt__learner=learner), "answered_at"),
        (DrillAnswer.objects.filter(learner=learner), "answered_at"),
        (LessonCompletion.objects.filter(learner=learner), "completed_at"),
    )
    for rows, moment in sources:
        if "before" in bound:
            rows = rows.filter(**{f"{moment}__lt": bound["before"]})
        elif "since" in bound:
            rows = rows.filter(**{f"{moment}__gte": bound["since"]})
        for day, n in _per_day(rows, moment, zone):
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
        engine cost more than the rest of the page. Every value is a number or a date and
        month name of ours, never the learner's words: nothing needs escaping."""
        months = "".join(
            f'<text class="hm-label" x="{x}" y="11">{name}</text>' for x, name in self.months
        )
        days = "".join(
            f'<text class="hm-label" x="0" y="{TOP + row * (CELL + GAP) + CELL - 2}">{name}</text>'
            for row, name in DAY_LABELS
        )
        cells = "".join(
            f'<rect class="hm-{c.level}" x="{c.x}" y="{c.y}" width="{CELL}" height="{CELL}" rx="2">'
            f"<title>{c.title}</title></rect>"
            for c in self.cells
        )
        return mark_safe(  # noqa: S308 (numbers, dates and month names only: see above)
            f'<svg role="img" aria-labelledby="heatmap-summary" viewBox="0 0 {self.width} '
            f'{self.height}" width="{self.width}" height="{self.height}">'
            f"{months}{days}{cells}</svg>"
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
