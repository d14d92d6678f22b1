"""Caching for the content pages: a content version, 304s, and whole pages for anonymous visitors.

A content page (home, lessons, the reference) is the same for every visitor who brings no
session or messages cookie: nobody is logged in, there is no learner, no badge, no message.
For them `content_page` keeps the rendered page in the cache, keyed by the *content version*,
and answers a repeat visit whose `If-None-Match` matches with 304 before any rendering.

- The content version is a fingerprint of the learn tables (count and latest `updated_at` of
  lessons and codes, count of follow-ups) plus the deployed templates and code, so an edit in
  the admin, `load_content` or a deploy changes it. Signals below bump a lesson's or code's
  `updated_at` when only its follow-ups or links change, and forget this process's copy at
  once; other processes re-read it within `VERSION_SECONDS`.
- The one per-visitor bit of such a page is the CSRF token. The page is rendered with a
  placeholder instead, and each response gets the visitor's own token, so no token is shared.
- The page is kept gzip-compressed too, as independent deflate blocks around the token, which
  goes in an uncompressed block: serving it costs a CRC, not a compression, and the secret
  never shares a compression context with anything (BREACH).

Visitors with a session (learners, accounts) get the page rendered as before, without ETag.
"""

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache as memoise
from functools import wraps
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
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
CSRF_PLACEHOLDER = "csrf-token-placeholder-b1e0c9"
CACHE_CONTROL = "private, no-cache"  # the page holds a CSRF token: browsers only, revalidated
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# The content version -------------------------------------------------------------------------


def content_version() -> str:
    """A short digest that changes whenever anything a content page shows may have changed."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = hashlib.sha256(f"{_fingerprint()}|{release()}".encode()).hexdigest()[:20]
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def _fingerprint() -> tuple:
    """One query over the learn tables; a deletion changes a count, an edit a timestamp."""
    lessons, codes, followups = (model._meta.db_table for model in (Lesson, StatusCode, FollowUp))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {lessons}), (SELECT MAX(updated_at) FROM {lessons}), "
            f"(SELECT COUNT(*) FROM {codes}), (SELECT MAX(updated_at) FROM {codes}), "
            f"(SELECT COUNT(*) FROM {followups})"
        )
        return cursor.fetchone()


@memoise
def release() -> str:
    """The deployed templates, page code and static manifest, as a digest (once per process)."""
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in get_app_template_dirs("templates")]
    files = [f for root in roots for f in root.rglob("*.html")]
    here = Path(__file__).resolve().parent
    files += [*here.glob("*.py"), *(here.parent / "config").glob("*.py")]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    digest = hashlib.sha256()
    for path in sorted(files):
        if path.exists():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


def content_changed(**kwargs) -> None:
    """Forget this process's content version, so the next page reads the new one."""
    cache.delete(VERSION_KEY)


def _touch(model, pks) -> None:
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
    _touch(Lesson, [instance.lesson_id])
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
    _touch(type(instance), [instance.pk])
    _touch(model, pk_set)
    content_changed()


# Cached pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    """A rendered page split at its CSRF tokens, plain and as gzip-ready deflate blocks."""

    parts: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    content_type: str

    @classmethod
    def of(cls, response: HttpResponse) -> "CachedPage":
        parts = tuple(response.content.split(CSRF_PLACEHOLDER.encode()))
        return cls(
            parts=parts,
            deflated=tuple(_deflate(part) for part in parts),
            content_type=response["Content-Type"],
        )

    def body(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzipped(self, token: bytes) -> bytes:
        """A gzip member whose deflate stream is the cached blocks with `token` stored between."""
        stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
        stream = stored.join(self.deflated) + b"\x01\x00\x00\xff\xff"  # final empty block
        crc, size = 0, 0
        for index, part in enumerate(self.parts):
            if index:
                crc, size = zlib.crc32(token, crc), size + len(token)
            crc, size = zlib.crc32(part, crc), size + len(part)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        return header + stream + struct.pack("<II", crc, size & 0xFFFFFFFF)


def _deflate(data: bytes) -> bytes:
    """Raw deflate blocks with no history before them, ending on a byte boundary."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def is_personal(request: HttpRequest) -> bool:
    """Whether the page may show this visitor something of their own (account, progress,
    messages): only a session or a messages cookie can bring any."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def render_page(request: HttpRequest, template: str, context: dict | None = None, **kwargs):
    """`render`, but for a page being cached the CSRF token is a placeholder."""
    context = dict(context or {})
    if getattr(request, "_content_page", False):
        context["csrf_token"] = CSRF_PLACEHOLDER
    return render(request, template, context, **kwargs)


def content_page(view):
    """Cache the view's page for visitors without a session, with an ETag and 304s.

    The view must render with `render_page`. A page that used a real CSRF token, set a
    cookie, touched the session or was not a 200 is served as it is and not cached.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or is_personal(request):
            return view(request, *args, **kwargs)
        htmx = request.META.get("HTTP_HX_REQUEST") == "true"
        key_source = f"{content_version()}|{htmx}|{request.get_full_path()}"
        digest = hashlib.sha256(key_source.encode()).hexdigest()[:24]
        etag = f'W/"{digest}"'
        if "HTTP_IF_NONE_MATCH" in request.META:
            not_modified = get_conditional_response(
                request, etag=etag, response=_with_page_headers(HttpResponse(), etag)
            )
            if not_modified.status_code == HTTPStatus.NOT_MODIFIED:
                return not_modified

        key = f"learn:page:{digest}"
        page = cache.get(key)
        if page is None:
            request._content_page = True
            response = view(request, *args, **kwargs)
            request._content_page = False
            if not _cacheable(request, response):
                return _with_real_token(request, response)
            page = CachedPage.of(response)
            cache.set(key, page, PAGE_SECONDS)

        token = get_token(request).encode()
        if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(page.gzipped(token), content_type=page.content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(page.body(token), content_type=page.content_type)
        return _with_page_headers(response, etag)

    return wrapped


def _with_real_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page that is not cached (a 400, say) still goes out with the visitor's own token."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.streaming and placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response


def _with_page_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Cookie", "HX-Request", "Accept-Encoding"])
    return response


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )
