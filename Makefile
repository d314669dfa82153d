# Brokerage case management. `make run` and `make test` work from a clean clone.
#
#   make run        install everything, migrate, load demo data, serve on http://127.0.0.1:$(PORT)/
#   make test       install everything (incl. Chromium) and run the whole test suite
#   make bench      run the performance scripts in bench/
#   make lint       ruff check and ruff format --check (make test runs it first)
#   make clean      remove installed and built things (keeps the embedded database in .pgdata/)
#   make clean-db   remove the embedded database

PYTHON ?= python3
PORT ?= 8000
PYTEST_ARGS ?=

VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := run
.PHONY: venv assets browser migrate run test bench lint clean clean-db

# --- Python environment: rebuilt only when a requirements file changes ---------------------
venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# --- Front-end assets (npm ci + sass -> static/build/; incremental) -------------------------
assets:
	bash frontend/build.sh

# --- Headless browser for the browser tests -------------------------------------------------
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "make browser: installing Debian chromium"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q chromium || exit 1; \
	  [ -x $(CHROMIUM) ] || { echo "make browser: chromium installed but $(CHROMIUM) is missing" >&2; exit 1; }; \
	else \
	  echo "make browser: the browser tests need Chromium at $(CHROMIUM)." >&2; \
	  echo "  It is not installed, and this machine cannot install it here (needs root and apt-get)." >&2; \
	  echo "  Install it yourself, e.g.: sudo apt-get install chromium" >&2; \
	  exit 1; \
	fi

# --- Running ---------------------------------------------------------------------------------
migrate: venv
	$(PY) manage.py migrate --noinput

# With REDIS_URL set, a Celery worker and beat run alongside runserver. However it ends (Ctrl-C
# included) the workers are stopped, and so is the embedded PostgreSQL, which a process killed
# outright would otherwise leave running.
run: venv assets
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@pids=""; \
	finish() { [ -z "$$pids" ] || { kill $$pids 2>/dev/null; wait $$pids 2>/dev/null; }; $(PY) -m config.embedded_postgres stop; }; \
	trap finish EXIT; trap 'exit 130' INT TERM; \
	if [ -n "$$REDIS_URL" ]; then \
	  $(VENV)/bin/celery -A config worker -l info & pids="$$pids $$!"; \
	  $(VENV)/bin/celery -A config beat -l info --schedule var/celerybeat-schedule & pids="$$pids $$!"; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# --- Checks ----------------------------------------------------------------------------------
test: venv assets browser lint
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv assets
	@set -e; for script in bench/[!_]*.py; do \
	  echo "== $$script" >&2; \
	  $(PY) "$$script"; \
	done

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# --- Cleaning --------------------------------------------------------------------------------
clean:
	rm -rf .venv node_modules static/build var

clean-db:
	rm -rf .pgdata
