"""stacks/state.py: where each backend type keeps a stack's state, as main.py tells it."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.backends import Backend, CloudBackend, GcsBackend, LocalBackend, S3Backend
from stacks import state
from stacks.names import StackName

NAME = StackName("ml-models", "prod", "oci")


@pytest.mark.parametrize(
    ("backend", "outdir", "said"),
    [
        (LocalBackend(type="local"), Path("cdktf.out"), "local state/ml-models/prod-oci.tfstate"),
        (LocalBackend(type="local"), Path("/tmp/build/out"), "local /tmp/build/state/ml-models/prod-oci.tfstate"),
        (CloudBackend(type="cloud", organization="acme"), Path("cdktf.out"), "cloud acme/ml-models-prod-oci"),
        (
            CloudBackend(type="cloud", organization="acme", hostname="tfe.acme.example", workspace="ml-{cloud}"),
            Path("cdktf.out"),
            "cloud acme/ml-oci on tfe.acme.example",
        ),
        (
            CloudBackend(type="cloud", organization="acme", workspace_tags=("ml", "ml-{cloud}")),
            Path("cdktf.out"),
            "cloud acme, a workspace tagged ml, ml-oci (TF_WORKSPACE picks)",
        ),
        (GcsBackend(type="gcs", bucket="acme-state"), Path("cdktf.out"), "gcs gs://acme-state/ml-models/prod/oci"),
        (
            S3Backend(type="s3", bucket="tf-state", region="eu-frankfurt-1", namespace="acme", key="ml/{cloud}.tfstate"),
            Path("cdktf.out"),
            "s3 tf-state/ml/oci.tfstate (OCI Object Storage, eu-frankfurt-1)",
        ),
    ],
    ids=["local", "local-absolute", "cloud", "cloud-named-on-host", "cloud-tags", "gcs", "s3"],
)
def test_describe_says_where_the_state_is(backend: Backend, outdir: Path, said: str) -> None:
    assert state.describe(backend, NAME, outdir) == said


def test_the_local_path_is_relative_to_the_stack_folder_and_lands_beside_the_output_folder(tmp_path: Path) -> None:
    stack_folder = tmp_path / "cdktf.out" / "stacks" / NAME.id
    stack_folder.mkdir(parents=True)
    assert (stack_folder / state.local_path(NAME)).resolve() == tmp_path / "state" / "ml-models" / "prod-oci.tfstate"
