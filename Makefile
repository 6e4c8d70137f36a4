PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 4000

.PHONY: up demo schema test check install clean fixtures bench bench-abuse fuzz

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The city graph: six simulated legacy systems, six OPD subgraphs and the gateway.
up: $(STAMP)
	$(BIN)/python -m simpul.city --host $(HOST) --port $(PORT)

# The two-subgraph demo (products, reviews) in one process.
demo: $(STAMP)
	$(BIN)/python -m simpul.demo --host $(HOST) --port $(PORT)

# Recompose the city graph from the exported subgraph SDLs, and the portal's trusted
# documents from its operations (tests fail when either is stale).
schema: $(STAMP)
	$(BIN)/simpul compose --config schema/subgraphs.toml -o schema/supergraph.graphql \
		--api-schema schema/api.graphql
	$(BIN)/simpul documents manifest portal/operations -o portal/persisted-documents.json
	$(BIN)/python -m simpul.graph_configmap

# PostgreSQL, MariaDB and Redis running and Chromium installed: started or installed when
# this machine allows it (scripts/services.sh), otherwise it says what to do.
test: $(STAMP)
	scripts/services.sh
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/ruff format --check gateway subgraphs simpul tests bench
	$(BIN)/ruff check gateway subgraphs simpul tests bench
	$(BIN)/mypy gateway subgraphs simpul

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

fixtures: $(STAMP)
	SIMPUL_WRITE_FIXTURES=1 $(BIN)/pytest -q tests/planner tests/e2e tests/toolkit

# Simpul against Hive Gateway, Apollo Gateway and Grafbase, same run, same pinning
# (docs/performance.md).
# Installs wrk (apt) and the peers (npm, into .cache/bench-node) when missing; about 30 minutes.
# BENCH_RUNS, BENCH_SECONDS, BENCH_WARMUP, BENCH_GATEWAYS, BENCH_SCENARIOS: see bench/run.py.
bench: $(STAMP)
	$(BIN)/python -m bench.run

# An ordinary query's latency while the city is attacked, and how fast attacks are refused.
bench-abuse: $(STAMP)
	$(BIN)/python -m bench.abuse

# Random operations over the project's supergraphs, answered by Simpul, Hive Gateway and
# Apollo Gateway (installed like the bench's peers), every disagreement shrunk and printed;
# then over every planner fixture and the city graph, their subgraphs mocked, against the data
# without federation.
SEED ?= 1
N ?= 200
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --seed $(SEED) -n $(N)
	FUZZ_SEED=$(SEED) FUZZ_N=$(N) $(BIN)/pytest -q tests/fuzz/test_fixtures.py
