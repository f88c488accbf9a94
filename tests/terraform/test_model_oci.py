"""The OCI model refuses what OCI refuses: for each of its rules, a real stack broken on
purpose fails `terraform apply` with the model's message (every stack as synthesized
applies: test_stacks.py). The model (model/oci.py) reads arguments and statements, never
our constructs; these breaks are what a construct bug, or a hand edit, would emit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Json, Synth, synthesized
from tests.terraform.breaks import Break, Edit, edited, refusals_fixture, refused_as_expected, rules_without_a_break, unlisted
from tests.terraform.harness import Terraform, Toolchain, local_backend_copy, planned_actions
from tests.terraform.model.oci import RULES
from tests.terraform.model.oci_policy import PolicySyntaxError, parse, permissions
from tests.terraform.plugin import in_parallel, world_env


def policies(stack: Json, part: str) -> list[Json]:
    return [body for name, body in stack["resource"]["oci_identity_policy"].items() if part in name]


def bucket(stack: Json, name: str) -> Json:
    found: Json = stack["resource"]["oci_objectstorage_bucket"][name]
    return found


def lifecycle_rules(stack: Json, name: str) -> list[Json]:
    found: list[Json] = stack["resource"]["oci_objectstorage_object_lifecycle_policy"][name]["rules"]
    return found


def drop_policy(part: str) -> Edit:
    def edit(stack: Json) -> None:
        named = stack["resource"]["oci_identity_policy"]
        (gone,) = [name for name in named if part in name]
        del named[gone]
        for kind in ("oci_objectstorage_bucket", "oci_objectstorage_object_lifecycle_policy", "oci_objectstorage_replication_policy"):
            for body in stack["resource"].get(kind, {}).values():
                body["depends_on"] = [d for d in body.get("depends_on", []) if gone not in d]

    return edit


def through_the_stack_region(stack: Json) -> None:
    for body in stack["resource"]["oci_identity_policy"].values():
        body.pop("provider", None)


def misspelled_verb(stack: Json) -> None:
    (access,) = policies(stack, "_access")
    access["statements"][0] = access["statements"][0].replace(" read ", " reed ", 1)


def key_policy_in_the_bucket_compartment(stack: Json) -> None:
    (key,) = policies(stack, "key_service")
    key["compartment_id"] = bucket(stack, "machine-learning-models")["compartment_id"]


def two_policies_one_name(stack: Json) -> None:
    (access,) = policies(stack, "_access")
    (service,) = policies(stack, "lifecycle_service")
    access["name"] = service["name"]


def suspended_on_create(stack: Json) -> None:
    bucket(stack, "ml-models-dev")["versioning"] = "Suspended"


def versioning_disabled(stack: Json) -> None:
    bucket(stack, "machine-learning-models")["versioning"] = "Disabled"


def retention_with_versioning(stack: Json) -> None:
    bucket(stack, "research_checkpoints")["versioning"] = "Enabled"


def a_lock_one_day_away(stack: Json) -> None:
    for rule in bucket(stack, "research_checkpoints")["retention_rules"]:
        rule["time_rule_locked"] = '${timeadd(plantimestamp(), "24h")}'


def filtered_abort(stack: Json) -> None:
    rule = next(r for r in lifecycle_rules(stack, "machine-learning-models") if r["action"] == "ABORT")
    rule["object_name_filter"] = {"inclusion_prefixes": ["models/"]}


def abort_on_objects(stack: Json) -> None:
    rule = next(r for r in lifecycle_rules(stack, "machine-learning-models") if r["action"] == "ABORT")
    rule["target"] = "objects"


def archive_on_archive_tier(stack: Json) -> None:
    lifecycle_rules(stack, "_2024-datasets").append(
        {"name": "archive-objects", "action": "ARCHIVE", "target": "objects", "is_enabled": True, "time_amount": "9", "time_unit": "DAYS"}
    )


def log(stack: Json, name: str) -> Json:
    found: Json = stack["resource"]["oci_logging_log"][name]
    return found


def log_kept_45_days(stack: Json) -> None:
    log(stack, "ml-models-dev_write")["retention_duration"] = 45


def log_of_a_missing_bucket(stack: Json) -> None:
    log(stack, "ml-models-dev_write")["configuration"]["source"]["resource"] = "no-such-bucket"


def a_delete_category(stack: Json) -> None:
    log(stack, "ml-models-dev_write")["configuration"]["source"]["category"] = "delete"


def log_in_the_replica_s_log_group(stack: Json) -> None:
    # research.checkpoints' log (eu-frankfurt-1) in the log group of its replica's region (eu-amsterdam-1).
    replica_group = log(stack, "research_checkpoints_replica_write")["log_group_id"]
    log(stack, "research_checkpoints_write")["log_group_id"] = replica_group


def two_logs_one_name(stack: Json) -> None:
    log(stack, "machine-learning-models_read")["display_name"] = log(stack, "machine-learning-models_write")["display_name"]


def without_amsterdam(world: Json) -> None:
    tenancy = world["oci"]["tenancies"]["ocid1.tenancy.oc1..aaaaaaaaresearchexampleexampleexampleexample"]
    del tenancy["regions"]["eu-amsterdam-1"]


def versioned_replica(stack: Json) -> None:
    bucket(stack, "staging-models_replica")["versioning"] = "Enabled"


def replication_before_its_destination(stack: Json) -> None:
    policy = stack["resource"]["oci_objectstorage_replication_policy"]["staging-models"]
    policy["destination_bucket_name"] = "staging-models-dr"  # a bucket nobody made


def existing_bucket(world: Json) -> None:
    (tenancy,) = world["oci"]["tenancies"].values()
    tenancy["buckets"].append({"name": "ml-models-dev", "region": "us-ashburn-1", "compartment": next(iter(tenancy["compartments"])), "versioning": "Enabled"})


def key_in_another_region(world: Json) -> None:
    (tenancy,) = world["oci"]["tenancies"].values()
    for key in tenancy["keys"].values():
        key["region"] = "us-phoenix-1"


BREAKS = {
    "iam-outside-the-home-region": Break("oci-home-region", "full", "staging-oci", through_the_stack_region, error="403-NotAllowed: Please go to your home region IAD"),
    "a-statement-that-does-not-parse": Break("oci-policy-syntax", "example", "prod-oci", misspelled_verb, error="400-InvalidParameter: Invalid policy statement"),
    "a-key-policy-attached-elsewhere": Break("oci-policy-attachment", "example", "prod-oci", key_policy_in_the_bucket_compartment, error="400-InvalidParameter: Policy statement"),
    "two-policies-one-name": Break("oci-policy-name", "example", "dev-oci", two_policies_one_name, error="409-PolicyAlreadyExists"),
    "a-bucket-name-taken": Break("oci-bucket-name", "example", "dev-oci", world=existing_bucket, error="409-BucketAlreadyExists"),
    "suspended-on-create": Break("oci-enums", "example", "dev-oci", suspended_on_create, error="InvalidParameter: unsupported enum value for versioning: Suspended. Supported values are: Enabled,Disabled."),
    "versioning-back-to-disabled": Break("oci-enums", "example", "prod-oci", after_apply=versioning_disabled, error="InvalidParameter: unsupported enum value for versioning: Disabled. Supported values are: Enabled,Suspended."),
    "retention-with-versioning": Break("oci-retention-versioning", "full", "research-oci", retention_with_versioning, error="400-InvalidParameter: You cannot add retention rules"),
    "a-lock-one-day-away": Break("oci-retention-lock", "full", "research-oci", a_lock_one_day_away, error="400-InvalidParameter: Retention rule 'retain-30-days': timeRuleLocked"),
    "no-key-policy": Break("oci-bucket-key", "example", "prod-oci", drop_policy("key_service"), error="404-NotAuthorizedOrFoundKmsKey"),
    "a-key-of-another-region": Break("oci-bucket-key", "example", "prod-oci", world=key_in_another_region, error="404-NotAuthorizedOrFoundKmsKey"),
    "no-lifecycle-service-policy": Break("oci-lifecycle-service", "example", "prod-oci", drop_policy("lifecycle_service"), error="400-InsufficientServicePermissions"),
    "a-filtered-abort-rule": Break("oci-lifecycle-rules", "example", "prod-oci", filtered_abort, error="400-InvalidParameter: Rule 'abort-multipart-uploads': uncommitted multipart upload rules"),
    "abort-on-objects": Break("oci-lifecycle-rules", "example", "prod-oci", abort_on_objects, error="400-InvalidParameter: Rule 'abort-multipart-uploads': target 'objects' takes"),
    "archive-on-an-archive-bucket": Break("oci-archive-tier", "full", "research-oci", archive_on_archive_tier, error="400-InvalidParameter: Rule 'archive-objects': ARCHIVE never acts"),
    "a-replica-in-an-unsubscribed-region": Break("oci-region-subscription", "full", "research-oci", world=without_amsterdam, error="401-NotAuthenticated: The tenancy is not subscribed to eu-amsterdam-1"),
    "a-log-kept-45-days": Break("oci-logging-retention", "example", "dev-oci", log_kept_45_days, error="400-InvalidParameter: retentionDuration 45 is not allowed"),
    "a-log-of-a-missing-bucket": Break("oci-logging-source", "example", "dev-oci", log_of_a_missing_bucket, error="404-NotAuthorizedOrNotFound: Resource 'no-such-bucket' of service objectstorage not found"),
    "a-delete-category": Break("oci-logging-source", "example", "dev-oci", a_delete_category, error="400-InvalidParameter: Category 'delete' is not a log category of objectstorage"),
    "a-log-group-of-another-region": Break("oci-logging-source", "full", "research-oci", log_in_the_replica_s_log_group, error="404-NotAuthorizedOrNotFound: Log group"),
    "two-logs-one-name": Break("oci-logging-names", "example", "prod-oci", two_logs_one_name, error="409-Conflict: A log named 'machine-learning-models-write' already exists"),
    "a-versioned-replica": Break("oci-replication-destination", "full", "staging-oci", versioned_replica, error="400-InvalidParameter: You cannot enable versioning on a replication destination bucket"),
    "replication-before-its-destination": Break("oci-replication-destination", "full", "staging-oci", replication_before_its_destination, error="404-BucketNotFound: Destination bucket 'staging-models-dr' does not exist in us-ashburn-1"),
    "no-replication-service-policy": Break("oci-replication-permission", "full", "staging-oci", drop_policy("replication_service"), error="400-InsufficientServicePermissions"),
}

REPLACEMENTS = {
    # A renamed replication policy: the provider has no update for it, so the plan replaces it.
    "a-renamed-replication-policy": ("oci-replication-force-new", "full", "research-oci", "oci_objectstorage_replication_policy.research_checkpoints"),
}


refusals = refusals_fixture(BREAKS)


@pytest.mark.parametrize("name", list(BREAKS))
def test_the_model_refuses_the_broken_stack(name: str, refusals: dict[str, list[str]]) -> None:
    assert refused_as_expected(BREAKS[name], refusals[name]), refusals[name] or f"{name}: applied although broken"


def renamed_replication_policy(stack: Json) -> None:
    for policy in stack["resource"]["oci_objectstorage_replication_policy"].values():
        policy["name"] = f"{policy['name']}-renamed"


def plan_after_edit(source: Path, workdir: Path, toolchain: Toolchain, config: str, edit: Edit) -> dict[str, list[str]]:
    """Apply a stack as synthesized, edit it, apply that, and plan once more: the actions of the
    edit's plan, and a last plan that must be empty (the replacement went through)."""
    env = world_env(config, workdir / "world")
    folder = local_backend_copy(source, workdir / "stack")
    terraform = Terraform(folder, toolchain, base_env=env)
    terraform.init()
    terraform.apply()
    edited(source, folder, edit)
    actions = planned_actions(terraform.plan())
    terraform.apply()
    left = {address: acts for address, acts in planned_actions(terraform.plan()).items() if acts != ["no-op"]}
    return {**actions, "(left after apply)": sorted(left)}


@pytest.fixture(scope="module")
def replacements(full_synth: Synth, terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    outdir = synthesized(full_synth)
    jobs = {}
    for name, (_, config, stack, _address) in REPLACEMENTS.items():
        workdir = tmp_path_factory.mktemp(f"replace-{name}")
        jobs[name] = lambda s=stack, w=workdir, c=config: plan_after_edit(outdir / "stacks" / s, w, terraform_toolchain, c, renamed_replication_policy)
    return in_parallel(jobs)


@pytest.mark.parametrize("name", list(REPLACEMENTS))
def test_the_model_replaces_what_the_provider_cannot_update(name: str, replacements: dict[str, dict[str, list[str]]]) -> None:
    actions = replacements[name]
    address = REPLACEMENTS[name][3]
    assert actions[address] == ["delete", "create"], actions
    assert actions["(left after apply)"] == []


def locked_as_the_construct_locks(stack: Json) -> None:
    """research.checkpoints' rule locked as ModelBucket emits `retention: {days: 30, lock_after_days: 14}`
    (tests/constructs/test_model_bucket.py pins the same JSON)."""
    stack["resource"]["terraform_data"] = {
        "research_checkpoints_retention_lock": {
            "input": {"planned_at": "${plantimestamp()}"},
            "triggers_replace": {"days": "30", "lock_after_days": "14"},
            "lifecycle": {"ignore_changes": ["input"]},
        }
    }
    for rule in bucket(stack, "research_checkpoints")["retention_rules"]:
        rule["time_rule_locked"] = '${timeadd(terraform_data.research_checkpoints_retention_lock.output["planned_at"], "337h")}'


def test_a_locked_retention_rule_applies_and_the_next_plan_moves_nothing(full_synth: Synth, terraform_toolchain: Toolchain, tmp_path: Path) -> None:
    source = synthesized(full_synth) / "stacks" / "research-oci"
    folder = local_backend_copy(source, tmp_path / "stack")
    edited(source, folder, locked_as_the_construct_locks)
    terraform = Terraform(folder, terraform_toolchain, base_env=world_env("full", tmp_path / "world"))
    terraform.init()
    terraform.apply()
    # A later plan has a later plantimestamp(): the recorded instant, not it, sets the lock.
    assert {address: acts for address, acts in planned_actions(terraform.plan()).items() if acts != ["no-op"]} == {}


def test_every_rule_of_the_model_has_a_break() -> None:
    assert rules_without_a_break(RULES, BREAKS) == {rule for rule, *_ in REPLACEMENTS.values()}
    assert {case.rule for case in BREAKS.values()} <= {rule.id for rule in RULES}


# The statement parser and what a statement grants, on their own.


@pytest.mark.parametrize(
    "text",
    [
        "Allow group MLServing to read objects in compartment id ocid1.compartment.oc1..aaaa where target.bucket.name='models'",
        "Allow group 'ml-platform'/'Model Admins' to manage objects in tenancy",
        "Allow group A, B to read buckets in compartment Project-A:Project-A2",
        "Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy where any {request.permission='OBJECT_DELETE', request.permission='BUCKET_READ'}",
        "Allow service objectstorage-us-ashburn-1 to use keys in compartment id ocid1.compartment.oc1..aaaa where target.key.id = 'ocid1.key.oc1.iad.v.aaaa'",
        "Allow group W to manage objects in compartment id ocid1.compartment.oc1..aaaa where all {target.bucket.name='b', any {request.permission='OBJECT_CREATE'}}",
        "allow any-user to inspect buckets in tenancy where target.bucket.name = /ml-*/",
        # A group or dynamic group by OCID (https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/subject.htm).
        "Allow group id ocid1.group.oc1..aaaaaaaagroup to read buckets in compartment id ocid1.compartment.oc1..aaaa",
        "Allow dynamic-group id ocid1.dynamicgroup.oc1..aaaaaaaaci to read objects in tenancy",
    ],
)
def test_statements_oci_documents_parse(text: str) -> None:
    assert parse(text).text == text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Allow group G to reed objects in tenancy", "expected inspect or read or use or manage"),
        ("Allow group G to read objects", "the statement ends where in should follow"),
        ("Allow group G to read objects in tenancy where target.bucket.name=models", "a condition value is quoted"),
        ("Allow group G' to read objects in tenancy", "unexpected character"),
        ("Allow group G to read objects in tenancy where all {target.bucket.name='b'", "the statement ends"),
        ("Allow group G to read widgets in tenancy", "unknown resource type 'widgets'"),
        ("Allow group G to read objects in tenancy Allow group H to read objects in tenancy", "unexpected 'Allow'"),
    ],
)
def test_statements_that_break_the_grammar_do_not(text: str, why: str) -> None:
    with pytest.raises(PolicySyntaxError, match=why):
        parse(text)


def test_conditions_decide_what_a_statement_allows() -> None:
    statement = parse(
        "Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"
        " where all {target.bucket.name='b', request.permission != 'OBJECT_VERSION_DELETE'}"
    )
    context: dict[str, Any] = {"target.bucket.name": "B"}  # case-insensitive, as OCI matches
    assert statement.allows("objectstorage-us-ashburn-1", "OBJECT_DELETE", context)
    assert not statement.allows("objectstorage-us-ashburn-1", "OBJECT_VERSION_DELETE", context)
    assert not statement.allows("objectstorage-us-ashburn-1", "OBJECT_DELETE", {"target.bucket.name": "other"})
    assert not statement.allows("objectstorage-eu-frankfurt-1", "OBJECT_DELETE", context)


def test_verbs_are_cumulative() -> None:
    assert permissions("read", "objects") == {"OBJECT_INSPECT", "OBJECT_READ"}
    assert "OBJECT_VERSION_DELETE" in permissions("manage", "objects")
    assert "OBJECT_VERSION_DELETE" not in permissions("use", "objects")
    assert {"KEY_ENCRYPT", "KEY_DECRYPT", "KEY_READ"} <= permissions("use", "keys")
    assert "BUCKET_READ" in permissions("read", "object-family")


def test_the_harness_readme_lists_every_rule_with_its_source() -> None:
    assert unlisted(RULES) == []


# The replication rules no single stack breaks, against the model directly.

TENANCY = "ocid1.tenancy.oc1..aaaaaaaamodeltenancy"
GRANT = "Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"


@pytest.fixture
def oci_model(tmp_path: Path) -> Callable[[str], Any]:
    from tests.terraform.model.oci import OciModel
    from tests.terraform.model.world import World

    world = tmp_path / "world.json"
    tenancy = {"home_region": "us-ashburn-1", "regions": {"us-ashburn-1": "IAD", "us-phoenix-1": "PHX"}, "namespace": "ns", "compartments": {}, "keys": {}}
    world.write_text(json.dumps({"oci": {"tenancies": {TENANCY: {**tenancy, "policies": [{"name": "root", "compartment": TENANCY, "statements": [GRANT]}], "buckets": []}}}}))
    return lambda region: OciModel(World(world), {"region": region})


def made_bucket(model: Any, name: str, **values: Any) -> None:
    assert model.create("oci_objectstorage_bucket", {"name": name, "namespace": "ns", "compartment_id": TENANCY, "versioning": "Disabled", **values}) is None


def replication(source: str, destination: str, region: str = "us-phoenix-1", id_: str = "") -> Json:
    return {"id": id_ or f"{source}->{destination}", "bucket": source, "namespace": "ns", "name": "p", "destination_bucket_name": destination, "destination_region_name": region}


def test_one_policy_per_source_one_source_per_destination_no_chains(oci_model: Callable[[str], Any]) -> None:
    ashburn, phoenix = oci_model("us-ashburn-1"), oci_model("us-phoenix-1")
    for name in ("a", "b"):
        made_bucket(ashburn, name)
    for name in ("a-dr", "a-dr2", "c"):
        made_bucket(phoenix, name)
    policy = "oci_objectstorage_replication_policy"
    assert ashburn.create(policy, replication("a", "a-dr")) is None
    assert ashburn.create(policy, replication("a", "a-dr2"))[1].startswith("A source bucket can only have one replication policy")
    assert ashburn.create(policy, replication("b", "a-dr"))[1].startswith("Maximum of one source for each replication destination bucket")
    assert phoenix.create(policy, replication("a-dr", "b", "us-ashburn-1"))[1].startswith("A destination bucket can't also be a replication source")
    assert phoenix.create(policy, replication("c", "a", "us-ashburn-1"))[1].startswith("A destination bucket can't also be a replication source")


def test_a_destination_stays_unversioned_without_retention_and_is_kept_while_replicated_to(oci_model: Callable[[str], Any]) -> None:
    ashburn, phoenix = oci_model("us-ashburn-1"), oci_model("us-phoenix-1")
    made_bucket(ashburn, "a")
    made_bucket(phoenix, "a")  # a replica may share its source's name: another region
    made_bucket(phoenix, "kept", retention_rules=[{"display_name": "r"}])
    assert ashburn.create("oci_objectstorage_replication_policy", replication("a", "kept"))[1] == (
        "You cannot enable replication on a destination bucket that has retention rules."
    )
    assert ashburn.create("oci_objectstorage_replication_policy", replication("a", "a")) is None
    prior = {"name": "a", "namespace": "ns", "compartment_id": TENANCY, "versioning": "Disabled"}
    assert phoenix.update("oci_objectstorage_bucket", prior, {**prior, "versioning": "Enabled"})[1].startswith("You cannot enable versioning on a replication destination bucket")
    unchanged = {key: value for key, value in prior.items() if key != "versioning"}  # as the provider sends it
    assert phoenix.update("oci_objectstorage_bucket", prior, {**unchanged, "retention_rules": [{"display_name": "r"}]})[1] == (
        "You cannot create retention rules on a replication destination bucket."
    )
    assert phoenix.delete("oci_objectstorage_bucket", prior)[0] == "409-Conflict"
    assert ashburn.delete("oci_objectstorage_bucket", prior) is None  # the source may go (in its region)
    assert ashburn.delete("oci_objectstorage_replication_policy", {"id": "a->a"}) is None
    assert phoenix.delete("oci_objectstorage_bucket", prior) is None  # replication stopped


def test_a_retention_lock_waits_14_days_and_a_passed_lock_only_lengthens() -> None:
    from tests.terraform.model.oci import _retention_lock_refused

    now = datetime(2027, 1, 1, tzinfo=UTC)

    def bucket_with(days: int, locked: str | None) -> Json:
        return {"retention_rules": [{"display_name": "r", "duration": [{"time_amount": str(days), "time_unit": "DAYS"}], "time_rule_locked": locked}]}

    assert _retention_lock_refused(None, bucket_with(365, "2027-01-15T01:00:00Z"), now) is None
    assert _retention_lock_refused(None, bucket_with(365, "2027-01-10T00:00:00Z"), now) == (
        "400-InvalidParameter",
        "Retention rule 'r': timeRuleLocked 2027-01-10T00:00:00Z is less than 14 days away: a rule locks no sooner than 14 days after it is set",
    )
    passed = bucket_with(365, "2026-12-01T00:00:00Z")
    assert _retention_lock_refused(passed, passed, now) is None  # a plan that keeps it
    assert _retention_lock_refused(passed, bucket_with(400, "2026-12-01T00:00:00Z"), now) is None
    assert _retention_lock_refused(passed, bucket_with(30, "2026-12-01T00:00:00Z"), now) == ("409-Conflict", "Retention rule 'r' is locked: only a longer duration is allowed")
    assert _retention_lock_refused(passed, {"retention_rules": []}, now) == ("409-Conflict", "Retention rule 'r' is locked: a locked rule is deleted only with its bucket")
    pending = bucket_with(365, "2027-01-10T00:00:00Z")  # set earlier, not yet locked: may still go
    assert _retention_lock_refused(pending, {"retention_rules": []}, now) is None


@pytest.mark.parametrize("subject", ["dynamic-group ml-deployments", "dynamic-group 'ml-platform'/'job-runs'"])
def test_dynamic_groups_by_name_parse(subject: str) -> None:
    statement = parse(f"Allow {subject} to read objects in compartment id ocid1.compartment.oc1..aaaa where target.bucket.name='models'")
    assert statement.subject_kind == "dynamic-group"
