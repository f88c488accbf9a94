"""The routes off CDKTF, and the cdktf CLI that leads to them.

CDKTF is archived; HashiCorp's documented way out is `cdktf synth --hcl`. So:

- the cdktf CLI (`npx cdktf synth`, run once for JSON on the example config and once
  with `--hcl` on tests/configs/full.yaml, both in copies of the checkout: plugin.py)
  writes the same stacks as `python main.py`;
- the HCL it writes is the same configuration as main.py's JSON, resource by resource,
  argument by argument, nested blocks included (bindings/oci.py renders its own HCL, so
  this is where its mistakes would show), and Terraform validates it;
- simpler still: a synthesized stack folder is plain Terraform and runs with no cdktf.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2 import SerializationOptions

from tests.conftest import EXAMPLE_STACKS, FULL_STACKS, Json, read_stacks, strip_metadata
from tests.terraform.harness import STANDINS, Diagnostic, Terraform, Toolchain, planned_actions, state_resources
from tests.terraform.plugin import (  # noqa: F401  (cdktf_synth_*: fixtures)
    CliSynth,
    background_of,
    cdktf_synth_hcl,
    cdktf_synth_json,
    cli_synth_job,
    prefetch,
)

HCL_FILE = "cdk.tf"
# cdktf 0.21 writes `depends_on = ["type.name"]`: quoted, which Terraform still accepts
# with this warning. The only warning the HCL may cause.
QUOTED_REFERENCES = "Quoted references are deprecated"

FACTS: dict[str, Any] = {}
for _standin in STANDINS:
    FACTS.update(json.loads(_standin.facts.read_text()))


def _outdir(synth: tuple[subprocess.CompletedProcess[str], Path]) -> Path:
    result, outdir = synth
    assert result.returncode == 0, result.stderr
    return outdir


def _succeeded(run: CliSynth) -> CliSynth:
    assert run.returncode == 0, run.describe()
    return run


# ----------------------------------------------------------------------------
# `npx cdktf synth` writes what `python main.py` writes
# ----------------------------------------------------------------------------


def test_cli_synth_writes_the_example_stacks(cdktf_synth_json: CliSynth) -> None:  # noqa: F811
    run = _succeeded(cdktf_synth_json)
    assert sorted(read_stacks(run.outdir)) == list(EXAMPLE_STACKS)


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_cli_synth_equals_main_py(
    stack: str,
    cdktf_synth_json: CliSynth,  # noqa: F811
    example_synth: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    cli = read_stacks(_succeeded(cdktf_synth_json).outdir)
    main = read_stacks(_outdir(example_synth))
    assert strip_metadata(cli[stack]) == strip_metadata(main[stack])


# ----------------------------------------------------------------------------
# HCL and JSON in one comparable form
# ----------------------------------------------------------------------------
#
# Terraform's JSON syntax writes a single nested block as an object and repeated ones
# as an array, exactly like attribute maps and lists: only the provider schema tells
# them apart. HCL writes blocks as blocks. So the JSON side is read with the schema
# facts, the HCL side by its syntax, and both become: attributes as values, nested
# blocks as `Blocks` (an ordered tuple of bodies). An argument the HCL writes as an
# attribute where the schema wants a block (or the other way round) then differs.


@dataclass(frozen=True)
class Blocks:
    """Nested blocks of one type, in order."""

    bodies: tuple[Any, ...]


def _json_body(body: Json, schema: dict[str, Any]) -> dict[str, Any]:
    canonical: dict[str, Any] = {}
    for name, value in body.items():
        spec = schema.get(name, {})
        if "block" in spec:
            bodies = value if isinstance(value, list) else [value]
            canonical[name] = Blocks(tuple(_json_body(b, spec["block"]) for b in bodies))
        elif name == "lifecycle":  # a meta-argument block
            canonical[name] = Blocks((value,))
        else:
            canonical[name] = value
    return canonical


def from_json(stack: Json) -> dict[str, Any]:
    """A `cdk.tf.json` by address (`type.name`, `data.type.name`, `provider.name`, `output.name`)."""
    stack = strip_metadata(stack)
    canonical: dict[str, Any] = {}
    for section, prefix in (("resource", ""), ("data", "data.")):
        for kind, named in stack.get(section, {}).items():
            schema = FACTS[f"{prefix}{kind}"]["arguments"]
            for name, body in named.items():
                canonical[f"{prefix}{kind}.{name}"] = _json_body(body, schema)
    for name, bodies in stack.get("provider", {}).items():
        schema = FACTS[f"provider.{name}"]["arguments"]
        canonical[f"provider.{name}"] = [_json_body(body, schema) for body in bodies]
    for name, body in stack.get("output", {}).items():
        canonical[f"output.{name}"] = body
    for section in ("import", "moved"):
        if section in stack:
            canonical[section] = stack[section]
    settings = dict(stack.get("terraform", {}))
    if "required_providers" in settings:
        settings["required_providers"] = Blocks((settings["required_providers"],))
    if "backend" in settings:  # {"local": {...}}: a block labelled with the backend type
        settings["backend"] = {kind: Blocks((body,)) for kind, body in settings["backend"].items()}
    if "cloud" in settings:
        cloud = dict(settings["cloud"])
        cloud["workspaces"] = Blocks((cloud["workspaces"],))
        settings["cloud"] = Blocks((cloud,))
    canonical["terraform"] = settings
    return canonical


_BLOCK = "__is_block__"  # python-hcl2's mark on a block body


def _is_block(value: Any) -> bool:
    return isinstance(value, dict) and value.get(_BLOCK) is True


def _hcl_value(value: Any) -> Any:
    if isinstance(value, list) and value and all(_is_block(item) for item in value):
        return Blocks(tuple(_hcl_body(item) for item in value))
    if isinstance(value, list) and value and all(_labelled_block(item) for item in value):
        by_label: dict[str, list[Any]] = {}
        for item in value:
            for label, body in item.items():
                by_label.setdefault(label, []).append(_hcl_body(body))
        return {label: Blocks(tuple(bodies)) for label, bodies in by_label.items()}
    if isinstance(value, list):
        return [_hcl_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _hcl_value(item) for key, item in value.items() if key != _BLOCK}
    return value


def _labelled_block(value: Any) -> bool:
    """`backend "local" { ... }` parses as `{"local": {..., __is_block__}}`."""
    return isinstance(value, dict) and not _is_block(value) and bool(value) and all(map(_is_block, value.values()))


def _hcl_body(body: dict[str, Any]) -> dict[str, Any]:
    canonical = {key: _hcl_value(value) for key, value in body.items() if key != _BLOCK}
    if "depends_on" in canonical:
        canonical["depends_on"] = [_reference(item) for item in canonical["depends_on"]]
    return canonical


def _reference(expression: str) -> str:
    """A bare reference (`to = type.name`) parses as `${type.name}`; JSON writes `type.name`."""
    return expression[2:-1] if expression.startswith("${") and expression.endswith("}") else expression


def from_hcl(text: str) -> dict[str, Any]:
    """A `cdk.tf` in the form of `from_json`."""
    # strip_string_quotes: string values, not their source form (escapes resolved).
    options = SerializationOptions(strip_string_quotes=True, with_comments=False)
    document = hcl2.loads(text, serialization_options=options)
    canonical: dict[str, Any] = {}
    for section, prefix in (("resource", ""), ("data", "data.")):
        for item in document.get(section, []):
            for kind, named in item.items():
                for name, body in named.items():
                    canonical[f"{prefix}{kind}.{name}"] = _hcl_body(body)
    for item in document.get("provider", []):
        for name, body in item.items():
            canonical.setdefault(f"provider.{name}", []).append(_hcl_body(body))
    for item in document.get("output", []):
        for name, body in item.items():
            canonical[f"output.{name}"] = _hcl_body(body)
    for section in ("import", "moved"):
        if section in document:
            canonical[section] = [
                {key: _reference(value) if key in ("to", "from") else value for key, value in _hcl_body(b).items()}
                for b in document[section]
            ]
    (settings,) = document.get("terraform", [{}])
    canonical["terraform"] = _hcl_body(settings)
    return canonical


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


def test_hcl_synth_writes_hcl_for_every_stack(cdktf_synth_hcl: CliSynth) -> None:  # noqa: F811
    run = _succeeded(cdktf_synth_hcl)
    assert sorted(hcl_files(run)) == list(FULL_STACKS)
    # With --hcl the CLI writes cdk.tf instead of cdk.tf.json: hence two CLI runs.
    assert not list((run.outdir / "stacks").glob("*/cdk.tf.json"))


@pytest.mark.parametrize("stack", FULL_STACKS)
def test_hcl_is_the_json_configuration(
    stack: str,
    cdktf_synth_hcl: CliSynth,  # noqa: F811
    full_synth: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    json_stack = from_json(read_stacks(_outdir(full_synth))[stack])
    hcl_stack = from_hcl(hcl_files(_succeeded(cdktf_synth_hcl))[stack].read_text())
    # Address by address first: a short message when something is missing or extra.
    assert sorted(hcl_stack) == sorted(json_stack)
    for address in json_stack:
        assert hcl_stack[address] == json_stack[address], f"{stack}: {address} (left: HCL, right: JSON)"


Validation = tuple[bool, list[Diagnostic]]


def validate_hcl(run: CliSynth, root: Path, toolchain: Toolchain) -> dict[str, Validation]:
    """`terraform validate` of each `cdk.tf` alone in a folder."""
    assert run.returncode == 0, run.describe()
    validations = {}
    for stack, source in hcl_files(run).items():
        (root / stack).mkdir()
        shutil.copy(source, root / stack / HCL_FILE)
        validations[stack] = Terraform(root / stack, toolchain).validate()
    return validations


@prefetch("hcl_validations")
def hcl_validation_job(config: pytest.Config, _: object = None) -> Future[dict[str, Validation]]:
    """Runs in the background right after the `--hcl` CLI run."""
    background = background_of(config)

    def start(run: CliSynth) -> Callable[[], dict[str, Validation]]:
        root = background.tmp_path_factory.mktemp("hcl")
        toolchain = background.toolchain()
        return lambda: validate_hcl(run, root, toolchain)

    return background.after("hcl-validate", cli_synth_job(config, "cdktf_synth_hcl"), start)


@pytest.fixture(scope="module")
def hcl_validations(request: pytest.FixtureRequest) -> dict[str, Validation]:
    result: dict[str, Validation] = hcl_validation_job(request.config).result()
    return result


def _dependencies(stack: Json) -> int:
    bodies = [body for named in stack.get("resource", {}).values() for body in named.values()]
    return sum(len(body.get("depends_on", [])) for body in bodies)


@pytest.mark.parametrize("stack", FULL_STACKS)
def test_hcl_validates(
    stack: str,
    hcl_validations: dict[str, Validation],
    full_synth: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    valid, diagnostics = hcl_validations[stack]
    assert valid, [str(d) for d in diagnostics]
    # One warning per quoted `depends_on` entry, nothing else.
    assert [d.summary for d in diagnostics] == [QUOTED_REFERENCES] * _dependencies(
        read_stacks(_outdir(full_synth))[stack]
    ), [str(d) for d in diagnostics]


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
    second_plan: Json


def run_plain(stack_source: Path, root: Path, toolchain: Toolchain) -> PlainRun:
    """The folder alone where a user keeps it (`cdktf.out/stacks/<stack>`), backend untouched,
    then init, plan, apply, plan: Terraform with no cdktf variable and no node_modules or
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
    return PlainRun(root, files_before, resources, first_plan, terraform.state(), terraform.plan())


Synth = tuple[subprocess.CompletedProcess[str], Path]


@prefetch("plain_run", after="example_synth")
def plain_job(config: pytest.Config, example_synth: Synth) -> Future[PlainRun]:
    background = background_of(config)
    stack_source = _outdir(example_synth) / "stacks" / PLAIN_STACK

    def start() -> Callable[[], PlainRun]:
        root = background.tmp_path_factory.mktemp("plain")
        toolchain = background.toolchain()
        return lambda: run_plain(stack_source, root, toolchain)

    return background.job(("plain", stack_source), start)


@pytest.fixture(scope="module")
def plain_run(request: pytest.FixtureRequest, example_synth: Synth) -> PlainRun:
    result: PlainRun = plain_job(request.config, example_synth).result()
    return result


def test_stack_folder_is_plain_terraform(plain_run: PlainRun) -> None:
    # Only the configuration: no cdktf.json, no app, no manifest beside it.
    assert plain_run.files_before == ["cdk.tf.json"]
    assert planned_actions(plain_run.first_plan) == {address: ["create"] for address in plain_run.resources}
    assert set(state_resources(plain_run.state)) == plain_run.resources | {"data.oci_objectstorage_namespace.this"}


def test_plain_terraform_keeps_state_where_the_readme_says(plain_run: PlainRun) -> None:
    # The backend path is relative: state/<stack>.tfstate beside the output folder.
    state_file = plain_run.root / "state" / f"{PLAIN_STACK}.tfstate"
    assert state_file.is_file()
    assert {r["type"] for r in json.loads(state_file.read_text())["resources"]} >= {"oci_objectstorage_bucket"}


def test_plain_terraform_plans_no_change_after_apply(plain_run: PlainRun) -> None:
    actions = planned_actions(plain_run.second_plan)
    assert sorted(actions) == sorted(plain_run.resources)
    assert all(action == ["no-op"] for action in actions.values()), actions
