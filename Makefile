# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv, install the local CPU torch wheel with pip (an unpinned
# torch would pull gigabytes of CUDA packages) and the package with its dev extra.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= quotes-demo.db

.PHONY: install demo test lint typecheck pytest bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/quotes demo --db $(DEMO_DB)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check quotes cli migrations

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck pytest

# Property-based fuzzing of every command (tests/test_fuzz.py) with many more
# examples than `make test` runs: 10 tests (5 on SQLite, 5 on PostgreSQL) x
# FUZZ_EXAMPLES, new random examples each run; totals in fuzz-report.jsonl.
FUZZ_EXAMPLES ?= 1000
fuzz: install
	rm -f fuzz-report.jsonl
	QUOTES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QUOTES_FUZZ_RANDOM=1 \
	QUOTES_FUZZ_REPORT=$(CURDIR)/fuzz-report.jsonl \
	$(BIN)/pytest -n 2 -q tests/test_fuzz.py; status=$$?; \
	$(BIN)/python tests/fuzz_summary.py fuzz-report.jsonl; exit $$status

bench: install
	$(BIN)/python benchmarks/foundation.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm fuzz-report.jsonl .hypothesis
