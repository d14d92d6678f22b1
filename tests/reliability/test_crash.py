"""A crash loses no acknowledged write: gunicorn and all its workers killed with SIGKILL
while 20 learners answer, then every answer the server acknowledged is in the database.

An answer is acknowledged when its POST got the redirect (303) back. SQLite runs in WAL mode
with synchronous=NORMAL, which survives a process crash (an OS crash could lose the last
commits; the README says so); PostgreSQL commits durably.
"""

import json
import re
import threading
import time
from http import HTTPStatus

import pytest

from tests.reliability.conftest import running_site
from tests.reliability.test_concurrent_answers import QUIZ, Browser, answer_for

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 20
KILL_AFTER = 150  # acknowledged answers (or MAX_SECONDS, whichever comes first)
MAX_SECONDS = 20


def writer(port: int, stop: threading.Event, acknowledged: list, lock: threading.Lock) -> None:
    """Answer question after question, attempt after attempt, until the server dies."""
    browser = Browser(port)
    try:
        browser.request("GET", f"/quiz/{QUIZ}/")
        while not stop.is_set():
            status, location, _ = browser.request(
                "POST", f"/quiz/{QUIZ}/start/", {"mode": "practice"}
            )
            if status != HTTPStatus.SEE_OTHER:
                return
            attempt = int(re.fullmatch(r"/quiz/attempts/(\d+)/1/", location).group(1))
            for number in range(1, 14):
                if stop.is_set():
                    return
                path = f"/quiz/attempts/{attempt}/{number}/"
                status, _, page = browser.request("GET", path)
                if status != HTTPStatus.OK:
                    break
                status, _, _ = browser.request("POST", path, answer_for(page))
                if status == HTTPStatus.SEE_OTHER:
                    with lock:
                        acknowledged.append((attempt, number))
    except OSError:
        return  # the server was killed mid-request: that answer was never acknowledged
    finally:
        browser.close()


def test_sigkill_under_20_writers_loses_no_acknowledged_answer(site_database, tmp_path):
    acknowledged: list[tuple[int, int]] = []
    lock, stop = threading.Lock(), threading.Event()
    limits_off = {
        "ANSWER_RATE_LIMIT": "off",
        "ANSWER_RATE_LIMIT_PER_IP": "off",
        "WRITE_RATE_LIMIT": "off",
        "NEW_LEARNER_RATE_LIMIT": "off",
    }
    with running_site(site_database, tmp_path, workers=2, threads=8, **limits_off) as server:
        threads = [
            threading.Thread(target=writer, args=(server.port, stop, acknowledged, lock))
            for _ in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + MAX_SECONDS
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # mid-flight: requests are in every stage of their transactions
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    assert len(acknowledged) > 50, "the writers barely wrote: the test proves nothing"
    asked = {
        attempt: json.loads(ids) if isinstance(ids, str) else ids
        for attempt, ids in site_database.rows("SELECT id, question_ids FROM quiz_attempt")
    }
    stored = set(site_database.rows("SELECT attempt_id, question_id FROM quiz_answer"))
    lost = [
        (attempt, number)
        for attempt, number in acknowledged
        if (attempt, asked[attempt][number - 1]) not in stored
    ]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged answers were lost"
    print(f"\n{len(acknowledged)} acknowledged answers, all stored ({site_database.vendor})")
