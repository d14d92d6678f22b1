"""Rate limits for views: a window per client, counted where every worker sees it; past it,
429 + Retry-After.

A limit is a setting such as `"120/minute"` (also `second`, `hour`, `day`, or a number of
seconds: `"120/60"`); `"off"`, `"0"` or an empty value turns it off.

The counters live outside any one process, so a limit of 5 admits exactly 5 however many
workers serve the site, and a worker's restart forgets nothing: on one machine, in a small
SQLite file of their own (`RATELIMIT_DB`; its lock is separate from the site's database, so
counting never waits on an answer being written), each count one atomic upsert; on several
machines, in Redis (`REDIS_URL`), each request's counts one atomic script. While Redis is
away, each machine counts in its SQLite file (config/cache.py).
"""

import contextlib
import ipaddress
import math
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

from config.cache import Outage, client
from config.errors import error_response

UNITS = {
    **dict.fromkeys(["s", "sec", "second", "seconds"], 1),
    **dict.fromkeys(["m", "min", "minute", "minutes"], 60),
    **dict.fromkeys(["h", "hour", "hours"], 3600),
    **dict.fromkeys(["d", "day", "days"], 86400),
}
OFF = {"", "0", "off", "none", "false"}
UNKNOWN_ADDRESS = "0.0.0.0"  # no address known: an address to count by, never one to bind


@dataclass(frozen=True)
class Rate:
    """At most `count` requests in a window of `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, value: str) -> "Rate | None":
        """`"120/minute"` → Rate(120, 60); an "off" value → None; anything else is an error."""
        value = (value or "").strip().lower()
        if value in OFF:
            return None
        count, _, per = value.partition("/")
        per = per.strip() or "minute"
        seconds = int(per) if per.isdigit() else UNITS.get(per)
        if not count.strip().isdigit() or not seconds:
            raise ValueError(
                f"{value!r} is not a rate limit: write a count per unit, like '120/minute', "
                "'10/hour' or '5/30' (seconds), or 'off'."
            )
        return cls(int(count), seconds) if int(count) else None

    @property
    def window(self) -> str:
        """The window in words: "a minute", "an hour", "every 30 seconds"."""
        names = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}
        return names.get(self.seconds, f"every {self.seconds} seconds")


class SQLiteCounters:
    """Windows per key in a SQLite file shared by the machine's processes.

    A window opens with a key's first request and lasts the rate's seconds; the upsert counts
    the request and reopens a closed window in the same statement, so two workers can never
    both see "the first request". The file is a cache of counts, so it skips fsync.
    """

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS ratelimit_window "
        "(key TEXT PRIMARY KEY, opened REAL NOT NULL, closes REAL NOT NULL, count INTEGER NOT NULL)"
    )
    COUNT = (
        "INSERT INTO ratelimit_window (key, opened, closes, count) VALUES (?1, ?2, ?3, 1) "
        "ON CONFLICT (key) DO UPDATE SET "
        "count = CASE WHEN closes <= ?2 THEN 1 ELSE count + 1 END, "
        "opened = CASE WHEN closes <= ?2 THEN ?2 ELSE opened END, "
        "closes = CASE WHEN closes <= ?2 THEN ?3 ELSE closes END "
        "RETURNING count, closes"
    )
    SWEEP_ONE_IN = 1000  # now and then, forget windows long closed

    def __init__(self) -> None:
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        path = str(settings.RATELIMIT_DB)
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.path != path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(self.SCHEMA)
            self._local.connection, self._local.path = connection, path
        return connection

    def count(self, hits: list[tuple[str, "Rate"]], now: float) -> list[tuple[int, float]]:
        """Count one request for each (key, rate), atomically; [(count, window closes)]."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            results = [
                connection.execute(self.COUNT, (key, now, now + rate.seconds)).fetchone()
                for key, rate in hits
            ]
            if random.randrange(self.SWEEP_ONE_IN) == 0:  # noqa: S311 (not security)
                connection.execute("DELETE FROM ratelimit_window WHERE closes < ?", (now - 86400,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return [(int(count), float(closes)) for count, closes in results]

    def reset(self) -> None:
        """Forget every window (tests)."""
        self._connection().execute("DELETE FROM ratelimit_window")


class RedisCounters:
    """Windows per key in Redis, shared by every machine, with the SQLite file's semantics.

    One script counts a request for each key: INCR, and on a key's first request an expiry
    of the rate's seconds, so its window opens with that request and the key disappears when
    it closes. Redis runs a script alone, so no two requests can both be "the first".
    """

    PREFIX = "status-academy:ratelimit:"
    SCRIPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call("INCR", key)
  local ttl = redis.call("PTTL", key)
  if ttl < 0 then
    redis.call("PEXPIRE", key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
"""

    def __init__(self, url: str) -> None:
        self.redis = client(url)
        self.script = self.redis.register_script(self.SCRIPT)

    def count(self, hits: list[tuple[str, "Rate"]], now: float) -> list[tuple[int, float]]:
        keys = [self.PREFIX + key for key, _ in hits]
        windows = [rate.seconds * 1000 for _, rate in hits]
        flat = self.script(keys=keys, args=windows)
        return [(int(flat[i]), now + int(flat[i + 1]) / 1000) for i in range(0, len(flat), 2)]

    def reset(self) -> None:
        """Forget every window (tests)."""
        keys = list(self.redis.scan_iter(match=self.PREFIX + "*", count=1000))
        if keys:
            self.redis.delete(*keys)


class Counters:
    """The counters in use: Redis when `REDIS_URL` is set (this machine's SQLite file while
    Redis is away), else the SQLite file."""

    def __init__(self) -> None:
        self.sqlite = SQLiteCounters()
        self.outage = Outage("rate-limit counters", "this machine's SQLite file")
        self._redis: dict[str, RedisCounters] = {}

    def _shared(self) -> RedisCounters | None:
        url = getattr(settings, "REDIS_URL", "")
        if not url:
            return None
        if url not in self._redis:
            self._redis[url] = RedisCounters(url)
        return self._redis[url]

    def count(self, hits: list[tuple[str, "Rate"]], now: float) -> list[tuple[int, float]]:
        """Count one request for each (key, rate), atomically; [(count, window closes)]."""
        shared = self._shared()
        if shared is not None and self.outage.available():
            try:
                counted = shared.count(hits, now)
            except RedisError as error:
                self.outage.failed(error)
            else:
                self.outage.succeeded()
                return counted
        return self.sqlite.count(hits, now)

    def reset(self) -> None:
        """Forget every window (tests)."""
        self.sqlite.reset()
        shared = self._shared()
        if shared is not None:
            with contextlib.suppress(RedisError):
                shared.reset()


counters = Counters()


def hit_all(hits: list[tuple[str, "Rate"]]) -> list[int | None]:
    """Count one request for each (key, rate); for each, the seconds until its window closes
    when over its rate, else None.

    Each key's window opens with its first request and lasts `rate.seconds`, so the first
    `rate.count` requests always pass and the next is always refused, wherever the clock is.
    (A window aligned to the clock would let a burst straddle two windows and pass twice over.)
    """
    if not hits:
        return []
    now = time.time()
    waits: list[int | None] = []
    for (_, rate), (count, closes) in zip(hits, counters.count(hits, now), strict=True):
        # Rounded up: a client that waits exactly Retry-After finds the new window open.
        waits.append(max(1, math.ceil(closes - now)) if count > rate.count else None)
    return waits


def hit(key: str, rate: "Rate") -> int | None:
    """Count one request for `key` (see `hit_all`)."""
    return hit_all([(key, rate)])[0]


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, for every limit and the log-in lockout.

    `REMOTE_ADDR`, or with `TRUSTED_PROXY_COUNT = N` (N proxies of ours in front, each
    appending the address it received from to X-Forwarded-For), the address N entries from
    the end of X-Forwarded-For. Entries further left are whatever the client claimed, so
    they are never read. With no address at all (gunicorn on a Unix socket reached without
    nginx's header, or a request made in-process), 0.0.0.0: every such request counts as one
    client, and django-axes can store it (PostgreSQL's inet column refused "unknown").
    """
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN_ADDRESS
    hops = settings.TRUSTED_PROXY_COUNT
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _wait_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


@dataclass(frozen=True)
class Limit:
    """One limit on a view: the setting holding its rate, who it counts, and what to say."""

    setting: str
    key: Callable[[HttpRequest], str | None] = client_ip
    message: str = "This page takes {count} requests {window} from one address."

    def __post_init__(self) -> None:
        """A mistyped limit in the environment stops the site when it loads its views."""
        try:
            Rate.parse(str(getattr(settings, self.setting, "")))
        except ValueError as error:
            raise ImproperlyConfigured(f"{self.setting}: {error}") from None

    def counted(self, request: HttpRequest, scope: str) -> tuple[str, "Rate"] | None:
        """(counter key, rate) when this limit counts the request, else None."""
        rate = Rate.parse(str(getattr(settings, self.setting, "")))
        who = self.key(request) if rate else None
        if rate is None or who is None:
            return None
        return f"{scope}:{self.setting}:{who}", rate

    def refusal(self, rate: "Rate", wait: int) -> tuple[str, int]:
        return self.message.format(count=rate.count, window=rate.window), wait


def rate_limit(scope: str, *limits: Limit, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: every limit counts each request in `methods`; over any, answer 429.

    A refused request never reaches the view, so it writes nothing.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                counted = [(limit, c) for limit in limits if (c := limit.counted(request, scope))]
                waits = hit_all([c for _, c in counted])
                refusals = [
                    limit.refusal(rate, wait)
                    for (limit, (_, rate)), wait in zip(counted, waits, strict=True)
                    if wait is not None
                ]
                if refusals:
                    message, wait = max(refusals, key=lambda refusal: refusal[1])
                    message += f" Wait {_wait_words(wait)}, then try again."
                    return error_response(
                        request, HTTPStatus.TOO_MANY_REQUESTS, reason=message, wait=wait
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
