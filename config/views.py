"""Site-wide endpoints: the health check, the CSRF token, and the handlers Django calls for
errors."""

from http import HTTPStatus

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.errors import error_response, reason_of


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def csrf(request: HttpRequest) -> JsonResponse:
    """This browser's CSRF token (and its cookie), for a form on a page that came from a
    shared cache and so carries none (static/js/site.js asks before the first POST)."""
    return JsonResponse({"token": get_token(request)})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, HTTPStatus.BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, HTTPStatus.FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, HTTPStatus.NOT_FOUND, reason=reason_of(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, HTTPStatus.INTERNAL_SERVER_ERROR)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a POST without a valid token; for a form sent from our own page without one,
    the page offers to send it again, with one.

    A page any visitor may get from a cache carries no token, so with JavaScript off its form
    arrives without one. Django checked the request's `Origin` against this site before it
    looked for a token, so a form that came with an `Origin` and no token came from one of our
    pages; the 403 shows the same fields in a form with this browser's token, and one press
    sends it. A form from another site never gets here (its `Origin` failed first), nor one
    whose token was wrong, nor an upload.
    """
    return error_response(
        request,
        HTTPStatus.FORBIDDEN,
        csrf=True,
        reason="Your form's security token was missing or out of date: reload the page and "
        "send it again.",
        resend=_resendable(request, reason),
    )


def _resendable(request: HttpRequest, reason: str) -> list[tuple[str, str]] | None:
    """The fields to send again with a token, when the form came from our page without one."""
    if (
        request.method != "POST"
        or reason not in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING)
        or "HTTP_ORIGIN" not in request.META
        or getattr(request, "htmx", False)
        or request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data")
        or request.FILES
        or request.POST.get("csrfmiddlewaretoken")
        or request.META.get("HTTP_X_CSRFTOKEN")
    ):
        return None
    return [
        (name, value)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
        for value in request.POST.getlist(name)
    ]
