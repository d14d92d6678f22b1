"""What every view shares: the typed htmx request, and the redirect after a POST."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def see_other(url: str) -> HttpResponse:
    """See Other: after a POST, the browser GETs the next page (post/redirect/get)."""
    response = HttpResponse(status=HTTPStatus.SEE_OTHER)
    response["Location"] = url
    return response
