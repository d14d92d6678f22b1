"""Caching for the content pages: a content version, 304s, and one public page for every
visitor without a session.

A content page (home, lessons, the reference) is the same for every visitor who brings no
session or messages cookie: nobody is logged in, there is no learner, no badge, no message.
For them `content_page` keeps the rendered page in the cache, keyed by the *content version*,
answers a repeat visit whose `If-None-Match` matches with 304 before any rendering, and says
`Cache-Control: max-age=CONTENT_MAX_AGE, stale-while-revalidate=…` without `private`, so
browsers, a CDN and nginx's micro-cache (config/nginx/) may all keep it. (`public` would add
nothing: it matters only for a response to a request with `Authorization`, and REDbot warns
that it is unnecessary.)

- The content version is a fingerprint of the learn tables (count and latest `updated_at` of
  lessons and codes, count of follow-ups) plus the deployed templates and code, so an edit in
  the admin, `load_content` or a deploy changes it. Signals below bump a lesson's or code's
  `updated_at` when only its follow-ups or links change, and forget the version at once (in
  Redis: for every machine); without Redis other processes re-read it within `VERSION_SECONDS`.
- The shared page carries no CSRF token: it would be everybody's. It is rendered with a
  placeholder, removed before caching; site.js asks /csrf for the browser's own token before
  the first POST from such a page, and without JavaScript the 403 for a form sent without a
  token offers to send it again with one (config/views.py `csrf_failure`).
- The page is kept gzip-compressed too, so serving it costs no compression. It holds no
  secret, so BREACH has nothing to find.

Visitors with a session (learners, accounts) get the page rendered for them, `private`.
"""

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass
from functools import cache as memoise
from functools import wraps
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.utils import get_app_template_dirs
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

from learn.models import FollowUp, Lesson, StatusCode

VERSION_KEY = "learn:content-version"
VERSION_SECONDS = 1  # how long a process trusts its copy of the version without asking again
PAGE_SECONDS = 60 * 60  # pages are keyed by version, so this only bounds unused entries
CSRF_PLACEHOLDER = "csrf-token-placeholder-b1e0c9"  # where a page's token goes (then: none)
STALE_SECONDS = 30  # after CONTENT_MAX_AGE, a cache may serve the page while it fetches anew
STALE_IF_ERROR_SECONDS = 24 * 60 * 60  # and for this long if the site cannot answer
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# The content version -------------------------------------------------------------------------


def content_version() -> str:
    """A short digest that changes whenever anything a content page shows may have changed.

    Kept in the cache for `VERSION_SECONDS` under a key of this release's: with Redis, every
    process of every machine running this code shares one version (and so its ETags and
    pages); a machine running other code has its own.
    """
    known = getattr(_this_request, "version", None)
    if known:
        return known
    key = version_key()
    version = cache.get(key)
    if version is None:
        version = hashlib.sha256(f"{_fingerprint()}|{release()}".encode()).hexdigest()[:20]
        cache.set(key, version, VERSION_SECONDS)
    if getattr(_this_request, "version", None) == "":  # in a request: ask once
        _this_request.version = version
    return version


def for_content(name: str, make, seconds: int = 60 * 60):
    """`make()`, kept in the cache until the content changes (or `seconds` pass)."""
    key = f"{name}:{content_version()}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, seconds)
    return found


# One request asks the cache once: with Redis that is a round trip, and a learner's page asks
# for the version several times (its questions, the badge, the kept parts).
_this_request = threading.local()


@receiver(request_started, dispatch_uid="learn-content-version-per-request")
def _request_started(**kwargs) -> None:
    _this_request.version = ""  # to be asked


@receiver(request_finished, dispatch_uid="learn-content-version-request-done")
def _request_finished(**kwargs) -> None:
    _this_request.version = None  # outside a request (commands, tests): asked each time


def _forget_version() -> None:
    """The content changed during this request: ask again."""
    if getattr(_this_request, "version", None):
        _this_request.version = ""


def version_key() -> str:
    return f"{VERSION_KEY}:{release()}"


# The tables whose rows make the content: a count of each, and the latest `updated_at` of those
# that have one. Other apps add theirs (`content_tables`): quiz's questions, choices and quizzes
# show on lesson pages and are kept by the process (quiz/caching.py).
_CONTENT_MODELS: list = [Lesson, StatusCode, FollowUp]


def content_tables(*models) -> None:
    """Count these models' tables in the content version too (from an app's `ready`)."""
    _CONTENT_MODELS.extend(model for model in models if model not in _CONTENT_MODELS)


def _fingerprint() -> tuple:
    """One query over the content tables; a deletion changes a count, an edit a timestamp."""
    parts = []
    for model in _CONTENT_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        if any(field.name == "updated_at" for field in model._meta.fields):
            parts.append(f"(SELECT MAX(updated_at) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return cursor.fetchone()


@memoise
def release() -> str:
    """The deployed templates, page code and static manifest, as a digest of their contents
    (once per process), so two machines running the same code agree on it."""
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in get_app_template_dirs("templates")]
    files = [(root, f) for root in roots for f in root.rglob("*.html")]
    base = Path(settings.BASE_DIR)
    code = [
        f
        for package in ("learn", "quiz", "config")  # views, tags, presets: all the page code
        for f in (base / package).rglob("*.py")
        if "migrations" not in f.parts
    ]
    files += [(base, f) for f in code]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    files.append((manifest.parent, manifest))
    digest = hashlib.sha256()
    for root, path in sorted(files):
        if path.is_file():
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def content_changed(**kwargs) -> None:
    """Forget the content version, so the next page reads the new one: now, and again when
    the change commits (a page rendered in between would have kept the old one)."""
    _forget_version()
    cache.delete(version_key())
    transaction.on_commit(_forget_everywhere)


def _forget_everywhere() -> None:
    _forget_version()
    cache.delete(version_key())


def touch(model, pks) -> None:
    """These rows count as edited: the content version reads their `updated_at`."""
    if pks:
        model.objects.filter(pk__in=list(pks)).update(updated_at=timezone.now())


@receiver(post_save, sender=Lesson, dispatch_uid="learn-lesson-saved")
@receiver(post_delete, sender=Lesson, dispatch_uid="learn-lesson-deleted")
@receiver(post_save, sender=StatusCode, dispatch_uid="learn-code-saved")
@receiver(post_delete, sender=StatusCode, dispatch_uid="learn-code-deleted")
def _content_saved(sender, **kwargs) -> None:
    content_changed()


@receiver(post_save, sender=FollowUp, dispatch_uid="learn-followup-saved")
@receiver(post_delete, sender=FollowUp, dispatch_uid="learn-followup-deleted")
def _followup_changed(sender, instance: FollowUp, **kwargs) -> None:
    """A follow-up shows on its lesson: the lesson counts as edited."""
    touch(Lesson, [instance.lesson_id])
    content_changed()


@receiver(post_save, sender=LogEntry, dispatch_uid="learn-admin-logged")
def _admin_logged(sender, instance: LogEntry, **kwargs) -> None:
    """Admin actions write with `update()`, which sends no signal, but log every change."""
    if instance.content_type_id and instance.content_type.app_label == "learn":
        content_changed()


@receiver(m2m_changed, sender=Lesson.codes.through, dispatch_uid="learn-lesson-codes")
@receiver(m2m_changed, sender=StatusCode.related.through, dispatch_uid="learn-code-related")
def _links_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
    """A lesson's codes show on both pages, related codes on the code's: both count as edited."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    touch(type(instance), [instance.pk])
    touch(model, pk_set)
    content_changed()


# Cached pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    """A rendered page that any visitor may get: plain, and gzipped once."""

    body: bytes
    gzipped: bytes
    content_type: str

    @classmethod
    def of(cls, response: HttpResponse) -> "CachedPage":
        body = response.content.replace(CSRF_PLACEHOLDER.encode(), b"")
        return cls(
            body=body,
            gzipped=gzip.compress(body, compresslevel=9, mtime=0),
            content_type=response["Content-Type"],
        )


def is_personal(request: HttpRequest) -> bool:
    """Whether the page may show this visitor something of their own (account, progress,
    messages): only a session or a messages cookie can bring any. (A CSRF cookie is not
    personal; nginx's micro-cache tells visitors apart by the same two cookies.)"""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def render_page(request: HttpRequest, template: str, context: dict | None = None, **kwargs):
    """`render`, but for a page being cached the CSRF token is a placeholder."""
    context = dict(context or {})
    if getattr(request, "_content_page", False):
        context["csrf_token"] = CSRF_PLACEHOLDER
    return render(request, template, context, **kwargs)


def content_page(view):
    """Serve the view's page to visitors without a session as one public page, with an ETag,
    304s and a `Cache-Control` that lets every cache keep it.

    The view must render with `render_page`. The shared page carries no CSRF token (site.js
    fetches one from /csrf before the first POST). A page that used a real token, set a
    cookie, touched the session or was not a 200 is served as it is, privately.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or is_personal(request)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a bad CSRF cookie is replaced
        ):
            return view(request, *args, **kwargs)
        htmx = request.META.get("HTTP_HX_REQUEST") == "true"
        # Only what the views read (the path and `q`): other parameters make no other page,
        # and would let anyone fill the cache with copies.
        key_source = f"{content_version()}|{htmx}|{request.path}|{request.GET.get('q', '')}"
        digest = hashlib.sha256(key_source.encode()).hexdigest()[:24]
        etag = f'W/"{digest}"'
        if "HTTP_IF_NONE_MATCH" in request.META:
            not_modified = get_conditional_response(
                request, etag=etag, response=_shared(request, HttpResponse(), etag)
            )
            if not_modified.status_code == HTTPStatus.NOT_MODIFIED:
                return not_modified

        key = f"learn:page:{digest}"
        page = cache.get(key)
        if page is None:
            request._content_page = True
            response = view(request, *args, **kwargs)
            request._content_page = False
            if not keepable(request, response):
                return with_real_token(request, response)
            page = CachedPage.of(response)
            cache.set(key, page, PAGE_SECONDS)

        if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(page.gzipped, content_type=page.content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(page.body, content_type=page.content_type)
        return _shared(request, response, etag)

    return wrapped


def with_real_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page that is not cached (a 400, say) still goes out with the visitor's own token."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.streaming and placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response


def cache_control() -> str:
    seconds = settings.CONTENT_MAX_AGE
    return (
        f"max-age={seconds}, stale-while-revalidate={STALE_SECONDS}, "
        f"stale-if-error={STALE_IF_ERROR_SECONDS}"
    )


def _shared(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """The headers of a page any visitor may get, from any cache.

    No `Vary: Cookie`: the page is the same whatever cookies come, and caches in front tell
    a visitor with a session apart themselves (nginx by the cookie's name; a CDN by a rule).
    The middleware read the (absent) session, which would add `Vary: Cookie`: it read nothing.
    """
    response["ETag"] = etag
    response["Cache-Control"] = cache_control()
    patch_vary_headers(response, ["HX-Request", "Accept-Encoding"])
    session = getattr(request, "session", None)
    if session is not None and not session.modified:
        session.accessed = False
    return response


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a rendered page may be kept for others (or later): a whole 200 that used no
    real CSRF token, set no cookie and wrote nothing to the session."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )
