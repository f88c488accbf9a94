"""stacks/backend.py: each backend type as it lands in the stack's `terraform` block."""

from __future__ import annotations

from typing import Any

import pytest

from config.backends import CloudBackend, GcsBackend, LocalBackend, S3Backend
from stacks.backend import add_terraform_settings
from stacks.names import StackName
from tests.conftest import Json, SynthFn

NAME = StackName("ml-models", "prod", "oci")


def terraform_block(synth: SynthFn, backend: Any, name: StackName = NAME) -> Json:
    def build(stack: Any) -> None:
        from engine import TerraformOutput

        add_terraform_settings(stack, name, backend)
        TerraformOutput(stack, "x", value="x")

    block: Json = synth(build)["terraform"]
    return block


def test_local_state_is_relative_and_per_stack(synth: SynthFn) -> None:
    assert terraform_block(synth, LocalBackend(type="local"))["backend"] == {
        "local": {"path": "../../../state/ml-models/prod-oci.tfstate"}
    }


def test_cloud_defaults_to_a_workspace_per_stack(synth: SynthFn) -> None:
    block = terraform_block(synth, CloudBackend(type="cloud", organization="acme"))
    assert block["cloud"] == {"organization": "acme", "hostname": "app.terraform.io", "workspaces": {"name": "ml-models-prod-oci"}}
    assert "backend" not in block


def test_cloud_workspace_fills_the_cloud_placeholder_and_keeps_the_project(synth: SynthFn) -> None:
    backend = CloudBackend(type="cloud", organization="acme", hostname="tfe.acme.example", project="ml", workspace="models-{cloud}")
    assert terraform_block(synth, backend)["cloud"] == {
        "organization": "acme",
        "hostname": "tfe.acme.example",
        "workspaces": {"name": "models-oci", "project": "ml"},
    }


def test_cloud_workspace_tags(synth: SynthFn) -> None:
    backend = CloudBackend(type="cloud", organization="acme", workspace_tags=("ml", "ml-{cloud}"))
    assert terraform_block(synth, backend)["cloud"]["workspaces"] == {"tags": ["ml", f"ml-{NAME.cloud}"]}


@pytest.mark.parametrize(("prefix", "expected"), [(None, "ml-models/prod/gcp"), ("state/{cloud}", "state/gcp")])
def test_gcs_prefix(synth: SynthFn, prefix: str | None, expected: str) -> None:
    backend = GcsBackend(type="gcs", bucket="acme-state", prefix=prefix)
    assert terraform_block(synth, backend, StackName("ml-models", "prod", "gcp"))["backend"] == {
        "gcs": {"bucket": "acme-state", "prefix": expected}
    }


def test_s3_points_at_oci_object_storage_with_the_settings_it_needs(synth: SynthFn) -> None:
    backend = S3Backend(type="s3", bucket="tf-state", region="eu-frankfurt-1", namespace="acmetenancy")
    assert terraform_block(synth, backend)["backend"] == {
        "s3": {
            "bucket": "tf-state",
            "key": "ml-models/prod/oci.tfstate",
            "region": "eu-frankfurt-1",
            "endpoints": {"s3": "https://acmetenancy.compat.objectstorage.eu-frankfurt-1.oraclecloud.com"},
            "use_path_style": True,
            "skip_region_validation": True,
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_s3_checksum": True,
        }
    }


def test_s3_key_fills_the_cloud_placeholder(synth: SynthFn) -> None:
    backend = S3Backend(type="s3", bucket="tf-state", region="eu-frankfurt-1", namespace="acme", key="ml/{cloud}.tfstate")
    assert terraform_block(synth, backend)["backend"]["s3"]["key"] == "ml/oci.tfstate"


def test_s3_endpoint_outside_the_commercial_realm(synth: SynthFn) -> None:
    backend = S3Backend(type="s3", bucket="tf-state", region="us-gov-ashburn-1", namespace="acme")
    assert terraform_block(synth, backend)["backend"]["s3"]["endpoints"] == {
        "s3": "https://acme.compat.objectstorage.us-gov-ashburn-1.oraclegovcloud.com"
    }
