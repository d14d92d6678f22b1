# Status Academy: `make run` to serve the site, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
INSTALLED := $(VENV)/.installed

.PHONY: help install run serve test lint fmt admin clean

help:
	@echo "make run      set everything up and serve the site on http://$(HOST):$(PORT)/ (debug)"
	@echo "make test     lint plus the whole test suite, browser tests included"
	@echo "make install  create .venv and install the project with its dev tools"
	@echo "make lint     ruff, migrations check, Django system checks"
	@echo "make fmt      format and auto-fix with ruff"
	@echo "make serve    production server: gunicorn, debug off, static files via whitenoise"
	@echo "make admin    create a staff account (interactive, or from DJANGO_SUPERUSER_*)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED)

run: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py load_content
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

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

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

admin: install
	$(BIN)/python manage.py migrate --noinput
	@if [ -n "$$DJANGO_SUPERUSER_PASSWORD" ]; then \
		$(BIN)/python manage.py createsuperuser --noinput; \
	else \
		$(BIN)/python manage.py createsuperuser; \
	fi

clean:
	rm -rf $(VENV) staticfiles test-results
