"""docs/config-reference.md: current with the models, every key of every model in it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.commands import run_command
from tests.conftest import ROOT
from tools import config_reference


def test_checked_in_reference_is_what_the_generator_writes_without_starting_jsii() -> None:
    result = run_command([sys.executable, "-X", "importtime", "tools/config_reference.py", "--check"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "pydantic" in imported and not imported & {"cdktf", "cdktn", "jsii", "constructs"}


def test_check_names_the_command_when_the_file_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(config_reference, "REFERENCE", tmp_path / "config-reference.md")
    assert config_reference.main(["--check"]) == 1
    assert capsys.readouterr().err == f"stale: docs/config-reference.md differs from config/models.py; run {config_reference.COMMAND}\n"
    assert config_reference.main([]) == 0
    assert config_reference.main(["--check"]) == 0


def test_every_key_of_every_model_has_a_row_under_its_path() -> None:
    text = (ROOT / config_reference.REFERENCE_NAME).read_text(encoding="utf-8")
    paths = {section.path for section in config_reference.sections()}
    assert {"", "environments.<env>.backend", "environments.<env>.gcp.repositories[].cleanup", "environments.<env>.oci.buckets[].replication"} <= paths
    for section in config_reference.sections():
        body = text.split(f'<a id="{section.model.__name__.lower()}"></a>', 1)[1].split("<a id=", 1)[0]
        missing = [key for key in section.model.model_fields if f"\n| `{key}` |" not in body]
        assert missing == [], section.path


def test_the_outputs_page_shows_exactly_the_declared_outputs() -> None:
    import re

    from specs import outputs

    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\| `<id>_(\w+)` \|", text)) == set(outputs.REPOSITORY)
    assert set(re.findall(r"\| `<b>_(\w+)` \|", text)) == set(outputs.BUCKET)
