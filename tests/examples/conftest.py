"""Fixtures for running the lessons' examples: Node with the Express examples, example tables."""

import pytest
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler

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


@pytest.fixture(scope="session")
def lab_site():
    """The site on a free port of 127.0.0.1, for fetch() and curl against the lab's API.

    Not pytest-django's live_server: that one makes every test transactional and flushes the
    database after it, and the lab needs no database (a request that touched it would fail).
    """
    thread = LiveServerThread("localhost", _StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


@pytest.fixture
def lab(lab_site, settings):
    """The lab, with its per-client limit lifted: every example comes from one address."""
    settings.LAB_RATE_LIMIT = 10_000
    return lab_site
