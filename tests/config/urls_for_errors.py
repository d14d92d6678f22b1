"""A URL map with views that fail on purpose, to exercise the error handlers."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import etag


def forbidden(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("a deliberate failure")


@etag(lambda request: '"v2"')
def versioned(request):
    return HttpResponse("version 2")


urlpatterns = [
    path("versioned/", versioned),
    path("forbidden/", forbidden),
    path("crash/", crash),
    path("", include("config.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
