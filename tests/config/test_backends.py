"""The `backend` of an environment: defaults and one test per rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from config.backends import CloudBackend, GcsBackend, LocalBackend, S3Backend
from tests.config.test_config import BASE, load, only_error

OCI = {"region": "us-ashburn-1", "home_region": "us-ashburn-1", "compartment_id": "ocid1.compartment.oc1..aaaaaaaaexample", "buckets": [{"name": "models"}]}
PATH = "environments.dev.backend"


def with_backend(backend: Any, *, both_clouds: bool = False) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["backend"] = backend
    if both_clouds:
        data["environments"]["dev"]["oci"] = copy.deepcopy(OCI)
    return data


def backend_of(tmp_path: Path, backend: Any) -> Any:
    return load(tmp_path, with_backend(backend)).environments["dev"].backend


def test_default_backend_is_local(tmp_path: Path) -> None:
    assert load(tmp_path, BASE).environments["dev"].backend == LocalBackend(type="local")


def test_cloud_defaults_to_app_terraform_io_and_a_named_workspace(tmp_path: Path) -> None:
    backend = backend_of(tmp_path, {"type": "cloud", "organization": "acme"})
    assert isinstance(backend, CloudBackend)
    assert (backend.hostname, backend.workspace, backend.workspace_tags, backend.project) == ("app.terraform.io", None, None, None)


def test_gcs_and_s3_paths_default_to_none_for_the_stack_to_fill(tmp_path: Path) -> None:
    assert backend_of(tmp_path, {"type": "gcs", "bucket": "acme-state"}) == GcsBackend(type="gcs", bucket="acme-state")
    s3 = backend_of(tmp_path, {"type": "s3", "bucket": "state", "region": "us-ashburn-1", "namespace": "acme"})
    assert isinstance(s3, S3Backend) and s3.key is None


def test_rejects_unknown_backend_type(tmp_path: Path) -> None:
    assert f"{PATH}: not a backend type (got {{type: ftp}}); use type: local, cloud, gcs, s3" in only_error(
        tmp_path, with_backend({"type": "ftp"})
    )


def test_rejects_backend_without_type(tmp_path: Path) -> None:
    assert f"{PATH}: missing type (got {{bucket: x}}); use type: local, cloud, gcs, s3" in only_error(
        tmp_path, with_backend({"bucket": "x"})
    )


def test_rejects_key_of_another_backend_type_listing_the_allowed_ones(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_backend({"type": "gcs", "bucket": "acme-state", "organization": "acme"}))
    assert f"{PATH}.organization: unknown key (got 'acme'); allowed keys: type, bucket, prefix" in line


@pytest.mark.parametrize(
    ("key", "hint"),
    [("token", "TF_TOKEN_"), ("secret_key", "AWS_SECRET_ACCESS_KEY"), ("access_key", "AWS_ACCESS_KEY_ID"), ("credentials", "GOOGLE_APPLICATION_CREDENTIALS")],
)
def test_rejects_secrets_in_the_config_saying_where_they_belong(tmp_path: Path, key: str, hint: str) -> None:
    backend = {"type": "s3", "bucket": "state", "region": "us-ashburn-1", "namespace": "acme", key: "s3cr3t"}
    if key == "token":
        backend = {"type": "cloud", "organization": "acme", key: "s3cr3t"}
    if key == "credentials":
        backend = {"type": "gcs", "bucket": "acme-state", key: "{...}"}
    line = only_error(tmp_path, with_backend(backend))
    assert f"{PATH}.{key}: secrets never go in the config file" in line and hint in line
    # Printed, the secret would land in CI logs.
    assert "(got a value, not shown)" in line
    assert "s3cr3t" not in line and "{...}" not in line


def test_rejects_bad_organization(tmp_path: Path) -> None:
    assert f"{PATH}.organization: not a Terraform Cloud organization name (got 'acme corp')" in only_error(
        tmp_path, with_backend({"type": "cloud", "organization": "acme corp"})
    )


def test_rejects_bad_workspace_name(tmp_path: Path) -> None:
    assert f"{PATH}.workspace: not a Terraform Cloud workspace name (got 'ml/prod')" in only_error(
        tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace": "ml/prod"})
    )


def test_rejects_bad_hostname(tmp_path: Path) -> None:
    assert f"{PATH}.hostname: not a hostname (got 'https://tfe.acme.example')" in only_error(
        tmp_path, with_backend({"type": "cloud", "organization": "acme", "hostname": "https://tfe.acme.example"})
    )


def test_rejects_bad_workspace_tag(tmp_path: Path) -> None:
    assert f"{PATH}.workspace_tags[0]: not a workspace tag (got 'ML Models')" in only_error(
        tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace_tags": ["ML Models"]})
    )


def test_rejects_workspace_and_tags_together(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace": "w", "workspace_tags": ["ml"]}))
    assert f"{PATH}.workspace_tags: workspace and workspace_tags exclude each other" in line


def test_rejects_empty_workspace_tags(tmp_path: Path) -> None:
    assert f"{PATH}.workspace_tags: no tag (got [])" in only_error(
        tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace_tags": []})
    )


def test_rejects_one_workspace_for_two_stacks(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace": "ml-prod"}, both_clouds=True))
    assert f"{PATH}.workspace: the gcp and oci stacks would share one state (got 'ml-prod'); put {{cloud}} in it" in line


def test_accepts_one_workspace_name_with_the_cloud_placeholder(tmp_path: Path) -> None:
    assert load(tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace": "ml-{cloud}"}, both_clouds=True))


def test_rejects_one_gcs_prefix_for_two_stacks(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_backend({"type": "gcs", "bucket": "acme-state", "prefix": "ml"}, both_clouds=True))
    assert f"{PATH}.prefix: the gcp and oci stacks would share one state (got 'ml')" in line


def test_rejects_one_s3_key_for_two_stacks(tmp_path: Path) -> None:
    backend = {"type": "s3", "bucket": "state", "region": "us-ashburn-1", "namespace": "acme", "key": "ml.tfstate"}
    assert f"{PATH}.key: the gcp and oci stacks would share one state" in only_error(tmp_path, with_backend(backend, both_clouds=True))


def test_rejects_bad_gcs_bucket(tmp_path: Path) -> None:
    assert f"{PATH}.bucket: not a GCS bucket name (got 'Acme_State')" in only_error(
        tmp_path, with_backend({"type": "gcs", "bucket": "Acme_State"})
    )


@pytest.mark.parametrize("path", ["/abs/state", "../up", "a b"])
def test_rejects_bad_state_path(tmp_path: Path, path: str) -> None:
    assert f"{PATH}.prefix: not a state path (got {path!r})" in only_error(
        tmp_path, with_backend({"type": "gcs", "bucket": "acme-state", "prefix": path})
    )


def test_rejects_bad_s3_region_and_namespace(tmp_path: Path) -> None:
    backend = {"type": "s3", "bucket": "state", "region": "ashburn", "namespace": "acme corp"}
    from tests.config.test_config import errors

    lines = errors(tmp_path, with_backend(backend))
    assert any(f"{PATH}.region: not an OCI region identifier (got 'ashburn')" in line for line in lines)
    assert any(f"{PATH}.namespace: not an Object Storage namespace (got 'acme corp')" in line for line in lines)


def test_rejects_missing_s3_fields(tmp_path: Path) -> None:
    from tests.config.test_config import errors

    lines = errors(tmp_path, with_backend({"type": "s3", "bucket": "state"}))
    assert [line.split(": ", 1)[1] for line in lines] == [
        f"{PATH}.region: missing (got nothing); add region",
        f"{PATH}.namespace: missing (got nothing); add namespace",
    ]


def test_workspace_tags_of_two_clouds_tell_the_stacks_apart_with_the_cloud_placeholder(tmp_path: Path) -> None:
    from config.backends import CloudBackend, cloud_tags

    line = only_error(tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace_tags": ["ml"]}, both_clouds=True))
    assert f"{PATH}.workspace_tags: the gcp and oci stacks would pick among the same workspaces, and could share one state (got ['ml'])" in line
    assert "make one tag per cloud with {cloud} in it (e.g. [ml, ml-{cloud}]), or use workspace" in line
    config = load(tmp_path, with_backend({"type": "cloud", "organization": "acme", "workspace_tags": ["ml", "ml-{cloud}"]}, both_clouds=True))
    backend = config.environments["dev"].backend
    assert isinstance(backend, CloudBackend) and cloud_tags(backend, "oci") == ["ml", "ml-oci"]
