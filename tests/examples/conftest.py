"""Fixtures for running the lessons' examples: Node with the Express examples, example tables."""

import pytest
from django.db import connection

from tests.examples.runners import start_node


@pytest.fixture(scope="session")
def node_examples():
    """The Node process serving every Express example (started once per session)."""
    examples = start_node()
    yield examples
    examples.stop()


@pytest.fixture(scope="session")
def example_tables(django_db_setup, django_db_blocker):
    """Tables for the models the lessons' Django examples import (tests/examples/django_app)."""
    from tests.examples.django_app import models

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        for model in models.MODELS:
            editor.create_model(model)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        for model in reversed(models.MODELS):
            editor.delete_model(model)
