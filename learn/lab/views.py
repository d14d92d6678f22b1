"""The lab's console page: a request form filled from a preset or the query string."""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.http import HtmxHttpRequest
from learn.lab import presets
from learn.lab.api import TOKENS


@require_safe
def console(request: HtmxHttpRequest) -> HttpResponse:
    """The lab page; a query it cannot send (off-site path, unknown preset …) is a 400."""
    filled = presets.console_request(request.GET)
    context = {
        "console": filled,
        "methods": presets.METHODS,
        "redirect_modes": presets.REDIRECT_MODES,
        "groups": presets.groups(),
        "curl": presets.curl_command(filled, request.build_absolute_uri("/")[:-1]),
        "truth_table": presets.TRUTH_TABLE,
        "demo_window": settings.LAB_DEMO_WINDOW,
        "limited": settings.LAB_LIMITED,
        "tokens": TOKENS,
    }
    status = HTTPStatus.BAD_REQUEST if filled.problems else HTTPStatus.OK
    return render(request, "lab/console.html", context, status=status)
