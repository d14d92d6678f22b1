"""Choices are inline Markdown wherever they show; typed wrong codes get their why-not."""

from http import HTTPStatus

import pytest

from quiz import services
from quiz.exporter import question_data
from quiz.importer import questions_import
from quiz.models import Question, Quiz
from quiz.progress.models import Learner
from tests.quiz.conftest import number_of, start
from tests.security.markup import live_markup

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

FILE = """\
quiz:
  slug: markdown-quiz
  title: Markdown quiz
questions:
  - slug: md-cache
    type: single
    prompt: Store, but revalidate before every reuse. Which directive?
    choices:
      - key: a
        text: "`no-cache`, *then* revalidate, as [[304]] allows"
        correct: true
      - key: b
        text: "`no-store` <img src=x onerror=window.__xss=1 data-xss=1>"
        why: "`no-store` forbids storing at all."
      - key: c
        text: "`private` <script>window.__xss=2</script>"
        why: "`private` only keeps shared caches out."
    explanation: "`no-cache` means revalidate."
    codes: [304]
  - slug: md-code
    type: code
    prompt: No credentials at all. Which status?
    answer: 401
    wrong_codes:
      403: "[[403]] refuses a caller the server *has* identified."
    explanation: "[[401]] asks the client to authenticate."
    codes: [401, 403]
"""
KEY_HTML = (
    "<code>no-cache</code>, <em>then</em> revalidate, as "
    '<a class="code-ref" href="/codes/304/">304 Not Modified</a> allows'
)


@pytest.fixture
def markdown_quiz(db):
    questions_import([("markdown.yaml", FILE)])
    return Quiz.objects.get(slug="markdown-quiz")


def url(attempt, n):
    return f"/quiz/attempts/{attempt.pk}/{n}/"


def test_choices_render_as_markdown_on_the_question_page(client, markdown_quiz):
    attempt = start(client, "markdown-quiz")
    html = client.get(url(attempt, 1)).text
    assert KEY_HTML in html
    assert "`no-cache`" not in html  # no literal backticks
    assert live_markup(html) == []  # the vectors in the other choices are sanitised


def test_feedback_and_results_render_choices_as_markdown(client, markdown_quiz):
    attempt = start(client, "markdown-quiz")
    question = Question.objects.get(slug="md-cache")
    wrong = number_of(attempt, question, correct=False)
    fragment = client.post(url(attempt, 1), {"choice": wrong[0]}, headers=HTMX)
    assert fragment.status_code == HTTPStatus.CREATED
    assert KEY_HTML in fragment.text and live_markup(fragment.text) == []
    client.post(url(attempt, 2), {"answer": "401"})
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/").text
    assert f"Right answer: <strong>{KEY_HTML}</strong>" in results
    assert "Your answer: <strong><code>" in results  # no-store or private, as code
    assert live_markup(results) == []


def test_a_typed_wrong_code_gets_its_why(client, markdown_quiz):
    attempt = start(client, "markdown-quiz")
    client.post(url(attempt, 1), {"choice": number_of(attempt, Question.objects.get(
        slug="md-cache"), correct=True)})  # fmt: skip
    html = client.post(url(attempt, 2), {"answer": "403"}, headers=HTMX).text
    assert "Why not 403?" in html
    assert "refuses a caller the server <em>has</em> identified" in html


def test_a_code_without_an_authored_why_gets_its_meaning_from_the_reference(client, markdown_quiz):
    attempt = start(client, "markdown-quiz")
    client.post(url(attempt, 1), {"choice": "1"})
    html = client.post(url(attempt, 2), {"answer": "404"}, headers=HTMX).text
    assert "Not quite." in html and "Why not 404?" in html
    assert '<a href="/codes/404/">404 Not Found</a> means:' in html


def test_the_admin_preview_and_item_analysis_render_choices(admin_client, markdown_quiz):
    question = Question.objects.get(slug="md-cache")
    preview = admin_client.get(f"/admin/quiz/question/{question.pk}/preview/").text
    assert KEY_HTML in preview and live_markup(preview) == []
    code = Question.objects.get(slug="md-code")
    preview = admin_client.get(f"/admin/quiz/question/{code.pk}/preview/").text
    assert "Typing 403" in preview and "Why not 403?" in preview
    learner = Learner.objects.create()
    attempt = services.attempt_start(learner=learner, quiz=markdown_quiz, mode="practice")
    picked = question.choices.get(key="b")
    services.answer_submit(
        attempt=attempt, question=question, given=services.Given(choices=(picked,))
    )
    change = admin_client.get(f"/admin/quiz/question/{question.pk}/change/").text
    assert "<td><code>no-store</code> ✓" not in change
    assert "<td><code>no-cache</code>, <em>then</em>" in change


def test_the_export_keeps_the_raw_markdown(markdown_quiz):
    data = question_data(Question.objects.get(slug="md-cache"))
    assert data["choices"][0]["text"] == "`no-cache`, *then* revalidate, as [[304]] allows"
