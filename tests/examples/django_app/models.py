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


MODELS: list[type[models.Model]] = []
