# The two commands of the README. Each one installs what it needs into .venv/
# (and node_modules/ for the tests) the first time, and reuses it after:
# the stamps below are rebuilt only when the pinned requirements change.
#   make synth   synthesize config/example.yaml (or $MODEL_REGISTRY_CONFIG) into cdktf.out/
#   make test    run every check: lint, types, the test suite

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# The cdktf CLI phones home for version checks; these machines (and many CI runners) have no route.
export CHECKPOINT_DISABLE := 1

# Every product module, found by a glob (everything but tests/ and bench/): a new module
# cannot skip type checking.
PRODUCT := $(filter-out tests/% bench/%,$(wildcard *.py */*.py))
MODULES := $(patsubst %.__init__,%,$(subst /,.,$(PRODUCT:.py=)))

.PHONY: synth test lint typecheck bindings bench

synth: $(VENV)/.runtime
	$(PY) main.py

test: lint typecheck $(VENV)/.test .venv-checkov/.installed node_modules/.installed
	$(PY) -m pytest -n 2 --dist loadfile

lint: $(VENV)/.test
	$(PY) -m ruff check .

typecheck: $(VENV)/.test
	$(PY) -m mypy $(addprefix -m ,$(MODULES))

# Rewrite bindings/*.py from facts/ (a test fails while they differ).
bindings:
	$(PYTHON) tools/generate_bindings.py

bench: $(VENV)/.test .venv-checkov/.installed node_modules/.installed
	$(PY) bench/synth.py

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(PIP) install -r requirements-test.txt
	touch $@

.venv-checkov/.installed: requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip --disable-pip-version-check --quiet install -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
