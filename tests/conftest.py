"""Shared test set-up: plain static storage, Playwright on Debian's Chromium."""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls
# from it when the browser tests use live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run with debug off; serve static files without the collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped content, loaded once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_content", stdout=StringIO())


@pytest.fixture
def shipped_content(db):
    """The shipped content, for tests whose database was flushed (live_server, transactional)."""
    call_command("load_content", stdout=StringIO())


@pytest.fixture(scope="session")
def _ratelimit_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ratelimit") / "ratelimit.sqlite3"


@pytest.fixture(autouse=True)
def _fresh_cache(settings, _ratelimit_db):
    """Each test starts with an empty cache and no rate-limit windows."""
    from django.core.cache import cache

    from config.ratelimit import counters

    settings.RATELIMIT_DB = _ratelimit_db
    cache.clear()
    counters.reset()
    yield
    cache.clear()
    counters.reset()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
