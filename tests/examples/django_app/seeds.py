"""Rows the lessons' exchanges assume, planted before each replay (`seed=`, else the slug)."""

from django.core.management.color import no_style
from django.db import connection

from tests.examples.django_app import models


def success() -> None:
    models.Account.objects.create(id=17, email="ada@example.com", name="Ada")


def redirection() -> None:
    models.Order.objects.create(id=8811, sku="A-99", qty=1)


def client_errors() -> None:
    models.Invoice.objects.create(id=42, title="Q3", owner_id=7)


def tokens() -> None:
    """A viewer and an admin, each with an API token named after the role."""
    from django.contrib.auth.models import User

    viewer = User.objects.create_user("viewer", id=7)
    admin = User.objects.create_superuser("admin", id=1)
    models.ApiToken.objects.create(key="viewer-token", user=viewer)
    models.ApiToken.objects.create(key="admin-token", user=admin)


def caching() -> None:
    from datetime import UTC, datetime

    models.Article.objects.create(
        id=7,
        title="Status codes",
        body="...",
        version=42,
        updated_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    )


def redirects_and_methods() -> None:
    from django.contrib.auth.models import User

    models.Order.objects.create(id=8811, sku="A-99", qty=1)
    User.objects.create_user("ada", password="correct-horse")


def fetch_lesson() -> None:
    tokens()
    models.Member.objects.create(id=7, name="Ada")


def apis() -> None:
    models.Account.objects.create(id=123, email="ana@example.com", name="Ana")
    models.ExportJob.objects.create(id=76, status="done")


def apis_before_ana() -> None:
    models.Account.objects.create(id=122, email="bo@example.com", name="Bo")


def validation() -> None:
    models.Account.objects.create(id=1, email="ada@example.com", name="Ada")


def real_apis() -> None:
    tokens()
    models.Project.objects.create(id=12, name="Secret merger", owner_id=1)  # the admin's


SEEDS = {
    "401-vs-403": tokens,
    "status-codes-in-real-apis": real_apis,
    "validation-errors": validation,
    "success-codes-for-apis": apis,
    "apis-before-ana": apis_before_ana,
    "handling-statuses-in-fetch": fetch_lesson,
    "redirects-and-methods": redirects_and_methods,
    "caching-and-conditional-requests": caching,
    "success": success,
    "redirection": redirection,
    "client-errors": client_errors,
}


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
