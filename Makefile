# The two commands of README.md:
#   make serve   venv + install + migrate, then gunicorn on http://127.0.0.1:8000
#                (PLUE_BIND, PLUE_DATA_DIR, PLUE_DATABASE_URL and every PLUE_* setting honoured)
#   make test    the suite on SQLite, then on a throwaway PostgreSQL cluster (tools/run-tests.sh)
# Also: make lint (CI runs it too), make venv, make bench (the targets of issues 12-16, bench/README.md). PYTEST_ARGS="tests/core -x" narrows `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when a pyproject.toml changed: these stamps remember the last install.
PLUE_STAMP := $(VENV)/.plue-installed
HELLO_STAMP := $(VENV)/.hello-installed
LINT_STAMP := $(VENV)/.lint-installed
HELLO := docs/examples/plue-hello

.PHONY: serve test lint venv bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PLUE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The example third-party plugin is installed for the tests only (they prove it loads from
# its entry point); `make serve` removes it again.
$(HELLO_STAMP): $(HELLO)/pyproject.toml $(PLUE_STAMP)
	$(BIN)/python -m pip install -q -e $(HELLO)
	touch $@

venv: $(PLUE_STAMP)

serve: $(PLUE_STAMP)
	@if [ -f $(HELLO_STAMP) ]; then \
	  echo "removing the example plugin plue-hello that 'make test' installed"; \
	  $(BIN)/python -m pip uninstall -q -y plue-hello && rm -f $(HELLO_STAMP); \
	fi
	$(BIN)/plue migrate
	exec $(BIN)/plue serve

test: $(PLUE_STAMP) $(HELLO_STAMP)
	PYTHON=$(BIN)/python tools/run-tests.sh $(PYTEST_ARGS)

$(LINT_STAMP): pyproject.toml $(PLUE_STAMP)
	$(BIN)/python -m pip install -q -e '.[lint]'
	touch $@

# Syntax, undefined names, unused imports (tests import fixtures they use as arguments), and
# the import boundaries between the layers (.importlinter, docs/architecture.md). CI runs it.
lint: $(LINT_STAMP)
	$(BIN)/python -m compileall -q plue_core plue_workflows plugins hosts tests $(HELLO)
	$(BIN)/python -m ruff check --select E9,F63,F7,F82,F401,F811 plue_core plue_workflows plugins hosts tests $(HELLO)
	$(BIN)/lint-imports --no-cache

# One table: each target of issues 12-16, this run's figure and its same-run baseline (several
# minutes; PLUE_BENCH_DATABASES=sqlite for one database, BENCH_ARGS="--only memory").
bench: $(PLUE_STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)
