"""The shipped interview material: follow-up keys, short answers and rubrics."""

import importlib
import re

import pytest

from learn.models import FollowUp, Lesson
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
