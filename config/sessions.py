"""Sessions in the database, read through the shared cache (`SESSION_ENGINE`).

Django's `cached_db` keeps a session in the cache for as long as it lives; here a cached copy
lasts at most `CACHE_SECONDS`. The database stays the record: a session deleted while the
cache could not be told (Redis away during a log-out) is forgotten by every machine within
five minutes instead of two weeks. Reading a session then costs a file read (or a Redis round
trip) instead of a query, on every request of every visitor who has one.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

logger = logging.getLogger("django.contrib.sessions")

CACHE_SECONDS = 5 * 60


class SessionStore(CachedDBStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # an invalid key: the session is treated as new, as Django does
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        age = min(self.get_expiry_age(expiry=stored.expire_date), CACHE_SECONDS)
        self._cache.set(self.cache_key, data, age)
        return data

    def save(self, must_create: bool = False) -> None:
        super(CachedDBStore, self).save(must_create)  # the database first, as Django does
        try:
            self._cache.set(
                self.cache_key, self._session, min(self.get_expiry_age(), CACHE_SECONDS)
            )
        except Exception:  # the cache is a copy: the session is saved all the same
            logger.exception("Could not cache session %s", self.session_key)
