"""ModelBucket: a private, versioned OCI Object Storage bucket for ML models."""

from __future__ import annotations

from bindings.oci import (
    IdentityPolicy,
    LoggingLog,
    LoggingLogConfiguration,
    LoggingLogConfigurationSource,
    LoggingLogGroup,
    ObjectstorageBucket,
    ObjectstorageBucketRetentionRules,
    ObjectstorageBucketRetentionRulesDuration,
    ObjectstorageObjectLifecyclePolicy,
    ObjectstorageObjectLifecyclePolicyRules,
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter,
    ObjectstorageReplicationPolicy,
)
from bindings.time import Sleep
from constructs import Construct
from constructs.propagation_wait import PropagationWait
from constructs.shared import one_per_stack
from engine import Fn, Postcondition, TerraformProvider, TerraformResourceLifecycle, TerraformStack, Token
from engine.elements import ImportBlock, TerraformData
from rules import oci as rules
from rules.problems import short_hash
from rules.terraform import literal
from specs import outputs
from specs.bucket import BucketSpec, LifecycleSpec, ReplicationSpec, RetentionSpec


class ModelBucket(Construct):
    """A private, versioned bucket for model files, with its one lifecycle policy, its
    access logs, its replica in another region, and the IAM policies that lifecycle,
    replication, its keys and its access need.

    Takes the user's choices as a validated `spec`, plus what only the stack knows:
    the `compartment_id` and `region`, the Object Storage `namespace` (a literal or a
    reference, e.g. the namespace data source), the `policy_prefix` of IAM policy and
    log group names, the `iam_provider` that writes IAM (OCI writes it only in the
    tenancy's home region; None: the stack's default provider), the `replica_provider`
    in `spec.replication.region` (required with a replica), and `prevent_destroy`
    (default true: Terraform refuses to destroy the buckets, their logs and the models in them).

    Terraform addresses derive from `id_`: the bucket is `oci_objectstorage_bucket.<id_>`,
    its replica `oci_objectstorage_bucket.<id_>_replica`, its logs `oci_logging_log.<id_>_<category>`.
    Log groups and service policies are the stack's, one per compartment (and region).
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
        replica_provider: TerraformProvider | None = None,
        prevent_destroy: bool = True,
    ) -> None:
        super().__init__(scope, id_)
        self.spec = spec
        self.compartment_id = compartment_id
        self.region = region
        self.policy_prefix = policy_prefix
        self.iam_provider = iam_provider
        self.prevent_destroy = prevent_destroy
        self.bucket_name = spec.name

        # Object Storage must be allowed to use the key before the bucket, or its lifecycle
        # and retention rules, can be made (404 NotAuthorizedOrFoundKmsKey), and the policy
        # must be in force: they wait for it.
        key_compartment = spec.key_compartment_id or compartment_id
        self.key_policy = self._key_policy(spec.kms_key_id, key_compartment, region) if spec.kms_key_id else None
        key_in_force = self._in_force(self.key_policy) if self.key_policy else None
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
            # Always written, `{}` included: freeform_tags is Optional+Computed, so leaving it out
            # would keep the tags a bucket had. defined_tags is left out when empty (the tenancy's
            # tag defaults would otherwise plan a removal on every run): removing the last one is sticky.
            freeform_tags={literal(key): literal(value) for key, value in spec.tags.items()},
            defined_tags={literal(key): literal(value) for key, value in spec.defined_tags.items()} or None,
            retention_rules=self._retention_rules(id_, spec.retention_rule()),
            depends_on=[key_in_force] if key_in_force else None,
            lifecycle=self._bucket_lifecycle(id_, spec.name, spec.kms_key_id),
        )
        self.resource.override_logical_id(id_)
        if spec.adopt:
            ImportBlock(self, "import", resource=self.resource, import_id=rules.bucket_import_id(namespace, spec.name))
        self.namespace = self.resource.namespace
        self.bucket_id = self.resource.bucket_id

        self.lifecycle_policy: ObjectstorageObjectLifecyclePolicy | None = None
        if spec.lifecycle is not None:
            # Without the service's permission, apply fails with InsufficientServicePermissions.
            policies = (self._service_policy() if spec.service_policy else None, self.key_policy)
            needed = [self._in_force(p) for p in policies if p is not None]
            self.lifecycle_policy = ObjectstorageObjectLifecyclePolicy(
                self,
                "lifecycle",
                bucket=self.resource.name,
                namespace=self.resource.namespace,
                rules=_lifecycle_rules(spec.lifecycle),
                depends_on=needed or None,
            )
            # Never imported on adopt, even when the bucket has a policy: creating it is a PUT that
            # replaces any policy the bucket has (PutObjectLifecyclePolicy), while an import of a
            # bucket without one stops the plan ("Cannot import non-existent remote object").
            self.lifecycle_policy.override_logical_id(id_)

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

        self.logs = self._logs(id_, self.resource, spec.name, region, None)

        self.replica: ObjectstorageBucket | None = None
        self.replica_logs: list[LoggingLog] = []
        self.replication_policy: ObjectstorageReplicationPolicy | None = None
        if spec.replication is not None:
            if replica_provider is None:
                raise ValueError(
                    f"bucket {spec.name}: a replica needs replica_provider, a provider in {spec.replication.region}"
                )
            self._replicate(id_, spec.replication, namespace, replica_provider)

    def _retention_rules(
        self, id_: str, retention: RetentionSpec | None
    ) -> list[ObjectstorageBucketRetentionRules] | None:
        """The bucket's retention rule, locked only when the spec says `lock_after_days`.

        time_rule_locked is an instant, not a delay: `terraform_data.<id_>_retention_lock` records
        the first plan's time once (its input is ignored after), and the lock is that instant plus
        the delay, so a later plan moves nothing. A change of the rule's days or delay replaces the
        record and so sets a new lock time: OCI takes that until the lock time has passed, and
        refuses every change but a longer duration after (usingretentionrules.htm)."""
        self.retention_lock: TerraformData | None = None
        if retention is None:
            return None
        locked = None
        if retention.lock_after_days is not None:
            self.retention_lock = TerraformData(
                self,
                "retention-lock",
                input={"planned_at": Fn.plantimestamp()},
                triggers_replace={"days": str(retention.days), "lock_after_days": str(retention.lock_after_days)},
                lifecycle=TerraformResourceLifecycle(ignore_changes=["input"]),
            )
            self.retention_lock.override_logical_id(f"{id_}_retention_lock")
            # One hour more than the delay: OCI measures its 14 days from the request, which comes
            # after the plan.
            locked = Fn.timeadd(
                Token.as_string(self.retention_lock.output.lookup("planned_at")),
                f"{retention.lock_after_days * 24 + 1}h",
            )
        return [
            ObjectstorageBucketRetentionRules(
                display_name=f"retain-{retention.days}-days",
                duration=ObjectstorageBucketRetentionRulesDuration(time_amount=str(retention.days), time_unit="DAYS"),
                time_rule_locked=locked,
            )
        ]

    def _keep(self) -> TerraformResourceLifecycle | None:
        return TerraformResourceLifecycle(prevent_destroy=True) if self.prevent_destroy else None

    def _bucket_lifecycle(self, id_: str, name: str, kms_key_id: str | None) -> TerraformResourceLifecycle:
        """prevent_destroy as `_keep`, and a check that the bucket keeps the key it has.

        kms_key_id is Optional+Computed: removing it from the config plans no change (the bucket
        keeps the key), while the key's policy goes with the key's last bucket, so Object Storage
        would lose the key its objects are encrypted with: a bucket whose config names no key
        checks that it has none. Changing it assigns the new key without re-encrypting anything,
        and the old key's policy goes the same way: a bucket with a key checks it against the key
        it was made with, which `terraform_data.<id_>_vault_key` records (its input ignored after),
        so only `terraform apply -replace=terraform_data.<id_>_vault_key` lets it change."""
        if kms_key_id is None:
            condition = "${try(length(self.kms_key_id), 0) == 0}"
            message = (
                f"Bucket {name} still uses a Vault key that its config no longer names, and the key's Object Storage"
                " policy would be destroyed with it. Put kms_key_id back; or re-encrypt the bucket with the key it"
                " should use (oci os bucket reencrypt), unassign the old key from the bucket, and plan again."
            )
        else:
            record = TerraformData(
                self,
                f"{id_}-vault-key",
                input={"key": kms_key_id},
                lifecycle=TerraformResourceLifecycle(ignore_changes=["input"]),
            )
            record.override_logical_id(f"{id_}_vault_key")
            condition = f"${{self.kms_key_id == terraform_data.{id_}_vault_key.output.key}}"
            message = (
                f"Bucket {name}'s Vault key would change. OCI assigns the new key without re-encrypting the objects"
                " the bucket holds, and the old key's Object Storage policy is destroyed with this plan, so those"
                " objects would lose their key. Keep the old key usable and re-encrypt (docs/operations.md, Day two:"
                f" changing a bucket's key), then opt in: terraform apply -replace=terraform_data.{id_}_vault_key."
            )
        return TerraformResourceLifecycle(
            prevent_destroy=True if self.prevent_destroy else None,
            postcondition=[Postcondition(condition=condition, error_message=message)],
        )

    def _logs(
        self, id_: str, bucket: ObjectstorageBucket, name: str, region: str, provider: TerraformProvider | None
    ) -> list[LoggingLog]:
        """One service log per category the spec asks for, in the stack's log group of `region`:
        a log lives in the region of the bucket it logs."""
        logs = []
        for category in self.spec.logging.categories():
            log = LoggingLog(
                self,
                f"{id_}-log-{category}",
                display_name=rules.log_name(name, category),
                log_group_id=self._log_group(region, provider).id,
                log_type="SERVICE",
                is_enabled=True,
                retention_duration=self.spec.logging.retention_days,
                configuration=LoggingLogConfiguration(
                    source=LoggingLogConfigurationSource(
                        category=category, resource=bucket.name, service="objectstorage", source_type="OCISERVICE"
                    )
                ),
                provider=provider,
                lifecycle=self._keep(),
            )
            log.override_logical_id(f"{id_}_{category}")
            logs.append(log)
        return logs

    def _log_group(self, region: str, provider: TerraformProvider | None) -> LoggingLogGroup:
        """The stack's log group of bucket logs in `region`, once per compartment, made by the first
        bucket that logs there."""
        suffix = short_hash(f"{self.compartment_id}/{region}")

        def make(stack: TerraformStack, id_: str) -> LoggingLogGroup:
            group = LoggingLogGroup(
                stack,
                id_,
                compartment_id=self.compartment_id,
                display_name=rules.log_group_name(self.policy_prefix, region),
                description=f"Access logs of the Object Storage buckets of {self.policy_prefix} in {region}",
                provider=provider,
                lifecycle=self._keep(),
            )
            group.override_logical_id(f"objectstorage_logs_{suffix}")
            return group

        return one_per_stack(self, LoggingLogGroup, f"log-group-{suffix}", make)

    def _replicate(self, id_: str, replication: ReplicationSpec, namespace: str, provider: TerraformProvider) -> None:
        """The replica in its region, then the policy on this bucket that fills it: OCI wants the
        destination to exist first, and Object Storage of this region allowed to write it."""
        spec = self.spec
        key_policy = (
            self._key_policy(
                replication.kms_key_id, replication.key_compartment_id or self.compartment_id, replication.region
            )
            if replication.kms_key_id
            else None
        )
        self.replica = ObjectstorageBucket(
            self,
            "replica",
            compartment_id=self.compartment_id,
            name=replication.bucket_name(spec.name),
            namespace=namespace,
            access_type="NoPublicAccess",
            storage_tier=spec.storage_tier,
            # "You cannot enable versioning on a replication destination bucket" (Object Storage Versioning).
            versioning="Disabled",
            auto_tiering="InfrequentAccess" if spec.auto_tiering else "Disabled",
            kms_key_id=replication.kms_key_id,
            object_events_enabled=spec.object_events,
            freeform_tags={literal(key): literal(value) for key, value in spec.tags.items()},
            defined_tags={literal(key): literal(value) for key, value in spec.defined_tags.items()} or None,
            depends_on=[self._in_force(key_policy)] if key_policy else None,
            provider=provider,
            lifecycle=self._bucket_lifecycle(
                f"{id_}_replica", replication.bucket_name(spec.name), replication.kms_key_id
            ),
        )
        self.replica.override_logical_id(f"{id_}_replica")
        self.replica_logs = self._logs(
            f"{id_}_replica", self.replica, replication.bucket_name(spec.name), replication.region, provider
        )
        service_policy = self._replication_service_policy() if spec.service_policy else None
        # The destination's name is a reference: Terraform makes the replica first and, on
        # destroy, stops replication before it deletes the replica (OCI refuses the reverse).
        self.replication_policy = ObjectstorageReplicationPolicy(
            self,
            "replication",
            bucket=self.resource.name,
            namespace=self.resource.namespace,
            name=rules.replication_policy_name(replication.region),
            destination_bucket_name=self.replica.name,
            destination_region_name=replication.region,
            depends_on=[self._in_force(service_policy)] if service_policy else None,
        )
        self.replication_policy.override_logical_id(id_)

    def _replication_service_policy(self) -> IdentityPolicy:
        """Object Storage's permission to replicate, once per stack and compartment."""
        return self._shared_policy(
            "replication-service",
            "objectstorage_replication_service",
            "objectstorage-replication",
            self.compartment_id,
            compartment_id=self.compartment_id,
            description="Lets Object Storage replicate buckets of this compartment to their replicas",
            statement=rules.replication_service_statement(self.region, self.compartment_id),
        )

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

    def _key_policy(self, key_id: str, key_compartment_id: str, region: str) -> IdentityPolicy:
        """Object Storage's use of a Vault key (by the service of the key's region), once per stack
        and key: buckets sharing a key share it.

        Kept while any bucket of the stack names the key. Destroying it while a bucket still holds
        objects encrypted with the key cuts Object Storage off the key: a removed `kms_key_id`
        (which changes nothing on the bucket) is stopped by the bucket's postcondition
        (`_bucket_lifecycle`); a changed one (which re-encrypts nothing) the synth cannot tell from a
        new config, so its review is the change review (make review). `prevent_destroy` (protected
        environments) refuses a replacement of the policy; it cannot refuse a removal, which drops
        the block too. To retire a key: `oci os bucket reencrypt` every bucket that used it first.
        """
        return self._shared_policy(
            "key-service",
            "objectstorage_key_service",
            "objectstorage-key",
            key_id,
            compartment_id=key_compartment_id,
            description="Lets Object Storage encrypt and decrypt buckets with this Vault key",
            statement=rules.key_service_statement(region, key_compartment_id, key_id),
            lifecycle=self._keep(),
        )

    def _in_force(self, policy: IdentityPolicy) -> Sleep:
        """The wait after `policy` (rules.oci.POLICY_PROPAGATION), once per policy, made with it:
        what needs the policy waits for this instead."""

        def make(stack: TerraformStack, id_: str) -> PropagationWait:
            return PropagationWait(
                stack, id_, after=policy, duration=rules.POLICY_PROPAGATION, address=policy.friendly_unique_id
            )

        return one_per_stack(self, PropagationWait, f"{policy.node.id}-in-force", make).resource

    def _shared_policy(
        self,
        id_: str,
        address: str,
        name: str,
        of: str,
        *,
        compartment_id: str,
        description: str,
        statement: str,
        lifecycle: TerraformResourceLifecycle | None = None,
    ) -> IdentityPolicy:
        """A policy of the stack for `of`, made by the first bucket that needs it. Its address
        and its name hold a hash of `of`: policy names are unique per tenancy."""
        suffix = short_hash(of)

        def make(stack: TerraformStack, id_: str) -> IdentityPolicy:
            policy = IdentityPolicy(
                stack,
                id_,
                compartment_id=compartment_id,
                name=rules.policy_name(self.policy_prefix, name, suffix),
                description=description,
                statements=[statement],
                provider=self.iam_provider,
                lifecycle=lifecycle,
            )
            policy.override_logical_id(f"{address}_{suffix}")
            return policy

        return one_per_stack(self, IdentityPolicy, f"{id_}-{suffix}", make)

    def outputs(self) -> dict[str, str]:
        """What a pipeline needs of this bucket (specs.outputs.BUCKET): the endpoint is the
        region's Object Storage API, in its realm's domain."""
        return outputs.checked(
            outputs.BUCKET,
            {
                "name": self.bucket_name,
                "namespace": self.namespace,
                "bucket_id": self.bucket_id,
                "region": self.region,
                "endpoint": rules.object_storage_endpoint(self.region),
            },
        )

    def replica_outputs(self) -> dict[str, str]:
        """The same of the replica (`<bucket>_replica_<name>`); none without one."""
        replication = self.spec.replication
        if self.replica is None or replication is None:
            return {}
        return outputs.checked(
            outputs.BUCKET,
            {
                "name": replication.bucket_name(self.spec.name),
                "namespace": self.replica.namespace,
                "bucket_id": self.replica.bucket_id,
                "region": replication.region,
                "endpoint": rules.object_storage_endpoint(replication.region),
            },
        )


def _lifecycle_rules(lifecycle: LifecycleSpec) -> list[ObjectstorageObjectLifecyclePolicyRules]:
    """Every rule of the bucket, in a fixed order; time_amount is a string, as the provider wants."""
    name_filter = (
        ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(
            inclusion_prefixes=[literal(p) for p in lifecycle.prefixes]
        )
        if lifecycle.prefixes
        else None
    )
    previous = lifecycle.previous
    wanted = [
        (
            "infrequent-access-objects",
            "INFREQUENT_ACCESS",
            "objects",
            lifecycle.infrequent_access_after_days,
            name_filter,
        ),
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
