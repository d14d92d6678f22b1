"""Rate limits for views: a window per client counted in Django's cache; past it, 429 + Retry-After.

A limit is a setting such as `"120/minute"` (also `second`, `hour`, `day`, or a number of
seconds: `"120/60"`); `"off"`, `"0"` or an empty value turns it off. Counters live in the
default cache, so with the local-memory cache each server process counts on its own.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template import loader

UNITS = {
    **dict.fromkeys(["s", "sec", "second", "seconds"], 1),
    **dict.fromkeys(["m", "min", "minute", "minutes"], 60),
    **dict.fromkeys(["h", "hour", "hours"], 3600),
    **dict.fromkeys(["d", "day", "days"], 86400),
}
OFF = {"", "0", "off", "none", "false"}


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


def hit(key: str, rate: Rate) -> int | None:
    """Count one request for `key`; the seconds until its window closes when over, else None.

    Each key's window opens with its first request and lasts `rate.seconds`, so the first
    `rate.count` requests always pass and the next is always refused, wherever the clock is.
    (A window aligned to the clock would let a burst straddle two windows and pass twice over.)
    """
    now = time.time()
    opened_key = f"ratelimit:{key}:opened"
    cache.add(opened_key, now, timeout=rate.seconds)
    opened = cache.get(opened_key, now)
    if now - opened >= rate.seconds:  # a backend that keeps keys a little past their timeout
        cache.set(opened_key, now, timeout=rate.seconds)
        opened = now
    slot = f"ratelimit:{key}:{opened!r}"
    cache.add(slot, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(slot)
    except ValueError:  # the slot expired between add and incr
        cache.set(slot, 1, timeout=rate.seconds + 1)
        count = 1
    if count > rate.count:
        # Rounded up: a client that waits exactly Retry-After finds the new window open.
        return max(1, math.ceil(opened + rate.seconds - now))
    return None


def client_ip(request: HttpRequest) -> str:
    """The address the request came from (behind a proxy, configure it to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "unknown")


def too_many_requests(request: HttpRequest, *, wait: int, message: str) -> HttpResponse:
    """429 with Retry-After: the site's error page, or a short message for an htmx swap."""
    fragment = getattr(request, "htmx", False)
    template = loader.get_template("errors/fragment.html" if fragment else "errors/429.html")
    context = {"status": HTTPStatus.TOO_MANY_REQUESTS, "message": message, "wait": wait}
    response = HttpResponse(template.render(context, request), status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(wait)
    return response


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

    def check(self, request: HttpRequest, scope: str) -> tuple[str, int] | None:
        """Count the request; when it is over the limit, what to tell the client."""
        rate = Rate.parse(str(getattr(settings, self.setting, "")))
        who = self.key(request) if rate else None
        if rate is None or who is None:
            return None
        wait = hit(f"{scope}:{self.setting}:{who}", rate)
        if wait is None:
            return None
        return self.message.format(count=rate.count, window=rate.window), wait


def rate_limit(scope: str, *limits: Limit, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: every limit counts each request in `methods`; over any, answer 429.

    A refused request never reaches the view, so it writes nothing.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                refusals = [r for limit in limits if (r := limit.check(request, scope))]
                if refusals:
                    message, wait = max(refusals, key=lambda refusal: refusal[1])
                    message += f" Wait {_wait_words(wait)}, then try again."
                    return too_many_requests(request, wait=wait, message=message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
