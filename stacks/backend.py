"""The `terraform` block of a stack: the Terraform it needs, and where it keeps its state
(`environments.<env>.backend`)."""

from __future__ import annotations

from typing import Any

from config.backends import Backend, cloud_tags
from config.backends import CloudBackend as CloudConfig
from config.backends import GcsBackend as GcsConfig
from config.backends import S3Backend as S3Config
from engine import GcsBackend, LocalBackend, S3Backend, TerraformStack
from engine.elements import CloudBlock, RequiredVersion
from rules import oci
from rules.terraform import REQUIRED_VERSION
from stacks import state
from stacks.names import StackName


def add_terraform_settings(stack: TerraformStack, name: StackName, backend: Backend) -> None:
    """Give `stack` its `required_version` and the backend its environment asks for. No
    credential is written: each backend reads its own from the environment where Terraform runs."""
    RequiredVersion(stack, "required-version", REQUIRED_VERSION)
    if isinstance(backend, CloudConfig):
        _cloud(stack, name, backend)
    elif isinstance(backend, GcsConfig):
        GcsBackend(stack, bucket=backend.bucket, prefix=state.gcs_prefix(backend, name))
    elif isinstance(backend, S3Config):
        _s3(stack, name, backend)
    else:
        LocalBackend(stack, path=state.local_path(name))


def _cloud(stack: TerraformStack, name: StackName, backend: CloudConfig) -> None:
    workspaces: dict[str, Any] = {}
    if backend.workspace_tags is not None:
        workspaces["tags"] = cloud_tags(backend, name.cloud)
    else:
        workspaces["name"] = state.workspace(backend, name)
    if backend.project is not None:
        workspaces["project"] = backend.project
    CloudBlock(stack, {"organization": backend.organization, "hostname": backend.hostname, "workspaces": workspaces})


def _s3(stack: TerraformStack, name: StackName, backend: S3Config) -> None:
    """OCI Object Storage's S3-compatible API: its endpoint, path-style addressing, and
    none of the AWS-only checks (regions, STS, account IDs, checksums) it cannot answer."""
    S3Backend(
        stack,
        bucket=backend.bucket,
        key=state.s3_key(backend, name),
        region=backend.region,
        endpoints={"s3": oci.s3_endpoint(backend.namespace, backend.region)},
        use_path_style=True,
        skip_region_validation=True,
        skip_credentials_validation=True,
        skip_requesting_account_id=True,
        skip_metadata_api_check=True,
        skip_s3_checksum=True,
    )
