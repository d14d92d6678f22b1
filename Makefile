# Status Academy: `make run` to serve the site, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
INSTALLED := $(VENV)/.installed
INSTALLED_PG := $(VENV)/.installed-postgres

.PHONY: help install run serve test test-postgres backup lint fmt admin bench clean

help:
	@echo "make run      set everything up and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test     lint plus the whole test suite, browser tests included"
	@echo "make test-postgres  the whole suite on a throwaway PostgreSQL server (apt-get install postgresql)"
	@echo "make backup   copy the SQLite database to backups/ (safe while the site runs)"
	@echo "make install  create .venv and install the project with its dev tools"
	@echo "make lint     ruff, migrations check, Django system checks, the question bank's lint"
	@echo "make fmt      format and auto-fix with ruff"
	@echo "make serve    production server: gunicorn, debug off, static files via whitenoise"
	@echo "make admin    create a staff account (interactive, or from DJANGO_SUPERUSER_*)"
	@echo "make bench    benchmark: gunicorn on 127.0.0.1, a throwaway database, driven by wrk"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED)

# The site as visitors see it (debug off: the designed error pages), with a development key;
# `make run DJANGO_DEBUG=true` for Django's debug pages.
run: export DJANGO_DEBUG := $(or $(DJANGO_DEBUG),false)
run: export DJANGO_SECRET_KEY := $(or $(DJANGO_SECRET_KEY),development-only-key-for-make-run-never-deploy-it)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py load_content
	DJANGO_DEBUG=false $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) \
		--workers $(WORKERS) --no-control-socket --access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py lint_bank

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

$(INSTALLED_PG): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,postgres]'
	@touch $@

test-postgres: $(INSTALLED_PG)
	.ci/with-postgres $(BIN)/python -m pytest

backup: install
	$(BIN)/python manage.py backup_db

admin: install
	$(BIN)/python manage.py migrate --noinput
	@if [ -n "$$DJANGO_SUPERUSER_PASSWORD" ]; then \
		$(BIN)/python manage.py createsuperuser --noinput; \
	else \
		$(BIN)/python manage.py createsuperuser; \
	fi

# Needs wrk (Debian's package): installed here when run as root, otherwise it says how.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y wrk; } || { \
		echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) staticfiles test-results cache.sqlite3*
