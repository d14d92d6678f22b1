"""No one loses their progress by time, and no one can lock others out (issue 13, items 4–11).

Sessions slide; the log-in lockout is per account and address; one address function serves
every limit; anonymous writes are limited and stale anonymous learners can be pruned; hostile
YAML gets a 400 fast; HEAD works wherever GET does; NUL bytes get a 400; deleting an account
leaves no log-in records behind, and the export holds the account.
"""

import json
import time
from datetime import timedelta
from html import unescape
from http import HTTPStatus

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from config.ratelimit import client_ip
from quiz.models import Answer, Attempt
from quiz.progress.models import Learner
from tests.security.routes import site_routes

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-battery-staple-42"
LESSON = "401-vs-403"


# 4. Sessions slide -------------------------------------------------------------------------


def test_an_anonymous_learner_who_keeps_coming_back_keeps_their_progress(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.post(f"/progress/lessons/{LESSON}/", {"done": "1"}).status_code == 303
    for days in (10, 20, 30):  # each visit within two weeks of the last
        with time_machine.travel(start + timedelta(days=days), tick=False):
            assert client.get("/progress/").status_code == HTTPStatus.OK
            assert Learner.objects.get().completions.count() == 1
            assert client.get(f"/learn/{LESSON}/").context["learning"].done_lessons
    assert Learner.objects.get().last_seen == (start + timedelta(days=30)).date()


def test_a_learner_away_longer_than_the_session_age_starts_afresh(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(f"/progress/lessons/{LESSON}/", {"done": "1"})
    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert not client.get(f"/learn/{LESSON}/").context["learning"].done_lessons


def test_a_page_view_renews_the_session_at_most_once_a_day(client, django_assert_num_queries):
    client.post(f"/progress/lessons/{LESSON}/", {"done": "1"})
    client.get("/progress/")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        from django.contrib.sessions.models import Session

        before = Session.objects.get().expire_date
        client.get("/progress/")
        assert Session.objects.get().expire_date == before  # same day: no write


# 5. Lockout by account and address; the client address --------------------------------------


@pytest.fixture
def alice_and_bob(db):
    return (
        User.objects.create_user("alice", password=PASSWORD),
        User.objects.create_user("bob", password=PASSWORD),
    )


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_for_alice_never_lock_bob_out(alice_and_bob):
    attacker = Client()
    for _ in range(6):
        log_in(attacker, "alice", "wrong")
    assert log_in(Client(), "alice", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert log_in(Client(), "bob", PASSWORD).status_code == HTTPStatus.FOUND
    # Alice herself, from her own network, is not locked out by someone else's guessing.
    assert log_in(Client(), "alice", PASSWORD, address="10.9.9.9").status_code == HTTPStatus.FOUND


def test_the_admin_log_in_is_not_locked_for_other_accounts(alice_and_bob):
    User.objects.create_superuser("root", password=PASSWORD)
    for _ in range(6):
        Client().post(
            "/admin/login/", {"username": "alice", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("hops", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.9", "10.0.0.9"),  # no proxy trusted: the header is ignored
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.9", "1.2.3.4"),  # nginx appended the real client
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "10.0.0.9", "1.2.3.4"),  # CDN, then nginx
        (1, "", "10.0.0.9", "10.0.0.9"),  # no header: the peer
        (1, "not-an-address", "10.0.0.9", "10.0.0.9"),
        (3, "1.2.3.4", "10.0.0.9", "1.2.3.4"),  # fewer hops than proxies: the furthest known
        (1, "", "", "0.0.0.0"),  # a Unix socket, no header: an address PostgreSQL takes
        (0, "", "", "0.0.0.0"),  # an in-process request (force_login) too
    ],
)
def test_the_client_address_trusts_only_our_proxies(settings, hops, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_lockout_uses_the_same_address_as_the_limits(settings, alice_and_bob):
    """Behind one proxy, a guesser at one address does not lock out the proxy's other users."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        Client().post(
            "/accounts/login/",
            {"username": "alice", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    response = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == HTTPStatus.FOUND


# 6. Hostile YAML in the admin import --------------------------------------------------------

HOSTILE = {
    "alias bomb": (
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(
            f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "questions: *i\n",
        "anchors (&a) are not allowed",
    ),
    "huge number": ("questions:\n  - slug: x\n    answer: " + "9" * 5000 + "\n", "5,000 digits"),
    "deep nesting": ("questions: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML"),
    "deep mappings": (
        "questions:\n" + "".join("  " * i + f"  k{i}:\n" for i in range(40)) + "\n",
        "nested more than 20 levels",
    ),
    "tagged value": ("questions:\n  - slug: !!binary aGk=\n", "tags such as"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml_gets_a_clear_400_within_a_second(admin_client, case):
    text, message = HOSTILE[case]
    started = time.monotonic()
    response = admin_client.post(
        "/admin/quiz/question/import/", {"text": text, "name": f"{case}.yaml"}
    )
    assert time.monotonic() - started < 1
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in unescape(response.text)


def test_an_uploaded_bomb_gets_the_same_400(admin_client):
    text, message = HOSTILE["alias bomb"]
    upload = SimpleUploadedFile("bomb.yaml", text.encode(), content_type="application/yaml")
    response = admin_client.post("/admin/quiz/question/import/", {"file": upload})
    assert response.status_code == HTTPStatus.BAD_REQUEST and message in unescape(response.text)


def test_oversized_pasted_text_is_refused_like_an_oversized_upload(admin_client):
    text = "questions:\n" + "# padding\n" * 110_000  # 1.1 MB
    started = time.monotonic()
    response = admin_client.post("/admin/quiz/question/import/", {"text": text, "name": "big.yaml"})
    assert time.monotonic() - started < 1
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "big.yaml is too large" in response.text


def test_a_slug_that_looks_like_a_date_is_text(admin_client):
    text = (
        "questions:\n  - slug: 2001-13-45\n    type: code\n    prompt: Created?\n"
        "    answer: 201\n    explanation: 201 Created.\n"
    )
    response = admin_client.post("/admin/quiz/question/import/", {"text": text, "name": "d.yaml"})
    assert response.status_code == HTTPStatus.OK
    assert "Dry run of d.yaml" in response.text
    assert response.context["results"][0].created == 1


def test_the_cli_refuses_hostile_yaml_with_the_problem(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(HOSTILE["alias bomb"][0])
    with pytest.raises(CommandError, match="anchors"):
        call_command("import_questions", str(path))
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * 110_000)
    with pytest.raises(CommandError, match="content files are at most 1,000 KB"):
        call_command("import_questions", str(big))


# 7. Anonymous writes are limited; stale anonymous learners can be pruned -------------------


def test_cookie_less_quiz_starts_are_limited_per_address(settings):
    settings.NEW_LEARNER_RATE_LIMIT = "3/hour"
    statuses = [
        Client().post(f"/quiz/{LESSON}/start/", {"mode": "practice"}).status_code for _ in range(5)
    ]
    assert statuses == [303, 303, 303, 429, 429]
    assert Learner.objects.count() == 3 and Attempt.objects.count() == 3


def test_a_learner_with_a_session_is_not_counted_as_new(settings, client):
    settings.NEW_LEARNER_RATE_LIMIT = "1/hour"
    for _ in range(3):
        assert client.post(f"/quiz/{LESSON}/start/", {"mode": "practice"}).status_code == 303
    assert Learner.objects.count() == 1


def test_starts_are_limited_per_learner(settings, client):
    settings.WRITE_RATE_LIMIT = "2/minute"
    statuses = [
        client.post(f"/quiz/{LESSON}/start/", {"mode": "practice"}).status_code for _ in range(4)
    ]
    # The first start counts against the address (there is no learner yet), then the learner.
    assert statuses == [303, 303, 303, 429]
    marked = client.post(f"/progress/lessons/{LESSON}/", {"done": "1"})
    assert marked.status_code == HTTPStatus.TOO_MANY_REQUESTS and "Retry-After" in marked


def learner_aged(days: int, *, answered_days_ago: int | None = None, seen_days_ago=None):
    now = timezone.now()
    learner = Learner.objects.create()
    Learner.objects.filter(pk=learner.pk).update(
        created_at=now - timedelta(days=days),
        last_seen=(now - timedelta(days=seen_days_ago)).date() if seen_days_ago else None,
    )
    if answered_days_ago is not None:
        from quiz.models import Question

        question = Question.objects.published().first()
        attempt = Attempt.objects.create(learner=learner, question_ids=[question.pk], total=1)
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=now - timedelta(days=answered_days_ago)
        )
        answer = Answer.objects.create(attempt=attempt, question=question, correct=True)
        Answer.objects.filter(pk=answer.pk).update(
            answered_at=now - timedelta(days=answered_days_ago)
        )
    return learner


def test_prune_learners_removes_only_stale_anonymous_learners():
    stale = learner_aged(90, answered_days_ago=60)
    active = learner_aged(90, answered_days_ago=3)
    seen = learner_aged(90, answered_days_ago=60, seen_days_ago=2)
    new = learner_aged(1)
    account = learner_aged(90, answered_days_ago=60)
    account.user = User.objects.create_user("carol", password=PASSWORD)
    account.save()
    call_command("prune_learners", "--days", "30", "--dry-run", stdout=(out := _Out()))
    assert "1 anonymous learners would be deleted" in out.text
    assert Learner.objects.count() == 5
    call_command("prune_learners", "--days", "30", stdout=(out := _Out()))
    assert "Deleted 1 anonymous learners" in out.text
    assert set(Learner.objects.values_list("pk", flat=True)) == {
        active.pk, seen.pk, new.pk, account.pk
    }  # fmt: skip
    assert not Answer.objects.filter(attempt__learner_id=stale.pk).exists()


def test_prune_learners_refuses_to_reach_into_live_sessions():
    with pytest.raises(CommandError, match="must be at least 14"):
        call_command("prune_learners", "--days", "7")


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# 9. HEAD wherever GET --------------------------------------------------------------------


def get_paths() -> list[str]:
    paths = [
        "/", "/healthz", "/csrf", "/learn/", f"/learn/{LESSON}/", "/codes/", "/codes/404/",
        "/quiz/", f"/quiz/{LESSON}/", "/progress/", "/review/", "/lab/", "/accounts/login/",
        "/accounts/signup/", "/progress/delete/", "/progress/export/", "/continue/", "/search/",
        "/interview/", "/interview/cheatsheet/", "/interview/mixed/", "/interview/due/",
        "/interview/mock/", "/interview/lessons/401-vs-403/",
        "/interview/lessons/401-vs-403/401-vs-403-difference/",
    ]  # fmt: skip
    return paths


def test_every_get_route_is_listed_here():
    """A new GET page must answer HEAD too: this list follows the URL map."""
    listed = {path.strip("/").split("/")[0] for path in get_paths()} | {"admin"}
    assert {route.route.split("/")[0] for route in site_routes()} - listed <= {
        "lab", "quiz", "review", "progress", ""
    }  # fmt: skip


@pytest.mark.parametrize("path", get_paths())
def test_head_answers_like_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code != HTTPStatus.METHOD_NOT_ALLOWED
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


def test_head_on_a_question_page(client):
    client.post(f"/quiz/{LESSON}/start/", {"mode": "practice"})
    attempt = Attempt.objects.get()
    assert client.head(f"/quiz/attempts/{attempt.pk}/1/").status_code == HTTPStatus.OK


# 10. NUL bytes in admin input --------------------------------------------------------------


def test_a_nul_byte_in_the_admin_autocomplete_is_a_400(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "a\x00b", "app_label": "quiz", "model_name": "question", "field_name": "lesson"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.text


def test_a_nul_byte_in_an_import_file_name_never_reaches_the_database(admin_client):
    # Django drops unprintable characters from an upload's own name …
    upload = SimpleUploadedFile("bad\x00name.yaml", b"questions: []\n")
    response = admin_client.post("/admin/quiz/question/import/", {"file": upload})
    assert response.status_code == HTTPStatus.OK and "badname.yaml" in response.text
    # … and the confirm step's name field, posted back as text, is refused.
    response = admin_client.post(
        "/admin/quiz/question/import/",
        {"text": "questions: []\n", "name": "bad\x00name.yaml", "confirm": "yes"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_nul_byte_in_a_posted_form_is_a_400(client):
    response = client.post("/accounts/signup/", {"username": "x\x00", "password1": "p"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not User.objects.exists()


# 11. Account deletion and export ------------------------------------------------------------


def test_deleting_an_account_deletes_its_log_in_records(client):
    User.objects.create_user("dana", email="dana@example.com", password=PASSWORD)
    Client().post("/accounts/login/", {"username": "dana", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code
    assert AccessLog.objects.filter(username="dana").exists()
    Client().post("/accounts/login/", {"username": "dana", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="dana").exists()
    export = json.loads(client.get("/progress/export/").content)
    assert export["account"]["username"] == "dana"
    assert export["account"]["email"] == "dana@example.com"
    assert export["account"]["date_joined"] and export["account"]["last_login"]
    kinds = {row["kind"] for row in export["logins"]}
    assert {"log-in", "failed attempts"} <= kinds
    assert all(row["address"] == "127.0.0.1" for row in export["logins"])
    response = client.post("/progress/delete/", {"confirm": "on", "password": PASSWORD})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert not User.objects.filter(username="dana").exists()
    assert not AccessLog.objects.filter(username="dana").exists()
    assert not AccessAttempt.objects.filter(username="dana").exists()
