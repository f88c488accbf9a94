"""Where a stack keeps its Terraform state, from `environments.<env>.backend`."""

from __future__ import annotations

from cdktf import CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack

from config.backends import CLOUD_PLACEHOLDER, Backend
from config.backends import CloudBackend as CloudConfig
from config.backends import GcsBackend as GcsConfig
from config.backends import S3Backend as S3Config
from stacks.names import StackName

def add_backend(stack: TerraformStack, name: StackName, backend: Backend) -> None:
    """Give `stack` the backend its environment asks for. No credential is written:
    each backend reads its own from the environment where Terraform runs."""
    if isinstance(backend, CloudConfig):
        _cloud(stack, name, backend)
    elif isinstance(backend, GcsConfig):
        GcsBackend(stack, bucket=backend.bucket, prefix=_fill(backend.prefix, name) or f"{name.app}/{name.environment}/{name.cloud}")
    elif isinstance(backend, S3Config):
        _s3(stack, name, backend)
    else:
        # Terraform runs in <outdir>/stacks/<stack>/: three levels up is beside the output
        # folder. Relative, never an absolute path of the machine that synthesized.
        LocalBackend(stack, path=f"../../../state/{name.id}.tfstate")


def _cloud(stack: TerraformStack, name: StackName, backend: CloudConfig) -> None:
    workspaces: NamedCloudWorkspace | TaggedCloudWorkspaces
    if backend.workspace_tags is not None:
        workspaces = TaggedCloudWorkspaces(tags=list(backend.workspace_tags), project=backend.project)
    else:
        workspace = _fill(backend.workspace, name) or f"{name.app}-{name.environment}-{name.cloud}"
        workspaces = NamedCloudWorkspace(workspace, backend.project)
    CloudBackend(stack, organization=backend.organization, hostname=backend.hostname, workspaces=workspaces)


def _s3(stack: TerraformStack, name: StackName, backend: S3Config) -> None:
    """OCI Object Storage's S3-compatible API: its endpoint, path-style addressing, and
    none of the AWS-only checks (regions, STS, account IDs, checksums) it cannot answer."""
    S3Backend(
        stack,
        bucket=backend.bucket,
        key=_fill(backend.key, name) or f"{name.app}/{name.environment}/{name.cloud}.tfstate",
        region=backend.region,
        endpoints={"s3": s3_endpoint(backend.namespace, backend.region)},
        use_path_style=True,
        skip_region_validation=True,
        skip_credentials_validation=True,
        skip_requesting_account_id=True,
        skip_metadata_api_check=True,
        skip_s3_checksum=True,
    )


def s3_endpoint(namespace: str, region: str) -> str:
    """OCI Object Storage's S3-compatible endpoint for a tenancy namespace and region."""
    return f"https://{namespace}.compat.objectstorage.{region}.oraclecloud.com"


def _fill(template: str | None, name: StackName) -> str | None:
    return template.replace(CLOUD_PLACEHOLDER, name.cloud) if template is not None else None
