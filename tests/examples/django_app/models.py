"""Models the lessons' Django examples import (`from .models import Account`).

Registered under the app label "examples", outside INSTALLED_APPS: tests/examples/conftest.py
creates their tables for the test session. No foreign keys to the site's tables, so flushing
the site's tables between browser tests never trips over them.
"""

from django.db import models


class ExampleModel(models.Model):
    class Meta:
        abstract = True
        app_label = "examples"

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


MODELS: list[type[models.Model]] = []


class Account(ExampleModel):
    email = models.EmailField()
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


MODELS.append(Account)


class Order(ExampleModel):
    sku = models.CharField(max_length=20)
    qty = models.PositiveIntegerField(default=1)


MODELS.append(Order)


class Invoice(ExampleModel):
    title = models.CharField(max_length=100, blank=True)
    owner_id = models.IntegerField(null=True)


MODELS.append(Invoice)


class ApiToken(ExampleModel):
    key = models.CharField(max_length=64, unique=True)
    # No database constraint: flushing the site's auth tables must not trip over this table.
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, db_constraint=False)


MODELS.append(ApiToken)


class Article(ExampleModel):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    def as_dict(self) -> dict:
        return {"id": self.pk, "title": self.title, "body": self.body, "version": self.version}

    def update_from(self, data: dict) -> None:
        from django.utils import timezone

        self.title = data.get("title", self.title)
        self.body = data.get("body", self.body)
        self.version += 1
        self.updated_at = timezone.now()
        self.save()


MODELS.append(Article)


class Member(ExampleModel):
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)


MODELS.append(Member)


class ExportJob(ExampleModel):
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=20, default="queued")


MODELS.append(ExportJob)


class Project(ExampleModel):
    name = models.CharField(max_length=100)
    owner_id = models.IntegerField()


MODELS.append(Project)


class WebhookEvent(ExampleModel):
    delivery_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict)


MODELS.append(WebhookEvent)
