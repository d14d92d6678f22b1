"""Everyday use (issue 20): a whole quiz by keyboard in at most 40 key presses, and every page
usable on a 390 × 844 phone: no sideways scrolling, a compact header, "Next" in view after an
answer."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUIZ = "rate-limiting-and-backoff"  # twelve questions, one of them "type the code"
PHONE = {"width": 390, "height": 844}


class Keys:
    """The keyboard, counting every key press."""

    def __init__(self, page: Page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            self.press(char)


def test_a_twelve_question_quiz_by_keyboard_takes_at_most_40_presses(page: Page, site):
    keys = Keys(page)
    page.goto(f"{site}/quiz/{QUIZ}/")
    expect(page.get_by_role("button", name="Start the quiz")).to_be_focused()
    keys.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Question 1 of (\d+)$"))
    total = int(re.search(r"of (\d+)", heading.inner_text()).group(1))
    assert total == 12
    for number in range(1, total + 1):
        expect(heading).to_have_text(f"Question {number} of {total}")
        card = page.locator("#question-card")
        code = card.get_by_label("Type the status code")
        if code.count():
            expect(code).to_be_focused()  # no Tab needed to reach it
            keys.type("429")
        else:
            keys.press("1")  # the first choice (or True)
        keys.press("Enter")
        expect(card.locator(".feedback")).to_be_focused()
        expect(page.locator("#quiz-bar")).to_contain_text(f"{number} of {total} answered")
        keys.press("n" if number % 2 else "Enter")  # either moves on
    expect(heading).to_have_text("Your results")
    assert keys.count <= 40, f"{keys.count} key presses"


PAGES = [
    "/", "/learn/", "/learn/401-vs-403/", "/codes/", "/codes/429/", "/quiz/", f"/quiz/{QUIZ}/",
    "/progress/", "/review/", "/lab/", "/search/?q=gateway", "/accounts/login/",
    "/accounts/signup/", "/no-such-page/",
]  # fmt: skip


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone: Page, site):
    for path in PAGES:
        phone.goto(site + path)
        widths = phone.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide in a {widths[1]} px screen"
        header = phone.locator(".site-header").bounding_box()["height"]
        assert header <= 130, f"{path}: the header takes {header:.0f} px"


def test_next_is_in_view_after_answering_on_a_phone(phone: Page, site):
    phone.goto(f"{site}/quiz/{QUIZ}/")
    phone.get_by_role("button", name="Start the quiz").click()
    for _ in range(9):  # the page grows with each answer's feedback: check late in the quiz too
        card = phone.locator("#question-card")
        if card.get_by_label("Type the status code").count():
            card.get_by_label("Type the status code").fill("429")
        else:
            card.locator("input[type=radio], input[type=checkbox]").first.check()
        card.get_by_role("button", name="Submit answer").click()
        next_link = card.locator("[data-next]")
        expect(next_link).to_be_in_viewport()
        next_link.click()
    assert_accessible(phone)


def test_the_progress_page_fits_a_phone_with_history(phone: Page, site):
    phone.goto(f"{site}/quiz/{QUIZ}/")
    phone.get_by_role("button", name="Start the quiz").click()
    card = phone.locator("#question-card")
    if card.get_by_label("Type the status code").count():
        card.get_by_label("Type the status code").fill("429")
    else:
        card.locator("input[type=radio], input[type=checkbox]").first.check()
    card.get_by_role("button", name="Submit answer").click()
    expect(card.locator(".feedback")).to_be_visible()
    phone.goto(f"{site}/progress/")
    expect(phone.get_by_role("region", name="Quiz history")).to_be_visible()
    widths = phone.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    assert_accessible(phone)
