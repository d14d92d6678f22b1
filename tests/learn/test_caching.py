"""Content pages: one public page for visitors without a session, 304 for a repeat visit, a new
ETag after any edit, nothing personal cached, and a CSRF token only for the browser that asks."""

import gzip
from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from fsrs import Card

from learn.caching import CSRF_PLACEHOLDER, content_version
from learn.models import FollowUp, Lesson, StatusCode
from quiz.models import Question, Quiz
from quiz.progress.models import Learner, ReviewCard

pytestmark = pytest.mark.django_db

LESSON = "/learn/401-vs-403/"
CONTENT_PAGES = ["/", "/learn/", LESSON, "/codes/", "/codes/?q=gateway", "/codes/429/"]


def csrf_value(html: str) -> str:
    return html.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]


def assert_shared(response) -> None:
    """Any cache may keep it, for everybody: nothing private, nothing per visitor in it."""
    assert response["Cache-Control"] == (
        "max-age=60, stale-while-revalidate=30, stale-if-error=86400"
    )
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_a_repeat_visit_with_the_etag_gets_304_without_rendering(
    client, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == HTTPStatus.OK
    assert first["ETag"].startswith('W/"')
    assert_shared(first)  # was "private, no-cache" with Vary: Cookie before issue 19

    with django_assert_num_queries(0):
        again = client.get(path, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again["ETag"] == first["ETag"]
    assert again.content == b""
    assert_shared(again)


def test_a_stale_etag_gets_the_page(client):
    response = client.get(LESSON, headers={"If-None-Match": 'W/"an-old-version"'})

    assert response.status_code == HTTPStatus.OK
    assert "401" in response.text


def test_saving_a_lesson_changes_its_etag_and_page(client):
    before = client.get(LESSON)
    lesson = Lesson.objects.get(slug="401-vs-403")
    lesson.title = "Who are you, and may you?"
    lesson.save()

    after = client.get(LESSON, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == HTTPStatus.OK
    assert after["ETag"] != before["ETag"]
    assert "Who are you, and may you?" in after.text


def test_a_lesson_edit_shows_on_the_code_pages_that_list_it(client):
    before = client.get("/codes/403/")
    Lesson.objects.filter(slug="401-vs-403").first().codes.remove(StatusCode.objects.get(code=403))

    after = client.get("/codes/403/")

    assert after["ETag"] != before["ETag"]
    assert '<li><a href="/learn/401-vs-403/">' in before.text
    assert '<li><a href="/learn/401-vs-403/">' not in after.text


def test_a_new_follow_up_changes_the_lesson_page(client):
    before = client.get(LESSON)
    lesson = Lesson.objects.get(slug="401-vs-403")
    FollowUp.objects.create(
        lesson=lesson, key="407-adds", position=99, question="What does 407 add?", answer="A"
    )

    after = client.get(LESSON)

    assert after["ETag"] != before["ETag"]
    assert "What does 407 add?" in after.text


def test_load_content_puts_the_shipped_lesson_back_and_changes_the_etag(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    shipped_title = lesson.title
    lesson.title = "An edit the files do not have"
    lesson.save()
    edited = client.get(LESSON)
    assert "An edit the files do not have" in edited.text

    call_command("load_content", stdout=StringIO())
    reloaded = client.get(LESSON, headers={"If-None-Match": edited["ETag"]})

    assert reloaded.status_code == HTTPStatus.OK
    assert reloaded["ETag"] != edited["ETag"]
    assert shipped_title in reloaded.text
    assert "An edit the files do not have" not in reloaded.text


def test_unpublishing_in_the_admin_takes_the_lesson_off_at_once(client, admin_client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    assert client.get(LESSON).status_code == HTTPStatus.OK

    admin_client.post(
        "/admin/learn/lesson/", {"action": "unpublish", "_selected_action": [lesson.pk]}
    )

    assert client.get(LESSON).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.filterwarnings("ignore:The default scheme will be changed")  # the admin's URLField
def test_an_edit_in_the_admin_form_changes_the_page(client, admin_client):
    code = StatusCode.objects.get(code=418)
    before = client.get("/codes/418/")
    form = admin_client.get(f"/admin/learn/statuscode/{code.pk}/change/").context["adminform"]
    data = {
        name: value if value is not None else ""
        for name, value in form.form.initial.items()
        if name != "related"
    }
    data.update(
        former_names="[]",
        headers="[]",
        related=[c.pk for c in code.related.all()],
        summary="A teapot, edited in the admin.",
    )

    response = admin_client.post(f"/admin/learn/statuscode/{code.pk}/change/", data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    after = client.get("/codes/418/")

    assert after["ETag"] != before["ETag"]
    assert "A teapot, edited in the admin." in after.text


def test_an_anonymous_page_never_shows_a_logged_in_users_name_or_badge(client):
    user = User.objects.create_user("ada-lovelace", password="a long passphrase 42")
    learner = Learner.objects.create(user=user)
    due = timezone.now() - timedelta(hours=1)
    for question in Question.objects.all()[:3]:
        ReviewCard.objects.create(
            learner=learner, question=question, fsrs=Card(due=due).to_dict(), due=due, state=2
        )
    member = Client()
    member.force_login(user)

    for path in CONTENT_PAGES:
        theirs = member.get(path)
        anonymous_first = client.get(path)
        anonymous_again = Client().get(path)
        assert "ada-lovelace" in theirs.text
        assert 'aria-label="3 due"' in theirs.text
        for page in (anonymous_first, anonymous_again):
            assert "ada-lovelace" not in page.text
            assert "due</span>" not in page.text and 'class="badge"' not in page.text
            assert "Log in" in page.text


def test_a_logged_in_user_never_gets_the_cached_anonymous_page(client):
    client.get(LESSON)  # cached for visitors without a session
    User.objects.create_user("grace", password="a long passphrase 42")
    member = Client()
    member.force_login(User.objects.get(username="grace"))

    page = member.get(LESSON)

    assert "grace" in page.text
    assert "Log out" in page.text
    assert not page.has_header("ETag")
    assert page["Cache-Control"] == "private, max-age=0, must-revalidate"


def test_the_shared_page_carries_no_csrf_token_and_sets_no_cookie(client):
    first = client.get(LESSON)
    again = Client().get(LESSON)  # from the cache

    for page in (first, again):
        assert CSRF_PLACEHOLDER not in page.text
        assert csrf_value(page.text) == ""
        assert 'name="csrfmiddlewaretoken" value=""' in page.text  # the "mark as done" form
        assert_shared(page)
    assert first.content == again.content


def test_csrf_gives_each_browser_its_own_token_privately(client):
    first = client.get("/csrf")
    other = Client().get("/csrf")

    assert first.json()["token"] != other.json()["token"]
    assert first.cookies["csrftoken"].value != other.cookies["csrftoken"].value
    assert first["Cache-Control"] == "no-store"


def test_the_shared_page_posts_with_the_token_csrf_gives(settings):
    """What site.js does before the first POST from a shared page."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(LESSON)
    token = browser.get("/csrf").json()["token"]

    response = browser.post(
        "/progress/lessons/401-vs-403/", {"done": "1"}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == HTTPStatus.SEE_OTHER


def test_without_javascript_the_first_form_is_sent_again_with_a_token():
    """A form from the shared page arrives without a token: the 403 offers it back, with one."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(LESSON)
    form = {"csrfmiddlewaretoken": "", "done": "1", "tz": "Europe/Berlin"}
    origin = {"Origin": "http://testserver"}

    refused = browser.post("/progress/lessons/401-vs-403/", form, headers=origin)

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Send it again" in refused.text
    assert '<input type="hidden" name="done" value="1">' in refused.text
    assert '<input type="hidden" name="tz" value="Europe/Berlin">' in refused.text
    token = refused.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    sent = browser.post(
        "/progress/lessons/401-vs-403/",
        {"csrfmiddlewaretoken": token, "done": "1", "tz": "Europe/Berlin"},
        headers=origin,
    )
    assert sent.status_code == HTTPStatus.SEE_OTHER


@pytest.mark.parametrize(
    ("headers", "form"),
    [
        ({"Origin": "https://evil.example"}, {"done": "1"}),  # another site's form
        ({}, {"done": "1"}),  # no Origin: nothing says it came from our page
        ({"Origin": "http://testserver"}, {"done": "1", "csrfmiddlewaretoken": "x" * 64}),
    ],
)
def test_no_resend_is_offered_for_a_form_from_elsewhere_or_with_a_wrong_token(headers, form):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/csrf")

    refused = browser.post("/progress/lessons/401-vs-403/", form, headers=headers)

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Send it again" not in refused.text


def test_a_bad_csrf_cookie_gets_a_private_page_with_a_new_one(client):
    client.get(LESSON)  # cached
    client.cookies["csrftoken"] = "not-a-token"

    page = client.get(LESSON)

    assert page.status_code == HTTPStatus.OK
    assert page["Cache-Control"].startswith("private")
    assert page.cookies["csrftoken"].value != "not-a-token"
    assert csrf_value(page.text) != ""


def test_the_gzipped_page_is_the_same_page(client):
    client.get(LESSON)
    plain = client.get(LESSON)
    zipped = client.get(LESSON, headers={"Accept-Encoding": "gzip, br"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3


def test_htmx_search_results_are_cached_apart_from_the_full_page(client):
    full = client.get("/codes/?q=gateway")
    fragment = client.get("/codes/?q=gateway", headers={"HX-Request": "true"})
    full_again = client.get("/codes/?q=gateway")

    assert "<html" in full.text and "<html" in full_again.text
    assert "<html" not in fragment.text
    assert 'id="code-results"' in fragment.text
    assert fragment["ETag"] != full["ETag"]
    assert "HX-Request" in fragment["Vary"]


def test_a_learner_with_a_session_gets_no_etag(client):
    session = client.session
    session["learner_id"] = Learner.objects.create().pk
    session.save()

    response = client.get(LESSON)

    assert response.status_code == HTTPStatus.OK
    assert not response.has_header("ETag")
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"


def test_a_page_that_is_not_cached_still_carries_a_real_csrf_token(client):
    response = client.get("/codes/", {"q": "x" * 101})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert CSRF_PLACEHOLDER not in response.text
    assert csrf_value(response.text) != ""
    assert not response.has_header("ETag")


def test_a_quiz_edit_moves_the_content_version():
    """Lessons link their quiz: unpublishing one, or changing what it holds, is a content edit."""
    quiz = Quiz.objects.create(slug="caching-quiz", title="Caching quiz")
    before = content_version()
    quiz.published = False
    quiz.save()
    unpublished = content_version()
    assert unpublished != before
    quiz.questions.add(Question.objects.first())
    assert content_version() != unpublished


def test_a_shared_page_is_one_copy_whatever_the_query_string():
    """Only `q` makes another page: other parameters cannot fill the cache with copies."""
    stranger = Client()
    first = stranger.get("/learn/401-vs-403/?utm_source=a")
    second = stranger.get("/learn/401-vs-403/?utm_source=b")
    assert first["ETag"] == second["ETag"]
    assert stranger.get("/codes/?q=gateway")["ETag"] != stranger.get("/codes/?q=teapot")["ETag"]
