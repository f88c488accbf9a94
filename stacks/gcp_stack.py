"""The Google Cloud stack of one environment: `<env>-gcp`."""

from __future__ import annotations

from bindings.google import GoogleProvider
from bindings.google_beta import GoogleBetaProvider
from config.backends import Backend
from config.models import Gcp
from constructs import Construct
from constructs.audit_logs import ArtifactRegistryAuditLogs
from constructs.model_registry_repository import ModelRegistryRepository
from constructs.propagation_wait import add_time_provider
from engine import TerraformOutput, TerraformStack, Token
from specs import outputs
from stacks.backend import add_terraform_settings
from stacks.names import StackName


class GcpStack(TerraformStack):
    """The google provider, the state backend, one repository per config entry, an output
    per value of each repository (`<id>_url`, `<id>_id`, `<id>_location`, `<id>_project`,
    `<id>_format`, `<id>_address`) and all of them in one, `repositories`: id -> those values."""

    def __init__(
        self, scope: Construct, name: StackName, section: Gcp, *, backend: Backend, allow_destroy: bool
    ) -> None:
        super().__init__(scope, name.id)
        GoogleProvider(self, "google", project=section.project, region=section.region)
        # google-beta makes the service agent a CMEK key, or a private upstream's secret, is granted to.
        needs_beta = any(spec.kms_key_name or (spec.remote and spec.remote.secret) for spec in section.repositories)
        beta_provider = GoogleBetaProvider(self, "google-beta", project=section.project) if needs_beta else None
        add_terraform_settings(self, name, backend)

        # Repositories get a scope of their own: one named like a stack-level construct
        # (google, backend) must not collide with it. Addresses stay the repository's; the
        # scope's id is no output's name (cdktf deploy --outputs-file names outputs by construct id).
        repositories_scope = Construct(self, "repository-scope")
        built: dict[str, ModelRegistryRepository] = {}
        # Virtual repositories last: they name their upstreams' resources.
        for spec in sorted(section.repositories, key=lambda spec: spec.mode == "virtual"):
            construct = ModelRegistryRepository(
                repositories_scope,
                spec.id,
                spec=spec,
                project=section.project,
                location=section.region,
                prevent_destroy=not allow_destroy,
                enable_apis=section.enable_apis,
                upstreams=built,
                beta_provider=beta_provider,
            )
            built[spec.id] = construct
            for field, value in construct.outputs().items():
                what = outputs.repository_description(field, spec.format)
                TerraformOutput(
                    self, f"{spec.id}_{field}", value=value, description=f"{what} of the {spec.id} repository"
                )
        self.repositories = list(built.values())
        if section.audit_logs is not None:
            ArtifactRegistryAuditLogs(self, "audit-logs", spec=section.audit_logs, project=section.project)
        add_time_provider(self)
        # A map as a token: cdktf 0.21 looks at a plain one with util.isArray, which Node 22
        # warns of on stderr.
        TerraformOutput(
            self,
            "repositories",
            value=Token.as_any({repository.repository_id: repository.outputs() for repository in self.repositories}),
            description=f"Every repository of the stack: id -> {', '.join(outputs.REPOSITORY)}",
        )
