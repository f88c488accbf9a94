"""The README tells the truth: its commands and its example config are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None and README.index(first_block.group(0)) < README.index("\n## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make synth", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "\nmake test\n" in (ROOT / ".ci" / "run").read_text()


def test_readme_example_is_the_synthesized_config() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    assert (ROOT / "config" / "example.yaml").read_text() in blocks
