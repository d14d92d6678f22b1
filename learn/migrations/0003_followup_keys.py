"""Give existing follow-ups the keys the shipped lesson files use, so a reload keeps them.

Until now `load_content` recreated follow-ups from the files in file order, so a row's
(lesson slug, position) says which shipped follow-up it is. Anything else (a follow-up added
in the admin) gets `<lesson slug>-<position + 1>`, made unique within its lesson.
"""

from django.db import migrations

SHIPPED_KEYS = {
    "401-vs-403": [
        "401-vs-403-difference",
        "valid-token-role-lacks-permission",
        "github-404-for-private-repo",
        "drf-403-for-logged-out-users",
    ],
    "caching-and-conditional-requests": [
        "no-cache-vs-no-store",
        "lost-update-if-match-412",
        "fetch-sees-200-for-304",
    ],
    "client-errors": [
        "expired-jwt-answered-500",
        "410-vs-404",
        "429-in-a-script-loop",
        "409-vs-412",
    ],
    "common-mistakes": [
        "catch-all-500-expired-token",
        "200-with-error-field",
        "429-loop-over-ids",
    ],
    "gateways-and-proxies": [
        "gateway-502-what-to-check",
        "502-vs-504",
        "circuit-breaker-states",
        "504-on-post-payments",
    ],
    "handling-statuses-in-fetch": [
        "fetch-resolves-on-404-and-500",
        "react-query-success-on-500",
        "cors-hides-500-failed-to-fetch",
        "load-user-with-axios",
    ],
    "informational": [
        "no-100-continue-arrives",
        "websocket-handshake-failure",
        "1xx-never-final",
    ],
    "rate-limiting-and-backoff": [
        "why-jitter",
        "retry-after-beyond-policy",
        "which-failures-to-retry",
    ],
    "redirection": [
        "301-vs-308",
        "303-after-form-post",
        "own-if-none-match-gets-304",
    ],
    "redirects-and-methods": [
        "301-vs-308-post-body",
        "303-instead-of-200-result",
        "redirect-loop-behind-tls-proxy",
    ],
    "server-errors": [
        "502-first-checks",
        "database-down-500-or-503",
        "504-payment-retry",
    ],
    "status-codes-at-a-glance": [
        "unknown-status-471",
        "database-down-glance",
        "ignore-reason-phrase",
        "401-vs-403-glance",
    ],
    "status-codes-in-real-apis": [
        "github-404-not-403",
        "stripe-402-declined-card",
        "github-merge-errors",
    ],
    "success-codes-for-apis": [
        "202-instead-of-200",
        "201-with-location",
        "204-json-parse-error",
    ],
    "success": [
        "200-for-validation-failure",
        "206-for-range-request",
        "who-sends-203",
    ],
    "validation-errors": [
        "200-success-false",
        "end-before-start-400-or-422",
        "duplicate-email-409-or-422",
    ],
    "webhooks": [
        "bad-signature-400-not-500",
        "slow-webhook-handler",
        "duplicate-webhook-delivery",
        "unhandled-event-type",
    ],
}


def key_for(slug: str, position: int) -> str:
    """The key the shipped files give the follow-up at `position` of lesson `slug`."""
    keys = SHIPPED_KEYS.get(slug, [])
    return keys[position] if position < len(keys) else f"{slug}-{position + 1}"[:80]


def fill_keys(apps, schema_editor) -> None:
    followup_model = apps.get_model("learn", "FollowUp")
    used: set[tuple[int, str]] = set()
    rows = followup_model.objects.select_related("lesson").order_by("lesson_id", "position", "pk")
    for followup in rows:
        key = key_for(followup.lesson.slug, followup.position)
        suffix = 2
        while (followup.lesson_id, key) in used:
            key = f"{key[:75]}-{suffix}"
            suffix += 1
        used.add((followup.lesson_id, key))
        followup.key = key
        followup.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("learn", "0002_interview_fields")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
