# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core for the accessibility checks of the browser tests, pinned in package-lock.json.
AXE := node_modules/axe-core/axe.min.js
# The local demo only: DEBUG on, and no two-factor sign-in for the demo clinician.
DEV_ENV := DEBUG=1 MFA_REQUIRED=0

.PHONY: run test serve bench loadtest install migrate demo lint format messages clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed" or 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the accessibility checks will be skipped (.ci/run installs it)"; fi

migrate: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

# reevaluate_flags: a database made by an earlier version gets the current rules' flags.
demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py reevaluate_flags

## Set up everything and serve the demo on http://127.0.0.1:8000
run: demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop); passkeys work at http://localhost:8000"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (browser tests need /usr/bin/chromium and npm; .ci/run installs both)
test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

## Production-style start: gunicorn + whitenoise; needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL …
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py reevaluate_flags
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/gunicorn config.wsgi --bind $(BIND) --workers $(WORKERS) --access-logfile -

## Benchmarks (printed figures, not tests): pages and PDF against Django's own floor.
## SQLite, or with DATABASE_URL=postgres://… a temporary database on that server (dropped after).
## Options through ARGS, e.g. make bench ARGS="--runs 5", make loadtest ARGS="--seconds 10"
bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

## 50 patients + 5 clinicians against gunicorn on 127.0.0.1 for 60 s (same databases as bench)
loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-extract and compile translations (needs GNU gettext; the .mo files are committed)
messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ja -l en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
