"""Every synthesized stack through real Terraform, offline: `validate`, then `plan`.

For each stack of the example config and of tests/configs/full.yaml (the session's
`example_synth` / `full_synth` outputs), one run per stack (`run_stack`) does:

- `terraform validate` on a plain copy of the stack folder, backend and all;
- `terraform init` + `plan` on a copy whose backend (`backend` or HCP Terraform's
  `cloud` block) is replaced by local state, as a user would run it before any apply;
  then `apply` of that plan against the model of the clouds (model/), and a second `plan`,
  which must be empty: the one place the suite asserts it.

The stand-in providers (harness.py) serve the provider schema facts in `facts/`, so
validate rejects what the real providers reject (test_harness.py shows it refusing
misspelled, missing and mistyped arguments). What each plan must create, import and
read comes from the reviewed snapshots (tests/addresses.py), never from the synthesized
JSON, or the test would prove nothing.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from config import load_config
from rules.oci import terraform_name
from tests.addresses import STACKS, data_sources, resources
from tests.conftest import CONFIGS, Json, Synth, synthesized
from tests.terraform.harness import (
    STACK_FILE,
    CommandResult,
    Diagnostic,
    Terraform,
    TerraformError,
    Toolchain,
    local_backend_copy,
    planned_actions,
)
from tests.terraform.model.world import CLOCK_ENV, WORLD_ENV
from tests.terraform.plugin import in_parallel, world_env
from tests.terraform.standin_provider import PLACEHOLDER_OCI_NAMESPACE

IMPORTS: dict[tuple[str, str], dict[str, str]] = {
    ("full", "research-gcp"): {
        "google_artifact_registry_repository.wheels": "projects/acme-research/locations/europe-west4/repositories/wheels"
    },
    ("full", "research-oci"): {
        "oci_objectstorage_bucket._2024-datasets": "n/acmeresearch/b/2024-datasets",
    },
    # The import IDs hold the namespace the lookup returns at plan time.
    ("full", "staging-oci"): {
        "oci_objectstorage_bucket.staging-models": f"n/{PLACEHOLDER_OCI_NAMESPACE}/b/staging-models",
    },
}
"""What each config adopts (`adopt: true`): address -> import ID. Never a lifecycle policy: its
create replaces whatever policy the bucket has, and the import of a bucket without one fails."""

CASES = [pytest.param(config, stack, id=f"{config}/{stack}") for config, stacks in STACKS.items() for stack in stacks]
ADOPTING = [pytest.param(config, stack, id=f"{config}/{stack}") for config, stack in IMPORTS]


@dataclass(frozen=True)
class StackRun:
    """`terraform validate` of a stack folder as synthesized; then, on a copy with local state
    (`local_backend_copy`) against the clouds of the config's world (model/), `init`, `plan`,
    `apply` of that plan, and a second `plan`."""

    validation: tuple[bool, list[Diagnostic]]
    plan: dict[str, Any] | None  # `terraform show -json` of the plan; None when it failed
    error: str = ""  # what failed: init, plan or apply
    applied: bool = False
    # The second plan, `-detailed-exitcode` (0: no change at all, outputs included), and the
    # outputs (`terraform output -json`) after the apply: no show, so no provider started for it.
    replan: CommandResult | None = None
    outputs: dict[str, Any] | None = None


def run_stack(stack_dir: Path, workdir: Path, toolchain: Toolchain, world: dict[str, str]) -> StackRun:
    as_synthesized = workdir / "validate"
    shutil.copytree(stack_dir, as_synthesized)
    validation = Terraform(as_synthesized, toolchain).validate()
    terraform = Terraform(local_backend_copy(stack_dir, workdir / "plan"), toolchain, base_env=world)
    plan = None
    try:
        terraform.init()
        plan = terraform.plan()
        terraform.apply(saved_plan=True)
        replan = terraform.run("plan", "-input=false", "-no-color", "-detailed-exitcode", check=False)
        outputs = {name: output["value"] for name, output in json.loads(terraform.run("output", "-json").stdout).items()}
        return StackRun(validation, plan, applied=True, replan=replan, outputs=outputs)
    except TerraformError as error:
        return StackRun(validation, plan, str(error))


def deployer(config: str, stack: str, world: dict[str, str]) -> dict[str, str]:
    """Whose credentials deploy an OCI stack: the tenancy that holds its compartment, as
    `OCI_TENANCY_OCID` (the namespace lookup answers for the caller's tenancy)."""
    oci = load_config(CONFIGS[config]).environments[stack.rsplit("-", 1)[0]].oci
    if not stack.endswith("-oci") or oci is None:
        return {}
    tenancies = json.loads(Path(world[WORLD_ENV]).read_text())["oci"]["tenancies"]
    for tenancy, facts in tenancies.items():
        if oci.compartment_id == tenancy or oci.compartment_id in facts.get("compartments", {}):
            return {"OCI_TENANCY_OCID": tenancy}
    return {}


@pytest.fixture(scope="module")
def stack_dirs(example_synth: Synth, full_synth: Synth) -> dict[str, dict[str, Path]]:
    return {
        config: {p.parent.name: p.parent for p in (synthesized(synth) / "stacks").glob(f"*/{STACK_FILE}")}
        for config, synth in (("example", example_synth), ("full", full_synth))
    }


@pytest.fixture(scope="module")
def stack_runs(
    stack_dirs: dict[str, dict[str, Path]], terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], StackRun]:
    """One run per stack of both configs; the stacks of a config share its world, as they
    share a tenancy (policy names, say, must not collide)."""
    jobs = {}
    for config, by_stack in stack_dirs.items():
        world = world_env(config, tmp_path_factory.mktemp(f"world-{config}"))
        for stack, stack_dir in by_stack.items():
            workdir = tmp_path_factory.mktemp(f"stack-{config}-{stack}")
            # The clock runs: grants, policies and APIs take effect after their documented delay,
            # so a first apply succeeds only with the stacks' waits in place.
            env = {**world, CLOCK_ENV: "1", **deployer(config, stack, world)}
            jobs[config, stack] = lambda d=stack_dir, w=workdir, e=env: run_stack(d, w, terraform_toolchain, e)
    return in_parallel(jobs)


# ----------------------------------------------------------------------------
# validate and plan pass
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("config", list(STACKS))
def test_every_synthesized_stack_has_an_expectation(config: str, stack_dirs: dict[str, dict[str, Path]]) -> None:
    assert sorted(stack_dirs[config]) == list(STACKS[config])


@pytest.mark.parametrize("config,stack", CASES)
def test_validate_passes(config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]) -> None:
    valid, diagnostics = stack_runs[config, stack].validation
    assert valid, [str(d) for d in diagnostics]
    assert diagnostics == []  # not even a warning


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_passes(config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]) -> None:
    run = stack_runs[config, stack]
    assert run.plan is not None, run.error
    assert run.plan["errored"] is False
    assert run.plan["complete"] is True  # nothing deferred to a later plan


@pytest.mark.parametrize("config,stack", CASES)
def test_apply_succeeds_against_the_model_and_a_second_plan_is_empty(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    run = stack_runs[config, stack]
    assert run.applied, run.error
    assert run.replan is not None
    assert run.replan.returncode == 0, run.replan.stdout + run.replan.stderr  # 2: a change, 1: an error


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_holds_exactly_the_expected_resources(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].error
    created = resources(config, stack) - set(IMPORTS.get((config, stack), {}))
    actions = planned_actions(plan)
    assert sorted(actions) == sorted(resources(config, stack))
    assert {a: actions[a] for a in created} == {a: ["create"] for a in created}


@pytest.mark.parametrize("config,stack", ADOPTING)
def test_plan_imports_what_the_config_adopts(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].error
    importing = {
        change["address"]: (change["change"].get("importing") or {}).get("id")
        for change in plan["resource_changes"]
        if change["address"] in IMPORTS[config, stack]
    }
    assert importing == IMPORTS[config, stack]
    for change in plan["resource_changes"]:
        if change["address"] in importing:
            # Taken over in place: never created anew, never replaced.
            assert change["change"]["actions"] in (["no-op"], ["update"]), change["address"]


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_reads_exactly_the_expected_data_sources(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].error
    read = {
        resource["address"]
        for resource in plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", [])
        if resource["mode"] == "data"
    }
    assert read == data_sources(config, stack)


# ----------------------------------------------------------------------------
# The outputs a pipeline reads: in the plan, and known once applied
# ----------------------------------------------------------------------------


def expected_outputs(config: str, stack: str) -> dict[str, Json]:
    """What CI must find in `repositories` or `buckets`, from the config file alone (the
    computed `id` and `bucket_id` aside): written out here, not taken from our rules."""
    environment = load_config(CONFIGS[config]).environments[stack.rsplit("-", 1)[0]]
    if stack.endswith("-gcp"):
        gcp = environment.gcp
        assert gcp is not None
        found = {}
        for repository in gcp.repositories:
            fmt, where = repository.format.lower(), (gcp.region, gcp.project, repository.id)
            host = "{0}-{fmt}.pkg.dev/{1}/{2}".format(*where, fmt=fmt)
            address = {
                "docker": host,
                "python": f"https://{host}/simple/",
                "kfp": f"https://{host}",
                "generic": "--location={0} --repository={2} --project={1}".format(*where),
            }[fmt]
            found[repository.id] = {"url": host, "location": gcp.region, "project": gcp.project, "format": fmt, "address": address}
        return found
    oci = environment.oci
    assert oci is not None
    domain = {"us-ashburn-1": "oraclecloud.com", "us-phoenix-1": "oraclecloud.com", "eu-frankfurt-1": "oraclecloud.com"}[oci.region]
    endpoint = f"https://objectstorage.{oci.region}.{domain}"
    return {bucket.name: {"name": bucket.name, "region": oci.region, "endpoint": endpoint} for bucket in oci.buckets}


@pytest.mark.parametrize("config,stack", CASES)
def test_the_plan_shows_the_outputs_ci_reads(config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]) -> None:
    run = stack_runs[config, stack]
    assert run.plan is not None, run.error
    structured = "repositories" if stack.endswith("-gcp") else "buckets"
    change = run.plan["output_changes"][structured]
    assert change["actions"] == ["create"]
    # What the config decides is known at plan time, for review; the rest comes with the apply.
    planned = {key: {field: value for field, value in fields.items() if field not in ("id", "bucket_id", "namespace")} for key, fields in change["after"].items()}
    assert planned == expected_outputs(config, stack)


@pytest.mark.parametrize("config,stack", CASES)
def test_after_apply_every_output_is_known_and_the_map_holds_the_single_ones(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    run = stack_runs[config, stack]
    assert run.outputs is not None, run.error
    outputs = run.outputs
    structured, computed = ("repositories", "id") if stack.endswith("-gcp") else ("buckets", "bucket_id")
    for key, fields in outputs[structured].items():
        address = key if structured == "repositories" else terraform_name(key)  # single outputs are named by address
        assert fields == {field: outputs[f"{address}_{field}"] for field in fields}, key
        assert isinstance(fields[computed], str) and fields[computed], (key, computed)
    assert {k: {f: v for f, v in fields.items() if f not in ("id", "bucket_id", "namespace")} for k, fields in outputs[structured].items()} == (
        expected_outputs(config, stack)
    )
    if structured == "buckets":
        oci = load_config(CONFIGS[config]).environments[stack.rsplit("-", 1)[0]].oci
        assert oci is not None
        assert {fields["namespace"] for fields in outputs["buckets"].values()} == {oci.namespace or PLACEHOLDER_OCI_NAMESPACE}
