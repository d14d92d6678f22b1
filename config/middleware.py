"""Middleware that gives Django's bare 405 responses the site's teaching error page."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from config.views import error_page


class MethodNotAllowedPageMiddleware:
    """Replace the empty body of `HttpResponseNotAllowed` with the 405 page, keeping `Allow`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return error_page(request, HTTPStatus.METHOD_NOT_ALLOWED, allowed=response["Allow"])
        return response
