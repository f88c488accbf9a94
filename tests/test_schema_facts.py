"""Every synthesized stack keeps its providers' schema facts (tests/facts.py)."""

from __future__ import annotations

import copy

from tests.conftest import Json
from tests.facts import schema_problems


def test_every_example_stack_keeps_the_facts(example_stacks: Json) -> None:
    assert example_stacks
    for stack_id, stack in example_stacks.items():
        assert schema_problems(stack) == [], stack_id


def test_the_check_catches_a_misspelled_argument(example_stacks: Json) -> None:
    stack = copy.deepcopy(example_stacks["prod-gcp"])
    stack["resource"]["google_artifact_registry_repository"]["models"]["kms_key"] = "x"
    assert schema_problems(stack) == ["google_artifact_registry_repository.models.kms_key: not an argument of this type"]


def test_the_check_catches_a_nested_block_argument_and_a_wrong_type(example_stacks: Json) -> None:
    stack = copy.deepcopy(example_stacks["prod-gcp"])
    repo = stack["resource"]["google_artifact_registry_repository"]["models"]
    repo["cleanup_policies"][1]["most_recent_versions"]["keep"] = 3
    repo["cleanup_policy_dry_run"] = "false"
    assert sorted(schema_problems(stack)) == [
        "google_artifact_registry_repository.models.cleanup_policies[1].most_recent_versions.keep: not an argument of this type",
        "google_artifact_registry_repository.models.cleanup_policy_dry_run: 'false' is not of type union<boolean,resolvable>",
    ]


def test_the_check_catches_a_missing_required_argument_and_a_bad_reference(example_stacks: Json) -> None:
    stack = copy.deepcopy(example_stacks["prod-gcp"])
    del stack["resource"]["google_artifact_registry_repository"]["models"]["repository_id"]
    stack["output"]["models_id"]["value"] = "${google_artifact_registry_repository.models.registry_url}"
    assert sorted(schema_problems(stack)) == [
        "${google_artifact_registry_repository.models.registry_url}: google_artifact_registry_repository has no attribute 'registry_url'",
        "google_artifact_registry_repository.models.repository_id: required argument missing",
    ]
