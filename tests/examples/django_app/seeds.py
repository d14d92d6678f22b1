"""Rows the lessons' exchanges assume, planted before each replay (`seed=`, else the slug)."""

from django.core.management.color import no_style
from django.db import connection

from tests.examples.django_app import models


def success() -> None:
    models.Account.objects.create(id=17, email="ada@example.com", name="Ada")


def redirection() -> None:
    models.Order.objects.create(id=8811, sku="A-99", qty=1)


SEEDS = {"success": success, "redirection": redirection}


def plant(name: str) -> None:
    seed = SEEDS.get(name)
    if seed is None:
        return
    seed()
    # Rows created with explicit ids leave PostgreSQL's sequences behind; catch them up so
    # the next row gets the id the lesson shows.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models.MODELS):
            cursor.execute(sql)
