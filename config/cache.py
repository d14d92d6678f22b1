"""Redis for several machines (`REDIS_URL`), and what happens while it is away.

With `REDIS_URL` set, Django's cache (the content pages and the content version,
learn/caching.py) and the rate-limit counters (config/ratelimit.py) live in Redis, shared by
every process of every machine. When Redis cannot be reached, nothing fails: the cache falls
back to this process's memory and the counters to this machine's SQLite file, one warning is
logged per outage, and Redis is tried again every `RETRY_SECONDS` (a refused connection fails
at once; a silent one after `TIMEOUT_SECONDS`).
"""

import logging
import threading
import time
from functools import cache as memoise

import redis
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("config.redis")
RETRY_SECONDS = 5
TIMEOUT_SECONDS = 0.5
# For every connection: short timeouts, and no retries (redis-py's own would wait seconds).
CONNECTION_OPTIONS = {
    "socket_connect_timeout": TIMEOUT_SECONDS,
    "socket_timeout": TIMEOUT_SECONDS,
    "health_check_interval": 30,
}


class Outage:
    """Whether this process takes Redis to be away, for one use of it (cache or counters)."""

    def __init__(self, use: str, fallback: str):
        self.use, self.fallback = use, fallback
        self._retry_at = 0.0
        self._down = False
        self._lock = threading.Lock()

    def available(self) -> bool:
        """False for `RETRY_SECONDS` after a failure: the fallback serves without waiting."""
        return time.monotonic() >= self._retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            first = not self._down
            self._down = True
        if first:
            log.warning(
                "Redis is unreachable (%s: %s): the %s use %s until it is back.",
                type(error).__name__,
                error,
                self.use,
                self.fallback,
            )

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                back, self._down = self._down, False
            if back:
                log.warning("Redis is back: the %s use it again.", self.use)


@memoise
def client(url: str) -> redis.Redis:
    """One client (and connection pool) per process for `url`."""
    return redis.Redis(connection_pool=redis.ConnectionPool.from_url(url, **CONNECTION_OPTIONS))


def _guarded(name: str):
    def method(self, *args, **kwargs):
        if self.outage.available():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                self.outage.failed(error)
            else:
                self.outage.succeeded()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"Django's RedisCache.{name}, or this process's memory while Redis is away."
    return method


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that serves from this process's memory while Redis is away."""

    def __init__(self, server, params):
        options = {**CONNECTION_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.outage = Outage("cached pages and content version", "this process's memory")
        self.fallback = LocMemCache(
            "status-academy-fallback",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 5000}},
        )

    add = _guarded("add")
    get = _guarded("get")
    set = _guarded("set")
    touch = _guarded("touch")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    clear = _guarded("clear")


class SharedRedisCache(ResilientRedisCache):
    """The shared cache with `REDIS_URL` (sessions read through it, learners' versions):
    while Redis is away it keeps nothing, since a process's memory is not shared; sessions are
    then read from the database and learners' pages made afresh. Writes missed in the outage
    could not move the versions they should have: `epoch()` changes once Redis is back, and
    `quiz.progress.freshness` keys every version with it."""

    EPOCH_KEY = "epoch"

    def __init__(self, server, params):
        super().__init__(server, params)
        self.outage = Outage("sessions and learners' versions", "the database and fresh pages")
        self.fallback = DummyCache("status-academy-shared-fallback", {})
        self._missed_writes = False
        failed = self.outage.failed

        def failed_and_noted(error: Exception) -> None:
            self._missed_writes = True
            failed(error)

        self.outage.failed = failed_and_noted

    def epoch(self) -> str:
        """Changes whenever a process of the site saw Redis away and then back."""
        epoch = self.get(self.EPOCH_KEY)
        if self._missed_writes and self.outage.available() and not self.outage._down:
            self._missed_writes = False
            epoch = str(time.time_ns())
            self.set(self.EPOCH_KEY, epoch, None)
        return epoch or ""
