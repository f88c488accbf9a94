"""The benchmark's generated config stays a valid config as the rules grow (bench/synth.py
refuses to run on one that is not, after minutes of the other variants)."""

from __future__ import annotations

import sys
from pathlib import Path

from config import load_config
from tests.conftest import ROOT
from tools import snapshots

sys.path.insert(0, str(ROOT / "bench"))
import scaled_config
import synth


def test_the_scaled_config_loads(tmp_path: Path) -> None:
    config = load_config(scaled_config.write(tmp_path / "scaled.yaml", environments=2, repositories=5, buckets=5))
    assert sorted(config.environments) == ["env00", "env01"]


def test_the_verify_variants_run_what_make_verify_runs(tmp_path: Path) -> None:
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nverify:", 1)[1].split("\n\n", 1)[0]
    verify = {v.key: v for v in synth.VARIANTS if v.module}
    assert set(verify) == {"verify", "verify-full-yaml", "verify-all"}
    runner = synth.Runner(synth.parse_args([]), tmp_path)
    for variant in verify.values():
        assert f"$(PY) -m {variant.module} $(CONFIG)" in recipe
        assert runner.command(variant) == [runner.python, "-m", variant.module, *variant.args]
    # Each measures configs that verify knows, the two the issue names among them.
    named = [Path(arg) for v in verify.values() for arg in v.args]
    assert snapshots.select(snapshots.discover(), named)[1] == []
    assert {str(p) for p in named} == {"config/example.yaml", "tests/configs/full.yaml"}
