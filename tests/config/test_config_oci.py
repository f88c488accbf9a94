"""The OCI part of the config contract: secure defaults, and one test per rule with the path it names."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import ConfigError, load_config
from config.models import AppConfig
from specs.bucket import BucketSpec

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexampleexampleexample"
KEY = "ocid1.key.oc1.iad.examplevault.aaaaaaaakeyexample"
BASE: dict[str, Any] = {
    "name": "ml-models",
    "environments": {
        "dev": {"oci": {"region": "us-ashburn-1", "home_region": "us-ashburn-1", "compartment_id": COMPARTMENT, "buckets": [{"name": "models"}]}}
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


def bucket(tmp_path: Path, **fields: Any) -> BucketSpec:
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




def test_namespace_defaults_to_null_for_a_lookup(tmp_path: Path) -> None:
    oci = load(tmp_path, BASE).environments["dev"].oci
    assert oci is not None and oci.namespace is None






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






def test_rejects_bad_compartment_ocid(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(compartment_id="ocid1.user.oc1..aaaaaaaauser"))
    assert_problem(line, f"{OCI}.compartment_id", "not a compartment or tenancy OCID", "'ocid1.user.oc1..aaaaaaaauser'")






def test_rejects_duplicate_bucket_names(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(buckets=[{"name": "models"}, {"name": "other"}, {"name": "models"}]))
    assert_problem(line, f"{OCI}.buckets[2].name", "bucket name used twice", "'models'")


def test_rejects_two_names_sharing_one_terraform_address(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(buckets=[{"name": "a.b"}, {"name": "a_b"}]))
    assert_problem(line, f"{OCI}.buckets[1].name", "same Terraform address as 'a.b'", "'a_b'")
















def test_rejects_no_bucket(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_oci(buckets=[])) == f"{OCI}.buckets: no bucket (got []); list at least one bucket"


def test_rejects_missing_compartment(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    del data["environments"]["dev"]["oci"]["compartment_id"]
    assert only_error(tmp_path, data) == f"{OCI}.compartment_id: missing (got nothing); add compartment_id"




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


# Where IAM is written, and which key a bucket takes.


def test_home_region_is_given_or_looked_up_from_the_tenancy(tmp_path: Path) -> None:
    assert load(tmp_path, BASE).environments["dev"].oci.home_region == "us-ashburn-1"  # type: ignore[union-attr]
    lookup = with_oci(home_region=None, tenancy_id="ocid1.tenancy.oc1..aaaaaaaatenancy")
    assert load(tmp_path, lookup).environments["dev"].oci.tenancy == "ocid1.tenancy.oc1..aaaaaaaatenancy"  # type: ignore[union-attr]
    root = with_oci(home_region=None, compartment_id="ocid1.tenancy.oc1..aaaaaaaaroot")
    assert load(tmp_path, root).environments["dev"].oci.tenancy == "ocid1.tenancy.oc1..aaaaaaaaroot"  # type: ignore[union-attr]


def test_rejects_a_compartment_without_home_region_or_tenancy(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_oci(home_region=None)) == (
        f"{OCI}.home_region: missing: OCI writes IAM policies only in the tenancy's home region, and without the tenancy it"
        " can't be looked up (got nothing); set home_region (e.g. us-ashburn-1), or tenancy_id (ocid1.tenancy...) to look it up"
    )


@pytest.mark.parametrize(("field", "value", "problem"), [("home_region", "Ashburn", "not an OCI region identifier"), ("tenancy_id", COMPARTMENT, "not a tenancy OCID")])
def test_rejects_a_bad_home_region_or_tenancy(tmp_path: Path, field: str, value: str, problem: str) -> None:
    assert only_error(tmp_path, with_oci(**{field: value})).startswith(f"{OCI}.{field}: {problem} (got {value!r})")


@pytest.mark.parametrize(("key", "accepted"), [("ocid1.key.oc1.iad.vault.aaaa", True), ("ocid1.key.oc1.us-ashburn-1.vault.aaaa", True), ("ocid1.key.oc1.phx.vault.aaaa", False), ("ocid1.key.oc1.eu-frankfurt-1.vault.aaaa", False)])
def test_rejects_a_key_of_another_region(tmp_path: Path, key: str, accepted: bool) -> None:
    data = with_bucket(kms_key_id=key)
    if accepted:
        assert load(tmp_path, data)
    else:
        assert only_error(tmp_path, data).startswith(f"{BUCKET}.kms_key_id: the key is in ")


# Access logs and replicas.


def test_a_bucket_logs_write_events_by_default(tmp_path: Path) -> None:
    assert bucket(tmp_path).logging.categories() == ("write",)
    assert bucket(tmp_path, logging={"write": False, "read": False}).logging.categories() == ()


def test_rejects_a_log_retention_oci_does_not_offer(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(logging={"retention_days": 365}))
    assert_problem(line, f"{BUCKET}.logging.retention_days", "not a retention OCI Logging offers", "365")


def test_rejects_a_replica_in_the_bucket_s_own_region(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(replication={"region": "us-ashburn-1"}))
    assert_problem(line, f"{BUCKET}.replication.region", "the bucket's own region: a replica there survives no loss of the region", "'us-ashburn-1'")


def test_rejects_a_replica_key_of_another_region(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_bucket(kms_key_id=KEY, replication={"region": "us-phoenix-1", "kms_key_id": KEY}))
    assert_problem(line, f"{BUCKET}.replication.kms_key_id", "the key is in us-ashburn-1, the bucket in us-phoenix-1", repr(KEY))


def test_rejects_a_replica_whose_address_is_another_bucket_s(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(buckets=[{"name": "models", "replication": {"region": "us-phoenix-1"}}, {"name": "models_replica"}]))
    assert_problem(line, f"{BUCKET}.replication", "its replica's Terraform address 'models_replica' is bucket 'models_replica''s", "'replica'")


def test_rejects_two_replicas_of_one_name_in_one_region(tmp_path: Path) -> None:
    buckets = [{"name": "models", "replication": {"region": "us-phoenix-1"}}, {"name": "other", "replication": {"region": "us-phoenix-1", "bucket": "models"}}]
    line = only_error(tmp_path, with_oci(buckets=buckets))
    assert_problem(line, f"{OCI}.buckets[1].replication.bucket", "also the replica of 'models' in us-phoenix-1: OCI takes one source per destination bucket", "'models'")
    buckets[1]["replication"] = {"region": "eu-frankfurt-1", "bucket": "models"}  # another region: another bucket
    assert load(tmp_path, with_oci(buckets=buckets))


def test_rejects_a_replica_that_is_another_environment_s_bucket(tmp_path: Path) -> None:
    # prod's bucket in us-phoenix-1 would be dev's replica: replicated into, and read-only to prod.
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["oci"]["buckets"][0]["replication"] = {"region": "us-phoenix-1", "bucket": "prod-models"}
    prod = copy.deepcopy(data["environments"]["dev"]["oci"])
    prod.update(region="us-phoenix-1", buckets=[{"name": "prod-models"}])
    data["environments"]["prod"] = {"oci": prod}
    line = only_error(tmp_path, data)
    assert_problem(
        line,
        "environments.prod.oci.buckets[0].name",
        f"also managed by environments.dev.oci.buckets[0].replication.bucket, in the same region and compartment {prod['compartment_id']}",
        "'prod-models'",
    )


def test_one_vault_key_has_one_compartment(tmp_path: Path) -> None:
    key = "ocid1.key.oc1.iad.vault.aaaaaaaakey"
    security = "ocid1.compartment.oc1..aaaaaaaasecurity"
    buckets = [{"name": "a", "kms_key_id": key, "key_compartment_id": security}, {"name": "b", "kms_key_id": key}]
    line = only_error(tmp_path, with_oci(buckets=buckets))
    assert_problem(
        line,
        f"{OCI}.buckets[1].key_compartment_id",
        f"the key is also used by buckets[0] with key compartment {security}; one key is in one compartment,"
        " and each bucket's key policy would be written in its own",
        "nothing",
    )
    assert line.endswith(f"set key_compartment_id: {security} on every bucket of this key")
    buckets[1]["key_compartment_id"] = security
    assert load(tmp_path, with_oci(buckets=buckets))
    buckets[0].pop("key_compartment_id")
    buckets[1]["key_compartment_id"] = COMPARTMENT  # explicit, but the default of the other: they agree
    assert load(tmp_path, with_oci(buckets=buckets))


def test_home_region_and_region_are_regions_oci_has(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_oci(home_region="us-ashbrun-1"))
    assert_problem(line, f"{OCI}.home_region", "not an OCI region (did you mean us-ashburn-1?)", "'us-ashbrun-1'")
