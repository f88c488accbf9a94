"""specs/bucket.py: the defaults a user gets, and one test per rule of a bucket.

Messages are the ones a config file shows, with paths inside the spec (the loader
puts `environments.<env>.oci.buckets[N].` in front: tests/config).
"""

from __future__ import annotations

from typing import Any

import pytest

from specs.bucket import AccessSpec, BucketSpec, LifecycleSpec, LoggingSpec, ReplicationSpec, RetentionSpec
from tests.conftest import spec_problems

KEY = "ocid1.key.oc1.iad.examplevault.aaaaaaaakeyexample"


def problems(**fields: Any) -> list[str]:
    return spec_problems(BucketSpec, {"name": "models", **fields})


def only_problem(**fields: Any) -> str:
    (line,) = problems(**fields)
    return line


def bucket(**fields: Any) -> BucketSpec:
    return BucketSpec.model_validate({"name": "models", **fields})


@pytest.mark.parametrize(
    ("field", "default"),
    [
        ("versioning", "enabled"),
        ("object_events", True),
        ("service_policy", True),
        ("storage_tier", "Standard"),
        ("auto_tiering", False),
        ("kms_key_id", None),
        ("retention_days", None),
        ("lifecycle", None),
        ("access", None),
        ("tags", {}),
        ("replication", None),
        ("adopt", False),
    ],
)
def test_bucket_default(field: str, default: object) -> None:
    assert getattr(bucket(), field) == default


def test_lifecycle_defaults_make_no_extra_rule() -> None:
    lifecycle = LifecycleSpec.model_validate({"delete_after_days": 30})
    assert (lifecycle.archive_after_days, lifecycle.previous_versions, lifecycle.abort_multipart_uploads_after_days) == (None, None, None)
    assert lifecycle.prefixes == () and lifecycle.previous.delete_after_days is None


def test_access_defaults_to_no_group() -> None:
    access = AccessSpec.model_validate({"readers": ["MLServing"]})
    assert access.readers == ("MLServing",) and access.writers == ()


def test_every_option_at_once_is_accepted() -> None:
    assert bucket(
        kms_key_id=KEY,
        auto_tiering=True,
        object_events=False,
        tags={"team": "ml"},
        service_policy=False,
        lifecycle={
            "archive_after_days": 30,
            "delete_after_days": 365,
            "previous_versions": {"archive_after_days": 7, "delete_after_days": 90},
            "abort_multipart_uploads_after_days": 2,
            "prefixes": ["models/", "onnx/"],
        },
        access={"readers": ["MLServing"], "writers": ["MLTraining"]},
    )


def test_rejects_bad_name() -> None:
    assert only_problem(name="my bucket") == "name: not a bucket name (got 'my bucket'); use 1 to 256 letters, digits, '-', '_' and '.'"


def test_rejects_bad_key_ocid() -> None:
    assert only_problem(kms_key_id="ocid1.vault.oc1.iad.x.aaaa").startswith("kms_key_id: not a Vault key OCID (got 'ocid1.vault.oc1.iad.x.aaaa')")


def test_rejects_bad_group_names_each_at_its_index() -> None:
    assert only_problem(access={"writers": ["MLTraining", "ML, Serving"]}).startswith(
        "access.writers[1]: not an IAM group (got 'ML, Serving')"
    )
    # A quote would end the group name inside the policy statement.
    assert only_problem(access={"admins": ["ml'team"]}).startswith("access.admins[0]: not an IAM group")
    assert AccessSpec.model_validate({"admins": ["ml-platform/Model Admins"]}).grants() == [("admins", "ml-platform/Model Admins")]


@pytest.mark.parametrize("role", ["readers", "writers"])
def test_rejects_group_listed_twice(role: str) -> None:
    assert only_problem(access={role: ["MLServing", "MLServing"]}) == f"access.{role}: group listed twice (got 'MLServing'); list each group once"


def test_rejects_bad_tags_showing_the_key() -> None:
    assert problems(tags={"cost center": "4711", "team": "x" * 257}) == [
        "tags.cost center: not a freeform tag key (got 'cost center'); use 1 to 100 characters with no spaces or periods",
        "tags.team: freeform tag value too long (got '" + "x" * 37 + "..." + "x" * 38 + "', 257 characters, shortened here); use at most 256 characters",
    ]


def test_defined_tags_are_namespace_dot_key() -> None:
    assert bucket(defined_tags={"Operations.CostCenter": "42"}).defined_tags == {"Operations.CostCenter": "42"}
    assert only_problem(defined_tags={"CostCenter": "42"}) == (
        "defined_tags.CostCenter (the key): not a defined tag (got 'CostCenter'); use <tag namespace>.<tag key>,"
        " each 1 to 100 characters with no spaces or periods, e.g. Operations.CostCenter"
    )
    assert only_problem(defined_tags={"Ops.Owner": "x" * 257}) == (
        "defined_tags.Ops.Owner: defined tag value too long (got '" + "x" * 37 + "..." + "x" * 38 + "', 257 characters, shortened here); use at most 256 characters"
    )


def test_retention_needs_versioning_off() -> None:
    assert only_problem(retention_days=30) == (
        "retention_days: OCI takes no retention rule on a bucket with versioning enabled (got 30);"
        " set versioning: disabled (or suspended, on a bucket that was versioned), or remove retention_days"
    )
    assert bucket(versioning=False, retention_days=30).retention_days == 30
    assert bucket(versioning="suspended", retention_days=30).versioning == "suspended"


@pytest.mark.parametrize(("written", "meant"), [(True, "enabled"), (False, "disabled"), ("enabled", "enabled"), ("suspended", "suspended"), ("disabled", "disabled")])
def test_versioning_is_a_word_or_a_boolean(written: object, meant: str) -> None:
    assert bucket(versioning=written).versioning == meant


def test_rejects_versioning_that_is_not_a_state() -> None:
    assert only_problem(versioning="maybe") == "versioning: not an allowed value (got 'maybe'); use one of: enabled, suspended, disabled"


def test_a_key_compartment_needs_a_key() -> None:
    assert only_problem(key_compartment_id="ocid1.compartment.oc1..aaaa").startswith("key_compartment_id: a key compartment without a key")
    assert bucket(kms_key_id=KEY, key_compartment_id="ocid1.compartment.oc1..aaaa").key_compartment_id


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"lifecycle": {"archive_after_days": 0}}, "lifecycle.archive_after_days"),
        ({"lifecycle": {"delete_after_days": 0}}, "lifecycle.delete_after_days"),
        ({"lifecycle": {"previous_versions": {"archive_after_days": 0}}}, "lifecycle.previous_versions.archive_after_days"),
        ({"lifecycle": {"previous_versions": {"delete_after_days": 0}}}, "lifecycle.previous_versions.delete_after_days"),
        ({"lifecycle": {"abort_multipart_uploads_after_days": 0}}, "lifecycle.abort_multipart_uploads_after_days"),
        ({"versioning": False, "retention_days": 0}, "retention_days"),
    ],
)
def test_rejects_days_below_one(fields: dict[str, Any], where: str) -> None:
    assert only_problem(**fields) == f"{where}: too small (got 0); use a whole number >= 1"


@pytest.mark.parametrize(
    ("lifecycle", "where", "delete_days", "got"),
    [
        ({"archive_after_days": 30, "delete_after_days": 30}, "lifecycle.archive_after_days", 30, 30),
        ({"previous_versions": {"archive_after_days": 90, "delete_after_days": 14}}, "lifecycle.previous_versions.archive_after_days", 14, 90),
    ],
)
def test_rejects_archive_not_before_delete(lifecycle: dict[str, Any], where: str, delete_days: int, got: int) -> None:
    assert only_problem(lifecycle=lifecycle) == (
        f"{where}: archive_after_days must be below delete_after_days ({delete_days}): objects would be deleted before they"
        f" are archived (got {got}); use fewer than {delete_days} days, or drop the archive rule"
    )


def test_rejects_previous_version_rules_without_versioning() -> None:
    assert only_problem(versioning=False, lifecycle={"previous_versions": {"delete_after_days": 14}}) == (
        "lifecycle.previous_versions: previous-version rules need versioning on the bucket (got 'rules');"
        " set versioning: enabled, or remove previous_versions"
    )
    assert bucket(versioning="suspended", lifecycle={"previous_versions": {"delete_after_days": 14}})


@pytest.mark.parametrize("lifecycle", [{}, {"prefixes": ["models/"]}, {"previous_versions": {}}])
def test_rejects_lifecycle_with_no_rule(lifecycle: dict[str, Any]) -> None:
    assert only_problem(lifecycle=lifecycle) == (
        "lifecycle: a lifecycle with no rule (got 'no rule'); set at least one *_after_days, or remove lifecycle"
    )


def test_rejects_empty_and_repeated_prefixes() -> None:
    assert problems(lifecycle={"delete_after_days": 30, "prefixes": ["a/", "", "a/"]}) == [
        "lifecycle.prefixes[1]: empty prefix (got ''); use a non-empty object name prefix",
        "lifecycle.prefixes: prefix listed twice (got 'a/'); list each prefix once",
    ]


def test_archive_tier_takes_no_auto_tiering_and_no_archive_rule() -> None:
    assert problems(
        storage_tier="Archive",
        auto_tiering=True,
        lifecycle={"archive_after_days": 30, "previous_versions": {"archive_after_days": 3}},
    ) == [
        "auto_tiering: needs storage_tier Standard, this bucket is Archive (got true); use storage_tier: Standard, or remove it",
        "lifecycle.archive_after_days: needs storage_tier Standard, this bucket is Archive (got 30); use storage_tier: Standard, or remove it",
        "lifecycle.previous_versions.archive_after_days: needs storage_tier Standard, this bucket is Archive (got 3);"
        " use storage_tier: Standard, or remove it",
    ]
    assert bucket(storage_tier="Archive", lifecycle={"delete_after_days": 400}).storage_tier == "Archive"


@pytest.mark.parametrize("tier", ["standard", "InfrequentAccess", "Archived"])
def test_rejects_storage_tier_other_than_standard_or_archive(tier: str) -> None:
    assert only_problem(storage_tier=tier) == f"storage_tier: not an allowed value (got {tier!r}); use one of: Standard, Archive"


def test_reports_every_problem_of_a_bucket_together() -> None:
    found = problems(retention_days=30, lifecycle={"archive_after_days": 400, "delete_after_days": 3, "prefixes": [""]})
    assert [line.split(":")[0] for line in found] == ["retention_days", "lifecycle.archive_after_days", "lifecycle.prefixes[0]"]


@pytest.mark.parametrize("field", ["retention_days", "lifecycle"])
def test_days_are_bounded(field: str) -> None:
    fields = {"versioning": False, "retention_days": 10**10} if field == "retention_days" else {"lifecycle": {"delete_after_days": 10**10}}
    where = "retention_days" if field == "retention_days" else "lifecycle.delete_after_days"
    assert only_problem(**fields) == (
        f"{where}: too large (got 10000000000); use a whole number up to 36500"
        " (100 years; OCI documents no maximum, so a longer period is taken for a typo)"
    )
    assert bucket(lifecycle={"delete_after_days": 36500})


# Access logs


def test_logging_defaults_to_write_events_kept_90_days() -> None:
    # CIS OCI landing zone 2.8.5 raised its bucket logs from 30 to 90 days.
    assert bucket().logging == LoggingSpec(write=True, read=False, retention_days=90)
    assert bucket().logging.categories() == ("write",)
    assert bucket(logging={"read": True}).logging.categories() == ("write", "read")
    assert bucket(logging={"write": False}).logging.categories() == ()


@pytest.mark.parametrize("days", [30, 60, 90, 120, 150, 180])
def test_log_retention_takes_oci_s_steps(days: int) -> None:
    assert bucket(logging={"retention_days": days}).logging.retention_days == days


@pytest.mark.parametrize("days", [7, 45, 365])
def test_rejects_a_log_retention_oci_does_not_offer(days: int) -> None:
    assert only_problem(logging={"retention_days": days}) == (
        f"logging.retention_days: not a retention OCI Logging offers (got {days}); use 30, 60, 90, 120, 150 or 180 (days, in 30-day steps)"
    )


def test_rejects_a_retention_with_no_log() -> None:
    assert only_problem(logging={"write": False, "retention_days": 90}) == (
        "logging.retention_days: a retention with no log to keep (got 90); set write or read to true, or remove retention_days"
    )
    assert bucket(logging={"write": False}).logging.categories() == ()


# Replication


def test_replica_defaults_to_the_bucket_s_name_and_an_oracle_managed_key() -> None:
    replication = bucket(replication={"region": "us-phoenix-1"}).replication
    assert replication == ReplicationSpec(region="us-phoenix-1")
    assert replication.bucket_name("models") == "models" and replication.kms_key_id is None
    assert ReplicationSpec(region="us-phoenix-1", bucket="models-dr").bucket_name("models") == "models-dr"


@pytest.mark.parametrize(
    ("replication", "line"),
    [
        ({}, "replication.region: missing (got nothing); add region"),
        ({"region": "phoenix"}, "replication.region: not an OCI region identifier (got 'phoenix'); use a region identifier such as us-ashburn-1 or eu-frankfurt-1"),
        ({"region": "xx-nowhere-1"}, "replication.region: not a region of OCI's commercial realm (got 'xx-nowhere-1'); use a region identifier such as us-phoenix-1 or eu-amsterdam-1"),
        ({"region": "us-phoenix-1", "bucket": "my replica"}, "replication.bucket: not a bucket name (got 'my replica'); use 1 to 256 letters, digits, '-', '_' and '.'"),
        (
            {"region": "us-phoenix-1", "key_compartment_id": "ocid1.compartment.oc1..aaaa"},
            "replication.key_compartment_id: a key compartment without a key (got 'ocid1.compartment.oc1..aaaa'); set kms_key_id too, or remove key_compartment_id",
        ),
    ],
)
def test_rejects_a_bad_replica(replication: dict[str, Any], line: str) -> None:
    assert only_problem(replication=replication) == line


def test_a_replica_is_in_another_region_with_a_key_of_that_region() -> None:
    spec = bucket(replication={"region": "us-ashburn-1", "kms_key_id": KEY})
    assert spec.region_problems("us-phoenix-1") == []
    assert [(path, problem.problem) for path, _, problem in spec.region_problems("us-ashburn-1")] == [
        (("replication", "region"), "the bucket's own region: a replica there survives no loss of the region"),
    ]
    # The source's key (in us-ashburn-1) can't serve a replica in us-phoenix-1: keys are regional.
    spec = bucket(kms_key_id=KEY, replication={"region": "us-phoenix-1", "kms_key_id": KEY})
    assert [(path, problem.problem) for path, _, problem in spec.region_problems("us-ashburn-1")] == [
        (("replication", "kms_key_id"), "the key is in us-ashburn-1, the bucket in us-phoenix-1"),
    ]


def test_describe_says_what_the_bucket_becomes_and_gives_a_retention_rule_its_own_line() -> None:
    spec = bucket(
        versioning="disabled",
        retention_days=90,
        lifecycle={"delete_after_days": 365},
        logging={"read": True},
        kms_key_id=KEY,
        replication={"region": "us-phoenix-1"},
        access={"readers": ["MLServing"]},
        adopt=True,
    )
    assert spec.describe("ocid1.compartment.oc1..aaaa") == [
        "bucket models: Standard tier, versioning disabled; lifecycle: delete objects after 365 days; write and read logs kept 90 days;"
        f" key {KEY}, its policy in ocid1.compartment.oc1..aaaa; replica models in us-phoenix-1 (Oracle-managed key);"
        " access: readers MLServing; adopted (import blocks for the bucket and its lifecycle policy)",
        "  RETENTION RULE on models: no object can be overwritten or deleted for 90 days after it is written",
    ]
    assert bucket(logging={"write": False}).describe("c") == [
        "bucket models: Standard tier, versioning enabled; no lifecycle; no access log; Oracle-managed key; created, not imported"
    ]


def test_describe_shows_braces_in_prefixes_as_written() -> None:
    (line,) = bucket(lifecycle={"delete_after_days": 3, "prefixes": ["${path.cwd}/", "{x}/"]}).describe("c")
    assert "lifecycle: delete objects under ${path.cwd}/ or {x}/ after 3 days;" in line


def test_a_group_in_policy_syntax_is_taken_as_the_config_writes_it() -> None:
    assert bucket(access={"readers": ["'Default'/'MLServing'"]}).access == AccessSpec(readers=("Default/MLServing",))


# Infrequent Access and locked retention (issue 22, item 5)


def test_infrequent_access_comes_before_archive_and_delete() -> None:
    spec = bucket(lifecycle={"infrequent_access_after_days": 31, "archive_after_days": 90, "delete_after_days": 365})
    assert spec.lifecycle is not None and spec.lifecycle.infrequent_access_after_days == 31
    assert "move objects to Infrequent Access after 31 days, archive objects after 90 days" in spec.describe("c")[0]
    assert problems(lifecycle={"infrequent_access_after_days": 90, "archive_after_days": 60, "delete_after_days": 90}) == [
        "lifecycle.infrequent_access_after_days: must be below archive_after_days (60): that rule acts first, so this one never would (got 90);"
        " use fewer than 60 days, or drop the rule",
        "lifecycle.infrequent_access_after_days: must be below delete_after_days (90): that rule acts first, so this one never would (got 90);"
        " use fewer than 90 days, or drop the rule",
    ]


def test_infrequent_access_is_refused_with_auto_tiering_and_on_archive_buckets() -> None:
    assert only_problem(auto_tiering=True, lifecycle={"infrequent_access_after_days": 31}) == (
        "lifecycle.infrequent_access_after_days: an Infrequent Access rule on a bucket with auto_tiering: OCI refuses both (got 31);"
        " remove auto_tiering, or the rule"
    )
    assert only_problem(storage_tier="Archive", lifecycle={"infrequent_access_after_days": 31}).startswith(
        "lifecycle.infrequent_access_after_days: needs storage_tier Standard, this bucket is Archive"
    )


def test_retention_without_a_lock_is_retention_days() -> None:
    spec = bucket(versioning="disabled", retention={"days": 30})
    assert spec.retention_rule() == bucket(versioning="disabled", retention_days=30).retention_rule()
    assert spec.retention_rule() == RetentionSpec(days=30, lock_after_days=None)
    assert bucket().retention_rule() is None


def test_a_lock_waits_at_least_oci_s_14_days() -> None:
    assert bucket(versioning="disabled", retention={"days": 365, "lock_after_days": 14}).retention_rule() == RetentionSpec(days=365, lock_after_days=14)
    assert only_problem(versioning="disabled", retention={"days": 365, "lock_after_days": 3}) == (
        "retention.lock_after_days: OCI locks a retention rule no sooner than 14 days after it is set (got 3);"
        " use 14 days or more (a lock can never be undone: the days before it are the time to remove it),"
        " or remove lock_after_days for a rule that stays unlocked"
    )


def test_one_retention_rule_and_never_with_versioning_enabled() -> None:
    assert only_problem(versioning="disabled", retention_days=30, retention={"days": 30}) == (
        "retention_days: a second retention rule beside retention (got 30); use retention: {days: N} alone, or retention_days alone"
    )
    assert only_problem(retention={"days": 30}) == (
        "retention: OCI takes no retention rule on a bucket with versioning enabled (got 30);"
        " set versioning: disabled (or suspended, on a bucket that was versioned), or remove retention"
    )


def test_describe_says_a_lock_can_never_be_undone() -> None:
    assert bucket(versioning="disabled", retention={"days": 365, "lock_after_days": 30}).describe("c")[1:] == [
        "  RETENTION RULE on models: no object can be overwritten or deleted for 365 days after it is written",
        "  LOCKED RETENTION RULE on models: it locks 30 days after the plan that sets it, and a locked rule can never be undone"
        " (not shortened, not removed) until the bucket is deleted, empty",
    ]
