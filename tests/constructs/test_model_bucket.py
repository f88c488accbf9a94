"""ModelBucket: what it emits by default, per option, and what it refuses."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import Any

import pytest
from cdktf import TerraformOutput

from bindings.oci import ObjectstorageBucket
from constructs.model_bucket import AccessProps, LifecycleProps, ModelBucket, ModelBucketProps, PreviousVersionsProps
from constructs.rules import InvalidPropsError, short_hash
from tests.conftest import Json, SynthFn

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexampleexample"
OTHER_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaotherexample"
KEY = "ocid1.key.oc1.iad.examplevault.aaaaaaaakeyexample"
PROPS = ModelBucketProps(
    compartment_id=COMPARTMENT, region="us-ashburn-1", name="models", namespace="axaxnpcrorw5", policy_prefix="ml-dev"
)
FULL_LIFECYCLE = LifecycleProps(
    archive_after_days=30,
    delete_after_days=365,
    previous_versions=PreviousVersionsProps(archive_after_days=7, delete_after_days=90),
    abort_multipart_uploads_after_days=2,
    prefixes=("models/", "onnx/"),
)
SERVICE_POLICY = f"objectstorage_lifecycle_service_{short_hash(COMPARTMENT)}"


def build(synth: SynthFn, props: ModelBucketProps = PROPS, id_: str = "models", then: Any = None) -> Json:
    def make(stack: Any) -> None:
        bucket = ModelBucket(stack, id_, props=props)
        if then:
            then(stack, bucket)

    return synth(make)


def build_many(synth: SynthFn, *props: ModelBucketProps) -> Json:
    return synth(lambda stack: [ModelBucket(stack, p.name, props=p) for p in props])


def resources(stack: Json, kind: str) -> Json:
    return stack.get("resource", {}).get(kind, {})


def bucket(stack: Json, name: str = "models") -> Json:
    return resources(stack, "oci_objectstorage_bucket")[name]


def lifecycle_rules(stack: Json, name: str = "models") -> list[Json]:
    rules: list[Json] = resources(stack, "oci_objectstorage_object_lifecycle_policy")[name]["rules"]
    return rules


def rejects(synth: SynthFn, props: ModelBucketProps) -> list[tuple[str, object]]:
    with pytest.raises(InvalidPropsError) as caught:
        build(synth, props)
    return [(v.field, v.got) for v in caught.value.violations]


# Defaults


def test_default_bucket_is_private_versioned_evented_and_kept(synth: SynthFn) -> None:
    assert bucket(build(synth)) == {
        "compartment_id": COMPARTMENT,
        "name": "models",
        "namespace": "axaxnpcrorw5",
        "access_type": "NoPublicAccess",
        "storage_tier": "Standard",
        "versioning": "Enabled",
        "auto_tiering": "Disabled",
        "object_events_enabled": True,
        "lifecycle": {"prevent_destroy": True},
    }


def test_default_has_no_key_tags_retention_lifecycle_or_policy(synth: SynthFn) -> None:
    stack = build(synth)
    assert set(stack["resource"]) == {"oci_objectstorage_bucket"}
    assert "data" not in stack
    for absent in ("kms_key_id", "freeform_tags", "retention_rules", "depends_on"):
        assert absent not in bucket(stack)


def test_props_offer_no_way_to_make_the_bucket_public() -> None:
    assert not {"access_type", "public", "allow_public"} & {f.name for f in dataclasses.fields(ModelBucketProps)}


def test_access_type_is_no_public_access_with_every_option(synth: SynthFn) -> None:
    props = replace(
        PROPS,
        auto_tiering=True,
        kms_key_id=KEY,
        object_events_enabled=False,
        freeform_tags={"team": "ml"},
        lifecycle=FULL_LIFECYCLE,
        access=AccessProps(readers=("MLServing",), writers=("MLTraining",)),
        prevent_destroy=False,
    )
    assert bucket(build(synth, props))["access_type"] == "NoPublicAccess"


# Options


@pytest.mark.parametrize(("versioning", "emitted"), [(True, "Enabled"), (False, "Disabled")])
def test_versioning(synth: SynthFn, versioning: bool, emitted: str) -> None:
    assert bucket(build(synth, replace(PROPS, versioning=versioning)))["versioning"] == emitted


@pytest.mark.parametrize(("auto_tiering", "emitted"), [(True, "InfrequentAccess"), (False, "Disabled")])
def test_auto_tiering(synth: SynthFn, auto_tiering: bool, emitted: str) -> None:
    assert bucket(build(synth, replace(PROPS, auto_tiering=auto_tiering)))["auto_tiering"] == emitted


def test_object_events_can_be_turned_off(synth: SynthFn) -> None:
    assert bucket(build(synth, replace(PROPS, object_events_enabled=False)))["object_events_enabled"] is False


def test_archive_storage_tier(synth: SynthFn) -> None:
    assert bucket(build(synth, replace(PROPS, storage_tier="Archive")))["storage_tier"] == "Archive"


def test_customer_managed_key(synth: SynthFn) -> None:
    assert bucket(build(synth, replace(PROPS, kms_key_id=KEY)))["kms_key_id"] == KEY


def test_freeform_tags(synth: SynthFn) -> None:
    assert bucket(build(synth, replace(PROPS, freeform_tags={"team": "ml", "env": "dev"})))["freeform_tags"] == {"team": "ml", "env": "dev"}


def test_retention_rule_with_string_duration_never_locked(synth: SynthFn) -> None:
    retention = bucket(build(synth, replace(PROPS, versioning=False, retention_days=30)))["retention_rules"]
    assert retention == [{"display_name": "retain-30-days", "duration": {"time_amount": "30", "time_unit": "DAYS"}}]
    assert "time_rule_locked" not in retention[0]


def test_prevent_destroy_can_be_turned_off(synth: SynthFn) -> None:
    assert "lifecycle" not in bucket(build(synth, replace(PROPS, prevent_destroy=False)))


def test_address_derives_from_construct_id(synth: SynthFn) -> None:
    props = replace(PROPS, lifecycle=LifecycleProps(delete_after_days=9), access=AccessProps(readers=("MLServing",)))
    stack = build(synth, props, id_="ml_models")
    assert list(resources(stack, "oci_objectstorage_bucket")) == ["ml_models"]
    assert list(resources(stack, "oci_objectstorage_object_lifecycle_policy")) == ["ml_models"]
    assert sorted(resources(stack, "oci_identity_policy")) == sorted(["ml_models_access", SERVICE_POLICY])


def test_exposed_attributes(synth: SynthFn) -> None:
    seen: dict[str, Any] = {}

    def keep(stack: Any, construct: ModelBucket) -> None:
        seen.update(name=construct.bucket_name, namespace=construct.namespace, bucket_id=construct.bucket_id)
        seen.update(resource=construct.resource, lifecycle=construct.lifecycle_policy, access=construct.access_policy)
        TerraformOutput(stack, "namespace", value=construct.namespace)
        TerraformOutput(stack, "bucket_id", value=construct.bucket_id)

    stack = build(synth, then=keep)
    assert seen["name"] == "models"
    assert seen["namespace"].startswith("${") and seen["bucket_id"].startswith("${")
    assert isinstance(seen["resource"], ObjectstorageBucket)
    assert seen["lifecycle"] is None and seen["access"] is None
    assert stack["output"]["namespace"]["value"] == "${oci_objectstorage_bucket.models.namespace}"
    assert stack["output"]["bucket_id"]["value"] == "${oci_objectstorage_bucket.models.bucket_id}"


# Lifecycle: one policy per bucket, holding every rule.


def test_lifecycle_is_one_policy_with_every_rule_and_its_nested_values(synth: SynthFn) -> None:
    stack = build(synth, replace(PROPS, lifecycle=FULL_LIFECYCLE))
    (policy,) = resources(stack, "oci_objectstorage_object_lifecycle_policy").values()
    assert policy["bucket"] == "${oci_objectstorage_bucket.models.name}"
    assert policy["namespace"] == "${oci_objectstorage_bucket.models.namespace}"
    prefixes = {"inclusion_prefixes": ["models/", "onnx/"]}
    assert policy["rules"] == [
        {"name": "archive-objects", "action": "ARCHIVE", "target": "objects", "is_enabled": True, "time_amount": "30", "time_unit": "DAYS", "object_name_filter": prefixes},
        {"name": "delete-objects", "action": "DELETE", "target": "objects", "is_enabled": True, "time_amount": "365", "time_unit": "DAYS", "object_name_filter": prefixes},
        {"name": "archive-previous-versions", "action": "ARCHIVE", "target": "previous-object-versions", "is_enabled": True, "time_amount": "7", "time_unit": "DAYS"},
        {"name": "delete-previous-versions", "action": "DELETE", "target": "previous-object-versions", "is_enabled": True, "time_amount": "90", "time_unit": "DAYS"},
        {"name": "abort-multipart-uploads", "action": "ABORT", "target": "multipart-uploads", "is_enabled": True, "time_amount": "2", "time_unit": "DAYS"},
    ]


def test_name_filter_only_on_current_objects_and_abort_only_on_multipart_uploads(synth: SynthFn) -> None:
    for rule in lifecycle_rules(build(synth, replace(PROPS, lifecycle=FULL_LIFECYCLE))):
        assert ("object_name_filter" in rule) == (rule["target"] == "objects"), rule
        assert (rule["action"] == "ABORT") == (rule["target"] == "multipart-uploads"), rule
        assert isinstance(rule["time_amount"], str)


def test_lifecycle_without_prefixes_has_no_name_filter(synth: SynthFn) -> None:
    rules = lifecycle_rules(build(synth, replace(PROPS, lifecycle=replace(FULL_LIFECYCLE, prefixes=()))))
    assert len(rules) == 5 and not any("object_name_filter" in rule for rule in rules)


def test_lifecycle_emits_only_the_rules_asked_for(synth: SynthFn) -> None:
    rules = lifecycle_rules(build(synth, replace(PROPS, lifecycle=LifecycleProps(delete_after_days=90))))
    assert rules == [{"name": "delete-objects", "action": "DELETE", "target": "objects", "is_enabled": True, "time_amount": "90", "time_unit": "DAYS"}]


def test_each_bucket_gets_exactly_one_lifecycle_policy(synth: SynthFn) -> None:
    stack = build_many(
        synth, replace(PROPS, lifecycle=FULL_LIFECYCLE), replace(PROPS, name="images", lifecycle=LifecycleProps(delete_after_days=9))
    )
    policies = resources(stack, "oci_objectstorage_object_lifecycle_policy")
    assert sorted(policies) == ["images", "models"]
    assert [len(policies[name]["rules"]) for name in ("models", "images")] == [5, 1]
    assert policies["images"]["bucket"] == "${oci_objectstorage_bucket.images.name}"


def test_no_lifecycle_policy_without_lifecycle(synth: SynthFn) -> None:
    stack = build(synth, replace(PROPS, service_policy=True))
    assert not resources(stack, "oci_objectstorage_object_lifecycle_policy")
    assert not resources(stack, "oci_identity_policy")


# The service policy that lets Object Storage run the lifecycle.


def test_service_policy_lets_object_storage_run_the_lifecycle(synth: SynthFn) -> None:
    stack = build(synth, replace(PROPS, lifecycle=LifecycleProps(delete_after_days=9)))
    policy = resources(stack, "oci_identity_policy")[SERVICE_POLICY]
    assert policy["statements"] == [
        f"Allow service objectstorage-us-ashburn-1 to manage object-family in compartment id {COMPARTMENT}"
    ]
    assert policy["compartment_id"] == COMPARTMENT
    assert policy["name"] == f"ml-dev-objectstorage-lifecycle-{short_hash(COMPARTMENT)}"
    lifecycle = resources(stack, "oci_objectstorage_object_lifecycle_policy")["models"]
    assert lifecycle["depends_on"] == [f"oci_identity_policy.{SERVICE_POLICY}"]


def test_service_policy_is_created_once_for_buckets_in_one_compartment(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(delete_after_days=9)
    stack = build_many(synth, replace(PROPS, lifecycle=lifecycle), replace(PROPS, name="images", lifecycle=lifecycle))
    assert list(resources(stack, "oci_identity_policy")) == [SERVICE_POLICY]
    for policy in resources(stack, "oci_objectstorage_object_lifecycle_policy").values():
        assert policy["depends_on"] == [f"oci_identity_policy.{SERVICE_POLICY}"]


def test_service_policy_per_compartment(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(delete_after_days=9)
    other = replace(PROPS, name="images", compartment_id=OTHER_COMPARTMENT, lifecycle=lifecycle)
    stack = build_many(synth, replace(PROPS, lifecycle=lifecycle), other)
    policies = resources(stack, "oci_identity_policy")
    assert len(policies) == 2
    assert {p["compartment_id"] for p in policies.values()} == {COMPARTMENT, OTHER_COMPARTMENT}


def test_no_service_policy_when_turned_off(synth: SynthFn) -> None:
    stack = build(synth, replace(PROPS, lifecycle=LifecycleProps(delete_after_days=9), service_policy=False))
    assert not resources(stack, "oci_identity_policy")
    assert "depends_on" not in resources(stack, "oci_objectstorage_object_lifecycle_policy")["models"]


# The access policy.


def test_access_policy_readers_read_and_writers_manage_this_bucket_only(synth: SynthFn) -> None:
    access = AccessProps(readers=("MLServing", "Auditors"), writers=("MLTraining",))
    policy = resources(build(synth, replace(PROPS, access=access)), "oci_identity_policy")["models_access"]
    where = f"in compartment id {COMPARTMENT} where target.bucket.name='models'"
    assert policy["statements"] == [
        f"Allow group MLServing to read objects {where}",
        f"Allow group Auditors to read objects {where}",
        f"Allow group MLTraining to manage objects {where}",
    ]
    assert policy["compartment_id"] == COMPARTMENT
    assert policy["name"] == "ml-dev-models-access"
    assert policy["description"] == "Access to the objects of bucket models"


def test_access_with_only_writers(synth: SynthFn) -> None:
    policy = resources(build(synth, replace(PROPS, access=AccessProps(writers=("MLTraining",)))), "oci_identity_policy")["models_access"]
    assert [s.split(" objects ")[0] for s in policy["statements"]] == ["Allow group MLTraining to manage"]


def test_no_access_policy_without_groups(synth: SynthFn) -> None:
    assert not resources(build(synth, replace(PROPS, access=AccessProps())), "oci_identity_policy")


def test_access_policy_name_stays_within_100_characters(synth: SynthFn) -> None:
    props = replace(PROPS, name="m" * 200, access=AccessProps(readers=("MLServing",)))
    (policy,) = resources(build(synth, props), "oci_identity_policy").values()
    assert len(policy["name"]) == 100


# Validation: all problems at once, naming the field.


def test_rejects_invalid_props_listing_every_problem(synth: SynthFn) -> None:
    props = replace(
        PROPS,
        compartment_id="ocid1.user.oc1..aaaa",
        region="Ashburn",
        name="my bucket",
        kms_key_id="key",
        freeform_tags={"cost center": "x"},
        storage_tier="Archive",
        auto_tiering=True,
        retention_days=0,
        access=AccessProps(readers=("ML Serving",)),
    )
    with pytest.raises(InvalidPropsError) as caught:
        build(synth, props)
    assert [v.field for v in caught.value.violations] == [
        "compartment_id",
        "region",
        "name",
        "kms_key_id",
        "freeform_tags.cost center",
        "auto_tiering",
        "retention_days",
        "retention_days",
        "access.readers[0]",
    ]
    assert "ModelBucket 'models': invalid props:" in str(caught.value)
    assert "name: not a bucket name (got 'my bucket'); use 1 to 256" in str(caught.value)


def test_rejected_props_leave_nothing_in_the_stack(synth: SynthFn) -> None:
    def make(stack: Any) -> None:
        with pytest.raises(InvalidPropsError):
            ModelBucket(stack, "models", props=replace(PROPS, name="bad name"))

    assert "resource" not in synth(make)


def test_rejects_retention_with_versioning(synth: SynthFn) -> None:
    assert rejects(synth, replace(PROPS, retention_days=30)) == [("retention_days", 30)]


def test_rejects_auto_tiering_on_archive_tier(synth: SynthFn) -> None:
    assert rejects(synth, replace(PROPS, storage_tier="Archive", auto_tiering=True)) == [("auto_tiering", True)]


def test_rejects_archive_rules_on_archive_tier(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(archive_after_days=30, previous_versions=PreviousVersionsProps(archive_after_days=7))
    assert rejects(synth, replace(PROPS, storage_tier="Archive", lifecycle=lifecycle)) == [
        ("lifecycle.archive_after_days", 30),
        ("lifecycle.previous_versions.archive_after_days", 7),
    ]


def test_rejects_archive_not_before_delete(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(
        archive_after_days=90, delete_after_days=90, previous_versions=PreviousVersionsProps(archive_after_days=20, delete_after_days=10)
    )
    assert rejects(synth, replace(PROPS, lifecycle=lifecycle)) == [
        ("lifecycle.archive_after_days", 90),
        ("lifecycle.previous_versions.archive_after_days", 20),
    ]


def test_rejects_previous_version_rules_without_versioning(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(previous_versions=PreviousVersionsProps(delete_after_days=10))
    assert rejects(synth, replace(PROPS, versioning=False, lifecycle=lifecycle)) == [("lifecycle.previous_versions", "rules")]


@pytest.mark.parametrize("lifecycle", [LifecycleProps(), LifecycleProps(previous_versions=PreviousVersionsProps(), prefixes=("a/",))])
def test_rejects_lifecycle_with_no_rule(synth: SynthFn, lifecycle: LifecycleProps) -> None:
    assert rejects(synth, replace(PROPS, lifecycle=lifecycle)) == [("lifecycle", "no rule")]


def test_rejects_empty_and_duplicate_prefixes(synth: SynthFn) -> None:
    lifecycle = LifecycleProps(delete_after_days=9, prefixes=("a/", "", "a/"))
    assert rejects(synth, replace(PROPS, lifecycle=lifecycle)) == [("lifecycle.prefixes[1]", ""), ("lifecycle.prefixes", "a/")]


@pytest.mark.parametrize(
    ("props", "field"),
    [
        (replace(PROPS, versioning=False, retention_days=0), "retention_days"),
        (replace(PROPS, lifecycle=LifecycleProps(archive_after_days=0)), "lifecycle.archive_after_days"),
        (replace(PROPS, lifecycle=LifecycleProps(delete_after_days=0)), "lifecycle.delete_after_days"),
        (replace(PROPS, lifecycle=LifecycleProps(previous_versions=PreviousVersionsProps(archive_after_days=0))), "lifecycle.previous_versions.archive_after_days"),
        (replace(PROPS, lifecycle=LifecycleProps(previous_versions=PreviousVersionsProps(delete_after_days=0))), "lifecycle.previous_versions.delete_after_days"),
        (replace(PROPS, lifecycle=LifecycleProps(abort_multipart_uploads_after_days=0)), "lifecycle.abort_multipart_uploads_after_days"),
    ],
)
def test_rejects_days_below_one(synth: SynthFn, props: ModelBucketProps, field: str) -> None:
    assert rejects(synth, props) == [(field, 0)]


def test_rejects_bad_and_duplicate_groups(synth: SynthFn) -> None:
    access = AccessProps(readers=("MLServing", "MLServing"), writers=("ML Training",))
    assert rejects(synth, replace(PROPS, access=access)) == [("access.readers", "MLServing"), ("access.writers[0]", "ML Training")]


def test_rejects_bad_tag_key_and_value(synth: SynthFn) -> None:
    assert rejects(synth, replace(PROPS, freeform_tags={"a.b": "x", "team": "v" * 257})) == [
        ("freeform_tags.a.b", "a.b"),
        ("freeform_tags.team", "v" * 257),
    ]
