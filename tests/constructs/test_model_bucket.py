"""ModelBucket: what it emits by default and per option (rules: tests/specs)."""

from __future__ import annotations

from typing import Any

import pytest

from bindings.oci import ObjectstorageBucket, OciProvider
from constructs.model_bucket import ModelBucket
from engine import TerraformOutput, Token
from rules.oci import (
    bucket_access_statements,
    key_service_statement,
    lifecycle_service_statement,
    replication_service_statement,
)
from rules.problems import short_hash
from specs.bucket import BucketSpec
from tests.conftest import Json, SynthFn

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexampleexample"
OTHER_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaotherexample"
KEY = "ocid1.key.oc1.iad.examplevault.aaaaaaaakeyexample"
FULL_LIFECYCLE: Json = {
    "archive_after_days": 30,
    "delete_after_days": 365,
    "previous_versions": {"archive_after_days": 7, "delete_after_days": 90},
    "abort_multipart_uploads_after_days": 2,
    "prefixes": ["models/", "onnx/"],
}
SERVICE_POLICY = f"objectstorage_lifecycle_service_{short_hash(COMPARTMENT)}"
REPLICATION_POLICY = f"objectstorage_replication_service_{short_hash(COMPARTMENT)}"
LOG_GROUP = f"objectstorage_logs_{short_hash(f'{COMPARTMENT}/us-ashburn-1')}"
REPLICA_LOG_GROUP = f"objectstorage_logs_{short_hash(f'{COMPARTMENT}/us-phoenix-1')}"
REPLICA_KEY = "ocid1.key.oc1.phx.examplevault.aaaaaaaareplicakey"
NO_LOGS: Json = {"write": False}
UNKEYED: Json = {
    "condition": "${try(length(self.kms_key_id), 0) == 0}",
    "error_message": (
        "Bucket models still uses a Vault key that its config no longer names, and the key's Object Storage policy"
        " would be destroyed with it. Put kms_key_id back; or re-encrypt the bucket with the key it should use"
        " (oci os bucket reencrypt), unassign the old key from the bucket, and plan again."
    ),
}


def make_bucket(
    stack: Any,
    id_: str,
    *,
    compartment_id: str = COMPARTMENT,
    prevent_destroy: bool = True,
    iam_provider: Any = None,
    replica_provider: Any = None,
    **fields: Any,
) -> ModelBucket:
    spec = BucketSpec.model_validate({"name": "models", **fields})
    if spec.replication is not None and replica_provider is None:
        replica_provider = OciProvider(stack, "replica", alias="us_phoenix_1", region=spec.replication.region)
    return ModelBucket(
        stack,
        id_,
        spec=spec,
        compartment_id=compartment_id,
        region="us-ashburn-1",
        namespace="axaxnpcrorw5",
        policy_prefix="ml-dev",
        iam_provider=iam_provider,
        replica_provider=replica_provider,
        prevent_destroy=prevent_destroy,
    )


def build(synth: SynthFn, then: Any = None, *, id_: str = "models", **fields: Any) -> Json:
    def make(stack: Any) -> None:
        bucket = make_bucket(stack, id_, **fields)
        if then:
            then(stack, bucket)

    return synth(make)


def build_many(synth: SynthFn, *buckets: Json) -> Json:
    return synth(lambda stack: [make_bucket(stack, fields["name"], **fields) for fields in buckets])


def resources(stack: Json, kind: str) -> Json:
    return stack.get("resource", {}).get(kind, {})


def bucket(stack: Json, name: str = "models") -> Json:
    return resources(stack, "oci_objectstorage_bucket")[name]


def lifecycle_rules(stack: Json, name: str = "models") -> list[Json]:
    rules: list[Json] = resources(stack, "oci_objectstorage_object_lifecycle_policy")[name]["rules"]
    return rules


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
        "freeform_tags": {},
        "lifecycle": {"prevent_destroy": True, "postcondition": [UNKEYED]},
    }


def test_a_bucket_without_a_key_in_its_config_must_have_none(synth: SynthFn) -> None:
    # kms_key_id is Optional+Computed: removed from the config the bucket keeps the key, while its
    # policy goes; the plan stops on this postcondition instead (tests/terraform/test_transitions.py).
    assert UNKEYED["condition"] == "${try(length(self.kms_key_id), 0) == 0}"  # null or ""
    assert UNKEYED["error_message"].startswith("Bucket models still uses a Vault key")
    assert bucket(build(synth, prevent_destroy=False))["lifecycle"] == {"postcondition": [UNKEYED]}
    replica = bucket(build(synth, replication={"region": "us-phoenix-1"}), "models_replica")
    assert replica["lifecycle"]["postcondition"][0]["error_message"].startswith("Bucket models still uses")


def test_a_bucket_with_a_key_keeps_the_one_it_was_made_with_unless_the_record_is_replaced(synth: SynthFn) -> None:
    # A changed kms_key_id assigns the new key without re-encrypting, and the old key's policy
    # goes: the key is checked against a record of the first one, whose input is then ignored.
    stack = build(synth, kms_key_id=KEY)
    (postcondition,) = bucket(stack)["lifecycle"]["postcondition"]
    assert postcondition["condition"] == "${self.kms_key_id == terraform_data.models_vault_key.output.key}"
    assert postcondition["error_message"].startswith("Bucket models's Vault key would change.")
    assert postcondition["error_message"].endswith("then opt in: terraform apply -replace=terraform_data.models_vault_key.")
    assert bucket(stack)["lifecycle"]["prevent_destroy"] is True
    assert stack["resource"]["terraform_data"]["models_vault_key"] == {"input": {"key": KEY}, "lifecycle": {"ignore_changes": ["input"]}}


def test_default_has_no_key_tags_retention_lifecycle_replica_or_policy(synth: SynthFn) -> None:
    stack = build(synth)
    assert set(stack["resource"]) == {"oci_objectstorage_bucket", "oci_logging_log_group", "oci_logging_log"}
    assert "data" not in stack
    for absent in ("kms_key_id", "retention_rules", "depends_on"):
        assert absent not in bucket(stack)


def test_spec_offers_no_way_to_make_the_bucket_public() -> None:
    assert not {"access_type", "public", "allow_public"} & set(BucketSpec.model_fields)


def test_access_type_is_no_public_access_with_every_option(synth: SynthFn) -> None:
    stack = build(
        synth,
        auto_tiering=True,
        kms_key_id=KEY,
        object_events=False,
        tags={"team": "ml"},
        lifecycle=FULL_LIFECYCLE,
        access={"readers": ["MLServing"], "writers": ["MLTraining"]},
        prevent_destroy=False,
    )
    assert bucket(stack)["access_type"] == "NoPublicAccess"


# Options


@pytest.mark.parametrize(("versioning", "emitted"), [(True, "Enabled"), (False, "Disabled")])
def test_versioning(synth: SynthFn, versioning: bool, emitted: str) -> None:
    assert bucket(build(synth, versioning=versioning))["versioning"] == emitted


@pytest.mark.parametrize(("auto_tiering", "emitted"), [(True, "InfrequentAccess"), (False, "Disabled")])
def test_auto_tiering(synth: SynthFn, auto_tiering: bool, emitted: str) -> None:
    assert bucket(build(synth, auto_tiering=auto_tiering))["auto_tiering"] == emitted


def test_object_events_can_be_turned_off(synth: SynthFn) -> None:
    assert bucket(build(synth, object_events=False))["object_events_enabled"] is False


def test_archive_storage_tier(synth: SynthFn) -> None:
    assert bucket(build(synth, storage_tier="Archive"))["storage_tier"] == "Archive"


def test_customer_managed_key(synth: SynthFn) -> None:
    assert bucket(build(synth, kms_key_id=KEY))["kms_key_id"] == KEY


def test_freeform_tags(synth: SynthFn) -> None:
    assert bucket(build(synth, tags={"team": "ml", "env": "dev"}))["freeform_tags"] == {"team": "ml", "env": "dev"}


def test_no_freeform_tags_is_written_as_none_so_removing_them_removes_them(synth: SynthFn) -> None:
    # Optional+Computed: left out, the provider would keep the tags the bucket had.
    assert bucket(build(synth))["freeform_tags"] == {}
    assert bucket(build(synth, replication={"region": "us-phoenix-1"}), "models_replica")["freeform_tags"] == {}


def test_defined_tags(synth: SynthFn) -> None:
    assert bucket(build(synth, defined_tags={"Operations.CostCenter": "42"}))["defined_tags"] == {"Operations.CostCenter": "42"}
    assert "defined_tags" not in bucket(build(synth))


def test_retention_rule_with_string_duration_never_locked(synth: SynthFn) -> None:
    retention = bucket(build(synth, versioning=False, retention_days=30))["retention_rules"]
    assert retention == [{"display_name": "retain-30-days", "duration": {"time_amount": "30", "time_unit": "DAYS"}}]
    assert "time_rule_locked" not in retention[0]


def test_retention_days_and_retention_emit_the_same_unlocked_rule(synth: SynthFn) -> None:
    stack = build(synth, versioning=False, retention={"days": 30})
    assert bucket(stack)["retention_rules"] == bucket(build(synth, versioning=False, retention_days=30))["retention_rules"]
    assert "terraform_data" not in stack["resource"]


def test_a_locked_retention_rule_locks_after_its_delay_from_a_recorded_instant(synth: SynthFn) -> None:
    stack = build(synth, versioning=False, retention={"days": 365, "lock_after_days": 14})
    (rule,) = bucket(stack)["retention_rules"]
    assert rule == {
        "display_name": "retain-365-days",
        "duration": {"time_amount": "365", "time_unit": "DAYS"},
        "time_rule_locked": '${timeadd(terraform_data.models_retention_lock.output["planned_at"], "337h")}',
    }
    # The instant is the first plan's, kept: a later plan's timestamp is ignored, so nothing drifts;
    # a new rule or delay replaces it, and so sets a new lock time.
    assert resources(stack, "terraform_data") == {
        "models_retention_lock": {
            "input": {"planned_at": "${plantimestamp()}"},
            "triggers_replace": {"days": "365", "lock_after_days": "14"},
            "lifecycle": {"ignore_changes": ["input"]},
        }
    }


def test_prevent_destroy_can_be_turned_off(synth: SynthFn) -> None:
    assert "prevent_destroy" not in bucket(build(synth, prevent_destroy=False))["lifecycle"]


def test_address_derives_from_construct_id(synth: SynthFn) -> None:
    stack = build(synth, id_="ml_models", lifecycle={"delete_after_days": 9}, access={"readers": ["MLServing"]})
    assert list(resources(stack, "oci_objectstorage_bucket")) == ["ml_models"]
    assert list(resources(stack, "oci_objectstorage_object_lifecycle_policy")) == ["ml_models"]
    assert sorted(resources(stack, "oci_identity_policy")) == sorted(["ml_models_access", SERVICE_POLICY])
    assert list(resources(stack, "oci_logging_log")) == ["ml_models_write"]


def test_exposed_attributes(synth: SynthFn) -> None:
    seen: dict[str, Any] = {}

    def keep(stack: Any, construct: ModelBucket) -> None:
        seen.update(name=construct.bucket_name, namespace=construct.namespace, bucket_id=construct.bucket_id)
        seen.update(resource=construct.resource, lifecycle=construct.lifecycle_policy, access=construct.access_policy)
        TerraformOutput(stack, "namespace", value=construct.namespace)
        TerraformOutput(stack, "bucket_id", value=construct.bucket_id)

    stack = build(synth, keep)
    assert seen["name"] == "models"
    assert seen["namespace"].startswith("${") and seen["bucket_id"].startswith("${")
    assert isinstance(seen["resource"], ObjectstorageBucket)
    assert seen["lifecycle"] is None and seen["access"] is None
    assert stack["output"]["namespace"]["value"] == "${oci_objectstorage_bucket.models.namespace}"
    assert stack["output"]["bucket_id"]["value"] == "${oci_objectstorage_bucket.models.bucket_id}"


def test_outputs_are_what_ci_reads(synth: SynthFn) -> None:
    def output(stack: Any, bucket: ModelBucket) -> None:
        TerraformOutput(stack, "values", value=Token.as_any(bucket.outputs()))

    assert build(synth, output)["output"]["values"]["value"] == {
        "name": "models",
        "namespace": "${oci_objectstorage_bucket.models.namespace}",
        "bucket_id": "${oci_objectstorage_bucket.models.bucket_id}",
        "region": "us-ashburn-1",
        "endpoint": "https://objectstorage.us-ashburn-1.oraclecloud.com",
    }


# Lifecycle: one policy per bucket, holding every rule.


def test_lifecycle_is_one_policy_with_every_rule_and_its_nested_values(synth: SynthFn) -> None:
    stack = build(synth, lifecycle=FULL_LIFECYCLE)
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
    for rule in lifecycle_rules(build(synth, lifecycle=FULL_LIFECYCLE)):
        assert ("object_name_filter" in rule) == (rule["target"] == "objects"), rule
        assert (rule["action"] == "ABORT") == (rule["target"] == "multipart-uploads"), rule
        assert isinstance(rule["time_amount"], str)


def test_lifecycle_without_prefixes_has_no_name_filter(synth: SynthFn) -> None:
    rules = lifecycle_rules(build(synth, lifecycle={**FULL_LIFECYCLE, "prefixes": []}))
    assert len(rules) == 5 and not any("object_name_filter" in rule for rule in rules)


def test_infrequent_access_rule_comes_first_and_takes_the_prefixes(synth: SynthFn) -> None:
    rules = lifecycle_rules(build(synth, lifecycle={"infrequent_access_after_days": 31, "delete_after_days": 365, "prefixes": ["models/"]}))
    assert rules[0] == {
        "name": "infrequent-access-objects",
        "action": "INFREQUENT_ACCESS",
        "target": "objects",
        "is_enabled": True,
        "time_amount": "31",
        "time_unit": "DAYS",
        "object_name_filter": {"inclusion_prefixes": ["models/"]},
    }
    assert [rule["name"] for rule in rules] == ["infrequent-access-objects", "delete-objects"]


def test_lifecycle_emits_only_the_rules_asked_for(synth: SynthFn) -> None:
    rules = lifecycle_rules(build(synth, lifecycle={"delete_after_days": 90}))
    assert rules == [{"name": "delete-objects", "action": "DELETE", "target": "objects", "is_enabled": True, "time_amount": "90", "time_unit": "DAYS"}]


def test_each_bucket_gets_exactly_one_lifecycle_policy(synth: SynthFn) -> None:
    stack = build_many(synth, {"name": "models", "lifecycle": FULL_LIFECYCLE}, {"name": "images", "lifecycle": {"delete_after_days": 9}})
    policies = resources(stack, "oci_objectstorage_object_lifecycle_policy")
    assert sorted(policies) == ["images", "models"]
    assert [len(policies[name]["rules"]) for name in ("models", "images")] == [5, 1]
    assert policies["images"]["bucket"] == "${oci_objectstorage_bucket.images.name}"


def test_no_lifecycle_policy_without_lifecycle(synth: SynthFn) -> None:
    stack = build(synth, service_policy=True, logging=NO_LOGS)
    assert not resources(stack, "oci_objectstorage_object_lifecycle_policy")
    assert not resources(stack, "oci_identity_policy")


# The service policy that lets Object Storage run the lifecycle.


def test_service_policy_lets_object_storage_run_the_lifecycle(synth: SynthFn) -> None:
    stack = build(synth, lifecycle={"delete_after_days": 9})
    policy = resources(stack, "oci_identity_policy")[SERVICE_POLICY]
    assert policy["statements"] == [lifecycle_service_statement("us-ashburn-1", COMPARTMENT)]
    assert policy["compartment_id"] == COMPARTMENT
    assert policy["name"] == f"ml-dev-objectstorage-lifecycle-{short_hash(COMPARTMENT)}"
    lifecycle = resources(stack, "oci_objectstorage_object_lifecycle_policy")["models"]
    assert lifecycle["depends_on"] == [f"time_sleep.{SERVICE_POLICY}"]
    # Not before the policy is in force: Oracle says "typically within 10 seconds".
    assert resources(stack, "time_sleep")[SERVICE_POLICY] == {
        "create_duration": "30s",
        "triggers": {f"oci_identity_policy.{SERVICE_POLICY}": f"${{oci_identity_policy.{SERVICE_POLICY}.id}}"},
    }


def test_service_policy_is_created_once_for_buckets_in_one_compartment(synth: SynthFn) -> None:
    lifecycle = {"delete_after_days": 9}
    stack = build_many(synth, {"name": "models", "lifecycle": lifecycle}, {"name": "images", "lifecycle": lifecycle})
    assert list(resources(stack, "oci_identity_policy")) == [SERVICE_POLICY]
    assert list(resources(stack, "time_sleep")) == [SERVICE_POLICY]
    for policy in resources(stack, "oci_objectstorage_object_lifecycle_policy").values():
        assert policy["depends_on"] == [f"time_sleep.{SERVICE_POLICY}"]


def test_service_policy_per_compartment(synth: SynthFn) -> None:
    lifecycle = {"delete_after_days": 9}
    other = {"name": "images", "compartment_id": OTHER_COMPARTMENT, "lifecycle": lifecycle}
    stack = build_many(synth, {"name": "models", "lifecycle": lifecycle}, other)
    policies = resources(stack, "oci_identity_policy")
    assert len(policies) == 2
    assert {p["compartment_id"] for p in policies.values()} == {COMPARTMENT, OTHER_COMPARTMENT}


def test_no_service_policy_when_turned_off(synth: SynthFn) -> None:
    stack = build(synth, lifecycle={"delete_after_days": 9}, service_policy=False)
    assert not resources(stack, "oci_identity_policy")
    assert "depends_on" not in resources(stack, "oci_objectstorage_object_lifecycle_policy")["models"]


# The access policy.


def test_access_policy_holds_each_group_s_statements_in_role_order(synth: SynthFn) -> None:
    access = {"admins": ["ml-platform/Model Admins"], "readers": ["MLServing", "Auditors"], "writers": ["MLTraining"]}
    policy = resources(build(synth, access=access), "oci_identity_policy")["models_access"]
    assert policy["statements"] == [
        *bucket_access_statements("readers", "MLServing", COMPARTMENT, "models"),
        *bucket_access_statements("readers", "Auditors", COMPARTMENT, "models"),
        *bucket_access_statements("writers", "MLTraining", COMPARTMENT, "models"),
        *bucket_access_statements("admins", "ml-platform/Model Admins", COMPARTMENT, "models"),
    ]
    assert policy["compartment_id"] == COMPARTMENT
    assert policy["name"] == "ml-dev-models-access"
    assert policy["description"] == "Access to the objects of bucket models"


def test_writers_may_not_delete_objects_or_versions(synth: SynthFn) -> None:
    policy = resources(build(synth, access={"writers": ["MLTraining"]}), "oci_identity_policy")["models_access"]
    granted = " ".join(policy["statements"])
    assert "OBJECT_CREATE" in granted and "OBJECT_OVERWRITE" in granted
    assert "OBJECT_DELETE" not in granted and "OBJECT_VERSION_DELETE" not in granted


def test_versioning_states_are_emitted_capitalized(synth: SynthFn) -> None:
    assert bucket(build(synth, versioning="suspended"))["versioning"] == "Suspended"


def test_a_key_gets_object_storage_s_use_of_it_before_the_bucket(synth: SynthFn) -> None:
    key_compartment = "ocid1.compartment.oc1..aaaaaaaasecurity"
    stack = build(synth, kms_key_id=KEY, key_compartment_id=key_compartment, lifecycle={"delete_after_days": 9})
    key_policy = f"objectstorage_key_service_{short_hash(KEY)}"
    policy = resources(stack, "oci_identity_policy")[key_policy]
    assert policy["compartment_id"] == key_compartment
    assert policy["statements"] == [key_service_statement("us-ashburn-1", key_compartment, KEY)]
    assert bucket(stack)["depends_on"] == [f"time_sleep.{key_policy}"]
    # Its lifecycle needs the key too (PutObjectLifecyclePolicy on a CMK bucket).
    lifecycle = resources(stack, "oci_objectstorage_object_lifecycle_policy")["models"]
    assert f"time_sleep.{key_policy}" in lifecycle["depends_on"]


def test_the_key_policy_is_kept_while_buckets_may_use_the_key(synth: SynthFn) -> None:
    # Removing or changing a bucket's key would destroy the policy while its objects still need
    # the key: prevent_destroy makes Terraform refuse that plan, unless the environment opts out.
    key_policy = f"objectstorage_key_service_{short_hash(KEY)}"
    kept = resources(build(synth, kms_key_id=KEY), "oci_identity_policy")[key_policy]
    assert kept["lifecycle"] == {"prevent_destroy": True}
    assert "lifecycle" not in resources(build(synth, kms_key_id=KEY, prevent_destroy=False), "oci_identity_policy")[key_policy]


def test_the_key_policy_defaults_to_the_bucket_compartment_and_is_shared(synth: SynthFn) -> None:
    stack = build_many(synth, {"name": "models", "kms_key_id": KEY}, {"name": "images", "kms_key_id": KEY})
    (policy,) = resources(stack, "oci_identity_policy").values()
    assert policy["compartment_id"] == COMPARTMENT


def test_iam_goes_through_the_iam_provider(synth: SynthFn) -> None:
    def make(stack: Any) -> None:
        home = OciProvider(stack, "home", alias="home", region="us-ashburn-1")
        make_bucket(stack, "models", iam_provider=home, kms_key_id=KEY, lifecycle={"delete_after_days": 9}, access={"readers": ["R"]})

    stack = synth(make)
    assert {name: p.get("provider") for name, p in resources(stack, "oci_identity_policy").items()} == dict.fromkeys(
        resources(stack, "oci_identity_policy"), "oci.home"
    )
    assert "provider" not in bucket(stack)


def test_no_access_policy_without_groups(synth: SynthFn) -> None:
    assert not resources(build(synth, access={}), "oci_identity_policy")


def test_access_policy_name_stays_within_100_characters(synth: SynthFn) -> None:
    (policy,) = resources(build(synth, name="m" * 200, access={"readers": ["MLServing"]}), "oci_identity_policy").values()
    assert len(policy["name"]) == 100


# Access logs: one service log per category, in the stack's log group of the bucket's region.


def log(stack: Json, name: str) -> Json:
    return resources(stack, "oci_logging_log")[name]


def test_default_logs_write_events_for_90_days(synth: SynthFn) -> None:
    stack = build(synth)
    assert resources(stack, "oci_logging_log") == {
        "models_write": {
            "display_name": "models-write",
            "log_group_id": f"${{oci_logging_log_group.{LOG_GROUP}.id}}",
            "log_type": "SERVICE",
            "is_enabled": True,
            "retention_duration": 90,
            "configuration": {
                "source": {"category": "write", "resource": "${oci_objectstorage_bucket.models.name}", "service": "objectstorage", "source_type": "OCISERVICE"}
            },
            "lifecycle": {"prevent_destroy": True},
        }
    }
    assert resources(stack, "oci_logging_log_group") == {
        LOG_GROUP: {
            "compartment_id": COMPARTMENT,
            "display_name": "ml-dev-bucket-logs-us-ashburn-1",
            "description": "Access logs of the Object Storage buckets of ml-dev in us-ashburn-1",
            "lifecycle": {"prevent_destroy": True},
        }
    }


def test_read_events_and_another_retention(synth: SynthFn) -> None:
    stack = build(synth, logging={"read": True, "retention_days": 180})
    assert sorted(resources(stack, "oci_logging_log")) == ["models_read", "models_write"]
    assert log(stack, "models_read")["configuration"]["source"]["category"] == "read"
    assert {entry["retention_duration"] for entry in resources(stack, "oci_logging_log").values()} == {180}


def test_no_log_and_no_log_group_when_both_categories_are_off(synth: SynthFn) -> None:
    stack = build(synth, logging={"write": False, "read": False})
    assert not resources(stack, "oci_logging_log") and not resources(stack, "oci_logging_log_group")


def test_one_log_group_per_compartment(synth: SynthFn) -> None:
    stack = build_many(synth, {"name": "models"}, {"name": "images"}, {"name": "other", "compartment_id": OTHER_COMPARTMENT})
    groups = resources(stack, "oci_logging_log_group")
    assert len(groups) == 2 and {g["compartment_id"] for g in groups.values()} == {COMPARTMENT, OTHER_COMPARTMENT}
    assert log(stack, "models_write")["log_group_id"] == log(stack, "images_write")["log_group_id"] == f"${{oci_logging_log_group.{LOG_GROUP}.id}}"


def test_logs_are_kept_unless_destroy_is_allowed(synth: SynthFn) -> None:
    stack = build(synth, prevent_destroy=False)
    assert "lifecycle" not in log(stack, "models_write")
    assert "lifecycle" not in resources(stack, "oci_logging_log_group")[LOG_GROUP]


# Replication: a replica in another region, the policy that fills it, and Object Storage's permission.


def replicated(synth: SynthFn, **fields: Any) -> Json:
    return build(synth, **{"replication": {"region": "us-phoenix-1"}, **fields})


def test_the_replica_is_private_unversioned_and_in_its_region(synth: SynthFn) -> None:
    stack = replicated(synth, storage_tier="Archive", object_events=True, tags={"team": "ml"}, defined_tags={"Ops.Owner": "ml"})
    assert bucket(stack, "models_replica") == {
        "compartment_id": COMPARTMENT,
        "name": "models",
        "namespace": "axaxnpcrorw5",
        "access_type": "NoPublicAccess",
        "storage_tier": "Archive",
        "versioning": "Disabled",
        "auto_tiering": "Disabled",
        "object_events_enabled": True,
        "freeform_tags": {"team": "ml"},
        "defined_tags": {"Ops.Owner": "ml"},
        "provider": "oci.us_phoenix_1",
        "lifecycle": {"prevent_destroy": True, "postcondition": [UNKEYED]},
    }
    for absent in ("retention_rules", "kms_key_id"):
        assert absent not in bucket(stack, "models_replica")


def test_the_replica_takes_no_retention_and_no_lifecycle_of_its_source(synth: SynthFn) -> None:
    stack = replicated(synth, versioning=False, retention_days=30, lifecycle={"delete_after_days": 9})
    assert "retention_rules" in bucket(stack) and "retention_rules" not in bucket(stack, "models_replica")
    assert list(resources(stack, "oci_objectstorage_object_lifecycle_policy")) == ["models"]


def test_the_replication_policy_fills_the_replica_once_object_storage_may(synth: SynthFn) -> None:
    stack = replicated(synth, replication={"region": "us-phoenix-1", "bucket": "models-dr"})
    (policy,) = resources(stack, "oci_objectstorage_replication_policy").values()
    assert policy == {
        "bucket": "${oci_objectstorage_bucket.models.name}",
        "namespace": "${oci_objectstorage_bucket.models.namespace}",
        "name": "replicate-to-us-phoenix-1",
        "destination_bucket_name": "${oci_objectstorage_bucket.models_replica.name}",
        "destination_region_name": "us-phoenix-1",
        "depends_on": [f"time_sleep.{REPLICATION_POLICY}"],
    }
    assert bucket(stack, "models_replica")["name"] == "models-dr"
    service = resources(stack, "oci_identity_policy")[REPLICATION_POLICY]
    assert service["statements"] == [replication_service_statement("us-ashburn-1", COMPARTMENT)]
    assert service["name"] == f"ml-dev-objectstorage-replication-{short_hash(COMPARTMENT)}"


def test_the_replication_service_policy_is_once_per_compartment_and_can_be_left_out(synth: SynthFn) -> None:
    def make(stack: Any) -> None:
        phoenix = OciProvider(stack, "replica", alias="us_phoenix_1", region="us-phoenix-1")
        for name in ("models", "images"):
            make_bucket(stack, name, name=name, replica_provider=phoenix, replication={"region": "us-phoenix-1"})

    assert list(resources(synth(make), "oci_identity_policy")) == [REPLICATION_POLICY]
    stack = replicated(synth, service_policy=False)
    assert not resources(stack, "oci_identity_policy")
    assert "depends_on" not in resources(stack, "oci_objectstorage_replication_policy")["models"]


def test_the_replica_s_key_is_of_its_region_and_granted_to_its_region_s_object_storage(synth: SynthFn) -> None:
    stack = replicated(synth, kms_key_id=KEY, replication={"region": "us-phoenix-1", "kms_key_id": REPLICA_KEY})
    key_policy = f"objectstorage_key_service_{short_hash(REPLICA_KEY)}"
    assert bucket(stack, "models_replica")["kms_key_id"] == REPLICA_KEY
    assert bucket(stack, "models_replica")["depends_on"] == [f"time_sleep.{key_policy}"]
    assert resources(stack, "oci_identity_policy")[key_policy]["statements"] == [key_service_statement("us-phoenix-1", COMPARTMENT, REPLICA_KEY)]


def test_the_replica_logs_what_its_source_logs_in_its_own_region(synth: SynthFn) -> None:
    stack = replicated(synth, logging={"read": True})
    assert sorted(resources(stack, "oci_logging_log")) == ["models_read", "models_replica_read", "models_replica_write", "models_write"]
    replica_log = log(stack, "models_replica_write")
    assert replica_log["provider"] == "oci.us_phoenix_1"
    assert replica_log["log_group_id"] == f"${{oci_logging_log_group.{REPLICA_LOG_GROUP}.id}}"
    assert replica_log["configuration"]["source"]["resource"] == "${oci_objectstorage_bucket.models_replica.name}"
    assert resources(stack, "oci_logging_log_group")[REPLICA_LOG_GROUP]["provider"] == "oci.us_phoenix_1"


def test_no_replica_without_replication(synth: SynthFn) -> None:
    stack = build(synth)
    assert list(resources(stack, "oci_objectstorage_bucket")) == ["models"]
    assert not resources(stack, "oci_objectstorage_replication_policy")


def test_a_replica_needs_a_provider_in_its_region(synth: SynthFn) -> None:
    spec = BucketSpec.model_validate({"name": "models", "replication": {"region": "us-phoenix-1"}})

    def make(stack: Any) -> None:
        ModelBucket(stack, "models", spec=spec, compartment_id=COMPARTMENT, region="us-ashburn-1", namespace="ns", policy_prefix="ml-dev")

    with pytest.raises(ValueError, match="a replica needs replica_provider, a provider in us-phoenix-1"):
        synth(make)


def test_exposed_replica_and_log_resources(synth: SynthFn) -> None:
    seen: dict[str, Any] = {}
    synth(lambda stack: seen.update(construct=make_bucket(stack, "models", replication={"region": "us-phoenix-1"})))
    construct = seen["construct"]
    assert isinstance(construct.replica, ObjectstorageBucket)
    assert construct.replication_policy is not None
    assert [type(entry).__name__ for entry in construct.logs + construct.replica_logs] == ["LoggingLog", "LoggingLog"]


def test_dynamic_groups_get_the_statements_of_their_role(synth: SynthFn) -> None:
    stack = build(synth, access={"readers": ["dynamic-group:ml-deployments"], "writers": ["dynamic-group:'ml-platform'/'job-runs'"]})
    statements = resources(stack, "oci_identity_policy")["models_access"]["statements"]
    assert statements == [
        *bucket_access_statements("readers", "dynamic-group:ml-deployments", COMPARTMENT, "models"),
        *bucket_access_statements("writers", "dynamic-group:ml-platform/job-runs", COMPARTMENT, "models"),
    ]
    assert statements[0].startswith("Allow dynamic-group ml-deployments to read buckets")
    assert statements[2].startswith("Allow dynamic-group 'ml-platform'/'job-runs' to read buckets")
