# Status Academy: `make run` to serve the site, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
RUN_DIR ?= run
INSTALLED := $(VENV)/.installed
INSTALLED_PG := $(VENV)/.installed-postgres

.PHONY: help install run serve test test-postgres test-cluster backup lint fmt admin bench bench-postgres bench-tools clean

help:
	@echo "make run      set everything up and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test     lint plus the whole test suite, browser tests included"
	@echo "make test-postgres  the whole suite on a throwaway PostgreSQL server (apt-get install postgresql)"
	@echo "make test-cluster   two nodes, nginx, Redis and PostgreSQL (apt-get install nginx redis-server postgresql)"
	@echo "make backup   copy the SQLite database to backups/ (safe while the site runs)"
	@echo "make install  create .venv and install the project with its dev tools"
	@echo "make lint     ruff, migrations check, Django system checks, the question bank's lint"
	@echo "make fmt      format and auto-fix with ruff"
	@echo "make serve    production server: nginx in front of gunicorn, debug off (needs nginx)"
	@echo "make admin    create a staff account (interactive, or from DJANGO_SUPERUSER_*)"
	@echo "make bench    benchmark: gunicorn, then nginx in front, on 127.0.0.1, driven by wrk"
	@echo "make bench-postgres  the same on a throwaway PostgreSQL, with Redis"

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

# nginx on HOST:PORT in front of gunicorn on a Unix socket in RUN_DIR (config/serve.py); Ctrl-C
# stops both. Needs nginx (Debian's package): installed here when run as root (with its brotli
# module), otherwise it says how.
serve: install
	@[ -n "$$DJANGO_SECRET_KEY" ] || { \
		echo "make serve runs the site as in production, which needs a secret key from the environment:"; \
		echo "  export DJANGO_SECRET_KEY=\"\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""; \
		echo "then make serve again (keep the same key: changing it logs everyone out)."; exit 1; }
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && \
		apt-get install -y nginx libnginx-mod-http-brotli-static; } || { \
		echo "make serve needs nginx: sudo apt-get install nginx libnginx-mod-http-brotli-static"; \
		exit 1; }
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py load_content
	DJANGO_DEBUG=false $(BIN)/python -m config.serve --host $(HOST) --port $(PORT) \
		--workers $(WORKERS) --run-dir $(RUN_DIR)

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

# tests/cluster only: several machines (two gunicorn nodes, nginx, Debian's redis-server, a
# throwaway PostgreSQL) and the make serve topology. A missing service fails it.
test-cluster: $(INSTALLED_PG)
	.ci/with-postgres $(BIN)/python -m pytest --cluster tests/cluster

backup: install
	$(BIN)/python manage.py backup_db

admin: install
	$(BIN)/python manage.py migrate --noinput
	@if [ -n "$$DJANGO_SUPERUSER_PASSWORD" ]; then \
		$(BIN)/python manage.py createsuperuser --noinput; \
	else \
		$(BIN)/python manage.py createsuperuser; \
	fi

# Needs wrk and nginx (Debian's packages): installed here when run as root, otherwise it says how.
bench: install bench-tools
	$(BIN)/python -m tests.bench

bench-tools:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y wrk; } || { \
		echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && \
		apt-get install -y nginx libnginx-mod-http-brotli-static; } || { \
		echo "make bench needs nginx: sudo apt-get install nginx libnginx-mod-http-brotli-static"; \
		exit 1; }

# The same bench on a throwaway PostgreSQL (.ci/with-postgres: fsync off) with Redis.
bench-postgres: bench-tools $(INSTALLED_PG)
	.ci/with-postgres $(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) staticfiles test-results cache.sqlite3*
