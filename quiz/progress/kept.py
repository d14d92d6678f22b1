"""A learner's pages, or parts of them, kept between views, until anything they show changes.

A part (the progress dashboard's body) or a whole page (`kept_page`: the review page, the
interview page, a lesson with its check-yourself cards) is rendered once and kept in the cache
under a key that holds everything it depends on: the learner and their version (`freshness`:
moved by every write of theirs), the content version, their time zone and local day, and the
account. It is also dropped at the first moment the clock alone would change it: a card
falling due, a deadline passing, midnight. The CSRF token is never kept: the part holds a
placeholder that each response replaces with the browser's own token.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from learn.caching import CSRF_PLACEHOLDER, content_version, keepable, with_real_token
from quiz.progress import activity, learners
from quiz.progress.context_processors import learning_for
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
    key = _key(request, learner, name, now)
    if not key:
        html, _ = make()
        return _with_token(request, html)
    kept = caches["local"].get(key)
    if kept is None or now >= kept[1]:
        html, until = make()
        kept = (html, _until(learner, now, until))
        caches["local"].set(key, kept, KEPT_SECONDS)
    return _with_token(request, kept[0])


def _key(request: HttpRequest, learner: Learner | None, name: str, now: datetime) -> str:
    """The cache key of everything the part shows, or "" when nothing may be kept."""
    version = learner_version(learner.pk) if learner is not None else ""
    if not version:
        return ""
    zone = activity.learner_zone(learner)
    today = activity.local_today(zone, now)
    user = request.user
    account = f"{user.pk}:{user.is_staff}:{user.get_username()}" if user.is_authenticated else "-"
    return f"kept:{name}:{learner.pk}:{version}:{content_version()}:{zone.key}:{today}:{account}"


def _until(learner: Learner, now: datetime, until: datetime | None) -> datetime:
    """The first of `until` and the learner's next midnight."""
    zone = activity.learner_zone(learner)
    midnight = datetime.combine(
        activity.local_today(zone, now) + timedelta(days=1), time.min, tzinfo=zone
    )
    return min(until, midnight) if until is not None else midnight


@dataclass(frozen=True)
class KeptPage:
    body: str
    content_type: str
    vary: str
    until: datetime


def kept_page(view):
    """Keep the learner's whole page (a GET answered 200) until anything on it changes: their
    version, the content, their day or account, the next card falling due (the navigation's
    badge), or the moment the view sets as `response.kept_until`.

    The view renders with `learn.caching.render_page`, so the token is a placeholder; a page
    that used a real token, set a cookie or wrote the session is not kept. Nothing is kept or
    served while a message waits to be shown.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        learner = _learner(request)
        now = timezone.now()
        key = _key(request, learner, "page", now) if learner is not None else ""
        if not key:
            return view(request, *args, **kwargs)
        key += f":{request.headers.get('HX-Request') == 'true'}:{request.get_full_path()}"
        kept = caches["local"].get(key)
        if kept is not None and now < kept.until:
            response = HttpResponse(_with_token(request, kept.body), content_type=kept.content_type)
            if kept.vary:
                response["Vary"] = kept.vary
            return response
        request._content_page = True
        response = view(request, *args, **kwargs)
        request._content_page = False
        if keepable(request, response):
            moments = (getattr(response, "kept_until", None), learning_for(request).due_next_at)
            until = min((moment for moment in moments if moment), default=None)
            page = KeptPage(
                body=response.content.decode(),
                content_type=response["Content-Type"],
                vary=response.get("Vary", ""),
                until=_until(learner, now, until),
            )
            caches["local"].set(key, page, KEPT_SECONDS)
        return with_real_token(request, response)

    return wrapped


def _learner(request: HttpRequest) -> Learner | None:
    """The learner of a GET that shows no waiting message, else None (nothing kept)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    if CookieStorage.cookie_name in request.COOKIES or "_messages" in request.session:
        return None
    return learners.current_learner(request)


def _with_token(request: HttpRequest, html: str) -> SafeString:
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 (ours)
