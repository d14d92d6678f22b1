"""The shared cache of a one-machine site: a small SQLite file every worker process opens.

What one process writes there (a session, a learner's version) the others read at once,
which a per-process memory cache cannot do; a read or a write costs tens of microseconds, as
Redis's round trip would. It is a cache: it skips fsync, and losing it loses nothing (the
sessions' record is the database; a learner's version is made anew). Its lock is its own, so
it never waits on the site's database. `CACHES["shared"]` (config/settings.py) uses it unless
REDIS_URL is set.
"""

import pickle
import random
import sqlite3
import threading
import time
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


class SQLiteCache(BaseCache):
    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS cache_entry "
        "(key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL) WITHOUT ROWID"
    )
    SWEEP_ONE_IN = 1000  # now and then a write also forgets expired entries

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._path = str(location)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(self.SCHEMA)
            self._local.connection = connection
        return connection

    def _expiry(self, timeout) -> float | None:
        """When an entry set now with `timeout` expires (Django's rule: None never, 0 at once)."""
        return self.get_backend_timeout(timeout)

    def _key(self, key: str, version) -> str:
        key = self.make_key(key, version)
        self.validate_key(key)
        return key

    def get(self, key, default=None, version=None):
        row = (
            self._connection()
            .execute(
                "SELECT value FROM cache_entry WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (self._key(key, version), time.time()),
            )
            .fetchone()
        )
        return default if row is None else pickle.loads(row[0])  # noqa: S301 (our own writes)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._write(
            "INSERT INTO cache_entry (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (self._key(key, version), pickle.dumps(value), self._expiry(timeout)),
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Set the value unless the key holds an unexpired one; whether it was set."""
        return bool(
            self._write(
                "INSERT INTO cache_entry (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "expires = excluded.expires WHERE cache_entry.expires <= ?",
                (self._key(key, version), pickle.dumps(value), self._expiry(timeout), time.time()),
            )
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return bool(
            self._write(
                "UPDATE cache_entry SET expires = ? WHERE key = ?",
                (self._expiry(timeout), self._key(key, version)),
            )
        )

    def delete(self, key, version=None) -> bool:
        return bool(
            self._write("DELETE FROM cache_entry WHERE key = ?", (self._key(key, version),))
        )

    def has_key(self, key, version=None) -> bool:
        return self.get(key, None, version) is not None

    def clear(self) -> None:
        self._write("DELETE FROM cache_entry", ())

    def _write(self, sql: str, params: tuple) -> int:
        connection = self._connection()
        changed = connection.execute(sql, params).rowcount
        if random.randrange(self.SWEEP_ONE_IN) == 0:  # noqa: S311 (not security)
            connection.execute("DELETE FROM cache_entry WHERE expires <= ?", (time.time(),))
        return changed

    def close(self, **kwargs) -> None:
        """Kept open across requests (Django calls this after each one)."""
