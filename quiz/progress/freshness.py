"""A version per learner, moved by everything they do, so their pages may be kept until then.

What a page shows about one learner (the navigation's badge, the progress dashboard, the
review page) is kept in the cache under a key holding the learner's version: a random token
in the *shared* cache (`CACHES["shared"]`: Redis with `REDIS_URL`, else files every process of
the machine reads), replaced once a write of theirs commits. Every process sees the new token
on its next request, so nothing kept before the write is shown after it. A write that did not
move the version would leave a page stale: every write of a learner's progress goes through
`learner_changed` (review cards, answers, drill answers, lessons read, attempts started,
merges, time zones). Where there is no shared cache (`DummyCache`), nothing is kept.
"""

import secrets

from django.core.cache import caches
from django.db import transaction

TIMEOUT = 60 * 60 * 24 * 30  # an idle learner's token goes; their next visit makes another


def _key(learner_id: int) -> str:
    return f"learner-version:{learner_id}"


def learner_version(learner_id: int) -> str:
    """The learner's current version, or "" when nothing may be kept (no shared cache, or
    Redis away)."""
    shared = caches["shared"]
    version = shared.get(_key(learner_id))
    if version is None:
        shared.add(_key(learner_id), secrets.token_hex(8), TIMEOUT)
        version = shared.get(_key(learner_id))
    if not version:
        return ""
    epoch = shared.epoch() if hasattr(shared, "epoch") else ""  # Redis: moved after an outage
    return f"{epoch}:{version}" if epoch else version


def learner_changed(learner_id: int) -> None:
    """Whatever was kept for the learner is stale: now, and again once this transaction
    commits, since a page read between the two saw the data before the write."""
    _move(learner_id)
    transaction.on_commit(lambda: _move(learner_id))


def _move(learner_id: int) -> None:
    caches["shared"].set(_key(learner_id), secrets.token_hex(8), TIMEOUT)
