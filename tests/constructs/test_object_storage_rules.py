"""Pure OCI Object Storage and IAM rules and helpers, on their own."""

from __future__ import annotations

from typing import Any

import pytest

from constructs import object_storage_rules as rules
from constructs.rules import short_hash

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexample"


@pytest.mark.parametrize(
    ("name", "address"),
    [("models", "models"), ("ml-models", "ml-models"), ("ml.models", "ml_models"), ("2024-data", "_2024-data"), ("_x", "_x"), (".x", "_x")],
)
def test_terraform_name(name: str, address: str) -> None:
    assert rules.terraform_name(name) == address


def test_policy_name_joins_short_parts() -> None:
    assert rules.policy_name("ml-models-dev", "models", "access") == "ml-models-dev-models-access"


def test_policy_name_is_cut_to_100_characters_and_stays_unique() -> None:
    first = rules.policy_name("ml-models-prod", "b" * 120, "access")
    second = rules.policy_name("ml-models-prod", "b" * 121, "access")
    assert len(first) == len(second) == 100
    assert first != second
    assert first.endswith("-" + short_hash("ml-models-prod-" + "b" * 120 + "-access"))
    assert first == rules.policy_name("ml-models-prod", "b" * 120, "access")  # stable across runs


def test_policy_name_of_exactly_100_characters_is_kept() -> None:
    assert rules.policy_name("p" * 100) == "p" * 100


def test_lifecycle_service_statement() -> None:
    assert rules.lifecycle_service_statement("eu-frankfurt-1", COMPARTMENT) == (
        f"Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id {COMPARTMENT}"
    )


def test_bucket_access_statement_is_scoped_to_the_bucket() -> None:
    assert rules.bucket_access_statement("MLServing", "read", COMPARTMENT, "models") == (
        f"Allow group MLServing to read objects in compartment id {COMPARTMENT} where target.bucket.name='models'"
    )


GOOD_AND_BAD: list[tuple[Any, list[str], list[str]]] = [
    (rules.check_bucket_name, ["m", "ml-models", "ml.models_2", "M" * 256], ["", "my bucket", "a/b", "m" * 257, "x'y"]),
    (rules.check_region, ["us-ashburn-1", "eu-frankfurt-1", "us-gov-ashburn-1", "me-dubai-1"], ["", "US-ASHBURN-1", "ashburn-1", "us-ashburn", "iad"]),
    (
        rules.check_compartment_id,
        [COMPARTMENT, "ocid1.tenancy.oc1..aaaaaaaatenancy", "ocid1.compartment.oc1.phx.aaaaaaaa"],
        ["", "compartment", "ocid1.user.oc1..aaaaaaaauser", "ocid1.compartment.oc1..", "OCID1.COMPARTMENT.OC1..AAAA"],
    ),
    (
        rules.check_key_id,
        ["ocid1.key.oc1.iad.examplevault.aaaaaaaakey", "ocid1.key.oc1.eu-frankfurt-1.vault.aaaa"],
        ["", "mykey", "ocid1.vault.oc1.iad.examplevault.aaaa", COMPARTMENT],
    ),
    (rules.check_namespace, ["axaxnpcrorw5", "acme_ns-1", "n" * 64], ["", "my namespace", "ns.acme", "n" * 65]),
    (rules.check_group, ["MLServing", "ml.team_1-x", "g" * 100], ["", "ML Serving", "ml'team", "g" * 101]),
]


@pytest.mark.parametrize(("check", "good", "bad"), GOOD_AND_BAD, ids=lambda v: getattr(v, "__name__", ""))
def test_check_accepts_good_values(check: Any, good: list[str], bad: list[str]) -> None:
    assert [value for value in good if check(value) is not None] == []


@pytest.mark.parametrize(("check", "good", "bad"), GOOD_AND_BAD, ids=lambda v: getattr(v, "__name__", ""))
def test_check_refuses_bad_values(check: Any, good: list[str], bad: list[str]) -> None:
    assert [value for value in bad if check(value) is None] == []


def test_check_refusals_say_what_is_allowed() -> None:
    problem = rules.check_bucket_name("my bucket")
    assert problem is not None and problem.problem == "not a bucket name" and "letters, digits" in problem.allowed


@pytest.mark.parametrize("key", ["team", "Team_1", "cost-center", "k" * 100])
def test_check_tag_key_accepts(key: str) -> None:
    assert rules.check_tag_key(key) is None


@pytest.mark.parametrize("key", ["", "a.b", "cost center", "k" * 101])
def test_check_tag_key_refuses(key: str) -> None:
    problem = rules.check_tag_key(key)
    assert problem is not None and problem.problem == "not a freeform tag key"


def test_check_tag_value_allows_up_to_256_characters() -> None:
    assert rules.check_tag_value("") is None and rules.check_tag_value("a b.c" + "v" * 251) is None
    problem = rules.check_tag_value("v" * 257)
    assert problem is not None and problem.problem == "freeform tag value too long"


def test_check_days() -> None:
    assert rules.check_days(1) is None and rules.check_days(3650) is None
    assert rules.check_days(0) is not None and rules.check_days(-1) is not None


@pytest.mark.parametrize(("archive", "delete"), [(None, None), (30, None), (None, 30), (29, 30)])
def test_check_archive_before_delete_accepts(archive: int | None, delete: int | None) -> None:
    assert rules.check_archive_before_delete(archive, delete) is None


@pytest.mark.parametrize(("archive", "delete"), [(30, 30), (31, 30)])
def test_check_archive_before_delete_refuses(archive: int, delete: int) -> None:
    problem = rules.check_archive_before_delete(archive, delete)
    assert problem is not None and "below delete_after_days (30)" in problem.problem


def test_retention_and_versioning_exclude_each_other() -> None:
    assert rules.check_retention_without_versioning(False) is None
    assert rules.check_retention_without_versioning(True) is not None


def test_previous_version_rules_need_versioning() -> None:
    assert rules.check_previous_versions_need_versioning(True) is None
    assert rules.check_previous_versions_need_versioning(False) is not None


def test_check_standard_tier() -> None:
    assert rules.check_standard_tier("Standard") is None
    problem = rules.check_standard_tier("Archive")
    assert problem is not None and problem.problem == "needs storage_tier Standard, this bucket is Archive"


# lifecycle_problems: every problem, each at its path inside the lifecycle.

GOOD_LIFECYCLE: dict[str, Any] = {
    "archive_after_days": 30,
    "delete_after_days": 365,
    "previous_versions": (7, 90),
    "abort_multipart_uploads_after_days": 2,
    "prefixes": ("models/", "onnx/"),
    "versioning": True,
    "storage_tier": "Standard",
}


def problems(**changes: Any) -> list[tuple[str, object, str]]:
    found = rules.lifecycle_problems(**{**GOOD_LIFECYCLE, **changes})
    return [(path, got, problem.problem) for path, got, problem in found]


def test_lifecycle_problems_accepts_every_rule_at_once() -> None:
    assert problems() == []


def test_lifecycle_problems_accepts_a_single_rule_and_no_previous_versions() -> None:
    assert problems(archive_after_days=None, delete_after_days=None, previous_versions=None, prefixes=()) == []


@pytest.mark.parametrize("previous", [None, (None, None)])
def test_lifecycle_problems_refuses_no_rule(previous: Any) -> None:
    found = problems(archive_after_days=None, delete_after_days=None, previous_versions=previous, abort_multipart_uploads_after_days=None)
    assert found == [("", "no rule", "a lifecycle with no rule")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"archive_after_days": 365}, [("archive_after_days", 365, "archive_after_days must be below")]),
        ({"previous_versions": (90, 90)}, [("previous_versions.archive_after_days", 90, "archive_after_days must be below")]),
        ({"versioning": False}, [("previous_versions", "rules", "previous-version rules need versioning")]),
        ({"previous_versions": (None, 90), "versioning": False}, [("previous_versions", "rules", "previous-version rules need")]),
        (
            {"storage_tier": "Archive"},
            [
                ("archive_after_days", 30, "needs storage_tier Standard"),
                ("previous_versions.archive_after_days", 7, "needs storage_tier Standard"),
            ],
        ),
        ({"prefixes": ("models/", "")}, [("prefixes[1]", "", "empty prefix")]),
        ({"prefixes": ("a/", "b/", "a/", "b/", "a/")}, [("prefixes", "a/", "prefix listed twice"), ("prefixes", "b/", "prefix listed twice")]),
    ],
)
def test_lifecycle_problems_refuses(changes: dict[str, Any], expected: list[tuple[str, object, str]]) -> None:
    found = problems(**changes)
    assert [(path, got) for path, got, _ in found] == [(path, got) for path, got, _ in expected]
    assert all(problem.startswith(start) for (_, _, problem), (_, _, start) in zip(found, expected))


def test_lifecycle_problems_reports_every_problem_together() -> None:
    found = problems(archive_after_days=400, previous_versions=(9, 3), versioning=False, prefixes=("",))
    assert [path for path, _, _ in found] == [
        "archive_after_days",
        "previous_versions.archive_after_days",
        "previous_versions",
        "prefixes[0]",
    ]


def test_lifecycle_problems_leaves_day_counts_to_the_callers() -> None:
    assert problems(delete_after_days=0, archive_after_days=None) == []
