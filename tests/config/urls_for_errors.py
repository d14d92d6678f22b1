"""A URL map with views that fail on purpose, to exercise the error handlers."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def forbidden(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("a deliberate failure")


urlpatterns = [
    path("forbidden/", forbidden),
    path("crash/", crash),
    path("", include("config.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
