"""Middleware that gives Django's bare 405 and 412 responses the site's teaching error page."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from config.views import error_page


class MethodNotAllowedPageMiddleware:
    """Replace the empty body of `HttpResponseNotAllowed` with the 405 page, keeping `Allow`,
    and the empty body of a 412 with the 412 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return error_page(request, HTTPStatus.METHOD_NOT_ALLOWED, allowed=response["Allow"])
        # Django's conditional-request handling (If-Match, If-Unmodified-Since) answers an
        # unmet condition with a bare 412; give it the page that says what happened.
        if response.status_code == HTTPStatus.PRECONDITION_FAILED and not response.content:
            return error_page(request, HTTPStatus.PRECONDITION_FAILED)
        return response
