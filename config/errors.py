"""Every error response is built here, in the form the request can use:

- a page in the site's layout that teaches its own status (`templates/errors/<code>.html`);
- for an htmx request, a fragment that takes the place of the element the request targeted
  (or, when it named none, of the page's error slot), with a message that fits the request;
- for the lab's API and clients that ask for it, an RFC 9457 problem document.

Each carries the headers its status needs: `Allow` (405), `Retry-After` (429, 503).
"""

import json
import re
from http import HTTPStatus

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, reverse
from django_htmx.http import reswap, retarget

from learn.registry import display_name

PROBLEM_PATHS = ("/lab/api/",)
ERROR_SLOT = "htmx-error"  # base.html's element for errors of htmx requests that name no target
# What a short message says when the view gave no reason: one sentence a person can act on.
DEFAULT_MESSAGES = {
    400: "The request was not one this page can take: check what you sent and try again.",
    403: "You may not do that here.",
    404: "That is not here (any more): reload the page to see what is.",
    405: "This address does not take that kind of request.",
    409: "That clashes with what is already there: reload the page to see its current state.",
    412: "The page changed since you loaded it: reload it and try again.",
    413: "What you sent is too large.",
    429: "Too many requests: wait a little, then try again.",
    500: "Something went wrong on our side. Reload the page and try again.",
    503: "The site is busy or down for a moment: try again shortly.",
}
# Django's own wording for get_object_or_404: not for people.
_DJANGO_404 = re.compile(r"^No .+ matches the given query\.$")


def error_response(
    request: HttpRequest,
    status: int,
    *,
    reason: str = "",
    allowed: str = "",
    wait: int | None = None,
    csrf: bool = False,
    resend: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The error response for `status`, saying `reason` (what happened, for a person).

    `resend`: the fields of a form refused for lacking a CSRF token, for the 403 page to
    offer sending again with one (config/views.py `csrf_failure`).
    """
    status = HTTPStatus(status)
    headers = {}
    if allowed:
        headers["Allow"] = allowed
    if wait is not None:
        headers["Retry-After"] = str(wait)
    if wants_problem(request):
        return problem(request, status, reason or _message(status), headers)
    if getattr(request, "htmx", False):
        response = _fragment(request, status, reason)
    else:
        template = loader.select_template([f"errors/{status.value}.html", "errors/generic.html"])
        # A 5xx may mean the database is down: render nothing that needs the session or user.
        context = {
            "status": status,
            "reason": reason,
            "allowed": allowed,
            "wait": wait,
            "csrf": csrf,
            "resend": resend,
            "resend_to": request.get_full_path() if resend is not None else "",
            "bare": status >= 500,
        }
        response = HttpResponse(template.render(context, request), status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def reason_of(exception: Exception | None) -> str:
    """The message a view raised (`Http404("…")`), for a person; never the resolver's report
    (the URL patterns it tried) nor Django's generic "No X matches the given query"."""
    if exception is None or isinstance(exception, Resolver404) or not exception.args:
        return ""
    text = exception.args[0]
    return "" if not isinstance(text, str) or _DJANGO_404.match(text) else text


def wants_problem(request: HttpRequest) -> bool:
    return request.path.startswith(PROBLEM_PATHS) or "application/problem+json" in (
        request.headers.get("Accept", "")
    )


def problem(
    request: HttpRequest, status: int, detail: str, headers: dict | None = None
) -> HttpResponse:
    """An RFC 9457 problem document; its type is the status code's reference page."""
    body = {
        "type": _type_uri(request, status),
        "title": display_name(status) or "Unknown status",
        "status": status,
        "detail": detail,
    }
    response = HttpResponse(
        json.dumps(body, indent=2),
        status=status,
        content_type="application/problem+json",
        headers=headers,
    )
    if display_name(status):
        response.reason_phrase = display_name(status)
    return response


def _type_uri(request: HttpRequest, status: int) -> str:
    if not 100 <= status <= 599:
        return "about:blank"
    path = reverse("learn:code_detail", args=[status])
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:  # the 400 for a host the site does not serve: a relative reference
        return path


def _message(status: HTTPStatus) -> str:
    return DEFAULT_MESSAGES.get(status.value, DEFAULT_MESSAGES[500 if status >= 500 else 400])


def _fragment(request: HttpRequest, status: HTTPStatus, reason: str) -> HttpResponse:
    """A notice that takes the place of the element the htmx request targeted."""
    target = request.htmx.target
    context = {"status": status, "message": reason or _message(status), "id": target or ERROR_SLOT}
    html = loader.render_to_string("errors/fragment.html", context, request)
    response = HttpResponse(html, status=status)
    if not target:
        response = reswap(retarget(response, f"#{ERROR_SLOT}"), "outerHTML")
    return response
