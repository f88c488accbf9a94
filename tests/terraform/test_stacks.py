"""Every synthesized stack through real Terraform, offline: `validate`, then `plan`.

For each stack of the example config and of tests/configs/full.yaml (the session's
`example_synth` / `full_synth` outputs), one run per stack (`plugin.run_stack`, started
in the background as soon as the stacks exist) does:

- `terraform validate` on a plain copy of the stack folder, backend and all;
- `terraform init` + `plan` on a copy whose backend (`backend` or HCP Terraform's
  `cloud` block) is replaced by local state, as a user would run it before any apply.

The stand-in providers (harness.py) serve the provider schema facts in `schemas/`, so
validate rejects what the real providers reject. The tests only read the recorded runs.

The expected resources per stack come from the table below, written from the configs
by hand: never from the synthesized JSON, or the test would prove nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import Json
from tests.terraform.harness import STACK_FILE, Diagnostic, Terraform, Toolchain, planned_actions
from tests.terraform.plugin import StackRun, background_of, prefetch, stack_run_jobs
from tests.terraform.standin_provider import PLACEHOLDER_OCI_NAMESPACE

# ----------------------------------------------------------------------------
# What each stack must plan, from the configs
# ----------------------------------------------------------------------------


def _hash(value: str) -> str:
    """The 8 hex digits the constructs add to addresses of shared or per-member resources."""
    return hashlib.sha256(value.encode()).hexdigest()[:8]


def repository(id_: str) -> str:
    return f"google_artifact_registry_repository.{id_}"


def member(repository_id: str, role: str, who: str) -> str:
    """An additive grant: `<repository>_<reader|writer|repoadmin>_<hash of the member>`."""
    return f"google_artifact_registry_repository_iam_member.{repository_id}_{role}_{_hash(who)}"


def iam_policy(repository_id: str) -> str:
    return f"google_artifact_registry_repository_iam_policy.{repository_id}"


def cmek_grant(key: str) -> str:
    """The Artifact Registry service agent's use of a key: one per stack and key."""
    return f"google_kms_crypto_key_iam_member.artifact_registry_cmek_{_hash(key)}"


def bucket(address: str) -> str:
    return f"oci_objectstorage_bucket.{address}"


def lifecycle(address: str) -> str:
    return f"oci_objectstorage_object_lifecycle_policy.{address}"


def service_policy(compartment: str) -> str:
    """Object Storage's permission to run lifecycle rules: one per stack and compartment."""
    return f"oci_identity_policy.objectstorage_lifecycle_service_{_hash(compartment)}"


def access_policy(address: str) -> str:
    return f"oci_identity_policy.{address}_access"


NAMESPACE_LOOKUP = "data.oci_objectstorage_namespace.this"


@dataclass(frozen=True)
class Expected:
    """What one stack's plan holds: resources to create, resources to import, data sources read."""

    create: set[str]
    imports: dict[str, str] = field(default_factory=dict)  # address -> import ID
    data: set[str] = field(default_factory=set)


SERVING_DEV = "serviceAccount:serving@acme-ml-dev.iam.gserviceaccount.com"
TRAINING_DEV = "serviceAccount:training@acme-ml-dev.iam.gserviceaccount.com"
PROD_KEY = "projects/acme-security/locations/us-central1/keyRings/ml/cryptoKeys/models"
DEV_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaadevexampleexampleexampleexampleexampleexample"
PROD_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaprodexampleexampleexampleexampleexampleexample"

EXAMPLE: dict[str, Expected] = {
    "dev-gcp": Expected(
        create={
            repository("models"),
            member("models", "reader", SERVING_DEV),
            member("models", "writer", TRAINING_DEV),
        },
    ),
    "dev-oci": Expected(
        create={
            bucket("ml-models-dev"),
            lifecycle("ml-models-dev"),
            service_policy(DEV_COMPARTMENT),
            access_policy("ml-models-dev"),
        },
        data={NAMESPACE_LOOKUP},
    ),
    "prod-gcp": Expected(
        create={
            repository("models"),
            repository("serving-images"),
            iam_policy("models"),
            iam_policy("serving-images"),
            cmek_grant(PROD_KEY),  # both repositories share the key, so one grant
        },
        data={
            "data.google_iam_policy.models",
            "data.google_iam_policy.serving-images",
            "data.google_project.acme-ml-prod",  # the project number names the service agent
        },
    ),
    "prod-oci": Expected(
        create={
            bucket("machine-learning-models"),
            lifecycle("machine-learning-models"),
            service_policy(PROD_COMPARTMENT),
            access_policy("machine-learning-models"),
        },
        data={NAMESPACE_LOOKUP},
    ),
}

RESEARCH_KEY = "projects/acme-keys/locations/europe-west4/keyRings/research/cryptoKeys/checkpoints"
RESEARCH_COMPARTMENT = "ocid1.tenancy.oc1..aaaaaaaaresearchexampleexampleexampleexample"
STAGING_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaastagingexampleexampleexampleexample"
CI_POOL = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/*"

FULL: dict[str, Expected] = {
    "research-gcp": Expected(
        create={
            repository("checkpoints"),
            member("checkpoints", "reader", "group:research@acme.example"),
            member("checkpoints", "reader", "domain:acme.example"),
            member("checkpoints", "writer", CI_POOL),
            member("checkpoints", "repoadmin", "user:lead@acme.example"),
            cmek_grant(RESEARCH_KEY),
            repository("pipelines"),
        },
        imports={repository("wheels"): "projects/acme-research/locations/europe-west4/repositories/wheels"},
        data={"data.google_project.acme-research"},
    ),
    "research-oci": Expected(
        # Namespace given in the config: no lookup. research.checkpoints has
        # service_policy: false, 2024-datasets the default: one service policy.
        create={
            bucket("research_checkpoints"),
            lifecycle("research_checkpoints"),
            service_policy(RESEARCH_COMPARTMENT),
        },
        imports={
            bucket("_2024-datasets"): "n/acmeresearch/b/2024-datasets",
            lifecycle("_2024-datasets"): "n/acmeresearch/b/2024-datasets/l",
        },
    ),
    "staging-gcp": Expected(
        create={repository("serving"), iam_policy("serving")},
        data={"data.google_iam_policy.serving"},
    ),
    "staging-oci": Expected(
        create={service_policy(STAGING_COMPARTMENT), access_policy("staging-models")},
        # The import IDs hold the namespace the lookup returns at plan time.
        imports={
            bucket("staging-models"): f"n/{PLACEHOLDER_OCI_NAMESPACE}/b/staging-models",
            lifecycle("staging-models"): f"n/{PLACEHOLDER_OCI_NAMESPACE}/b/staging-models/l",
        },
        data={NAMESPACE_LOOKUP},
    ),
    "tagged-oci": Expected(create={bucket("tagged-models"), access_policy("tagged-models")}, data={NAMESPACE_LOOKUP}),
    "gcs-state-gcp": Expected(create={repository("models")}),
    "gcs-state-oci": Expected(create={bucket("gcs-state-models")}, data={NAMESPACE_LOOKUP}),
    "oci-state-oci": Expected(create={bucket("oci-state-models")}, data={NAMESPACE_LOOKUP}),
}

EXPECTED = {"example": EXAMPLE, "full": FULL}
CASES = [pytest.param(config, stack, id=f"{config}/{stack}") for config, stacks in EXPECTED.items() for stack in stacks]
ADOPTING = [
    pytest.param(config, stack, id=f"{config}/{stack}")
    for config, stacks in EXPECTED.items()
    for stack, expected in stacks.items()
    if expected.imports
]


# ----------------------------------------------------------------------------
# One validate and one plan per stack, shared by every test
# ----------------------------------------------------------------------------


Synth = tuple[subprocess.CompletedProcess[str], Path]
CONFIGS = {"example": "example_synth", "full": "full_synth"}  # config -> its session fixture


def synthesized_outdir(synth: Synth) -> Path:
    result, outdir = synth
    assert result.returncode == 0, result.stderr
    return outdir


def _start_stack_runs(config: pytest.Config, synth: Synth) -> None:
    if synth[0].returncode == 0:
        stack_run_jobs(config, synth[1])


for _fixture in CONFIGS.values():
    prefetch("stack_runs", after=_fixture)(_start_stack_runs)


@pytest.fixture(scope="module")
def stack_dirs(example_synth: Synth, full_synth: Synth) -> dict[str, dict[str, Path]]:
    return {
        config: {p.parent.name: p.parent for p in (synthesized_outdir(synth) / "stacks").glob(f"*/{STACK_FILE}")}
        for config, synth in (("example", example_synth), ("full", full_synth))
    }


@pytest.fixture(scope="module")
def stack_runs(
    request: pytest.FixtureRequest, example_synth: Synth, full_synth: Synth
) -> dict[tuple[str, str], StackRun]:
    """One run per stack, usually started in the background as soon as its synth was ready."""
    jobs = {
        config: stack_run_jobs(request.config, synthesized_outdir(synth))
        for config, synth in (("example", example_synth), ("full", full_synth))
    }
    return {(config, stack): job.result() for config, by_stack in jobs.items() for stack, job in by_stack.items()}


# ----------------------------------------------------------------------------
# validate and plan pass
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("config", list(EXPECTED))
def test_every_synthesized_stack_has_an_expectation(config: str, stack_dirs: dict[str, dict[str, Path]]) -> None:
    assert sorted(stack_dirs[config]) == sorted(EXPECTED[config])


@pytest.mark.parametrize("config,stack", CASES)
def test_validate_passes(config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]) -> None:
    valid, diagnostics = stack_runs[config, stack].validation
    assert valid, [str(d) for d in diagnostics]
    assert diagnostics == []  # not even a warning


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_passes(config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]) -> None:
    run = stack_runs[config, stack]
    assert run.plan is not None, run.plan_error
    assert run.plan["errored"] is False
    assert run.plan["complete"] is True  # nothing deferred to a later plan


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_holds_exactly_the_expected_resources(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].plan_error
    expected = EXPECTED[config][stack]
    actions = planned_actions(plan)
    assert sorted(actions) == sorted(expected.create | set(expected.imports))
    assert {a: actions[a] for a in expected.create} == {a: ["create"] for a in expected.create}


@pytest.mark.parametrize("config,stack", ADOPTING)
def test_plan_imports_what_the_config_adopts(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].plan_error
    importing = {
        change["address"]: (change["change"].get("importing") or {}).get("id")
        for change in plan["resource_changes"]
        if change["address"] in EXPECTED[config][stack].imports
    }
    assert importing == EXPECTED[config][stack].imports
    for change in plan["resource_changes"]:
        if change["address"] in importing:
            # Taken over in place: never created anew, never replaced.
            assert change["change"]["actions"] in (["no-op"], ["update"]), change["address"]


@pytest.mark.parametrize("config,stack", CASES)
def test_plan_reads_exactly_the_expected_data_sources(
    config: str, stack: str, stack_runs: dict[tuple[str, str], StackRun]
) -> None:
    plan = stack_runs[config, stack].plan
    assert plan is not None, stack_runs[config, stack].plan_error
    read = {
        resource["address"]
        for resource in plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", [])
        if resource["mode"] == "data"
    }
    assert read == EXPECTED[config][stack].data


# ----------------------------------------------------------------------------
# The checks can fail: real stacks, broken on purpose, must not validate
# ----------------------------------------------------------------------------

Edit = Callable[[Json], None]
PROD_BUCKET = "machine-learning-models"


def _oci_bucket(stack: Json) -> Json:
    bucket_json: Json = stack["resource"]["oci_objectstorage_bucket"][PROD_BUCKET]
    return bucket_json


def _misspell_bucket_argument(stack: Json) -> None:
    bucket_json = _oci_bucket(stack)
    bucket_json["storage_teir"] = bucket_json.pop("storage_tier")


def _misspell_lifecycle_rule_argument(stack: Json) -> None:
    rule = stack["resource"]["oci_objectstorage_object_lifecycle_policy"][PROD_BUCKET]["rules"][0]
    rule["target_"] = rule.pop("target")


def _reference_missing_bucket_attribute(stack: Json) -> None:
    # What a typo in a construct's attribute getter would emit.
    stack["output"][f"{PROD_BUCKET}_bucket_id"]["value"] = f"${{oci_objectstorage_bucket.{PROD_BUCKET}.bucket_ocid}}"


def _reference_missing_repository_attribute(stack: Json) -> None:
    # 6.50.0 has no registry_uri (PROVIDER_NOTES: build the URL instead).
    stack["output"]["models_url"]["value"] = "${google_artifact_registry_repository.models.registry_uri}"


def _depend_on_undeclared_resource(stack: Json) -> None:
    stack["resource"]["oci_objectstorage_object_lifecycle_policy"][PROD_BUCKET]["depends_on"] = [
        "oci_identity_policy.objectstorage_lifecycle_service_00000000"
    ]


def _tags_as_list(stack: Json) -> None:
    _oci_bucket(stack)["freeform_tags"] = ["team", "ml-platform"]


def _drop_compartment(stack: Json) -> None:
    del _oci_bucket(stack)["compartment_id"]


def _cleanup_condition_as_string(stack: Json) -> None:
    policies = stack["resource"]["google_artifact_registry_repository"]["models"]["cleanup_policies"]
    policies[0]["condition"] = "older_than 90d"


@dataclass(frozen=True)
class Breakage:
    stack: str  # a stack of the example config
    edit: Edit
    summary: str  # Terraform's summary of the error it must report
    named: str  # text that must appear in the error's detail or source snippet


BROKEN: dict[str, Breakage] = {
    "misspelled-argument": Breakage(
        "prod-oci", _misspell_bucket_argument, "Extraneous JSON object property", '"storage_teir"'
    ),
    "misspelled-nested-argument": Breakage(
        "prod-oci", _misspell_lifecycle_rule_argument, "Extraneous JSON object property", '"target_"'
    ),
    "missing-attribute-reference": Breakage(
        "prod-oci", _reference_missing_bucket_attribute, "Unsupported attribute", '"bucket_ocid"'
    ),
    "missing-attribute-reference-google": Breakage(
        "prod-gcp", _reference_missing_repository_attribute, "Unsupported attribute", '"registry_uri"'
    ),
    "undeclared-resource-reference": Breakage(
        "prod-oci",
        _depend_on_undeclared_resource,
        "Reference to undeclared resource",
        "objectstorage_lifecycle_service_00000000",
    ),
    "list-for-map": Breakage("prod-oci", _tags_as_list, "Incorrect attribute value type", "map of string required"),
    "string-for-block": Breakage(
        "prod-gcp", _cleanup_condition_as_string, "Incorrect JSON value type", 'one or more "condition" blocks'
    ),
    "missing-required-argument": Breakage(
        "prod-oci", _drop_compartment, "Missing required argument", 'The argument "compartment_id" is required'
    ),
}


def validate_broken(stack_dir: Path, edit: Edit, workdir: Path, toolchain: Toolchain) -> list[Diagnostic]:
    shutil.copytree(stack_dir, workdir)
    stack_file = workdir / STACK_FILE
    stack = json.loads(stack_file.read_text())
    edit(stack)
    stack_file.write_text(json.dumps(stack, indent=2))
    _, diagnostics = Terraform(workdir, toolchain).validate()
    return diagnostics


@prefetch("broken_validations", after="example_synth")
def broken_jobs(config: pytest.Config, example_synth: Synth) -> dict[str, Future[list[Diagnostic]]]:
    """Each breakage is a stack of its own: one validate each, in the background."""
    background = background_of(config)
    outdir = synthesized_outdir(example_synth)
    jobs = {}
    for case, broken in BROKEN.items():

        def start(case: str = case, broken: Breakage = broken) -> Callable[[], list[Diagnostic]]:
            workdir = background.tmp_path_factory.mktemp(f"broken-{case}") / "stack"
            toolchain = background.toolchain()
            return lambda: validate_broken(outdir / "stacks" / broken.stack, broken.edit, workdir, toolchain)

        jobs[case] = background.job(("broken", outdir, case), start)
    return jobs


@pytest.fixture(scope="module")
def broken_validations(request: pytest.FixtureRequest, example_synth: Synth) -> dict[str, list[Diagnostic]]:
    return {case: job.result() for case, job in broken_jobs(request.config, example_synth).items()}


@pytest.mark.parametrize("case", list(BROKEN))
def test_validate_rejects_a_broken_stack(case: str, broken_validations: dict[str, list[Diagnostic]]) -> None:
    broken = BROKEN[case]
    errors = [d for d in broken_validations[case] if d.severity == "error"]
    assert errors, f"{case}: {broken.stack} validated although it was broken"
    assert [e.summary for e in errors] == [broken.summary], [str(e) for e in errors]
    assert broken.named in f"{errors[0].detail}\n{errors[0].snippet}", str(errors[0])
    assert errors[0].filename == STACK_FILE and errors[0].line  # points at the line to fix
