# OpenVET developer commands. `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser-deps demo serve test e2e lint typecheck format messages clean

$(STAMP): requirements/dev.lock package.json package-lock.json pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/python tools/compile_messages.py
	$(BIN)/openvet collectstatic --noinput -v0

## Start the platform with demo data on the embedded default (SQLite) at http://127.0.0.1:8000
demo: install
	@tools/office_deps.sh
	OPENVET_DEMO=true $(BIN)/openvet migrate --no-input -v0
	OPENVET_DEMO=true $(BIN)/openvet demo
	OPENVET_DEMO=true $(BIN)/uvicorn openvet.config.asgi:application --host 127.0.0.1 --port 8000

## Chromium and a Chinese font for the browser tests: installed when possible, else one line says what to install
browser-deps:
	@tools/browser_deps.sh

## Run the whole suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)
test: install browser-deps
	DJANGO_SETTINGS_MODULE=openvet.config.settings.test $(BIN)/pytest -n auto -m "not e2e" $(PYTEST_ARGS)
	$(MAKE) e2e

## Browser journeys (Playwright with the system's Chromium)
e2e: install browser-deps
	DJANGO_SETTINGS_MODULE=openvet.config.settings.test $(BIN)/pytest -n 2 -m e2e $(PYTEST_ARGS) tests/e2e

lint:
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck:
	$(BIN)/mypy src

format:
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

messages:
	tools/make_messages.sh

clean:
	rm -rf $(VENV) node_modules var
