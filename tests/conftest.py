"""Shared test set-up: plain static storage, Playwright on Debian's Chromium, and tests/cluster
only when asked for (`make test-cluster`: `pytest --cluster tests/cluster`)."""

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


def pytest_addoption(parser):
    parser.addoption(
        "--cluster",
        action="store_true",
        help="also run the tests marked cluster (nginx, Redis, PostgreSQL, two nodes): "
        "make test-cluster",
    )


def pytest_collection_modifyitems(config, items):
    """Without --cluster, the cluster tests are deselected (never collected as skipped)."""
    if config.getoption("--cluster"):
        return
    cluster = [item for item in items if item.get_closest_marker("cluster")]
    if cluster:
        config.hook.pytest_deselected(items=cluster)
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run with debug off; serve static files without the collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped content, loaded once into the test database; its rows, kept for reloads."""
    with django_db_blocker.unblock():
        call_command("load_content", stdout=StringIO())
        return _content_rows()


@pytest.fixture
def shipped_content(db, django_db_setup):
    """The shipped content, for tests whose database was flushed (live_server, transactional):
    the rows `load_content` wrote at the start, inserted again (milliseconds, not seconds)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:  # foreign keys checked at the end
        for table, columns, rows in django_db_setup:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            if rows and not cursor.fetchone()[0]:
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), _content_models()):
            cursor.execute(sql)


def _content_models() -> list:
    """The content's models, parents before children, and their many-to-many tables."""
    from learn.models import FollowUp, Lesson, StatusCode
    from quiz.models import Choice, Question, Quiz

    models = [StatusCode, Lesson, FollowUp, Question, Choice, Quiz]
    through = [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return models + through


def _content_rows() -> list[tuple[str, list[str], list[tuple]]]:
    from django.db import connection

    tables = []
    with connection.cursor() as cursor:
        for model in _content_models():
            table = model._meta.db_table
            columns = [field.column for field in model._meta.concrete_fields]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {names} FROM {table}")
            tables.append((table, columns, cursor.fetchall()))
    return tables


@pytest.fixture(scope="session")
def _ratelimit_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ratelimit") / "ratelimit.sqlite3"


@pytest.fixture(autouse=True)
def _fresh_cache(settings, _ratelimit_db):
    """Each test starts with empty caches (the shared one too) and no rate-limit windows."""
    from django.core.cache import caches

    from config.ratelimit import counters

    settings.RATELIMIT_DB = _ratelimit_db
    for alias in ("default", "shared", "local"):
        caches[alias].clear()
    counters.reset()
    yield
    for alias in ("default", "shared", "local"):
        caches[alias].clear()
    counters.reset()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def shared_cache(settings):
    """A cache every process shares, as SQLite's file or Redis gives one, where the
    configuration has none (PostgreSQL without REDIS_URL keeps nothing per learner): for the
    tests of what is kept, sessions read through it included."""
    if settings.CACHES["shared"]["BACKEND"].endswith("DummyCache"):
        shared = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
        settings.CACHES = {**settings.CACHES, "shared": shared}
        settings.SESSION_ENGINE = "config.sessions"
        settings.SESSION_CACHE_ALIAS = "shared"
