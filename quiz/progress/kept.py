"""Parts of a learner's pages kept between views, until anything they show changes.

A part (the progress dashboard's body) is rendered once and kept in the cache under a key that
holds everything it depends on: the learner and their version (`freshness`: moved by every write
of theirs), the content version, their time zone and local day, and the account. It is also
dropped at the first moment the clock alone would change it: a card falling due, a deadline
passing, midnight. The CSRF token is never kept: the part holds a placeholder that each
response replaces with the browser's own token.
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from learn.caching import CSRF_PLACEHOLDER, content_version
from quiz.progress import activity
from quiz.progress.freshness import learner_version
from quiz.progress.models import Learner

KEPT_SECONDS = 60 * 60 * 24  # at most; the key and `until` decide sooner


def learner_part(
    request: HttpRequest,
    learner: Learner | None,
    name: str,
    now: datetime,
    make: Callable[[], tuple[str, datetime | None]],
) -> SafeString:
    """The part `name` for the learner, kept or made now by `make`, which renders it with
    `CSRF_PLACEHOLDER` as the token and says until when it holds (None: until a write)."""
    version = learner_version(learner.pk) if learner is not None else ""
    if not version:
        html, _ = make()
        return _with_token(request, html)
    zone = activity.learner_zone(learner)
    today = activity.local_today(zone, now)
    user = request.user
    account = f"{user.pk}:{user.get_username()}" if user.is_authenticated else "-"
    key = f"kept:{name}:{learner.pk}:{version}:{content_version()}:{zone.key}:{today}:{account}"
    kept = cache.get(key)
    if kept is None or now >= kept[1]:
        html, until = make()
        midnight = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
        until = min(until, midnight) if until is not None else midnight
        kept = (html, until)
        cache.set(key, kept, KEPT_SECONDS)
    return _with_token(request, kept[0])


def _with_token(request: HttpRequest, html: str) -> SafeString:
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 (ours)
