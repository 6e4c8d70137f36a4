PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 4000
SUPERGRAPH ?= schema/demo/supergraph.graphql

.PHONY: up test check install clean fixtures bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

up: $(STAMP)
	$(BIN)/python -m gateway.demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/ruff format --check gateway subgraphs tests bench
	$(BIN)/ruff check gateway subgraphs tests bench
	$(BIN)/mypy gateway subgraphs/toolkit subgraphs/reference

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

fixtures: $(STAMP)
	SIMPUL_WRITE_FIXTURES=1 $(BIN)/pytest -q tests/planner tests/e2e tests/toolkit

# Simpul against Hive Gateway and Apollo Gateway, same run, same pinning (docs/performance.md).
# Installs wrk (apt) and the peers (npm, into .cache/bench-node) when missing; about 3 minutes.
# BENCH_SECONDS, BENCH_WARMUP, BENCH_GATEWAYS, BENCH_SCENARIOS: see bench/run.py.
bench: $(STAMP)
	$(BIN)/python -m bench.run
