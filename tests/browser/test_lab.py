"""The lab in a real browser: the console's fetch(), redirects, truth table and backoff demo."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    """The lab needs no content from the database, so skip loading it for each test."""
    return live_server.url


def fact(page: Page, name: str):
    return page.locator(f'#lab-response [data-fact="{name}"] dd')


def echoed(page: Page) -> dict:
    return json.loads(page.locator("#lab-response .lab-body").inner_text())


def test_the_teapot_preset_shows_418_and_ok_false(page: Page, site):
    page.goto(site + "/lab/")
    assert_accessible(page)
    page.get_by_role("link", name="418 I'm a teapot").click()
    expect(page).to_have_url(site + "/lab/?preset=teapot#console")
    expect(page.locator("#preset-note")).to_contain_text("fetch() still resolves")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response .lab-code")).to_have_text("418")
    expect(page.locator("#lab-response .lab-status")).to_contain_text("I'm a teapot")
    expect(fact(page, "ok")).to_have_text("false")
    expect(fact(page, "redirected")).to_have_text("false")
    expect(page.locator("#lab-response .lab-headers")).to_contain_text("application/problem+json")
    expect(page.locator("#lab-response .lab-body")).to_contain_text('"status": 418')
    assert_accessible(page)


@pytest.mark.parametrize(
    ("code", "method", "body"),
    [(301, "GET", ""), (302, "GET", ""), (303, "GET", ""), (307, "POST", '{"order": 42}'),
     (308, "POST", '{"order": 42}')],
)  # fmt: skip
def test_a_post_through_each_redirect_as_the_browser_does_it(page: Page, site, code, method, body):
    page.goto(site + f"/lab/?preset=post-{code}")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response .lab-code")).to_have_text("200")
    expect(fact(page, "redirected")).to_have_text("true")
    expect(fact(page, "final URL")).to_have_text(site + "/lab/api/echo")
    received = echoed(page)
    assert received["method"] == method
    assert received["body"] == body


def test_manual_redirects_are_opaque_to_scripts(page: Page, site):
    page.goto(site + "/lab/?preset=manual-redirect")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response .lab-code")).to_have_text("0")
    expect(fact(page, "type")).to_have_text("opaqueredirect")


def test_the_console_refuses_other_hosts_without_sending(page: Page, site):
    page.goto(site + "/lab/")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    page.get_by_label("Path").fill("https://example.com/lab/api/echo")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response [role=alert]")).to_contain_text("other hosts are off limits")
    page.get_by_label("Path").fill("/admin/")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response [role=alert]")).to_contain_text("paths under /lab/api/")
    assert not [url for url in sent if "example.com" in url or "/admin" in url]


def test_a_job_is_accepted_polled_and_redirected_to_its_result(page: Page, site, settings):
    settings.LAB_JOB_SECONDS = 0
    page.goto(site + "/lab/?preset=job-start")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#lab-response .lab-code")).to_have_text("202")
    page.locator("#lab-response").get_by_role("button", name="Follow Location").click()
    expect(fact(page, "redirected")).to_have_text("true")
    expect(page.locator("#lab-response .lab-code")).to_have_text("200")
    expect(fact(page, "final URL")).to_contain_text("/result")
    expect(page.locator("#lab-response .lab-body")).to_contain_text("42 reports generated")


def test_the_rate_limit_preset_ends_in_429_with_retry_after(page: Page, site):
    page.goto(site + "/lab/?preset=rate-limited")
    page.get_by_role("button", name="Send 6 times").click()
    series = page.locator("#lab-response .lab-series li")
    expect(series).to_have_count(6)
    assert [item.get_attribute("data-status") for item in series.all()] == ["200"] * 5 + ["429"]
    expect(series.nth(5)).to_contain_text("Retry-After")
    expect(page.locator("#lab-response .lab-code")).to_have_text("429")


def test_the_truth_table_shows_fetch_resolving_on_errors(page: Page, site, settings):
    settings.LAB_GATEWAY_TIMEOUT = 1.0
    page.goto(site + "/lab/#truth-table")
    page.get_by_role("button", name="Run the table").click()
    expect(page.locator("#truth-summary")).to_contain_text("requests:", timeout=20_000)
    rows = {row.locator("th").inner_text(): row for row in page.locator("#truth tbody tr").all()}
    assert rows["GET 404"].get_attribute("data-outcome") == "resolved"
    assert rows["GET 404"].get_attribute("data-ok") == "false"
    assert rows["GET 500"].get_attribute("data-ok") == "false"
    assert rows["GET 200"].get_attribute("data-ok") == "true"
    assert rows["GET through 301"].locator(".t-redirected").inner_text() == "true"
    assert rows["GET with If-None-Match"].get_attribute("data-status") == "304"
    for label in ('302 with redirect: "error"', "Aborted after 200 ms", "GET with a body"):
        assert rows[label].get_attribute("data-outcome") == "rejected", label
    expect(page.locator("#truth-summary")).to_contain_text("3 rejected")


def test_the_backoff_demo_honours_retry_after_and_the_naive_loop_wastes(page: Page, site, settings):
    settings.LAB_DEMO_WINDOW = 2
    page.goto(site + "/lab/#backoff")
    page.get_by_role("button", name="Run the demo").click()
    polite = page.locator("#lane-polite")
    naive = page.locator("#lane-naive")
    expect(polite).to_have_attribute("data-done", "true", timeout=20_000)
    expect(naive).to_have_attribute("data-done", "true", timeout=20_000)
    assert polite.get_attribute("data-successes") == "8"

    log = [
        {
            "t": int(item.get_attribute("data-t")),
            "status": item.get_attribute("data-status"),
            "retry_after": item.get_attribute("data-retry-after"),
        }
        for item in polite.locator(".lane-log li").all()
    ]
    refusals = [i for i, entry in enumerate(log) if entry["status"] == "429"]
    assert refusals, "the polite client met the limit at least once"
    for i in refusals:
        waited = log[i + 1]["t"] - log[i]["t"]
        assert waited >= int(log[i]["retry_after"]) * 1000, (log[i], log[i + 1])
    assert int(naive.get_attribute("data-refused")) > int(polite.get_attribute("data-refused"))
    expect(naive.locator(".lane-summary")).to_contain_text("refused (wasted)")
    expect(polite.locator("svg.timeline circle")).to_have_count(len(log))
    assert_accessible(page)
