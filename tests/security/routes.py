"""Every URL the site answers, from the resolver, with its parameters filled in.

The fuzz test and the security-header test walk the same list, so a route added to any
`urls.py` is covered by both at once.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver

# The admin is the authoring tool behind a log-in; only its log-in page faces the public.
ADMIN_PUBLIC = "/admin/login/"
PARAMETER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern, such as `quiz/<slug:slug>/start/`, and its parameters."""

    route: str
    name: str

    @property
    def parameters(self) -> dict[str, str]:
        """Each parameter's name and converter (`{"slug": "slug"}`)."""
        return {m["name"]: m["kind"] or "str" for m in PARAMETER.finditer(self.route)}

    def fill(self, values: dict[str, object]) -> str:
        """The path with every parameter replaced by its value, percent-encoded."""
        return "/" + PARAMETER.sub(lambda m: quote(str(values[m["name"]]), safe=""), self.route)


def site_routes() -> list[Route]:
    """Every pattern of the site's URL map plus the admin's log-in page, nothing else of it."""
    routes: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            text = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if text.startswith("admin/"):
                    continue
                walk(entry, text, f"{namespace}{entry.namespace}:" if entry.namespace else "")
            elif isinstance(entry, URLPattern):
                routes.append(Route(text, f"{namespace}{entry.name or ''}"))

    walk(get_resolver(), "", "")
    routes.append(Route(ADMIN_PUBLIC.lstrip("/"), "admin:login"))
    return routes
