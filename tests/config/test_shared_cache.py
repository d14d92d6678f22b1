"""The shared cache of a one-machine site (a SQLite file every worker opens), and sessions
read through it: what one process writes another reads, expiry holds, and the database
stays the record of a session."""

import subprocess
import sys
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from config.sessions import CACHE_SECONDS
from config.settings import BASE_DIR
from config.sqlitecache import SQLiteCache

PASSWORD = "a long enough passphrase 7"


ANOTHER_PROCESS = (
    "import sys; from config.sqlitecache import SQLiteCache; "
    "SQLiteCache(sys.argv[1], {}).set('from-there', {'n': 1}, 60)"
)


def test_what_one_process_writes_another_reads_and_expiry_holds(tmp_path):
    path = str(tmp_path / "cache.sqlite3")
    here = SQLiteCache(path, {})
    subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS, path], check=True, timeout=60, cwd=BASE_DIR
    )
    assert here.get("from-there") == {"n": 1}
    assert here.add("from-there", "no") is False and here.get("from-there") == {"n": 1}
    here.set("soon", "gone", 5)
    with time_machine.travel(timezone.now() + timedelta(seconds=6), tick=False):
        assert here.get("soon") is None
        assert here.add("soon", "again", 5) is True and here.get("soon") == "again"
    here.set("never", "kept", None)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert here.get("never") == "kept"
    assert here.delete("never") is True and here.get("never", "default") == "default"
    here.set("at-once", "x", 0)
    assert here.get("at-once") is None
    here.clear()
    assert here.get("from-there") is None


@pytest.fixture
def cached_sessions(settings, tmp_path):
    """Sessions read through a shared SQLite cache, as on SQLite; on PostgreSQL too."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "config.sqlitecache.SQLiteCache", "LOCATION": tmp_path / "c.db"},
    }
    settings.SESSION_ENGINE = "config.sessions"
    settings.SESSION_CACHE_ALIAS = "shared"


@pytest.mark.django_db
def test_a_session_is_read_from_the_cache_but_the_database_stays_its_record(
    cached_sessions, client
):
    """A session deleted in the database while the cache kept it (a log-out on a machine that
    could not reach Redis) is gone everywhere within CACHE_SECONDS; a log-out deletes both."""
    get_user_model().objects.create_user("ada", password=PASSWORD)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        login = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
        assert login.status_code == HTTPStatus.FOUND
        key = client.cookies["sessionid"].value
        Session.objects.filter(session_key=key).delete()
        assert client.get("/progress/").context["user"].is_authenticated  # the cached copy
    with time_machine.travel(now + timedelta(seconds=CACHE_SECONDS + 1), tick=False):
        assert not client.get("/progress/").context["user"].is_authenticated
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert caches["shared"].get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.post("/accounts/logout/").status_code == HTTPStatus.FOUND
    assert caches["shared"].get(f"django.contrib.sessions.cached_db{key}") is None
