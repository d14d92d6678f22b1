"""An author writes a question in the admin, publishes it, adds it to a quiz; a learner meets it."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect

from quiz.models import Question, Quiz
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHOR = "ada_author"
PASSWORD = "Write-403-questions!"
QUIZ_TITLE = "Author test quiz"
QUIZ_URL = "/quiz/author-test-quiz/"
SLUG = "author-made-403"
PROMPT = "Ana is signed in, but her role may not open the billing page. Which status fits?"
EXPLANATION = "The server knows who Ana is and still refuses: that is 403 Forbidden."
RIGHT = "403 Forbidden"
WRONG = "401 Unauthorized"
WRONG_WHY = "401 asks for credentials, and Ana already sent valid ones."
CHOICES = [  # text, correct, why
    (WRONG, False, WRONG_WHY),
    (RIGHT, True, ""),
    ("404 Not Found", False, "The page exists; hiding it is a choice, not the plain answer."),
]


@pytest.fixture
def author():
    user = User.objects.create_user(AUTHOR, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Authors"))
    return user


@pytest.fixture
def learner(browser: Browser):
    """A learner's page in a browser context of its own: no admin session, no cookies."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def empty_quiz(site):
    """A published quiz with no questions yet: the learner meets only the new one."""
    return Quiz.objects.create(slug="author-test-quiz", title=QUIZ_TITLE, published=True)


def changelist_row(page: Page):
    """The new question's row in the admin's list of questions."""
    return page.locator("#result_list tbody tr", has_text=SLUG)


def run_action(page: Page, action: str) -> None:
    """Tick the new question on the changelist and run an admin action on it."""
    page.get_by_role("checkbox", name=f"Select this object for an action - {SLUG}").check()
    page.get_by_label("Action:").select_option(label=action)
    page.get_by_role("button", name="Go").click()


def choose_code(page: Page, code: str) -> None:
    """Pick a status code in the admin's two-box filter widget: filter, select, "Choose" arrow."""
    search = page.get_by_role("textbox", name="filter down the list of available codes")
    search.press_sequentially(code)  # the widget filters on key-up, not on fill()
    available = page.get_by_role("listbox", name=re.compile(r"^Available codes"))
    expect(available.get_by_role("option")).to_have_count(1)
    available.select_option(index=0)
    page.get_by_role("button", name="Choose selected codes").click()
    chosen = page.get_by_role("listbox", name=re.compile(r"^Chosen codes"))
    expect(chosen.get_by_role("option")).to_have_text([re.compile(rf"^{code} ")])


def learner_sees_size(page: Page, site: str, size: str) -> None:
    page.goto(site + QUIZ_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    expect(page.locator(".page-head .meta")).to_have_text(size)
    assert_accessible(page)


def start_practice(page: Page, site: str) -> None:
    page.goto(site + QUIZ_URL)
    page.get_by_label("Practice").check()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 1")


def test_author_writes_publishes_and_adds_a_question_a_learner_then_meets(
    page: Page, learner: Page, site, author, empty_quiz
):
    # 1. The author logs in to the admin.
    page.goto(site + "/admin/login/")
    page.get_by_label("Username:", exact=True).fill(AUTHOR)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")

    # 2. A single-choice question with three choices, saved as a draft.
    page.goto(site + "/admin/quiz/question/add/")
    page.get_by_label("Slug:", exact=True).fill(SLUG)
    page.get_by_label("Type:", exact=True).select_option(label="Single choice")
    page.get_by_label("Prompt:", exact=True).fill(PROMPT)
    page.get_by_label("Explanation:", exact=True).fill(EXPLANATION)
    choose_code(page, "403")
    published = page.get_by_label("Published", exact=True)
    expect(published).to_be_checked()  # the default: untick it for a draft
    published.uncheck()
    add_choice = page.get_by_role("button", name="Add another Choice")
    for row, (text, correct, why) in enumerate(CHOICES):
        add_choice.click()
        page.locator(f"#id_choices-{row}-position").fill(str(row))
        page.locator(f"#id_choices-{row}-text").fill(text)
        page.locator(f"#id_choices-{row}-correct").set_checked(correct)
        page.locator(f"#id_choices-{row}-why").fill(why)
    page.get_by_role("button", name="Save", exact=True).last.click()  # save_on_top: two
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text(f"The question “{SLUG}” was added successfully.")
    question = Question.objects.get(slug=SLUG)
    assert not question.published
    assert [(c.text, c.correct, c.why) for c in question.choices.all()] == CHOICES
    assert [c.code for c in question.codes.all()] == [403]

    # 3. Added to the quiz while still a draft: the learner does not see it.
    page.get_by_role("textbox", name="Search").fill(SLUG)  # a page holds 100 of 200-odd
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(changelist_row(page).get_by_role("link", name=SLUG)).to_be_visible()
    run_action(page, "Add the selected questions to a quiz")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add questions to a quiz")
    page.get_by_label("Quiz").select_option(label=QUIZ_TITLE)
    page.get_by_role("button", name="Add to the quiz").click()
    expect(messages).to_contain_text(f"Added 1 question to “{QUIZ_TITLE}” (0 already in it).")
    assert list(empty_quiz.questions.all()) == [question]

    learner_sees_size(learner, site, "0 questions.")
    learner.get_by_role("button", name="Start the quiz").click()
    expect(learner.get_by_role("alert")).to_have_text("This quiz has no questions yet.")
    assert_accessible(learner)

    # 4. Published with the changelist action: the learner now sees one question.
    run_action(page, "Publish the selected questions")
    expect(messages).to_contain_text("Published 1 question.")
    expect(changelist_row(page).locator(".field-published img")).to_have_attribute("alt", "True")
    learner_sees_size(learner, site, "1 question.")

    # 5. The author previews it as learners see it; learners cannot open the preview.
    changelist_row(page).get_by_role("link", name=SLUG).click()
    expect(page.get_by_role("heading", level=2, name=SLUG)).to_be_visible()
    page.get_by_role("link", name="Preview as learner").click()
    expect(page.get_by_role("note")).to_contain_text(
        f"Preview of the question “{SLUG}”, exactly as learners see it. It is published."
    )
    expect(page.locator(".question-prompt").first).to_have_text(PROMPT)
    expect(page.get_by_role("heading", name="Right!")).to_have_count(1)
    expect(page.locator(".preview-wrong summary")).to_have_text(
        [f"Picking “{text}”" for text, correct, _ in CHOICES if not correct]
    )
    assert_accessible(page)  # the learner's templates, though only staff see this page
    preview_url = page.url
    learner.goto(preview_url)
    expect(learner).to_have_url(re.compile(r"/admin/login/\?next="))

    # 6. The learner meets it in the quiz and answers it right, with the explanation.
    start_practice(learner, site)
    card = learner.locator("#question-card")
    expect(card.locator(".question-prompt")).to_have_text(PROMPT)
    options = card.get_by_role("radio")
    expect(options).to_have_count(3)
    for text, _, _ in CHOICES:
        expect(card.get_by_label(text)).to_be_visible()
    assert_accessible(learner)
    card.get_by_label(RIGHT).check()
    card.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Right!")).to_be_visible()
    expect(card.locator("#feedback")).to_contain_text(EXPLANATION)
    expect(card.locator(".feedback-choices li.is-correct .choice-text")).to_have_text(RIGHT)
    assert_accessible(learner)
    card.get_by_role("link", name="See your results").click()
    expect(learner.locator(".score")).to_contain_text("1 of 1")

    # 7. A second attempt, a wrong choice: "Not quite." and that choice's why-text.
    start_practice(learner, site)
    card.get_by_label(WRONG).check()
    card.get_by_role("button", name="Submit answer").click()
    expect(card.get_by_role("heading", name="Not quite.")).to_be_visible()
    picked = card.locator(".feedback-choices li.is-picked")
    expect(picked.locator(".choice-text")).to_have_text(WRONG)
    expect(picked.locator(".why")).to_have_text(WRONG_WHY)
    expect(card.locator("#feedback")).to_contain_text(EXPLANATION)
    assert_accessible(learner)
