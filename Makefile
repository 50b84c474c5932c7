# rtp_py tasks. The two that matter: `make serve` (the demo) and `make test` (everything, from scratch).
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: serve test unit e2e bench setup vendor clean

serve:              ## install the runtimes if missing, then serve index.html and demo/ on http://127.0.0.1:$(PORT)/
	@bash scripts/setup.sh runtime
	@python3 scripts/serve.py --port $(PORT)

test: setup         ## install whatever is missing (Chromium, Python and npm packages), then run all tests
	.venv/bin/python -m pytest $(PYTEST_ARGS)

unit: setup         ## only the CPython unit tests
	.venv/bin/python -m pytest tests/unit $(PYTEST_ARGS)

e2e: setup          ## only the browser tests
	.venv/bin/python -m pytest tests/e2e $(PYTEST_ARGS)

bench: setup        ## measure load, call cost, latency and soak on both interpreters vs plain JS; prints a table
	.venv/bin/python bench/run.py $(BENCH_ARGS)

setup:
	@bash scripts/setup.sh

vendor:
	@bash scripts/setup.sh runtime

clean:
	rm -rf vendor test-results bench-results .pytest_cache .hypothesis
