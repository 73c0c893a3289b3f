# csatbot: `make run` sets up and serves the bot; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-serial install lint check-config bench chromium screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Set up and serve on http://127.0.0.1:8000 (SQLite in var/, the bundled model).
run: $(STAMP)
	$(BIN)/csatbot serve

## Set up, lint (ruff, strict mypy) and run every test, on SQLite and on the PostgreSQL server at
## CSATBOT_TEST_POSTGRES_URL: spread over one pytest-xdist worker more than there are cores (tests
## that wait on processes, browsers and timers leave a core idle otherwise; at most 5), each handed
## its next test only when it is ready for it (the long tests come first: tests/conftest.py), with
## mypy checking beside them; then the few tests that time real processes against a clock (`alone`:
## rate limits two servers share) one at a time.
CSATBOT_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export CSATBOT_TEST_POSTGRES_URL
WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(len(os.sched_getaffinity(0)) + 1, 5))")
test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & mypy=$$!; \
	echo "mypy runs beside the tests (its report follows them)"; \
	CSATBOT_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(WORKERS) --maxschedchunk 1 -m "not alone"; tests=$$?; \
	wait $$mypy; typed=$$?; cat $(VENV)/mypy.log; test $$tests -eq 0 -a $$typed -eq 0
	CSATBOT_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -m alone

## The same tests in one process (about twice the time on 2 cores).
test-serial: $(STAMP) chromium lint
	CSATBOT_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

## Re-take the README's screenshots (docs/screenshots) with emoji and CJK fonts installed.
screenshots: $(STAMP) chromium
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-color-emoji fonts-noto-cjk >/dev/null; fi
	CSATBOT_CHROMIUM=$(CHROMIUM) CSATBOT_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -m browser

## The browser tests drive Debian's Chromium; install it when missing and we can.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): install it (e.g. sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check-config: $(STAMP)
	$(BIN)/csatbot config check config.yaml

bench: $(STAMP)
	$(BIN)/python bench/webchat.py
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
