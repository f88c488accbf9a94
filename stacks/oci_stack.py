"""The Oracle Cloud stack of one environment: `<env>-oci`.

Never imports the google binding: an OCI-only synth stays fast.
"""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from bindings.oci import DataOciObjectstorageNamespace, OciProvider
from config.models import Bucket, Environment
from constructs.model_bucket import AccessProps, LifecycleProps, ModelBucket, ModelBucketProps, PreviousVersionsProps
from constructs.object_storage_rules import terraform_name
from stacks.backend import add_backend
from stacks.names import StackName


class OciStack(TerraformStack):
    """The oci provider (region only: credentials come from the environment or
    `~/.oci/config`), the state backend, one ModelBucket per config entry, and
    outputs per bucket: `<bucket>_name`, `<bucket>_namespace`, `<bucket>_bucket_id`."""

    def __init__(self, scope: Construct, id_: str, *, name: StackName, environment: Environment) -> None:
        super().__init__(scope, id_)
        oci = environment.oci
        if oci is None:
            raise ValueError(f"stack {id_}: the environment has no oci section")
        OciProvider(self, "oci", region=oci.region)
        add_backend(self, name, environment.backend)

        namespace = oci.namespace
        if namespace is None:
            lookup = DataOciObjectstorageNamespace(self, "namespace", compartment_id=oci.compartment_id)
            lookup.override_logical_id("this")
            namespace = lookup.namespace

        # Buckets get a scope of their own: a bucket named like a stack-level construct
        # (oci, namespace, backend) must not collide with it. Addresses stay the bucket's.
        buckets_scope = Construct(self, "buckets")
        self.buckets: list[ModelBucket] = []
        for bucket in oci.buckets:
            address = terraform_name(bucket.name)
            props = bucket_props(
                bucket,
                compartment_id=oci.compartment_id,
                region=oci.region,
                namespace=namespace,
                policy_prefix=f"{name.app}-{name.environment}",
                prevent_destroy=not environment.allow_destroy,
            )
            construct = ModelBucket(buckets_scope, address, props=props)
            for attribute, value, what in (
                ("name", construct.bucket_name, "Name"),
                ("namespace", construct.namespace, "Object Storage namespace"),
                ("bucket_id", construct.bucket_id, "OCID"),
            ):
                TerraformOutput(self, f"{address}_{attribute}", value=value, description=f"{what} of bucket {bucket.name}")
            self.buckets.append(construct)


def bucket_props(
    bucket: Bucket, *, compartment_id: str, region: str, namespace: str, policy_prefix: str, prevent_destroy: bool
) -> ModelBucketProps:
    """The construct's props for one config entry."""
    lifecycle = bucket.lifecycle
    previous = lifecycle.previous_versions if lifecycle else None
    return ModelBucketProps(
        compartment_id=compartment_id,
        region=region,
        name=bucket.name,
        namespace=namespace,
        policy_prefix=policy_prefix,
        storage_tier=bucket.storage_tier,
        versioning=bucket.versioning,
        auto_tiering=bucket.auto_tiering,
        kms_key_id=bucket.kms_key_id,
        object_events_enabled=bucket.object_events,
        freeform_tags=bucket.tags,
        retention_days=bucket.retention_days,
        lifecycle=(
            LifecycleProps(
                archive_after_days=lifecycle.archive_after_days,
                delete_after_days=lifecycle.delete_after_days,
                previous_versions=(
                    PreviousVersionsProps(
                        archive_after_days=previous.archive_after_days, delete_after_days=previous.delete_after_days
                    )
                    if previous
                    else None
                ),
                abort_multipart_uploads_after_days=lifecycle.abort_multipart_uploads_after_days,
                prefixes=lifecycle.prefixes,
            )
            if lifecycle
            else None
        ),
        service_policy=bucket.service_policy,
        access=AccessProps(readers=bucket.access.readers, writers=bucket.access.writers) if bucket.access else None,
        prevent_destroy=prevent_destroy,
        adopt=bucket.adopt,
    )
