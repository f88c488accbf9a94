"""Terraform addresses are a contract: the reviewed snapshots pin them (test_snapshots.py,
tests/addresses.py); a rename ships a `moved` block, as the README's recipe shows."""

from __future__ import annotations

from typing import Any

from tests.conftest import SynthFn


def test_readme_moved_recipe_emits_a_moved_block(synth: SynthFn) -> None:
    from constructs.model_registry_repository import ModelRegistryRepository
    from specs.repository import RepositorySpec

    def build(stack: Any) -> None:
        spec = RepositorySpec(id="models")
        repository = ModelRegistryRepository(stack, "new-name", spec=spec, project="acme-ml", location="us-central1")
        repository.resource.move_from_id("google_artifact_registry_repository.old-name")

    assert synth(build)["moved"] == [
        {"from": "google_artifact_registry_repository.old-name", "to": "google_artifact_registry_repository.new-name"}
    ]
