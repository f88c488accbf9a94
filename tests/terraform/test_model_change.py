"""The model learns change: each rule of tests/terraform/README.md's "Change" table (model/change.py)
shown in-process against the model and the stand-in's schema and plan, and two stacks through
Terraform for what only Terraform proves.

- plans follow facts/provider-behaviour.json: a changed ForceNew argument replaces, a removed
  Optional+Computed one keeps the cloud's value, a difference the provider's DiffSuppressFunc
  ignores plans nothing;
- what the cloud sets itself reaches the state: OCI's tag defaults, which `ignore_defined_tags`
  keeps out of the plan;
- deletes have their real effect: an IAM policy's writes an empty policy, a member's removes one
  member, an OCI policy's revokes its grants at once, a repository's takes its artifacts, a
  bucket's is refused while the bucket holds objects;
- a clock (MODEL_REGISTRY_CLOCK=1): policies, grants, APIs and service agents take effect after
  their documented delay, and only a time_sleep moves it.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import Json, Synth, synthesized
from tests.terraform.breaks import README, refusal, rules_without_a_test, shows, unlisted
from tests.terraform.harness import STACK_FILE, Terraform, Toolchain, local_backend_copy
from tests.terraform.model import force_new_blocks
from tests.terraform.model.behaviour import diff_suppressed
from tests.terraform.model.change import RULES
from tests.terraform.model.clock import TimeModel, seconds
from tests.terraform.model.gcp import GcpModel, repository_name
from tests.terraform.model.oci import ORACLE_TAGS, OciModel
from tests.terraform.model.suppress import FUNCTIONS, NOT_MODELLED
from tests.terraform.model.world import CLOCK_ENV, WORLD_ENV, World
from tests.terraform.plugin import in_parallel, world_env
from tests.terraform.standin_provider import _fill_computed, _read_back, _resource_class, _without, type_spec_from_facts

FACTS = Path(__file__).resolve().parents[2] / "facts"
TENANCY = "ocid1.tenancy.oc1..aaaaaaaatenancy"
PROJECT = "acme-ml"
KEY = "projects/sec/locations/us-central1/keyRings/ml/cryptoKeys/models"
REPOSITORY = repository_name(PROJECT, "us-central1", "models")
AGENT = "serviceAccount:service-100@gcp-sa-artifactregistry.iam.gserviceaccount.com"
READER, OTHER = "user:a@example.com", "user:outside@example.com"
OCI, GOOGLE = "oci-provider-7.19.0-facts.json", "google-provider-6.50.0-facts.json"
BUCKET, POLICY, LIFECYCLE = "oci_objectstorage_bucket", "oci_identity_policy", "oci_objectstorage_object_lifecycle_policy"
LOG_GROUP, LOG, REPLICATION = "oci_logging_log_group", "oci_logging_log", "oci_objectstorage_replication_policy"
MANAGE_OBJECTS = "Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"
IGNORING = {"ignore_defined_tags": list(ORACLE_TAGS)}  # as every stack's OCI provider says


def spec(provider_facts: str, type_name: str) -> Any:
    return type_spec_from_facts(type_name, json.loads((FACTS / provider_facts).read_text())[type_name])


def plan(provider_facts: str, type_name: str, prior: Json, config: Json, provider: Json | None = None) -> Json:
    """What the stand-in plans for an update of `prior` to `config` (Terraform's proposed state),
    under a provider configured with `provider`."""
    resource = _resource_class(spec(provider_facts, type_name))(SimpleNamespace(config=provider or {}))
    planned: Json = resource.plan(None, copy.deepcopy(prior), copy.deepcopy(config))
    return planned


OCI_TENANCY = {
    "home_region": "us-ashburn-1",
    "regions": {"us-ashburn-1": "IAD", "us-phoenix-1": "PHX"},
    "namespace": "ns",
    "compartments": {},
    # made elsewhere, with an upload never committed
    "buckets": [{"name": "legacy", "region": "us-ashburn-1", "compartment": TENANCY, "versioning": "Disabled", "multipart_uploads": ["checkpoint.tar"]}],
}


@pytest.fixture
def world(tmp_path: Path) -> World:
    path = tmp_path / "world.json"
    path.write_text(
        json.dumps(
            {
                "oci": {"tenancies": {TENANCY: OCI_TENANCY}},
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


@shows("change-force-new")
def test_a_changed_force_new_argument_replaces() -> None:
    bucket = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_bucket").attributes
    assert bucket["storage_tier"].requires_replace and bucket["name"].requires_replace
    assert not bucket["versioning"].requires_replace
    repository = spec("google-provider-6.50.0-facts.json", "google_artifact_registry_repository").attributes
    assert {name for name in ("format", "mode", "kms_key_name", "location") if repository[name].requires_replace} == {"format", "mode", "kms_key_name", "location"}
    # every argument of a replication policy (oracle/oci has no Update for it)
    replication = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_replication_policy").attributes
    assert replication["destination_region_name"].requires_replace and replication["name"].requires_replace


@shows("change-force-new")
def test_a_changed_force_new_block_replaces_but_for_its_updatable_children() -> None:
    """The `tf` library asks only attributes whether they replace; the stand-in adds the ForceNew
    blocks whose value changed (tests/terraform/test_feature_transitions.py shows Terraform
    planning the replacement)."""
    blocks = force_new_blocks("google_artifact_registry_repository")
    assert blocks == {"remote_repository_config": frozenset({"disable_upstream_validation"})}
    ignored = blocks["remote_repository_config"]
    credentials = [{"username_password_credentials": [{"username": "ci", "password_secret_version": "projects/p/secrets/s/versions/2"}]}]
    before = [{"python_repository": [{"custom_repository": [{"uri": "https://pypi.example.com"}]}], "upstream_credentials": credentials, "disable_upstream_validation": False}]
    rotated = copy.deepcopy(before)
    rotated[0]["upstream_credentials"][0]["username_password_credentials"][0]["password_secret_version"] = "projects/p/secrets/s/versions/3"
    unchecked = [{**before[0], "disable_upstream_validation": True}]
    assert _without(before, ignored) != _without(rotated, ignored)
    assert _without(before, ignored) == _without(unchecked, ignored)
    assert set(force_new_blocks("oci_logging_log")) == {"configuration"}  # a log's source


@shows("change-optional-computed")
def test_a_removed_optional_computed_argument_keeps_the_cloud_s_value() -> None:
    bucket = spec("oci-provider-7.19.0-facts.json", "oci_objectstorage_bucket")
    # computed: with no value in the config Terraform proposes the prior one, so the plan is empty
    assert all(bucket.attributes[name].computed for name in ("kms_key_id", "freeform_tags", "defined_tags", "versioning"))
    assert not bucket.attributes["compartment_id"].computed
    # and until the cloud says otherwise it is null, not a made-up key
    assert _fill_computed(bucket, {"name": "b", "kms_key_id": None, "freeform_tags": None}, {})["kms_key_id"] is None


def repository_plan(prior: Json, config: Json) -> Json:
    return plan(GOOGLE, "google_artifact_registry_repository", prior, config)


def cleanup(older_than: str) -> list[Json]:
    return [{"id": "delete-old", "action": "DELETE", "condition": [{"older_than": older_than, "tag_state": "ANY"}], "most_recent_versions": []}]


@shows("change-diff-suppress")
def test_a_difference_the_provider_ignores_plans_the_prior_value() -> None:
    repository = {"repository_id": "models", "format": "DOCKER", "cleanup_policies": cleanup("2592000s")}
    assert repository_plan(repository, {**repository, "format": "docker"}) == repository  # ForceNew, and not replaced
    assert repository_plan(repository, {**repository, "format": "python"})["format"] == "python"
    assert repository_plan(repository, {**repository, "cleanup_policies": cleanup("30d")}) == repository
    assert repository_plan(repository, {**repository, "cleanup_policies": cleanup("720h")}) == repository
    assert repository_plan(repository, {**repository, "cleanup_policies": cleanup("1.5h")})["cleanup_policies"] == cleanup("1.5h")  # not parsed: a change
    upstreams = [{"id": "wheels", "priority": 100, "repository": "r/wheels"}, {"id": "pypi", "priority": 10, "repository": "r/pypi"}]
    virtual = {"virtual_repository_config": [{"upstream_policies": upstreams}]}
    assert repository_plan(virtual, {"virtual_repository_config": [{"upstream_policies": upstreams[::-1]}]}) == virtual
    member = {"member": "serviceAccount:serving@acme.iam.gserviceaccount.com", "repository": REPOSITORY}
    for type_name in ("google_artifact_registry_repository_iam_member", "google_kms_crypto_key_iam_member"):
        assert plan(GOOGLE, type_name, member, {**member, "member": "serviceAccount:Serving@ACME.iam.gserviceaccount.com"}) == member
    assert plan(GOOGLE, "google_artifact_registry_repository_iam_member", member, {**member, "repository": "models"}) == member
    principal = {"member": "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/subject/a"}
    assert plan(GOOGLE, "google_artifact_registry_repository_iam_member", principal, {"member": principal["member"][:-1] + "A"}) != principal
    policy = {"policy_data": json.dumps({"bindings": [{"members": [READER, OTHER], "role": "roles/artifactregistry.reader"}]})}
    reordered = {"policy_data": json.dumps({"bindings": [{"role": "roles/artifactregistry.reader", "members": [OTHER, READER.upper().replace("USER:", "user:")]}]})}
    assert plan(GOOGLE, "google_artifact_registry_repository_iam_policy", policy, reordered) == policy
    service = {"project": "projects/acme-ml", "service": "artifactregistry.googleapis.com"}
    assert plan(GOOGLE, "google_project_service", service, {**service, "project": "acme-ml"}) == service
    source = {"source_type": "OCISERVICE", "service": "objectstorage", "resource": "models", "category": "write"}
    log = {"configuration": [{"source": [source], "compartment_id": None}]}
    assert plan(OCI, LOG, log, {"configuration": [{"source": [{**source, "source_type": "ociservice"}], "compartment_id": None}]}) == log


@shows("change-diff-suppress")
def test_inside_oci_s_rule_sets_a_suppressed_value_still_makes_another_element() -> None:
    """retentionRulesHashCodeForSets and rulesHashCodeForSets read the raw text: `030` is another rule."""
    rule = {"name": "r", "action": "DELETE", "target": "objects", "is_enabled": True, "time_amount": "30", "time_unit": "DAYS", "object_name_filter": []}
    assert plan(OCI, LIFECYCLE, {"rules": [rule]}, {"rules": [{**rule, "time_amount": "030"}]})["rules"][0]["time_amount"] == "030"
    retained = {"display_name": "r", "duration": [{"time_amount": "30", "time_unit": "DAYS"}], "time_rule_locked": "2030-01-01T00:00:00Z"}
    again = {**retained, "time_rule_locked": "2030-01-01T00:00:00+00:00"}
    assert plan(OCI, BUCKET, {"retention_rules": [retained]}, {"retention_rules": [again]})["retention_rules"] == [again]


@shows("change-diff-suppress")
def test_policy_statements_compare_as_one_list_joined_by_hash() -> None:
    """ignorePolicyFormatDiff hashes the statements joined by '#', as Read stored them: two lists
    with one join are one policy to the provider."""
    a, b = "Allow group A to read objects in tenancy", "Allow group B to read objects in tenancy"
    prior = _read_back(POLICY, {"statements": [a, b]})
    assert plan(OCI, POLICY, prior, {**prior, "statements": [f"{a}#{b}"]}) == prior
    assert plan(OCI, POLICY, prior, {**prior, "statements": [a]})["statements"] == [a]


def test_every_suppress_function_the_facts_name_is_written_or_said_why_not() -> None:
    from tests.terraform.model.behaviour import BEHAVIOUR

    named = {name for type_name in json.loads(BEHAVIOUR.read_text())["resources"] for name in diff_suppressed(type_name).values()}
    assert named == set(FUNCTIONS) | set(NOT_MODELLED)


# ---- what the cloud sets itself -------------------------------------------------------------


def oci_bucket(name: str, **values: Any) -> Json:
    return {"name": name, "namespace": "ns", "compartment_id": TENANCY, "versioning": "Disabled", **values}


@shows("oci-default-tags")
def test_every_new_oci_resource_carries_its_creator_and_its_time(world: World) -> None:
    model = OciModel(world, {"region": "us-ashburn-1"})
    made = {
        BUCKET: oci_bucket("models", defined_tags={"Ops.Owner": "ml"}),
        POLICY: {"id": "p", "name": "p", "compartment_id": TENANCY, "statements": [MANAGE_OBJECTS], "defined_tags": None},
        LOG_GROUP: {"id": "g", "display_name": "g", "compartment_id": TENANCY, "defined_tags": None},
        LOG: {"id": "l", "display_name": "l", "log_group_id": "g", "log_type": "CUSTOM", "defined_tags": None},
    }
    for type_name, values in made.items():
        assert model.create(type_name, values) is None
        tags = model.written(type_name, values)["defined_tags"]
        assert set(tags) == {*(values["defined_tags"] or {}), *ORACLE_TAGS}, type_name
    assert tags["Oracle-Tags.CreatedBy"] == "default/terraform"
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", tags["Oracle-Tags.CreatedOn"])
    world.facts["oci"]["tenancies"][TENANCY]["oracle_tags"] = False  # a tenancy from before 2020
    older = OciModel(world, {"region": "us-ashburn-1"})
    assert older.create(BUCKET, oci_bucket("plain")) is None
    assert older.written(BUCKET, oci_bucket("plain")) == {"defined_tags": {}}


@shows("oci-default-tags")
def test_ignore_defined_tags_keeps_the_tag_defaults_out_of_every_plan(world: World) -> None:
    model = OciModel(world, {"region": "us-ashburn-1"})
    config = oci_bucket("models", defined_tags={"Ops.Owner": "ml"})
    assert model.create(BUCKET, config) is None
    state = {**config, **model.written(BUCKET, config)}  # what the provider reads back
    assert plan(OCI, BUCKET, state, config, IGNORING) == state
    # Listed keys are ignored either way: one the config sets is not planned either.
    assert plan(OCI, BUCKET, state, {**config, "defined_tags": {"Ops.Owner": "ml", "oracle-tags.createdby": "me"}}, IGNORING) == state
    # Without the list the next plan removes them, and so does its update.
    removal = plan(OCI, BUCKET, state, config)
    assert removal["defined_tags"] == {"Ops.Owner": "ml"}
    assert model.update(BUCKET, state, removal) is None
    assert model.written(BUCKET, removal) == {"defined_tags": {"Ops.Owner": "ml"}}
    # A key in another case plans nothing; another value does.
    assert plan(OCI, BUCKET, removal, {**config, "defined_tags": {"ops.owner": "ml"}}) == removal
    assert plan(OCI, BUCKET, removal, {**config, "defined_tags": {"Ops.Owner": "ai"}})["defined_tags"] == {"Ops.Owner": "ai"}


def test_a_removed_optional_computed_block_keeps_the_cloud_s_value() -> None:
    repository = spec("google-provider-6.50.0-facts.json", "google_artifact_registry_repository")
    assert repository.kept_blocks == {"vulnerability_scanning_config"}
    # the plan hook puts the prior block back where the config has none (a block can't be computed)
    resource = _resource_class(repository)(SimpleNamespace(config={}, model=None))
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


@shows("delete-iam-policy")
def test_an_iam_policy_delete_writes_an_empty_policy(world: World) -> None:
    model = gcp_with_repository(world)
    policy = {"location": "us-central1", "repository": "models", "policy_data": json.dumps({"bindings": [{"role": "roles/artifactregistry.reader", "members": [READER]}]})}
    assert model.create("google_artifact_registry_repository_iam_policy", policy) is None
    # a grant made outside Terraform since
    assert model.create("google_artifact_registry_repository_iam_member", {"location": "us-central1", "repository": "models", "role": "roles/artifactregistry.writer", "member": OTHER}) is None
    assert model.repository_bindings(REPOSITORY) == {"roles/artifactregistry.reader": [READER], "roles/artifactregistry.writer": [OTHER]}
    model.delete("google_artifact_registry_repository_iam_policy", policy)
    assert model.repository_bindings(REPOSITORY) == {}


@shows("delete-iam-member")
def test_a_member_delete_removes_that_member_only(world: World) -> None:
    model = gcp_with_repository(world)
    grant = {"location": "us-central1", "repository": "models", "role": "roles/artifactregistry.reader"}
    for member in (READER, OTHER):
        assert model.create("google_artifact_registry_repository_iam_member", {**grant, "member": member}) is None
    model.delete("google_artifact_registry_repository_iam_member", {**grant, "member": READER})
    assert model.repository_bindings(REPOSITORY) == {"roles/artifactregistry.reader": [OTHER]}


@shows("delete-iam-member")
def test_a_key_grant_delete_revokes_it_for_every_stack_that_shared_it(world: World) -> None:
    model = gcp_with_repository(world)
    model.make_agent(PROJECT)
    grant = {"crypto_key_id": KEY, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": AGENT}
    assert model.create("google_kms_crypto_key_iam_member", grant) is None
    model.delete("google_kms_crypto_key_iam_member", grant)
    assert AGENT not in model.key_members(KEY, grant["role"])


@shows("delete-repository")
def test_a_repository_delete_takes_its_artifacts_with_it(world: World) -> None:
    model = gcp_with_repository(world)
    assert model.push(REPOSITORY, "resnet/1.0/model.onnx") is None
    assert refusal(model.push(repository_name(PROJECT, "us-central1", "nowhere"), "x"))[0] == "googleapi: Error 404"
    values = {"project": PROJECT, "location": "us-central1", "repository_id": "models", "format": "GENERIC"}
    assert model.update("google_artifact_registry_repository", values, values) is None  # an update keeps them
    assert model.delete("google_artifact_registry_repository", {**values, "name": REPOSITORY}) is None
    assert model.repositories() == {}
    assert world.read_ledger()["gcp"]["deleted_artifacts"] == {REPOSITORY: ["resnet/1.0/model.onnx"]}


@shows("oci-bucket-not-empty")
def test_a_bucket_that_holds_anything_is_not_deleted(world: World) -> None:
    ashburn, phoenix = OciModel(world, {"region": "us-ashburn-1"}), OciModel(world, {"region": "us-phoenix-1"})
    models = oci_bucket("models")
    assert ashburn.create(BUCKET, models) is None
    assert ashburn.put_object("ns", "models", "resnet/model.onnx") is None
    assert ashburn.delete(BUCKET, models) == ("409-BucketNotEmpty", "Bucket named 'models' is not empty. Delete all object versions first.")
    # The replacement of a changed storage_tier starts with this delete: it fails, the bucket stays.
    assert spec(OCI, BUCKET).attributes["storage_tier"].requires_replace
    assert ashburn.update(BUCKET, models, {**models, "versioning": None, "freeform_tags": {"a": "b"}}) is None  # an update keeps the objects
    assert refusal(ashburn.delete(BUCKET, models))[0] == "409-BucketNotEmpty"
    assert ashburn.delete_object("ns", "models", "resnet/model.onnx") is None
    assert ashburn.delete(BUCKET, models) is None
    # Versioned: a deleted object leaves its versions behind.
    history = oci_bucket("history", versioning="Enabled")
    assert ashburn.create(BUCKET, history) is None
    assert ashburn.put_object("ns", "history", "m") is None
    assert ashburn.delete_object("ns", "history", "m") is None
    assert refusal(ashburn.delete(BUCKET, history))[0] == "409-BucketNotEmpty"
    # Made elsewhere, with an uncommitted multipart upload.
    assert ashburn.imported(BUCKET, "n/ns/b/legacy") is not None
    assert refusal(ashburn.delete(BUCKET, oci_bucket("legacy")))[0] == "409-BucketNotEmpty"
    # A replication source, while its policy exists.
    assert ashburn.create(POLICY, {"id": "grant", "name": "grant", "compartment_id": TENANCY, "statements": [MANAGE_OBJECTS]}) is None
    assert phoenix.create(BUCKET, oci_bucket("models-dr")) is None
    assert ashburn.create(BUCKET, models) is None
    replicated = {"id": "r", "bucket": "models", "namespace": "ns", "name": "r", "destination_bucket_name": "models-dr", "destination_region_name": "us-phoenix-1"}
    assert ashburn.create(REPLICATION, replicated) is None
    assert refusal(ashburn.delete(BUCKET, models))[0] == "409-Conflict"
    assert ashburn.delete(REPLICATION, replicated) is None
    assert ashburn.delete(BUCKET, models) is None


@shows("delete-oci-policy")
def test_a_deleted_policy_grants_nothing_from_the_next_call_on(world: World, clock: None) -> None:
    ashburn, phoenix = OciModel(world, {"region": "us-ashburn-1"}), OciModel(world, {"region": "us-phoenix-1"})
    grant = {"id": "grant", "name": "grant", "compartment_id": TENANCY, "statements": [MANAGE_OBJECTS]}
    assert ashburn.create(POLICY, grant) is None
    sleep(world, "10s")
    assert ashburn.create(BUCKET, oci_bucket("models")) is None
    assert phoenix.create(BUCKET, oci_bucket("models-dr")) is None
    rules = {"bucket": "models", "namespace": "ns", "rules": [{"name": "r", "action": "DELETE", "target": "objects", "time_amount": 30, "time_unit": "DAYS"}]}
    assert ashburn.create(LIFECYCLE, rules) is None
    assert ashburn.delete(POLICY, grant) is None  # no sleep: the delete is in force at once
    assert refusal(ashburn.update(LIFECYCLE, rules, rules))[0] == "400-InsufficientServicePermissions"
    replicated = {"id": "r", "bucket": "models", "namespace": "ns", "name": "r", "destination_bucket_name": "models-dr", "destination_region_name": "us-phoenix-1"}
    assert refusal(ashburn.create(REPLICATION, replicated))[0] == "400-InsufficientServicePermissions"


# ---- the clock --------------------------------------------------------------------------------


@shows("clock-time-sleep")
def test_time_sleep_durations_are_the_provider_s() -> None:
    assert [seconds(d) for d in ("30s", "1.5m", "2h", "250ms")] == [30.0, 90.0, 7200.0, 0.25]
    with pytest.raises(ValueError):
        seconds("30")


@shows("clock-oci-policy")
def test_an_oci_policy_is_in_force_ten_seconds_after_it_is_made(world: World, clock: None) -> None:
    model = OciModel(world, {"region": "us-ashburn-1"})
    policy = {"id": "ocid1.policy.oc1..p", "compartment_id": TENANCY, "name": "p", "statements": ["Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"]}
    assert model.create("oci_identity_policy", policy) is None
    assert model.statements(TENANCY) == []
    sleep(world, "9s")
    assert model.statements(TENANCY) == []
    sleep(world, "1s")
    assert [p["name"] for p, _ in model.statements(TENANCY)] == ["p"]


@shows("clock-gcp-api")
def test_an_api_answers_thirty_seconds_after_it_is_enabled(world: World, clock: None) -> None:
    model = GcpModel(world, {"project": PROJECT})
    assert model.create("google_project_service", {"project": PROJECT, "service": "artifactregistry.googleapis.com"}) is None
    assert not model.api_enabled(PROJECT, "artifactregistry.googleapis.com")
    sleep(world, "30s")
    assert model.api_enabled(PROJECT, "artifactregistry.googleapis.com")


@shows("clock-gcp-agent", "clock-gcp-grant")
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


# ---- through Terraform: what only Terraform proves ------------------------------------------

OCI_BUCKET = "oci_objectstorage_bucket.ml-models-dev"
DEFINED_TAGS = {"Operations.CostCenter": "42"}


def with_defined_tags(stack: Json) -> None:
    """The example's dev bucket with a defined tag (no config of ours sets one: a stack edited so)."""
    stack["resource"]["oci_objectstorage_bucket"]["ml-models-dev"]["defined_tags"] = DEFINED_TAGS


def without_ignore_defined_tags(stack: Json) -> None:
    for provider in stack["provider"]["oci"]:
        provider.pop("ignore_defined_tags", None)


def in_archive(stack: Json) -> None:
    stack["resource"]["oci_objectstorage_bucket"]["ml-models-dev"]["storage_tier"] = "Archive"


def edit(folder: Path, change: Any) -> None:
    stack_file = folder / STACK_FILE
    stack = json.loads(stack_file.read_text())
    change(stack)
    stack_file.write_text(json.dumps(stack, indent=2))


@dataclass
class OciRun:
    tags: dict[str, str]  # the bucket's defined_tags in the state after the apply
    replan: dict[str, str]  # the next plan's changes (address -> action), every OCI provider with ignore_defined_tags
    replan_without: dict[str, str]  # the same, with ignore_defined_tags removed
    replacement: dict[str, str]  # what the apply of a storage_tier change plans, the bucket holding an object
    refused: list[str]  # that apply's errors
    after: dict[str, Json]  # the state after it
    ledger: Json


def planned_changes(terraform: Terraform, *args: str) -> tuple[dict[str, str], list[str]]:
    """`plan` (or `apply -auto-approve`) as Terraform streams it: each change (address -> action,
    no-ops left out) and the errors. No `show`: one Terraform process, no more."""
    result = terraform.run(*args, "-input=false", "-no-color", "-json", check=False, json_lines=True)
    messages = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    found = {m["change"]["resource"]["addr"]: m["change"]["action"] for m in messages if m.get("type") == "planned_change"}
    return found, [f"{d.summary}: {d.detail}" for d in result.diagnostics if d.severity == "error"]


def state_file(folder: Path) -> dict[str, Json]:
    """Address -> attributes of the managed resources in the local state, read without Terraform."""
    state = json.loads((folder / "terraform.tfstate").read_text())
    return {f"{r['type']}.{r['name']}": r["instances"][0]["attributes"] for r in state["resources"] if r["mode"] == "managed"}


def oci_run(source: Path, workdir: Path, toolchain: Toolchain) -> OciRun:
    env = world_env("example", workdir / "world")
    folder = local_backend_copy(source, workdir / "stack")
    terraform = Terraform(folder, toolchain, base_env=env)
    terraform.init()
    edit(folder, with_defined_tags)
    terraform.apply()
    bucket = state_file(folder)[OCI_BUCKET]
    replan, _ = planned_changes(terraform, "plan")
    edit(folder, without_ignore_defined_tags)
    replan_without, _ = planned_changes(terraform, "plan")
    world = World(Path(env[WORLD_ENV]))
    assert OciModel(world, {"region": "us-ashburn-1"}).put_object(bucket["namespace"], bucket["name"], "resnet/model.onnx") is None
    edit(folder, in_archive)
    replacement, refused = planned_changes(terraform, "apply", "-auto-approve")
    return OciRun(bucket["defined_tags"], replan, replan_without, replacement, refused, state_file(folder), world.read_ledger())


def gcp_run(source: Path, workdir: Path, toolchain: Toolchain) -> dict[str, str]:
    """The example's dev-gcp applied, then planned with the repository's format and the members'
    names written in another case."""
    folder = local_backend_copy(source, workdir / "stack")
    terraform = Terraform(folder, toolchain, base_env=world_env("example", workdir / "world"))
    terraform.init()
    terraform.apply()

    def recased(stack: Json) -> None:
        stack["resource"]["google_artifact_registry_repository"]["models"]["format"] = "generic"
        for member in stack["resource"]["google_artifact_registry_repository_iam_member"].values():
            kind, name = member["member"].split(":", 1)
            member["member"] = f"{kind}:{name.upper()}"

    edit(folder, recased)
    changed, errors = planned_changes(terraform, "plan")
    assert errors == []
    return changed


@pytest.fixture(scope="module")
def runs(example_synth: Synth, terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    stacks = synthesized(example_synth) / "stacks"
    jobs = {
        "oci": lambda: oci_run(stacks / "dev-oci", tmp_path_factory.mktemp("change-oci"), terraform_toolchain),
        "gcp": lambda: gcp_run(stacks / "dev-gcp", tmp_path_factory.mktemp("change-gcp"), terraform_toolchain),
    }
    return in_parallel(jobs)


@shows("oci-default-tags")
def test_terraform_keeps_the_tag_defaults_in_the_state_and_out_of_the_plan(runs: dict[str, Any]) -> None:
    run: OciRun = runs["oci"]
    assert set(run.tags) == {*DEFINED_TAGS, *ORACLE_TAGS}
    assert run.replan == {}
    assert run.replan_without == {OCI_BUCKET: "update"}  # their removal, after every create


@shows("oci-bucket-not-empty")
def test_terraform_s_replacement_of_a_bucket_with_objects_stops_at_the_delete(runs: dict[str, Any]) -> None:
    run: OciRun = runs["oci"]
    assert run.replacement[OCI_BUCKET] == "replace"
    assert any(error.startswith("409-BucketNotEmpty: Bucket named 'ml-models-dev' is not empty") for error in run.refused), run.refused
    assert run.after[OCI_BUCKET]["storage_tier"] == "Standard"  # the old bucket, still in the state
    (bucket,) = run.ledger["oci"]["buckets"].values()
    assert (bucket["storage_tier"], bucket["objects"]) == ("Standard", ["resnet/model.onnx"])


@shows("change-diff-suppress")
def test_terraform_plans_nothing_for_a_format_or_member_in_another_case(runs: dict[str, Any]) -> None:
    assert runs["gcp"] == {}


# ---- the table --------------------------------------------------------------------------------


def test_every_rule_of_change_has_a_test() -> None:
    assert rules_without_a_test(RULES, globals()) == set()


def test_the_harness_readme_lists_every_rule_of_change_with_its_source() -> None:
    assert unlisted(RULES) == []


def test_each_rule_s_row_names_the_tests_that_show_it() -> None:
    rows = {line.split(" | ")[0].strip("| `"): line for line in README.read_text().splitlines() if line.startswith("| `")}
    unnamed = [
        (rule, name)
        for name, test in globals().items()
        if name.startswith("test_")
        for rule in getattr(test, "shows", ())
        if f"`{name}`" not in rows.get(rule, "")
    ]
    assert unnamed == []
