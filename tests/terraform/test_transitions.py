"""Edits as transitions: apply config A, apply config B, plan again, against the model with its
clock running (tests/terraform/README.md, "Transitions", has the outcome of each row).

Rows are batched so Terraform runs stay few: one edit of each stack carries several rows, and
each row's outcome is read from the state, the model's ledger or Terraform's refusal.
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from review import changes
from tests.conftest import CONFIGS, run_main
from tests.terraform.harness import (
    STACK_FILE,
    Diagnostic,
    Terraform,
    TerraformError,
    Toolchain,
    local_backend_copy,
    planned_actions,
    state_resources,
)
from tests.terraform.model.gcp import repository_name
from tests.terraform.model.world import CLOCK_ENV, WORLD_ENV, World
from tests.terraform.plugin import in_parallel, world_env

EXAMPLE = yaml.safe_load(CONFIGS["example"].read_text())
READER = "serviceAccount:serving@acme-ml-dev.iam.gserviceaccount.com"
TENANCY = EXAMPLE["environments"]["dev"]["oci"]["tenancy_id"]


def config_a() -> dict[str, Any]:
    dev = copy.deepcopy(EXAMPLE["environments"]["dev"])
    dev["gcp"]["repositories"] = [
        {"id": "models", "labels": {"team": "ml"}, "iam": {"readers": [READER]}},  # authoritative
        {"id": "images", "format": "docker", "vulnerability_scanning": "disabled", "iam": {"mode": "additive", "readers": [READER]}},
    ]
    dev["oci"]["buckets"] = [{"name": "ml-models-dev", "tags": {"team": "ml"}, "lifecycle": {"delete_after_days": 90}}]
    prod = {"oci": copy.deepcopy(EXAMPLE["environments"]["prod"]["oci"]), "backend": {"type": "local"}}
    return {"name": EXAMPLE["name"], "environments": {"dev": dev, "prod": prod}}


def config_b() -> dict[str, Any]:
    data = config_a()
    dev, prod = data["environments"]["dev"], data["environments"]["prod"]
    models, images = dev["gcp"]["repositories"]
    del models["labels"], models["iam"]  # remove labels; leave authoritative IAM by removing iam
    del images["iam"]  # remove additive IAM
    images["format"] = "python"  # a ForceNew argument: the repository is replaced (dev allows it)
    dev["oci"]["buckets"] = [{"name": "ml-models-dev", "versioning": "suspended", "logging": {"write": False}}]  # tags, lifecycle, logs gone
    del prod["oci"]["buckets"][0]["kms_key_id"], prod["oci"]["buckets"][0]["key_compartment_id"]  # remove a bucket's key, in a protected environment
    return data


@dataclass
class Transition:
    after_b: dict[str, dict[str, Any]] = field(default_factory=dict)  # state after applying B
    second_plan: dict[str, list[str]] = field(default_factory=dict)
    refused: list[Diagnostic] = field(default_factory=list)  # B's plan, where Terraform refuses it
    ledger: dict[str, Any] = field(default_factory=dict)
    plan_b: dict[str, list[str]] = field(default_factory=dict)  # what Terraform plans for B, before it applies
    stacks: tuple[dict[str, Any], dict[str, Any]] = ({}, {})  # the stack as synthesized from A, from B


def synth(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(parents=True)
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_main(config, folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "stacks"


def transition(stack: str, a: Path, b: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> Transition:
    terraform = Terraform(local_backend_copy(a / stack, workdir), toolchain, base_env=env)
    terraform.init()
    terraform.apply()
    shutil.copy(b / stack / STACK_FILE, workdir / STACK_FILE)
    stack_json = json.loads((workdir / STACK_FILE).read_text())
    stack_json["terraform"]["backend"] = {"local": {"path": "terraform.tfstate"}}
    (workdir / STACK_FILE).write_text(json.dumps(stack_json))
    found = Transition(stacks=(json.loads((a / stack / STACK_FILE).read_text()), json.loads((b / stack / STACK_FILE).read_text())))
    try:
        found.plan_b = planned_actions(terraform.plan())
        terraform.apply()
    except TerraformError as error:
        found.refused = [d for d in error.result.diagnostics if d.severity == "error"]
        return found
    found.after_b = state_resources(terraform.state())
    found.second_plan = planned_actions(terraform.plan())
    found.ledger = World(Path(env[WORLD_ENV])).read_ledger()
    return found


@pytest.fixture(scope="module")
def transitions(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Transition]:
    root = tmp_path_factory.mktemp("transitions")
    a, b = synth(root / "a", config_a()), synth(root / "b", config_b())
    env = {**world_env("example", root / "world"), CLOCK_ENV: "1", "OCI_TENANCY_OCID": TENANCY}
    jobs = {stack: lambda s=stack: transition(s, a, b, root / s, terraform_toolchain, env) for stack in ("dev-gcp", "dev-oci", "prod-oci")}
    return in_parallel(jobs)


def test_leaving_authoritative_iam_forgets_the_policy_and_keeps_its_grants(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert "google_artifact_registry_repository_iam_policy.models" not in run.after_b
    bindings = run.ledger["gcp"]["repository_iam"]
    assert bindings[repository_name("acme-ml-dev", "us-central1", "models")] == {"roles/artifactregistry.reader": [READER]}
    # Additive IAM removed: its member resources go, and with them their grants.
    assert bindings[repository_name("acme-ml-dev", "us-central1", "images")] == {}
    assert set(map(tuple, run.second_plan.values())) == {("no-op",)}


def test_removed_labels_converge(transitions: dict[str, Transition]) -> None:
    repository = transitions["dev-gcp"].after_b["google_artifact_registry_repository.models"]
    assert not repository.get("labels")


def test_removed_tags_lifecycle_and_logs_and_suspended_versioning_converge(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci"]
    bucket = run.after_b["oci_objectstorage_bucket.ml-models-dev"]
    assert (bucket["freeform_tags"], bucket["versioning"]) == ({}, "Suspended")
    assert not [address for address in run.after_b if address.startswith(("oci_objectstorage_object_lifecycle_policy.", "oci_logging_log."))]
    assert set(map(tuple, run.second_plan.values())) == {("no-op",)}


def test_removing_a_bucket_s_key_is_refused_at_plan_naming_the_bucket(transitions: dict[str, Transition]) -> None:
    # kms_key_id is Optional+Computed: the bucket would keep the key while its policy went.
    # prevent_destroy cannot help: a resource removed from the config loses its lifecycle too.
    (error,) = transitions["prod-oci"].refused
    assert error.summary == "Resource postcondition failed"
    assert error.detail.startswith("Bucket machine-learning-models still uses a Vault key")


@pytest.mark.parametrize("stack", ["dev-gcp", "dev-oci"])
def test_the_change_review_agrees_with_the_model_s_plan(stack: str, transitions: dict[str, Transition]) -> None:
    """The review (read from the provider behaviour facts, before any plan) and Terraform's plan
    against the model never disagree about replace, update or no change."""
    run = transitions[stack]
    old, new = run.stacks
    said = {change.address: change.kind for change in changes.classify({stack: old}, {stack: new}) if change.address}
    planned = {address: actions for address, actions in run.plan_b.items() if not address.startswith("data.")}
    disagreements = []
    for address, actions in planned.items():
        kind = said.get(address)
        if sorted(actions) == ["create", "delete"]:
            agrees = kind == changes.REPLACED
        elif actions == ["update"]:
            agrees = kind in (changes.UPDATE, changes.IAM, changes.PERMANENT, changes.WARNING)
        elif actions == ["no-op"]:
            agrees = kind in (None, changes.NO_CHANGE)
        else:
            agrees = kind not in (changes.REPLACED, changes.UPDATE, changes.NO_CHANGE)
        if not agrees:
            disagreements.append((address, actions, kind))
    for address, kind in said.items():
        expected = {changes.REPLACED: "replace", changes.UPDATE: "update", changes.NO_CHANGE: "no-op"}.get(kind)
        actions = planned.get(address, ["no-op"])
        plan_says = "replace" if sorted(actions) == ["create", "delete"] else actions[0]
        if expected is not None and plan_says != expected:
            disagreements.append((address, actions, kind))
    assert disagreements == []
    # The rows say something: an update in each stack, and dev-gcp a replacement.
    assert changes.UPDATE in said.values() and (stack != "dev-gcp" or changes.REPLACED in said.values())
