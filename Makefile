# Sektorovergang. `make run` serves the app with demo data; `make test` runs the whole suite.
# Both install what a fresh Debian 12 machine lacks (you are root there).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: venv for Python, gettext for translations, Pango/HarfBuzz for WeasyPrint's PDFs,
# Chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
APT_PACKAGES := python3-venv gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format system-packages venv migrate demo clean-demo serve bench

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installerer Debian-pakker:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: system-packages $(BIN)/.installed

# The embedded default: SQLite file, Celery eager, DEBUG on, only on this machine's loopback.
run: export DEBUG ?= 1
run: venv
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/python manage.py migrate --noinput -v 0
	@$(BIN)/python manage.py seed_demo --if-empty
	@$(BIN)/python manage.py sweep_reminders
	@# No Celery beat without Redis: a small loop runs the reminder sweep every minute while make runs.
	@( while kill -0 $$PPID 2>/dev/null && sleep 60; do $(BIN)/python manage.py sweep_reminders >/dev/null 2>&1; done ) & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/python -m pytest

# What a deployment runs (web with gunicorn, Celery worker and beat) from the Procfile; needs REDIS_URL.
serve: venv
	@test -n "$$REDIS_URL" || { echo "Sæt REDIS_URL, fx redis://127.0.0.1:6379/0"; exit 2; }
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py collectstatic --noinput -v 0
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho start

# Every benchmark in one run (board, poll, admission page, events, engine, sweep, reports, printouts), each
# on a database of its own; prints the figures and writes docs/performance.md. Figures, not tests.
bench: venv
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Fresh demo data in the SQLite file (the demo is relative to the clock, so it ages).
clean-demo: venv
	rm -f db.sqlite3
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo
