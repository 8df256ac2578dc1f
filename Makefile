# `make run` serves the demo site on http://127.0.0.1:8000/ with a background
# worker beside it; `make test` runs the suite.

VENV := .venv
PY := $(VENV)/bin/python
# One stamp per set of packages: `make run` needs the runtime ones only, `make
# test` and `make lint` the dev extra too. A stamp is named for the content of
# pyproject.toml, so any change to the dependencies (a pull, a branch switch)
# reinstalls, whatever the files' times say.
DEPS_HASH := $(shell cksum pyproject.toml | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(DEPS_HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(DEPS_HASH)
DOCS_STAMP := $(VENV)/.installed-docs-$(DEPS_HASH)
# The browser tests' Chromium, and axe-core for their accessibility checks.
CHROMIUM ?= /usr/bin/chromium
NPM_STAMP := node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000
DOCS_PORT ?= 8001

# The first interpreter that really runs and is 3.12 or newer. pyenv shims for
# versions that are not selected exist but refuse to run, hence the trial run.
PYTHON ?= $(shell \
	for c in python3.14 python3.13 python3.12 python3 python; do \
		if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
			command -v $$c; exit 0; fi; \
	done; \
	root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
	for p in $$(ls -d $$root/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
		if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
			echo "$$p"; exit 0; fi; \
	done)

.PHONY: run test lint format install migrate demo smoke clean axe-core docs docs-serve

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried python3.14, python3.13, python3.12,"; \
		echo "python3 and pyenv's versions). Install Python 3.12+ or run"; \
		echo "'make PYTHON=/path/to/python3.12 run'."; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): | $(PY)
	$(PY) -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-*
	@touch $@

# The dev extra includes the runtime packages, so it brings both up to date.
$(DEV_STAMP): | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-run-* $(VENV)/.installed-dev-*
	@touch $@ $(RUN_STAMP)

# The documentation site's tools (the docs extra), beside whatever else is in.
$(DOCS_STAMP): | $(PY)
	$(PY) -m pip install --quiet -e ".[docs]"
	@rm -f $(VENV)/.installed-docs-*
	@touch $@

# Only where the browser tests can run (Chromium and npm are both there); they
# skip, naming what to install, where either is missing.
axe-core:
	@if [ -x "$(CHROMIUM)" ] && command -v npm >/dev/null 2>&1; then \
		if [ ! -f $(NPM_STAMP) ] || [ package-lock.json -nt $(NPM_STAMP) ]; then \
			npm ci --no-audit --no-fund; fi; fi

install: $(DEV_STAMP)

migrate: $(RUN_STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

run: demo
	@echo
	@echo "  Newsroom Briefs is at http://$(HOST):$(PORT)/"
	@echo "  To sign in to http://$(HOST):$(PORT)/admin/ create an account first:"
	@echo "      $(PY) manage.py createsuperuser"
	@echo
	@# The background worker (rendering after changes) runs beside the dev
	@# server and stops with it.
	DEBUG=1 $(PY) manage.py run_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Tests run with DEBUG off, as in production; the key is only for the test run.
# One worker per core; the tests that share a Redis database share a worker.
PYTEST_ARGS ?= -n auto --dist loadgroup
test: $(DEV_STAMP) axe-core
	SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only} $(PY) -m pytest $(PYTEST_ARGS)

# The production recipe (docs/operators/deploy.md) on the local PostgreSQL and Redis,
# behind nginx where it is installed; then checks the site and cleans up.
smoke: $(RUN_STAMP)
	$(PY) deploy/smoke.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The documentation site from docs/ (mkdocs.yml): strict, so a broken link, a
# missing page or a missing picture fails the build. The site lands in site/.
# NO_MKDOCS_2_WARNING quiets Material's notice about MkDocs' future.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

docs-serve: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --strict --dev-addr $(HOST):$(DOCS_PORT)

clean:
	rm -rf $(VENV) .venv-runtime staticfiles test-artifacts .pytest_cache site
