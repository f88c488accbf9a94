"""The Oracle Cloud stack of one environment: `<env>-oci`.

Never imports the google binding: an OCI-only synth stays fast.
"""

from __future__ import annotations

from bindings.oci import (
    DataOciIdentityRegionSubscriptions,
    DataOciIdentityRegionSubscriptionsFilter,
    DataOciObjectstorageNamespace,
    OciProvider,
)
from config.backends import Backend
from config.models import Oci
from constructs import Construct
from constructs.model_bucket import ModelBucket
from constructs.propagation_wait import add_time_provider
from engine import TerraformOutput, TerraformStack, Token
from rules.oci import ORACLE_DEFAULT_TAGS, provider_alias, terraform_name
from specs import outputs
from stacks.backend import add_terraform_settings
from stacks.names import StackName


class OciStack(TerraformStack):
    """The oci provider (region only: credentials come from the environment or
    `~/.oci/config`), a second one, `oci.home`, in the tenancy's home region, where
    OCI writes IAM, and one per region that holds replicas (`oci.us_phoenix_1`); the state
    backend, one ModelBucket per config entry, an output per value of each bucket
    (`<bucket>_name`, `<bucket>_namespace`, `<bucket>_bucket_id`, `<bucket>_region`,
    `<bucket>_endpoint`; `<bucket>` its Terraform address) and of its replica
    (`<bucket>_replica_name`, ...), and every bucket's values in one, `buckets`: bucket name
    -> those values."""

    def __init__(
        self, scope: Construct, name: StackName, section: Oci, *, backend: Backend, allow_destroy: bool
    ) -> None:
        super().__init__(scope, name.id)
        _provider(self, "oci", region=section.region)
        home = _provider(self, "home", alias="home", region=section.home_region or self._looked_up_home_region(section))
        add_terraform_settings(self, name, backend)

        namespace = section.namespace
        if namespace is None:
            # Without compartment_id: GetNamespace then needs no permission and answers the same
            # namespace; with it, it needs OBJECTSTORAGE_NAMESPACE_READ, which only
            # `manage objectstorage-namespaces` grants (Object Storage policy reference).
            lookup = DataOciObjectstorageNamespace(self, "namespace")
            lookup.override_logical_id("this")
            namespace = lookup.namespace

        # One provider per region that holds a replica, the same for every bucket replicated there.
        replica_providers: dict[str, OciProvider] = {}
        for spec in section.buckets:
            region = spec.replication.region if spec.replication else None
            if region is not None and region not in replica_providers:
                replica_providers[region] = _provider(
                    self, f"replica-{region}", alias=provider_alias(region), region=region
                )

        # Buckets get a scope of their own: a bucket named like a stack-level construct
        # (oci, namespace, backend) must not collide with it. Addresses stay the bucket's; the
        # scope's id is no output's name (cdktf deploy --outputs-file names outputs by construct id).
        buckets_scope = Construct(self, "bucket-scope")
        self.buckets: list[ModelBucket] = []
        for spec in section.buckets:
            address = terraform_name(spec.name)
            construct = ModelBucket(
                buckets_scope,
                address,
                spec=spec,
                compartment_id=section.compartment_id,
                region=section.region,
                namespace=namespace,
                policy_prefix=f"{name.app}-{name.environment}",
                iam_provider=home,
                replica_provider=replica_providers.get(spec.replication.region) if spec.replication else None,
                prevent_destroy=not allow_destroy,
            )
            for field, value in construct.outputs().items():
                TerraformOutput(
                    self,
                    f"{address}_{field}",
                    value=value,
                    description=f"{outputs.BUCKET[field]} of bucket {spec.name}",
                )
            for field, value in construct.replica_outputs().items():
                what = f"{outputs.BUCKET[field]} of the replica of bucket {spec.name}"
                TerraformOutput(self, f"{address}_replica_{field}", value=value, description=what)
            self.buckets.append(construct)
        add_time_provider(self)
        # A map as a token: see GcpStack.
        TerraformOutput(
            self,
            "buckets",
            value=Token.as_any({bucket.bucket_name: bucket.outputs() for bucket in self.buckets}),
            description=f"Every bucket of the stack: name -> {', '.join(outputs.BUCKET)}",
        )

    def _looked_up_home_region(self, section: Oci) -> str:
        """The home region of the tenancy, as the OCI provider's examples find it: the one
        region subscription whose `is_home_region` is true."""
        assert section.tenancy is not None, "config/models.py: Oci requires home_region or a tenancy"
        lookup = DataOciIdentityRegionSubscriptions(
            self,
            "home-region",
            tenancy_id=section.tenancy,
            filter=[DataOciIdentityRegionSubscriptionsFilter(name="is_home_region", values=["true"])],
        )
        lookup.override_logical_id("home")
        return f"${{{lookup.fqn}.region_subscriptions[0].region_name}}"


def _provider(stack: TerraformStack, id_: str, *, region: str, alias: str | None = None) -> OciProvider:
    """An oci provider in `region` (credentials come from the environment or `~/.oci/config`)
    that leaves the tags the tenancy's default tag rules add alone: every provider of the
    stack, since the setting is per provider process."""
    return OciProvider(stack, id_, alias=alias, region=region, ignore_defined_tags=ORACLE_DEFAULT_TAGS)
