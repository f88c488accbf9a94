"""The Google Cloud stack of one environment: `<env>-gcp`."""

from __future__ import annotations

from bindings.google import GoogleProvider
from config.backends import Backend
from config.models import Gcp
from constructs import Construct
from constructs.audit_logs import ArtifactRegistryAuditLogs
from constructs.model_registry_repository import ModelRegistryRepository
from engine import TerraformOutput, TerraformStack
from stacks.backend import add_terraform_settings
from stacks.names import StackName


class GcpStack(TerraformStack):
    """The google provider, the state backend, one repository per config entry, and
    two outputs per repository: `<id>_url` and `<id>_id`."""

    def __init__(self, scope: Construct, name: StackName, section: Gcp, *, backend: Backend, allow_destroy: bool) -> None:
        super().__init__(scope, name.id)
        GoogleProvider(self, "google", project=section.project, region=section.region)
        add_terraform_settings(self, name, backend)

        # Repositories get a scope of their own: one named like a stack-level construct
        # (google, backend) must not collide with it. Addresses stay the repository's.
        repositories_scope = Construct(self, "repositories")
        self.repositories: list[ModelRegistryRepository] = []
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
            )
            built[spec.id] = construct
            TerraformOutput(self, f"{spec.id}_url", value=construct.repository_url,
                            description=f"Push and pull URL of the {spec.id} repository")
            TerraformOutput(self, f"{spec.id}_id", value=construct.resource.id,
                            description=f"Full resource name of the {spec.id} repository")
            self.repositories.append(construct)
        if section.audit_logs is not None:
            ArtifactRegistryAuditLogs(self, "audit-logs", spec=section.audit_logs, project=section.project)
