# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev translations lint e2e bench bench-inprocess clean help

help:
	@echo "make run   - set up, migrate, load the curriculum and demo accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test  - set up (with dev tools) and run the whole test suite"
	@echo "make lint  - ruff and mypy"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations

# Catalogs are compiled here, never committed as binaries.
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile --use-fuzzy -d lms/translations -D messages >/dev/null

run: install
	$(BIN)/lms db upgrade
	$(BIN)/lms demo
	$(BIN)/lms content sync
	$(BIN)/lms serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check lms tests bench
	$(BIN)/mypy lms

e2e: install-dev
	$(BIN)/python -m pytest tests/e2e -v

# The pages of issue 18 over HTTP through gunicorn against a bare-Flask ceiling (wrk from Debian).
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.http $(BENCH_ARGS)

bench-inprocess: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
