"""The interview drill in Chromium (issue 17): a learner drills the 401 vs 403 follow-ups by
keyboard, corrects the marks, rates, and finds the card in Review ten minutes later; the same
with JavaScript off; a mock interview end to end; the cheatsheet on screen, on paper and on a
phone."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from learn.models import FollowUp
from quiz.progress.models import DrillAnswer, MockInterview, ReviewCard
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "What is the difference between 401 and 403?"
TOPIC = "401 vs 403 (and when to answer 404)"
# Makes points 1 ("no valid credentials") and 3 ("not allowed") of that follow-up's four.
PARTIAL = "401 means the request has no valid credentials. 403: the user is not allowed."
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def clock():
    """The server's clock, ticking from 10:00 today: the live server runs in this process."""
    morning = datetime.combine(
        timezone.localdate(), time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(morning, tick=True) as traveller:
        yield traveller


def press(page: Page, key: str) -> None:
    """Press a drill shortcut once drill.js is running (a deferred script runs before the
    page's DOMContentLoaded, which a form's navigation does not wait for)."""
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press(key)


def marks(page: Page) -> list[bool]:
    return [box.is_checked() for box in page.locator('input[name="made"]').all()]


def no_sideways_scroll(page: Page) -> None:
    """At a phone's width, nothing is wider than the screen."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 390 px: {width} px wide"


def review_badge(page: Page):
    main_nav = page.get_by_role("navigation", name="Main")
    return main_nav.get_by_role("link", name=re.compile(r"^Review"))


def test_a_learner_drills_401_vs_403_by_keyboard_and_finds_it_in_review(page: Page, site, clock):
    # 1. From the navigation to the topic: the first follow-up, the answer box focused.
    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview drill")
    assert_accessible(page)
    page.get_by_role("link", name=TOPIC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    answer_box = page.get_by_label("Your answer")
    expect(answer_box).to_be_focused()
    assert_accessible(page)

    # 2. A partial answer, typed; Ctrl+Enter reveals; focus lands on the model answer.
    page.keyboard.type(PARTIAL)
    press(page, "Control+Enter")
    model = page.get_by_role("region", name="Model answer")
    expect(model).to_be_focused()
    expect(model).to_contain_text("In short: 401 is about authentication, 403 about authorization")
    assert marks(page) == [True, False, True, False]
    points = page.get_by_role("group", name="Points you made")
    expect(points).to_contain_text("you wrote “no valid credentials”")
    expect(points).to_contain_text("you wrote “not allowed”")
    assert_accessible(page)

    # 3. The learner said "WWW-Authenticate challenge" aloud: they tick it, by keyboard, then
    # rate Good with the 3 key.
    challenge = points.get_by_role("checkbox", name=re.compile("WWW-Authenticate challenge"))
    challenge.focus()
    page.keyboard.press("Space")
    expect(challenge).to_be_checked()
    press(page, "3")
    expect(page.get_by_role("status")).to_contain_text(
        f"Rated Good: 3 of 4 points. “{QUESTION}” comes back for review in 10 minutes."
    )
    expect(page.get_by_role("heading", level=1)).not_to_have_text(QUESTION)  # the next one
    answer = DrillAnswer.objects.get()
    assert [m["made"] for m in answer.marks] == [True, True, True, False]
    assert [m["found"] for m in answer.marks] == [True, False, True, False]
    assert (answer.text, answer.rating) == (PARTIAL, 3)
    card = ReviewCard.objects.get()
    assert card.followup.key == "401-vs-403-difference" and card.question is None
    expect(review_badge(page)).to_have_accessible_name("Review")  # not due yet

    # 4. Eleven minutes later it is due: the badge, Review, and the drill of what is due.
    clock.shift(timedelta(minutes=11))
    page.goto(site + "/review/")
    expect(review_badge(page)).to_have_accessible_name("Review 1 due")
    box = page.locator(".review-box")
    expect(box.get_by_role("heading", level=2)).to_have_text("1 card due")
    expect(box).to_contain_text("1 interview question due")
    box.get_by_role("link", name="Drill the interview question due (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.locator(".eyebrow")).to_contain_text("Due for review")
    page.keyboard.type("401: no valid credentials, with a WWW-Authenticate challenge.")
    press(page, "Control+Enter")
    expect(page.get_by_role("region", name="Model answer")).to_be_focused()
    press(page, "4")
    expect(page.get_by_role("heading", level=1)).to_have_text("No interview questions are due")
    expect(review_badge(page)).to_have_accessible_name("Review")
    assert ReviewCard.objects.get().reviews == 2 and DrillAnswer.objects.count() == 2


def test_the_drill_works_without_javascript(browser, site, clock):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/learn/401-vs-403/")
    page.get_by_role("link", name="Drill this lesson's follow-ups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    page.get_by_label("Your answer").fill(PARTIAL)
    page.get_by_role("button", name="Reveal the model answer").click()
    expect(page.get_by_role("region", name="Model answer")).to_be_focused()  # autofocus
    assert marks(page) == [True, False, True, False]
    # The learner did not really make point 3 ("not allowed" was said of the wrong code).
    page.get_by_role("checkbox", name=re.compile("identity is known but not allowed")).uncheck()
    page.get_by_role("button", name="Good").click()
    expect(page.get_by_role("status")).to_contain_text("Rated Good: 1 of 4 points.")
    answer = DrillAnswer.objects.get()
    assert [m["made"] for m in answer.marks] == [True, False, False, False]
    assert answer.seconds >= 0 and answer.served_at <= answer.answered_at

    clock.shift(timedelta(minutes=11))
    page.goto(site + "/review/")
    expect(review_badge(page)).to_have_accessible_name("Review 1 due")
    page.get_by_role("link", name="Drill the interview question due (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    page.get_by_role("button", name="Reveal the model answer").click()  # said aloud
    expect(page.get_by_text("You answered aloud")).to_be_visible()
    page.get_by_role("button", name="Easy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No interview questions are due")
    assert ReviewCard.objects.get().reviews == 2
    context.close()


def test_a_mock_interview_end_to_end(page: Page, site, clock):
    page.goto(site + "/interview/")
    page.get_by_role("link", name="Mock interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock interview")
    page.get_by_role("button", name="Start a mock interview").click()
    mock = MockInterview.objects.get()
    lessons = set(
        FollowUp.objects.filter(pk__in=mock.followup_ids).values_list("lesson", flat=True)
    )
    assert len(lessons) == 5  # a new learner: five different topics
    for number in range(1, 6):
        expect(page.locator(".eyebrow")).to_contain_text(f"question {number} of 5")
        timer = page.get_by_role("timer")
        if number == 1:  # JavaScript keeps the clock ticking
            expect(timer).to_have_text(re.compile(r"^0:0[1-9]$"), timeout=3000)
            assert_accessible(page)
        page.get_by_label("Your answer").fill("It depends on the status code.")
        press(page, "Control+Enter")
        expect(page.get_by_text(re.compile(r"^You took \d+:\d\d to answer\.$"))).to_be_visible()
        page.locator('input[name="made"]').first.check()
        press(page, "2")
        if number < 5:
            expect(page.locator(".eyebrow")).to_contain_text(f"question {number + 1} of 5")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mock interview")
    rows = page.locator(".mock-row")
    expect(rows).to_have_count(5)
    points = sum(len(f.rubric) for f in FollowUp.objects.filter(pk__in=mock.followup_ids))
    expect(page.locator(".score")).to_contain_text(f"5 of {points} points made in 5 questions")
    expect(page.locator(".mock-points .tag", has_text="made")).to_have_count(5)
    expect(page.locator(".mock-points .tag", has_text="missed")).to_have_count(points - 5)
    study = rows.first.locator("details")
    expect(study).to_have_attribute("open", "")  # a point missed: its short answer is open
    assert_accessible(page)
    no_sideways_scroll(page)
    assert DrillAnswer.objects.filter(mock=mock).count() == 5


def test_the_cheatsheet_reads_on_screen_on_paper_and_on_a_phone(page: Page, site):
    page.goto(site + "/interview/cheatsheet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview cheatsheet")
    expect(page.get_by_role("heading", level=2, name=TOPIC)).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    link = page.get_by_role("link", name=TOPIC)
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (/learn/401-vs-403/)"'
    breaks = page.locator(".cheat").first.evaluate("e => getComputedStyle(e).breakInside")
    assert breaks == "avoid"
    page.emulate_media(media="screen")
    no_sideways_scroll(page)


@pytest.mark.parametrize(
    "path", ["/interview/", "/interview/lessons/401-vs-403/401-vs-403-difference/"]
)
def test_drill_pages_fit_a_phone(page: Page, site, path):
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    no_sideways_scroll(page)
    if path.endswith("difference/"):
        page.get_by_label("Your answer").fill(PARTIAL + " " + "x" * 300)  # one long word
        page.get_by_role("button", name="Reveal the model answer").click()
        expect(page.get_by_role("region", name="Model answer")).to_be_visible()
        no_sideways_scroll(page)
