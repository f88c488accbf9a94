"""The routes off CDKTF, and the cdktf CLI that leads to them.

CDKTF is archived; HashiCorp's documented way out is `cdktf synth --hcl`. So:

- the cdktf CLI (`npx cdktf synth`, run once for JSON on the example config and once
  with `--hcl` on tests/configs/full.yaml, both in copies of the checkout: plugin.py)
  writes the same stacks as `python main.py`;
- the HCL it writes is the same configuration as main.py's JSON, resource by resource,
  argument by argument, nested blocks included (bindings/oci.py renders its own HCL, so
  this is where its mistakes would show), and Terraform validates it;
- simpler still: a synthesized stack folder is plain Terraform and runs with no cdktf.

The CLI runs are the slow lane (`pytest -m slow`: make test-slow; .ci/run runs it).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.commands import CommandResult
from tests.conftest import EXAMPLE_STACKS, FULL_STACKS, Json, Synth, read_stacks, synthesized
from tests.hcl import from_hcl, from_json
from tests.terraform.harness import Diagnostic, Terraform, Toolchain, planned_actions, state_resources
from tests.terraform.plugin import checkout_copy, cli_env, in_parallel, npx_cli
from tools.snapshots import strip_metadata

HCL_FILE = "cdk.tf"
# cdktf 0.21 writes `depends_on = ["type.name"]`: quoted, which Terraform still accepts
# with this warning. The only warning the HCL may cause.
QUOTED_REFERENCES = "Quoted references are deprecated"
FULL_CONFIG = Path("tests") / "configs" / "full.yaml"


@dataclass(frozen=True)
class CliSynth:
    """One `npx cdktf synth` in a copy of the checkout."""

    result: CommandResult
    outdir: Path  # <copy>/cdktf.out

    def succeeded(self) -> CliSynth:
        assert self.result.ok, self.result.describe()
        return self


def cli_synth(root: Path, toolchain: Toolchain, *args: str, config: Path | None = None) -> CliSynth:
    """`npx cdktf synth ARGS` as a user runs it in a fresh checkout, on `config` (None: the app's default)."""
    checkout_copy(root)
    extra = {"MODEL_REGISTRY_CONFIG": str(root / config)} if config else {}
    return CliSynth(npx_cli(root, "synth", *args, env=cli_env(toolchain, **extra)), root / "cdktf.out")


@dataclass(frozen=True)
class CliRuns:
    json: CliSynth  # cdktf.json's app on its default, the example config
    hcl: CliSynth  # --hcl on every option: where HCL rendering can go wrong
    hcl_validations: dict[str, tuple[bool, list[Diagnostic]]]
    plain: PlainRun


@pytest.fixture(scope="module")
def runs(example_synth: Synth, terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> CliRuns:
    """The module's slow work, two jobs at a time: the two CLI synths, then `terraform validate`
    of each HCL stack, beside a plain-Terraform run of one example stack."""
    roots = {name: tmp_path_factory.mktemp(name) for name in ("cli-json", "cli-hcl", "hcl", "plain")}
    first = in_parallel(
        {
            "json": lambda: cli_synth(roots["cli-json"] / "repo", terraform_toolchain),
            "hcl": lambda: cli_synth(roots["cli-hcl"] / "repo", terraform_toolchain, "--hcl", config=FULL_CONFIG),
        }
    )
    second = in_parallel(
        {
            "validations": lambda: validate_hcl(first["hcl"], roots["hcl"], terraform_toolchain),
            "plain": lambda: run_plain(synthesized(example_synth) / "stacks" / PLAIN_STACK, roots["plain"], terraform_toolchain),
        }
    )
    return CliRuns(first["json"], first["hcl"], second["validations"], second["plain"])  # type: ignore[arg-type]


# ----------------------------------------------------------------------------
# `npx cdktf synth` writes what `python main.py` writes
# ----------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_synth_writes_the_example_stacks(runs: CliRuns) -> None:
    assert sorted(read_stacks(runs.json.succeeded().outdir)) == list(EXAMPLE_STACKS)


@pytest.mark.slow
@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_cli_synth_equals_main_py(stack: str, runs: CliRuns, example_stacks: dict[str, Json]) -> None:
    cli = read_stacks(runs.json.succeeded().outdir)
    assert strip_metadata(cli[stack]) == strip_metadata(example_stacks[stack])


def test_canonical_forms_tell_a_block_from_a_map() -> None:
    """The comparison itself can fail: a nested block written as an attribute differs."""
    bucket = "oci_objectstorage_bucket.b"
    body = {"name": "b", "retention_rules": [{"display_name": "r"}]}
    as_json = {"resource": {"oci_objectstorage_bucket": {"b": body}}}
    as_block = """
        resource "oci_objectstorage_bucket" "b" {
          retention_rules {
            display_name = "r"
          }
          name = "b"
        }
    """
    as_attribute = """
        resource "oci_objectstorage_bucket" "b" {
          name            = "b"
          retention_rules = [{ display_name = "r" }]
        }
    """
    assert from_json(as_json)[bucket] == from_hcl(as_block)[bucket]
    assert from_json(as_json)[bucket] != from_hcl(as_attribute)[bucket]
    quoted = 'resource "oci_identity_policy" "p" {\n  description = "say \\"hi\\" \\\\ ${x.y}"\n}\n'
    assert from_hcl(quoted)["oci_identity_policy.p"] == {"description": 'say "hi" \\ ${x.y}'}


# ----------------------------------------------------------------------------
# `npx cdktf synth --hcl`: the same configuration, and valid
# ----------------------------------------------------------------------------


def hcl_files(run: CliSynth) -> dict[str, Path]:
    return {path.parent.name: path for path in sorted((run.outdir / "stacks").glob(f"*/{HCL_FILE}"))}


@pytest.mark.slow
def test_hcl_synth_writes_hcl_for_every_stack(runs: CliRuns) -> None:
    run = runs.hcl.succeeded()
    assert sorted(hcl_files(run)) == list(FULL_STACKS)
    # With --hcl the CLI writes cdk.tf instead of cdk.tf.json: hence two CLI runs.
    assert not list((run.outdir / "stacks").glob("*/cdk.tf.json"))


@pytest.mark.slow
@pytest.mark.parametrize("stack", FULL_STACKS)
def test_hcl_is_the_json_configuration(stack: str, runs: CliRuns, full_stacks: dict[str, Json]) -> None:
    json_stack = from_json(full_stacks[stack])
    hcl_stack = from_hcl(hcl_files(runs.hcl.succeeded())[stack].read_text())
    # Address by address first: a short message when something is missing or extra.
    assert sorted(hcl_stack) == sorted(json_stack)
    for address in json_stack:
        assert hcl_stack[address] == json_stack[address], f"{stack}: {address} (left: HCL, right: JSON)"


Validation = tuple[bool, list[Diagnostic]]


def validate_hcl(run: CliSynth, root: Path, toolchain: Toolchain) -> dict[str, Validation]:
    """`terraform validate` of each `cdk.tf` alone in a folder."""
    run.succeeded()
    validations = {}
    for stack, source in hcl_files(run).items():
        (root / stack).mkdir()
        shutil.copy(source, root / stack / HCL_FILE)
        validations[stack] = Terraform(root / stack, toolchain).validate()
    return validations


def _quoted_references(stack: Json) -> int:
    """How many references cdktf's HCL quotes: each `depends_on` entry and each `provider`."""
    bodies = [body for section in ("resource", "data") for named in stack.get(section, {}).values() for body in named.values()]
    return sum(len(body.get("depends_on", [])) + ("provider" in body) for body in bodies)


@pytest.mark.slow
@pytest.mark.parametrize("stack", FULL_STACKS)
def test_hcl_validates(stack: str, runs: CliRuns, full_stacks: dict[str, Json]) -> None:
    valid, diagnostics = runs.hcl_validations[stack]
    assert valid, [str(d) for d in diagnostics]
    # One warning per quoted reference (depends_on, provider), nothing else.
    assert [d.summary for d in diagnostics] == [QUOTED_REFERENCES] * _quoted_references(full_stacks[stack]), [str(d) for d in diagnostics]


# ----------------------------------------------------------------------------
# A stack folder is plain Terraform: no cdktf at all
# ----------------------------------------------------------------------------

PLAIN_STACK = "prod-oci"  # our own OCI bindings, a data source, depends_on, prevent_destroy


@dataclass(frozen=True)
class PlainRun:
    root: Path
    files_before: list[str]  # in the stack folder, before Terraform ran
    resources: set[str]  # the managed resources of the stack's JSON
    first_plan: Json
    state: Json


def run_plain(stack_source: Path, root: Path, toolchain: Toolchain) -> PlainRun:
    """The folder alone where a user keeps it (`cdktf.out/stacks/<stack>`), backend untouched,
    then init, plan, apply: Terraform with no cdktf variable and no node_modules or
    .venv on PATH."""
    stack_dir = root / "cdktf.out" / "stacks" / stack_source.name
    shutil.copytree(stack_source, stack_dir)
    stack = json.loads((stack_dir / "cdk.tf.json").read_text())
    resources = {f"{kind}.{name}" for kind, named in stack["resource"].items() for name in named}
    files_before = sorted(p.name for p in stack_dir.iterdir())

    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CDKTF", "JSII", "MODEL_REGISTRY", "SYNTH_", "TERRAFORM_BINARY"))
    }
    environment["PATH"] = os.pathsep.join(
        entry
        for entry in environment.get("PATH", "").split(os.pathsep)
        if not {"node_modules", ".venv"} & set(Path(entry).parts)
    )
    terraform = Terraform(stack_dir, toolchain, base_env=environment)
    terraform.init()
    first_plan = terraform.plan()
    terraform.apply(saved_plan=True)
    return PlainRun(root, files_before, resources, first_plan, terraform.state())


@pytest.mark.slow
def test_stack_folder_is_plain_terraform(runs: CliRuns) -> None:
    # Only the configuration: no cdktf.json, no app, no manifest beside it.
    assert runs.plain.files_before == ["cdk.tf.json"]
    assert planned_actions(runs.plain.first_plan) == {address: ["create"] for address in runs.plain.resources}
    assert set(state_resources(runs.plain.state)) == runs.plain.resources | {"data.oci_objectstorage_namespace.this"}


@pytest.mark.slow
def test_plain_terraform_keeps_state_where_the_readme_says(runs: CliRuns) -> None:
    # The backend path is relative: state/<name>/<stack>.tfstate beside the output folder.
    state_file = runs.plain.root / "state" / "ml-models" / f"{PLAIN_STACK}.tfstate"
    assert state_file.is_file()
    assert {r["type"] for r in json.loads(state_file.read_text())["resources"]} >= {"oci_objectstorage_bucket"}
