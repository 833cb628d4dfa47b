# Anjian — the two commands of the README, and a few helpers.
# Only Python 3.11+ is needed: everything else is installed into .venv.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(VENV)/bin/pip
HOST   ?= 127.0.0.1:8000
# Parallel test workers (pytest-xdist); each has its own test database and browser. Tests are handed out three at a
# time in collection order (--dist load), so each worker keeps pytest-django's order (see conftest.py).
TEST_WORKERS ?= 2

.PHONY: demo test test-fast fuzz lint venv install install-dev migrate run scan clean

# The demo and the test suite run in the embedded mode, whatever the shell exports (see docs/operations-deployment.md).
demo test test-fast fuzz: export DEPLOYMENT = embedded

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip >/dev/null

install: $(VENV)/bin/python
	$(PIP) install -e .

install-dev: $(VENV)/bin/python
	$(PIP) install -e ".[dev]"

migrate:
	$(PY) manage.py migrate --noinput

## make demo: install, migrate, load the demo district, serve on http://127.0.0.1:8000
demo: install migrate
	$(PY) manage.py demo_data
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py run_demo_server $(HOST)

## make test: the whole suite (unit, API, real-browser flows). DATABASE_URL selects SQLite (default) or PostgreSQL.
## TEST_WORKERS=1 runs it in one process.
test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -p no:randomly -n $(TEST_WORKERS) --maxschedchunk 3

test-fast: install-dev
	$(VENV)/bin/pytest -q -m "not browser and not services" -n auto

## make fuzz: every API operation fuzzed from its OpenAPI schema (schemathesis) as office, town and unit,
## with the coverage phase and many more examples than the short pass in `make test`. FUZZ_EXAMPLES to tune.
FUZZ_EXAMPLES ?= 50
fuzz: install-dev
	ANJIAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ANJIAN_FUZZ_STATEFUL_STEPS=20 ANJIAN_FUZZ_COVERAGE=1 \
		$(VENV)/bin/pytest -q -p no:randomly anjian/core/tests/test_fuzz_api.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make scan: the periodic deadline scan, as cron would run it
scan:
	$(PY) manage.py run_deadlines

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
