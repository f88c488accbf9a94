"""The OCI part of the config contract: secure defaults, and one test per rule with the path it names."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import ConfigError, load_config
from config.models import AppConfig, Bucket

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexampleexampleexample"
KEY = "ocid1.key.oc1.iad.examplevault.aaaaaaaakeyexample"
BASE: dict[str, Any] = {
    "name": "ml-models",
    "environments": {
        "dev": {"oci": {"region": "us-ashburn-1", "compartment_id": COMPARTMENT, "buckets": [{"name": "models"}]}}
    },
}
OCI = "environments.dev.oci"
BUCKET = f"{OCI}.buckets[0]"


def with_oci(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["oci"].update(fields)
    return data


def with_bucket(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["oci"]["buckets"][0].update(fields)
    return data


def load(tmp_path: Path, data: Any) -> AppConfig:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_config(path)


def bucket(tmp_path: Path, **fields: Any) -> Bucket:
    oci = load(tmp_path, with_bucket(**fields)).environments["dev"].oci
    assert oci is not None
    return oci.buckets[0]


def only_error(tmp_path: Path, data: Any) -> str:
    """The one error line, without its `<file>: ` prefix."""
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, data)
    (line,) = caught.value.lines
    prefix = f"{tmp_path / 'config.yaml'}: "
    assert line.startswith(prefix), line
    return line[len(prefix) :]


def assert_problem(line: str, where: str, problem: str, got: str) -> None:
    """`<path>: <problem> (got <value>); <allowed>`, with a non-empty allowed part."""
    head = f"{where}: {problem} (got {got}); "
    assert line.startswith(head), line
    assert len(line) > len(head), line


# Defaults: what a user gets without writing a key.


@pytest.mark.parametrize(
    ("field", "default"),
    [
        ("versioning", True),
        ("object_events", True),
        ("service_policy", True),
        ("storage_tier", "Standard"),
        ("auto_tiering", False),
        ("kms_key_id", None),
        ("retention_days", None),
        ("lifecycle", None),
        ("access", None),
        ("tags", {}),
    ],
)
def test_bucket_default(tmp_path: Path, field: str, default: object) -> None:
    assert getattr(bucket(tmp_path), field) == default


def test_namespace_defaults_to_null_for_a_lookup(tmp_path: Path) -> None:
    oci = load(tmp_path, BASE).environments["dev"].oci
    assert oci is not None and oci.namespace is None


def test_lifecycle_defaults_make_no_extra_rule(tmp_path: Path) -> None:
    lifecycle = bucket(tmp_path, lifecycle={"delete_after_days": 30}).lifecycle
    assert lifecycle is not None
    assert (lifecycle.archive_after_days, lifecycle.previous_versions, lifecycle.abort_multipart_uploads_after_days) == (None, None, None)
    assert lifecycle.prefixes == ()


def test_access_defaults_to_no_group(tmp_path: Path) -> None:
    access = bucket(tmp_path, access={"readers": ["MLServing"]}).access
    assert access is not None and access.readers == ("MLServing",) and access.writers == ()


def test_oci_only_environment_is_accepted(tmp_path: Path) -> None:
    environment = load(tmp_path, BASE).environments["dev"]
    assert environment.gcp is None
    assert environment.oci is not None and environment.oci.region == "us-ashburn-1"
    assert environment.allow_destroy is False


def test_every_option_is_accepted(tmp_path: Path) -> None:
    data = with_oci(
        compartment_id="ocid1.tenancy.oc1..aaaaaaaatenancy",
        namespace="axaxnpcrorw5",
        buckets=[
            {
                "name": "ml.models_2",
                "kms_key_id": KEY,
                "auto_tiering": True,
                "object_events": False,
                "tags": {"team": "ml"},
                "service_policy": False,
                "lifecycle": {
                    "archive_after_days": 30,
                    "delete_after_days": 365,
                    "previous_versions": {"archive_after_days": 7, "delete_after_days": 90},
                    "abort_multipart_uploads_after_days": 2,
                    "prefixes": ["models/", "onnx/"],
                },
                "access": {"readers": ["MLServing"], "writers": ["MLTraining"]},
            },
            {"name": "archive", "storage_tier": "Archive", "versioning": False, "retention_days": 30},
        ],
    )
    oci = load(tmp_path, data).environments["dev"].oci
    assert oci is not None and [b.name for b in oci.buckets] == ["ml.models_2", "archive"]


def test_example_config_has_oci_in_both_environments() -> None:
    config = load_config(Path(__file__).parents[2] / "config" / "example.yaml")
    assert all(environment.oci is not None for environment in config.environments.values())


# One test per rule.


def test_rejects_bad_bucket_name(tmp_path: Path) -> None:
    assert_problem(only_error(tmp_path, with_bucket(name="my bucket")), f"{BUCKET}.name", "not a bucket name", "'my bucket'")


def test_rejects_bucket_name_over_256_characters(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_bucket(name="m" * 257)).startswith(f"{BUCKET}.name: not a bucket name (got 'mmm")


def test_rejects_bad_compartment_ocid(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(compartment_id="ocid1.user.oc1..aaaaaaaauser"))
    assert_problem(line, f"{OCI}.compartment_id", "not a compartment or tenancy OCID", "'ocid1.user.oc1..aaaaaaaauser'")


def test_rejects_bad_key_ocid(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(kms_key_id="ocid1.vault.oc1.iad.x.aaaa"))
    assert_problem(line, f"{BUCKET}.kms_key_id", "not a Vault key OCID", "'ocid1.vault.oc1.iad.x.aaaa'")


@pytest.mark.parametrize("region", ["US-ASHBURN-1", "ashburn", "us-ashburn", "iad"])
def test_rejects_bad_region(tmp_path: Path, region: str) -> None:
    assert_problem(only_error(tmp_path, with_oci(region=region)), f"{OCI}.region", "not an OCI region identifier", repr(region))


def test_rejects_bad_namespace(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(namespace="my namespace"))
    assert_problem(line, f"{OCI}.namespace", "not an Object Storage namespace", "'my namespace'")


def test_rejects_bad_group_name(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(access={"writers": ["MLTraining", "ML Serving"]}))
    assert_problem(line, f"{BUCKET}.access.writers[1]", "not an IAM group name", "'ML Serving'")


def test_rejects_group_name_with_a_quote(tmp_path: Path) -> None:
    # A quote would end the group name inside the policy statement.
    line = only_error(tmp_path, with_bucket(access={"readers": ["ml'team"]}))
    assert_problem(line, f"{BUCKET}.access.readers[0]", "not an IAM group name", '"ml\'team"')


def test_rejects_bad_tag_key_showing_the_key(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(tags={"cost center": "4711"}))
    assert_problem(line, f"{BUCKET}.tags.cost center", "not a freeform tag key", "'cost center'")


def test_rejects_tag_value_over_256_characters(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_bucket(tags={"team": "x" * 257})).startswith(
        f"{BUCKET}.tags.team: freeform tag value too long (got 'xxx"
    )


def test_rejects_archive_not_before_delete(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(lifecycle={"archive_after_days": 30, "delete_after_days": 30}))
    assert_problem(
        line,
        f"{BUCKET}.lifecycle.archive_after_days",
        "archive_after_days must be below delete_after_days (30): objects would be deleted before they are archived",
        "30",
    )


def test_rejects_previous_versions_archive_not_before_delete(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(lifecycle={"previous_versions": {"archive_after_days": 90, "delete_after_days": 14}}))
    assert_problem(
        line,
        f"{BUCKET}.lifecycle.previous_versions.archive_after_days",
        "archive_after_days must be below delete_after_days (14): objects would be deleted before they are archived",
        "90",
    )


def test_rejects_previous_version_rules_without_versioning(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(versioning=False, lifecycle={"previous_versions": {"delete_after_days": 14}}))
    assert line.startswith(f"{BUCKET}.lifecycle.previous_versions: previous-version rules need versioning on the bucket")


def test_accepts_retention_without_versioning(tmp_path: Path) -> None:
    assert bucket(tmp_path, versioning=False, retention_days=30).retention_days == 30


def test_rejects_retention_with_versioning(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(retention_days=30))
    assert_problem(line, f"{BUCKET}.retention_days", "retention rules and versioning exclude each other on one bucket", "30")


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
def test_rejects_days_below_one(tmp_path: Path, fields: dict[str, Any], where: str) -> None:
    assert only_error(tmp_path, with_bucket(**fields)) == f"{BUCKET}.{where}: too small (got 0); use a whole number >= 1"


def test_rejects_duplicate_bucket_names(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(buckets=[{"name": "models"}, {"name": "other"}, {"name": "models"}]))
    assert_problem(line, f"{OCI}.buckets[2].name", "bucket name used twice", "'models'")


def test_rejects_two_names_sharing_one_terraform_address(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(buckets=[{"name": "a.b"}, {"name": "a_b"}]))
    assert_problem(line, f"{OCI}.buckets[1].name", "same Terraform address as 'a.b'", "'a_b'")


@pytest.mark.parametrize("lifecycle", [{}, {"prefixes": ["models/"]}, {"previous_versions": {}}])
def test_rejects_lifecycle_with_no_rule(tmp_path: Path, lifecycle: dict[str, Any]) -> None:
    assert only_error(tmp_path, with_bucket(lifecycle=lifecycle)).startswith(f"{BUCKET}.lifecycle: a lifecycle with no rule")


def test_rejects_empty_prefix(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(lifecycle={"delete_after_days": 30, "prefixes": ["models/", ""]}))
    assert_problem(line, f"{BUCKET}.lifecycle.prefixes[1]", "empty prefix", "''")


def test_rejects_duplicate_prefixes(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(lifecycle={"delete_after_days": 30, "prefixes": ["models/", "models/"]}))
    assert_problem(line, f"{BUCKET}.lifecycle.prefixes", "prefix listed twice", "'models/'")


@pytest.mark.parametrize("role", ["readers", "writers"])
def test_rejects_duplicate_groups(tmp_path: Path, role: str) -> None:
    line = only_error(tmp_path, with_bucket(access={role: ["MLServing", "MLServing"]}))
    assert_problem(line, f"{BUCKET}.access.{role}", "group listed twice", "'MLServing'")


def test_rejects_auto_tiering_on_archive_tier(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(storage_tier="Archive", auto_tiering=True))
    assert_problem(line, f"{BUCKET}.auto_tiering", "needs storage_tier Standard, this bucket is Archive", "true")


@pytest.mark.parametrize(
    ("lifecycle", "where"),
    [
        ({"archive_after_days": 30}, "lifecycle.archive_after_days"),
        ({"previous_versions": {"archive_after_days": 30}}, "lifecycle.previous_versions.archive_after_days"),
    ],
)
def test_rejects_archive_rules_on_archive_tier(tmp_path: Path, lifecycle: dict[str, Any], where: str) -> None:
    line = only_error(tmp_path, with_bucket(storage_tier="Archive", lifecycle=lifecycle))
    assert_problem(line, f"{BUCKET}.{where}", "needs storage_tier Standard, this bucket is Archive", "30")


def test_accepts_delete_rules_on_archive_tier(tmp_path: Path) -> None:
    assert bucket(tmp_path, storage_tier="Archive", lifecycle={"delete_after_days": 400}).storage_tier == "Archive"


def test_rejects_no_bucket(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_oci(buckets=[])) == f"{OCI}.buckets: no bucket (got []); list at least one bucket"


def test_rejects_missing_compartment(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    del data["environments"]["dev"]["oci"]["compartment_id"]
    assert only_error(tmp_path, data) == f"{OCI}.compartment_id: missing (got nothing); add compartment_id"


@pytest.mark.parametrize(
    ("data", "where", "allowed"),
    [
        (with_bucket(public=True), f"{BUCKET}.public", "name, storage_tier, versioning,"),
        (with_oci(zone="x"), f"{OCI}.zone", "region, compartment_id, namespace, buckets"),
        (with_bucket(lifecycle={"delete_after_days": 9, "expire": 1}), f"{BUCKET}.lifecycle.expire", "archive_after_days,"),
        (with_bucket(access={"admins": ["G"]}), f"{BUCKET}.access.admins", "readers, writers"),
    ],
)
def test_rejects_unknown_keys_listing_allowed_ones(tmp_path: Path, data: dict[str, Any], where: str, allowed: str) -> None:
    line = only_error(tmp_path, data)
    assert line.startswith(f"{where}: unknown key (got ") and f"; allowed keys: {allowed}" in line


@pytest.mark.parametrize(
    ("data", "where", "got", "expected"),
    [
        (with_bucket(versioning="yes"), f"{BUCKET}.versioning", "(str) (got 'yes')", "use true or false"),
        (with_bucket(lifecycle={"delete_after_days": "30"}), f"{BUCKET}.lifecycle.delete_after_days", "(str) (got '30')", "use a whole number"),
        (with_bucket(lifecycle={"delete_after_days": True}), f"{BUCKET}.lifecycle.delete_after_days", "(bool) (got true)", "use a whole number"),
        (with_bucket(access={"readers": "MLServing"}), f"{BUCKET}.access.readers", "(str) (got 'MLServing')", "use a list"),
        (with_bucket(tags=["team"]), f"{BUCKET}.tags", "(list) (got ['team'])", "use a mapping of keys to values"),
        (with_oci(buckets={"name": "models"}), f"{OCI}.buckets", "(dict) (got {name: models})", "use a list"),
        (with_oci(region=1), f"{OCI}.region", "(int) (got 1)", "use a string"),
    ],
)
def test_rejects_wrong_types(tmp_path: Path, data: dict[str, Any], where: str, got: str, expected: str) -> None:
    assert only_error(tmp_path, data) == f"{where}: wrong type {got}; {expected}"


@pytest.mark.parametrize("tier", ["standard", "InfrequentAccess", "Archived"])
def test_rejects_storage_tier_other_than_standard_or_archive(tmp_path: Path, tier: str) -> None:
    line = only_error(tmp_path, with_bucket(storage_tier=tier))
    assert line == f"{BUCKET}.storage_tier: not an allowed value (got {tier!r}); use one of: Standard, Archive"


def test_reports_every_bucket_problem_at_once(tmp_path: Path) -> None:
    data = with_oci(
        region="Ashburn",
        buckets=[
            {"name": "models", "retention_days": 30, "lifecycle": {"archive_after_days": 9, "delete_after_days": 3}},
            {"name": "models"},
        ],
    )
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, data)
    paths = [line.split(": ")[1] for line in caught.value.lines]
    assert paths == [f"{OCI}.region", f"{BUCKET}.retention_days", f"{BUCKET}.lifecycle.archive_after_days"]
