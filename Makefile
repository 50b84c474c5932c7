# rtp_py tasks. The two that matter: `make serve` (the demo) and `make test` (everything, from scratch).
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
DEST ?=
KIT_ARGS ?=
# Test processes: the machines have two cores, and a page's start-up leaves one idle. JOBS=0 runs in one process.
JOBS ?= 2

.PHONY: serve test check lint types unit e2e bench setup vendor wheel kit clean

serve:              ## install the runtimes and build dist/ (rtp_py's bundle and loader) if needed, then serve index.html and demo/ on http://127.0.0.1:$(PORT)/
	@bash scripts/setup.sh runtime
	@python3 scripts/serve.py --port $(PORT)

# Coverage is measured where rtp_py runs in this process, the unit tests and doctests; in the browser tests it runs
# in the page, and tracing the test process (its server, Playwright, the engines' proxy) only slowed them down.
test: setup         ## install whatever is missing (browsers, Python and npm packages, dist/), then lint, type-check and run all tests
	@$(MAKE) --no-print-directory lint types
ifeq ($(PYTEST_ARGS),)
	.venv/bin/python -m pytest -n $(JOBS) tests/unit rtp_py --cov --cov-report=term
	.venv/bin/python -m pytest -n $(JOBS) tests/e2e
else
	.venv/bin/python -m pytest -n $(JOBS) $(PYTEST_ARGS)
endif

check: setup        ## the inner loop (under a minute): lint, types, unit tests and doctests, the parity test; no browser
	@$(MAKE) --no-print-directory lint types
	.venv/bin/python -m pytest -n $(JOBS) tests/unit rtp_py -q $(PYTEST_ARGS)

lint:               ## ruff for Python, ESLint for JavaScript
	.venv/bin/ruff check
	node_modules/.bin/eslint .

types:              ## mypy over rtp_py, demo/app.py and the README's examples
	.venv/bin/python scripts/check_types.py

unit: setup         ## only the CPython tests: unit tests and doctests, with coverage
	.venv/bin/python -m pytest tests/unit rtp_py --cov --cov-report=term $(PYTEST_ARGS)

e2e: setup          ## only the browser tests
	.venv/bin/python -m pytest -n $(JOBS) tests/e2e $(PYTEST_ARGS)

bench: setup        ## measure load, call cost, latency and soak on both interpreters vs plain JS; prints a table
	.venv/bin/python bench/run.py $(BENCH_ARGS)

setup:
	@bash scripts/setup.sh

vendor:
	@bash scripts/setup.sh runtime

wheel:              ## build dist/: rtp_py-<version>.bundle and .js (what pages load) and the wheel, standard library only (only if rtp_py/ changed)
	@bash scripts/setup.sh wheel

kit:                ## write everything a page needs into DEST: make kit DEST=~/site [KIT_ARGS="--url /rtp/"]
	@if [ -z "$(DEST)" ]; then echo 'usage: make kit DEST=/path/to/your/site [KIT_ARGS="--url /rtp/ --interpreter mpy"]' >&2; exit 2; fi
	@bash scripts/setup.sh runtime
	@python3 scripts/kit.py $(KIT_ARGS) "$(DEST)"

clean:
	rm -rf vendor dist test-results bench-results .pytest_cache .hypothesis .coverage
