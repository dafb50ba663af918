# Linli: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: help messages makemessages messages-check run setup serve screenshots test test-redis test-postgres browser-deps search-eval search-eval-postgres bench lint format check schema lock clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Linli needs Python 3.11 or newer"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.runtime messages ## Install dependencies, migrate, load the demo content
	@mkdir -p var
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py vapid_keys --write var/vapid.json
	$(PY) manage.py seed_demo

# Catalogs of words: see docs/recipes.md, "Add a translated word".
MAKEMESSAGES_ARGS = --all --no-obsolete --add-location=file --verbosity 0 \
	--ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore='*/tests/*' --ignore=node_modules \
	--ignore=site/static/kiosk/vendor --ignore=site/static/kiosk/catalog.js

messages: $(VENV)/.runtime ## Compile locale/*/LC_MESSAGES/*.po (.mo files and the kiosk's catalog.js)
	$(PY) manage.py compile_catalogs --verbosity 0

makemessages: $(VENV)/.runtime ## Extract new words from the code into locale/*/LC_MESSAGES/*.po (needs GNU gettext)
	@command -v xgettext >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py makemessages $(MAKEMESSAGES_ARGS)
	$(PY) manage.py makemessages --domain djangojs $(MAKEMESSAGES_ARGS)

messages-check: makemessages ## Fail when the code has words the committed catalogs lack
	@git diff --exit-code --stat -- locale || { echo "Run make makemessages, translate the new entries and commit locale/."; exit 1; }
	@! grep -n '^#, .*fuzzy' locale/*/LC_MESSAGES/*.po || { echo "Fuzzy entries are not used: translate them and drop the fuzzy flag."; exit 1; }

run: setup ## Set up everything and serve on http://$(HOST):$(PORT) with the task worker and scheduler
	@mkdir -p var/log
	@echo
	@echo "  Linli is starting on http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Log in with an account listed above. Task worker and scheduler log to var/log/."
	@echo "  Stop with Ctrl-C."
	@echo
	@trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker --no-reload --queue-name default,push >> var/log/worker.log 2>&1 & \
	$(PY) manage.py run_scheduler >> var/log/scheduler.log 2>&1 & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

browser-deps: ## Install Debian's Chromium (apt-get) and axe-core (npm) for the browser tests, once
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }
	@# axe-core (accessibility checks inside the page) from the npm registry, pinned by the lock file.
	@test -f tests/browser/node_modules/axe-core/axe.min.js || npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

# The suite's three pytest sessions, stopping at the first that fails.
pytest_sessions = \
	$(PY) -m pytest -n 2 --dist loadgroup -m "not workers and not browser" $(PYTEST_ARGS) && \
	{ $(PY) -m pytest -p no:xdist -m browser $(PYTEST_ARGS) || [ $$? = 5 ]; } && \
	{ $(PY) -m pytest -p no:xdist -m workers $(PYTEST_ARGS) || [ $$? = 5 ]; }

test: $(VENV)/.dev browser-deps messages ## Run the whole test suite on SQLite
	@# Tests that flush the database between processes or threads (browser, workers)
	@# run in sessions of their own, after the rest. The run's first process migrates
	@# the test database; the others copy it from the run's template folder
	@# (tests/database.py), removed at the end. Exit status 5 means PYTEST_ARGS left
	@# nothing to run in that session.
	@export LINLI_TEST_DB_TEMPLATES=$$(mktemp -d) DJANGO_SETTINGS_MODULE=config.settings.test; \
	trap 'rm -rf "$$LINLI_TEST_DB_TEMPLATES"' EXIT; \
	$(call pytest_sessions)

screenshots: $(VENV)/.dev browser-deps messages ## Regenerate docs/screenshots/ (kiosk, service, phone home, page editor, subscribe page, reach view) on the demo street
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -p no:xdist -q tests/browser/screenshots.py

REDIS_TEST_URL ?= redis://127.0.0.1:6379/14

test-redis: $(VENV)/.dev messages ## Run the worker-process push tests on the Redis task backend (RQ) at $(REDIS_TEST_URL)
	LINLI_TEST_REDIS=1 LINLI_TEST_REDIS_URL=$(REDIS_TEST_URL) DJANGO_SETTINGS_MODULE=config.settings.test \
		$(PY) -m pytest -p no:xdist -m workers -k redis $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev browser-deps messages ## Run the whole test suite on the PostgreSQL server at $(PG_URL)
	@db=linli_ci_$$$$; export LINLI_TEST_DB_TEMPLATES=$$(mktemp -d); \
	trap "rm -rf $$LINLI_TEST_DB_TEMPLATES; psql '$(PG_URL)/postgres' -qc 'DROP DATABASE IF EXISTS $$db' >/dev/null 2>&1; psql '$(PG_URL)/postgres' -qc 'DROP DATABASE IF EXISTS test_$$db' -c 'DROP DATABASE IF EXISTS test_$${db}_gw0' -c 'DROP DATABASE IF EXISTS test_$${db}_gw1' -c 'DROP DATABASE IF EXISTS test_$${db}_template' >/dev/null 2>&1" EXIT; \
	psql '$(PG_URL)/postgres' -qc "CREATE DATABASE $$db" && \
	export DATABASE_URL=$(PG_URL)/$$db DJANGO_SETTINGS_MODULE=config.settings.test && \
	$(call pytest_sessions)

bench: $(VENV)/.dev browser-deps messages ## Benchmarks: API, search, read model rebuild, push fan-out, SMS reach, the fronts' weight and kiosk launch (installs wrk once)
	@command -v wrk >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@status=0; \
	$(PY) -m bench.api || status=$$?; \
	$(PY) -m bench.search || status=$$?; \
	$(PY) -m bench.rebuild || status=$$?; \
	$(PY) -m bench.push || status=$$?; \
	$(PY) -m bench.reach || status=$$?; \
	$(PY) -m bench.fronts || status=$$?; \
	exit $$status

# The shared evaluation set beside the checkout, else the copy kept with the tests.
EVAL_SET ?= $(if $(wildcard ../shared/search-eval/corpus.json),../shared/search-eval,search/tests/eval)
EVAL_ARGS = --corpus $(EVAL_SET)/corpus.json --queries $(EVAL_SET)/queries.json

search-eval: $(VENV)/.dev messages ## Search relevance (recall@10, MRR) on the shared set, throwaway SQLite
	@d=$$(mktemp -d); trap "rm -rf $$d" EXIT; \
	export DATABASE_URL=sqlite:///$$d/eval.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) manage.py migrate -v0 && $(PY) manage.py search_eval $(EVAL_ARGS)

search-eval-postgres: $(VENV)/.dev messages ## The same on the PostgreSQL server at $(PG_URL)
	@db=linli_eval_$$$$; trap "psql '$(PG_URL)/postgres' -qc 'DROP DATABASE IF EXISTS $$db' >/dev/null 2>&1" EXIT; \
	psql '$(PG_URL)/postgres' -qc "CREATE DATABASE $$db" && \
	export DATABASE_URL=$(PG_URL)/$$db DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) manage.py migrate -v0 && $(PY) manage.py search_eval $(EVAL_ARGS)

lint: $(VENV)/.dev ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev ## Reformat with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.dev ## Django system checks and missing migrations
	@mkdir -p var
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=linli.example.org LINLI_ADDRESS_KEY=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') $(PY) manage.py check --deploy --fail-level WARNING

schema: $(VENV)/.dev ## Regenerate docs/openapi.yaml after a deliberate API change (review the diff)
	$(PY) manage.py spectacular --urlconf config.api_urls --validate --fail-on-warn --file docs/openapi.yaml

lock: $(VENV)/.dev ## Re-pin requirements*.txt from requirements*.in
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --output-file requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --output-file requirements-dev.txt requirements-dev.in

clean: ## Remove the virtualenv and local data (database, media)
	rm -rf $(VENV) var
