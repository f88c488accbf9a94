"""The same app on both engines (engine/): CDKTF 0.21 and CDK Terrain 0.24, on Node 22 LTS.

Every config is synthesized by both engines, each from its own environment (`.venv`,
`.venv-cdktn`: `make test` installs both), and the stacks must be the same but for the
hashicorp/google pin. A stack applied with the cdktf engine's output (google 6.50.0) then
plans with the cdktn engine's (google 8.7.0) against the same state: that is the migration
path the README describes, and it must show no change.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import engine
from tests.commands import run_command
from tests.conftest import CONFIGS, ROOT, Json, read_stacks
from tests.terraform.harness import Terraform, build_toolchain, local_backend_copy, planned_actions, standins
from tests.terraform.plugin import in_parallel
from tools.snapshots import strip_metadata

PYTHONS = {"cdktf": ROOT / ".venv" / "bin" / "python", "cdktn": ROOT / ".venv-cdktn" / "bin" / "python"}
GOOGLE_PINS = {"cdktf": {"source": "google", "version": "6.50.0"}, "cdktn": {"source": "hashicorp/google", "version": "8.7.0"}}
NODE = ROOT / "node_modules" / ".bin" / "node"
# What jsii prints about a Node version it does not like (end-of-life, deprecated, untested).
NODE_BANNER = "!!  "


def synth(engine_name: str, config: Path, outdir: Path, **env: str) -> Path:
    assert PYTHONS[engine_name].exists(), f"{PYTHONS[engine_name]} is missing: make test installs both engines"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("JSII_", "MODEL_REGISTRY_", "CDKTF_"))}
    environ.update(MODEL_REGISTRY_ENGINE=engine_name, MODEL_REGISTRY_CONFIG=str(config), CDKTF_OUTDIR=str(outdir), **env)
    result = run_command([str(PYTHONS[engine_name]), str(ROOT / "main.py")], cwd=ROOT, env=environ)
    assert result.ok, result.stderr
    assert NODE_BANNER not in result.stderr, result.stderr
    return outdir


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(engine, config) -> its output folder."""
    root = tmp_path_factory.mktemp("engines")
    jobs = {
        (name, config): lambda n=name, c=config: synth(n, CONFIGS[c], root / n / c)
        for name in PYTHONS
        for config in CONFIGS
    }
    return in_parallel(jobs)


def without_google_pin(stack: Json) -> Json:
    stack = strip_metadata(stack)
    stack.get("terraform", {}).get("required_providers", {}).pop("google", None)
    return stack


@pytest.mark.slow
@pytest.mark.parametrize("config", list(CONFIGS))
def test_both_engines_write_the_same_stacks_but_for_the_google_pin(config: str, outputs: dict[tuple[str, str], Path]) -> None:
    cdktf, cdktn = (read_stacks(outputs[name, config]) for name in PYTHONS)
    assert sorted(cdktf) == sorted(cdktn)
    for stack in cdktf:
        assert without_google_pin(cdktf[stack]) == without_google_pin(cdktn[stack]), stack
        for name, stacks in (("cdktf", cdktf), ("cdktn", cdktn)):
            pin = stacks[stack]["terraform"]["required_providers"].get("google")
            assert pin in (None, GOOGLE_PINS[name]), (stack, name, pin)


def test_each_engine_pins_its_own_google() -> None:
    assert GOOGLE_PINS[engine.ENGINE]["version"] == engine.GOOGLE_VERSION


def test_jsii_runs_on_the_pinned_node_22_and_prints_no_node_banner(tmp_path: Path) -> None:
    version = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v22."), version
    # No JSII_SILENCE_* in the environment (synth() drops them): a banner would show.
    probe = "import os, engine; print(os.environ['JSII_NODE'])"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JSII_")}
    result = run_command([str(PYTHONS[engine.ENGINE]), "-c", probe], cwd=ROOT, env=environ)
    assert result.stdout.strip() == str(NODE) and NODE_BANNER not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def migration(outputs: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Json:
    """prod-gcp applied from the cdktf engine's stack (google 6.50.0), then planned from the
    cdktn engine's (google 8.7.0) in the same folder, on the same state, after `init -upgrade`."""
    root = tmp_path_factory.mktemp("migration")
    before = build_toolchain(root / "cdktf-toolchain", providers=standins("6.50.0"))
    after = build_toolchain(root / "cdktn-toolchain", providers=standins("8.7.0"))
    folder = local_backend_copy(outputs["cdktf", "example"] / "stacks" / "prod-gcp", root / "stack")
    terraform = Terraform(folder, before)
    terraform.init()
    terraform.apply()
    folder.joinpath("cdk.tf.json").unlink()
    local_backend_copy(outputs["cdktn", "example"] / "stacks" / "prod-gcp", root / "cdktn-copy")
    (root / "cdktn-copy" / "cdk.tf.json").rename(folder / "cdk.tf.json")
    upgraded = Terraform(folder, after)
    upgraded.run("init", "-upgrade", "-input=false", "-no-color")
    return upgraded.plan()


@pytest.mark.slow
def test_moving_a_deployed_stack_to_cdktn_plans_no_change(migration: Json) -> None:
    actions = planned_actions(migration)
    assert actions and set(map(tuple, actions.values())) == {("no-op",)}, actions
