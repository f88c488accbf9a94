"""What a `removed { lifecycle { destroy = false } }` block does in Terraform itself (>= 1.7):
the stacks write one for every repository without authoritative IAM
(constructs/removed_block.py), so it must forget a policy left in the state and do nothing when
there is none. One Terraform folder, three steps: apply a policy, apply the removed block in its
place, plan again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.terraform.harness import STACK_FILE, Terraform, Toolchain, planned_actions, state_resources

POLICY = "google_artifact_registry_repository_iam_policy.models"
PROVIDERS = {"google": [{"project": "acme-ml"}]}
REQUIRED = {"required_providers": {"google": {"source": "hashicorp/google", "version": "6.50.0"}}, "backend": {"local": {"path": "terraform.tfstate"}}}
WITH_POLICY = {
    "terraform": REQUIRED,
    "provider": PROVIDERS,
    "resource": {
        "google_artifact_registry_repository_iam_policy": {
            "models": {"location": "us-central1", "repository": "models", "policy_data": '{"bindings":[{"role":"roles/artifactregistry.reader","members":["user:a@example.com"]}]}'}
        }
    },
}
FORGETTING = {"terraform": REQUIRED, "provider": PROVIDERS, "removed": [{"from": POLICY, "lifecycle": {"destroy": False}}]}


def write(folder: Path, stack: dict[str, Any]) -> None:
    (folder / STACK_FILE).write_text(json.dumps(stack))


@pytest.fixture(scope="module")
def steps(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("removed") / "stack"
    folder.mkdir()
    terraform = Terraform(folder, terraform_toolchain)
    write(folder, FORGETTING)
    terraform.init()
    found: dict[str, Any] = {"nothing in state": terraform.plan()}
    write(folder, WITH_POLICY)
    terraform.apply()
    write(folder, FORGETTING)
    found["in state"] = terraform.plan()
    terraform.apply(saved_plan=True)
    found["state after"] = state_resources(terraform.state())
    found["plan after"] = terraform.plan()
    return found


def test_a_removed_block_without_the_address_in_state_plans_nothing(steps: dict[str, Any]) -> None:
    plan = steps["nothing in state"]
    assert plan["errored"] is False
    assert planned_actions(plan) == {}


def test_a_removed_block_forgets_the_policy_instead_of_destroying_it(steps: dict[str, Any]) -> None:
    # "forget": out of the state, no Delete call (which would write an empty policy).
    assert planned_actions(steps["in state"]) == {POLICY: ["forget"]}
    assert POLICY not in steps["state after"]
    assert planned_actions(steps["plan after"]) == {}
