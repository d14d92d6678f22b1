"""backup_db: a consistent copy of the SQLite database while something keeps writing to it."""

import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.reliability.conftest import MANAGE, server_env


class Writer(threading.Thread):
    """Commits numbered rows, one transaction each, until told to stop."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.written = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with sqlite3.connect(self.path, timeout=20, isolation_level=None) as db:
            while not self.stop.is_set():
                db.execute("INSERT INTO writes (n) VALUES (?)", (self.written + 1,))
                self.written += 1


def test_backup_while_the_site_writes_is_consistent(tmp_path, sqlite_template):
    site = tmp_path / "site.sqlite3"
    shutil.copyfile(sqlite_template, site)
    with sqlite3.connect(site) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        db.execute("CREATE TABLE writes (n INTEGER PRIMARY KEY)")
        questions = db.execute("SELECT COUNT(*) FROM quiz_question").fetchone()[0]
    writer = Writer(site)
    writer.start()
    while writer.written < 50:
        time.sleep(0.01)
    target = tmp_path / "backups" / "copy.sqlite3"
    command = [sys.executable, str(MANAGE), "backup_db", str(target)]
    env = server_env(f"sqlite:///{site}")
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    finally:
        writer.stop.set()
        writer.join(timeout=10)

    assert done.returncode == 0, done.stderr
    assert f"to {target}" in done.stdout and "integrity check ok" in done.stdout
    assert f"{target.stat().st_size:,} bytes" in done.stdout
    assert not target.with_name("copy.sqlite3-wal").exists()
    with sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM quiz_question").fetchone()[0] == questions
        count, highest = copy.execute("SELECT COUNT(*), MAX(n) FROM writes").fetchone()
    # A snapshot: every row committed before it, none torn, nothing after it.
    assert 50 <= count == highest <= writer.written

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_backup_refuses_a_database_it_cannot_copy(tmp_path):
    """The tests' own database: SQLite in memory, or PostgreSQL (use pg_dump)."""
    expected = "in memory" if connection.vendor == "sqlite" else "pg_dump"
    with pytest.raises(CommandError, match=expected):
        call_command("backup_db", str(tmp_path / "copy.sqlite3"))
    assert not (tmp_path / "copy.sqlite3").exists()
