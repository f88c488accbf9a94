"""The `terraform` block of a stack: the Terraform it needs, and where it keeps its state
(`environments.<env>.backend`)."""

from __future__ import annotations

from typing import Any

from config.backends import Backend, cloud_tags
from config.backends import CloudBackend as CloudConfig
from config.backends import GcsBackend as GcsConfig
from config.backends import S3Backend as S3Config
from constructs import Construct
from engine import GcsBackend, LocalBackend, S3Backend, TerraformBackend, TerraformElement, TerraformStack
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


class CloudBlock(TerraformBackend):
    """The `terraform { cloud { ... } }` block, written by us rather than cdktf's CloudBackend.

    cdktf 0.21's CloudBackend runs `terraform version` at synth (a synth without a
    terraform binary fails with a traceback) and drops the workspace `project` from the
    `--hcl` output. `settings` is the block as Terraform JSON has it.
    """

    def __init__(self, scope: Construct, settings: dict[str, Any]) -> None:
        super().__init__(scope, "backend", "cloud")
        self._settings = settings

    def to_terraform(self) -> Any:
        return {"terraform": {"cloud": self._settings}}

    def get_remote_state_data_source(self, scope: Construct, name: str, _from_stack: str) -> Any:
        # Stacks here never read each other's state: no cross-stack references.
        raise NotImplementedError("cross-stack references are not used by this app")

    def to_hcl_terraform(self) -> Any:
        workspaces = {
            key: {"value": value, "type": "list", "storageClassType": "stringList"}
            if isinstance(value, list)
            else {"value": value, "type": "simple", "storageClassType": "string"}
            for key, value in self._settings["workspaces"].items()
        }
        cloud = {
            key: {"value": self._settings[key], "type": "simple", "storageClassType": "string"}
            for key in ("organization", "hostname")
        }
        cloud["workspaces"] = {"value": workspaces, "isBlock": True, "type": "map", "storageClassType": "stringmap"}
        return {"terraform": {"cloud": cloud}}


class RequiredVersion(TerraformElement):
    """`terraform { required_version = ... }`, which cdktf has no setting for.

    In `cdk.tf.json` only: cdktf 0.21's HCL writer renders any attribute of the `terraform`
    block but its three blocks as `0 = "required_version"` (it passes the names, not the
    values). outdir.publish writes the line into `cdk.tf` instead.
    """

    def __init__(self, scope: Construct, id_: str, constraint: str) -> None:
        super().__init__(scope, id_)
        self._constraint = constraint

    def to_terraform(self) -> Any:
        return {"terraform": {"required_version": self._constraint}}

    def to_hcl_terraform(self) -> Any:
        return {}


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
