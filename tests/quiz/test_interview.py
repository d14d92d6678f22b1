"""The interview drill's pages (issue 17): ask, reveal, rate; the follow-up's card in the review
queue; what bad input gets; mock interviews; the cheatsheet."""

import random
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from django.utils.html import escape

from learn.models import FollowUp, Lesson
from learn.services import _followups_sync
from quiz.interview import selectors
from quiz.interview.forms import Timer
from quiz.progress.models import DrillAnswer, Learner, MockInterview, ReviewCard, ReviewLog
from tests.quiz.conftest import DRILL, PARTIAL, drill_rate, drill_reveal, token_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
RATE = DRILL + "rate/"
README = Path(__file__).resolve().parents[2] / "README.md"


def followup(key: str = "401-vs-403-difference") -> FollowUp:
    return FollowUp.objects.get(lesson__slug="401-vs-403", key=key)


def checked(html: str) -> list[int]:
    """The rubric points ticked on a revealed page."""
    return [int(n) for n in re.findall(r'name="made" value="(\d+)" checked', html)]


def squeezed(html: str) -> str:
    """The page with every run of white space as one space."""
    return " ".join(html.split())


def badge(html: str) -> str | None:
    found = re.search(r'<span class="badge" aria-label="(\d+) due">', html)
    return found.group(1) if found else None


# Asking and revealing --------------------------------------------------------------------------


def test_asking_is_a_page_that_writes_nothing(client):
    response = client.get(DRILL)
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert '<h1 id="drill-question">What is the difference between 401 and 403?</h1>' in html
    assert 'maxlength="3000"' in html and "autofocus" in html
    assert "Ctrl</kbd>+<kbd>Enter</kbd> reveals" in html
    assert 'src="/static/js/drill.js"' in html
    head = client.head(DRILL)
    assert head.status_code == HTTPStatus.OK and head.content == b""
    assert not Learner.objects.exists() and not DrillAnswer.objects.exists()


def test_reveal_marks_the_points_the_matcher_found_and_records_nothing(client):
    response = drill_reveal(client, PARTIAL)
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert checked(html) == [1, 3]
    assert "you wrote “no valid credentials”" in html and "you wrote “not allowed”" in html
    assert html.count("not found in what you typed") == 2
    assert '<section id="model-answer" class="drill-model" tabindex="-1"' in html
    assert "autofocus>" in html  # focus lands on the model answer, JavaScript or not
    assert 'value="401 means the request has no valid credentials.' in html  # carried to rating
    assert all(f'data-rating="{n}"' in html for n in range(1, 5))
    assert not Learner.objects.exists() and not DrillAnswer.objects.exists()
    assert not ReviewCard.objects.exists()


def test_an_empty_answer_was_said_aloud_and_the_learner_marks_it(client):
    revealed = drill_reveal(client, "")
    assert revealed.status_code == HTTPStatus.OK
    assert "You answered aloud" in revealed.text and checked(revealed.text) == []
    response = drill_rate(client, "", made=[2, 4], rating=2)
    assert response.status_code == HTTPStatus.SEE_OTHER
    answer = DrillAnswer.objects.get()
    assert (answer.text, answer.made, answer.points, answer.rating) == ("", 2, 4, 2)
    assert [m["found"] for m in answer.marks] == [False] * 4


def test_the_corrected_marks_are_what_is_stored(client):
    """The matcher found points 1 and 3; the learner unticks 3 and ticks 2."""
    response = drill_rate(client, PARTIAL, made=[1, 2], rating=3)
    assert response.status_code == HTTPStatus.SEE_OTHER
    answer = DrillAnswer.objects.get()
    points = [p["point"] for p in followup().rubric]
    assert answer.marks == [
        {"point": points[0], "found": True, "made": True},
        {"point": points[1], "found": False, "made": True},
        {"point": points[2], "found": True, "made": False},
        {"point": points[3], "found": False, "made": False},
    ]
    assert (answer.text, answer.made, answer.points) == (PARTIAL, 2, 4)
    assert answer.followup == followup() and answer.mock is None
    assert answer.learner == Learner.objects.get()


@pytest.mark.parametrize("rating,label,step", [(1, "Again", 1), (2, "Hard", 5.5), (3, "Good", 10)])
def test_a_rating_schedules_the_follow_ups_own_card(client, rating, label, step):
    with time_machine.travel(NOW, tick=False):
        response = drill_rate(client, rating=rating)
        card = ReviewCard.objects.get()
        assert (card.followup, card.question) == (followup(), None)
        assert card.due == NOW + step * MINUTE  # the learning steps, as for questions
        assert (card.reviews, card.lapses) == (1, int(rating == 1))
        log = ReviewLog.objects.get()
        assert (log.card, log.rating, log.due_after) == (card, rating, card.due)
        page = client.get(response["Location"]).text
    assert f"Rated {label}: " in page
    assert "comes back for review in " in page


def test_a_due_follow_up_counts_in_the_badge_review_and_the_forecast(client):
    with time_machine.travel(NOW, tick=False) as clock:
        drill_rate(client, rating=3)  # new, Good: back in 10 minutes
        page = client.get("/review/").text
        assert badge(page) is None and "Nothing is due" in page
        assert "<dt>Later today</dt><dd>1</dd>" in page

        clock.move_to(NOW + 10 * MINUTE)
        page = client.get("/review/").text
        assert badge(page) == "1"
        assert "1 card due" in page and "1 interview question due" in page
        assert "Start the review" not in page  # no quiz question is due
        assert "Drill the interview question due (1)" in page
        assert "<dt>Due now</dt><dd>1</dd>" in page
        assert "1 interview question due for review" in client.get("/interview/").text
        start = client.post("/review/start/")
        assert start.status_code == HTTPStatus.SEE_OTHER
        assert start["Location"] == "/interview/due/"

        due = client.get("/interview/due/").text
        assert "What is the difference between 401 and 403?" in due
        assert "Due for review" in due
        assert drill_rate(client, rating=3, via="due")["Location"] == "/interview/due/"
        done = client.get("/interview/due/")
        assert done.status_code == HTTPStatus.OK
        assert "No interview questions are due" in done.text
        assert badge(done.text) is None


def test_the_next_question_of_a_topic_is_one_not_drilled_yet(client):
    keys = [f.key for f in Lesson.objects.get(slug="401-vs-403").followups.all()]
    first = client.get("/interview/lessons/401-vs-403/").text
    assert followup(keys[0]).question in first
    response = drill_rate(client)
    assert response["Location"] == "/interview/lessons/401-vs-403/"
    second = client.get(response["Location"]).text
    assert escape(followup(keys[1]).question) in second
    assert f'action="/interview/lessons/401-vs-403/{keys[1]}/"' in second


def test_mixed_topics_come_back_to_mixed(client):
    page = client.get("/interview/mixed/").text
    assert 'name="via" value="mixed"' in page
    assert "Mixed topics" in page
    assert drill_rate(client, via="mixed")["Location"] == "/interview/mixed/"


def test_seconds_are_measured_by_the_server_from_the_signed_timer(client):
    with time_machine.travel(NOW, tick=False) as clock:
        token = token_of(client.get(DRILL).text)
        clock.move_to(NOW + timedelta(seconds=42))
        revealed = client.post(DRILL, {"answer": PARTIAL, "token": token})
        clock.move_to(NOW + timedelta(seconds=70))
        data = {"answer": PARTIAL, "token": token_of(revealed.text), "rating": "3"}
        assert client.post(RATE, data).status_code == HTTPStatus.SEE_OTHER
    answer = DrillAnswer.objects.get()
    rated_at = NOW + timedelta(seconds=70)
    assert (answer.seconds, answer.served_at, answer.answered_at) == (42, NOW, rated_at)


def test_the_same_reveal_rated_twice_is_refused(client):
    revealed = drill_reveal(client)
    data = {"answer": PARTIAL, "token": token_of(revealed.text), "made": ["1"], "rating": "3"}
    assert client.post(RATE, data).status_code == HTTPStatus.SEE_OTHER
    again = client.post(RATE, data)
    assert again.status_code == HTTPStatus.CONFLICT
    assert "You have already rated this answer" in again.text
    assert DrillAnswer.objects.count() == 1 and ReviewCard.objects.get().reviews == 1


# Bad input: the right 4xx, a message a person understands, nothing recorded -------------------


def test_an_answer_over_the_cap_is_a_400_with_the_text_kept(client):
    long = "401 " + "x" * 2997  # 3,001 characters
    response = drill_reveal(client, long)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your answer is 3,001 characters long: the drill takes at most 3,000." in response.text
    assert f">{long}</textarea>" in response.text
    assert 'role="alert"' in response.text
    ok = drill_reveal(client, "x" * 3000)
    assert ok.status_code == HTTPStatus.OK
    crlf = drill_reveal(client, "a\r\n" * 1000)  # 3,000 once line ends are one character
    assert crlf.status_code == HTTPStatus.OK
    token = token_of(client.get(DRILL).text)
    rate = client.post(RATE, {"answer": long, "token": token, "rating": "3"})
    assert rate.status_code == HTTPStatus.BAD_REQUEST
    assert not DrillAnswer.objects.exists() and not Learner.objects.exists()


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"rating": "0"}, "A rating is Again (1), Hard (2), Good (3) or Easy (4)."),
        ({"rating": "5"}, "A rating is Again (1), Hard (2), Good (3) or Easy (4)."),
        ({"rating": "good"}, "A rating is Again (1), Hard (2), Good (3) or Easy (4)."),
        ({}, "Rate your recall: Again (1), Hard (2), Good (3) or Easy (4)."),
        (
            {"rating": "3", "made": ["1", "5"]},
            "Your marks name point 5, but this question&#x27;s rubric has 4 points",
        ),
        (
            {"rating": "3", "made": ["one"]},
            "Your marks name point one, but this question&#x27;s rubric has 4 points",
        ),
    ],
)
def test_a_bad_rating_or_marks_get_the_revealed_page_again_with_a_400(client, fields, message):
    revealed = drill_reveal(client)
    data = {"answer": PARTIAL, "token": token_of(revealed.text), **fields}
    response = client.post(RATE, data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert 'id="model-answer"' in response.text  # still revealed, the marks as sent
    assert not DrillAnswer.objects.exists() and not ReviewCard.objects.exists()


@pytest.mark.parametrize("url", [DRILL, RATE])
def test_a_tampered_timer_is_a_400_and_the_question_again(client, url):
    token = token_of(client.get(DRILL).text)
    value, signature = token.rsplit(":", 1)
    forged = Timer(followup().pk, 0).token.rsplit(":", 1)[0] + ":" + signature
    other = Timer(followup("github-404-for-private-repo").pk, 0).token  # signed, for another
    for bad in (forged, other, "", "nonsense", value):
        response = client.post(url, {"answer": PARTIAL, "token": bad, "rating": "3"})
        assert response.status_code == HTTPStatus.BAD_REQUEST, bad
        assert (
            "timer in this form does not check out" in response.text
            or "The form lost its timer" in response.text
        )
        assert f">{PARTIAL}</textarea>" in response.text  # the question again, text kept
        assert token_of(response.text) != bad
    assert not DrillAnswer.objects.exists()


def test_a_nul_character_is_a_400(client):
    response = drill_reveal(client, "no valid\x00 credentials")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/interview/lessons/401-vs-403/no-such-key/",
        "/interview/lessons/401-vs-403/no-such-key/rate/",
        "/interview/lessons/no-such-lesson/401-vs-403-difference/",
        "/interview/lessons/no-such-lesson/",
    ],
)
def test_an_unknown_follow_up_or_lesson_is_a_404_that_says_so(client, url):
    for method in ("get", "post"):
        response = getattr(client, method)(url, {"answer": "x", "token": "x", "rating": "3"})
        if method == "get" and url.endswith("rate/"):
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
            continue
        if method == "post" and url == "/interview/lessons/no-such-lesson/":
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
            continue
        assert response.status_code == HTTPStatus.NOT_FOUND, (method, url)
        assert "Interview page (/interview/)" in response.text


def test_wrong_methods_get_405_with_allow(client):
    assert client.put(DRILL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.get(RATE)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "POST"
    assert client.post("/interview/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.get("/interview/mock/start/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_rating_is_rate_limited_like_answers(client, settings):
    # Per learner: counted from the first post the learner exists for (the first rating makes
    # them), so the second reveal is the first counted and the second rating is refused.
    settings.ANSWER_RATE_LIMIT = "1/minute"
    assert drill_rate(client).status_code == HTTPStatus.SEE_OTHER
    revealed = drill_reveal(client)
    data = {"answer": PARTIAL, "token": token_of(revealed.text), "rating": "3"}
    refused = client.post(RATE, data)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(refused["Retry-After"]) > 0
    assert "You are answering faster than anyone can read" in refused.text
    assert DrillAnswer.objects.count() == 1


def test_a_retired_follow_up_is_gone_from_the_drill_and_the_lesson(client):
    retired = followup()
    drill_rate(client)
    FollowUp.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    response = client.get(DRILL)
    assert response.status_code == HTTPStatus.GONE
    assert "is no longer part of the lesson" in response.text
    assert client.post(RATE, {"rating": "3"}).status_code == HTTPStatus.GONE
    topic = client.get("/interview/lessons/401-vs-403/").text
    assert escape(retired.question) not in topic
    lesson = client.get("/learn/401-vs-403/").text
    assert f"<summary>{escape(retired.question)}</summary>" not in lesson
    assert "<summary>Why does GitHub answer 404" in lesson
    assert ReviewCard.objects.live().count() == 0  # its card waits, kept
    assert ReviewCard.objects.count() == 1 and DrillAnswer.objects.count() == 1


def test_the_loader_retires_a_drilled_follow_up_instead_of_deleting_it(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    drilled, untouched = followup(), followup("github-404-for-private-repo")
    drill_rate(client)
    fields = ("key", "question", "answer", "rubric")
    wanted = [
        {name: getattr(f, name) for name in fields}
        for f in lesson.followups.all()
        if f.pk not in (drilled.pk, untouched.pk)
    ]
    notes: list[str] = []
    assert _followups_sync(lesson, wanted, notes)
    assert not FollowUp.objects.filter(pk=untouched.pk).exists()  # nobody needed it
    drilled.refresh_from_db()
    assert drilled.retired_at is not None
    assert notes == [
        "401-vs-403: the follow-up '401-vs-403-difference' left the file, but learners have "
        "drilled it, so it is retired: their history keeps it, the lesson and the drill no "
        "longer show it."
    ]
    assert DrillAnswer.objects.get().followup == drilled
    back = [{name: getattr(drilled, name) for name in fields}, *wanted]
    _followups_sync(lesson, back, notes)
    drilled.refresh_from_db()
    assert drilled.retired_at is None and drilled.position == 0


def test_the_admin_refuses_to_delete_a_drilled_follow_up(client, admin_client):
    drilled = followup()
    drill_rate(client)
    url = f"/admin/learn/followup/{drilled.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "can&#x27;t be deleted: 2 drill answers or review cards" in response.text
    assert "run load_content instead: it is retired" in response.text
    assert FollowUp.objects.filter(pk=drilled.pk).exists()
    lesson = admin_client.post(
        f"/admin/learn/lesson/{drilled.lesson_id}/delete/", {"post": "yes"}, follow=True
    )
    assert "can&#x27;t be deleted" in lesson.text
    assert Lesson.objects.filter(pk=drilled.lesson_id).exists()


# Mock interviews ------------------------------------------------------------------------------


def start_mock(client) -> MockInterview:
    response = client.post("/interview/mock/start/")
    assert response.status_code == HTTPStatus.SEE_OTHER
    mock = MockInterview.objects.latest("pk")
    assert response["Location"] == f"/interview/mock/{mock.pk}/1/"
    return mock


def test_a_new_learners_mock_interview_asks_five_different_topics(client):
    mock = start_mock(client)
    lessons = FollowUp.objects.filter(pk__in=mock.followup_ids).values_list("lesson", flat=True)
    assert mock.total == 5 and len(set(lessons)) == 5


def test_a_mock_interview_draws_never_drilled_topics_first(client):
    drilled = Lesson.objects.get(slug="401-vs-403")
    for item in drilled.followups.all():
        drill_rate(client, "", made=[], rating=1, url=f"/interview/lessons/401-vs-403/{item.key}/")
    mock = start_mock(client)
    assert not FollowUp.objects.filter(pk__in=mock.followup_ids, lesson=drilled).exists()


def test_the_mock_draw_takes_the_weakest_topics_once_all_are_drilled():
    def topic(n: int, points: int = 4):
        items = tuple(selectors.Item(10 * n + i, f"k{n}-{i}", "?", points) for i in range(2))
        return selectors.Topic(n, f"t{n}", f"Topic {n}", items)

    topics = [topic(n) for n in range(1, 8)]
    made = {1: 8, 2: 0, 3: 6, 4: 1, 5: 7, 6: 2, 7: 5}  # of 8 points per topic, 4 per item
    latest = {
        item.id: selectors.Latest(min(4, max(0, made[t.lesson_id] - 4 * i)), 4, NOW)
        for t in topics
        for i, item in enumerate(t.items)
    }
    drawn = selectors.mock_draw(topics, latest, random.Random(7))
    assert [pk // 10 for pk in drawn] == [2, 4, 6, 7, 3]  # the lowest readiness first
    fresh = [*topics, topic(8)]
    assert selectors.mock_draw(fresh, latest, random.Random(7))[0] // 10 == 8  # never drilled


def test_a_mock_interview_end_to_end_without_javascript(client):
    with time_machine.travel(NOW, tick=False) as clock:
        mock = start_mock(client)
        questions = selectors.mock_followups(mock)
        for number, item in enumerate(questions, start=1):
            url = f"/interview/mock/{mock.pk}/{number}/"
            page = client.get(url).text
            assert f"question {number} of 5" in page and escape(item.question) in page
            assert 'role="timer" data-clock-elapsed="0">0:00</span>' in page
            token = token_of(page)
            clock.shift(timedelta(seconds=30 + number))
            revealed = client.post(url, {"answer": PARTIAL, "token": token})
            assert revealed.status_code == HTTPStatus.OK
            assert f"You took <strong>0:{30 + number}</strong>" in revealed.text
            data = {"answer": PARTIAL, "token": token_of(revealed.text), "made": ["1"]}
            rated = client.post(url + "rate/", {**data, "rating": "3"})
            assert rated.status_code == HTTPStatus.SEE_OTHER
            following = f"/interview/mock/{mock.pk}/{number + 1}/" if number < 5 else None
            assert rated["Location"] == (following or f"/interview/mock/{mock.pk}/")
        summary = client.get(f"/interview/mock/{mock.pk}/")
        listed = squeezed(client.get("/interview/mock/").text)
    assert summary.status_code == HTTPStatus.OK
    html = summary.text
    points = sum(len(item.rubric) for item in questions)
    assert f"5 of {points} points made in 5 questions, in 2:45 in all." in squeezed(html)
    assert html.count('<span class="tag tag-right">made</span>') == 5
    assert html.count('<span class="tag tag-wrong">missed</span>') == sum(
        len(item.rubric) - 1 for item in questions
    )
    for item in questions:
        assert escape(item.question) in html
        assert escape(f"Study: the short answer on {item.lesson.title}") in html
    mock.refresh_from_db()
    assert mock.finished_at == NOW + timedelta(seconds=165)
    assert DrillAnswer.objects.filter(mock=mock).count() == 5
    assert ReviewCard.objects.filter(followup__isnull=False).count() == 5
    assert f"5 of {points} points" in listed  # among the latest mock interviews


def test_a_mock_interview_is_its_learners_only_and_each_question_is_answered_once(client):
    mock = start_mock(client)
    base = f"/interview/mock/{mock.pk}"
    assert client.get(f"{base}/").status_code == HTTPStatus.SEE_OTHER  # not done: to question 1
    assert client.get(f"{base}/").headers["Location"] == f"{base}/1/"
    assert client.get(f"{base}/6/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{base}/0/").status_code == HTTPStatus.NOT_FOUND
    assert drill_rate(client, made=[1], url=f"{base}/1/").status_code == HTTPStatus.SEE_OTHER
    assert client.get(f"{base}/1/")["Location"] == f"{base}/"  # answered: on to the rest
    assert client.get(f"{base}/")["Location"] == f"{base}/2/"
    again = client.post(f"{base}/1/rate/", {"rating": "3"})
    assert again.status_code == HTTPStatus.CONFLICT
    assert "already answered this question of the mock interview" in again.text
    client.logout()
    stranger = client.__class__()
    for url in (f"{base}/", f"{base}/2/"):
        response = stranger.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert "That is not one of your mock interviews" in response.text


def test_head_answers_on_a_mock_question_and_its_summary(client):
    mock = start_mock(client)
    assert client.head(f"/interview/mock/{mock.pk}/1/").status_code == HTTPStatus.OK
    assert client.head(f"/interview/mock/{mock.pk}/").status_code == HTTPStatus.SEE_OTHER
    assert client.head("/interview/mock/").status_code == HTTPStatus.OK


# Pages, links, the cheatsheet, the README -------------------------------------------------------


def test_the_drill_is_linked_from_the_navigation_home_and_each_lesson(client):
    home = client.get("/").text
    assert '<li><a href="/interview/">Interview</a></li>' in home
    assert '<h3><a href="/interview/">Interview drill</a></h3>' in home
    lesson = client.get("/learn/401-vs-403/").text
    assert '<a class="button button-quiet" href="/interview/lessons/401-vs-403/">' in lesson
    assert "Drill this lesson's follow-ups" in lesson
    page = client.get("/interview/").text
    assert '<a href="/interview/" aria-current="page">Interview</a>' in page
    assert "401 vs 403 (and when to answer 404)" in page and "not drilled yet" in page


def test_the_cheatsheet_has_every_short_answer_in_reading_order(client):
    response = client.get("/interview/cheatsheet/")
    assert response.status_code == HTTPStatus.OK
    html = response.text
    lessons = list(Lesson.objects.published().exclude(short_answer="").order_by("position"))
    assert len(lessons) > 10
    positions = [html.index(f'<a href="{lesson.get_absolute_url()}">') for lesson in lessons]
    assert positions == sorted(positions)
    assert "logging in again as the same user" in html  # 401 vs 403's short answer
    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text()
    print_css = css[css.index("@media print") :]
    assert ".site-header, .site-footer" in print_css and "display: none" in print_css
    assert "break-inside: avoid" in print_css and "attr(href)" in print_css


def test_the_readme_says_the_matcher_does_not_understand_negation():
    readme = README.read_text()
    section = readme[readme.index("## Interview drill") :]
    section = section[: section.index("\n## ", 1)]
    assert "does not understand negation" in section
    assert "the learner confirms" in section
