"""Terraform addresses are a contract: every synthesized address is one pinned in tests/addresses.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.addresses import PINNED
from tests.conftest import Json, SynthFn


def addresses(stack: Json) -> list[str]:
    resources = [f"{kind}.{name}" for kind, named in stack.get("resource", {}).items() for name in named]
    data = [f"data.{kind}.{name}" for kind, named in stack.get("data", {}).items() for name in named]
    return sorted(resources + data)


@pytest.mark.parametrize("config", list(PINNED))
def test_every_address_is_pinned(config_stacks: dict[str, dict[str, Json]], config: str) -> None:
    assert {stack_id: addresses(stack) for stack_id, stack in config_stacks[config].items()} == {
        stack_id: sorted(pinned) for stack_id, pinned in PINNED[config].items()
    }


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
