"""tests/configs/full.yaml: every option and every backend type, synthesized once (and
compared whole with its snapshots by tests/stacks/test_snapshots.py)."""

from __future__ import annotations

import pytest

from tests.conftest import FULL_STACKS, Json


def test_one_stack_per_environment_and_cloud(full_stacks: dict[str, Json]) -> None:
    assert sorted(full_stacks) == list(FULL_STACKS)


@pytest.mark.parametrize(
    ("stack_id", "kind", "settings"),
    [
        ("research-gcp", "backend", {"local": {"path": "../../../state/acme-models/research-gcp.tfstate"}}),
        ("staging-gcp", "cloud", {"organization": "acme", "hostname": "app.terraform.io", "workspaces": {"name": "acme-models-staging-gcp", "project": "ml-platform"}}),
        ("staging-oci", "cloud", {"organization": "acme", "hostname": "app.terraform.io", "workspaces": {"name": "acme-models-staging-oci", "project": "ml-platform"}}),
        ("tagged-oci", "cloud", {"organization": "acme", "hostname": "tfe.acme.example", "workspaces": {"tags": ["ml", "oci:tagged"]}}),
        ("gcs-state-gcp", "backend", {"gcs": {"bucket": "acme-tf-state", "prefix": "ml/gcs-state/gcp"}}),
        ("gcs-state-oci", "backend", {"gcs": {"bucket": "acme-tf-state", "prefix": "ml/gcs-state/oci"}}),
    ],
)
def test_each_backend_type_lands_in_its_stack(full_stacks: dict[str, Json], stack_id: str, kind: str, settings: Json) -> None:
    assert full_stacks[stack_id]["terraform"][kind] == settings


def test_s3_backend_on_oci_object_storage(full_stacks: dict[str, Json]) -> None:
    s3 = full_stacks["oci-state-oci"]["terraform"]["backend"]["s3"]
    assert s3["endpoints"] == {"s3": "https://acmetenancy.compat.objectstorage.us-ashburn-1.oraclecloud.com"}
    assert s3["key"] == "acme-models/oci-state/oci.tfstate"
    assert s3["use_path_style"] is True and s3["skip_s3_checksum"] is True


def test_adopt_imports_the_repository(full_stacks: dict[str, Json]) -> None:
    assert full_stacks["research-gcp"]["import"] == [
        {"to": "google_artifact_registry_repository.wheels", "id": "projects/acme-research/locations/europe-west4/repositories/wheels"}
    ]


def test_adopt_imports_the_bucket_and_never_its_lifecycle_policy(full_stacks: dict[str, Json]) -> None:
    # The lifecycle policy is created (a PUT that replaces any policy the bucket has): an
    # import of a bucket without one would stop the plan.
    assert full_stacks["research-oci"]["import"] == [{"to": "oci_objectstorage_bucket._2024-datasets", "id": "n/acmeresearch/b/2024-datasets"}]
    assert "_2024-datasets" in full_stacks["research-oci"]["resource"]["oci_objectstorage_object_lifecycle_policy"]
    # With the namespace looked up, the import ID refers to the lookup (known at plan time).
    assert [i["id"] for i in full_stacks["staging-oci"]["import"]] == ["n/${data.oci_objectstorage_namespace.this.namespace}/b/staging-models"]


def test_no_import_without_adopt(full_stacks: dict[str, Json]) -> None:
    assert all("import" not in full_stacks[s] for s in ("staging-gcp", "tagged-oci", "gcs-state-gcp", "oci-state-oci"))


def test_a_stack_has_the_time_provider_exactly_when_it_has_waits(full_stacks: dict[str, Json]) -> None:
    has = {stack_id: ("time" in stack.get("provider", {}), bool(stack.get("resource", {}).get("time_sleep"))) for stack_id, stack in full_stacks.items()}
    assert {stack_id: provider for stack_id, (provider, _) in has.items()} == {stack_id: waits for stack_id, (_, waits) in has.items()}
    assert {True, False} == {provider for provider, _ in has.values()}  # both kinds are in full.yaml
