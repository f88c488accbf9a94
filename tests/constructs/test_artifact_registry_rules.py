"""Pure Artifact Registry rules and helpers, on their own."""

from __future__ import annotations

import pytest

from constructs import artifact_registry_rules as rules


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [("1s", 1), ("90m", 5400), ("36h", 129600), ("90d", 7776000)],
)
def test_parse_duration_gives_seconds(duration: str, seconds: int) -> None:
    assert rules.parse_duration(duration) == seconds


@pytest.mark.parametrize("duration", ["1.5h", "90", "d", "0d", "90 d", "-1d", "90w", "3 months"])
def test_parse_duration_refuses_non_durations(duration: str) -> None:
    assert rules.parse_duration(duration) is None
    assert rules.check_duration(duration) is not None


def test_repository_url_for_generic_and_docker() -> None:
    assert rules.repository_url(location="us-central1", format_="GENERIC", project="p-123456", repository_id="models") == (
        "us-central1-generic.pkg.dev/p-123456/models"
    )
    assert rules.repository_url(location="europe-west4", format_="docker", project="acme", repository_id="img") == (
        "europe-west4-docker.pkg.dev/acme/img"
    )


def test_service_agent_member() -> None:
    assert rules.service_agent("123") == "serviceAccount:service-123@gcp-sa-artifactregistry.iam.gserviceaccount.com"


@pytest.mark.parametrize("repository_id", ["m", "models", "ml-models-2", "a" * 63])
def test_repository_id_accepts(repository_id: str) -> None:
    assert rules.check_repository_id(repository_id) is None


@pytest.mark.parametrize("repository_id", ["", "1models", "Models", "models-", "ml_models", "a" * 64])
def test_repository_id_refuses(repository_id: str) -> None:
    assert rules.check_repository_id(repository_id) is not None


@pytest.mark.parametrize("project", ["acme-ml", "a23456", "a" * 30])
def test_project_id_accepts(project: str) -> None:
    assert rules.check_project_id(project) is None


@pytest.mark.parametrize("project", ["acme", "a" * 31, "Acme-ml", "acme-ml-", "1acme-ml"])
def test_project_id_refuses(project: str) -> None:
    assert rules.check_project_id(project) is not None


@pytest.mark.parametrize(
    "member",
    [
        "user:ana@acme.example",
        "serviceAccount:ci@p-1.iam.gserviceaccount.com",
        "group:ml@acme.example",
        "domain:acme.example",
        "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*",
        "projectViewer:acme-ml-dev",
    ],
)
def test_member_accepts(member: str) -> None:
    assert rules.check_member(member, allow_public=False) is None


@pytest.mark.parametrize("member", ["ana@acme.example", "user:ana", "team:ml@acme.example", "domain:", ""])
def test_member_refuses(member: str) -> None:
    assert rules.check_member(member, allow_public=True) is not None


def test_public_members_need_allow_public() -> None:
    for member in rules.PUBLIC_MEMBERS:
        assert rules.check_member(member, allow_public=False) is not None
        assert rules.check_member(member, allow_public=True) is None


def test_kms_key_location() -> None:
    key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"
    assert rules.kms_key_location(key) == "us-central1"
    assert rules.check_kms_key_name(key, "us-central1") is None
    assert rules.check_kms_key_name(key, "us-east1") is not None
    assert rules.kms_key_location("projects/p/keyRings/r") is None
