"""Where a stack keeps its Terraform state: the names `environments.<env>.backend` leads to.

No cdktf here: stacks/backend.py writes these names into the stack, and main.py tells them to
the user (`--check` before cdktf starts, the summary after a synth) from the same functions.
"""

from __future__ import annotations

import os
from pathlib import Path

from config.backends import CLOUD_PLACEHOLDER, Backend, CloudBackend, GcsBackend, S3Backend, cloud_tags
from stacks.names import StackName


def local_path(name: StackName) -> str:
    """The local state file, relative to the stack's folder (`<outdir>/stacks/<stack>/`): three
    levels up is beside the output folder. Relative, never an absolute path of the machine that
    synthesized; the config's name in it, so two configs with a `dev` never share a state."""
    return f"../../../state/{name.app}/{name.id}.tfstate"


def workspace(backend: CloudBackend, name: StackName) -> str | None:
    """The Terraform Cloud workspace, `<name>-<env>-<cloud>` unless set; None when tags pick it."""
    if backend.workspace_tags is not None:
        return None
    return _fill(backend.workspace, name) or f"{name.app}-{name.environment}-{name.cloud}"


def gcs_prefix(backend: GcsBackend, name: StackName) -> str:
    return _fill(backend.prefix, name) or f"{name.app}/{name.environment}/{name.cloud}"


def s3_key(backend: S3Backend, name: StackName) -> str:
    return _fill(backend.key, name) or f"{name.app}/{name.environment}/{name.cloud}.tfstate"


def describe(backend: Backend, name: StackName, outdir: Path) -> str:
    """Where the state is, in a few words: `local state/ml-models/prod-gcp.tfstate` (from where
    the output folder `outdir` is given), `cloud acme/ml-models-prod-oci`, `gcs gs://bucket/prefix`."""
    if isinstance(backend, CloudBackend):
        host = "" if backend.hostname == "app.terraform.io" else f" on {backend.hostname}"
        chosen = workspace(backend, name)
        if chosen is None:
            tags = ", ".join(cloud_tags(backend, name.cloud))
            return f"cloud {backend.organization}{host}, a workspace tagged {tags} (TF_WORKSPACE picks)"
        return f"cloud {backend.organization}/{chosen}{host}"
    if isinstance(backend, GcsBackend):
        return f"gcs gs://{backend.bucket}/{gcs_prefix(backend, name)}"
    if isinstance(backend, S3Backend):
        return f"s3 {backend.bucket}/{s3_key(backend, name)} (OCI Object Storage, {backend.region})"
    return f"local {os.path.normpath(outdir / 'stacks' / name.id / local_path(name))}"


def _fill(template: str | None, name: StackName) -> str | None:
    return template.replace(CLOUD_PLACEHOLDER, name.cloud) if template is not None else None
