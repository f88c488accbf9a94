# The two commands of the README. Each one installs what it needs into .venv/
# (and node_modules/ for the tests) the first time, and reuses it after:
# the stamps below are rebuilt only when the pinned requirements change.
#   make synth   synthesize config/example.yaml (or $MODEL_REGISTRY_CONFIG) into cdktf.out/
#   make test    run every check

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# The cdktf CLI phones home for version checks; these machines (and many CI runners) have no route.
export CHECKPOINT_DISABLE := 1

.PHONY: synth test bench typecheck

synth: $(VENV)/.runtime
	$(PY) main.py

test: $(VENV)/.test .venv-checkov/.installed node_modules/.installed
	$(PY) -m pytest

# mypy --strict over the product code (config, stacks, constructs, bindings, main.py).
typecheck: $(VENV)/.typecheck
	$(PY) -m mypy --strict --explicit-package-bases --namespace-packages -p config -p stacks -p bindings -m main \
		-m constructs.rules -m constructs.artifact_registry_rules -m constructs.object_storage_rules \
		-m constructs.model_bucket -m constructs.model_registry_repository

$(VENV)/.typecheck: requirements-typecheck.txt $(VENV)/.runtime
	$(PIP) install -r requirements-typecheck.txt
	touch $@

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
