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


MODELS.append(Account)


class Order(ExampleModel):
    sku = models.CharField(max_length=20)
    qty = models.PositiveIntegerField(default=1)


MODELS.append(Order)
