"""Shared fixtures: the example and full configs synthesized once per session by main.py itself."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"example": ROOT / "config" / "example.yaml", "full": ROOT / "tests" / "configs" / "full.yaml"}
"""The example, and a config with every option and every backend type at least once."""
EXAMPLE_CONFIG, FULL_CONFIG = CONFIGS["example"], CONFIGS["full"]
EXAMPLE_STACKS, FULL_STACKS = STACKS["example"], STACKS["full"]

Json = dict[str, Any]
Synth = tuple[CommandResult, Path]
"""A main.py run and the output folder it wrote."""


def run_main(config: Path, outdir: Path, **env: str) -> CommandResult:
    """main.py as the cdktf CLI runs it: a subprocess, config and outdir from the environment."""
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir), **env}
    return run_command([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=environ, timeout=600)


def read_stacks(outdir: Path) -> dict[str, Json]:
    """Each synthesized stack's cdk.tf.json, by stack name."""
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


def synthesized(synth: Synth) -> Path:
    """The output folder of a main.py run that must have succeeded."""
    result, outdir = synth
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="session")
def example_synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """One run of `python main.py` on the example config, shared by every test that reads it."""
    outdir = tmp_path_factory.mktemp("example") / "cdktf.out"
    return run_main(EXAMPLE_CONFIG, outdir), outdir


@pytest.fixture(scope="session")
def full_synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """One run of `python main.py` on tests/configs/full.yaml."""
    outdir = tmp_path_factory.mktemp("full") / "cdktf.out"
    return run_main(FULL_CONFIG, outdir), outdir


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


def strip_metadata(value: Any) -> Any:
    """A stack without cdktf's `//` metadata keys, which carry construct paths, not configuration."""
    if isinstance(value, dict):
        return {k: strip_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [strip_metadata(v) for v in value]
    return value


DEFAULT_GOOGLE_PIN = {"source": "google", "version": "6.50.0"}
"""What the default engine (cdktf) writes to `required_providers.google`; cdktn writes
hashicorp/google 8.7.0 (tests/test_engines.py checks that this is all that differs)."""


def as_reviewed(stack: Json) -> Json:
    """A stack as its reviewed snapshot holds it: without metadata, in the default engine's google pin."""
    stack = strip_metadata(stack)
    providers = stack.get("terraform", {}).get("required_providers", {})
    if "google" in providers:
        providers["google"] = DEFAULT_GOOGLE_PIN
    return stack


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
