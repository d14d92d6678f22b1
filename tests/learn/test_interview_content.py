"""The shipped interview material: follow-up keys, short answers and rubrics."""

import importlib

import pytest

from learn.models import FollowUp, Lesson

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
