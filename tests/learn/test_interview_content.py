"""The shipped interview material: follow-up keys, short answers and rubrics."""

import importlib
import re

import pytest

from learn.models import FollowUp, Lesson
from learn.rubric import found_points, problems
from tests.learn.test_lessons import REQUIRED_LESSONS

pytestmark = pytest.mark.django_db

KEYS_MIGRATION = importlib.import_module("learn.migrations.0003_followup_keys")


def test_every_follow_up_key_is_unique_across_the_site():
    keys = list(FollowUp.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 57
    assert all(keys)


def test_the_key_migration_gives_existing_rows_the_keys_the_files_use():
    """Rows made by the old loader sat at their file position; 0003 names them the same."""
    for lesson in Lesson.objects.prefetch_related("followups"):
        for position, followup in enumerate(lesson.followups.all()):
            assert KEYS_MIGRATION.key_for(lesson.slug, position) == followup.key


def sentences(text: str) -> list[str]:
    """Split after . ! or ? (and a closing quote or bracket) before a non-lower-case word."""
    return [s for s in re.split(r"(?<=[.!?])[\"”)]?\s+(?=[^a-z\s])", text.strip()) if s]


@pytest.mark.parametrize("slug", REQUIRED_LESSONS)
def test_every_lesson_has_a_short_answer_of_two_to_four_sentences(slug):
    short_answer = Lesson.objects.get(slug=slug).short_answer
    assert 2 <= len(sentences(short_answer)) <= 4, sentences(short_answer)
    assert 50 <= len(short_answer.split()) <= 110  # 20–40 seconds spoken


def test_the_sentence_counter_counts_sentences():
    assert len(sentences('One. Two? "Three." [[404]] four! 5xx five.')) == 5
    assert len(sentences("Use `fetch()`, e.g. in a browser. Then stop.")) == 2


def test_the_lesson_page_shows_the_short_answer_in_a_labelled_box(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    html = client.get(lesson.get_absolute_url()).text
    box = html[html.index('<section class="short-answer"') :]
    box = box[: box.index("</section>")]
    assert '<h2 id="short-answer-title">Interview-ready answer</h2>' in box
    assert 'aria-labelledby="short-answer-title"' in box
    assert '<a class="code-ref" href="/codes/401/">401 Unauthorized</a>' in box
    assert "logging in again as the same user will not help" in box
    assert '<a href="#short-answer">Interview-ready answer</a>' in html
    assert html.index('id="short-answer"') < html.index('id="follow-ups"')


def test_a_lesson_without_a_short_answer_shows_no_box(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    lesson.short_answer = ""
    lesson.save()
    html = client.get(lesson.get_absolute_url()).text
    assert "short-answer" not in html


# Rubrics --------------------------------------------------------------------------------------


def all_followups() -> list[FollowUp]:
    return list(FollowUp.objects.select_related("lesson").order_by("lesson__position", "position"))


def test_every_follow_up_has_a_valid_rubric_of_two_to_five_points():
    followups = all_followups()
    assert len(followups) == 57
    for followup in followups:
        assert problems(followup.rubric) == [], followup.key
        assert 2 <= len(followup.rubric) <= 5


def test_every_model_answer_makes_every_point_of_its_rubric():
    missing = [
        f"{followup.key}: {point['point']}"
        for followup in all_followups()
        for point, found in zip(
            followup.rubric, found_points(followup.answer, followup.rubric), strict=True
        )
        if not found
    ]
    assert missing == []


def point(key: str, starts: str) -> dict:
    """The point of follow-up `key` whose text starts with `starts`."""
    rubric = FollowUp.objects.get(key=key).rubric
    (found,) = [item for item in rubric if item["point"].startswith(starts)]
    return found


WRONG_ANSWERS = [
    # (follow-up, the point it must NOT make, a wrong answer)
    (
        "401-vs-403-difference",
        "401: the request has no valid",
        "401 means forbidden, the user lacks permission.",
    ),
    ("401-vs-403-difference", "a 401 must carry", "401 is when the role is not allowed to do it."),
    (
        "401-vs-403-glance",
        "401: the request has no valid",
        "A 401 says the user may not access this resource.",
    ),
    (
        "valid-token-role-lacks-permission",
        "answer 403",
        "401 Unauthorized, since the role is not authorized.",
    ),
    ("301-vs-308", "both are permanent", "Both are temporary redirects; only the method differs."),
    ("301-vs-308", "a 308 keeps the method", "Both turn the POST into a GET."),
    ("502-vs-504", "504: the upstream did not", "504 means the upstream sent back garbage."),
    (
        "no-cache-vs-no-store",
        "no-store: the response must",
        "no-store means the browser must revalidate first.",
    ),
    (
        "which-failures-to-retry",
        "retry 502, 504 and network",
        "Retry every error immediately, as fast as possible.",
    ),
    (
        "fetch-resolves-on-404-and-500",
        "fetch() rejects only",
        "fetch() throws on any 404 or 500, so catch it.",
    ),
    ("206-for-range-request", "with Content-Range", "Answer 200 OK with the first 1024 bytes."),
    ("201-with-location", "answer 201", "Answer 200 OK with the user in the body."),
    ("201-with-location", "send a Location header", "Answer 200 OK with the user in the body."),
    (
        "bad-signature-400-not-500",
        "nothing on your server broke",
        "Answer 500, the verification crashed.",
    ),
    ("why-jitter", "the synchronised retries hit", "Jitter makes each retry faster."),
    ("unknown-status-471", "treat it as 400", "Treat it as a 500 server error."),
    ("1xx-never-final", "a 1xx is interim", "Yes, a 102 can be the last response."),
    ("410-vs-404", "410 when you know", "410 is for a resource that moved temporarily."),
]


@pytest.mark.parametrize("key, starts, answer", WRONG_ANSWERS)
def test_a_wrong_answer_does_not_make_the_point(key, starts, answer):
    assert found_points(answer, [point(key, starts)]) == [False]


def test_an_empty_answer_makes_no_point():
    for followup in all_followups():
        assert not any(found_points("", followup.rubric)), followup.key
        assert not any(found_points("  ...  ", followup.rubric)), followup.key
