"""ModelBucket: a private, versioned OCI Object Storage bucket for ML models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cdktf import TerraformResourceLifecycle, TerraformStack
from constructs import Construct

from bindings.oci import (
    IdentityPolicy,
    ObjectstorageBucket,
    ObjectstorageBucketRetentionRules,
    ObjectstorageBucketRetentionRulesDuration,
    ObjectstorageObjectLifecyclePolicy,
    ObjectstorageObjectLifecyclePolicyRules,
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter,
)
from constructs import object_storage_rules as rules
from constructs.import_block import ImportBlock
from constructs.rules import Checker, Problem, duplicates, short_hash


@dataclass(frozen=True)
class PreviousVersionsProps:
    """Rules for non-current versions of objects (needs versioning). None: no rule."""

    archive_after_days: int | None = None
    delete_after_days: int | None = None


@dataclass(frozen=True)
class LifecycleProps:
    """The bucket's object lifecycle, all in one policy. None fields make no rule.

    `prefixes` limit the rules on current objects (ARCHIVE, DELETE) to those name
    prefixes; previous-version and multipart rules apply to the whole bucket.
    """

    archive_after_days: int | None = None
    delete_after_days: int | None = None
    previous_versions: PreviousVersionsProps | None = None
    abort_multipart_uploads_after_days: int | None = None
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessProps:
    """IAM groups granted the bucket's objects: readers read, writers manage."""

    readers: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelBucketProps:
    """Everything a ModelBucket needs; names follow the provider's arguments.

    Defaults: private (`NoPublicAccess`, always: there is no prop to change it),
    Standard tier, versioning on, object events on, an Oracle-managed key
    (`kms_key_id` None), no auto-tiering, no retention rule, no lifecycle, the
    lifecycle service policy created when there is a lifecycle
    (`service_policy`), no access policy, `prevent_destroy` on, `adopt` off (True
    emits `import` blocks for the bucket and its lifecycle policy, so existing ones
    are taken over, not created).
    `namespace` may be a literal or a reference (e.g. the namespace data source).
    """

    compartment_id: str
    region: str
    name: str
    namespace: str
    policy_prefix: str
    storage_tier: Literal["Standard", "Archive"] = "Standard"
    versioning: bool = True
    auto_tiering: bool = False
    kms_key_id: str | None = None
    object_events_enabled: bool = True
    freeform_tags: Mapping[str, str] = field(default_factory=dict)
    retention_days: int | None = None
    lifecycle: LifecycleProps | None = None
    service_policy: bool = True
    access: AccessProps | None = None
    prevent_destroy: bool = True
    adopt: bool = False


def check_props(props: ModelBucketProps) -> Checker:
    """Every rule of PROVIDER_NOTES a bucket's props can break, collected."""
    check = Checker()
    check.add("compartment_id", props.compartment_id, rules.check_compartment_id(props.compartment_id))
    check.add("region", props.region, rules.check_region(props.region))
    check.add("name", props.name, rules.check_bucket_name(props.name))
    if props.kms_key_id is not None:
        check.add("kms_key_id", props.kms_key_id, rules.check_key_id(props.kms_key_id))
    for key, value in props.freeform_tags.items():
        check.add(f"freeform_tags.{key}", key, rules.check_tag_key(key))
        check.add(f"freeform_tags.{key}", value, rules.check_tag_value(value))
    if props.auto_tiering:
        check.add("auto_tiering", True, rules.check_standard_tier(props.storage_tier))
    if props.retention_days is not None:
        check.add("retention_days", props.retention_days, rules.check_days(props.retention_days))
        check.add("retention_days", props.retention_days, rules.check_retention_without_versioning(props.versioning))
    if props.lifecycle is not None:
        lifecycle = props.lifecycle
        previous = lifecycle.previous_versions or PreviousVersionsProps()
        for days_field, days in (
            ("archive_after_days", lifecycle.archive_after_days),
            ("delete_after_days", lifecycle.delete_after_days),
            ("previous_versions.archive_after_days", previous.archive_after_days),
            ("previous_versions.delete_after_days", previous.delete_after_days),
            ("abort_multipart_uploads_after_days", lifecycle.abort_multipart_uploads_after_days),
        ):
            if days is not None:
                check.add(f"lifecycle.{days_field}", days, rules.check_days(days))
        for path, got, problem in rules.lifecycle_problems(
            archive_after_days=lifecycle.archive_after_days,
            delete_after_days=lifecycle.delete_after_days,
            previous_versions=(previous.archive_after_days, previous.delete_after_days),
            abort_multipart_uploads_after_days=lifecycle.abort_multipart_uploads_after_days,
            prefixes=lifecycle.prefixes,
            versioning=props.versioning,
            storage_tier=props.storage_tier,
        ):
            check.add(f"lifecycle.{path}" if path else "lifecycle", got, problem)
    if props.access is not None:
        for role in ("readers", "writers"):
            groups: tuple[str, ...] = getattr(props.access, role)
            for index, group in enumerate(groups):
                check.add(f"access.{role}[{index}]", group, rules.check_group(group))
            for group in duplicates(groups):
                check.add(f"access.{role}", group, Problem("group listed twice", "list each group once"))
    return check


class ModelBucket(Construct):
    """A private, versioned bucket for model files, with its one lifecycle policy and
    the IAM policies that lifecycle and access need.

    Terraform addresses derive from `id_`: the bucket is `oci_objectstorage_bucket.<id_>`.
    """

    def __init__(self, scope: Construct, id_: str, *, props: ModelBucketProps) -> None:
        check_props(props).raise_if_any(f"ModelBucket {id_!r}")
        super().__init__(scope, id_)
        self.props = props
        self.bucket_name = props.name

        self.resource = ObjectstorageBucket(
            self,
            "bucket",
            compartment_id=props.compartment_id,
            name=props.name,
            namespace=props.namespace,
            access_type="NoPublicAccess",
            storage_tier=props.storage_tier,
            versioning="Enabled" if props.versioning else "Disabled",
            auto_tiering="InfrequentAccess" if props.auto_tiering else "Disabled",
            kms_key_id=props.kms_key_id,
            object_events_enabled=props.object_events_enabled,
            freeform_tags=dict(props.freeform_tags) or None,
            retention_rules=_retention_rules(props.retention_days),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None,
        )
        self.resource.override_logical_id(id_)
        if props.adopt:
            ImportBlock(self, "import", resource=self.resource, import_id=rules.bucket_import_id(props.namespace, props.name))
        self.namespace = self.resource.namespace
        self.bucket_id = self.resource.bucket_id

        self.lifecycle_policy: ObjectstorageObjectLifecyclePolicy | None = None
        if props.lifecycle is not None:
            service_policy = self._service_policy() if props.service_policy else None
            self.lifecycle_policy = ObjectstorageObjectLifecyclePolicy(
                self,
                "lifecycle",
                bucket=self.resource.name,
                namespace=self.resource.namespace,
                rules=_lifecycle_rules(props.lifecycle),
                # Without the service's permission, apply fails with InsufficientServicePermissions.
                depends_on=[service_policy] if service_policy else None,
            )
            self.lifecycle_policy.override_logical_id(id_)
            if props.adopt:
                ImportBlock(
                    self, "import-lifecycle", resource=self.lifecycle_policy,
                    import_id=rules.lifecycle_import_id(props.namespace, props.name),
                )

        self.access_policy: IdentityPolicy | None = None
        if props.access is not None and (props.access.readers or props.access.writers):
            self.access_policy = IdentityPolicy(
                self,
                "access",
                compartment_id=props.compartment_id,
                name=rules.policy_name(props.policy_prefix, props.name, "access"),
                description=f"Access to the objects of bucket {props.name}",
                statements=self._access_statements(props.access),
            )
            self.access_policy.override_logical_id(f"{id_}_access")

    def _access_statements(self, access: AccessProps) -> list[str]:
        return [
            rules.bucket_access_statement(group, verb, self.props.compartment_id, self.props.name)
            for verb, groups in (("read", access.readers), ("manage", access.writers))
            for group in groups
        ]

    def _service_policy(self) -> IdentityPolicy:
        """The lifecycle service permission, once per stack and compartment: it is not per bucket."""
        stack = TerraformStack.of(self)
        # The compartment is in the name and address: policy names are unique per tenancy.
        suffix = short_hash(self.props.compartment_id)
        existing = stack.node.try_find_child(f"lifecycle-service-{suffix}")
        if isinstance(existing, IdentityPolicy):
            return existing
        policy = IdentityPolicy(
            stack,
            f"lifecycle-service-{suffix}",
            compartment_id=self.props.compartment_id,
            name=rules.policy_name(self.props.policy_prefix, "objectstorage-lifecycle", suffix),
            description="Lets Object Storage run lifecycle rules (archive, delete) in this compartment",
            statements=[rules.lifecycle_service_statement(self.props.region, self.props.compartment_id)],
        )
        policy.override_logical_id(f"objectstorage_lifecycle_service_{suffix}")
        return policy


def _retention_rules(days: int | None) -> list[ObjectstorageBucketRetentionRules] | None:
    if days is None:
        return None
    # Never time_rule_locked: locking a retention rule cannot be undone.
    return [
        ObjectstorageBucketRetentionRules(
            display_name=f"retain-{days}-days",
            duration=ObjectstorageBucketRetentionRulesDuration(time_amount=str(days), time_unit="DAYS"),
        )
    ]


def _lifecycle_rules(lifecycle: LifecycleProps) -> list[ObjectstorageObjectLifecyclePolicyRules]:
    """Every rule of the bucket, in a fixed order; time_amount is a string, as the provider wants."""
    name_filter = (
        ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(inclusion_prefixes=list(lifecycle.prefixes))
        if lifecycle.prefixes
        else None
    )
    previous = lifecycle.previous_versions or PreviousVersionsProps()
    wanted = [
        ("archive-objects", "ARCHIVE", "objects", lifecycle.archive_after_days, name_filter),
        ("delete-objects", "DELETE", "objects", lifecycle.delete_after_days, name_filter),
        ("archive-previous-versions", "ARCHIVE", "previous-object-versions", previous.archive_after_days, None),
        ("delete-previous-versions", "DELETE", "previous-object-versions", previous.delete_after_days, None),
        # ABORT applies to multipart uploads only, and never with a name filter.
        ("abort-multipart-uploads", "ABORT", "multipart-uploads", lifecycle.abort_multipart_uploads_after_days, None),
    ]
    return [
        ObjectstorageObjectLifecyclePolicyRules(
            name=name,
            action=action,
            target=target,
            is_enabled=True,
            time_amount=str(days),
            time_unit="DAYS",
            object_name_filter=name_filter_for_rule,
        )
        for name, action, target, days, name_filter_for_rule in wanted
        if days is not None
    ]
