"""The README tells the truth: its commands and its example config are the real ones."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.conftest import Synth

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


def code_block_after(marker: str) -> list[str]:
    """The lines of the first plain code block after `marker` in the README, unindented."""
    rest = README[README.index(marker) :]
    block = re.search(r"\n *```\n(.*?)\n *```", rest, re.S)
    assert block is not None, marker
    return [line.strip() for line in block.group(1).splitlines()]


def test_readme_check_example_is_what_make_check_prints() -> None:
    import os

    from tests.commands import run_command

    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MODEL_REGISTRY_", "CDKTF_"))}
    result = run_command([sys.executable, str(ROOT / "main.py"), "--check"], cwd=ROOT, env=environ)
    assert result.returncode == 0, result.stderr
    assert code_block_after("1. **Check the config**") == [line.strip() for line in result.stdout.splitlines()]


def test_readme_summary_example_is_what_make_synth_prints(example_synth: Synth) -> None:
    result, outdir = example_synth
    assert result.returncode == 0, result.stderr

    def normal(line: str) -> str:
        # The suite synthesizes into a folder of its own; the README into cdktf.out/. Times vary.
        line = line.replace(f"{outdir.parent}/state/", "state/").replace(str(outdir), "cdktf.out")
        return re.sub(r"in \d+\.\d s\.$", "in N s.", re.sub(r"\s+", " ", line.strip()))

    assert [normal(line) for line in code_block_after("2. **Synthesize**")] == [normal(line) for line in result.stderr.splitlines()]


def test_every_make_target_the_readme_names_exists() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", README)) | set(re.findall(r"^make ([a-z][a-z-]*)", README, re.M))
    assert named >= {"synth", "test", "check", "cli", "snapshots"}
    assert named - targets == set()


def test_every_main_py_flag_the_readme_names_is_one_main_py_takes() -> None:
    import main

    named = set(re.findall(r"main\.py (--[a-z-]+)", README))
    assert named >= {"--check", "--quiet", "--help"}
    assert named - {*main.FLAGS, "--help"} == set()
