"""The shipped interview material: follow-up keys, short answers and rubrics."""

import importlib
import re

import pytest

from learn.models import FollowUp, Lesson
from learn.rubric import found_points, problems
from tests.learn.test_lessons import REQUIRED_LESSONS

pytestmark = pytest.mark.django_db

KEYS_MIGRATION = importlib.import_module("learn.migrations.0003_followup_keys")


def test_every_follow_up_key_is_unique_across_the_site():
    keys = list(FollowUp.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 57
    assert all(keys)


def test_the_key_migration_gives_existing_rows_the_keys_the_files_use():
    """Rows made by the old loader sat at their file position; 0003 names them the same."""
    for lesson in Lesson.objects.prefetch_related("followups"):
        for position, followup in enumerate(lesson.followups.all()):
            assert KEYS_MIGRATION.key_for(lesson.slug, position) == followup.key


def sentences(text: str) -> list[str]:
    """Split after . ! or ? (and a closing quote or bracket) before a non-lower-case word."""
    return [s for s in re.split(r"(?<=[.!?])[\"”)]?\s+(?=[^a-z\s])", text.strip()) if s]


@pytest.mark.parametrize("slug", REQUIRED_LESSONS)
def test_every_lesson_has_a_short_answer_of_two_to_four_sentences(slug):
    short_answer = Lesson.objects.get(slug=slug).short_answer
    assert 2 <= len(sentences(short_answer)) <= 4, sentences(short_answer)
    assert 50 <= len(short_answer.split()) <= 110  # 20–40 seconds spoken


def test_the_sentence_counter_counts_sentences():
    assert len(sentences('One. Two? "Three." [[404]] four! 5xx five.')) == 5
    assert len(sentences("Use `fetch()`, e.g. in a browser. Then stop.")) == 2


def test_the_lesson_page_shows_the_short_answer_in_a_labelled_box(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    html = client.get(lesson.get_absolute_url()).text
    box = html[html.index('<section class="short-answer"') :]
    box = box[: box.index("</section>")]
    assert '<h2 id="short-answer-title">Interview-ready answer</h2>' in box
    assert 'aria-labelledby="short-answer-title"' in box
    assert '<a class="code-ref" href="/codes/401/">401 Unauthorized</a>' in box
    assert "logging in again as the same user will not help" in box
    assert '<a href="#short-answer">Interview-ready answer</a>' in html
    assert html.index('id="short-answer"') < html.index('id="follow-ups"')


def test_a_lesson_without_a_short_answer_shows_no_box(client):
    lesson = Lesson.objects.get(slug="401-vs-403")
    lesson.short_answer = ""
    lesson.save()
    html = client.get(lesson.get_absolute_url()).text
    assert "short-answer" not in html


# Rubrics --------------------------------------------------------------------------------------


def all_followups() -> list[FollowUp]:
    return list(FollowUp.objects.select_related("lesson").order_by("lesson__position", "position"))


def test_every_follow_up_has_a_valid_rubric_of_two_to_five_points():
    followups = all_followups()
    assert len(followups) == 57
    for followup in followups:
        assert problems(followup.rubric) == [], followup.key
        assert 2 <= len(followup.rubric) <= 5


def test_every_model_answer_makes_every_point_of_its_rubric():
    missing = [
        f"{followup.key}: {point['point']}"
        for followup in all_followups()
        for point, found in zip(
            followup.rubric, found_points(followup.answer, followup.rubric), strict=True
        )
        if not found
    ]
    assert missing == []


def point(key: str, starts: str) -> dict:
    """The point of follow-up `key` whose text starts with `starts`."""
    rubric = FollowUp.objects.get(key=key).rubric
    (found,) = [item for item in rubric if item["point"].startswith(starts)]
    return found


WRONG_ANSWERS = [
    # (follow-up, the point it must NOT make, a wrong answer)
    (
        "401-vs-403-difference",
        "401: the request has no valid",
        "401 means forbidden, the user lacks permission.",
    ),
    ("401-vs-403-difference", "a 401 must carry", "401 is when the role is not allowed to do it."),
    (
        "401-vs-403-glance",
        "401: the request has no valid",
        "A 401 says the user may not access this resource.",
    ),
    (
        "valid-token-role-lacks-permission",
        "answer 403",
        "401 Unauthorized, since the role is not authorized.",
    ),
    ("301-vs-308", "both are permanent", "Both are temporary redirects; only the method differs."),
    ("301-vs-308", "a 308 keeps the method", "Both turn the POST into a GET."),
    ("502-vs-504", "504: the upstream did not", "504 means the upstream sent back garbage."),
    (
        "no-cache-vs-no-store",
        "no-store: the response must",
        "no-store means the browser must revalidate first.",
    ),
    (
        "which-failures-to-retry",
        "retry 502, 504 and network",
        "Retry every error immediately, as fast as possible.",
    ),
    (
        "fetch-resolves-on-404-and-500",
        "fetch() rejects only",
        "fetch() throws on any 404 or 500, so catch it.",
    ),
    ("206-for-range-request", "with Content-Range", "Answer 200 OK with the first 1024 bytes."),
    ("201-with-location", "answer 201", "Answer 200 OK with the user in the body."),
    ("201-with-location", "send a Location header", "Answer 200 OK with the user in the body."),
    (
        "bad-signature-400-not-500",
        "nothing on your server broke",
        "Answer 500, the verification crashed.",
    ),
    ("why-jitter", "the synchronised retries hit", "Jitter makes each retry faster."),
    ("unknown-status-471", "treat it as 400", "Treat it as a 500 server error."),
    ("1xx-never-final", "a 1xx is interim", "Yes, a 102 can be the last response."),
    ("410-vs-404", "410 when you know", "410 is for a resource that moved temporarily."),
]


# A learner's own wording: (follow-up, an answer that makes every point of its rubric)
GOOD_ANSWERS = [
    (
        "401-vs-403-difference",
        "401 is when you're not logged in or your token expired, and the server sends "
        "WWW-Authenticate. 403 is when you're logged in but don't have permission; logging in"
        " again won't fix it.",
    ),
    (
        "502-vs-504",
        "502 Bad Gateway means the proxy got an invalid response from upstream; 504 Gateway "
        "Timeout means upstream didn't respond in time, so it may have actually processed the"
        " request.",
    ),
    (
        "why-jitter",
        "Without jitter all clients retry at the same time and overload the server again. "
        "Randomness spreads them out.",
    ),
    (
        "201-with-location",
        "Return 201 Created with a Location header pointing to /users/123 and the created "
        "user in the response body.",
    ),
    (
        "no-cache-vs-no-store",
        "no-cache means the cache must revalidate with the server before using the cached "
        "copy; no-store means it must not be stored anywhere, used for sensitive data.",
    ),
    (
        "which-failures-to-retry",
        "Retry 429 and 503 after Retry-After, 502/504 and network errors only if the request "
        "is idempotent, never 4xx errors like 400 or 404.",
    ),
    (
        "303-after-form-post",
        "303 See Other, so the browser follows with a GET and refreshing doesn't resubmit the"
        " form; that's post-redirect-get. 302 only works because browsers happen to switch to"
        " GET, and 307 would repeat the POST.",
    ),
    (
        "fetch-resolves-on-404-and-500",
        "fetch only rejects on network errors; an HTTP error is still a valid response so it "
        "resolves. Whether a 404 is an error is up to your app, so check response.ok.",
    ),
    (
        "duplicate-webhook-delivery",
        "Webhooks are delivered at least once, so store the event id with a unique constraint"
        " and ignore duplicates; make processing idempotent.",
    ),
    (
        "504-on-post-payments",
        "No, the gateway just timed out; the payment may have gone through. POST isn't "
        "idempotent, so only retry with an idempotency key or check the status of the payment"
        " first.",
    ),
    (
        "206-for-range-request",
        "206 Partial Content with Content-Range: bytes 0-1023/146515 and the first 1024 "
        "bytes. If the server doesn't support ranges it can send 200 with the full file, and "
        "an invalid range gets 416.",
    ),
    (
        "expired-jwt-answered-500",
        "The JWT library threw an exception that wasn't caught so it became a 500. It should "
        "be a 401 with a WWW-Authenticate header, because otherwise on-call gets alerted and "
        "the frontend doesn't know to refresh the token.",
    ),
    (
        "circuit-breaker-states",
        "Closed lets requests through and counts failures, open fails fast after too many "
        "failures, half-open lets a test request through after a timeout to decide whether to"
        " close again.",
    ),
    (
        "lost-update-if-match-412",
        "Use ETags with If-Match: the second save has a stale ETag and gets 412 Precondition "
        "Failed, then the client refetches and merges. Return 428 if If-Match is missing.",
    ),
    (
        "stripe-402-declined-card",
        "402 is reserved for future use in the spec, but Stripe uses it for a request that "
        "failed even though the parameters were valid, like a declined card. Look at the "
        "error code in the body.",
    ),
    (
        "valid-token-role-lacks-permission",
        "403 Forbidden: they're authenticated but not authorized. A 401 would make the client"
        " think the token is bad and log the user out for nothing. You could also return 404 "
        "to hide that the invoice exists.",
    ),
    (
        "github-404-for-private-repo",
        "Returning 403 would reveal that the private repo exists. The spec allows answering "
        "404 instead to hide it. The downside is that it's confusing when your token just "
        "lacks a scope.",
    ),
    (
        "drf-403-for-logged-out-users",
        "DRF only returns 401 when the first authentication class provides a WWW-Authenticate"
        " header; SessionAuthentication doesn't, so you get 403. Put TokenAuthentication "
        "first.",
    ),
    (
        "fetch-sees-200-for-304",
        "Nothing is broken: the browser cache revalidated and fetch gives you the cached "
        "response as a 200. You'd only see the 304 if you sent If-None-Match yourself.",
    ),
    (
        "410-vs-404",
        "410 Gone is for things removed permanently, like a deleted account; it tells search "
        "engines to drop the URL. If you're not sure it's permanent, use 404.",
    ),
    (
        "409-vs-412",
        "409 Conflict is when the request conflicts with the current state of the resource, "
        "like a duplicate. 412 is when a precondition header like If-Match fails. In both "
        "cases the client should refetch and try again.",
    ),
    (
        "200-with-error-field",
        "Everything else only looks at the status code: response.ok is true, React Query "
        "treats it as success, monitoring counts it as a success and caches may store it. "
        "Return a proper 4xx or 5xx with the details in the body.",
    ),
    (
        "gateway-502-what-to-check",
        "Check whether the upstream service is up and reachable, look at the logs of the "
        "gateway and the service, compare timeouts and keep-alive settings, and add a circuit"
        " breaker.",
    ),
    (
        "react-query-success-on-500",
        "The queryFn doesn't check res.ok, so the JSON of the error becomes the data. Throw "
        "an error when the response isn't ok. Note React Query retries 3 times by default.",
    ),
    (
        "cors-hides-500-failed-to-fetch",
        "The 500 response is missing the CORS headers like Access-Control-Allow-Origin, so "
        "the browser blocks it and fetch fails with a network error; you can't see the "
        "status. Add the CORS headers to error responses too.",
    ),
    (
        "load-user-with-axios",
        "axios throws for non-2xx statuses, so the 404 and 401 handling moves to the catch "
        "block using error.response.status; if there's no error.response it was a network "
        "error. Or use validateStatus.",
    ),
    (
        "no-100-continue-arrives",
        "It shouldn't wait forever; after a short timeout it should just start sending the "
        "body, since some proxies never forward the 100. If the server sends a final status "
        "like 413 first, don't send the body.",
    ),
    (
        "websocket-handshake-failure",
        "The browser doesn't expose the HTTP status of a failed handshake, you only get a "
        "1006 close. Check the network tab in devtools or reproduce it with curl. Success "
        "would be 101 Switching Protocols.",
    ),
    (
        "retry-after-beyond-policy",
        "Honour the server and wait the full 120 seconds, or give up and report the error. "
        "Retrying after 30 seconds will just get another 429 and might get you banned.",
    ),
    (
        "301-vs-308",
        "Both are permanent redirects. With 301 the browser may change a POST into a GET, "
        "with 308 it must keep the method and body. Use 308 when moving an API endpoint that "
        "takes POST.",
    ),
    (
        "own-if-none-match-gets-304",
        "No, 304 Not Modified means your cached copy is still valid; there's no body, and "
        "response.ok is false so handle 304 before your error check.",
    ),
    (
        "redirect-loop-behind-tls-proxy",
        "The proxy terminates TLS and forwards plain HTTP, so the app thinks the request is "
        "insecure and redirects to HTTPS again, forever. Configure it to trust "
        "X-Forwarded-Proto, like SECURE_PROXY_SSL_HEADER in Django.",
    ),
    (
        "database-down-500-or-503",
        "If the failure is unexpected, a 500 is fine. If it's a known temporary outage like "
        "maintenance, return 503 with Retry-After, and have the readiness probe fail so the "
        "load balancer stops sending traffic.",
    ),
    (
        "ignore-reason-phrase",
        "It's not reliable: clients should ignore it, HTTP/2 doesn't even send it so "
        "statusText is empty, and proxies can rewrite it. Compare response.status, the "
        "number.",
    ),
    (
        "github-merge-errors",
        "405 means the PR can't be merged, 409 means the head SHA you sent is stale, 422 is a"
        " validation failure, and 403 or 429 with x-ratelimit-remaining 0 means you're rate "
        "limited.",
    ),
    (
        "202-instead-of-200",
        "When the work is queued and not finished yet, like generating a report. The client "
        "polls a status URL or gets a webhook, and the job could still fail.",
    ),
    (
        "204-json-parse-error",
        "The server returned 204 No Content, which has no body, and response.json() fails on "
        "an empty body. Check for 204 before parsing.",
    ),
    (
        "200-for-validation-failure",
        "response.ok will be true, so the client thinks it worked and the data was saved when"
        " nothing was; dashboards and caches see success too. Return 400 or 422 with the "
        "field errors.",
    ),
    (
        "who-sends-203",
        "A proxy that transforms the response, for example recompressing images, can change a"
        " 200 into 203 so clients know the content was modified. It's only used instead of "
        "200.",
    ),
    (
        "end-before-start-400-or-422",
        "422 Unprocessable Content fits best because the JSON is well-formed but semantically"
        " invalid. 400 is also acceptable and DRF uses it. Be consistent, document it, and "
        "say which field failed.",
    ),
    (
        "duplicate-email-409-or-422",
        "409 Conflict fits because the account already exists; 422 treats it as a validation "
        "error on the email field. Pick one and document it, and watch out for account "
        "enumeration.",
    ),
    (
        "bad-signature-400-not-500",
        "Nothing broke on our side, the request is bad, so 400. A 500 would page on-call for "
        "what might be an attacker and blame our server for a delivery that can never verify. "
        "Stripe retries any non-2xx anyway.",
    ),
    (
        "slow-webhook-handler",
        "The sender times out (GitHub after 10 seconds), marks the delivery as failed and "
        "retries, so you process it twice. Queue the work, respond 200 right away, and "
        "process it in a background job.",
    ),
    (
        "unhandled-event-type",
        "Return 200 to acknowledge it; an error would make the sender keep retrying. Better, "
        "only subscribe to events you handle.",
    ),
    (
        "1xx-never-final",
        "No, 1xx responses are informational and interim; there is always a final 2xx to 5xx "
        "response. With 101 the connection switches to another protocol like WebSocket.",
    ),
    (
        "unknown-status-471",
        "Treat it as 400 Bad Request, since clients must handle unknown codes as the x00 of "
        "the class; so it's a client error.",
    ),
    (
        "catch-all-500-expired-token",
        "Everything becomes a 500, so on-call gets paged for expired tokens, the frontend "
        "can't tell it should refresh the token, and retry logic keeps retrying because 5xx "
        "looks transient. Map it to 401.",
    ),
]


@pytest.mark.parametrize("key, answer", GOOD_ANSWERS)
def test_a_good_answer_in_other_words_makes_every_point(key, answer):
    rubric = FollowUp.objects.get(key=key).rubric
    found = found_points(answer, rubric)
    assert [p["point"] for p, hit in zip(rubric, found, strict=True) if not hit] == []


@pytest.mark.parametrize("key, starts, answer", WRONG_ANSWERS)
def test_a_wrong_answer_does_not_make_the_point(key, starts, answer):
    assert found_points(answer, [point(key, starts)]) == [False]


def test_an_empty_answer_makes_no_point():
    for followup in all_followups():
        assert not any(found_points("", followup.rubric)), followup.key
        assert not any(found_points("  ...  ", followup.rubric)), followup.key
