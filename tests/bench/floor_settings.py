"""The bench's reference apps: the site's settings (middleware, database, sessions), a URL map
of two views that show what this machine can do at best. Never part of the site."""

from config.settings import *  # noqa: F403 (the site's settings, all of them)
from config.settings import INSTALLED_APPS, TEMPLATES

ROOT_URLCONF = "tests.bench.floor_urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench"]  # its templates
TEMPLATES = [{**TEMPLATES[0], "OPTIONS": {**TEMPLATES[0]["OPTIONS"], "context_processors": []}}]
