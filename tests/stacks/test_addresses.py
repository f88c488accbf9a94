"""Terraform addresses are a contract: renaming one destroys and recreates what it names.

This list pins every address of every example stack. A change that moves one must
change this list on purpose, and ship a `moved` block (README: "Terraform addresses").
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Json, SynthFn

EXPECTED = {
    "dev-gcp": [
        "google_artifact_registry_repository.models",
        "google_artifact_registry_repository_iam_member.models_reader_de3fd9a7",
        "google_artifact_registry_repository_iam_member.models_writer_14371a57",
    ],
    "dev-oci": [
        "data.oci_objectstorage_namespace.this",
        "oci_identity_policy.ml-models-dev_access",
        "oci_identity_policy.objectstorage_lifecycle_service_9b0b62ee",
        "oci_objectstorage_bucket.ml-models-dev",
        "oci_objectstorage_object_lifecycle_policy.ml-models-dev",
    ],
    "prod-gcp": [
        "data.google_iam_policy.models",
        "data.google_iam_policy.serving-images",
        "data.google_project.acme-ml-prod",
        "google_artifact_registry_repository.models",
        "google_artifact_registry_repository.serving-images",
        "google_artifact_registry_repository_iam_policy.models",
        "google_artifact_registry_repository_iam_policy.serving-images",
        "google_kms_crypto_key_iam_member.artifact_registry_cmek_c7e94162",
    ],
    "prod-oci": [
        "data.oci_objectstorage_namespace.this",
        "oci_identity_policy.machine-learning-models_access",
        "oci_identity_policy.objectstorage_lifecycle_service_c5b6af76",
        "oci_objectstorage_bucket.machine-learning-models",
        "oci_objectstorage_object_lifecycle_policy.machine-learning-models",
    ],
}


def addresses(stack: Json) -> list[str]:
    resources = [f"{kind}.{name}" for kind, named in stack.get("resource", {}).items() for name in named]
    data = [f"data.{kind}.{name}" for kind, named in stack.get("data", {}).items() for name in named]
    return sorted(resources + data)


def test_every_example_address_is_pinned(example_stacks: dict[str, Json]) -> None:
    assert {stack_id: addresses(stack) for stack_id, stack in example_stacks.items()} == EXPECTED


def test_readme_moved_recipe_emits_a_moved_block(synth: SynthFn) -> None:
    from constructs.model_registry_repository import ModelRegistryRepository, ModelRegistryRepositoryProps

    def build(stack: Any) -> None:
        props = ModelRegistryRepositoryProps(project="acme-ml", location="us-central1", repository_id="models")
        repository = ModelRegistryRepository(stack, "new-name", props=props)
        repository.resource.move_from_id("google_artifact_registry_repository.old-name")

    assert synth(build)["moved"] == [
        {"from": "google_artifact_registry_repository.old-name", "to": "google_artifact_registry_repository.new-name"}
    ]
