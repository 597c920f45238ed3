# The two commands a fresh clone needs: `make run` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check fmt lint types contracts bench clean system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "workshop needs Python 3.11 or newer: run make PYTHON=python3.11 ..." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Start the TUI on the bundled 12-factor workshop, offline (mock mode).
run: $(STAMP)
	$(BIN)/workshop run lessons/12factor

## System tools the end-to-end tests drive (tmux, chromium); installed when missing.
system-deps:
	@scripts/ensure-system-deps

## The whole test suite.
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

fmt: $(STAMP)
	$(BIN)/ruff format workshop tests bench

lint: $(STAMP)
	$(BIN)/ruff check workshop tests bench

types: $(STAMP)
	$(BIN)/mypy workshop tests/tui/fakes.py
	$(BIN)/mypy --strict --follow-imports=silent workshop/engine workshop/checking workshop/shell

contracts: $(STAMP)
	$(BIN)/lint-imports

## Format check, lint, types, import contracts and tests.
check: $(STAMP)
	$(BIN)/ruff format --check workshop tests bench
	$(MAKE) --no-print-directory lint types contracts test

## Benchmarks: print figures (ratios against a baseline measured in the same run).
bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
