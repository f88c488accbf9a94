# The two commands of the README. Each one installs what it needs the first time and
# reuses it after (the stamps below are rebuilt only when a pin changes):
#   make synth   synthesize config/example.yaml (or $MODEL_REGISTRY_CONFIG) into cdktf.out/
#   make test    run every check: lint, types, the test suite but its slow lane (make test-slow; .ci/run runs both)
# And: make verify (what a pull request needs: every config checked, synthesized, compared with
# its snapshots, scanned by checkov; under a minute), make check (the config alone, no Node),
# make cli (the pinned cdktf CLI, for npx cdktf deploy), make snapshots (record reviewed snapshots),
# make review (what a change does in the cloud).
# ENGINE=cdktn runs either on CDK Terrain instead of CDKTF (engine/), from .venv-cdktn/.

PYTHON ?= python3
ENGINE ?= cdktf
ifeq ($(ENGINE),cdktf)
VENV := .venv
else ifeq ($(ENGINE),cdktn)
VENV := .venv-cdktn
else
$(error ENGINE=$(ENGINE): use cdktf (the default) or cdktn)
endif
PY := $(VENV)/bin/python
PIP = $(1)/bin/python -m pip --disable-pip-version-check --quiet
# Every process of an environment runs engine/node.py at start (a .pth file in its
# site-packages), so jsii starts on the pinned Node whichever module is imported first.
NODE_PTH = $*/bin/python -c 'import pathlib, sysconfig; node = str(pathlib.Path("engine/node.py").resolve()); pathlib.Path(sysconfig.get_paths()["purelib"], "model_registry_node.pth").write_text(f"import os, runpy; os.path.exists({node!r}) and runpy.run_path({node!r})\n")'
export MODEL_REGISTRY_ENGINE := $(ENGINE)
# Node 22 LTS from package.json runs jsii and the CLIs (engine/node.py also points jsii at it).
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
# The CLIs phone home for version checks; these machines (and many CI runners) have no route.
export CHECKPOINT_DISABLE := 1

# Every product module, found by a glob (everything but tests/ and bench/): a new module
# cannot skip type checking.
PRODUCT := $(filter-out tests/% bench/%,$(wildcard *.py */*.py))
MODULES := $(patsubst %.__init__,%,$(subst /,.,$(PRODUCT:.py=)))

.PHONY: synth check verify cli test test-slow test-engine lint typecheck bindings schema reference snapshots review bench

synth: $(VENV)/.runtime node_modules/.installed
	$(PY) main.py

# Load and check the config and MODEL_REGISTRY_STACKS, print what a synth would build; writes
# nothing, needs no Node and never imports cdktf.
check: $(VENV)/.runtime
	$(PY) main.py --check

# Every config (or CONFIG=config/acme.yaml alone) checked, synthesized in one process, compared
# with its reviewed snapshots and scanned by checkov (tools/verify.py): the team's loop, and CI's.
verify: $(VENV)/.runtime node_modules/.installed .venv-checkov/.installed
	$(PY) -m tools.verify $(CONFIG)

# The pinned cdktf and cdktn CLIs (and Node 22) in node_modules/: what `npx cdktf deploy` runs.
# make synth and make test install them too.
cli: node_modules/.installed

# make test leaves out the slow lane (pytest -m slow: the CLIs end to end, both engines side by
# side, checkov), which make test-slow runs; .ci/run runs both. MARKERS= runs every test at once.
# The slow lane compares the stacks of both engines (tests/terraform/test_engines.py): it needs both.
MARKERS ?= not slow
TEST_NEEDS := $(VENV)/.test .venv/.runtime .venv-cdktn/.runtime .venv-checkov/.installed node_modules/.installed
test: lint typecheck $(TEST_NEEDS)
	$(PY) -m pytest -n 2 --dist loadfile -m "$(MARKERS)" $(PYTEST_ARGS)

# The tests PYTEST_ARGS names, every lane, on ENGINE: .ci/run runs it with ENGINE=cdktn. Lint and
# types are the same on both engines (mypy reads cdktf's types: engine/__init__.py), so make test ran them.
test-engine: $(TEST_NEEDS)
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-slow: $(TEST_NEEDS)
	$(PY) -m pytest -n 2 --dist loadfile -m slow $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(PY) -m ruff check .

typecheck: $(VENV)/.test
	$(PY) -m mypy $(addprefix -m ,$(MODULES))

# Record the reviewed snapshots of every config's stacks (or of CONFIG=config/acme.yaml alone) in
# tests/snapshots/: read the diff like a terraform plan, then commit it. make test only compares.
# A change that replaces or destroys a bucket or repository, a key policy still used, or empties an
# authoritative IAM policy is refused unless ACCEPT=replace:<address>,destroy:<address>,... names it.
snapshots: $(VENV)/.runtime node_modules/.installed
	$(PY) tools/snapshots.py $(if $(ACCEPT),--accept "$(ACCEPT)") $(CONFIG)

# What the config's changes from its reviewed snapshots do in the cloud, one line per resource, most
# dangerous first (CONFIG=config/acme.yaml for another config); synthesizes into a temporary folder.
review: $(VENV)/.runtime node_modules/.installed
	$(if $(CONFIG),MODEL_REGISTRY_CONFIG=$(CONFIG)) $(PY) main.py --review

# Rewrite bindings/*.py from facts/ (a test fails while they differ).
bindings:
	$(PYTHON) tools/generate_bindings.py

# Rewrite config/schema.json from config/models.py (a test fails while it differs).
schema: $(VENV)/.runtime
	$(PY) tools/config_schema.py

# Rewrite docs/config-reference.md from config/models.py (a test fails while it differs).
reference: $(VENV)/.runtime
	$(PY) tools/config_reference.py

bench: $(VENV)/.test .venv-cdktn/.runtime .venv-checkov/.installed node_modules/.installed
	$(PY) bench/synth.py

%/.runtime:
	test -x $*/bin/python || $(PYTHON) -m venv $*
	$(call PIP,$*) install -r $(if $(filter .venv-cdktn,$*),requirements-cdktn.txt,requirements.txt)
	$(NODE_PTH)
	touch $@

.venv/.runtime: requirements.txt requirements-core.txt engine/node.py
.venv-cdktn/.runtime: requirements-cdktn.txt requirements-core.txt engine/node.py

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(call PIP,$(VENV)) install -r requirements-test.txt
	touch $@

.venv-checkov/.installed: requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	$(call PIP,.venv-checkov) install -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
