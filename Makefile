# Two commands on a fresh machine: `make serve` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material for MkDocs prints a banner about its end of life (README, "Engine") whenever the
# `mkdocs` command loads it; it is known and says nothing about this build, so targets run without it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test test-properdocs lint unit browser-deps js-deps validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# ENGINE=properdocs serves and builds with ProperDocs instead of MkDocs (README, "Engine").
ENGINE ?= mkdocs

# --dirty: each rebuild writes only what the edit changed; the portal makes that exact (README, "Serve").
serve: setup
	$(BIN)/$(ENGINE) serve --dirty -f mkdocs.yml --dev-addr localhost:8000

# Atomic: the new site replaces site/ only when the strict build succeeded (`portal build`).
build: setup
	PORTAL_ENGINE=$(ENGINE) $(BIN)/portal build --strict

validate: setup
	$(BIN)/portal validate

# Debian's Chromium for the browser tests; Playwright's own browser download cannot work offline.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# Mozilla's ical.js under node, for the calendar tests (tests/ical_clients.py); Debian's node and npm.
JS_STAMP := tests/js/node_modules/.installed
$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "The calendar tests need node and npm: sudo apt-get install nodejs npm" >&2; exit 1; \
	  fi; \
	fi
	cd tests/js && npm ci --no-audit --no-fund
	touch $(JS_STAMP)

js-deps: $(JS_STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: setup js-deps
	$(BIN)/python -m pytest -m "not browser"

test: setup browser-deps js-deps lint
	$(BIN)/python -m pytest
	$(MAKE) test-properdocs

# The suite again on ProperDocs, the maintained fork of MkDocs 1.x (README, "Engine"); the
# browser tests check what the browser does with the same pages, so one engine is enough for them.
test-properdocs: setup js-deps
	PORTAL_ENGINE=properdocs $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider

# Portal vs plain MkDocs + Material, side by side (bench/README.md). A smoke run: make bench BENCH_ARGS=--quick
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
