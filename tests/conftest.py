"""Shared fixtures: the example config synthesized once per session by main.py itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config" / "example.yaml"
FULL_CONFIG = ROOT / "tests" / "configs" / "full.yaml"
"""Every option and every backend type at least once."""
EXAMPLE_STACKS = ("dev-gcp", "dev-oci", "prod-gcp", "prod-oci")
FULL_STACKS = (
    "gcs-state-gcp",
    "gcs-state-oci",
    "oci-state-oci",
    "research-gcp",
    "research-oci",
    "staging-gcp",
    "staging-oci",
    "tagged-oci",
)
"""The stacks each config describes, sorted: written out, so a lost or extra stack fails."""

Json = dict[str, Any]


def run_main(config: Path, outdir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """main.py as the cdktf CLI runs it: a subprocess, config and outdir from the environment."""
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir), **env}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600
    )


def read_stacks(outdir: Path) -> dict[str, Json]:
    """Each synthesized stack's cdk.tf.json, by stack name."""
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


@pytest.fixture(scope="session")
def example_synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One run of `python main.py` on the example config, shared by every test that reads it."""
    outdir = tmp_path_factory.mktemp("example") / "cdktf.out"
    return run_main(EXAMPLE_CONFIG, outdir), outdir


@pytest.fixture(scope="session")
def example_stacks(example_synth: tuple[subprocess.CompletedProcess[str], Path]) -> dict[str, Json]:
    return successful_stacks(example_synth)


@pytest.fixture(scope="session")
def full_synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One run of `python main.py` on tests/configs/full.yaml."""
    outdir = tmp_path_factory.mktemp("full") / "cdktf.out"
    return run_main(FULL_CONFIG, outdir), outdir


@pytest.fixture(scope="session")
def full_stacks(full_synth: tuple[subprocess.CompletedProcess[str], Path]) -> dict[str, Json]:
    return successful_stacks(full_synth)


def successful_stacks(synth: tuple[subprocess.CompletedProcess[str], Path]) -> dict[str, Json]:
    """The stacks of a main.py run that must have succeeded."""
    result, outdir = synth
    assert result.returncode == 0, result.stderr
    return read_stacks(outdir)


def strip_metadata(value: Any) -> Any:
    """A stack without cdktf's `//` metadata keys, which carry construct paths, not configuration."""
    if isinstance(value, dict):
        return {k: strip_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [strip_metadata(v) for v in value]
    return value


SynthFn = Callable[[Callable[[Any], None]], Json]


@pytest.fixture
def synth() -> SynthFn:
    """Build constructs in a fresh stack with `build(stack)` and return the stack's JSON."""
    from cdktf import App, Testing, TerraformStack

    def run(build: Callable[[Any], None]) -> Json:
        stack = TerraformStack(Testing.app(), "test")
        build(stack)
        return json.loads(Testing.synth(stack))

    return run
