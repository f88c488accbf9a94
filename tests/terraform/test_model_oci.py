"""The OCI model refuses what OCI refuses: for each of its rules, a real stack broken on
purpose fails `terraform apply` with the model's message (every stack as synthesized
applies: test_stacks.py). The model (model/oci.py) reads arguments and statements, never
our constructs; these breaks are what a construct bug, or a hand edit, would emit.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Json
from tests.terraform.breaks import Break, Edit, refusals_fixture, refused_as_expected, rules_without_a_break, unlisted
from tests.terraform.model.oci import RULES
from tests.terraform.model.oci_policy import PolicySyntaxError, parse, permissions


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
        for kind in ("oci_objectstorage_bucket", "oci_objectstorage_object_lifecycle_policy"):
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
    "no-key-policy": Break("oci-bucket-key", "example", "prod-oci", drop_policy("key_service"), error="404-NotAuthorizedOrFoundKmsKey"),
    "a-key-of-another-region": Break("oci-bucket-key", "example", "prod-oci", world=key_in_another_region, error="404-NotAuthorizedOrFoundKmsKey"),
    "no-lifecycle-service-policy": Break("oci-lifecycle-service", "example", "prod-oci", drop_policy("lifecycle_service"), error="400-InsufficientServicePermissions"),
    "a-filtered-abort-rule": Break("oci-lifecycle-rules", "example", "prod-oci", filtered_abort, error="400-InvalidParameter: Rule 'abort-multipart-uploads': uncommitted multipart upload rules"),
    "abort-on-objects": Break("oci-lifecycle-rules", "example", "prod-oci", abort_on_objects, error="400-InvalidParameter: Rule 'abort-multipart-uploads': target 'objects' takes"),
    "archive-on-an-archive-bucket": Break("oci-archive-tier", "full", "research-oci", archive_on_archive_tier, error="400-InvalidParameter: Rule 'archive-objects': ARCHIVE never acts"),
}


refusals = refusals_fixture(BREAKS)


@pytest.mark.parametrize("name", list(BREAKS))
def test_the_model_refuses_the_broken_stack(name: str, refusals: dict[str, list[str]]) -> None:
    assert refused_as_expected(BREAKS[name], refusals[name]), refusals[name] or f"{name}: applied although broken"


def test_every_rule_of_the_model_has_a_break() -> None:
    assert rules_without_a_break(RULES, BREAKS) == set()
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
