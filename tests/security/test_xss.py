"""The XSS corpus in a real browser: no vector runs or injects anything, and the text reads.

One page carries many vectors at once (every choice, every lesson title, every why-not), so
the whole corpus goes through each field in a handful of page loads. Each page is checked
for a dialog, `window.__xss`, an element a vector would inject, and a CSP report (which
would mean markup got through and only the policy stopped it).
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page, expect

from tests.security.conftest import end_of, start_of
from tests.security.xss_vectors import VECTORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(page: Page, settings):
    """The page, with every dialog and CSP complaint recorded (and dialogs dismissed)."""
    settings.ANSWER_RATE_LIMIT = settings.ANSWER_RATE_LIMIT_PER_IP = "off"
    settings.SIGNUP_RATE_LIMIT = settings.LOGIN_RATE_LIMIT = "off"
    page.dialogs = []
    page.csp = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            page.csp.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def assert_nothing_ran(page: Page) -> None:
    page.wait_for_load_state("load")
    assert page.dialogs == [], f"{page.url}: a vector opened a dialog"
    assert page.evaluate("window.__xss") is None, f"{page.url}: a vector ran"
    injected = page.locator("[data-xss], [id^='xss-']")
    assert injected.count() == 0, (
        f"{page.url}: injected {injected.first.evaluate('e => e.outerHTML')}"
    )
    assert page.csp == [], f"{page.url}: markup got through and CSP stopped it: {page.csp[:3]}"


def assert_reads(page: Page, *fields: str, hidden: bool = False) -> None:
    """The plain sentences before and after the corpus in each field are on the page."""
    text = page.locator("body").text_content() if hidden else page.locator("body").inner_text()
    for field in fields:
        assert start_of(field) in text and end_of(field) in text, f"{page.url}: {field}"


def test_authored_fields_in_lessons_and_quizzes(watched: Page, site, xss_content):
    page = watched
    page.goto(f"{site}/learn/xss-corpus/")
    assert_nothing_ran(page)
    assert_reads(page, "lesson body", "summary", "short answer")
    assert_reads(page, "follow-up", hidden=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(xss_content.lesson.title)

    page.goto(f"{site}/learn/")
    assert_nothing_ran(page)
    for vector in VECTORS:  # each lesson titled by one vector, shown as its text
        expect(page.get_by_role("link", name=vector, exact=True)).to_have_count(1)

    page.goto(f"{site}/quiz/")
    assert_nothing_ran(page)
    assert_reads(page, "quiz description")


def test_a_quiz_whose_question_choices_and_explanations_carry_the_corpus(
    watched: Page, site, xss_content
):
    page = watched
    page.goto(f"{site}/quiz/xss-corpus/")
    assert_nothing_ran(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(xss_content.quiz.title)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 1")
    assert_nothing_ran(page)
    assert_reads(page, "prompt")
    options = page.locator("label.option")
    expect(options).to_have_count(len(VECTORS) + 1)
    # Choice texts are Markdown: a script vector renders as nothing, a link as its text only.
    for label in ("js link", "mixed case", "md link", "md data"):
        expect(options.filter(has_text=label)).to_have_count(1)

    # Every wrong choice ticked and sent through htmx: each why-not swaps into the page.
    wrong = options.filter(has_not_text="The right one").locator("input")
    wrong.evaluate_all("inputs => inputs.forEach(input => { input.checked = true; })")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Not quite.")).to_be_visible()
    assert_nothing_ran(page)
    assert_reads(page, "explanation", *(f"why-not {n}" for n in range(1, len(VECTORS) + 1)))

    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    assert_nothing_ran(page)
    # The answer given lists every picked choice, as Markdown (test_xss_markup checks the HTML).
    expect(page.locator(".result-item strong").first).to_contain_text(" · ")


def test_a_vector_as_the_posted_answer_is_refused(watched: Page, site, xss_content):
    page = watched
    page.goto(f"{site}/quiz/xss-corpus/")
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("input[name=choice]").first.evaluate(
        "(input, value) => { input.value = value; input.checked = true;"
        " input.closest('form').removeAttribute('hx-post'); }",
        VECTORS[5],
    )
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Submit answer").click()
    assert posted.value.status == 400
    assert_nothing_ran(page)


def test_search_queries(watched: Page, site):
    page = watched
    for vector in VECTORS:
        page.goto(f"{site}/codes/?" + urlencode({"q": vector}))
        assert_nothing_ran(page)
        if "\n" not in vector:
            expect(page.locator("#code-search")).to_have_value(vector)


def test_usernames(watched: Page, site, context):
    page = watched
    for vector in VECTORS:
        user = get_user_model().objects.create_user(vector, password=None)
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": site}])
        page.goto(f"{site}/accounts/password/")
        assert_nothing_ran(page)
        account = page.get_by_role("navigation", name="Account")
        expect(account.get_by_role("link", name=vector, exact=True)).to_be_visible()


def test_usernames_refused_at_sign_up(watched: Page, site):
    page = watched
    page.goto(f"{site}/accounts/signup/")
    for vector in VECTORS[::4]:
        page.get_by_label("Username").fill(vector)
        page.get_by_label("Password", exact=True).fill("a long passphrase 7")
        page.get_by_label("Password confirmation").fill("a long passphrase 7")
        page.get_by_role("button", name="Create my account").click()
        assert_nothing_ran(page)
        expect(page.get_by_label("Username")).to_have_value(vector.replace("\n", ""))
