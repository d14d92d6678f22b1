"""A new visitor's progress: a lesson and a quiz, sign-up keeps them, reviews fall due next day."""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "Europe/Paris"  # the browser's time zone; the site counts the learner's days in it
TZ = zoneinfo.ZoneInfo(ZONE)
QUIZ = "1xx: informational"  # 9 scenarios; its code questions all have 1xx answers
QUIZ_SIZE = 9
WRONG_CODE = "200"  # a valid code, and never the answer to a 1xx question
VERDICT = re.compile(r"^(Right!|Not quite\.)$")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": ZONE}


@pytest.fixture
def clock():
    """The server's clock, ticking from 10:00 today in ZONE: no midnight falls inside the test.

    The live server runs in a thread of this process, so travelling moves its clock too.
    """
    morning = datetime.combine(timezone.now().astimezone(TZ).date(), time(10), tzinfo=TZ)
    with time_machine.travel(morning, tick=True) as traveller:
        yield traveller


@dataclass
class Key:
    """The right answer to one question, as the practice feedback showed it."""

    kind: str  # "code", "choices" or "truefalse"
    values: list[str]


def day_text(day: date) -> str:
    """A date as the dashboard writes it ("D j M Y")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def stat(page: Page, label: str | re.Pattern) -> Locator:
    """The figure on the dashboard's "At a glance" card with that label."""
    glance = page.get_by_role("region", name="At a glance")
    return glance.locator(".stat-card", has_text=label).locator(".stat-value")


def answer_kind(card: Locator) -> str:
    if card.get_by_label("Type the status code").count():
        return "code"
    if card.get_by_role("checkbox").count():
        return "checkbox"
    return "radio"


def verdict(card: Locator) -> bool:
    """Wait for the feedback swapped in place; True when the answer was right."""
    heading = card.get_by_role("heading", name=VERDICT)
    expect(heading).to_be_visible()
    expect(card.locator("#feedback")).to_be_focused()
    return heading.inner_text() == "Right!"


def right_answer(card: Locator, kind: str) -> Key:
    """Read the right answer off the feedback."""
    if kind == "code" or not card.locator(".feedback-choices").count():
        text = card.locator("#feedback").inner_text()
        value = re.search(r"The right answer: (\S+?)\.", text).group(1)
        return Key("code" if kind == "code" else "truefalse", [value])
    correct = card.locator(".feedback-choices li.is-correct .choice-text").all_inner_texts()
    assert correct, "the feedback marks no choice as correct"
    return Key("choices", correct)


def give(card: Locator, key: Key) -> None:
    """Answer with the right answer."""
    if key.kind == "code":
        card.get_by_label("Type the status code").fill(key.values[0])
        return
    role = "checkbox" if card.get_by_role("checkbox").count() else "radio"
    for text in key.values:
        card.get_by_role(role, name=text, exact=True).check()


def test_new_visitor_learns_signs_up_and_clears_next_days_reviews(page: Page, site, clock):
    morning = timezone.now()
    main_nav = page.get_by_role("navigation", name="Main")
    review_link = main_nav.get_by_role("link", name=re.compile(r"^Review"))

    # 1. Read a lesson and mark it done; the done state is swapped in and survives a reload.
    page.goto(site + "/learn/401-vs-403/")
    done_box = page.locator("#lesson-done")
    done_box.get_by_role("button", name="Mark as done").click()
    expect(done_box.get_by_role("status")).to_have_text(
        "✓ Done: you marked this lesson as read.", use_inner_text=True
    )
    undo = done_box.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    page.reload()
    expect(page.locator("#lesson-done").get_by_role("button", name="Undo")).to_be_visible()
    expect(page.locator(".lesson-head .meta")).to_contain_text("Done")

    # 2. A practice quiz, every question answered: first choice, or a wrong code.
    main_nav.get_by_role("link", name="Quiz").click()
    page.get_by_role("link", name=QUIZ).click()
    expect(page.locator(".page-head .meta")).to_have_text(f"{QUIZ_SIZE} questions.")
    page.get_by_label("Practice").check()
    page.get_by_role("button", name="Start the quiz").click()
    card = page.locator("#question-card")
    keys: dict[str, Key] = {}
    missed: set[str] = set()
    right = 0
    for number in range(1, QUIZ_SIZE + 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Question {number} of {QUIZ_SIZE}"
        )
        prompt = card.locator(".question-prompt").inner_text()
        kind = answer_kind(card)
        if kind == "code":
            card.get_by_label("Type the status code").fill(WRONG_CODE)
        else:
            card.get_by_role(kind).first.check()
        card.get_by_role("button", name="Submit answer").click()
        correct = verdict(card)
        right += correct
        if not correct:
            missed.add(prompt)
        if kind == "code":
            assert not correct, f"{WRONG_CODE} was graded right for: {prompt}"
        keys[prompt] = right_answer(card, kind)
        next_name = "Next question" if number < QUIZ_SIZE else "See your results"
        card.get_by_role("link", name=next_name).click()
    wrong = QUIZ_SIZE - right
    assert wrong >= 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score")).to_contain_text(f"{right} of {QUIZ_SIZE}")
    percent = round(100 * right / QUIZ_SIZE)
    # Answered today: nothing is due yet.
    expect(review_link).to_have_accessible_name("Review")

    # 3. Sign up; the progress made in this browser comes with the account.
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Username").fill("new_visitor")
    page.get_by_label("Password", exact=True).fill("Status-codes-4-every1!")
    page.get_by_label("Password confirmation").fill("Status-codes-4-every1!")
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(site + "/progress/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(page.locator(".messages")).to_contain_text("Welcome, new_visitor")
    expect(page.locator(".page-head")).to_contain_text(
        f"Signed in as new_visitor. Days are counted in your time zone, {ZONE}."
    )
    expect(stat(page, "Lesson done")).to_have_text("1")
    expect(stat(page, "Current streak")).to_have_text("1 day")
    expect(stat(page, re.compile(r"Reviews? due"))).to_have_text("0")
    history = page.get_by_role("region", name="Quiz history").get_by_role("table")
    expect(history.get_by_role("row")).to_have_count(2)  # header + the one attempt
    row = history.get_by_role("row").nth(1)
    started = re.compile(r"^\d{1,2} \w{3} \d{4}, \d\d:\d\d$")
    score = f"{right} of {QUIZ_SIZE} ({percent}%)"
    expect(row.get_by_role("cell")).to_have_text(
        [started, QUIZ, "Practice", score, re.compile(rf"^Results of {QUIZ}, ")]
    )
    today = morning.astimezone(TZ).date()
    activity = QUIZ_SIZE + 1  # eight answers and one lesson
    summary = page.locator("#heatmap-summary")
    expect(summary).to_contain_text(re.compile(r"Active on 1 of the \d+ days from "))
    expect(summary).to_contain_text(
        f"to {today:%-d %b %Y}, with {activity} answers and lessons done in all; "
        f"the busiest day was {day_text(today)} ({activity})."
    )
    expect(page.get_by_role("img", name=re.compile(r"^Active on 1 of the"))).to_be_visible()
    assert_accessible(page)

    # 4. A day (and a bit) later, every card is past its same-day learning steps (1 minute for
    # a miss, 10 for a right answer): review them all, right this time.
    clock.shift(timedelta(days=1, hours=2))
    page.reload()
    due = QUIZ_SIZE
    expect(review_link).to_have_accessible_name(f"Review {due} due")
    expect(review_link.locator(".badge")).to_have_text(str(due))
    expect(stat(page, re.compile(r"Reviews? due"))).to_have_text(str(due))

    review_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_role("heading", level=2, name=re.compile("due$"))).to_have_text(
        f"{due} cards due"
    )
    assert_accessible(page)
    page.get_by_role("button", name=f"Start the review ({due})").click()

    card = page.locator("#question-card")
    reviewed: set[str] = set()
    for number in range(1, due + 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number} of {due}")
        expect(page.locator(".quiz-head .eyebrow").get_by_role("link")).to_have_text("Review")
        prompt = card.locator(".question-prompt").inner_text()
        reviewed.add(prompt)
        assert prompt in keys, f"a review card for a question not in the quiz: {prompt}"
        give(card, keys[prompt])
        card.get_by_role("button", name="Submit answer").click()
        assert verdict(card), f"the right answer was graded wrong in review: {prompt}"
        next_name = "Next question" if number < due else "See your results"
        card.get_by_role("link", name=next_name).click()
    assert reviewed == set(keys)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score")).to_contain_text(f"{due} of {due}")

    main_nav.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_role("heading", level=2, name="Nothing is due")).to_be_visible()
    box = page.locator(".review-box")
    expect(box).to_contain_text(re.compile(r"The next card is due .+ \(.+ from now\)\."))
    next_due = datetime.fromisoformat(box.locator("time").get_attribute("datetime"))
    assert next_due > timezone.now()
    if wrong:  # yesterday's misses take one more step: back in ten minutes
        assert next_due - timezone.now() <= timedelta(minutes=10)
    else:  # every card graduated: days from now
        assert next_due - timezone.now() >= timedelta(days=1)
    expect(page.get_by_role("region", name="Practise my mistakes")).to_contain_text(
        "No mistakes to practise"
    )
    expect(review_link).to_have_accessible_name("Review")
    expect(review_link.locator(".badge")).to_have_count(0)
    assert_accessible(page)


def test_a_lesson_is_marked_done_from_the_shared_page_without_javascript(browser, site):
    """The page every visitor gets holds no CSRF token: the 403 sends the form again with one,
    and the lesson then shows as done (the browser forgot its shared copy)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/learn/401-vs-403/")
    page.goto(site + "/learn/401-vs-403/")  # a second visit: the browser's stored copy is fresh
    page.locator("#lesson-done").get_by_role("button", name="Mark as done").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("403 Forbidden")
    page.get_by_role("button", name="Send it again").click()

    expect(page).to_have_url(site + "/learn/401-vs-403/#lesson-done")
    expect(page.locator("#lesson-done").get_by_role("button", name="Undo")).to_be_visible()
    expect(page.locator(".lesson-head .meta")).to_contain_text("Done")
    context.close()


def test_after_logging_in_a_lesson_seen_before_shows_the_account(page: Page, site):
    """The lesson a stranger saw is public and kept by the browser for a minute; logging in
    makes the browser forget it (Clear-Site-Data), so it is not shown with "Log in" again."""
    get_user_model().objects.create_user("ada", password="a long passphrase 42")
    account = page.get_by_role("navigation", name="Account")
    page.goto(site + "/learn/")
    page.get_by_role("link", name="401 vs 403").first.click()
    expect(account).to_contain_text("Log in")

    account.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a long passphrase 42")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/progress/")
    page.go_back()
    page.go_back()

    expect(page).to_have_url(site + "/learn/401-vs-403/")
    expect(account).to_contain_text("ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn").click()
    page.get_by_role("link", name="401 vs 403").first.click()
    expect(account).to_contain_text("ada")
