"""The lessons' worked exchanges, replayed against the lessons' own Django and Express code.

Each `http` block names the server examples it shows (`against=`). Django examples are mounted
in a test URLconf under Django's default middleware and settings and driven with the test
client (CSRF checks on, as in a real deployment); Express examples run under Node on
127.0.0.1 and get the request byte for byte. Status, the headers shown and the body must match.
"""

import pytest
from django.test import override_settings

from tests.examples import exchange
from tests.examples.django_app import seeds
from tests.examples.lessons import Block, blocks, find
from tests.examples.runners import (
    django_send,
    django_settings,
    extra_settings,
    load_django,
    stripe_signed,
    urlconf,
)


def pairs(runner: str) -> list[tuple[Block, Block]]:
    found = []
    for shown in blocks("http") + blocks("curl"):
        for value in shown.all("against"):
            for reference in value.split(","):
                if reference == "lab":
                    continue
                try:
                    server = find(shown, reference)
                except LookupError:
                    continue  # test_annotations reports it
                if server.runner == runner and shown.runner == "http":
                    found.append((shown, server))
    return found


def pair_id(pair: tuple[Block, Block]) -> str:
    shown, server = pair
    return f"{shown.key}->{server.id}"


def report(shown: Block, server: Block, request, problems: list[str], actual) -> str:
    return (
        f"{shown.where}: {server.runner} example {server.id} ({server.where}) answers "
        f"{request.start!r} differently from the lesson:\n  "
        + "\n  ".join(problems)
        + f"\n--- what the server sent ---\n{actual.describe()}"
    )


DJANGO = pairs("django")
EXPRESS = pairs("express")


@pytest.mark.django_db
@pytest.mark.parametrize("pair", DJANGO, ids=[pair_id(p) for p in DJANGO])
def test_django_example_answers_as_the_lesson_shows(pair, example_tables):
    shown, server = pair
    module = load_django(server)
    conf = urlconf(server, module)
    values = django_settings(server) | extra_settings(shown)
    with override_settings(ROOT_URLCONF=conf.__name__, **values):
        seeds.plant(shown.get("seed") or server.get("seed") or server.slug)
        steps = exchange.parse(shown.code)
        for _ in range(int(shown.get("after", "0"))):  # the shown request comes after N others
            django_send(steps[0].request, csrf=shown.get("csrf") == "token")
        for step in steps:
            actual = django_send(step.request, csrf=shown.get("csrf") == "token")
            problems = exchange.check(
                step, actual, body_mode=shown.get("body", "exact"), varies=shown.get("varies", "")
            )
            assert not problems, report(shown, server, step.request, problems, actual)


@pytest.mark.parametrize("pair", EXPRESS, ids=[pair_id(p) for p in EXPRESS])
def test_express_example_answers_as_the_lesson_shows(pair, node_examples):
    shown, server = pair
    port = node_examples.start(server, seed=shown.get("seed"))
    steps = exchange.parse(shown.code)
    for _ in range(int(shown.get("after", "0"))):  # the shown request comes after N others
        exchange.send(steps[0].request, port)
    for step in steps:
        request = stripe_signed(step.request) if shown.get("sign") == "stripe" else step.request
        actual = exchange.send(request, port)
        problems = exchange.check(
            step, actual, body_mode=shown.get("body", "exact"), varies=shown.get("varies", "")
        )
        assert not problems, report(shown, server, step.request, problems, actual)
