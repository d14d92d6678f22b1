"""Every fact, scenario, mistake, example and follow-up of the seed article is taught.

Each row: the seed item, the page that teaches it, and words a learner must see there.
"""

import re
from html import unescape
from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

FACTS = [
    (
        "A status code is a three-digit number in every response",
        "/learn/status-codes-at-a-glance/",
        ["three-digit", "status line"],
    ),
    (
        "Delivery receipts: 200 delivered, 404 no such address, 500 the carrier broke it",
        "/learn/status-codes-at-a-glance/",
        ["parcel", "delivered", "No such address", "carrier broke it"],
    ),
    (
        "The first digit is the class",
        "/learn/status-codes-at-a-glance/",
        ["first digit", "1xx", "5xx"],
    ),
    (
        "4xx: fix your request; 5xx: wait or alert the server team",
        "/learn/status-codes-at-a-glance/",
        ["server team"],
    ),
    (
        "Express quick example answers 200, 404 and 500, seen with curl",
        "/learn/status-codes-at-a-glance/",
        ["curl", "res.status(404)", "HTTP/1.1 500 Internal Server Error"],
    ),
    (
        "res.status() sets the number written into the status line before headers are flushed",
        "/learn/status-codes-at-a-glance/",
        ["res.status(", "flushed"],
    ),
    ("When to use: a created resource is 201", "/learn/status-codes-at-a-glance/", ["201 Created"]),
    (
        "When to use: no valid token is 401; valid token but role lacks permission is 403",
        "/learn/401-vs-403/",
        ["role", "WWW-Authenticate", "permission"],
    ),
    (
        "When to use: database crashed is 500",
        "/learn/status-codes-at-a-glance/",
        ["database", "500 Internal Server Error"],
    ),
    (
        "When to use: planned maintenance is 503",
        "/learn/status-codes-at-a-glance/",
        ["maintenance", "503 Service Unavailable"],
    ),
    (
        "When to use: async job queued but not complete is 202",
        "/learn/success-codes-for-apis/",
        ["202 Accepted", "queue"],
    ),
    (
        "1xx is rare in practice; 100 Continue",
        "/learn/informational/",
        ["100 Continue", "Expect: 100-continue"],
    ),
    (
        "2xx: 200 OK, 201 created, 202 started but not done",
        "/learn/success/",
        ["200 OK", "201 Created", "202 Accepted"],
    ),
    (
        "3xx: 301 permanent, 302 temporary",
        "/learn/redirection/",
        ["301 Moved Permanently", "302 Found", "permanent", "temporary"],
    ),
    (
        "4xx: 400, 401, 403, 404, 429",
        "/learn/client-errors/",
        [
            "400 Bad Request",
            "401 Unauthorized",
            "403 Forbidden",
            "404 Not Found",
            "429 Too Many Requests",
        ],
    ),
    (
        "5xx: 500 generic failure, 503 temporarily unavailable",
        "/learn/server-errors/",
        ["500 Internal Server Error", "503 Service Unavailable", "Retry-After"],
    ),
    (
        "fetch(): response.ok is true only for 200-299",
        "/learn/handling-statuses-in-fetch/",
        ["response.ok", "200–299"],
    ),
    (
        "fetch() does not reject on 404 or 500",
        "/learn/handling-statuses-in-fetch/",
        ["reject", "network"],
    ),
    (
        "loadUser: 404 is a normal state (null), 401 redirects to log-in, other errors throw",
        "/learn/handling-statuses-in-fetch/",
        ["return null", "/login", "throw new Error"],
    ),
    (
        "Mistake: 200 on validation errors",
        "/learn/validation-errors/",
        ["200", "saved", "400 Bad Request", "422 Unprocessable Content"],
    ),
    (
        "Mistake: 500 for every error floods logs with false alarms",
        "/learn/common-mistakes/",
        ["false alarm", "ValidationError", "401"],
    ),
    (
        "Mistake: ignoring 429 in fetch loops",
        "/learn/rate-limiting-and-backoff/",
        ["Retry-After", "jitter", "2 **"],
    ),
    (
        "Anecdote: ~1000 GitHub API calls without backoff, IP blocked in under 30 s",
        "/learn/rate-limiting-and-backoff/",
        ["thousand GitHub API calls", "blocked"],
    ),
    (
        "Real APIs: Express res.status(201).json(user) after POST /users",
        "/learn/status-codes-in-real-apis/",
        ["res.status(201).json("],
    ),
    (
        "Real APIs: React Query throws on !res.ok inside queryFn",
        "/learn/status-codes-in-real-apis/",
        ["queryFn", "!res.ok"],
    ),
    (
        "Real APIs: Next.js answers 401 with a JSON error in middleware",
        "/learn/status-codes-in-real-apis/",
        ["Next.js", "middleware", "401"],
    ),
    (
        "Real APIs: Stripe 200 on success, 402 when a valid request fails",
        "/learn/status-codes-in-real-apis/",
        ["Stripe", "402 Payment Required", "declined"],
    ),
    (
        "GitHub: 404 missing repo; 422 validation; 405 unmergeable PR; 409 stale SHA",
        "/learn/status-codes-in-real-apis/",
        [
            "GitHub",
            "404 Not Found",
            "422 Unprocessable Content",
            "405 Method Not Allowed",
            "409 Conflict",
        ],
    ),
    ("Follow-up: 401 vs 403", "/learn/401-vs-403/", ["difference between 401 and 403"]),
    (
        "Follow-up: 202 instead of 200",
        "/learn/success-codes-for-apis/",
        ["202 instead of 200", "poll"],
    ),
    (
        "Follow-up: 301 vs 308",
        "/learn/redirects-and-methods/",
        ["301 and 308", "308 Permanent Redirect", "POST"],
    ),
    (
        "Follow-up: a gateway returns 502, what to check first",
        "/learn/gateways-and-proxies/",
        ["502 Bad Gateway", "upstream", "logs", "timeout", "circuit breaker"],
    ),
    (
        "Webhook: verify signature, 400 on a bad one (not 500), 200 once processed",
        "/learn/webhooks/",
        ["signature", "400 Bad Request", "200 OK", "not 500"],
    ),
    ("Stripe's 402 on the reference page", "/codes/402/", ["Stripe", "declined"]),
    ("GitHub hides private repositories behind 404", "/codes/403/", ["GitHub", "404"]),
]


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).lower()


@pytest.mark.parametrize("fact,path,words", FACTS, ids=[row[0][:60] for row in FACTS])
def test_seed_fact_is_taught(client, fact, path, words):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    text = visible_text(response.text)
    missing = [word for word in words if word.lower() not in text]
    assert not missing, f"{path} should teach: {fact}; missing {missing}"
