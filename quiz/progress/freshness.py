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


PROGRESS = "progress"  # anything they do
HISTORY = "history"  # what they did before today: moved only by merges (and deletions)


def _key(learner_id: int, scope: str = PROGRESS) -> str:
    return f"learner-version:{scope}:{learner_id}"


def learner_version(learner_id: int, scope: str = PROGRESS) -> str:
    """The learner's current version (of everything, or of their past days with
    `scope=HISTORY`), or "" when nothing may be kept (no shared cache, or Redis away)."""
    shared = caches["shared"]
    key = _key(learner_id, scope)
    version = shared.get(key)
    if version is None:
        shared.add(key, secrets.token_hex(8), TIMEOUT)
        version = shared.get(key)
    if not version:
        return ""
    epoch = shared.epoch() if hasattr(shared, "epoch") else ""  # Redis: moved after an outage
    return f"{epoch}:{version}" if epoch else version


def learner_changed(learner_id: int, *, history: bool = False) -> None:
    """Whatever was kept for the learner is stale (with `history`, their past days too: a
    merge): now, and again once this transaction commits, since a page read between the two
    saw the data before the write."""
    scopes = (PROGRESS, HISTORY) if history else (PROGRESS,)
    _move(learner_id, scopes)
    transaction.on_commit(lambda: _move(learner_id, scopes))


def _move(learner_id: int, scopes: tuple[str, ...]) -> None:
    caches["shared"].set_many(
        {_key(learner_id, scope): secrets.token_hex(8) for scope in scopes}, TIMEOUT
    )
