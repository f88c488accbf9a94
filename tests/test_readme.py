"""The README and the docs tell the truth: their commands are the real ones, their links lead somewhere.

Their YAML recipes are synthesized by tests/test_docs_recipes.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.conftest import Synth

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
DOCUMENTS = {path: path.read_text() for path in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]}
EVERY_DOCUMENT = "\n".join(DOCUMENTS.values())


def test_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None and README.index(first_block.group(0)) < README.index("\n## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make synth", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "\nmake test\n" in (ROOT / ".ci" / "run").read_text()


def test_readme_stays_a_page_for_users() -> None:
    assert len(README.splitlines()) <= 250


def test_every_relative_link_leads_to_a_file_and_heading_that_exist() -> None:
    def anchors(text: str) -> set[str]:
        headings = re.findall(r"^#+ (.*)$", text, re.M)
        explicit = re.findall(r'<a id="([^"]+)"></a>', text)
        return {re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-") for heading in headings} | set(explicit)

    broken = []
    for path, text in DOCUMENTS.items():
        for target in re.findall(r"\]\(([^)#:]*)(?:#([^)]*))?\)", text):
            file, anchor = (path.parent / target[0]).resolve() if target[0] else path, target[1]
            if not file.exists() or (anchor and file.suffix == ".md" and anchor not in anchors(file.read_text())):
                broken.append(f"{path.relative_to(ROOT)}: {target[0]}#{anchor}")
    assert broken == []


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


def test_every_make_target_the_docs_name_exists() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", EVERY_DOCUMENT)) | set(re.findall(r"^make ([a-z][a-z-]*)", EVERY_DOCUMENT, re.M))
    assert named >= {"synth", "test", "check", "cli", "snapshots", "verify", "schema", "reference"}
    assert named - targets == set()


def test_every_main_py_flag_the_docs_name_is_one_main_py_takes() -> None:
    import main

    named = set(re.findall(r"main\.py (--[a-z-]+)", EVERY_DOCUMENT))
    assert named >= {"--check", "--quiet", "--help"}
    assert named - {*main.FLAGS, "--help"} == set()
