# The two commands a fresh clone needs: `make run` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test suite check static fmt fmt-check lint types contracts bench clean system-deps

# pytest-xdist workers for the suite: two per core. About half of a test's time is spent
# waiting on other processes (bash in a PTY, tmux, a server, Chromium, pip's downloads), so
# one worker per core leaves the cores idle half the time. The suite's tests are isolated
# from one another: homes, ports, tmux servers. PYTEST_ARGS adds options, e.g.
# PYTEST_ARGS='-k tui'; JOBS=auto gives one worker per core.
JOBS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "workshop needs Python 3.11 or newer: run make PYTHON=python3.11 ..." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Start the TUI on the bundled 12-factor workshop, offline (mock mode).
run: $(STAMP)
	$(BIN)/workshop run

## System tools the end-to-end tests drive (tmux, chromium); installed when missing.
system-deps:
	@scripts/ensure-system-deps

## Everything CI checks: formatting, lint, types, import contracts, then the whole suite.
test: static suite

## The test suite alone, in parallel.
suite: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n $(JOBS) $(PYTEST_ARGS)

## The checks that need no test run: formatting, lint, types, import contracts.
static: fmt-check lint types contracts

fmt: $(STAMP)
	$(BIN)/ruff format workshop tests bench

fmt-check: $(STAMP)
	$(BIN)/ruff format --check workshop tests bench

lint: $(STAMP)
	$(BIN)/ruff check workshop tests bench

# The strict run keeps a cache of its own: sharing one, each run's options would throw the
# other's away and both would check everything again (seconds instead of a fraction of one).
types: $(STAMP)
	$(BIN)/mypy workshop tests/tui/fakes.py
	$(BIN)/mypy --strict --follow-imports=silent --cache-dir .mypy_cache/strict \
		workshop/engine workshop/checking workshop/shell

contracts: $(STAMP)
	$(BIN)/lint-imports

## The developer's one command before a commit: the same as CI.
check: test

## Benchmarks: print figures (ratios against a baseline measured in the same run).
bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
