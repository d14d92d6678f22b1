"""Browser-test helpers: a live site with the shipped content, axe checks, request logs."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page) -> None:
    """No axe-core violation at any impact (minor included) on the page as it is now."""
    violations = _axe.run(page).response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(details)


@pytest.fixture
def site(live_server, shipped_content):
    """The live server's base URL, with the shipped content loaded."""
    return live_server.url


@pytest.fixture
def requested_hosts(page):
    """Every host the page fetches anything from (scripts, styles, images, fonts, XHR)."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts
