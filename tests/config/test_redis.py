"""With REDIS_URL: counters and the cache shared through Redis, and no failure while it is away.

Needs Debian's redis-server (skipped without it locally; with CI set, a missing one fails).
"""

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.cache import cache

from config import cache as redis_cache
from config.ratelimit import Counters, Rate
from learn.caching import content_version, version_key
from learn.models import Lesson
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # A short path: a unix socket's path must fit in 108 bytes.
    directory = Path(tempfile.mkdtemp(prefix="sa-redis-"))
    server = RedisServer(directory)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def shared(settings, redis_server, monkeypatch) -> RedisServer:
    """The site configured for several machines: cache and counters in Redis."""
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "status-academy",
        },
        "shared": {
            "BACKEND": "config.cache.SharedRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "status-academy-shared",
            "TIMEOUT": None,
        },
        "local": settings.CACHES["local"],
    }
    settings.SESSION_ENGINE = "config.sessions"
    settings.SESSION_CACHE_ALIAS = "shared"
    return redis_server


def test_a_limit_of_5_admits_exactly_5_across_machines(shared):
    machines = [Counters(), Counters()]  # each with its own SQLite file in a real deployment
    rate = Rate(5, 60)
    gate = threading.Barrier(20)

    def one(n: int) -> int:
        gate.wait()
        return machines[n % 2].count([("everyone", rate)], time.time())[0][0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        counts = sorted(pool.map(one, range(20)))

    assert counts == list(range(1, 21))  # every count seen once: 5 admitted, 15 refused


def test_a_window_opens_with_its_first_request_and_closes_after_its_seconds(shared):
    counters = Counters()
    rate = Rate(2, 1)
    started = time.time()
    ((first, closes),) = counters.count([("window", rate)], started)
    assert first == 1
    assert started + 0.9 <= closes <= started + 1.0
    time.sleep(0.5)
    second, same_close = counters.count([("window", rate)], time.time())[0]
    assert (second, same_close) == (2, pytest.approx(closes, abs=0.01))
    time.sleep(0.6)
    assert counters.count([("window", rate)], time.time())[0][0] == 1  # a new window


def test_while_redis_is_away_counts_go_to_the_machines_file_with_one_warning(shared, caplog):
    counters = Counters()
    rate = Rate(3, 60)
    assert counters.count([("away", rate)], time.time())[0][0] == 1  # in Redis
    shared.stop()

    with caplog.at_level(logging.WARNING, logger="config.redis"):
        away = [counters.count([("away", rate)], time.time())[0][0] for _ in range(4)]
        time.sleep(0.3)
        away.append(counters.count([("away", rate)], time.time())[0][0])  # Redis tried again
        shared.start()
        time.sleep(0.3)
        back = counters.count([("away", rate)], time.time())[0][0]

    assert away == [1, 2, 3, 4, 5]  # counted in this machine's SQLite file
    assert back == 1  # Redis again (restarted empty)
    messages = [record.getMessage() for record in caplog.records]
    assert sum("unreachable" in m for m in messages) == 1, messages
    assert sum(m.startswith("Redis is back") for m in messages) == 1, messages


def test_while_redis_is_away_the_cache_uses_this_process_memory(shared, client, caplog):
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    shared.stop()

    with caplog.at_level(logging.WARNING, logger="config.redis"):
        assert cache.get("greeting") is None
        cache.set("greeting", "local")
        assert cache.get("greeting") == "local"
        pages = [client.get("/learn/401-vs-403/") for _ in range(3)]

    assert [page.status_code for page in pages] == [HTTPStatus.OK] * 3
    assert len({page["ETag"] for page in pages}) == 1
    assert any("unreachable" in record.getMessage() for record in caplog.records)


def test_the_content_version_lives_in_redis_and_an_edit_forgets_it(shared, client):
    from config.cache import client as redis_client

    before = client.get("/learn/401-vs-403/")
    stored = redis_client(shared.url).get(cache.make_key(version_key()))
    assert stored is not None  # every machine reads this one

    Lesson.objects.filter(slug="401-vs-403").update(title="Edited on another machine")
    Lesson.objects.get(slug="401-vs-403").save()  # as the admin does: a signal forgets it
    after = client.get("/learn/401-vs-403/")

    assert after["ETag"] != before["ETag"]
    assert "Edited on another machine" in after.text
    assert content_version() == content_version()


def test_an_answer_redis_could_not_hear_of_still_shows_once_it_is_back(shared, client, monkeypatch):
    """Sessions and learners' versions live in Redis too. While it is away nothing is kept and
    nobody is logged out; a write it missed (the learner's version could not move) still
    shows afterwards, since every version changes when Redis comes back."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone
    from redis.exceptions import ConnectionError as RedisConnectionError

    from quiz.models import Attempt, Question
    from tests.bench.fixtures import ANSWER_FORM

    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.1)
    now = timezone.now()
    slug = Question.objects.published().filter(type="code").first().quizzes.first().slug
    with time_machine.travel(now, tick=False):
        assert client.post(f"/quiz/{slug}/start/", {"mode": "practice"}).status_code == 303
        attempt = Attempt.objects.latest("pk")
        assert "Nothing to review yet" in client.get("/review/").text  # kept, by version

        real_set = redis_cache.RedisCache.set

        def set_unless_shared(self, *args, **kwargs):
            if self.key_prefix == "status-academy-shared":
                raise RedisConnectionError("away")
            return real_set(self, *args, **kwargs)

        monkeypatch.setattr(redis_cache.RedisCache, "set", set_unless_shared)
        kind = Question.objects.get(pk=attempt.question_ids[0]).type
        wrong = {**ANSWER_FORM[kind], "answer": "599"} if kind == "code" else ANSWER_FORM[kind]
        posted = client.post(f"/quiz/attempts/{attempt.pk}/1/", wrong)
        assert posted.status_code == HTTPStatus.SEE_OTHER  # recorded, though Redis missed it
        monkeypatch.setattr(redis_cache.RedisCache, "set", real_set)
    time.sleep(0.2)  # Redis is tried again
    with time_machine.travel(now + timedelta(minutes=20), tick=False):
        page = client.get("/review/").text
    assert "Nothing is due" not in page and "1 card due" in page
