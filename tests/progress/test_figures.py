"""The progress figures on histories built for the purpose: mastery, streaks, the heatmap,
spaced repetition through the real pages, and query counts that ignore history length."""

import itertools
import re
from collections import Counter
from datetime import date, datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.models import Lesson, StatusCode
from quiz.models import Answer, Attempt, Question
from quiz.progress import activity, mastery
from quiz.progress.evidence import evidence_rebuild
from quiz.progress.freshness import learner_changed
from quiz.progress.models import Learner, LessonCompletion, ReviewCard, ReviewLog
from tests.bench.fixtures import learner_with_history
from tests.quiz.conftest import number_of

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
# A Wednesday, so the heatmap's last column holds Monday to Wednesday.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 18)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
_slugs = itertools.count(1)


# Building histories ---------------------------------------------------------------------------


def code_question(code: int) -> Question:
    """A published "type the code" question tagged with just this code."""
    question = Question.objects.create(
        slug=f"figures-{code}-{next(_slugs)}",
        type=Question.Type.CODE,
        prompt=f"Which code is {code}?",
        answer_code=code,
        explanation=f"It is {code}.",
    )
    question.codes.add(StatusCode.objects.get(code=code))
    question.subject.add(StatusCode.objects.get(code=code))
    return question


def answer(
    learner: Learner, question: Question, correct: bool, at: datetime, given_code=None, *, told=True
) -> Answer:
    """One answer in an attempt of its own, recorded at `at` (unless not `told`, moving the
    learner's version as the site does, the past days' too since it is dated back)."""
    attempt = Attempt.objects.create(
        learner=learner,
        title="Built for a test",
        question_ids=[question.pk],
        total=1,
        answered=1,
        correct=int(correct),
    )
    made = Answer.objects.create(
        attempt=attempt, question=question, correct=correct, given_code=given_code
    )
    Answer.objects.filter(pk=made.pk).update(answered_at=at)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=at, finished_at=at)
    evidence_rebuild([learner.pk])  # what answering through the site keeps up to date
    if told:
        learner_changed(learner.pk, history=True)
    return made


def answers(learner: Learner, question: Question, marks: str, *, start=NOW - 10 * DAY) -> None:
    """Answers oldest first, an hour apart: R right, W wrong."""
    for i, mark in enumerate(marks):
        answer(learner, question, mark == "R", start + timedelta(hours=i))


def mastery_of(learner: Learner | None) -> dict[int, mastery.CodeMastery]:
    return {row.code: row for row in mastery.mastery(learner)}


def log_in(client, learner: Learner) -> None:
    session = client.session
    session["learner_id"] = learner.pk
    session.save()


def url(attempt: Attempt, n: int) -> str:
    return f"/quiz/attempts/{attempt.pk}/{n}/"


# Reading the dashboard ------------------------------------------------------------------------


def stat(html: str, label: str) -> str:
    """The value of the "at a glance" card whose label starts with `label`."""
    found = re.search(
        r'<p class="stat-value">([^<]*)</p><p class="stat-label">' + re.escape(label), html
    )
    assert found, f"no stat card {label!r}"
    return found.group(1)


def streak_label(html: str) -> str:
    found = re.search(r'<p class="stat-label">(Current streak[^<]*)</p>', html)
    assert found
    return found.group(1)


def code_link(html: str, code: int) -> tuple[str, str]:
    """(level class, title) of the code's link in the mastery table."""
    found = re.search(
        rf'<a class="level level-([\w-]+)" href="/codes/{code}/"\s+title="([^"]*)"\s*>{code}'
        r'<span class="visually-hidden"> ([^<]*)</span></a>',
        html,
    )
    assert found, f"no mastery link for {code}"
    level, title, hidden = found.groups()
    assert title.split(": ")[1].startswith(hidden)
    return level, title


def heatmap_svg(html: str) -> str:
    found = re.search(r'<svg role="img" aria-labelledby="heatmap-summary".*?</svg>', html, re.S)
    assert found
    return found.group(0)


def figcaption(html: str) -> str:
    found = re.search(
        r'<figcaption id="heatmap-summary">\s*(.*?)\s*<span class="hm-key"', html, re.S
    )
    assert found
    return found.group(1)


def section(html: str, title_id: str) -> str:
    found = re.search(rf'aria-labelledby="{title_id}">(.*?)</section>', html, re.S)
    assert found, title_id
    return found.group(1)


# 1. Mastery -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marks,level,percent,counted",
    [
        ("", "not-started", 0, 0),
        ("R", "familiar", 100, 1),
        ("W", "familiar", 0, 1),
        ("RR", "proficient", 100, 2),
        ("RRR", "mastered", 100, 3),
        ("WR", "familiar", 56, 2),  # 5 / 9
        ("WRR", "proficient", 75, 3),  # 9 / 12
        ("RWR", "familiar", 67, 3),  # 8 / 12
        ("RRW", "familiar", 58, 3),  # 7 / 12
        ("WRRR", "proficient", 86, 4),  # 12 / 14
        ("WRRRR", "mastered", 93, 5),  # 14 / 15: the oldest of five weighs 1
        ("RRRRW", "familiar", 67, 5),  # 10 / 15: the newest weighs 5
        ("WRRRRR", "mastered", 100, 5),  # the wrong answer left the window of five
        ("WWWWWRRRRR", "mastered", 100, 5),
        ("RRRRRRRRRW", "familiar", 67, 5),
    ],
)
def test_mastery_level_from_the_latest_five_answers(marks, level, percent, counted):
    learner = Learner.objects.create()
    answers(learner, code_question(201), marks)
    row = mastery_of(learner)[201]
    assert (row.level, row.percent, row.answered) == (level, percent, counted)


def test_the_same_answers_in_another_order_weigh_differently():
    question = code_question(409)
    wrong_first, wrong_last = Learner.objects.create(), Learner.objects.create()
    answers(wrong_first, question, "WRRRR")
    answers(wrong_last, question, "RRRRW")
    early, late = mastery_of(wrong_first)[409], mastery_of(wrong_last)[409]
    assert early.answered == late.answered == 5
    assert early.score > late.score
    assert (early.level, late.level) == ("mastered", "familiar")


def test_recency_follows_answered_at_not_the_order_rows_were_written():
    learner = Learner.objects.create()
    question = code_question(410)
    # Written newest first: the wrong answer is the oldest, though its row is the last.
    for hours, correct in [(1, True), (2, True), (3, True), (4, True), (5, False)]:
        answer(learner, question, correct, NOW - timedelta(hours=hours))
    assert (mastery_of(learner)[410].level, mastery_of(learner)[410].percent) == ("mastered", 93)


def test_the_window_is_per_code_and_per_learner():
    learner, other = Learner.objects.create(), Learner.objects.create()
    created, not_found = code_question(201), code_question(404)
    answer(learner, created, False, NOW - 3 * DAY)
    answers(learner, not_found, "RRRRRR", start=NOW - 2 * DAY)  # newer, on another code
    answers(other, created, "RRR")
    mine = mastery_of(learner)
    assert (mine[201].level, mine[201].percent, mine[201].answered) == ("familiar", 0, 1)
    assert (mine[404].level, mine[404].answered) == ("mastered", 5)
    assert mastery_of(other)[201].level == "mastered"
    assert mastery_of(other)[404].level == "not-started"
    assert all(row.level == "not-started" for row in mastery_of(None).values())


def test_only_the_subject_counts_never_the_distractors(quiz):
    learner = Learner.objects.create()
    answer(learner, Question.objects.get(slug="t-role"), True, NOW)  # about 403; 401 a distractor
    rows = mastery_of(learner)
    assert rows[403].level == "familiar"
    assert rows[401].level == "not-started"  # only a wrong option there: no evidence
    assert rows[404].level == "not-started"


def test_mastery_by_class_counts_levels_and_averages_scores():
    learner = Learner.objects.create()
    answers(learner, code_question(200), "RRR")  # mastered, 1.0
    answers(learner, code_question(201), "WRR")  # proficient, 0.75
    answers(learner, code_question(204), "W")  # familiar, 0.0
    in_bank = (
        StatusCode.objects.filter(code__range=(200, 299), questions__published=True)
        .distinct()
        .count()
    )
    classes = {c.digit: c for c in mastery.mastery_by_class(mastery.mastery(learner))}
    successful = classes[2]
    assert successful.name == "Successful"
    assert len(successful.codes) == in_bank
    assert successful.counts == {
        "not-started": in_bank - 3,
        "familiar": 1,
        "proficient": 1,
        "mastered": 1,
    }
    assert successful.proficient_or_better == 2
    assert successful.percent == round(100 * 1.75 / in_bank)
    assert classes[4].percent == 0 and classes[4].proficient_or_better == 0


def test_weakest_codes_weakest_first_without_mastered_or_unstarted():
    learner = Learner.objects.create()
    for code, marks in [
        (400, "W"),  # 0%, one answer
        (404, "WW"),  # 0%, two answers: more evidence comes first on a tie
        (401, "RW"),  # 44%
        (403, "RRR"),  # mastered: not weak
        (500, "R"),  # 100% but only familiar: sixth, beyond the limit of five
        (502, "WR"),  # 56%
        (503, "RRW"),  # 58%
    ]:
        answers(learner, code_question(code), marks)
    codes = mastery.mastery(learner)
    assert [c.code for c in mastery.weakest(codes)] == [404, 400, 401, 502, 503]
    assert [c.code for c in mastery.weakest(codes, limit=10)] == [404, 400, 401, 502, 503, 500]


def test_easily_confused_is_the_learners_own_mixups_then_classic_pairs_not_met():
    learner = Learner.objects.create()
    gateway_timeout = code_question(504)
    for hour in (1, 2):  # 502 typed where 504 was right, twice
        answer(learner, gateway_timeout, False, NOW - timedelta(hours=hour), given_code=502)
    answers(learner, code_question(401), "R")
    answers(learner, code_question(403), "R")
    pairs = mastery.confused_pairs(learner, mastery.mastery(learner))
    first = pairs[0]
    assert (first.first.code, first.second.code, first.count, first.own) == (504, 502, 2, True)
    classic = [(p.first.code, p.second.code) for p in pairs[1:]]
    assert not any(p.own for p in pairs[1:])
    assert (401, 403) not in classic  # both met: no longer offered as a classic
    assert (404, 410) in classic
    assert (502, 504) not in classic  # the learner's own pair already leads the list


def test_dashboard_shows_each_codes_level(client):
    learner = Learner.objects.create()
    answers(learner, code_question(200), "RRR")
    answers(learner, code_question(201), "WRR")
    answers(learner, code_question(404), "RRW")
    log_in(client, learner)
    html = client.get("/progress/").text
    assert code_link(html, 200) == ("mastered", "200 OK: Mastered, 100%")
    assert code_link(html, 201) == ("proficient", "201 Created: Proficient, 75%")
    assert code_link(html, 404) == ("familiar", "404 Not Found: Familiar, 58%")
    assert code_link(html, 500) == ("not-started", "500 Internal Server Error: Not started")
    weak = section(html, "weakest-title")
    assert re.findall(r'name="code" value="(\d+)"', weak) == ["404", "201"]
    assert "Not Found · Familiar, 58%" in weak


def test_dashboard_weak_codes_and_pairs_for_a_new_learner(client):
    html = client.get("/progress/").text
    assert "Answer a few questions and the codes you find hardest show up here." in html
    assert code_link(html, 200)[0] == "not-started"
    pairs = section(html, "pairs-title")
    assert pairs.count("not started") == len(mastery.CONFUSABLE_PAIRS)


# 2. Streaks -----------------------------------------------------------------------------------


def days_back(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


@pytest.mark.parametrize(
    "days,current,longest,active_today",
    [
        (set(), 0, 0, False),
        (days_back(0), 1, 1, True),
        (days_back(0, 1, 2), 3, 3, True),
        (days_back(1, 2), 2, 2, False),  # today still to play for
        (days_back(2, 3), 0, 2, False),  # yesterday missed: the streak is over
        (days_back(0, 1, 3, 4, 5, 6), 2, 4, True),  # a gap ends the run, the longest stays
        (days_back(0, 2, 4), 1, 1, True),
        (days_back(40, 41, 42, 43, 44, 45, 46, 47, 48, 49), 0, 10, False),
    ],
)
def test_streak(days, current, longest, active_today):
    assert activity.streak(days, TODAY) == activity.Streak(current, longest, active_today)


def test_dashboard_streak_from_answers_and_lessons(client):
    learner = Learner.objects.create()
    question = code_question(201)
    for n in (6, 5, 4, 2):  # three days in a row, a missed day, then two days to yesterday
        answer(learner, question, True, NOW - n * DAY)
    lesson = Lesson.objects.published().first()
    LessonCompletion.objects.create(learner=learner, lesson=lesson, completed_at=NOW - DAY)
    with time_machine.travel(NOW, tick=False):
        log_in(client, learner)
        html = client.get("/progress/").text
    assert stat(html, "Current streak") == "2 days"
    assert streak_label(html) == "Current streak: learn something today to keep it"
    assert stat(html, "Longest streak") == "3 days"
    with time_machine.travel(NOW, tick=False):
        answer(learner, question, False, NOW)
        html = client.get("/progress/").text
    assert stat(html, "Current streak") == "3 days"
    assert streak_label(html) == "Current streak"
    assert stat(html, "Longest streak") == "3 days"
    with time_machine.travel(NOW + 2 * DAY, tick=False):
        html = client.get("/progress/").text
    assert stat(html, "Current streak") == "0 days"
    assert stat(html, "Longest streak") == "3 days"


LATE = datetime(2026, 3, 17, 23, 30, tzinfo=UTC)
EARLY = datetime(2026, 3, 18, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone,times,expected",
    [
        ("", [LATE, EARLY], {date(2026, 3, 17): 1, date(2026, 3, 18): 1}),
        ("UTC", [LATE, EARLY], {date(2026, 3, 17): 1, date(2026, 3, 18): 1}),
        # 19:30 and 20:30 on the 17th (EDT, UTC−4).
        ("America/New_York", [LATE, EARLY], {date(2026, 3, 17): 2}),
        # 08:30 and 09:30 on the 18th (UTC+9).
        ("Asia/Tokyo", [LATE, EARLY], {date(2026, 3, 18): 2}),
        # 14:30 and 15:30 UTC: one UTC day, but either side of midnight in Tokyo.
        (
            "Asia/Tokyo",
            [LATE - timedelta(hours=9), EARLY - timedelta(hours=9)],
            {date(2026, 3, 17): 1, date(2026, 3, 18): 1},
        ),
        ("UTC", [LATE - timedelta(hours=9), EARLY - timedelta(hours=9)], {date(2026, 3, 17): 2}),
        # An unknown zone falls back to UTC.
        ("Mars/Olympus_Mons", [LATE, EARLY], {date(2026, 3, 17): 1, date(2026, 3, 18): 1}),
    ],
)
def test_activity_by_day_uses_the_learners_time_zone(zone, times, expected):
    learner = Learner.objects.create(timezone=zone)
    question = code_question(201)
    for at in times:
        answer(learner, question, True, at)
    zone = activity.learner_zone(learner)
    assert activity.activity_by_day(learner, zone, timezone.now()) == Counter(expected)


def test_activity_keeps_past_days_and_counts_today_afresh(shared_cache):
    """Past days are kept per learner and day; today's answers show at once, and a merge or a
    new day makes the past count again."""
    learner = Learner.objects.create(timezone="Europe/Berlin")
    zone = activity.learner_zone(learner)
    question = code_question(201)
    now = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
    answer(learner, question, True, now - timedelta(days=2))
    assert activity.activity_by_day(learner, zone, now) == Counter({date(2026, 3, 16): 1})
    answer(learner, question, True, now - timedelta(days=1), told=False)  # behind its back
    answer(learner, question, False, now - timedelta(minutes=5), told=False)
    days = activity.activity_by_day(learner, zone, now)
    assert days == Counter({date(2026, 3, 16): 1, date(2026, 3, 18): 1})  # the past kept
    learner_changed(learner.pk, history=True)  # as a merge does
    days = activity.activity_by_day(learner, zone, now)
    assert days == Counter({date(2026, 3, 16): 1, date(2026, 3, 17): 1, date(2026, 3, 18): 1})
    answer(learner, question, True, now + timedelta(days=1))
    tomorrow = activity.activity_by_day(learner, zone, now + timedelta(days=1, minutes=1))
    assert tomorrow[date(2026, 3, 19)] == 1 and sum(tomorrow.values()) == 4


@pytest.mark.parametrize(
    "zone,streak,active_days,today",
    [
        ("UTC", "2 days", 2, "18 Mar 2026"),  # the 17th and the 18th
        ("America/New_York", "1 day", 1, "17 Mar 2026"),  # both on the 17th, still today there
        ("Asia/Tokyo", "1 day", 1, "18 Mar 2026"),  # both on the 18th
    ],
)
def test_dashboard_counts_days_in_the_learners_time_zone(client, zone, streak, active_days, today):
    learner = Learner.objects.create(timezone=zone)
    question = code_question(201)
    answer(learner, question, True, LATE)
    answer(learner, question, True, EARLY)
    with time_machine.travel(EARLY + timedelta(minutes=30), tick=False):
        log_in(client, learner)
        html = client.get("/progress/").text
    assert stat(html, "Current streak") == streak
    assert streak_label(html) == "Current streak"
    assert figcaption(html).startswith(f"Active on {active_days} of the ")
    assert f" to {today}, with 2 answers" in figcaption(html)
    assert "with 2 answers and lessons done in all" in figcaption(html)


# 3. Heatmap -----------------------------------------------------------------------------------


def test_heatmap_grid_ends_with_the_current_week():
    grid = activity.heatmap(Counter(), TODAY)
    first_monday = date(2026, 3, 16) - timedelta(weeks=25)
    assert grid.first == first_monday == date(2025, 9, 22)
    assert grid.first.weekday() == 0 and grid.last == TODAY
    assert len(grid.cells) == 25 * 7 + 3  # full weeks, then Monday to Wednesday
    assert [c.day for c in grid.cells] == [
        first_monday + timedelta(days=n) for n in range(len(grid.cells))
    ]
    columns = Counter(c.x for c in grid.cells)
    assert len(columns) == activity.HEATMAP_WEEKS
    last_column = max(columns)
    assert [c.day for c in grid.cells if c.x == last_column] == [
        date(2026, 3, 16),
        date(2026, 3, 17),
        TODAY,
    ]
    assert {c.day.weekday() for c in grid.cells if c.y == grid.cells[0].y} == {0}
    assert all(c.x + 12 <= grid.width and c.y + 12 <= grid.height for c in grid.cells)
    assert (grid.active_days, grid.total, grid.busiest) == (0, 0, None)
    # A month's label sits over the column of its first Monday.
    assert [label for _, label in grid.months] == ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    x_of = {c.day: c.x for c in grid.cells}
    assert grid.months[0][0] == x_of[date(2025, 10, 6)]
    assert grid.months[-1][0] == x_of[date(2026, 3, 2)]


@pytest.mark.parametrize("today,cells", [(date(2026, 3, 16), 176), (date(2026, 3, 22), 182)])
def test_heatmap_on_a_monday_and_a_sunday(today, cells):
    grid = activity.heatmap(Counter(), today)
    assert len(grid.cells) == cells
    assert grid.cells[-1].day == today and grid.first.weekday() == 0


@pytest.mark.parametrize(
    "count,level",
    [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (6, 3), (10, 3), (11, 4), (250, 4)],
)
def test_heatmap_levels_by_count(count, level):
    grid = activity.heatmap(Counter({TODAY: count}), TODAY)
    assert grid.cells[-1].level == level


def test_heatmap_counts_only_its_own_days():
    grid = activity.heatmap(
        Counter(
            {
                date(2025, 9, 21): 7,  # the Sunday before the first column
                date(2025, 9, 22): 2,  # the first cell
                date(2026, 1, 5): 11,
                TODAY: 3,
                TODAY + DAY: 4,  # tomorrow has no cell
            }
        ),
        TODAY,
    )
    assert grid.active_days == 3 and grid.total == 16
    assert grid.busiest.day == date(2026, 1, 5) and grid.busiest.level == 4
    assert [c.day for c in grid.active_cells] == [date(2025, 9, 22), date(2026, 1, 5), TODAY]


def test_dashboard_heatmap_svg_and_its_text_alternative(client):
    learner = Learner.objects.create()
    question = code_question(201)
    lessons = list(Lesson.objects.published()[:2])
    old_run = [NOW - 202 * DAY, NOW - 201 * DAY, NOW - 200 * DAY]  # before the grid starts
    for at in [*old_run, NOW - 30 * DAY, NOW - DAY, NOW - timedelta(hours=2)]:
        answer(learner, question, True, at)
    for _ in range(5):
        answer(learner, question, False, NOW - 30 * DAY + timedelta(minutes=5))
    for lesson in lessons:
        LessonCompletion.objects.create(learner=learner, lesson=lesson, completed_at=NOW - DAY)
    with time_machine.travel(NOW, tick=False):
        log_in(client, learner)
        html = client.get("/progress/").text
    svg = heatmap_svg(html)
    rects = re.findall(r'<rect class="hm-(\d)"[^>]*><title>([^<]*)</title></rect>', svg)
    assert len(rects) == svg.count("<rect") == 178
    assert rects[0] == ("0", "Mon 22 Sep 2025: nothing")
    assert rects[-2] == ("2", "Tue 17 Mar 2026: 3 things learned")  # an answer and two lessons
    assert rects[-1] == ("1", "Wed 18 Mar 2026: 1 thing learned")
    assert ("3", "Mon 16 Feb 2026: 6 things learned") in rects
    assert sum(1 for level, _ in rects if level != "0") == 3
    assert figcaption(html) == (
        "Active on 3 of the 178 days from 22 Sep 2025 to 18 Mar 2026, with 10 answers and "
        "lessons done in all; the busiest day was Mon 16 Feb 2026 (6)."
    )
    active = re.findall(r"<li>([^<]*)</li>", html.split('class="hm-list"')[1].split("</ul>")[0])
    assert active == ["Mon 16 Feb 2026: 6", "Tue 17 Mar 2026: 3", "Wed 18 Mar 2026: 1"]
    # The three days in a row before the grid are not drawn but make the longest streak.
    assert stat(html, "Longest streak") == "3 days"
    assert stat(html, "Current streak") == "2 days"


def test_dashboard_heatmap_without_activity(client):
    with time_machine.travel(NOW, tick=False):
        html = client.get("/progress/").text
    assert heatmap_svg(html).count("<rect") == 178
    assert 'class="hm-list"' not in html
    assert figcaption(html) == "No activity yet in the 178 days from 22 Sep 2025 to 18 Mar 2026."


# 4. Spaced repetition through the pages -------------------------------------------------------


def badge(html: str) -> str | None:
    found = re.search(r'<span class="badge" aria-label="(\d+) due">(\d+)</span>', html)
    if found is None:
        return None
    assert found.group(1) == found.group(2)
    return found.group(1)


def test_answers_schedule_review_cards_and_a_review_session_reschedules_them(client, quiz):
    t0 = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
    role, code, tf, multi = (
        Question.objects.get(slug=s) for s in ("t-role", "t-code", "t-tf", "t-multi")
    )
    with time_machine.travel(t0, tick=False) as clock:
        page = client.get("/review/").text
        assert "Nothing to review yet" in page and badge(page) is None
        # The browser reports Tokyo: pages show times there, the schedule stays in UTC.
        response = client.post("/quiz/test-quiz/start/", {"mode": "practice", "tz": "Asia/Tokyo"})
        assert response.status_code == HTTPStatus.SEE_OTHER
        attempt = Attempt.objects.get()
        assert attempt.learner.timezone == "Asia/Tokyo"
        assert attempt.question_ids == [role.pk, code.pk, tf.pk, multi.pk]
        client.post(url(attempt, 1), {"choice": number_of(attempt, role, correct=True)[0]})
        client.post(url(attempt, 2), {"answer": "200"})  # wrong
        client.post(url(attempt, 3), {"answer": "false"})  # right
        client.post(url(attempt, 4), {"choice": number_of(attempt, multi, correct=False)})
        learner = attempt.learner
        cards = {c.question.slug: c for c in learner.cards.select_related("question")}
        # Same-day learning steps: a miss comes back in 1 minute, a first right answer in 10.
        assert {slug: c.due - t0 for slug, c in cards.items()} == {
            "t-role": 10 * MINUTE,
            "t-code": MINUTE,
            "t-tf": 10 * MINUTE,
            "t-multi": MINUTE,
        }
        assert {slug: (c.reviews, c.lapses) for slug, c in cards.items()} == {
            "t-role": (1, 0),
            "t-code": (1, 1),
            "t-tf": (1, 0),
            "t-multi": (1, 1),
        }
        assert all(c.last_review == t0 for c in cards.values())
        logs = ReviewLog.objects.filter(card__learner=learner).order_by("id")
        assert [
            (log.card.question.slug, log.rating, log.reviewed_at, log.due_before, log.due_after)
            for log in logs
        ] == [
            ("t-role", 3, t0, None, t0 + 10 * MINUTE),
            ("t-code", 1, t0, None, t0 + MINUTE),
            ("t-tf", 3, t0, None, t0 + 10 * MINUTE),
            ("t-multi", 1, t0, None, t0 + MINUTE),
        ]
        page = client.get("/review/").text
        assert "Nothing is due" in page and badge(page) is None
        assert '<time datetime="2026-03-18T18:01:00+09:00">' in page  # the next card
        nothing = client.post("/review/start/")
        assert nothing.status_code == HTTPStatus.CONFLICT
        assert "Nothing is due right now" in nothing.text

        clock.move_to(t0 + MINUTE - timedelta(seconds=1))
        assert badge(client.get("/quiz/").text) is None

        clock.move_to(t0 + MINUTE)
        page = client.get("/review/").text
        assert "2 cards due" in page and badge(page) == "2"
        assert "Start the review (2)" in page
        assert stat(client.get("/progress/").text, "Reviews due") == "2"

        response = client.post("/review/start/")
        assert response.status_code == HTTPStatus.SEE_OTHER
        review = Attempt.objects.latest("pk")
        assert response["Location"] == url(review, 1)
        assert (review.mode, review.name, review.learner) == ("review", "Review", learner)
        assert review.question_ids == [code.pk, multi.pk]
        client.post(url(review, 1), {"answer": "201"})
        client.post(url(review, 2), {"choice": number_of(review, multi, correct=True)})
        review.refresh_from_db()
        assert (review.answered, review.correct, review.is_finished) == (2, 2, True)

        reviewed = t0 + MINUTE
        for question in (code, multi):
            card = ReviewCard.objects.get(learner=learner, question=question)
            assert (card.reviews, card.lapses, card.last_review) == (2, 1, reviewed)
            assert card.due == reviewed + 10 * MINUTE  # the next learning step
            log = card.logs.order_by("id").last()
            assert (log.rating, log.due_before, log.due_after) == (3, reviewed, card.due)
        assert ReviewLog.objects.filter(card__learner=learner).count() == 6
        for question in (role, tf):  # untouched by the review
            assert ReviewCard.objects.get(learner=learner, question=question).reviews == 1

        page = client.get("/review/").text
        assert "Nothing is due" in page and badge(page) is None
        assert stat(client.get("/progress/").text, "Reviews due") == "0"

        clock.move_to(t0 + 10 * MINUTE)
        assert badge(client.get("/review/").text) == "2"  # the two answered right at first


# 5. Query counts ------------------------------------------------------------------------------


@pytest.fixture
def small_and_large():
    small = learner_with_history(10, per_attempt=10, lessons=1)
    large = learner_with_history(1000, per_attempt=20, lessons=30)
    assert Answer.objects.filter(attempt__learner=small).count() == 10
    assert Answer.objects.filter(attempt__learner=large).count() == 1000
    return small, large


def queries_for(client, learner: Learner, path: str) -> list[str]:
    log_in(client, learner)
    # The clock stands still, so nothing cached for a second (the content version, read for
    # the interview topics) expires between warming and counting on a slow machine.
    with time_machine.travel(timezone.now(), tick=False):
        client.get(path)  # warm anything cached per process
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("path,most", [("/progress/", 15), ("/review/", 6)])
def test_query_count_does_not_grow_with_history(client, small_and_large, path, most):
    small, large = small_and_large
    few = queries_for(client, small, path)
    many = queries_for(client, large, path)
    assert len(few) == len(many), "\n".join(["10 answers:", *few, "1,000 answers:", *many])
    assert len(many) <= most, "\n".join(many)


def test_the_large_history_shows_on_the_dashboard(client, small_and_large):
    _, large = small_and_large
    log_in(client, large)
    html = client.get("/progress/").text
    assert "The latest 20 of 50 attempts" in html
    assert figcaption(html).startswith("Active on ")
    assert int(stat(html, "Reviews due")) > 0
    assert stat(html, "Lessons done") == str(min(30, Lesson.objects.published().count()))


def test_undoing_a_lesson_done_on_a_past_day_drops_it_from_the_activity(client, shared_cache):
    with time_machine.travel(NOW - 3 * DAY, tick=False):
        assert client.post("/progress/lessons/401-vs-403/", {"done": "1"}).status_code == 303
    learner = Learner.objects.get()
    zone = activity.learner_zone(learner)
    with time_machine.travel(NOW, tick=False):
        assert sum(activity.activity_by_day(learner, zone, NOW).values()) == 1  # past days kept
        assert client.post("/progress/lessons/401-vs-403/", {"done": "0"}).status_code == 303
        assert sum(activity.activity_by_day(learner, zone, NOW).values()) == 0
