"""A learner reads lessons, follows code links, searches the reference, reveals answers."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_reads_the_4xx_lesson_and_reaches_403_then_the_teapot(page: Page, site):
    page.goto(site + "/learn/")
    assert_accessible(page)
    page.get_by_role("link", name="4xx: client errors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("4xx: client errors")
    assert_accessible(page)

    page.locator(".lesson-codes").get_by_role("link", name="403").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("403 Forbidden")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reference").click()
    page.get_by_label("Search by number, name or meaning").press_sequentially("teapot")
    results = page.locator("#code-results")
    expect(results).to_contain_text("1 code match")
    expect(page).to_have_url(site + "/codes/?q=teapot")
    assert_accessible(page)
    results.get_by_role("link", name="418").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("418")
    expect(page.locator("main")).to_contain_text("RFC 2324")
    assert_accessible(page)


def test_search_narrows_as_you_type(page: Page, site):
    page.goto(site + "/codes/")
    box = page.get_by_label("Search by number, name or meaning")
    box.press_sequentially("gateway")
    results = page.locator("#code-results")
    expect(results.get_by_role("link", name="502 Bad Gateway")).to_be_visible()
    expect(results.get_by_role("link", name="504 Gateway Timeout")).to_be_visible()
    expect(results.get_by_role("link", name="200 OK")).to_have_count(0)


def test_search_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/codes/")
    page.get_by_label("Search by number, name or meaning").fill("40")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(site + "/codes/?q=40")
    expect(page.locator("#code-results")).to_contain_text("404 Not Found")
    expect(
        page.locator("#code-results").get_by_role("link", name="500 Internal Server Error")
    ).to_have_count(0)
    context.close()


def test_revealing_a_follow_up_answer_with_a_click_and_with_the_keyboard(page: Page, site):
    page.goto(site + "/learn/401-vs-403/")
    followups = page.locator("details.followup")
    first, second = followups.nth(0), followups.nth(1)
    answer = first.locator(".prose")
    expect(answer).to_be_hidden()
    first.locator("summary").click()
    expect(answer).to_be_visible()

    second_answer = second.locator(".prose")
    expect(second_answer).to_be_hidden()
    second.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(second_answer).to_be_visible()
    page.keyboard.press("Space")
    expect(second_answer).to_be_hidden()
    assert_accessible(page)


def test_table_of_contents_jumps_to_a_section(page: Page, site):
    page.goto(site + "/learn/redirects-and-methods/")
    toc = page.get_by_role("navigation", name="On this page")
    first = toc.get_by_role("link").first
    target = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(site + "/learn/redirects-and-methods/" + target)
    expect(page.locator(target)).to_be_in_viewport()
