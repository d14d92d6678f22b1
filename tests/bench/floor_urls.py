"""The two reference views the bench drives beside the site (tests.bench.floor_settings).

- The *write floor*: a POST through the site's middleware (sessions, CSRF, auth) doing as many
  row writes in one transaction as an answer does, answering 1 KB.
- The *render floor*: a GET rendering a template as large as the progress dashboard (a 70-row
  table and a 182-cell SVG, about 23 KB) with no query beyond the session's.
"""

from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

ANSWER_WRITES = 6  # an answer's row writes: answer, pick, card, review log, evidence, attempt
BODY = b"x" * 1024
TABLE = "bench_floor"


def ensure_table() -> None:
    key = "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {key}, n INTEGER, body TEXT)")


@require_POST
def write_floor(request) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(ANSWER_WRITES):
            cursor.execute(f"INSERT INTO {TABLE} (n, body) VALUES (%s, %s)", [n, "a row"])
    return HttpResponse(BODY, content_type="text/plain")


@require_safe
def render_floor(request) -> HttpResponse:
    rows = [
        (f"Quiz {n}", "Practice", n % 12, 12, f"/quiz/attempts/{n}/results/") for n in range(70)
    ]
    cells = [
        (12 + 15 * (n // 7), 18 + 15 * (n % 7), n % 5, f"Day {n}: {n % 9} things")
        for n in range(182)
    ]
    return render(request, "bench/render_floor.html", {"rows": rows, "cells": cells})


@require_safe
def healthz(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("write-floor", write_floor, name="write_floor"),
    path("render-floor", render_floor, name="render_floor"),
]
