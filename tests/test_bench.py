"""The benchmark's generated config stays a valid config as the rules grow (bench/synth.py
refuses to run on one that is not, after minutes of the other variants)."""

from __future__ import annotations

import sys
from pathlib import Path

from config import load_config
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import scaled_config


def test_the_scaled_config_loads(tmp_path: Path) -> None:
    config = load_config(scaled_config.write(tmp_path / "scaled.yaml", environments=2, repositories=5, buckets=5))
    assert sorted(config.environments) == ["env00", "env01"]
