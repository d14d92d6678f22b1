"""A real server process on loopback, with a throwaway database of its own (SQLite or PostgreSQL).

The database the tests run on decides which: on PostgreSQL the server gets a fresh database on
the same server, created and dropped here; otherwise a SQLite file in the test's temp dir.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests import servers

MANAGE = Path(settings.BASE_DIR) / "manage.py"
SETUP_TIMEOUT = 60


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true", **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@dataclass
class SiteDatabase:
    """The server's database: its URL, and a way to run one query on it from the test."""

    url: str
    vendor: str
    path: Path | None = None  # SQLite
    params: dict | None = None  # PostgreSQL

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]

    def rows(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(**self.params) as db:
            return db.execute(sql).fetchall()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file, migrated, with the shipped content; built once, copied by each test."""
    path = tmp_path_factory.mktemp("site-template") / "site.sqlite3"
    env = server_env(f"sqlite:///{path}")
    servers.manage("migrate", "--noinput", env=env, timeout=SETUP_TIMEOUT)
    servers.manage("load_content", env=env, timeout=SETUP_TIMEOUT)
    return path


def _postgres_url(params: dict, name: str) -> str:
    user = quote(params.get("user") or "", safe="")
    password = quote(str(params.get("password") or ""), safe="")
    host = quote(params.get("host") or "", safe="")
    port = f":{params['port']}" if params.get("port") else ""
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{auth}{host}{port}/{name}"


@pytest.fixture
def site_database(request, tmp_path, django_db_blocker) -> Iterator[SiteDatabase]:
    """A throwaway database for the server process, with the schema and shipped content."""
    if connection.vendor != "postgresql":
        path = tmp_path / "site.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield SiteDatabase(url=f"sqlite:///{path}", vendor="sqlite", path=path)
        return

    import psycopg

    with django_db_blocker.unblock():
        given = connection.get_connection_params()
        name = f"{connection.settings_dict['NAME']}_site"[:63]
    params = {k: given[k] for k in ("host", "port", "user", "password") if given.get(k)}
    admin = {**params, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _postgres_url(params, name)
        env = server_env(url)
        servers.manage("migrate", "--noinput", env=env, timeout=SETUP_TIMEOUT)
        servers.manage("load_content", env=env, timeout=SETUP_TIMEOUT)
        yield SiteDatabase(url=url, vendor="postgresql", params={**params, "dbname": name})
    finally:
        with psycopg.connect(**admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    base: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    def kill(self) -> None:
        """SIGKILL gunicorn and every worker at once: a crash, not a shutdown."""
        servers.stop(self.process, sig=signal.SIGKILL)


@contextmanager
def running_site(
    site_database, tmp_path: Path, *, workers: int = 2, threads: int = 8, **env: str
) -> Iterator[Server]:
    """gunicorn on 127.0.0.1 (`workers` processes × `threads` threads), stopped at the end.

    The rate-limit counters get a file of their own in `tmp_path`.
    """
    port = servers.free_port()
    log = tmp_path / "server.log"
    env = server_env(site_database.url, RATELIMIT_DB=str(tmp_path / "ratelimit.sqlite3"), **env)
    process = servers.start_gunicorn(port, env, log, workers=workers, threads=threads)
    base = f"http://{servers.HOST}:{port}"
    try:
        try:
            servers.wait_until_up(base, process, log, timeout=15)
        except RuntimeError as error:
            pytest.fail(str(error))
        yield Server(base=base, port=port, log=log, process=process)
    finally:
        servers.stop(process)


@pytest.fixture
def site_server(site_database, tmp_path) -> Iterator[Server]:
    """gunicorn on 127.0.0.1 (2 processes × 8 threads), killed when the test ends."""
    # The limits have their own tests; here they would only hide what the database does.
    with running_site(
        site_database, tmp_path, ANSWER_RATE_LIMIT="off", ANSWER_RATE_LIMIT_PER_IP="off"
    ) as server:
        yield server
