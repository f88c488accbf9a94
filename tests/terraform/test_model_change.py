"""The model learns change, in process: each rule of tests/terraform/README.md's "Change" table
tested against the model and the stand-in's schema, no Terraform run.

- plans follow facts/provider-behaviour.json: a changed ForceNew argument replaces, a removed
  Optional+Computed one keeps the cloud's value;
- deletes have their real effect: an IAM policy's writes an empty policy, a member's removes one
  member;
- a clock (MODEL_REGISTRY_CLOCK=1): policies, grants, APIs and service agents take effect after
  their documented delay, and only a time_sleep moves it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.terraform.model.clock import TimeModel, seconds
from tests.terraform.model.gcp import GcpModel, repository_name
from tests.terraform.model.oci import OciModel
from tests.terraform.model.world import CLOCK_ENV, World
from tests.terraform.standin_provider import _fill_computed, _resource_class, type_spec_from_facts

FACTS = Path(__file__).resolve().parents[2] / "facts"
TENANCY = "ocid1.tenancy.oc1..aaaaaaaatenancy"
PROJECT = "acme-ml"
KEY = "projects/sec/locations/us-central1/keyRings/ml/cryptoKeys/models"
REPOSITORY = repository_name(PROJECT, "us-central1", "models")
AGENT = "serviceAccount:service-100@gcp-sa-artifactregistry.iam.gserviceaccount.com"
READER, OTHER = "user:a@example.com", "user:outside@example.com"


def spec(provider_facts: str, type_name: str) -> Any:
    return type_spec_from_facts(type_name, json.loads((FACTS / provider_facts).read_text())[type_name])


@pytest.fixture
def world(tmp_path: Path) -> World:
    path = tmp_path / "world.json"
    path.write_text(
        json.dumps(
            {
                "oci": {"tenancies": {TENANCY: {"home_region": "us-ashburn-1", "regions": {"us-ashburn-1": "IAD"}, "namespace": "ns", "compartments": {}}}},
                "gcp": {"projects": {PROJECT: {"number": "100", "apis": []}}, "keys": {KEY: {"bindings": {}}}, "repositories": []},
            }
        )
    )
    return World(path)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLOCK_ENV, "1")


def sleep(world: World, duration: str) -> None:
    assert TimeModel(world).create("time_sleep", {"create_duration": duration}) is None


# ---- plans follow the behaviour facts -------------------------------------------------------


def test_a_changed_force_new_argument_replaces() -> None:
    bucket = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_bucket").attributes
    assert bucket["storage_tier"].requires_replace and bucket["name"].requires_replace
    assert not bucket["versioning"].requires_replace
    repository = spec("google-provider-6.50.0-facts.json", "google_artifact_registry_repository").attributes
    assert {name for name in ("format", "mode", "kms_key_name", "location") if repository[name].requires_replace} == {"format", "mode", "kms_key_name", "location"}
    # every argument of a replication policy (oracle/oci has no Update for it)
    replication = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_replication_policy").attributes
    assert replication["destination_region_name"].requires_replace and replication["name"].requires_replace


def test_a_removed_optional_computed_argument_keeps_the_cloud_s_value() -> None:
    bucket = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_bucket")
    # computed: with no value in the config Terraform proposes the prior one, so the plan is empty
    assert all(bucket.attributes[name].computed for name in ("kms_key_id", "freeform_tags", "defined_tags", "versioning"))
    assert not bucket.attributes["compartment_id"].computed
    # and until the cloud says otherwise it is null, not a made-up key
    assert _fill_computed(bucket, {"name": "b", "kms_key_id": None, "freeform_tags": None}, {})["kms_key_id"] is None


def test_a_removed_optional_computed_block_keeps_the_cloud_s_value() -> None:
    repository = spec("google-provider-6.50.0-facts.json", "google_artifact_registry_repository")
    assert repository.kept_blocks == {"vulnerability_scanning_config"}
    # the plan hook puts the prior block back where the config has none (a block can't be computed)
    resource = _resource_class(repository)(None)
    scanning = [{"enablement_config": "INHERITED", "enablement_state": "SCANNING_ACTIVE", "enablement_state_reason": ""}]
    planned = resource.plan(None, {"vulnerability_scanning_config": scanning, "cleanup_policies": []}, {"vulnerability_scanning_config": [], "cleanup_policies": []})
    assert planned["vulnerability_scanning_config"] == scanning
    # a block that is not Optional+Computed goes when the config drops it
    planned = resource.plan(None, {"vulnerability_scanning_config": [], "cleanup_policies": [{"id": "keep"}]}, {"vulnerability_scanning_config": [], "cleanup_policies": []})
    assert planned["cleanup_policies"] == []


# ---- deletes have their real effects --------------------------------------------------------


def gcp_with_repository(world: World) -> GcpModel:
    with world.ledger() as ledger:
        ledger["gcp"] = {"apis": {PROJECT: ["artifactregistry.googleapis.com"]}, "repositories": {REPOSITORY: {}}}
    return GcpModel(world, {"project": PROJECT})


def test_an_iam_policy_delete_writes_an_empty_policy(world: World) -> None:
    model = gcp_with_repository(world)
    policy = {"location": "us-central1", "repository": "models", "policy_data": json.dumps({"bindings": [{"role": "roles/artifactregistry.reader", "members": [READER]}]})}
    assert model.create("google_artifact_registry_repository_iam_policy", policy) is None
    # a grant made outside Terraform since
    assert model.create("google_artifact_registry_repository_iam_member", {"location": "us-central1", "repository": "models", "role": "roles/artifactregistry.writer", "member": OTHER}) is None
    assert model.repository_bindings(REPOSITORY) == {"roles/artifactregistry.reader": [READER], "roles/artifactregistry.writer": [OTHER]}
    model.delete("google_artifact_registry_repository_iam_policy", policy)
    assert model.repository_bindings(REPOSITORY) == {}


def test_a_member_delete_removes_that_member_only(world: World) -> None:
    model = gcp_with_repository(world)
    grant = {"location": "us-central1", "repository": "models", "role": "roles/artifactregistry.reader"}
    for member in (READER, OTHER):
        assert model.create("google_artifact_registry_repository_iam_member", {**grant, "member": member}) is None
    model.delete("google_artifact_registry_repository_iam_member", {**grant, "member": READER})
    assert model.repository_bindings(REPOSITORY) == {"roles/artifactregistry.reader": [OTHER]}


def test_a_key_grant_delete_revokes_it_for_every_stack_that_shared_it(world: World) -> None:
    model = gcp_with_repository(world)
    model.make_agent(PROJECT)
    grant = {"crypto_key_id": KEY, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": AGENT}
    assert model.create("google_kms_crypto_key_iam_member", grant) is None
    model.delete("google_kms_crypto_key_iam_member", grant)
    assert AGENT not in model.key_members(KEY, grant["role"])


# ---- the clock --------------------------------------------------------------------------------


def test_time_sleep_durations_are_the_provider_s() -> None:
    assert [seconds(d) for d in ("30s", "1.5m", "2h", "250ms")] == [30.0, 90.0, 7200.0, 0.25]
    with pytest.raises(ValueError):
        seconds("30")


def test_an_oci_policy_is_in_force_ten_seconds_after_it_is_made(world: World, clock: None) -> None:
    model = OciModel(world, {"region": "us-ashburn-1"})
    policy = {"id": "ocid1.policy.oc1..p", "compartment_id": TENANCY, "name": "p", "statements": ["Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"]}
    assert model.create("oci_identity_policy", policy) is None
    assert model.statements(TENANCY) == []
    sleep(world, "9s")
    assert model.statements(TENANCY) == []
    sleep(world, "1s")
    assert [p["name"] for p, _ in model.statements(TENANCY)] == ["p"]


def test_an_api_answers_thirty_seconds_after_it_is_enabled(world: World, clock: None) -> None:
    model = GcpModel(world, {"project": PROJECT})
    assert model.create("google_project_service", {"project": PROJECT, "service": "artifactregistry.googleapis.com"}) is None
    assert not model.api_enabled(PROJECT, "artifactregistry.googleapis.com")
    sleep(world, "30s")
    assert model.api_enabled(PROJECT, "artifactregistry.googleapis.com")


def test_a_new_agent_then_its_grant_take_a_minute_then_two(world: World, clock: None) -> None:
    model = GcpModel(world, {"project": PROJECT})
    model.make_agent(PROJECT)
    assert not model.agent_exists("100")
    sleep(world, "60s")
    assert model.agent_exists("100")
    role = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert model.create("google_kms_crypto_key_iam_member", {"crypto_key_id": KEY, "role": role, "member": AGENT}) is None
    assert AGENT not in model.key_members(KEY, role)
    sleep(world, "120s")
    assert AGENT in model.key_members(KEY, role)


def test_without_the_clock_everything_is_in_force_at_once(world: World) -> None:
    model = GcpModel(world, {"project": PROJECT})
    model.create("google_project_service", {"project": PROJECT, "service": "artifactregistry.googleapis.com"})
    assert model.api_enabled(PROJECT, "artifactregistry.googleapis.com")
