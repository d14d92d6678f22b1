"""A new learner follows the path (issue 16): reads the first lesson, checks themselves at its
end (one miss, told when it comes back), continues to the lesson's quiz, mixes up 502 and 504
twice and finds that pair first under "Easily confused", and clears a same-day review.
With JavaScript and by keyboard; and the check-yourself questions with JavaScript off."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from learn.models import Lesson
from quiz import services
from quiz.models import Question
from quiz.progress.models import Learner
from quiz.selectors import check_questions
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clock():
    """The live server runs in this process: travelling moves its clock too."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def first_lesson() -> Lesson:
    return Lesson.objects.published().order_by("position", "slug").first()


def right_choice_texts(question: Question) -> list[str]:
    return [c.text for c in question.choices.all() if c.correct and not c.is_retired]


def answer_check(page: Page, number: int, question: Question, *, right: bool) -> None:
    """Answer check-yourself card `number`, right or wrong, by keyboard."""
    card = page.locator(f"#check-{number}")
    if question.type == Question.Type.CODE:
        field = card.get_by_label("Type the status code")
        field.focus()
        page.keyboard.type(str(question.answer_code if right else 200))
        page.keyboard.press("Enter")
        return
    texts = right_choice_texts(question)
    if not right:
        texts = [c.text for c in question.choices.all() if not c.correct][:1]
    role = "checkbox" if card.get_by_role("checkbox").count() else "radio"
    for option in card.get_by_role(role).all():
        label = option.evaluate("e => e.closest('label').innerText")
        if any(text.strip("`") in label for text in texts):
            option.focus()
            page.keyboard.press("Space")
    card.get_by_role("button", name="Submit answer").press("Enter")


def test_a_new_learner_follows_the_path(page: Page, site, clock):
    lesson = first_lesson()
    questions = check_questions(lesson)

    # 1. Home says where to start; the lesson ends with "Check yourself".
    page.goto(site + "/")
    expect(page.locator(".next-step")).to_contain_text(f"Read: {lesson.title}")
    page.get_by_role("link", name=re.compile(r"^Start")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    check = page.get_by_role("region", name="Check yourself")
    expect(check).to_be_visible()
    assert_accessible(page)

    # 2. Answer the first right and the second wrong: each is swapped in place, focused, and
    # says when it comes back for review.
    answer_check(page, 1, questions[0], right=True)
    first = page.locator("#check-1")
    expect(first.get_by_role("heading", name="Right!")).to_be_visible()
    expect(first.locator(".feedback")).to_be_focused()
    expect(first).to_contain_text("comes back for review in 10 minutes")
    answer_check(page, 2, questions[1], right=False)
    second = page.locator("#check-2")
    expect(second.get_by_role("heading", name="Not quite.")).to_be_visible()
    expect(second).to_contain_text("comes back for review in 1 minute")
    page.locator("#lesson-done").get_by_role("button", name="Mark as done").click()
    expect(page.locator("#lesson-done").get_by_role("button", name="Undo")).to_be_visible()
    assert_accessible(page)

    # 3. Continue leads to this lesson's quiz, which links back to the lesson.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Continue").click()
    quiz_title = lesson.quizzes.get().title
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz_title)
    expect(page.locator(".quiz-lesson")).to_contain_text(f"{lesson.title}, which you have read")

    # 4. 502 typed for 504, twice: that pair leads "Easily confused", with its count.
    learner = Learner.objects.get()
    timed_out = Question.objects.get(slug="gateways-and-proxies-timed-out-log")
    for _ in range(2):
        attempt = services.attempt_start(
            learner=learner, quiz=None, mode="practice", question_ids=[timed_out.pk], title="504"
        )
        page.goto(site + attempt.question_url(1))
        card = page.locator("#question-card")
        expect(card.get_by_label("Type the status code")).to_be_visible()
        card.get_by_label("Type the status code").fill("502")
        card.get_by_label("Type the status code").press("Enter")
        expect(card.get_by_role("heading", name="Not quite.")).to_be_visible()
        expect(card.locator(".why")).to_contain_text("Why not 502?")
    page.goto(site + "/progress/")
    confused = page.get_by_role("region", name="Easily confused").get_by_role("listitem").first
    expect(confused).to_contain_text("504 vs 502")
    expect(confused).to_contain_text("you answered 502 for 504 2 times")
    expect(confused.get_by_role("button", name="Practise 504 vs 502")).to_be_visible()
    assert_accessible(page)

    # 5. Minutes later the misses are due the same day: the review clears them.
    clock.shift(timedelta(minutes=2))
    page.goto(site + "/review/")
    due = int(re.match(r"(\d+) cards? due", page.locator("#due-title").inner_text()).group(1))
    assert due >= 2  # the missed check question and the 504 question
    expect(page.locator(".forecast")).to_contain_text("Due now")
    page.get_by_role("button", name=f"Start the review ({due})").click()
    for number in range(1, due + 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number} of {due}")
        card = page.locator("#question-card")
        prompt = card.locator(".question-prompt").inner_text().strip()
        question = next(
            q for q in Question.objects.filter(cards__learner=learner) if _same(q, prompt)
        )
        give_right(card, question)
        expect(card.get_by_role("heading", name="Right!")).to_be_visible()
        card.locator("[data-next]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score")).to_contain_text(f"{due} of {due}")


def _same(question: Question, prompt: str) -> bool:
    words = re.sub(r"[`*\[\]]", "", question.prompt).split()[:6]
    return " ".join(words)[:30] in re.sub(r"\s+", " ", prompt)


def give_right(card, question: Question) -> None:
    if question.type == Question.Type.CODE:
        card.get_by_label("Type the status code").fill(str(question.answer_code))
    elif question.type == Question.Type.TRUEFALSE:
        card.get_by_role("radio", name="True" if question.answer_bool else "False").check()
    else:
        role = "checkbox" if card.get_by_role("checkbox").count() else "radio"
        texts = right_choice_texts(question)
        for option in card.get_by_role(role).all():
            label = option.evaluate("e => e.closest('label').innerText")
            if any(text.strip("`").replace("`", "") in label for text in texts):
                option.check()
    card.get_by_role("button", name="Submit answer").click()


def test_check_yourself_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    lesson = first_lesson()
    question = check_questions(lesson)[0]
    page.goto(site + lesson.get_absolute_url())
    card = page.locator("#check-1")
    role = "checkbox" if card.get_by_role("checkbox").count() else "radio"
    for option in card.get_by_role(role).all():
        label = option.evaluate("e => e.closest('label').innerText")
        if any(text.strip("`").replace("`", "") in label for text in right_choice_texts(question)):
            option.check()
    card.get_by_role("button", name="Submit answer").click()
    # The lesson is the page every visitor shares, so it held no token: the 403 gives one back.
    expect(page.get_by_role("heading", name="403 Forbidden")).to_be_visible()
    page.get_by_role("button", name="Send it again").click()
    expect(page).to_have_url(re.compile(rf"{lesson.get_absolute_url()}#check-1$"))
    expect(page.locator("#check-1").get_by_role("heading", name="Right!")).to_be_visible()
    context.close()
