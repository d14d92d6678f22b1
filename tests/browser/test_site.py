"""A visitor finds their way around the site in a real browser."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reaches_each_section_by_clicking(page: Page, site):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Know what every response")
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Main")
    for link, heading in [
        ("Learn", "Lessons"),
        ("Reference", "HTTP status codes"),
        ("Quiz", "Quizzes"),
        ("Progress", "Your progress"),
    ]:
        nav.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(nav.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")
        assert_accessible(page)


def test_skip_link_moves_focus_to_the_content(page: Page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_dark_colour_scheme_gives_a_dark_page(page: Page, site):
    page.emulate_media(color_scheme="dark")
    page.goto(site + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(n) for n in background[4:-1].split(","))
    assert max(red, green, blue) < 60, background
    assert_accessible(page)


def test_light_colour_scheme_gives_a_light_page(page: Page, site):
    page.emulate_media(color_scheme="light")
    page.goto(site + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"


def test_a_bad_url_shows_the_404_page(page: Page, site):
    response = page.goto(site + "/learn/no-such-lesson/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("404 Not Found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(site + "/")


def test_narrow_phone_screen_does_not_scroll_sideways(page: Page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/", "/learn/", "/codes/", "/learn/redirects-and-methods/", "/codes/401/"]:
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 360px screen"


def test_every_resource_comes_from_the_site_itself(page: Page, site, requested_hosts):
    for path in ["/", "/learn/", "/learn/status-codes-at-a-glance/", "/codes/", "/codes/418/"]:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    assert requested_hosts == {urlsplit(site).netloc}
