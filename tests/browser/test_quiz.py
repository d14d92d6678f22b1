"""A learner takes quizzes in a real browser: mouse, keyboard, no JavaScript, deadlines."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from quiz.importer import questions_import
from quiz.models import Attempt
from tests.browser.conftest import assert_accessible
from tests.quiz.test_importer import GOOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_quiz(site):
    questions_import([("test.yaml", GOOD)])
    return site


def start(page: Page, site: str, mode: str = "Practice") -> None:
    page.goto(site + "/quiz/test-quiz/")
    page.get_by_label(mode).check()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 4")


def test_practice_quiz_by_mouse_with_feedback_in_place(page: Page, small_quiz):
    site = small_quiz
    page.goto(site + "/quiz/")
    assert_accessible(page)
    page.get_by_role("link", name="Test quiz").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
    card = page.locator("#question-card")

    # Submitting nothing shows the error in place.
    page.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("alert")).to_have_text("Pick one of the choices.")
    page.get_by_label("403 Forbidden").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Right!")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 4")  # no reload
    assert_accessible(page)
    card.get_by_role("link", name="Next question").click()

    page.get_by_label("Type the status code").fill("200")
    page.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Not quite.")).to_be_visible()
    expect(card).to_contain_text("The right answer: 201")
    card.get_by_role("link", name="Next question").click()

    page.get_by_label("False").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Right!")).to_be_visible()
    card.get_by_role("link", name="Next question").click()

    page.get_by_label("502").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Not quite.")).to_be_visible()
    expect(card).to_contain_text("missed")
    card.get_by_role("link", name="See your results").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score")).to_contain_text("2 of 4")
    assert_accessible(page)
    page.get_by_role("button", name="Retry the 2 I missed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 2")


def test_practice_quiz_by_keyboard(page: Page, small_quiz):
    start(page, small_quiz)
    page.locator("body").click()
    for key in "123":  # number keys pick choices; the last one wins
        page.keyboard.press(key)
    checked = page.locator(".answer-form input:checked")
    expect(checked).to_have_count(1)
    expect(checked).to_be_focused()
    page.keyboard.press("Enter")
    feedback = page.locator("#feedback")
    expect(feedback).to_be_focused()
    expect(page.locator("#question-live")).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Tab")
    # Tab on from the feedback reaches the Next link eventually; follow it with Enter.
    page.locator("[data-next]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 2 of 4")
    page.get_by_label("Type the status code").focus()
    page.keyboard.type("201")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()
    expect(page.get_by_role("heading", name="Right!")).to_be_visible()


def test_practice_quiz_without_javascript(browser, small_quiz):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    start(page, small_quiz)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert")).to_have_text("Pick one of the choices.")
    page.get_by_label("403 Forbidden").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Right!")).to_be_visible()
    page.get_by_role("link", name="Next question").click()
    page.get_by_label("Type the status code").fill("201")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Right!")).to_be_visible()
    context.close()


def test_interview_mode_refuses_an_answer_after_the_deadline(page: Page, small_quiz):
    start(page, small_quiz, mode="Interview")
    expect(page.locator(".timer")).to_contain_text("Time left")
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=1))
    page.get_by_label("403 Forbidden").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Time is up")
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score")).to_contain_text("0 of 4")
