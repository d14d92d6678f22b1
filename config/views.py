"""Site-wide pages: home, the health check, and error pages that teach their own status."""

from http import HTTPStatus

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from learn.caching import content_page, render_page


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_safe
@content_page
def home(request: HtmxHttpRequest) -> HttpResponse:
    return render_page(request, "home.html")


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


def error_page(
    request: HttpRequest,
    status: HTTPStatus,
    *,
    reason: str = "",
    allowed: str = "",
) -> HttpResponse:
    """Render the teaching error page for `status` inside the site layout."""
    # htmx swaps the answer into part of a page: send a message, not a whole page.
    fragment = getattr(request, "htmx", False)
    template = loader.get_template(
        "errors/fragment.html" if fragment else f"errors/{status.value}.html"
    )
    # A 5xx may mean the database is down: render nothing that needs the session or the user.
    context = {"status": status, "reason": reason, "allowed": allowed, "bare": status >= 500}
    response = HttpResponse(template.render(context, request), status=status)
    if allowed:
        response["Allow"] = allowed
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, HTTPStatus.BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, HTTPStatus.FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, HTTPStatus.NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, HTTPStatus.INTERNAL_SERVER_ERROR)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, HTTPStatus.FORBIDDEN, reason="csrf")
