"""The change review's classification (review/changes.py), one class at a time, on small stacks.

Each test writes the two synths of a config as Terraform JSON, `{stack id: stack}`, the way the
snapshots hold them; one end-to-end test through main.py is in tests/review/test_command.py.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

from review import classify, review_lines
from review.changes import Change
from tests.conftest import ROOT

Json = dict[str, Any]
COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexample"
KEY = "ocid1.key.oc1.iad.example.aaaaaaaakey"


def bucket(**changes: Any) -> Json:
    body: Json = {
        "access_type": "NoPublicAccess", "compartment_id": COMPARTMENT, "name": "models", "namespace": "acme",
        "storage_tier": "Standard", "versioning": "Enabled", "freeform_tags": {"team": "ml"},
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def oci(resources: Json, **sections: Any) -> Json:
    return {"resource": resources, "terraform": {"backend": {"local": {"path": "state/acme/prod-oci.tfstate"}}}, **sections}


def one(old: Json, new: Json, stack: str = "prod-oci") -> Change:
    (change,) = classify({stack: old}, {stack: new})
    return change


def test_the_review_and_the_gate_start_neither_cdktf_nor_jsii() -> None:
    probe = "import sys, review, review.gate, review.command; print(sorted(m for m in ('cdktf', 'cdktn', 'jsii', 'constructs') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_an_unchanged_config_has_nothing_to_say() -> None:
    stack = oci({"oci_objectstorage_bucket": {"models": bucket()}})
    assert review_lines({"prod-oci": stack}, {"prod-oci": copy.deepcopy(stack)}) == []


def test_a_new_resource_is_created() -> None:
    change = one(oci({}), oci({"oci_objectstorage_bucket": {"models": bucket()}}))
    assert change.line() == "CREATE       prod-oci  oci_objectstorage_bucket.models  a new bucket"


def test_a_changed_argument_that_is_not_force_new_updates_in_place() -> None:
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}),
                 oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Suspended", access_type="ObjectRead")}}))
    assert (change.kind, change.says) == ("update", "in place: access_type NoPublicAccess -> ObjectRead; versioning Enabled -> Suspended")
    assert change.accept is None


def test_a_force_new_argument_replaces_a_bucket_says_what_is_lost_and_needs_an_acknowledgement() -> None:
    protected = {"lifecycle": {"prevent_destroy": True}}
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket(**protected)}}),
                 oci({"oci_objectstorage_bucket": {"models": bucket(storage_tier="Archive", **protected)}}))
    assert change.line() == (
        "REPLACE      prod-oci  oci_objectstorage_bucket.models  storage_tier Standard -> Archive forces a new bucket: every object"
        " and version in it is deleted (OCI refuses to delete a bucket that still holds objects: the apply stops there until"
        " someone empties it) (prod-oci would refuse: prevent_destroy)"
    )
    assert change.accept == "replace:oci_objectstorage_bucket.models"


def test_a_replacement_follows_a_reference_to_a_replaced_resource_and_a_changed_name() -> None:
    old = oci({
        "oci_objectstorage_bucket": {"models": bucket()},
        "oci_objectstorage_object_lifecycle_policy": {"models": {"bucket": "${oci_objectstorage_bucket.models.name}", "namespace": "acme"}},
        "oci_logging_log_group": {"logs": {"compartment_id": COMPARTMENT, "display_name": "logs"}},
        "oci_logging_log": {"write": {"display_name": "w", "log_type": "SERVICE", "log_group_id": "${oci_logging_log_group.logs.id}",
                                      "configuration": {"source": {"category": "write", "resource": "${oci_objectstorage_bucket.models.name}",
                                                                   "service": "objectstorage", "source_type": "OCISERVICE"}}}},
    })
    new = copy.deepcopy(old)
    new["resource"]["oci_objectstorage_bucket"]["models"]["name"] = "models-v2"
    kinds = {c.address: (c.kind, c.says.split(":")[0]) for c in classify({"s-oci": old}, {"s-oci": new})}
    assert kinds == {
        "oci_objectstorage_bucket.models": ("replace", "name models -> models-v2 forces a new bucket"),
        "oci_objectstorage_object_lifecycle_policy.models": ("replace", "bucket models -> models-v2 forces a new lifecycle policy"),
        "oci_logging_log.write": ("replace", "configuration.source.resource models -> models-v2 forces a new log"),
    }


def test_a_reference_to_a_computed_attribute_of_a_replaced_resource_replaces_a_force_new_argument() -> None:
    old = oci({
        "oci_logging_log_group": {"logs": {"compartment_id": COMPARTMENT, "display_name": "logs"}},
        "oci_identity_policy": {"p": {"compartment_id": COMPARTMENT, "name": "p", "description": "d", "statements": ["Allow x"]}},
        "oci_objectstorage_replication_policy": {"r": {"bucket": "models", "destination_bucket_name": "b", "destination_region_name": "r",
                                                       "name": "${oci_identity_policy.p.id}", "namespace": "acme"}},
    })
    new = copy.deepcopy(old)
    new["resource"]["oci_identity_policy"]["p"]["name"] = "p2"
    said = {c.address: c.says for c in classify({"s-oci": old}, {"s-oci": new})}
    assert said["oci_objectstorage_replication_policy.r"] == (
        "name refers to oci_identity_policy.p, which is replaced: a new replication policy: destroyed, then created again")
    assert said["oci_identity_policy.p"].startswith("name p -> p2 forces a new policy: the old one is deleted first")


def test_a_wait_triggered_by_a_replaced_policy_is_replaced_and_waits_again() -> None:
    # A renamed environment renames its policies (name is ForceNew), and each wait names its policy's id.
    old = oci({
        "oci_identity_policy": {"p": {"compartment_id": COMPARTMENT, "name": "p", "description": "d", "statements": ["Allow x"]}},
        "time_sleep": {"p": {"create_duration": "30s", "triggers": {"oci_identity_policy.p": "${oci_identity_policy.p.id}"}}},
    })
    new = copy.deepcopy(old)
    new["resource"]["oci_identity_policy"]["p"]["name"] = "p2"
    said = {c.address: (c.kind, c.says) for c in classify({"s-oci": old}, {"s-oci": new})}
    assert said["time_sleep.p"] == (
        "replace", "triggers refers to oci_identity_policy.p, which is replaced: a new sleep: destroyed, then created again")


def test_a_removed_resource_is_destroyed_with_the_effect_the_provider_gives_it() -> None:
    log_group = {"compartment_id": COMPARTMENT, "display_name": "logs", "lifecycle": {"prevent_destroy": True}}
    change = one(oci({"oci_logging_log_group": {"logs": log_group}}), oci({}))
    assert change.line() == (
        "DESTROY      prod-oci  oci_logging_log_group.logs  destroyed: DeleteLogGroup, then polls while the group is DELETING until it"
        " is gone (no work-request wait); the provider does not delete the logs inside it first (prevent_destroy does not stop it:"
        " it went with the block)"
    )
    lost = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}), oci({}))
    assert (lost.kind, lost.accept) == ("destroy", "destroy:oci_objectstorage_bucket.models")


def test_an_optional_computed_argument_removed_changes_nothing_in_the_cloud_and_says_how_to_clear_it() -> None:
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}),
                 oci({"oci_objectstorage_bucket": {"models": bucket(freeform_tags=None)}}))
    assert change.line() == (
        'NO CHANGE    prod-oci  oci_objectstorage_bucket.models  in the cloud: freeform_tags removed from the config, but the cloud'
        ' keeps {"team": "ml"} (Optional+Computed: the plan changes nothing); clear them in the console or with the OCI CLI'
    )


def test_removing_every_lifecycle_rule_leaves_them_running() -> None:
    policy = {"bucket": "models", "namespace": "acme", "rules": [{"action": "DELETE", "is_enabled": True, "name": "d", "target": "objects",
                                                                  "time_amount": "30", "time_unit": "DAYS"}]}
    change = one(oci({"oci_objectstorage_object_lifecycle_policy": {"m": policy}}),
                 oci({"oci_objectstorage_object_lifecycle_policy": {"m": {**policy, "rules": None}}}))
    assert change.kind == "no_change_in_cloud"
    assert change.says.endswith("the lifecycle rules keep running: remove the whole lifecycle to delete the policy")


def test_an_argument_the_lifecycle_ignores_is_no_change() -> None:
    # A bucket's record of its first key (constructs/model_bucket.py): a new key in its input plans nothing.
    def record(key: str) -> Json:
        return {"terraform_data": {"models_vault_key": {"input": {"key": key}, "lifecycle": {"ignore_changes": ["input"]}}}}

    assert classify({"prod-oci": oci(record("ocid1.key.a"))}, {"prod-oci": oci(record("ocid1.key.b"))}) == []
    moved = {"terraform_data": {"models_vault_key": {"input": {"key": "ocid1.key.b"}}}}
    assert one(oci(record("ocid1.key.a")), oci(moved)).kind == "update"


def test_a_replica_removed_with_its_region_s_provider_says_terraform_will_refuse_and_what_to_run() -> None:
    region = {"oci": [{"region": "us-ashburn-1"}, {"alias": "us_phoenix_1", "region": "us-phoenix-1"}]}
    replica = {**bucket(name="models-dr"), "provider": "oci.us_phoenix_1"}
    policy = {"bucket": "models", "destination_bucket_name": "models-dr", "destination_region_name": "us-phoenix-1", "name": "r", "namespace": "acme"}
    old = oci({"oci_objectstorage_bucket": {"models": bucket(), "models_replica": replica}, "oci_objectstorage_replication_policy": {"models": policy}}, provider=region)
    new = oci({"oci_objectstorage_bucket": {"models": bucket()}}, provider={"oci": [{"region": "us-ashburn-1"}]})
    (warning,) = [c for c in classify({"prod-oci": old}, {"prod-oci": new}) if c.kind == "warning"]
    assert warning.says.startswith("Terraform will refuse this plan: the provider oci.us_phoenix_1 that destroys oci_objectstorage_bucket.models_replica")
    assert warning.says.endswith("terraform destroy -target=oci_objectstorage_bucket.models_replica (docs/oci.md, replication)")
    # With the provider kept (another replica in that region), nothing to warn about.
    assert not [c for c in classify({"prod-oci": old}, {"prod-oci": {**new, "provider": region}}) if c.kind == "warning"]


def test_a_diff_the_provider_suppresses_is_no_change() -> None:
    policy = {"bucket": "models", "namespace": "acme", "rules": [{"action": "DELETE", "name": "d", "time_amount": "30", "time_unit": "DAYS"}]}
    numeric = copy.deepcopy(policy)
    numeric["rules"][0]["time_amount"] = 30
    repository = {"format": "DOCKER", "location": "us", "repository_id": "models"}
    assert classify({"s-oci": oci({"oci_objectstorage_object_lifecycle_policy": {"m": policy},
                                   "google_artifact_registry_repository": {"r": repository}})},
                    {"s-oci": oci({"oci_objectstorage_object_lifecycle_policy": {"m": numeric},
                                   "google_artifact_registry_repository": {"r": {**repository, "format": "docker"}}})}) == []


# Nested blocks, by the conventions of the facts


def repository(**changes: Any) -> Json:
    body: Json = {"format": "DOCKER", "location": "us-central1", "project": "acme", "repository_id": "models"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def gcp(resources: Json, **sections: Any) -> Json:
    return {"resource": resources, **sections}


def test_adding_a_force_new_block_replaces_and_a_change_inside_it_follows_its_own_attribute() -> None:
    remote = {"docker_repository": {"public_repository": "DOCKER_HUB"}, "disable_upstream_validation": False}
    plain = gcp({"google_artifact_registry_repository": {"r": repository(mode="REMOTE_REPOSITORY")}})
    with_remote = gcp({"google_artifact_registry_repository": {"r": repository(mode="REMOTE_REPOSITORY", remote_repository_config=remote)}})
    assert one(plain, with_remote, "p-gcp").says.startswith("remote_repository_config (none) -> ")
    noop = copy.deepcopy(with_remote)
    noop["resource"]["google_artifact_registry_repository"]["r"]["remote_repository_config"]["disable_upstream_validation"] = True
    assert one(with_remote, noop, "p-gcp").says == (
        "in the cloud: remote_repository_config.disable_upstream_validation false -> true shows as an update that sends nothing (state only)")


def test_a_force_new_attribute_inside_a_block_replaces_and_a_default_is_planned_when_absent() -> None:
    maven = gcp({"google_artifact_registry_repository": {"r": repository(format="MAVEN", maven_config={"version_policy": "RELEASE"})}})
    snapshot = copy.deepcopy(maven)
    snapshot["resource"]["google_artifact_registry_repository"]["r"]["maven_config"]["version_policy"] = "SNAPSHOT"
    assert one(maven, snapshot, "p-gcp").says.startswith("maven_config.version_policy RELEASE -> SNAPSHOT forces a new repository")
    remote = gcp({"google_artifact_registry_repository": {"r": repository(mode="REMOTE_REPOSITORY")}})
    assert one(remote, gcp({"google_artifact_registry_repository": {"r": repository()}}), "p-gcp").says.startswith(
        "mode REMOTE_REPOSITORY -> STANDARD_REPOSITORY forces a new repository")
    # The default, now written out, was already planned.
    assert classify({"p-gcp": gcp({"google_artifact_registry_repository": {"r": repository()}})},
                    {"p-gcp": gcp({"google_artifact_registry_repository": {"r": repository(mode="STANDARD_REPOSITORY")}})}) == []


def test_a_set_of_blocks_in_another_order_is_no_change_and_a_changed_element_updates_in_place() -> None:
    policies = [{"id": "a", "action": "DELETE", "condition": {"older_than": "2592000s"}}, {"id": "b", "action": "KEEP"}]
    before = gcp({"google_artifact_registry_repository": {"r": repository(cleanup_policies=policies)}})
    reordered = gcp({"google_artifact_registry_repository": {"r": repository(cleanup_policies=policies[::-1])}})
    assert classify({"p-gcp": before}, {"p-gcp": reordered}) == []
    longer = copy.deepcopy(before)
    longer["resource"]["google_artifact_registry_repository"]["r"]["cleanup_policies"][0]["condition"]["older_than"] = "7776000s"
    assert one(before, longer, "p-gcp").says == "in place: cleanup_policies.condition.older_than 2592000s -> 7776000s"


def test_an_optional_computed_argument_now_set_says_the_cloud_may_already_hold_it() -> None:
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket(storage_tier=None)}}),
                 oci({"oci_objectstorage_bucket": {"models": bucket()}}))
    assert (change.kind, change.says) == ("update", "in place: storage_tier now set to Standard (was left to the cloud): no change if"
                                                    " the cloud holds that, otherwise it forces a new bucket")


# IAM


def iam_stack(bindings: list[Json] | None, **resources: Json) -> Json:
    data = {"google_iam_policy": {"models": {"binding": bindings}}} if bindings is not None else {}
    policy = {"models": {"policy_data": "${data.google_iam_policy.models.policy_data}", "repository": "models"}}
    return gcp({"google_artifact_registry_repository_iam_policy": policy, **resources} if bindings is not None else resources, data=data)


READERS = {"role": "roles/artifactregistry.reader", "members": ["serviceAccount:a@p.iam.gserviceaccount.com", "group:b@acme.example"]}


def test_members_removed_from_an_authoritative_policy_are_said() -> None:
    change = one(iam_stack([READERS]), iam_stack([{**READERS, "members": ["group:b@acme.example"]}]), "p-gcp")
    assert change.line() == (
        "IAM REWRITE  p-gcp  google_artifact_registry_repository_iam_policy.models  the authoritative policy on models is rewritten"
        " whole: roles/artifactregistry.reader: serviceAccount:a@p.iam.gserviceaccount.com removed (and any grant made outside Terraform)"
    )
    assert change.accept is None


def test_an_authoritative_policy_emptied_or_destroyed_needs_an_acknowledgement_and_one_forgotten_keeps_its_bindings() -> None:
    assert one(iam_stack([READERS]), iam_stack([]), "p-gcp").accept == "empty:google_artifact_registry_repository_iam_policy.models"
    destroyed = one(iam_stack([READERS]), iam_stack(None), "p-gcp")
    assert destroyed.says.startswith("destroyed: deleting an authoritative policy writes an EMPTY policy on models")
    assert destroyed.accept == "empty:google_artifact_registry_repository_iam_policy.models"
    forgotten = iam_stack(None)
    forgotten["removed"] = [{"from": "google_artifact_registry_repository_iam_policy.models", "lifecycle": {"destroy": False}}]
    kept = one(iam_stack([READERS]), forgotten, "p-gcp")
    assert (kept.kind, kept.accept) == ("iam_rewrite", None)
    assert kept.says == ("forgotten, kept in the cloud: the authoritative policy keeps its bindings (roles/artifactregistry.reader:"
                         " group:b@acme.example, serviceAccount:a@p.iam.gserviceaccount.com), no longer managed; remove unwanted members by hand")


def test_an_authoritative_policy_created_replaces_every_grant() -> None:
    change = one(iam_stack(None), iam_stack([READERS]), "p-gcp")
    assert change.says.startswith("created: the authoritative policy replaces every grant on models with roles/artifactregistry.reader:")


def test_a_member_removed_loses_its_role() -> None:
    member = {"member": "serviceAccount:a@p.iam.gserviceaccount.com", "repository": "models", "role": "roles/artifactregistry.reader"}
    change = one(gcp({"google_artifact_registry_repository_iam_member": {"m": member}}), gcp({}), "p-gcp")
    assert change.says == "destroyed: serviceAccount:a@p.iam.gserviceaccount.com loses roles/artifactregistry.reader on models"


def test_oci_statements_removed_end_their_grants_and_a_key_policy_a_bucket_still_uses_needs_an_acknowledgement() -> None:
    access = {"compartment_id": COMPARTMENT, "name": "access", "description": "d",
              "statements": [f"Allow group Readers to read objects in compartment id {COMPARTMENT}",
                             f"Allow group Writers to manage objects in compartment id {COMPARTMENT}"]}
    key_policy = {"compartment_id": COMPARTMENT, "name": "key", "description": "d",
                  "statements": [f"Allow service objectstorage-us-ashburn-1 to use keys in compartment id {COMPARTMENT} where target.key.id = '{KEY}'"]}
    old = oci({"oci_identity_policy": {"access": access, "key": key_policy}, "oci_objectstorage_bucket": {"models": bucket(kms_key_id=KEY)}})
    new = oci({"oci_identity_policy": {"access": {**access, "statements": access["statements"][:1]}},
               "oci_objectstorage_bucket": {"models": bucket()}})
    said = {c.address: c for c in classify({"prod-oci": old}, {"prod-oci": new})}
    assert said["oci_identity_policy.access"].says == "1 statement removed, those grants end: Allow group Writers to manage objects"
    assert said["oci_identity_policy.key"].says == (
        "destroyed: its 1 statement is revoked; oci_objectstorage_bucket.models still uses the key: Object Storage loses access"
        " to it, so reads and writes of the bucket fail")
    assert said["oci_identity_policy.key"].accept == "destroy:oci_identity_policy.key"
    assert said["oci_objectstorage_bucket.models"].kind == "no_change_in_cloud"


# Terraform's own blocks: import, moved, removed


def test_an_import_adopts_a_moved_block_moves_and_a_removed_block_forgets() -> None:
    old = oci({"oci_objectstorage_bucket": {"models": bucket()}, "oci_logging_log_group": {"logs": {"compartment_id": COMPARTMENT}}})
    new = oci({"oci_objectstorage_bucket": {"models-renamed": bucket(), "data": bucket(name="data")}},
              moved=[{"from": "oci_objectstorage_bucket.models", "to": "oci_objectstorage_bucket.models-renamed"}],
              removed=[{"from": "oci_logging_log_group.logs", "lifecycle": {"destroy": False}}],
              **{"import": [{"id": "n/acme/b/data", "to": "oci_objectstorage_bucket.data"}]})
    assert review_lines({"prod-oci": old}, {"prod-oci": new}) == [
        "FORGET       prod-oci  oci_logging_log_group.logs  forgotten, kept in the cloud: the log group stays as it is, no longer managed",
        "IMPORT       prod-oci  oci_objectstorage_bucket.data  adopts the existing bucket (n/acme/b/data) instead of creating it;"
        " what differs from the config is changed in the same apply",
        "MOVE         prod-oci  oci_objectstorage_bucket.models-renamed  moved from oci_objectstorage_bucket.models: the same object"
        " in the cloud, under a new address",
    ]


# What moves the state: config-level changes


def test_a_renamed_environment_a_backend_change_and_a_stack_no_longer_built_are_said_first() -> None:
    stack = oci({"oci_objectstorage_bucket": {"models": bucket()}})
    elsewhere = {**stack, "terraform": {"backend": {"local": {"path": "state/acme-2/dev-oci.tfstate"}}}}
    renamed = {**stack, "terraform": {"backend": {"local": {"path": "state/acme/production-oci.tfstate"}}}}
    gcp_stack = gcp({"google_artifact_registry_repository": {"r": repository()}})
    lines = review_lines({"prod-oci": stack, "dev-oci": stack, "test-gcp": gcp_stack},
                         {"production-oci": renamed, "dev-oci": elsewhere,
                          "staging-gcp": gcp({"google_artifact_registry_repository": {"other": repository(repository_id="other")}})})
    assert lines[:3] == [
        "STATE MOVES  dev-oci  its state moves from local file state/acme/prod-oci.tfstate to local file state/acme-2/dev-oci.tfstate"
        " (a renamed app, or another backend): Terraform starts there from an"
        " empty state and plans every resource as new; copy the state first with `terraform init -migrate-state` in"
        " cdktf.out/stacks/dev-oci",
        "STATE MOVES  prod-oci -> production-oci  a renamed environment is a new stack with a new state (local file"
        " state/acme/production-oci.tfstate): its first plan creates its 1 resources again beside those prod-oci's"
        " state holds: the apply makes again what is named after the environment (OCI policies and log groups), then stops"
        " at what must be unique (buckets, repositories); move the state first (before the synth that renames it,"
        " `terraform state pull > prod-oci.tfstate` in cdktf.out/stacks/prod-oci; after it, `terraform state push"
        " prod-oci.tfstate` in cdktf.out/stacks/production-oci); the lines below assume it moved",
        "STATE MOVES  test-gcp  no longer synthesized: nothing destroys its 1 resources, which its state still holds; destroy them"
        " with `cdktf destroy test-gcp` from the commit before, or keep them",
    ]
    assert lines[3:] == ["CREATE       staging-gcp  google_artifact_registry_repository.other  a new repository"]


def test_a_change_of_terraform_settings_alone_is_said_and_one_of_depends_on_alone_is_not() -> None:
    protected = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}),
                    oci({"oci_objectstorage_bucket": {"models": bucket(lifecycle={"prevent_destroy": True})}}))
    assert protected.says == 'in the cloud: only Terraform\'s own settings change (lifecycle (none) -> {"prevent_destroy": true})'
    assert classify({"p-oci": oci({"oci_objectstorage_bucket": {"models": bucket(depends_on=["a.b"])}})},
                    {"p-oci": oci({"oci_objectstorage_bucket": {"models": bucket()}})}) == []


def test_the_most_dangerous_change_comes_first() -> None:
    old = oci({"oci_objectstorage_bucket": {"models": bucket(), "logs": bucket(name="logs")},
               "oci_logging_log_group": {"g": {"compartment_id": COMPARTMENT}}})
    new = oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Suspended"), "logs": bucket(name="logs", storage_tier="Archive"),
                                            "new": bucket(name="new")}})
    assert [c.kind for c in classify({"p-oci": old}, {"p-oci": new})] == ["replace", "destroy", "update", "create"]


def test_json_has_one_object_per_resource_with_the_same_classification() -> None:
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}), oci({}))
    assert change.as_json() == {
        "class": "destroy", "label": "DESTROY", "stack": "prod-oci", "address": "oci_objectstorage_bucket.models",
        "says": change.says, "needs_accept": "destroy:oci_objectstorage_bucket.models", "prevent_destroy_refuses": False,
    }


# What only the baseline answers (issue 20, item 3)


def test_versioning_suspended_on_a_bucket_neither_in_the_baseline_nor_adopted_is_refused() -> None:
    refused = one(oci({}), oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Suspended")}}))
    assert refused.line() == (
        "REFUSED      prod-oci  oci_objectstorage_bucket.models  versioning Suspended on a bucket that is neither in the reviewed"
        " snapshots nor adopted: OCI creates a bucket only with Enabled or Disabled; write versioning: disabled (or enabled), or"
        " adopt the bucket if it exists"
    )
    assert one(oci({"oci_objectstorage_bucket": {"models": bucket()}}),
               oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Suspended")}})).kind == "update"
    adopted = oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Suspended")}},
                  **{"import": [{"id": "n/acme/b/models", "to": "oci_objectstorage_bucket.models"}]})
    assert one(oci({}), adopted).kind == "import"


def test_adopting_a_bucket_with_versioning_disabled_warns() -> None:
    adopted = oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Disabled")}},
                  **{"import": [{"id": "n/acme/b/models", "to": "oci_objectstorage_bucket.models"}]})
    assert one(oci({}), adopted).line() == (
        "WARNING      prod-oci  oci_objectstorage_bucket.models  adopts the existing bucket (n/acme/b/models) instead of creating it,"
        " with versioning Disabled: a bucket that was ever versioned cannot go back to Disabled (OCI takes only Suspended then), so"
        " the apply fails if this one was; write versioning: suspended for it"
    )


def test_a_key_added_to_an_existing_bucket_leaves_its_objects_under_the_old_key_until_reencrypted() -> None:
    change = one(oci({"oci_objectstorage_bucket": {"models": bucket()}}),
                 oci({"oci_objectstorage_bucket": {"models": bucket(kms_key_id=KEY)}}))
    assert change.says == (
        f"in place: kms_key_id now set to {KEY} (was left to the cloud): no change if the cloud holds that, otherwise it is"
        " changed; objects already in the bucket stay encrypted with the key they were written with until"
        " `oci os bucket reencrypt --bucket-name models`"
    )


def test_destroying_project_wide_objects_says_who_else_loses_them() -> None:
    service = {"project": "acme", "service": "containerscanning.googleapis.com"}
    audit = {"project": "acme", "service": "artifactregistry.googleapis.com", "audit_log_config": [{"log_type": "DATA_READ"}]}
    old = gcp({"google_project_service": {"s": service, "kept": {**service, "disable_on_destroy": False}},
               "google_project_iam_audit_config": {"a": audit}})
    assert review_lines({"p-gcp": old}, {"p-gcp": gcp({})}) == [
        "DESTROY      p-gcp  google_project_iam_audit_config.a  destroyed: the Data Access audit logs of"
        " artifactregistry.googleapis.com in project acme are turned off (every audit config of that service, whoever set it)",
        "DESTROY      p-gcp  google_project_service.kept  destroyed: containerscanning.googleapis.com is only forgotten"
        " (disable_on_destroy = false)",
        "DESTROY      p-gcp  google_project_service.s  destroyed: containerscanning.googleapis.com is disabled in project acme"
        " (disable_on_destroy defaults to true), for every user of it, even if Terraform did not enable it",
    ]


def test_a_retention_lock_added_is_listed_as_permanent_once_and_first() -> None:
    rule = {"display_name": "retain-365-days", "duration": {"time_amount": "365", "time_unit": "DAYS"}}
    locked = {**rule, "time_rule_locked": '${timeadd(terraform_data.models_retention_lock.output["planned_at"], "337h")}'}
    lock = {"terraform_data": {"models_retention_lock": {"input": {"planned_at": "${plantimestamp()}"}}}}
    unlocked_stack = oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Disabled", retention_rules=[rule])}})
    locked_stack = oci({"oci_objectstorage_bucket": {"models": bucket(versioning="Disabled", retention_rules=[locked])}, **lock})
    changes = classify({"prod-oci": unlocked_stack}, {"prod-oci": locked_stack})
    assert [change.kind for change in changes] == ["permanent", "update", "create"]
    assert changes[0].line() == (
        "PERMANENT    prod-oci  oci_objectstorage_bucket.models  retention rule retain-365-days gets a lock (time_rule_locked"
        " ${timeadd(terraform_data.models_retention_lock.output[\"planned_at\"], \"337h\")}): once that time passes the rule"
        " can never be undone, not shortened, not removed, by anyone, Oracle included, until the bucket is deleted, empty; before"
        " it, removing lock_after_days cancels the lock"
    )
    # A new bucket with a lock says it too; a lock already reviewed is not said again.
    assert [change.kind for change in classify({"prod-oci": oci({})}, {"prod-oci": locked_stack})] == ["permanent", "create", "create"]
    assert classify({"prod-oci": locked_stack}, {"prod-oci": copy.deepcopy(locked_stack)}) == []
