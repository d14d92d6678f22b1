"""Limits hold across workers and restarts: the counters are not in any one process's memory.

Before, each gunicorn worker counted in its own memory: with 4 workers a limit of 5 admitted up
to 20, a restart forgot every count, and a flood of distinct URLs evicted counters from the
local cache.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from config.ratelimit import Rate, hit
from tests.reliability.conftest import running_site

pytestmark = pytest.mark.django_db(transaction=True)
LIMITED = "/lab/api/limited?client=workers"  # 5 a minute per client


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_limit_of_5_admits_exactly_5_across_4_workers_and_a_restart(site_database, tmp_path):
    with (
        running_site(site_database, tmp_path, workers=4, threads=4) as server,
        ThreadPoolExecutor(max_workers=16) as pool,
    ):
        statuses = list(pool.map(status_of, [server.base + LIMITED] * 40))
    assert statuses.count(200) == 5
    assert statuses.count(429) == 35
    with running_site(site_database, tmp_path, workers=4, threads=4) as server:
        assert status_of(server.base + LIMITED) == 429  # a restart forgets nothing


def test_a_flood_of_cache_entries_evicts_no_counter(settings):
    rate = Rate(3, 3600)
    assert [hit("flood", rate) for _ in range(3)] == [None] * 3
    for n in range(12_000):  # more than the local cache holds (MAX_ENTRIES 5,000)
        cache.set(f"learn:page:{n}", b"x")
    assert hit("flood", rate) is not None
