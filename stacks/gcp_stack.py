"""The Google Cloud stack of one environment: `<env>-gcp`."""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from bindings.google import GoogleProvider
from constructs import Construct

from config.models import Environment, Repository
from constructs.model_registry_repository import (
    CleanupProps,
    IamProps,
    ModelRegistryRepository,
    ModelRegistryRepositoryProps,
)
from stacks.backend import add_backend
from stacks.names import StackName


class GcpStack(TerraformStack):
    """The google provider, the state backend, one repository per config entry, and
    two outputs per repository: `<id>_url` and `<id>_id`."""

    def __init__(self, scope: Construct, id_: str, *, name: StackName, environment: Environment) -> None:
        super().__init__(scope, id_)
        gcp = environment.gcp
        if gcp is None:
            raise ValueError(f"stack {id_}: the environment has no gcp section")
        GoogleProvider(self, "google", project=gcp.project, region=gcp.region)
        add_backend(self, name, environment.backend)

        # Repositories get a scope of their own: one named like a stack-level construct
        # (google, backend) must not collide with it. Addresses stay the repository's.
        repositories_scope = Construct(self, "repositories")
        self.repositories: list[ModelRegistryRepository] = []
        for repository in gcp.repositories:
            props = repository_props(repository, project=gcp.project, location=gcp.region,
                                     prevent_destroy=not environment.allow_destroy)
            construct = ModelRegistryRepository(repositories_scope, repository.id, props=props)
            TerraformOutput(self, f"{repository.id}_url", value=construct.repository_url,
                            description=f"Push and pull URL of the {repository.id} repository")
            TerraformOutput(self, f"{repository.id}_id", value=construct.resource.id,
                            description=f"Full resource name of the {repository.id} repository")
            self.repositories.append(construct)


def repository_props(
    repository: Repository, *, project: str, location: str, prevent_destroy: bool
) -> ModelRegistryRepositoryProps:
    """The construct's props for one config entry."""
    cleanup = repository.cleanup
    iam = repository.iam
    return ModelRegistryRepositoryProps(
        project=project,
        location=location,
        repository_id=repository.id,
        format=repository.format.upper(),
        description=repository.description,
        labels=repository.labels,
        kms_key_name=repository.kms_key_name,
        immutable_tags=repository.immutable_tags,
        vulnerability_scanning=repository.vulnerability_scanning,
        cleanup=(
            CleanupProps(delete_older_than=cleanup.delete_older_than, keep_latest=cleanup.keep_latest,
                         dry_run=cleanup.dry_run)
            if cleanup is not None and cleanup.delete_older_than is not None
            else None
        ),
        iam=(
            IamProps(mode=iam.mode, readers=iam.readers, writers=iam.writers, admins=iam.admins,
                     allow_public=iam.allow_public)
            if iam is not None
            else None
        ),
        prevent_destroy=prevent_destroy,
        adopt=repository.adopt,
    )
