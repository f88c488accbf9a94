"""Shared fixtures: each config synthesized once per session by main.py itself."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tests.addresses import STACKS
from tests.commands import CommandResult, run_command
from tools import snapshots
from tools.snapshots import read_stacks

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"example": ROOT / "config" / "example.yaml", "full": ROOT / "tests" / "configs" / "full.yaml"}
"""The example, and a config with every option and every backend type at least once: the two
whose addresses the Terraform tests read from their snapshots (tests/addresses.py), validated, planned and applied with Terraform."""
SNAPSHOT_CONFIGS = snapshots.discover().configs
"""Every config whose stacks are compared with reviewed snapshots: config/*.yaml and the files
listed in tests/snapshots/configs.txt (the two above among them), by name."""
EXAMPLE_CONFIG, FULL_CONFIG = CONFIGS["example"], CONFIGS["full"]
EXAMPLE_STACKS, FULL_STACKS = STACKS["example"], STACKS["full"]

Json = dict[str, Any]
Synth = tuple[CommandResult, Path]
"""A main.py run and the output folder it wrote."""


def run_main(config: Path, outdir: Path, *args: str, **env: str) -> CommandResult:
    """main.py as the cdktf CLI runs it: a subprocess, config and outdir from the environment."""
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir), **env}
    return run_command([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=environ, timeout=600)


def synthesized(synth: Synth) -> Path:
    """The output folder of a main.py run that must have succeeded."""
    result, outdir = synth
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="session")
def config_synth(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Synth]:
    """`config_synth(path)`: one run of `python main.py` on the config in `path` per session,
    shared by every test that reads it. Under pytest-xdist the workers share it too: the first
    to need a config synthesizes it (under a lock) into the run's common temporary folder, the
    others read what it wrote. Tests copy an output folder before changing anything in it."""
    runs: dict[Path, Synth] = {}
    # Each worker's basetemp is <the run's basetemp>/<worker id>: the parent is this run's alone.
    shared = tmp_path_factory.getbasetemp().parent / "synths" if os.environ.get("PYTEST_XDIST_WORKER") else None

    def synthesize(config: Path) -> Synth:
        if shared is None:
            outdir = tmp_path_factory.mktemp(config.stem) / "cdktf.out"
            return run_main(config, outdir), outdir
        folder = shared / f"{config.stem}-{hashlib.sha256(str(config).encode()).hexdigest()[:8]}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            record = folder / "result.json"
            if not record.exists():
                result = run_main(config, folder / "cdktf.out")
                record.write_text(json.dumps(dataclasses.asdict(result)))
            fields = json.loads(record.read_text())
        fields["args"] = tuple(fields["args"])
        fields["diagnostics"] = tuple(fields["diagnostics"])
        return CommandResult(**fields), folder / "cdktf.out"

    def run(config: Path) -> Synth:
        if config not in runs:
            runs[config] = synthesize(config)
        return runs[config]

    return run


@pytest.fixture(scope="session")
def example_synth(config_synth: Callable[[Path], Synth]) -> Synth:
    """One run of `python main.py` on the example config."""
    return config_synth(EXAMPLE_CONFIG)


@pytest.fixture(scope="session")
def full_synth(config_synth: Callable[[Path], Synth]) -> Synth:
    """One run of `python main.py` on tests/configs/full.yaml."""
    return config_synth(FULL_CONFIG)


@pytest.fixture(scope="session")
def example_stacks(example_synth: Synth) -> dict[str, Json]:
    return read_stacks(synthesized(example_synth))


@pytest.fixture(scope="session")
def full_stacks(full_synth: Synth) -> dict[str, Json]:
    return read_stacks(synthesized(full_synth))


@pytest.fixture(scope="session")
def config_stacks(example_stacks: dict[str, Json], full_stacks: dict[str, Json]) -> dict[str, dict[str, Json]]:
    """Config name (`example`, `full`) -> its stacks."""
    return {"example": example_stacks, "full": full_stacks}


def spec_problems(model: type[BaseModel], data: Any) -> list[str]:
    """The error lines `data` gets from `model`, as a config file shows them, paths inside the model."""
    from config.loader import error_lines

    try:
        model.model_validate(data)
    except ValidationError as error:
        return error_lines(error, root=model)
    return []


SynthFn = Callable[[Callable[[Any], None]], Json]


@pytest.fixture
def synth() -> SynthFn:
    """Build constructs in a fresh stack with `build(stack)` and return the stack's JSON."""
    from engine import TerraformStack, Testing

    def run(build: Callable[[Any], None]) -> Json:
        stack = TerraformStack(Testing.app(), "test")
        build(stack)
        return json.loads(Testing.synth(stack))

    return run
