"""The OCI model refuses what OCI refuses. Each of its rules is shown in-process, against the
model's create, update and delete hooks, with the values the stand-in provider hands it; one
real stack broken on purpose shows Terraform surfacing the model's refusal, and one edit shows
a ForceNew argument planned as a replacement (every stack as synthesized applies:
test_stacks.py). The model (model/oci.py) reads arguments and statements, never our constructs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Json, Synth, synthesized
from tests.terraform.breaks import (
    Break,
    Edit,
    edited,
    refusal,
    refusals_fixture,
    refused_as_expected,
    rules_without_a_test,
    shows,
    unlisted,
)
from tests.terraform.harness import Terraform, Toolchain, local_backend_copy, planned_actions
from tests.terraform.model.oci import RULES, OciModel
from tests.terraform.model.oci_policy import PolicySyntaxError, parse, permissions
from tests.terraform.model.world import World
from tests.terraform.plugin import in_parallel, world_env

# ----------------------------------------------------------------------------
# Each rule, in-process
# ----------------------------------------------------------------------------

TENANCY = "ocid1.tenancy.oc1..aaaaaaaamodeltenancy"
ML = "ocid1.compartment.oc1..aaaaaaaamodelml"  # the buckets' compartment, below the tenancy
SECURITY = "ocid1.compartment.oc1..aaaaaaaamodelsecurity"  # the keys', beside it
KEY = "ocid1.key.oc1.iad.aaaaaaaamodelkey"
PHOENIX_KEY = "ocid1.key.oc1.phx.aaaaaaaamodelkey"
POLICY, BUCKET, LIFECYCLE = "oci_identity_policy", "oci_objectstorage_bucket", "oci_objectstorage_object_lifecycle_policy"
LOG_GROUP, LOG, REPLICATION = "oci_logging_log_group", "oci_logging_log", "oci_objectstorage_replication_policy"
MANAGE_OBJECTS = "Allow service objectstorage-us-ashburn-1 to manage object-family in tenancy"
USE_KEYS = f"Allow service objectstorage-us-ashburn-1 to use keys in compartment id {SECURITY}"

Model = Callable[[str], OciModel]
"""The model as the provider configured for a region sees it; every region shares one ledger."""


@pytest.fixture
def oci(tmp_path: Path) -> Model:
    """A tenancy homed in Ashburn, subscribed to Phoenix too, with no grant to Object Storage yet."""
    tenancy = {
        "home_region": "us-ashburn-1",
        "regions": {"us-ashburn-1": "IAD", "us-phoenix-1": "PHX"},
        "namespace": "ns",
        "compartments": {ML: {"name": "ml"}, SECURITY: {"name": "security"}},
        "keys": {KEY: {"compartment": SECURITY, "region": "us-ashburn-1"}, PHOENIX_KEY: {"compartment": SECURITY, "region": "us-phoenix-1"}},
        "policies": [{"name": "admins", "compartment": TENANCY, "statements": ["Allow group Administrators to manage buckets in tenancy"]}],
        "buckets": [{"name": "legacy", "region": "us-ashburn-1", "compartment": ML, "versioning": "Enabled"}],
    }
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"oci": {"tenancies": {TENANCY: tenancy}}}))
    return lambda region: OciModel(World(world), {"region": region})


def policy(name: str, *statements: str, compartment: str = TENANCY) -> Json:
    return {"id": f"policy-{name}", "name": name, "compartment_id": compartment, "statements": list(statements)}


def granted(model: OciModel, *statements: str) -> Json:
    made = policy(f"grant-{len(statements)}-{abs(hash(statements))}", *statements)
    assert model.create(POLICY, made) is None
    return made


def bucket(name: str, **values: Any) -> Json:
    return {"name": name, "namespace": "ns", "compartment_id": ML, "versioning": "Disabled", **values}


def made(model: OciModel, kind: str, values: Json) -> Json:
    assert model.create(kind, values) is None
    return values


def lifecycle(name: str, *rules: Json) -> Json:
    return {"bucket": name, "namespace": "ns", "rules": list(rules)}


def rule(action: str = "DELETE", target: str = "objects", **values: Any) -> Json:
    return {"name": "r", "action": action, "target": target, "is_enabled": True, "time_amount": 30, "time_unit": "DAYS", **values}


def log_group(name: str) -> Json:
    return {"id": f"group-{name}", "display_name": name, "compartment_id": ML}


def log(name: str, group: str, resource: str = "models", category: str = "write", **values: Any) -> Json:
    source = {"source_type": "OCISERVICE", "service": "objectstorage", "resource": resource, "category": category}
    # Nested blocks reach the model as the stand-in's state holds them: one-element lists.
    return {"id": f"log-{name}", "display_name": name, "log_group_id": f"group-{group}", "log_type": "SERVICE", "retention_duration": 30,
            "configuration": [{"source": [source]}], **values}  # fmt: skip


def replication(source: str, destination: str, region: str = "us-phoenix-1", id_: str = "") -> Json:
    return {"id": id_ or f"{source}->{destination}", "bucket": source, "namespace": "ns", "name": "p", "destination_bucket_name": destination, "destination_region_name": region}


@shows("oci-home-region")
def test_iam_is_written_only_through_the_home_region(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    admins = policy("p", "Allow group G to read objects in tenancy")
    refused = ("403-NotAllowed", "Please go to your home region IAD to execute CREATE, UPDATE and DELETE operations.")
    assert phoenix.create(POLICY, admins) == refused
    assert ashburn.create(POLICY, admins) is None
    assert phoenix.update(POLICY, admins, admins) == refused
    assert phoenix.delete(POLICY, admins) == refused
    assert ashburn.delete(POLICY, admins) is None


@shows("oci-policy-syntax")
def test_a_statement_that_does_not_parse_is_refused(oci: Model) -> None:
    text = "Allow group G to reed objects in tenancy"
    summary, detail = refusal(oci("us-ashburn-1").create(POLICY, policy("p", text)))
    assert (summary, detail.split(": ")[0]) == ("400-InvalidParameter", f"Invalid policy statement {text!r}")


@shows("oci-policy-attachment")
def test_a_statement_names_only_the_compartment_of_its_policy_or_one_below(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    below = f"Allow group G to read objects in compartment id {ML}"
    assert ashburn.create(POLICY, policy("root", below)) is None
    assert ashburn.create(POLICY, policy("here", below, compartment=ML)) is None
    beside = f"Allow group G to read objects in compartment id {SECURITY}"
    assert ashburn.create(POLICY, policy("beside", beside, compartment=ML)) == (
        "400-InvalidParameter",
        f"Policy statement {beside!r} names a location outside the compartment the policy is attached to ({ML})",
    )
    assert refusal(ashburn.create(POLICY, policy("up", "Allow group G to read objects in tenancy", compartment=ML)))[0] == "400-InvalidParameter"


@shows("oci-policy-name")
def test_a_policy_name_is_unique_in_the_tenancy(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    first = made(ashburn, POLICY, policy("p", "Allow group G to read objects in tenancy"))
    assert ashburn.update(POLICY, first, first) is None  # its own name
    assert ashburn.create(POLICY, {**first, "id": "another"}) == ("409-PolicyAlreadyExists", "Policy 'p' already exists")
    assert ashburn.create(POLICY, {**policy("admins"), "statements": []}) == ("409-PolicyAlreadyExists", "Policy 'admins' already exists")  # the world's


@shows("oci-bucket-name")
def test_a_bucket_name_is_unique_in_its_namespace_and_region(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    made(ashburn, BUCKET, bucket("models"))
    taken = ("409-BucketAlreadyExists", "Either the bucket 'models' in namespace 'ns' already exists or you are not authorized to create it")
    assert ashburn.create(BUCKET, bucket("models")) == taken
    assert refusal(ashburn.create(BUCKET, bucket("legacy")))[0] == "409-BucketAlreadyExists"  # the world's
    assert phoenix.create(BUCKET, bucket("models")) is None


@shows("oci-enums")
def test_bucket_enums_take_only_their_documented_values(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    assert ashburn.create(BUCKET, bucket("a", versioning="Suspended")) == (
        "InvalidParameter", "unsupported enum value for versioning: Suspended. Supported values are: Enabled,Disabled."
    )
    assert ashburn.create(BUCKET, bucket("a", access_type="Public")) == (
        "InvalidParameter", "unsupported enum value for accessType: Public. Supported values are: NoPublicAccess,ObjectRead,ObjectReadWithoutList."
    )
    versioned = made(ashburn, BUCKET, bucket("a", versioning="Enabled"))
    assert ashburn.update(BUCKET, versioned, {**versioned, "versioning": "Disabled"}) == (
        "InvalidParameter", "unsupported enum value for versioning: Disabled. Supported values are: Enabled,Suspended."
    )
    assert ashburn.update(BUCKET, versioned, {**versioned, "versioning": "Suspended"}) is None  # fmt: skip


@shows("oci-retention-versioning")
def test_retention_rules_and_versioning_exclude_each_other(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    retention = [{"display_name": "r"}]
    assert ashburn.create(BUCKET, bucket("a", versioning="Enabled", retention_rules=retention)) == (
        "400-InvalidParameter", "You cannot add retention rules to a bucket that has versioning enabled."
    )
    kept = made(ashburn, BUCKET, bucket("a", retention_rules=retention))
    assert ashburn.update(BUCKET, kept, bucket("a", versioning="Enabled")) == (
        "400-InvalidParameter", "You cannot enable versioning on a bucket with active retention rules."
    )
    assert ashburn.update(BUCKET, kept, {**kept, "versioning": "Suspended"}) is None  # fmt: skip


@shows("oci-retention-lock")
def test_a_retention_lock_waits_14_days_and_a_passed_lock_only_lengthens(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")

    def stamp(days: float) -> str:
        return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def rules(days: int, locked: str | None) -> list[Json]:
        return [{"display_name": "r", "duration": [{"time_amount": str(days), "time_unit": "DAYS"}], "time_rule_locked": locked}]

    soon = stamp(10)
    assert ashburn.create(BUCKET, bucket("a", retention_rules=rules(365, soon))) == (
        "400-InvalidParameter", f"Retention rule 'r': timeRuleLocked {soon} is less than 14 days away: a rule locks no sooner than 14 days after it is set"
    )
    pending = made(ashburn, BUCKET, bucket("a", retention_rules=rules(365, stamp(14.05))))

    def updated(**values: Any) -> Json:
        return bucket("a", versioning=None, **values)  # an update sends no versioning: Disabled is for creates only

    assert ashburn.update(BUCKET, pending, updated()) is None  # not locked yet: the rule may still go
    # A lock whose time has passed (set long ago, as the prior state holds it).
    long_ago = stamp(-1)
    passed = bucket("a", retention_rules=rules(365, long_ago))
    assert ashburn.update(BUCKET, passed, updated(retention_rules=rules(365, long_ago))) is None
    assert ashburn.update(BUCKET, passed, updated(retention_rules=rules(400, long_ago))) is None
    assert ashburn.update(BUCKET, passed, updated(retention_rules=rules(30, long_ago))) == (
        "409-Conflict", "Retention rule 'r' is locked: only a longer duration is allowed"
    )
    assert ashburn.update(BUCKET, passed, updated()) == ("409-Conflict", "Retention rule 'r' is locked: a locked rule is deleted only with its bucket")


@shows("oci-bucket-key")
def test_a_key_is_used_only_with_objectstorage_granted_and_in_the_bucket_s_region(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    not_found = ("404-NotAuthorizedOrFoundKmsKey", f"Either the key {KEY} does not exist or Object Storage (objectstorage-us-ashburn-1) is not authorized to use it")
    assert ashburn.create(BUCKET, bucket("a", kms_key_id=KEY)) == not_found
    plain = made(ashburn, BUCKET, bucket("b", versioning="Enabled"))
    assert ashburn.update(BUCKET, plain, {**plain, "kms_key_id": KEY}) == not_found  # a key added later
    granted(ashburn, USE_KEYS)
    assert ashburn.create(BUCKET, bucket("a", kms_key_id=KEY)) is None
    assert refusal(ashburn.create(BUCKET, bucket("c", kms_key_id=PHOENIX_KEY)))[0] == "404-NotAuthorizedOrFoundKmsKey"


@shows("oci-lifecycle-service")
def test_a_lifecycle_policy_needs_objectstorage_allowed_on_the_bucket_and_its_key(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    key_grant = granted(ashburn, USE_KEYS)
    made(ashburn, BUCKET, bucket("models", kms_key_id=KEY))
    assert ashburn.create(LIFECYCLE, lifecycle("models", rule())) == (
        "400-InsufficientServicePermissions",
        'Permissions granted to the object storage service principal "objectstorage-us-ashburn-1" to this bucket are insufficient'
        " (missing BUCKET_INSPECT, BUCKET_READ, OBJECT_DELETE, OBJECT_INSPECT).",
    )
    granted(ashburn, f"Allow service objectstorage-us-ashburn-1 to manage object-family in compartment id {ML} where target.bucket.name='models'")
    assert ashburn.create(LIFECYCLE, lifecycle("models", rule())) is None
    assert ashburn.delete(POLICY, key_grant) is None
    assert refusal(ashburn.update(LIFECYCLE, lifecycle("models", rule()), lifecycle("models", rule())))[0] == "404-NotAuthorizedOrFoundKmsKey"


@shows("oci-lifecycle-rules")
@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        (rule("ABORT", "multipart-uploads", object_name_filter=[{"inclusion_prefixes": ["m/"]}]),
         "Rule 'r': uncommitted multipart upload rules don't support prefix and pattern matching conditions"),
        (rule("ABORT"), "Rule 'r': target 'objects' takes the actions ARCHIVE, INFREQUENT_ACCESS, DELETE, not ABORT"),
        (rule("DELETE", "multipart-uploads"), "Rule 'r': target 'multipart-uploads' takes the actions ABORT, not DELETE"),
        (rule("DELETE", "previous-object-versions"), "Rule 'r': previous object versions exist only on a bucket with versioning enabled or suspended"),
        (rule("INFREQUENT_ACCESS"), "Rule 'r': INFREQUENT_ACCESS can't be used while auto-tiering is enabled on the bucket"),
        (rule(time_unit="HOURS"), "Rule 'r': time_unit is DAYS or YEARS"),
    ],
)  # fmt: skip
def test_lifecycle_rules_take_only_their_target_s_actions(oci: Model, given: Json, refusal: str) -> None:
    ashburn = oci("us-ashburn-1")
    granted(ashburn, MANAGE_OBJECTS)
    made(ashburn, BUCKET, bucket("models", auto_tiering="InfrequentAccess"))
    assert ashburn.create(LIFECYCLE, lifecycle("models", rule("ABORT", "multipart-uploads"))) is None
    assert ashburn.create(LIFECYCLE, lifecycle("models", given)) == ("400-InvalidParameter", refusal)


@shows("oci-archive-tier")
def test_tiering_rules_on_an_archive_bucket_are_refused(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    granted(ashburn, MANAGE_OBJECTS)
    made(ashburn, BUCKET, bucket("cold", storage_tier="Archive"))
    assert ashburn.create(LIFECYCLE, lifecycle("cold", rule())) is None
    assert ashburn.create(LIFECYCLE, lifecycle("cold", rule("ARCHIVE"))) == (
        "400-InvalidParameter", "Rule 'r': ARCHIVE never acts on an Archive-tier bucket (its objects are in Archive already)"
    )  # fmt: skip


@shows("oci-region-subscription")
def test_buckets_and_log_groups_are_made_only_in_subscribed_regions(oci: Model) -> None:
    frankfurt = oci("eu-frankfurt-1")
    refused = ("401-NotAuthenticated", "The tenancy is not subscribed to eu-frankfurt-1: subscribe to the region before you create resources there")
    assert frankfurt.create(BUCKET, bucket("models")) == refused
    assert frankfurt.create(LOG_GROUP, log_group("g")) == refused
    assert oci("us-phoenix-1").create(LOG_GROUP, log_group("g")) is None


@shows("oci-logging-retention")
def test_a_log_is_kept_in_30_day_steps_up_to_180(oci: Model) -> None:
    ashburn = oci("us-ashburn-1")
    made(ashburn, BUCKET, bucket("models"))
    made(ashburn, LOG_GROUP, log_group("g"))
    assert ashburn.create(LOG, log("w", "g", retention_duration=45)) == (
        "400-InvalidParameter", "retentionDuration 45 is not allowed: logs are kept in 30-day increments (30, 60, 90 and so on until 180)"
    )
    assert refusal(ashburn.create(LOG, log("w", "g", retention_duration=210)))[0] == "400-InvalidParameter"
    assert ashburn.create(LOG, log("w", "g", retention_duration=180)) is None


@shows("oci-logging-source")
def test_a_service_log_names_a_bucket_and_category_of_its_log_group_s_region(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    made(ashburn, BUCKET, bucket("models"))
    made(ashburn, LOG_GROUP, log_group("g"))
    made(phoenix, LOG_GROUP, log_group("far"))
    source = log("w", "g")["configuration"][0]["source"][0]
    assert ashburn.create(LOG, log("w", "g", log_type="AUDIT")) == ("InvalidParameter", "unsupported enum value for logType: AUDIT. Supported values are: CUSTOM,SERVICE.")
    assert ashburn.create(LOG, log("w", "g", configuration=[])) == ("400-InvalidParameter", "A SERVICE log needs configuration.source (service, resource, category, source_type)")
    assert ashburn.create(LOG, log("w", "g", configuration=[{"source": [{**source, "source_type": "OTHER"}]}])) == (
        "400-InvalidParameter", "source_type 'OTHER' is not allowed: use OCISERVICE"
    )
    assert ashburn.create(LOG, log("w", "g", category="delete")) == ("400-InvalidParameter", "Category 'delete' is not a log category of objectstorage: use read or write")
    assert ashburn.create(LOG, log("w", "g", resource="no-such-bucket")) == (
        "404-NotAuthorizedOrNotFound", "Resource 'no-such-bucket' of service objectstorage not found in us-ashburn-1: a log is made in the region of the bucket it logs"
    )
    assert ashburn.create(LOG, log("w", "far")) == ("404-NotAuthorizedOrNotFound", "Log group group-far not found in us-ashburn-1")
    assert refusal(phoenix.create(LOG, log("w", "far")))[0] == "404-NotAuthorizedOrNotFound"  # models is in Ashburn
    assert ashburn.create(LOG, log("w", "g")) is None  # fmt: skip


@shows("oci-logging-names")
def test_log_and_log_group_names_and_sources_are_unique(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    made(ashburn, BUCKET, bucket("models"))
    made(ashburn, LOG_GROUP, log_group("g"))
    assert ashburn.create(LOG_GROUP, {**log_group("g"), "id": "another"}) == ("409-Conflict", f"A log group named 'g' already exists in compartment {ML}")
    assert phoenix.create(LOG_GROUP, {**log_group("g"), "id": "in-phoenix"}) is None  # another region
    made(ashburn, LOG, log("w", "g"))
    assert ashburn.create(LOG, log("w", "g", category="read") | {"id": "another"}) == ("409-Conflict", "A log named 'w' already exists in log group group-g")
    assert ashburn.create(LOG, log("w2", "g")) == ("409-Conflict", "Log group group-g already has a log of objectstorage resource 'models' category 'write'")
    assert ashburn.create(LOG, log("r", "g", category="read")) is None


@shows("oci-replication-destination")
def test_a_destination_exists_first_in_a_subscribed_region_unversioned_without_retention(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    granted(ashburn, MANAGE_OBJECTS, MANAGE_OBJECTS.replace("us-ashburn-1", "us-phoenix-1"))
    made(ashburn, BUCKET, bucket("a"))
    made(phoenix, BUCKET, bucket("versioned", versioning="Enabled"))
    assert ashburn.create(REPLICATION, replication("a", "a-dr")) == (
        "404-BucketNotFound", "Destination bucket 'a-dr' does not exist in us-phoenix-1: create the destination bucket before creating the replication policy"
    )
    assert ashburn.create(REPLICATION, replication("a", "a-dr", "eu-frankfurt-1")) == (
        "400-InvalidParameter", "The destination region eu-frankfurt-1 must be a region your tenancy is subscribed to"
    )
    assert ashburn.create(REPLICATION, replication("a", "versioned")) == (
        "400-InvalidParameter", "You cannot enable versioning on a replication destination bucket: a versioned bucket can't be one."
    )  # fmt: skip


@shows("oci-replication-destination")
def test_one_policy_per_source_one_source_per_destination_no_chains(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    granted(ashburn, MANAGE_OBJECTS, MANAGE_OBJECTS.replace("us-ashburn-1", "us-phoenix-1"))
    for name in ("a", "b"):
        made(ashburn, BUCKET, bucket(name))
    for name in ("a-dr", "a-dr2", "c"):
        made(phoenix, BUCKET, bucket(name))
    assert ashburn.create(REPLICATION, replication("a", "a-dr")) is None
    assert refusal(ashburn.create(REPLICATION, replication("a", "a-dr2")))[1].startswith("A source bucket can only have one replication policy")
    assert refusal(ashburn.create(REPLICATION, replication("b", "a-dr")))[1].startswith("Maximum of one source for each replication destination bucket")
    assert refusal(phoenix.create(REPLICATION, replication("a-dr", "b", "us-ashburn-1")))[1].startswith("A destination bucket can't also be a replication source")
    assert refusal(phoenix.create(REPLICATION, replication("c", "a", "us-ashburn-1")))[1].startswith("A destination bucket can't also be a replication source")


@shows("oci-replication-destination")
def test_a_destination_stays_unversioned_without_retention_and_is_kept_while_replicated_to(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    granted(ashburn, MANAGE_OBJECTS, MANAGE_OBJECTS.replace("us-ashburn-1", "us-phoenix-1"))
    made(ashburn, BUCKET, bucket("a"))
    made(phoenix, BUCKET, bucket("a"))  # a replica may share its source's name: another region
    made(phoenix, BUCKET, bucket("kept", retention_rules=[{"display_name": "r"}]))
    assert ashburn.create(REPLICATION, replication("a", "kept")) == ("400-InvalidParameter", "You cannot enable replication on a destination bucket that has retention rules.")
    assert ashburn.create(REPLICATION, replication("a", "a")) is None
    prior = bucket("a")
    assert phoenix.update(BUCKET, prior, {**prior, "versioning": "Enabled"}) == (
        "400-InvalidParameter", "You cannot enable versioning on a replication destination bucket. A destination bucket is read-only."
    )
    unchanged = {key: value for key, value in prior.items() if key != "versioning"}  # as the provider sends it
    assert phoenix.update(BUCKET, prior, {**unchanged, "retention_rules": [{"display_name": "r"}]}) == (
        "400-InvalidParameter", "You cannot create retention rules on a replication destination bucket."
    )
    assert refusal(phoenix.delete(BUCKET, prior))[0] == "409-Conflict"
    assert ashburn.delete(REPLICATION, {"id": "a->a"}) is None
    assert phoenix.delete(BUCKET, prior) is None  # replication stopped
    assert ashburn.delete(BUCKET, prior) is None  # the source too (in its region): test_model_change.py, oci-bucket-not-empty


@shows("oci-replication-permission")
def test_replication_needs_objectstorage_allowed_on_source_and_destination(oci: Model) -> None:
    ashburn, phoenix = oci("us-ashburn-1"), oci("us-phoenix-1")
    made(ashburn, BUCKET, bucket("a"))
    made(phoenix, BUCKET, bucket("a-dr"))
    missing = "BUCKET_READ, BUCKET_UPDATE, OBJECT_CREATE, OBJECT_DELETE, OBJECT_INSPECT, OBJECT_OVERWRITE, OBJECT_READ, OBJECT_RESTORE"
    assert ashburn.create(REPLICATION, replication("a", "a-dr")) == (
        "400-InsufficientServicePermissions",
        f"Permissions granted to the object storage service principal \"objectstorage-us-ashburn-1\" to bucket 'a' are insufficient for replication (missing {missing}).",
    )
    granted(ashburn, f"{MANAGE_OBJECTS} where target.bucket.name='a'")
    assert refusal(ashburn.create(REPLICATION, replication("a", "a-dr")))[1].startswith(
        "Permissions granted to the object storage service principal \"objectstorage-us-ashburn-1\" to bucket 'a-dr'"
    )
    granted(ashburn, f"{MANAGE_OBJECTS} where target.bucket.name='a-dr'")
    assert ashburn.create(REPLICATION, replication("a", "a-dr")) is None


# ----------------------------------------------------------------------------
# Through Terraform: the wiring (model -> stand-in provider -> Terraform's message)
# ----------------------------------------------------------------------------


def a_delete_category(stack: Json) -> None:
    stack["resource"]["oci_logging_log"]["ml-models-dev_write"]["configuration"]["source"]["category"] = "delete"


BREAKS = {
    "a-delete-category": Break("oci-logging-source", "example", "dev-oci", a_delete_category, error="400-InvalidParameter: Category 'delete' is not a log category of objectstorage"),
}

REPLACEMENTS = {
    # A renamed replication policy: the provider has no update for it, so the plan replaces it.
    "a-renamed-replication-policy": ("full", "research-oci", "oci_objectstorage_replication_policy.research_checkpoints"),
}


refusals = refusals_fixture(BREAKS)


@pytest.mark.parametrize("name", list(BREAKS))
def test_terraform_shows_the_model_s_refusal_of_a_broken_stack(name: str, refusals: dict[str, list[str]]) -> None:
    assert refused_as_expected(BREAKS[name], refusals[name]), refusals[name] or f"{name}: applied although broken"


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
    for retained in stack["resource"]["oci_objectstorage_bucket"]["research_checkpoints"]["retention_rules"]:
        retained["time_rule_locked"] = '${timeadd(terraform_data.research_checkpoints_retention_lock.output["planned_at"], "337h")}'


def test_a_locked_retention_rule_applies_and_the_next_plan_moves_nothing(full_synth: Synth, terraform_toolchain: Toolchain, tmp_path: Path) -> None:
    """time_rule_locked is an instant: only Terraform shows that a later plan, with a later
    plantimestamp(), leaves the recorded one (and so the lock) where it was."""
    source = synthesized(full_synth) / "stacks" / "research-oci"
    folder = local_backend_copy(source, tmp_path / "stack")
    edited(source, folder, locked_as_the_construct_locks)
    terraform = Terraform(folder, terraform_toolchain, base_env=world_env("full", tmp_path / "world"))
    terraform.init()
    terraform.apply()
    assert {address: acts for address, acts in planned_actions(terraform.plan()).items() if acts != ["no-op"]} == {}


def renamed_replication_policy(stack: Json) -> None:
    for replicated in stack["resource"]["oci_objectstorage_replication_policy"].values():
        replicated["name"] = f"{replicated['name']}-renamed"


def plan_after_edit(source: Path, workdir: Path, toolchain: Toolchain, config: str, edit: Edit) -> dict[str, list[str]]:
    """Apply a stack as synthesized, edit it, and apply that: the actions of the edit's plan (the
    apply of that plan must go through: the model takes the replacement)."""
    env = world_env(config, workdir / "world")
    folder = local_backend_copy(source, workdir / "stack")
    terraform = Terraform(folder, toolchain, base_env=env)
    terraform.init()
    terraform.apply()
    edited(source, folder, edit)
    actions = planned_actions(terraform.plan())
    terraform.apply(saved_plan=True)
    return actions


@pytest.fixture(scope="module")
def replacements(full_synth: Synth, terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    outdir = synthesized(full_synth)
    jobs = {}
    for name, (config, stack, _address) in REPLACEMENTS.items():
        workdir = tmp_path_factory.mktemp(f"replace-{name}")
        jobs[name] = lambda s=stack, w=workdir, c=config: plan_after_edit(outdir / "stacks" / s, w, terraform_toolchain, c, renamed_replication_policy)
    return in_parallel(jobs)


@shows("oci-replication-force-new")
@pytest.mark.parametrize("name", list(REPLACEMENTS))
def test_the_model_replaces_what_the_provider_cannot_update(name: str, replacements: dict[str, dict[str, list[str]]]) -> None:
    actions = replacements[name]
    address = REPLACEMENTS[name][2]
    assert actions[address] == ["delete", "create"], actions


def test_every_rule_of_the_model_has_a_test() -> None:
    assert rules_without_a_test(RULES, globals()) == set()
    assert {case.rule for case in BREAKS.values()} <= {rule.id for rule in RULES}


def test_the_harness_readme_lists_every_rule_with_its_source() -> None:
    assert unlisted(RULES) == []


# ----------------------------------------------------------------------------
# The statement parser and what a statement grants, on their own
# ----------------------------------------------------------------------------


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


@pytest.mark.parametrize("subject", ["dynamic-group ml-deployments", "dynamic-group 'ml-platform'/'job-runs'"])
def test_dynamic_groups_by_name_parse(subject: str) -> None:
    statement = parse(f"Allow {subject} to read objects in compartment id ocid1.compartment.oc1..aaaa where target.bucket.name='models'")
    assert statement.subject_kind == "dynamic-group"
