"""rules/oci.py on its own: one test per rule, and the names and statements it builds."""

from __future__ import annotations

import pytest

from rules import oci
from rules.problems import Check, short_hash

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexample"


@pytest.mark.parametrize(
    ("name", "address"),
    [("models", "models"), ("ml-models", "ml-models"), ("ml.models", "ml_models"), ("2024-data", "_2024-data"), ("_x", "_x"), (".x", "_x")],
)
def test_terraform_name(name: str, address: str) -> None:
    assert oci.terraform_name(name) == address


def test_policy_name_joins_short_parts() -> None:
    assert oci.policy_name("ml-models-dev", "models", "access") == "ml-models-dev-models-access"


def test_policy_name_is_cut_to_100_characters_and_stays_unique() -> None:
    first = oci.policy_name("ml-models-prod", "b" * 120, "access")
    second = oci.policy_name("ml-models-prod", "b" * 121, "access")
    assert len(first) == len(second) == 100
    assert first != second
    assert first.endswith("-" + short_hash("ml-models-prod-" + "b" * 120 + "-access"))
    assert first == oci.policy_name("ml-models-prod", "b" * 120, "access")  # stable across runs
    assert oci.policy_name("p" * 100) == "p" * 100


def test_lifecycle_service_statement_grants_what_lifecycle_needs_only() -> None:
    assert oci.lifecycle_service_statement("eu-frankfurt-1", COMPARTMENT) == (
        f"Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id {COMPARTMENT} where any"
        " {request.permission='BUCKET_INSPECT', request.permission='BUCKET_READ', request.permission='OBJECT_INSPECT',"
        " request.permission='OBJECT_UPDATE_TIER', request.permission='OBJECT_DELETE', request.permission='OBJECT_VERSION_DELETE'}"
    )


def test_key_service_statement() -> None:
    assert oci.key_service_statement("us-ashburn-1", COMPARTMENT, "ocid1.key.oc1.iad.v.aaaa") == (
        f"Allow service objectstorage-us-ashburn-1 to use keys in compartment id {COMPARTMENT} where target.key.id = 'ocid1.key.oc1.iad.v.aaaa'"
    )


def test_replication_service_statement_grants_what_replication_needs_only() -> None:
    assert oci.replication_service_statement("us-ashburn-1", COMPARTMENT) == (
        f"Allow service objectstorage-us-ashburn-1 to manage object-family in compartment id {COMPARTMENT} where any"
        " {request.permission='BUCKET_READ', request.permission='BUCKET_UPDATE', request.permission='OBJECT_READ',"
        " request.permission='OBJECT_INSPECT', request.permission='OBJECT_CREATE', request.permission='OBJECT_OVERWRITE',"
        " request.permission='OBJECT_RESTORE', request.permission='OBJECT_DELETE'}"
    )
    # Never more than the user needs to create the policy: no version deletion, no bucket deletion.
    assert "OBJECT_VERSION_DELETE" not in oci.REPLICATION_PERMISSIONS and "BUCKET_DELETE" not in oci.REPLICATION_PERMISSIONS


@pytest.mark.parametrize(("days", "allowed"), [(30, True), (60, True), (180, True), (0, False), (29, False), (45, False), (210, False), (365, False)])
def test_log_retention_is_30_to_180_days_in_30_day_steps(days: int, allowed: bool) -> None:
    assert (oci.check_log_retention(days) is None) == allowed


def test_log_names_and_the_provider_alias_of_a_region() -> None:
    assert oci.log_group_name("ml-models-prod", "us-ashburn-1") == "ml-models-prod-bucket-logs-us-ashburn-1"
    assert oci.log_name("models", "write") == "models-write"
    assert oci.replication_policy_name("us-phoenix-1") == "replicate-to-us-phoenix-1"
    assert oci.provider_alias("us-phoenix-1") == "us_phoenix_1"


def test_access_statements_per_role_are_scoped_to_the_bucket() -> None:
    where = f"in compartment id {COMPARTMENT} where"
    bucket = "target.bucket.name='models'"
    listing = f"Allow group G to read buckets {where} {bucket}"
    assert oci.bucket_access_statements("readers", "G", COMPARTMENT, "models") == [listing, f"Allow group G to read objects {where} {bucket}"]
    assert oci.bucket_access_statements("writers", "G", COMPARTMENT, "models") == [
        listing,
        f"Allow group G to manage objects {where} all {{{bucket}, any {{request.permission='OBJECT_INSPECT',"
        " request.permission='OBJECT_READ', request.permission='OBJECT_CREATE', request.permission='OBJECT_OVERWRITE'}}",
    ]
    assert oci.bucket_access_statements("admins", "G", COMPARTMENT, "models") == [listing, f"Allow group G to manage objects {where} {bucket}"]


@pytest.mark.parametrize(
    ("group", "subject"),
    [
        ("MLServing", "group MLServing"),
        ("ml-platform/Model Admins", "group 'ml-platform'/'Model Admins'"),
        ("Model Admins", "group 'Default'/'Model Admins'"),
        ("ocid1.group.oc1..aaaaaaaagroup", "group id ocid1.group.oc1..aaaaaaaagroup"),
        ("ocid1.dynamicgroup.oc1..aaaaaaaaci", "dynamic-group id ocid1.dynamicgroup.oc1..aaaaaaaaci"),
        ("dynamic-group:ml-serving", "dynamic-group ml-serving"),
        ("dynamic-group:ml-platform/model-deployments", "dynamic-group 'ml-platform'/'model-deployments'"),
    ],
)
def test_group_subjects_quote_identity_domains_and_name_ocids_by_id(group: str, subject: str) -> None:
    assert oci.group_subject(group) == subject


@pytest.mark.parametrize(
    ("ocid", "region"),
    [("ocid1.key.oc1.iad.v.aaaa", "us-ashburn-1"), ("ocid1.key.oc1.eu-frankfurt-1.v.aaaa", "eu-frankfurt-1"), ("ocid1.key.oc1..aaaa", None), ("ocid1.key.oc1.xyz.v.aaaa", None)],
)
def test_the_region_an_ocid_names(ocid: str, region: str | None) -> None:
    assert oci.ocid_region(ocid) == region


def test_import_ids() -> None:
    assert oci.bucket_import_id("ns", "models") == "n/ns/b/models"


GOOD_AND_BAD = [
    (oci.check_bucket_name, ["m", "ml-models", "ml.models_2", "M" * 256], ["", "my bucket", "a/b", "m" * 257, "x'y"]),
    (oci.check_region, ["us-ashburn-1", "eu-frankfurt-1", "us-gov-ashburn-1", "me-dubai-1"], ["", "US-ASHBURN-1", "ashburn-1", "us-ashburn", "iad"]),
    (
        oci.check_compartment_id,
        [COMPARTMENT, "ocid1.tenancy.oc1..aaaaaaaatenancy", "ocid1.compartment.oc1.phx.aaaaaaaa"],
        ["", "compartment", "ocid1.user.oc1..aaaaaaaauser", "ocid1.compartment.oc1..", "OCID1.COMPARTMENT.OC1..AAAA"],
    ),
    (
        oci.check_key_id,
        ["ocid1.key.oc1.iad.examplevault.aaaaaaaakey", "ocid1.key.oc1.eu-frankfurt-1.vault.aaaa"],
        ["", "mykey", "ocid1.vault.oc1.iad.examplevault.aaaa", COMPARTMENT],
    ),
    (oci.check_namespace, ["axaxnpcrorw5", "acme_ns-1", "n" * 64], ["", "my namespace", "ns.acme", "n" * 65]),
    (
        oci.check_group,
        ["MLServing", "ml.team_1-x", "g" * 100, "ML Serving", "ml-platform/Model Admins", "a@b.c"],
        ["", "ml'team", "g" * 101, " lead", "a/b/c", 'g"', "a,b", "x{y}", "Domain/"],
    ),
    (oci.check_tenancy_id, ["ocid1.tenancy.oc1..aaaaaaaatenancy"], [COMPARTMENT, "tenancy"]),
    (oci.check_tag_key, ["team", "Team_1", "cost-center", "k" * 100], ["", "a.b", "cost center", "k" * 101]),
    (oci.check_tag_value, ["", "a b.c" + "v" * 251], ["v" * 257]),
    (oci.check_replication_region, ["us-phoenix-1", "eu-amsterdam-1", "us-saltlake-2"], ["", "us-phoenix", "xx-nowhere-1", "PHX"]),
]


@pytest.mark.parametrize(("check", "good", "bad"), GOOD_AND_BAD, ids=lambda v: getattr(v, "__name__", ""))
def test_check_accepts_good_and_refuses_bad_values(check: Check, good: list[str], bad: list[str]) -> None:
    assert [value for value in good if check(value) is not None] == []
    assert [value for value in bad if check(value) is None] == []


def test_refusals_say_what_is_wrong_and_what_is_allowed() -> None:
    problem = oci.check_bucket_name("my bucket")
    assert problem is not None and problem.problem == "not a bucket name" and "letters, digits" in problem.allowed


@pytest.mark.parametrize(
    ("region", "domain"),
    [
        ("us-ashburn-1", "oraclecloud.com"),
        ("eu-frankfurt-1", "oraclecloud.com"),
        ("us-gov-ashburn-1", "oraclegovcloud.com"),
        ("uk-gov-london-1", "oraclegovcloud.uk"),
        ("eu-frankfurt-2", "oraclecloud.eu"),
        ("ap-chiyoda-1", "oraclecloud8.com"),
        ("xx-nowhere-1", "oraclecloud.com"),  # unknown: the SDK's default too
    ],
)
def test_endpoints_use_the_domain_of_the_region_s_realm(region: str, domain: str) -> None:
    assert oci.realm_domain(region) == domain
    assert oci.object_storage_endpoint(region) == f"https://objectstorage.{region}.{domain}"
    assert oci.s3_endpoint("ns", region) == f"https://ns.compat.objectstorage.{region}.{domain}"


def test_no_region_is_in_two_realms() -> None:
    listed = [region for regions in oci.OTHER_REALM_DOMAINS.values() for region in regions]
    assert len(listed) == len(set(listed)) and not set(listed) & set(oci.REGION_KEYS)
    assert all(oci.check_region(region) is None for region in listed)


def test_regions_are_checked_against_the_region_list_with_the_nearest_one() -> None:
    assert oci.check_region("us-ashburn-1") is None
    assert oci.check_region("us-gov-phoenix-1") is None  # another realm
    assert oci.check_region("us-ashbrun-1") == oci.Problem(
        "not an OCI region (did you mean us-ashburn-1?)", "use a region identifier such as us-ashburn-1 or eu-frankfurt-1"
    )
    assert oci.check_replication_region("us-gov-phoenix-1") == oci.Problem(
        "not a region of OCI's commercial realm (did you mean us-phoenix-1?)", "use a region identifier such as us-phoenix-1 or eu-amsterdam-1"
    )


def test_an_ocid_pasted_twice_is_called_that() -> None:
    twice = "ocid1.tenancy.oc1..aaaaaaaaexample" * 2
    problem = oci.check_tenancy_id(twice)
    assert problem is not None and problem.problem == "not a tenancy OCID: 2 OCIDs run together, pasted twice?"
    assert problem.allowed == "use ocid1.tenancy.oc1..<id>: one OCID, about 80 characters"


def test_groups_by_ocid_and_in_policy_syntax() -> None:
    assert oci.check_group("ocid1.group.oc1..aaaaaaaagroup") is None
    assert oci.check_group("ocid1.dynamicgroup.oc1..aaaaaaaaci") is None
    problem = oci.check_group("ocid1.user.oc1..aaaaaaaaalice")
    assert problem is not None and problem.problem == "the OCID of a user, not of a group"
    assert oci.unquote_group("'Default'/'MLServing'") == "Default/MLServing"
    assert oci.unquote_group("'ML Serving'") == "ML Serving"
    assert oci.unquote_group("Default/'MLServing'") == "Default/'MLServing'"  # half quoted: left for check_group to refuse


def test_a_group_ocid_is_written_as_group_id() -> None:
    assert oci.bucket_access_statements("readers", "ocid1.group.oc1..aaaaaaaagroup", COMPARTMENT, "models")[0] == (
        f"Allow group id ocid1.group.oc1..aaaaaaaagroup to read buckets in compartment id {COMPARTMENT} where target.bucket.name='models'"
    )


def test_dynamic_groups_by_name_are_checked_like_groups_and_unquoted() -> None:
    assert oci.check_group("dynamic-group:ml-serving") is None
    assert oci.check_group("dynamic-group:ml-platform/model-deployments") is None
    problem = oci.check_group("dynamic-group:a,b")
    assert problem is not None and problem.problem == "not an IAM group"
    assert oci.unquote_group("dynamic-group:'ml-platform'/'jobs'") == "dynamic-group:ml-platform/jobs"
    assert oci.bucket_access_statements("readers", "dynamic-group:ml-serving", COMPARTMENT, "models")[1] == (
        f"Allow dynamic-group ml-serving to read objects in compartment id {COMPARTMENT} where target.bucket.name='models'"
    )
