"""How the tests of a cloud's model (test_model_oci.py, test_model_gcp.py) show each of its
rules: in-process against the model's hooks (`shows`), and a few stacks broken on purpose,
applied against a world, to show Terraform surfacing the model's refusal (`Break`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.conftest import CONFIGS, Json, Synth, synthesized
from tests.terraform.harness import STACK_FILE, Terraform, TerraformError, Toolchain, local_backend_copy
from tests.terraform.model import Rule
from tests.terraform.plugin import in_parallel, world_env

Edit = Callable[[Json], None]
Test = TypeVar("Test", bound=Callable[..., None])
README = Path(__file__).parent / "README.md"


def unlisted(rules: Iterable[Rule]) -> list[str]:
    """The rules whose row (`| id | rule | source |`) tests/terraform/README.md lacks."""
    readme = README.read_text()
    return [rule.id for rule in rules if f"| `{rule.id}` | {rule.rule} | {rule.source} |" not in readme]


def shows(*rules: str) -> Callable[[Test], Test]:
    """Marks a test as the proof of the model rules it names: `rules_without_a_test` reads it."""

    def mark(test: Test) -> Test:
        test.shows = rules  # type: ignore[attr-defined]
        return test

    return mark


def refusal(answer: tuple[str, str] | None) -> tuple[str, str]:
    """A model hook's answer that must be a refusal: (summary, detail)."""
    assert answer is not None, "accepted"
    return answer


def rules_without_a_test(rules: Iterable[Rule], tests: Mapping[str, object]) -> set[str]:
    """The rules no test of `tests` (a module's globals) shows, and the unknown rules one names."""
    shown = {rule for name, test in tests.items() if name.startswith("test_") for rule in getattr(test, "shows", ())}
    known = {rule.id for rule in rules}
    return (known - shown) | (shown - known)


@dataclass(frozen=True)
class Break:
    rule: str  # the model rule it shows (RULES)
    config: str
    stack: str
    edit: Edit
    error: str  # the start of the refusal


def edited(source: Path, dest: Path, edit: Edit) -> None:
    stack_file = dest / STACK_FILE
    stack = json.loads(stack_file.read_text())
    edit(stack)
    stack_file.write_text(json.dumps(stack, indent=2))


def run_break(case: Break, source: Path, workdir: Path, toolchain: Toolchain) -> list[str]:
    """The errors of the apply that the break makes fail ([] if it went through)."""
    env = world_env(case.config, workdir / "world")
    folder = local_backend_copy(source, workdir / "stack")
    terraform = Terraform(folder, toolchain, base_env=env)
    terraform.init()
    edited(source, folder, case.edit)
    try:
        result = terraform.apply()
    except TerraformError as error:
        result = error.result
    return [f"{d.summary}: {d.detail}" for d in result.diagnostics if d.severity == "error"]


def run_breaks(
    breaks: Mapping[str, Break], outdirs: Mapping[str, Path], toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """Each break's refusals, two applies at a time."""
    jobs = {}
    for name, case in breaks.items():
        source = outdirs[case.config] / "stacks" / case.stack
        workdir = tmp_path_factory.mktemp(f"break-{name}")
        jobs[name] = lambda c=case, s=source, w=workdir: run_break(c, s, w, toolchain)
    return in_parallel(jobs)


def refusals_fixture(breaks: Mapping[str, Break]) -> Callable[..., dict[str, list[str]]]:
    """A module fixture `refusals`: each break's errors, on the synths of the configs they break."""

    @pytest.fixture(scope="module")
    def refusals(
        config_synth: Callable[[Path], Synth], terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory
    ) -> dict[str, list[str]]:
        outdirs = {config: synthesized(config_synth(CONFIGS[config])) for config in {case.config for case in breaks.values()}}
        return run_breaks(breaks, outdirs, terraform_toolchain, tmp_path_factory)

    return refusals


def refused_as_expected(case: Break, errors: list[str]) -> bool:
    """The apply failed, with the refusal the break is for among its errors."""
    return any(error.startswith(case.error) for error in errors)
