"""Many learners answering at once through a real server: every answer kept, no 5xx.

With SQLite's defaults, a request that reads and then writes in one transaction failed with
"database is locked" on about 40 % of requests at 50 concurrent clients. The settings (WAL,
IMMEDIATE transactions, a 20 s busy timeout) must keep that at zero; on PostgreSQL too.
"""

import http.client
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie
from urllib.parse import urlencode

LEARNERS = 32
ANSWERS_EACH = 6
QUIZ = "401-vs-403"
REQUEST_TIMEOUT = 10  # seconds, each request
TEST_TIMEOUT = 20  # seconds, all learners together


class Browser:
    """One learner's browser: its own connection and cookies, CSRF token sent with each POST."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Status, Location and body of one request."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), text

    def close(self) -> None:
        self.connection.close()


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    answers_sent: int = 0
    answers_taken: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.statuses.update(other.statuses)
        self.answers_sent += other.answers_sent
        self.answers_taken += other.answers_taken
        self.problems.extend(other.problems)


def answer_for(page: str) -> dict:
    """A well-formed answer for the question on this page (right or wrong does not matter)."""
    if 'name="choice"' in page:
        return {"choice": "1"}
    if 'name="answer" value="true"' in page:
        return {"answer": "true"}
    return {"answer": "404"}


def learner(port: int, start_gate: threading.Barrier, deadline: float) -> Tally:
    """Open the quiz, start an attempt, answer ANSWERS_EACH questions; count what came back."""
    tally = Tally()
    browser = Browser(port)

    def send(method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        status, location, text = browser.request(method, path, form)
        tally.statuses[status] += 1
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR or "database is locked" in text:
            tally.problems.append(f"{method} {path}: {status} {text[:200]!r}")
        return status, location, text

    try:
        send("GET", f"/quiz/{QUIZ}/")
        start_gate.wait(timeout=REQUEST_TIMEOUT)
        status, location, _ = send("POST", f"/quiz/{QUIZ}/start/", {"mode": "practice"})
        if status != HTTPStatus.SEE_OTHER:
            tally.problems.append(f"starting the attempt answered {status}")
            return tally
        attempt = re.fullmatch(r"/quiz/attempts/(\d+)/1/", location).group(1)
        for number in range(1, ANSWERS_EACH + 1):
            if time.monotonic() > deadline:
                tally.problems.append("ran out of time")
                break
            path = f"/quiz/attempts/{attempt}/{number}/"
            _, _, page = send("GET", path)
            tally.answers_sent += 1
            status, _, _ = send("POST", path, answer_for(page))
            if HTTPStatus.OK <= status < HTTPStatus.BAD_REQUEST:
                tally.answers_taken += 1
    except OSError as error:  # a timeout or a dropped connection
        tally.problems.append(f"{type(error).__name__}: {error}")
    finally:
        browser.close()
    return tally


def test_concurrent_learners_lose_no_answers_and_get_no_5xx(site_server, site_database):
    started = time.monotonic()
    deadline = started + TEST_TIMEOUT
    gate = threading.Barrier(LEARNERS)
    total = Tally()
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        futures = [pool.submit(learner, site_server.port, gate, deadline) for _ in range(LEARNERS)]
        for future in futures:
            total.add(future.result(timeout=TEST_TIMEOUT + REQUEST_TIMEOUT))
    elapsed = time.monotonic() - started

    answers = site_database.scalar("SELECT COUNT(*) FROM quiz_answer")
    counted = site_database.scalar("SELECT SUM(answered) FROM quiz_attempt")
    attempts = site_database.scalar("SELECT COUNT(*) FROM quiz_attempt")
    server_log = site_server.log.read_text()
    summary = (
        f"{LEARNERS} learners on {site_database.vendor}, {elapsed:.1f} s: "
        f"{total.answers_sent} answers sent, {total.answers_taken} taken, {answers} rows, "
        f"statuses {dict(sorted(total.statuses.items()))}"
    )
    print(summary)
    assert not total.problems, f"{summary}\n" + "\n".join(total.problems[:10])
    assert "database is locked" not in server_log, server_log[-3000:]
    assert not [s for s in total.statuses if s >= HTTPStatus.INTERNAL_SERVER_ERROR], summary
    assert attempts == LEARNERS, summary
    assert total.answers_taken == total.answers_sent == LEARNERS * ANSWERS_EACH, summary
    assert answers == total.answers_taken, summary
    assert counted == answers, summary  # every attempt's counter matches its rows
