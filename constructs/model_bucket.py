"""ModelBucket: a private, versioned OCI Object Storage bucket for ML models."""

from __future__ import annotations

from bindings.oci import (
    IdentityPolicy,
    ObjectstorageBucket,
    ObjectstorageBucketRetentionRules,
    ObjectstorageBucketRetentionRulesDuration,
    ObjectstorageObjectLifecyclePolicy,
    ObjectstorageObjectLifecyclePolicyRules,
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter,
)
from constructs import Construct
from constructs.import_block import ImportBlock
from engine import TerraformProvider, TerraformResourceLifecycle, TerraformStack
from rules import oci as rules
from rules.problems import short_hash
from rules.terraform import literal
from specs.bucket import BucketSpec, LifecycleSpec


class ModelBucket(Construct):
    """A private, versioned bucket for model files, with its one lifecycle policy and
    the IAM policies that lifecycle, its key and its access need.

    Takes the user's choices as a validated `spec`, plus what only the stack knows:
    the `compartment_id` and `region`, the Object Storage `namespace` (a literal or a
    reference, e.g. the namespace data source), the `policy_prefix` of IAM policy
    names, the `iam_provider` that writes IAM (OCI writes it only in the tenancy's home
    region; None: the stack's default provider), and `prevent_destroy` (default true:
    Terraform refuses to destroy the bucket and the models in it).

    Terraform addresses derive from `id_`: the bucket is `oci_objectstorage_bucket.<id_>`.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        spec: BucketSpec,
        compartment_id: str,
        region: str,
        namespace: str,
        policy_prefix: str,
        iam_provider: TerraformProvider | None = None,
        prevent_destroy: bool = True,
    ) -> None:
        super().__init__(scope, id_)
        self.spec = spec
        self.compartment_id = compartment_id
        self.region = region
        self.policy_prefix = policy_prefix
        self.iam_provider = iam_provider
        self.bucket_name = spec.name

        # Object Storage must be allowed to use the key before the bucket, or its lifecycle
        # and retention rules, can be made (404 NotAuthorizedOrFoundKmsKey).
        self.key_policy = self._key_policy(spec.kms_key_id, spec.key_compartment_id or compartment_id) if spec.kms_key_id else None
        self.resource = ObjectstorageBucket(
            self,
            "bucket",
            compartment_id=compartment_id,
            name=spec.name,
            namespace=namespace,
            access_type="NoPublicAccess",
            storage_tier=spec.storage_tier,
            versioning=spec.versioning.capitalize(),
            auto_tiering="InfrequentAccess" if spec.auto_tiering else "Disabled",
            kms_key_id=spec.kms_key_id,
            object_events_enabled=spec.object_events,
            freeform_tags={literal(key): literal(value) for key, value in spec.tags.items()} or None,
            defined_tags={literal(key): literal(value) for key, value in spec.defined_tags.items()} or None,
            retention_rules=_retention_rules(spec.retention_days),
            depends_on=[self.key_policy] if self.key_policy else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None,
        )
        self.resource.override_logical_id(id_)
        if spec.adopt:
            ImportBlock(self, "import", resource=self.resource, import_id=rules.bucket_import_id(namespace, spec.name))
        self.namespace = self.resource.namespace
        self.bucket_id = self.resource.bucket_id

        self.lifecycle_policy: ObjectstorageObjectLifecyclePolicy | None = None
        if spec.lifecycle is not None:
            # Without the service's permission, apply fails with InsufficientServicePermissions.
            needed = [p for p in (self._service_policy() if spec.service_policy else None, self.key_policy) if p is not None]
            self.lifecycle_policy = ObjectstorageObjectLifecyclePolicy(
                self,
                "lifecycle",
                bucket=self.resource.name,
                namespace=self.resource.namespace,
                rules=_lifecycle_rules(spec.lifecycle),
                depends_on=needed or None,
            )
            self.lifecycle_policy.override_logical_id(id_)
            if spec.adopt:
                ImportBlock(
                    self,
                    "import-lifecycle",
                    resource=self.lifecycle_policy,
                    import_id=rules.lifecycle_import_id(namespace, spec.name),
                )

        self.access_policy: IdentityPolicy | None = None
        if spec.access is not None and spec.access.grants():
            self.access_policy = IdentityPolicy(
                self,
                "access",
                compartment_id=compartment_id,
                name=rules.policy_name(policy_prefix, spec.name, "access"),
                description=f"Access to the objects of bucket {spec.name}",
                statements=[
                    statement
                    for role, group in spec.access.grants()
                    for statement in rules.bucket_access_statements(role, group, compartment_id, spec.name)
                ],
                provider=iam_provider,
            )
            self.access_policy.override_logical_id(f"{id_}_access")

    def _service_policy(self) -> IdentityPolicy:
        """The lifecycle service permission, once per stack and compartment: it is not per bucket."""
        return self._shared_policy(
            "lifecycle-service",
            "objectstorage_lifecycle_service",
            "objectstorage-lifecycle",
            self.compartment_id,
            compartment_id=self.compartment_id,
            description="Lets Object Storage run lifecycle rules (archive, delete) in this compartment",
            statement=rules.lifecycle_service_statement(self.region, self.compartment_id),
        )

    def _key_policy(self, key_id: str, key_compartment_id: str) -> IdentityPolicy:
        """Object Storage's use of a Vault key, once per stack and key: buckets sharing a key share it."""
        return self._shared_policy(
            "key-service",
            "objectstorage_key_service",
            "objectstorage-key",
            key_id,
            compartment_id=key_compartment_id,
            description="Lets Object Storage encrypt and decrypt buckets with this Vault key",
            statement=rules.key_service_statement(self.region, key_compartment_id, key_id),
        )

    def _shared_policy(
        self, id_: str, address: str, name: str, of: str, *, compartment_id: str, description: str, statement: str
    ) -> IdentityPolicy:
        """A policy of the stack for `of`, made by the first bucket that needs it. Its address
        and its name hold a hash of `of`: policy names are unique per tenancy."""
        stack = TerraformStack.of(self)
        suffix = short_hash(of)
        existing = stack.node.try_find_child(f"{id_}-{suffix}")
        if isinstance(existing, IdentityPolicy):
            return existing
        policy = IdentityPolicy(
            stack,
            f"{id_}-{suffix}",
            compartment_id=compartment_id,
            name=rules.policy_name(self.policy_prefix, name, suffix),
            description=description,
            statements=[statement],
            provider=self.iam_provider,
        )
        policy.override_logical_id(f"{address}_{suffix}")
        return policy

    def output_values(self) -> dict[str, str]:
        """What a pipeline needs of this bucket, by name: the stack's outputs `<bucket>_<name>`
        and the fields of its `buckets` output. `name`, `namespace`, `bucket_id` (its OCID),
        `region`, and `endpoint`: the region's Object Storage API endpoint, in its realm's domain."""
        return {
            "name": self.bucket_name,
            "namespace": self.namespace,
            "bucket_id": self.bucket_id,
            "region": self.region,
            "endpoint": rules.object_storage_endpoint(self.region),
        }


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


def _lifecycle_rules(lifecycle: LifecycleSpec) -> list[ObjectstorageObjectLifecyclePolicyRules]:
    """Every rule of the bucket, in a fixed order; time_amount is a string, as the provider wants."""
    name_filter = (
        ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(inclusion_prefixes=[literal(p) for p in lifecycle.prefixes])
        if lifecycle.prefixes
        else None
    )
    previous = lifecycle.previous
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
