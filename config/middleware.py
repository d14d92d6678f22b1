"""Middleware: the teaching page for Django's bare 405 and 412, NUL bytes refused, and the
caching rule for every response."""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from config.errors import error_response

PRIVATE = "private, max-age=0, must-revalidate"


class CacheControlMiddleware:
    """Every response says how it may be cached, and a browser forgets shared pages when the
    visitor it showed them to changes.

    - A response that says nothing about caching gets `Cache-Control: private, max-age=0,
      must-revalidate`: only the browser may keep it, and only to show it again after asking
      (`no-cache` says the same, but REDbot warns about it on a response with no validator).
      Pages are per learner unless built to be shared: only `learn.caching.content_page`
      (and static files) let every cache keep them, and pages holding secrets say `no-store`.
      Without a `Cache-Control`, a shared cache may store a response heuristically.
    - `no-store` says it all: Django's `never_cache` adds `max-age=0, no-cache,
      must-revalidate, private`, which it overrides (and REDbot warns about), so they go.
    - A shared page has no `Vary: Cookie` (it is the same for every visitor without a
      session), so a browser may show its stored copy after a log-in for up to its max-age.
      A response that starts, changes or ends the session (the first progress, log in, log
      out, deletion) therefore says `Clear-Site-Data: "cache"`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = response.get("Cache-Control", "")
        if not policy:
            response["Cache-Control"] = PRIVATE
        elif "no-store" in policy and policy != "no-store":
            response["Cache-Control"] = "no-store"
        name = settings.SESSION_COOKIE_NAME
        if name in response.cookies and response.cookies[name].value != request.COOKIES.get(
            name, ""
        ):
            response["Clear-Site-Data"] = '"cache"'
        return response


class MethodNotAllowedPageMiddleware:
    """Replace the empty body of `HttpResponseNotAllowed` with the 405 page, keeping `Allow`,
    and the empty body of a 412 with the 412 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return error_response(request, HTTPStatus.METHOD_NOT_ALLOWED, allowed=response["Allow"])
        # Django's conditional-request handling (If-Match, If-Unmodified-Since) answers an
        # unmet condition with a bare 412; give it the page that says what happened.
        if response.status_code == HTTPStatus.PRECONDITION_FAILED and not response.content:
            return error_response(request, HTTPStatus.PRECONDITION_FAILED)
        return response


class RejectNulMiddleware:
    """A NUL character in a posted form value or an uploaded file's name, or anywhere in the
    admin's input, gets a 400.

    No text a person types contains one, PostgreSQL cannot store one, and several places (the
    admin's autocomplete, upload names) would otherwise pass it to the database. Public pages
    check their own query strings (the reference search says what is wrong with a search);
    the lab's API echoes raw input and stores nothing, so it is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/lab/api/") and _has_nul(request):
            return error_response(
                request,
                HTTPStatus.BAD_REQUEST,
                reason="Your request contained a NUL character (\\0), a control character that "
                "no field accepts: remove it and send the request again.",
            )
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if request.path.startswith("/admin/") and ("\x00" in request.path or _nul_in(request.GET)):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        uploads = request.FILES
        return _nul_in(request.POST) or any(
            "\x00" in (upload.name or "") for upload in uploads.values()
        )
    return False


def _nul_in(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)
