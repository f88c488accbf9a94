"""The example's GCP stacks: what each must hold (tests/stacks/test_snapshots.py compares them whole)."""

from __future__ import annotations

from pathlib import Path

import pytest

import engine
from tests.conftest import Json

GCP_STACKS = ("dev-gcp", "prod-gcp")


def test_one_gcp_stack_per_environment(example_stacks: dict[str, Json]) -> None:
    assert sorted(s for s in example_stacks if s.endswith("-gcp")) == list(GCP_STACKS)


@pytest.mark.parametrize("stack_id", GCP_STACKS)
def test_provider_and_local_backend(example_stacks: dict[str, Json], stack_id: str) -> None:
    stack = example_stacks[stack_id]
    project = {"dev-gcp": "acme-ml-dev", "prod-gcp": "acme-ml-prod"}[stack_id]
    assert stack["provider"]["google"] == [{"project": project, "region": "us-central1"}]
    assert stack["terraform"]["required_providers"]["google"]["version"] == engine.GOOGLE_VERSION
    assert stack["terraform"]["required_version"] == ">= 1.7.0"
    # Relative to the stack's working folder, never an absolute path of this machine, the config's name in it.
    assert stack["terraform"]["backend"] == {"local": {"path": f"../../../state/ml-models/{stack_id}.tfstate"}}


@pytest.mark.parametrize("stack_id", GCP_STACKS)
def test_outputs_per_repository(example_stacks: dict[str, Json], stack_id: str) -> None:
    stack = example_stacks[stack_id]
    repositories = stack["resource"]["google_artifact_registry_repository"]
    fields = ("url", "id", "location", "project", "format", "address")
    assert set(stack["output"]) == {f"{repo}_{field}" for repo in repositories for field in fields} | {"repositories"}
    for repo, resource in repositories.items():
        assert stack["output"][f"{repo}_id"]["value"] == f"${{google_artifact_registry_repository.{repo}.id}}"
        assert stack["output"][f"{repo}_url"]["value"] == (
            f"us-central1-{resource['format'].lower()}.pkg.dev/{resource['project']}/{repo}"
        )
        assert stack["output"][f"{repo}_location"]["value"] == resource["location"] == "us-central1"
        assert stack["output"][f"{repo}_project"]["value"] == resource["project"]
        # One output holds them all: a pipeline reads one JSON.
        assert stack["output"]["repositories"]["value"][repo] == {field: stack["output"][f"{repo}_{field}"]["value"] for field in fields}
    assert sorted(stack["output"]["repositories"]["value"]) == sorted(repositories)


def test_each_format_gets_the_address_its_client_takes(example_stacks: dict[str, Json], full_stacks: dict[str, Json]) -> None:
    addresses = {
        ("prod-gcp", "serving-images"): "us-central1-docker.pkg.dev/acme-ml-prod/serving-images",
        ("prod-gcp", "models"): "--location=us-central1 --repository=models --project=acme-ml-prod",
        ("research-gcp", "wheels"): "https://europe-west4-python.pkg.dev/acme-research/wheels/simple/",
        ("research-gcp", "pipelines"): "https://europe-west4-kfp.pkg.dev/acme-research/pipelines",
        ("gcs-state-gcp", "models"): "--location=us --repository=models --project=acme-ml-gcs",
    }
    stacks = {**example_stacks, **full_stacks}
    assert {key: stacks[key[0]]["output"][f"{key[1]}_address"]["value"] for key in addresses} == addresses


def test_prod_keeps_prevent_destroy_and_dev_opts_out(example_stacks: dict[str, Json]) -> None:
    prod = example_stacks["prod-gcp"]["resource"]["google_artifact_registry_repository"]
    dev = example_stacks["dev-gcp"]["resource"]["google_artifact_registry_repository"]
    assert all(r["lifecycle"] == {"prevent_destroy": True} for r in prod.values())
    assert all("lifecycle" not in r for r in dev.values())


def test_prod_repositories_use_cmek_after_the_api_the_agent_and_the_grant(example_stacks: dict[str, Json]) -> None:
    stack = example_stacks["prod-gcp"]
    (grant_name, grant), = stack["resource"]["google_kms_crypto_key_iam_member"].items()
    # Each step waits until the one before is in force (time_sleep: see constructs/propagation_wait.py).
    assert grant["depends_on"] == ["time_sleep.acme-ml-prod_artifactregistry_agent"]
    waits = {
        "models": ["time_sleep.acme-ml-prod_artifactregistry", f"time_sleep.{grant_name}"],
        "serving-images": [
            "time_sleep.acme-ml-prod_artifactregistry",
            "time_sleep.acme-ml-prod_containerscanning",  # vulnerability_scanning: inherited
            f"time_sleep.{grant_name}",
        ],
    }
    for name, repo in stack["resource"]["google_artifact_registry_repository"].items():
        assert repo["kms_key_name"].startswith("projects/acme-security/locations/us-central1/")
        assert repo["depends_on"] == waits[name]


def test_dev_enables_the_api_without_google_beta(example_stacks: dict[str, Json]) -> None:
    stack = example_stacks["dev-gcp"]
    (api,) = stack["resource"]["google_project_service"].values()
    assert (api["project"], api["service"], api["disable_on_destroy"]) == ("acme-ml-dev", "artifactregistry.googleapis.com", False)
    assert set(stack["provider"]) == {"google", "time"}


def test_prod_iam_is_authoritative_and_dev_additive(example_stacks: dict[str, Json]) -> None:
    prod, dev = example_stacks["prod-gcp"]["resource"], example_stacks["dev-gcp"]["resource"]
    assert set(prod["google_artifact_registry_repository_iam_policy"]) == {"models", "serving-images"}
    assert "google_artifact_registry_repository_iam_member" not in prod
    assert "google_artifact_registry_repository_iam_policy" not in dev
    assert len(dev["google_artifact_registry_repository_iam_member"]) == 2


@pytest.mark.parametrize("repository_id", ["google", "google-beta", "backend", "repositories"])
def test_repository_named_like_a_stack_construct_synthesizes(tmp_path: Path, repository_id: str) -> None:
    import json

    from config import load_config
    from engine import Testing
    from stacks.gcp_stack import GcpStack
    from stacks.names import StackName

    config_file = tmp_path / "c.yaml"
    config_file.write_text(
        "name: ml\nenvironments:\n  dev:\n    gcp:\n      project: acme-ml-dev\n      region: us-central1\n"
        f"      repositories: [{{id: {repository_id}}}]\n"
    )
    environment = load_config(config_file).environments["dev"]
    assert environment.gcp is not None
    stack = GcpStack(Testing.app(), StackName("ml", "dev", "gcp"), environment.gcp, backend=environment.backend, allow_destroy=False)
    synthesized = json.loads(Testing.synth(stack))
    assert list(synthesized["resource"]["google_artifact_registry_repository"]) == [repository_id]
    assert synthesized["provider"]["google"] == [{"project": "acme-ml-dev", "region": "us-central1"}]
