"""The XSS corpus in every authored and user field comes out escaped or sanitised, never live.

Checked on the HTML the server sends (no browser, no CSP): no vector survives as a script,
an event handler, a javascript:/data: URL or an injected element, and the text around the
vectors still reads. `test_xss.py` checks the same pages in Chromium.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from learn.templatetags.learn_tags import markdown_inline
from quiz.models import Attempt
from tests.quiz.conftest import start as start_attempt
from tests.security.conftest import end_of, start_of
from tests.security.markup import live_markup
from tests.security.xss_vectors import TEMPLATES, VECTORS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Each vector is a request; the site's rate limits would rightly stop that many."""
    settings.ANSWER_RATE_LIMIT = settings.ANSWER_RATE_LIMIT_PER_IP = "off"
    settings.SIGNUP_RATE_LIMIT = settings.LOGIN_RATE_LIMIT = "off"


def both_ends(*fields: str) -> list[str]:
    """The plain sentences around the corpus in each Markdown field: the text still reads."""
    return [text for field in fields for text in (start_of(field), end_of(field))]


def assert_safe(response, *, status=HTTPStatus.OK, texts=(), escaped=(), choices=()):
    """No live markup; each of `texts` appears; each of `escaped` appears as escaped text;
    each of `choices` appears as sanitised inline Markdown (choice texts are Markdown)."""
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert live_markup(html) == [], response.request["PATH_INFO"]
    for text in texts:
        assert text in html
    missing = [vector for vector in escaped if escape(vector) not in html]
    assert missing == [], f"{len(missing)} vectors not shown as text, e.g. {missing[:3]}"
    missing = [vector for vector in choices if markdown_inline(vector) not in html]
    assert missing == [], f"{len(missing)} choices not shown as Markdown, e.g. {missing[:3]}"


def test_the_corpus_has_at_least_fifty_vectors_of_every_kind():
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)
    assert all(len(vector) <= 100 for vector in VECTORS)  # fits a search, a title, a username
    for kind in ("<script", " on", "javascript:", "data:", "<svg", "](", '">', "<!--"):
        assert any(kind in template for template in TEMPLATES), kind


def test_the_scanner_finds_raw_vectors():
    """The check has teeth: most vectors, pasted raw into a page, are live markup."""
    live = [vector for vector in VECTORS if live_markup(f"<p>{vector}</p>")]
    assert len(live) >= 50


def test_lesson_fields(client, xss_content):
    lesson = xss_content.lesson
    response = client.get(lesson.get_absolute_url())
    texts = both_ends("lesson body", "follow-up", "summary", "short answer")
    assert_safe(response, texts=texts, escaped=[lesson.title, *VECTORS])  # follow-ups, summary
    assert_safe(client.get("/learn/"), escaped=VECTORS)  # one lesson titled by each vector
    assert_safe(client.get("/learn/xss-1/"), escaped=[VECTORS[0], lesson.title])


def test_quiz_fields(client, xss_content):
    texts = both_ends("quiz description")
    assert_safe(client.get("/quiz/"), texts=texts, escaped=VECTORS)  # one quiz titled by each
    response = client.get(xss_content.quiz.get_absolute_url())
    assert_safe(response, texts=texts, escaped=[xss_content.quiz.title])


def start(client, quiz) -> Attempt:
    return start_attempt(client, slug=quiz.slug)


def wrong_numbers(attempt: Attempt, question) -> list[str]:
    order = attempt.choice_order[str(question.pk)]
    right = {choice.pk for choice in question.choices.all() if choice.correct}
    return [str(n) for n, pk in enumerate(order, start=1) if pk not in right]


def test_question_choices_feedback_and_results(client, xss_content):
    question, quiz = xss_content.question, xss_content.quiz
    attempt = start(client, quiz)
    url = attempt.question_url(1)
    assert_safe(client.get(url), texts=both_ends("prompt"), escaped=[quiz.title], choices=VECTORS)

    # Every wrong choice picked, through htmx: the fragment shows each choice's why-not.
    fragment = client.post(
        url, {"choice": wrong_numbers(attempt, question)}, headers={"HX-Request": "true"}
    )
    whys = [f"why-not {n}" for n in range(1, len(VECTORS) + 1)]
    texts = both_ends("prompt", "explanation", *whys)
    assert_safe(fragment, status=HTTPStatus.CREATED, texts=texts, choices=VECTORS)
    assert_safe(client.get(url), texts=texts, choices=VECTORS)

    results = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assert_safe(results, texts=both_ends("prompt", "explanation"), escaped=[quiz.title])
    given = " · ".join(markdown_inline(vector) for vector in VECTORS)
    assert given in results.content.decode()  # the answer given, each choice as Markdown
    assert_safe(client.get("/progress/"), escaped=[quiz.title])


def test_a_vector_posted_as_an_answer_is_refused_with_400(client, xss_content):
    attempt = start(client, xss_content.quiz)
    url = attempt.question_url(1)
    for vector in VECTORS:
        response = client.post(url, {"choice": vector, "answer": vector})
        assert_safe(response, status=HTTPStatus.BAD_REQUEST)
        fragment = client.post(url, {"choice": ["1", vector]}, headers={"HX-Request": "true"})
        assert_safe(fragment, status=HTTPStatus.BAD_REQUEST)


def test_search_queries(client, db):
    for vector in VECTORS:
        # A line break is a control character: the search refuses it, and echoes the rest.
        status = HTTPStatus.BAD_REQUEST if "\n" in vector else HTTPStatus.OK
        escaped = [] if "\n" in vector else [vector]
        response = client.get("/codes/", {"q": vector})
        assert_safe(response, status=status, escaped=escaped)
        response = client.get("/codes/", {"q": vector}, headers={"HX-Request": "true"})
        assert_safe(response, status=status, escaped=escaped)
    too_long = "".join(VECTORS)
    assert_safe(client.get("/codes/", {"q": too_long}), status=HTTPStatus.BAD_REQUEST)


def test_usernames_refused_at_sign_up_are_shown_back_escaped(client, db):
    for vector in VECTORS:
        data = {"username": vector, "password1": "x", "password2": "y"}
        assert_safe(client.post("/accounts/signup/", data), status=HTTPStatus.BAD_REQUEST)
    assert not get_user_model().objects.exists()


def test_usernames_in_the_account_menu(client, db):
    """Usernames the sign-up form refuses can still exist (made in the shell or imported)."""
    for vector in VECTORS:
        client.force_login(get_user_model().objects.create_user(vector, password=None))
        assert_safe(client.get("/accounts/password/"), escaped=[vector])


def test_admin_previews(admin_client, xss_content):
    lesson, question = xss_content.lesson, xss_content.question
    response = admin_client.get(f"/admin/learn/lesson/{lesson.pk}/preview/")
    texts = both_ends("lesson body", "short answer")
    assert_safe(response, texts=texts, escaped=[lesson.title])
    response = admin_client.get(f"/admin/quiz/question/{question.pk}/preview/")
    whys = [f"why-not {n}" for n in range(1, len(VECTORS) + 1)]
    assert_safe(response, texts=both_ends("prompt", "explanation", *whys), choices=VECTORS)


def test_admin_rubric_editor(admin_client, xss_content):
    """A rubric is edited as text in a textarea: every vector in it shows as text."""
    followup = xss_content.lesson.followups.get(key="all-of-them")
    response = admin_client.get(f"/admin/learn/followup/{followup.pk}/change/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    admin_own = ('<script src="/admin/jsi18n/">', 'src="/static/admin/img/')
    live = [found for found in live_markup(html) if not any(own in found for own in admin_own)]
    assert live == [], live
    assert all(escape(vector) in html for vector in VECTORS)
