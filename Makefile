# Contracts: install, run, test, lint (and bench targets as issues add them).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ICALJS := tools/icaljs/node_modules/ical.js/package.json
AXE := tools/axe/node_modules/axe-core/axe.min.js

.PHONY: install run test lint messages migrate worker beat clean bench bench-invitations bench-feeds bench-anonymise bench-load

install: $(STAMP) messages $(ICALJS) $(AXE)

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# Mozilla's ical.js (Thunderbird's parser) checks the calendar feeds in the tests. Without npm the
# install goes on and those checks are skipped with a message (they are required when CI=true).
$(ICALJS): tools/icaljs/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tools/icaljs --no-audit --no-fund --silent; \
	else echo "npm not found: the ical.js checks of the calendar feeds will be skipped"; fi

# Deque's axe-core checks the pages' accessibility in the browser tests (skipped without npm,
# required when CI=true).
$(AXE): tools/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tools/axe --no-audit --no-fund --silent; \
	else echo "npm not found: the axe checks of the pages will be skipped"; fi

# Compiled catalogues are not committed; they are rebuilt from the .po files.
messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules >/dev/null

migrate: install
	$(PY) manage.py migrate --noinput

# `make run PORT=8001` serves on another port; the links of the e-mails it writes (SITE_URL) follow,
# unless SITE_URL is set already (a proxy, another host name).
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)

run: migrate
	SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite in parallel (pytest-xdist, TEST_WORKERS processes: `make test TEST_WORKERS=0` for
# one), then the integration tests on their own, one after the other: they share REDIS_URL's
# broker queues (the ones that stop Redis start a server of their own for it, on a free port).
# `.venv/bin/pytest -n auto -m "not slow"` is a quick loop.
TEST_WORKERS ?= auto

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not integration"
	$(PY) -m pytest -m integration

# bandit: the application's code (config in pyproject.toml); the findings justified in
# docs/security.md are in docs/bandit-baseline.json.
BANDIT_TARGETS := accounts audit concertation meetings outbox worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -r $(BANDIT_TARGETS) -c pyproject.toml -b docs/bandit-baseline.json

# Native production-like processes (see README): a worker and the beat scheduler.
worker: install
	$(VENV)/bin/celery -A worker.celery worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A worker.celery beat --loglevel=info --schedule=var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/mail staticfiles

# Benchmarks: ratios against a baseline measured in the same run (see README, Performance).
BENCH_DB ?= concertation_bench
BENCH_ENV = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) REDIS_URL=redis://127.0.0.1:6379/14

bench: bench-invitations bench-feeds bench-anonymise bench-load

bench-invitations: install
	psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $(BENCH_DB)" -c "CREATE DATABASE $(BENCH_DB)"
	$(BENCH_ENV) $(PY) bench/invitations.py

bench-feeds: install
	$(PY) bench/feeds.py

bench-anonymise: install
	$(PY) bench/anonymise.py

# The load test (bench/load.py): a fresh BENCH_DB with seed_scale's data (its --scale from
# BENCH_SCALE), gunicorn with 2 sync workers, 16 clients for 20 s per page against the floor.
# `make bench-load BENCH_LOAD_ARGS="--data demo --seconds 5"` is a quick trial on the demo's data.
BENCH_SCALE ?=
BENCH_LOAD_ARGS ?= $(if $(BENCH_SCALE),--scale $(BENCH_SCALE))

bench-load: install
	psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $(BENCH_DB)" -c "CREATE DATABASE $(BENCH_DB)"
	$(BENCH_ENV) $(PY) bench/load.py $(BENCH_LOAD_ARGS)
