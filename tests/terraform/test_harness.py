"""The offline Terraform harness on two hand-written stacks shaped like cdktf output.

Each stack's whole lifecycle (init, validate, plan, apply, show, an edit planned and applied,
destroy) runs once in a module-scoped fixture; the tests then assert on what it
recorded, so selecting or reordering tests never re-runs Terraform.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.terraform.harness import (
    STACK_FILE,
    STANDINS,
    CommandResult,
    Diagnostic,
    Terraform,
    Toolchain,
    local_backend_copy,
    planned_actions,
    state_resources,
)
from tests.terraform.plugin import StackFactory
from tests.terraform.standin_provider import PLACEHOLDER_OCI_NAMESPACE, PLACEHOLDER_PROJECT_NUMBER, canonical_type

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOOGLE_STACK = FIXTURES / "google-models"
OCI_STACK = FIXTURES / "oci-models"
FACTS = {standin.source: json.loads(standin.facts.read_text()) for standin in STANDINS}

GOOGLE_RESOURCES = {
    "google_artifact_registry_repository.models",
    "google_artifact_registry_repository_iam_policy.models_policy",
    "google_kms_crypto_key_iam_member.models_cmek",
}
GOOGLE_DATA = {"data.google_iam_policy.models_policy_data", "data.google_project.project"}
OCI_RESOURCES = {
    "oci_identity_policy.lifecycle_service",
    "oci_objectstorage_bucket.models",
    "oci_objectstorage_object_lifecycle_policy.models",
}
OCI_DATA = {"data.oci_objectstorage_namespace.namespace"}


@dataclass
class Lifecycle:
    terraform: Terraform
    validation: tuple[bool, list[Diagnostic]]
    schemas: dict[str, Any]
    first_plan: dict[str, Any]
    applied: dict[str, Any]  # `show -json` after the first apply
    destroy: CommandResult | None  # None: not destroyed
    update_plan: dict[str, Any] | None = None
    after_destroy: dict[str, Any] | None = None


def _edit_stack(terraform: Terraform, edit: Callable[[dict[str, Any]], None]) -> None:
    stack_file = terraform.workdir / STACK_FILE
    stack = json.loads(stack_file.read_text())
    edit(stack)
    stack_file.write_text(json.dumps(stack, indent=2))


def _run_lifecycle(terraform: Terraform, update: Callable[[dict[str, Any]], None] | None = None, destroy: bool = False) -> Lifecycle:
    terraform.init()
    validation = terraform.validate()
    schemas = terraform.provider_schemas()
    first_plan = terraform.plan()
    terraform.apply(saved_plan=True)
    applied = terraform.state()
    update_plan = None
    if update is not None:
        _edit_stack(terraform, update)
        update_plan = terraform.plan()
        terraform.apply(saved_plan=True)
    destroyed = terraform.destroy(check=False) if destroy else None
    after_destroy = terraform.state() if destroyed is not None and destroyed.ok else None
    return Lifecycle(terraform, validation, schemas, first_plan, applied, destroyed, update_plan, after_destroy)


@pytest.fixture(scope="module")
def google(terraform_stack: StackFactory) -> Lifecycle:
    # Its repository has lifecycle.prevent_destroy: tests/deploy shows Terraform refusing that destroy.
    return _run_lifecycle(terraform_stack(GOOGLE_STACK))


def _retag_bucket(stack: dict[str, Any]) -> None:
    stack["resource"]["oci_objectstorage_bucket"]["models"]["freeform_tags"]["stage"] = "prod"


@pytest.fixture(scope="module")
def oci(terraform_stack: StackFactory) -> Lifecycle:
    return _run_lifecycle(terraform_stack(OCI_STACK), update=_retag_bucket, destroy=True)


@pytest.fixture(params=["google", "oci"])
def lifecycle(request: pytest.FixtureRequest) -> Lifecycle:
    chosen: Lifecycle = request.getfixturevalue(request.param)
    return chosen


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]


# ----------------------------------------------------------------------------
# validate
# ----------------------------------------------------------------------------


def test_fixtures_validate(lifecycle: Lifecycle) -> None:
    ok, diagnostics = lifecycle.validation
    assert ok, [str(d) for d in diagnostics]
    assert diagnostics == []  # not even a warning


def _set_bucket_argument(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(stack: dict[str, Any]) -> None:
        stack["resource"]["oci_objectstorage_bucket"]["models"][name] = value

    return edit


def _add_output(expression: str) -> Callable[[dict[str, Any]], None]:
    def edit(stack: dict[str, Any]) -> None:
        stack["output"]["probe"] = {"value": expression}

    return edit


def _set_keep_count_key(stack: dict[str, Any]) -> None:
    policy = stack["resource"]["google_artifact_registry_repository"]["models"]["cleanup_policies"][0]
    policy["most_recent_versions"] = {"keep_cont": 3}


def _drop_format(stack: dict[str, Any]) -> None:
    del stack["resource"]["google_artifact_registry_repository"]["models"]["format"]


BROKEN_STACKS = {
    # id: (stack, edit, summary, text that must appear in detail or snippet)
    "misspelled-argument": (
        OCI_STACK,
        _set_bucket_argument("storage_teir", "Standard"),
        "Extraneous JSON object property",
        '"storage_teir"',
    ),
    "misspelled-nested-argument": (
        GOOGLE_STACK,
        _set_keep_count_key,
        "Extraneous JSON object property",
        '"keep_cont"',
    ),
    "reference-to-missing-attribute": (
        GOOGLE_STACK,
        # An attribute no google version has (registry_uri exists from 7.1 on).
        _add_output("${google_artifact_registry_repository.models.registry_url}"),
        "Unsupported attribute",
        '"registry_url"',
    ),
    "list-for-string": (
        OCI_STACK,
        _set_bucket_argument("name", ["ml-models"]),
        "Incorrect attribute value type",
        'attribute "name": string required',
    ),
    "missing-required-argument": (
        GOOGLE_STACK,
        _drop_format,
        "Missing required argument",
        'The argument "format" is required',
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_STACKS), ids=list(BROKEN_STACKS))
def test_validate_rejects(case: str, terraform_stack: StackFactory) -> None:
    stack_dir, edit, summary, named = BROKEN_STACKS[case]
    terraform = terraform_stack(stack_dir)
    _edit_stack(terraform, edit)
    # validate needs no init: the providers come from dev_overrides.
    ok, diagnostics = terraform.validate()
    assert not ok
    errors = _errors(diagnostics)
    assert [e.summary for e in errors] == [summary], [str(e) for e in errors]
    assert named in f"{errors[0].detail}\n{errors[0].snippet}"
    assert errors[0].filename == STACK_FILE and errors[0].line


# ----------------------------------------------------------------------------
# schemas
# ----------------------------------------------------------------------------


_TERRAFORM_TYPES: dict[str, Any] = {
    "string": "string",
    "number": "number",
    "boolean": "bool",
    "union<boolean,resolvable>": "bool",
    "array<string>": ["list", "string"],
    "map<string>": ["map", "string"],
}


def _assert_block_matches(
    arguments: dict[str, Any], computed: dict[str, Any], block: dict[str, Any], where: str
) -> None:
    attributes = block.get("attributes", {})
    nested_blocks = block.get("block_types", {})
    # Exactly the facts' names: a misspelling must never pass as "known".
    assert set(attributes) == {k for k, v in arguments.items() if "block" not in v} | set(computed), where
    assert set(nested_blocks) == {k for k, v in arguments.items() if "block" in v}, where
    for name, spec in arguments.items():
        here = f"{where}.{name}"
        if "block" in spec:
            nested = nested_blocks[name]
            assert nested["nesting_mode"] == "list", here
            assert nested.get("max_items") == (None if spec["list"] else 1), here
            assert nested.get("min_items") == (1 if spec["required"] else None), here
            _assert_block_matches(spec["block"], {}, nested["block"], here)
        else:
            assert bool(attributes[name].get("required")) == spec["required"], here
            assert attributes[name]["type"] == _TERRAFORM_TYPES[canonical_type(spec["type"])], here
    for name, spec in computed.items():
        here = f"{where}.{name}"
        assert attributes[name].get("computed") and not attributes[name].get("optional"), here
        assert attributes[name]["type"] == ("dynamic" if canonical_type(spec["type"]) == "complex" else _TERRAFORM_TYPES[canonical_type(spec["type"])]), here


def test_stand_in_schemas_follow_the_facts(lifecycle: Lifecycle) -> None:
    ((source, schema),) = lifecycle.schemas["provider_schemas"].items()
    facts = FACTS[source]
    assert set(schema["resource_schemas"]) == {k for k in facts if "." not in k}
    assert set(schema["data_source_schemas"]) == {k[len("data.") :] for k in facts if k.startswith("data.")}
    for key, entry in facts.items():
        arguments = dict(entry["arguments"])
        if key.startswith("provider."):
            arguments.pop("alias", None)  # a meta-argument: never part of a provider schema
            block = schema["provider"]["block"]
        elif key.startswith("data."):
            block = schema["data_source_schemas"][key[len("data.") :]]["block"]
        else:
            block = schema["resource_schemas"][key]["block"]
        # A provider block has no computed attributes (8.7.0's binding lists its `functions`).
        computed = {} if key.startswith("provider.") else entry.get("computed", {})
        _assert_block_matches(arguments, computed, block, key)
        id_attribute = block["attributes"].get("id", {})
        if id_attribute and not id_attribute.get("required"):
            assert id_attribute.get("computed"), f"{key}.id"


# ----------------------------------------------------------------------------
# plan, apply, state
# ----------------------------------------------------------------------------


def test_plan_creates_exactly_the_stack(google: Lifecycle, oci: Lifecycle) -> None:
    assert planned_actions(google.first_plan) == {address: ["create"] for address in GOOGLE_RESOURCES}
    assert planned_actions(oci.first_plan) == {address: ["create"] for address in OCI_RESOURCES}


def test_plan_reads_data_sources_at_plan_time(google: Lifecycle) -> None:
    # Known data (no deferred reads) is what lets plan show the service agent.
    outputs = google.first_plan["planned_values"]["outputs"]
    assert outputs["service_agent"]["value"] == (
        f"service-{PLACEHOLDER_PROJECT_NUMBER}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    )


def _computed_names(facts: dict[str, Any], address: str) -> set[str]:
    resource_type = address.split(".")[-2]
    key = f"data.{resource_type}" if address.startswith("data.") else resource_type
    return set(facts[key].get("computed", {})) | {"id"}


@pytest.mark.parametrize(
    "name,resources,data_sources,source",
    [
        pytest.param("google", GOOGLE_RESOURCES, GOOGLE_DATA, "registry.terraform.io/hashicorp/google", id="google"),
        pytest.param("oci", OCI_RESOURCES, OCI_DATA, "registry.terraform.io/oracle/oci", id="oci"),
    ],
)
def test_apply_stores_every_resource_with_known_computed_values(
    name: str, resources: set[str], data_sources: set[str], source: str, request: pytest.FixtureRequest
) -> None:
    lifecycle: Lifecycle = request.getfixturevalue(name)
    found = state_resources(lifecycle.applied)
    assert set(found) == resources | data_sources
    for address, values in found.items():
        unknown = {n for n in _computed_names(FACTS[source], address) if values.get(n) is None}
        assert not unknown, f"{address}: {sorted(unknown)}"


def test_google_values_flow_between_resources(google: Lifecycle) -> None:
    found = state_resources(google.applied)
    repository = found["google_artifact_registry_repository.models"]
    assert repository["name"] == "projects/p/locations/us-central1/repositories/ml-models"
    # Nested blocks survive the round trip (cdktf writes single blocks as objects).
    assert repository["cleanup_policies"][0]["most_recent_versions"][0]["keep_count"] == 5
    assert repository["cleanup_policies"][1]["condition"][0]["older_than"] == "7776000s"
    assert repository["docker_config"] == [{"immutable_tags": True}]
    assert repository["effective_labels"] == {"team": "ml"}

    policy = json.loads(found["google_artifact_registry_repository_iam_policy.models_policy"]["policy_data"])
    assert [b["role"] for b in policy["bindings"]] == ["roles/artifactregistry.reader", "roles/artifactregistry.writer"]
    assert policy["bindings"][0]["condition"]["title"] == "until-2030"

    member = found["google_kms_crypto_key_iam_member.models_cmek"]["member"]
    service_agent = f"service-{PLACEHOLDER_PROJECT_NUMBER}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    assert member == f"serviceAccount:{service_agent}"
    assert google.applied["values"]["outputs"]["repository_url"]["value"] == "us-central1-docker.pkg.dev/p/ml-models"


def test_oci_values_flow_between_resources(oci: Lifecycle) -> None:
    found = state_resources(oci.applied)
    bucket = found["oci_objectstorage_bucket.models"]
    assert bucket["namespace"] == PLACEHOLDER_OCI_NAMESPACE
    assert bucket["id"] == f"n/{PLACEHOLDER_OCI_NAMESPACE}/b/ml-models"
    assert bucket["bucket_id"].startswith("ocid1.bucket.oc1..")
    lifecycle_policy = found["oci_objectstorage_object_lifecycle_policy.models"]
    assert lifecycle_policy["namespace"] == PLACEHOLDER_OCI_NAMESPACE
    rules = {rule["name"]: rule for rule in lifecycle_policy["rules"]}
    assert rules["archive-checkpoints"]["object_name_filter"][0]["inclusion_prefixes"] == ["checkpoints/"]
    assert rules["archive-checkpoints"]["time_amount"] == "30"
    assert rules["abort-uploads"]["object_name_filter"] == []
    assert oci.applied["values"]["outputs"]["bucket_id"]["value"] == bucket["bucket_id"]


def test_changed_argument_plans_an_update(oci: Lifecycle) -> None:
    assert oci.update_plan is not None
    assert planned_actions(oci.update_plan) == {
        "oci_identity_policy.lifecycle_service": ["no-op"],
        "oci_objectstorage_bucket.models": ["update"],
        "oci_objectstorage_object_lifecycle_policy.models": ["no-op"],
    }


# ----------------------------------------------------------------------------
# destroy
# ----------------------------------------------------------------------------


def test_destroy_removes_everything(oci: Lifecycle) -> None:
    assert oci.destroy is not None and oci.destroy.ok, oci.destroy
    assert oci.after_destroy is not None
    assert state_resources(oci.after_destroy) == {}


# ----------------------------------------------------------------------------
# the `terraform` launcher (what cdktf calls through TERRAFORM_BINARY_NAME)
# ----------------------------------------------------------------------------


def _launch(toolchain: Toolchain, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(toolchain.terraform_launcher), *args], env=toolchain.env(), capture_output=True, text=True, check=False
    )


def test_launcher_prints_version_like_terraform(terraform_toolchain: Toolchain) -> None:
    for flag in ("-version", "version"):
        completed = _launch(terraform_toolchain, flag)
        assert completed.returncode == 0
        assert completed.stdout.startswith("Terraform v1."), completed.stdout
    report = json.loads(_launch(terraform_toolchain, "version", "-json").stdout)
    assert report["terraform_version"].startswith("1.")


def test_launcher_honours_chdir_and_exit_codes(terraform_toolchain: Toolchain, tmp_path: Path) -> None:
    stack = local_backend_copy(OCI_STACK, tmp_path / "stack")
    stack_file = stack / STACK_FILE
    stack_file.write_text(stack_file.read_text().replace('"storage_tier"', '"storage_teir"'))
    completed = _launch(terraform_toolchain, f"-chdir={stack}", "validate", "-json")
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["error_count"] == 1
    assert _launch(terraform_toolchain, "no-such-command").returncode != 0
