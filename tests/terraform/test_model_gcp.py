"""The Google Cloud model refuses what Google Cloud refuses. Each of its rules is shown
in-process, against the model's create, update and delete hooks, with the values the stand-in
provider hands it; one real stack broken on purpose shows Terraform surfacing the model's
refusal (every stack as synthesized applies: test_stacks.py). The model (model/gcp.py) reads
arguments, never our constructs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Json
from tests.terraform.breaks import (
    Break,
    refusal,
    refusals_fixture,
    refused_as_expected,
    rules_without_a_test,
    shows,
    unlisted,
)
from tests.terraform.model.gcp import REGISTRY_API, ROLE_KMS, RULES, GcpModel, repository_name
from tests.terraform.model.world import World

# ----------------------------------------------------------------------------
# Each rule, in-process
# ----------------------------------------------------------------------------

KEY = "projects/security/locations/europe-west4/keyRings/ml/cryptoKeys/models"
KEY_ELSEWHERE = "projects/security/locations/europe-west1/keyRings/ml/cryptoKeys/models"
NEW_AGENT = "serviceAccount:service-100000000001@gcp-sa-artifactregistry.iam.gserviceaccount.com"
AGENT = "serviceAccount:service-100000000002@gcp-sa-artifactregistry.iam.gserviceaccount.com"
REPOSITORY, IAM_POLICY = "google_artifact_registry_repository", "google_artifact_registry_repository_iam_policy"
SERVICE, IDENTITY, KEY_GRANT = "google_project_service", "google_project_service_identity", "google_kms_crypto_key_iam_member"
AUDIT = "google_project_iam_audit_config"
SECRET_GRANT, IAM_MEMBER = "google_secret_manager_secret_iam_member", "google_artifact_registry_repository_iam_member"
SECRET = "projects/secrets/secrets/upstream"
ACCESSOR = "roles/secretmanager.secretAccessor"
BAD = "googleapi: Error 400"

Model = Callable[[str], GcpModel]
"""The model as a provider configured for a project sees it; every project shares one ledger."""


@pytest.fixture
def gcp(tmp_path: Path) -> Model:
    """`new`: a project with no API enabled and no service agent; `ml`: one with both, and a
    repository made before the test (`wheels`); `serving`: a consuming project with Vertex AI on
    (its Vertex AI agent exists, its Custom Code agent not yet); a secret with two versions."""
    facts = {
        "projects": {
            "new": {"number": "100000000001", "apis": []},
            "ml": {"number": "100000000002", "apis": [REGISTRY_API], "agent": True},
            "serving": {"number": "100000000003", "apis": ["aiplatform.googleapis.com"], "agents": ["gcp-sa-aiplatform"]},
        },
        "secrets": {SECRET: {"versions": [1, 2], "bindings": {}}},
        "keys": {KEY: {"bindings": {}}, KEY_ELSEWHERE: {"bindings": {ROLE_KMS: [AGENT]}}},
        "repositories": [{"project": "ml", "location": "europe-west4", "repository_id": "wheels", "format": "PYTHON"}],
    }
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"gcp": facts}))
    return lambda project: GcpModel(World(world), {"project": project})


def repository(repository_id: str, **values: Any) -> Json:
    return {"repository_id": repository_id, "location": "europe-west4", "format": "GENERIC", "mode": "STANDARD_REPOSITORY", **values}


def cleanup(policy_id: str = "p", action: str = "DELETE", **condition: Any) -> Json:
    # Nested blocks reach the model as the stand-in's state holds them: one-element lists.
    return {"id": policy_id, "action": action, "condition": [condition or {"older_than": "2592000s"}]}


def keep_recent(policy_id: str = "recent", action: str = "KEEP") -> Json:
    return {"id": policy_id, "action": action, "most_recent_versions": [{"keep_count": 3}]}


def upstream(policy_id: str, repository_id: str) -> Json:
    return {"id": policy_id, "repository": repository_name("ml", "europe-west4", repository_id), "priority": 1}


def virtual(*upstreams: Json, **values: Any) -> Json:
    return repository("pip", format="PYTHON", mode="VIRTUAL_REPOSITORY", virtual_repository_config=[{"upstream_policies": list(upstreams)}], **values)


def remote(repository_id: str, format_: str, block: str) -> Json:
    return repository(repository_id, format=format_, mode="REMOTE_REPOSITORY", remote_repository_config=[{block: [{"public_repository": "X"}]}])


@shows("gcp-api-enabled")
def test_a_repository_and_its_iam_need_the_api_enabled(gcp: Model) -> None:
    new = gcp("new")
    summary, detail = refusal(new.create(REPOSITORY, repository("models")))
    assert summary == "googleapi: Error 403"
    assert detail.startswith("Artifact Registry API has not been used in project 100000000001 before or it is disabled")
    assert detail.endswith(", SERVICE_DISABLED")
    assert refusal(new.create(IAM_POLICY, {"repository": "models", "location": "europe-west4"}))[0] == "googleapi: Error 403"
    api = {"project": "new", "service": REGISTRY_API}
    assert new.create(SERVICE, api) is None
    assert new.create(REPOSITORY, repository("models")) is None
    assert new.delete(SERVICE, api) is None  # disable_on_destroy unset: 6.x turns the API off for the project
    assert refusal(new.update(REPOSITORY, repository("models"), repository("models", description="d")))[0] == "googleapi: Error 403"


@shows("gcp-service-agent")
def test_a_grant_to_the_service_agent_waits_for_the_agent(gcp: Model) -> None:
    new = gcp("new")
    grant = {"crypto_key_id": KEY, "role": ROLE_KMS, "member": NEW_AGENT}
    assert new.create(KEY_GRANT, grant) == (BAD, "Service account service-100000000001@gcp-sa-artifactregistry.iam.gserviceaccount.com does not exist., badRequest")
    assert new.create(IDENTITY, {"project": "new", "service": REGISTRY_API}) is None
    assert new.create(KEY_GRANT, grant) is None


def test_the_first_repository_makes_the_service_agent(gcp: Model) -> None:
    new = gcp("new")
    assert new.create(SERVICE, {"service": REGISTRY_API}) is None
    assert new.create(REPOSITORY, repository("models")) is None
    assert new.create(KEY_GRANT, {"crypto_key_id": KEY, "role": ROLE_KMS, "member": NEW_AGENT}) is None


@shows("gcp-cmek-grant")
def test_a_cmek_repository_needs_its_agent_granted_on_the_key_first(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models", kms_key_name=KEY)) == (
        BAD, "Permission denied on Cloud KMS key. Please ensure your Artifact Registry service account has been authorized to use the configured key."
    )
    assert ml.create(KEY_GRANT, {"crypto_key_id": KEY, "role": ROLE_KMS, "member": AGENT}) is None
    assert ml.create(REPOSITORY, repository("models", kms_key_name=KEY)) is None  # fmt: skip


@shows("gcp-cmek-location")
def test_a_cmek_key_is_in_the_repository_s_location(gcp: Model) -> None:
    assert gcp("ml").create(REPOSITORY, repository("models", kms_key_name=KEY_ELSEWHERE)) == (
        BAD, "The Cloud KMS key location (europe-west1) must match the repository location (europe-west4). (code assumed)"
    )
    assert gcp("ml").create(REPOSITORY, repository("models", location="europe-west1", kms_key_name=KEY_ELSEWHERE)) is None  # fmt: skip


@shows("gcp-serving-agent")
def test_a_grant_to_a_serving_agent_needs_that_agent(gcp: Model) -> None:
    ml = gcp("ml")
    made = "serviceAccount:service-100000000003@gcp-sa-aiplatform.iam.gserviceaccount.com"
    not_yet = "serviceAccount:service-100000000003@gcp-sa-aiplatform-cc.iam.gserviceaccount.com"
    assert ml.create(REPOSITORY, repository("models")) is None
    member = {"repository": "models", "location": "europe-west4", "role": "roles/artifactregistry.reader"}
    assert ml.create(IAM_MEMBER, {**member, "member": made}) is None
    assert ml.create(IAM_MEMBER, {**member, "member": not_yet}) == (BAD, f"Service account {not_yet.split(':')[1]} does not exist., badRequest")
    # Inside one authoritative policy, the same: the whole policy is refused.
    policy = {"bindings": [{"role": "roles/artifactregistry.reader", "members": [made, not_yet]}]}
    assert refusal(ml.create(IAM_POLICY, {"repository": "models", "location": "europe-west4", "policy_data": json.dumps(policy)}))[0] == BAD


@shows("gcp-secret-grant")
def test_a_secret_grant_needs_the_secret_and_the_agent(gcp: Model) -> None:
    new = gcp("new")
    assert new.create(SECRET_GRANT, {"secret_id": "projects/secrets/secrets/other", "role": ACCESSOR, "member": AGENT}) == (
        "googleapi: Error 404", "Secret [projects/secrets/secrets/other] not found or has no versions., notFound"
    )
    grant = {"secret_id": SECRET, "role": ACCESSOR, "member": NEW_AGENT}
    assert refusal(new.create(SECRET_GRANT, grant)) == (BAD, "Service account service-100000000001@gcp-sa-artifactregistry.iam.gserviceaccount.com does not exist., badRequest")
    assert new.create(IDENTITY, {"project": "new", "service": REGISTRY_API}) is None
    assert new.create(SECRET_GRANT, grant) is None
    assert new.secret_members(SECRET, ACCESSOR) == [NEW_AGENT]
    assert new.delete(SECRET_GRANT, grant) is None and new.secret_members(SECRET, ACCESSOR) == []


@shows("gcp-upstream-credentials")
def test_a_remote_repository_s_credentials_need_the_version_and_the_agent_s_access(gcp: Model) -> None:
    ml = gcp("ml")

    def private(version: str, **remote: Any) -> Json:
        credentials = [{"username_password_credentials": [{"username": "ci", "password_secret_version": version}]}]
        config = {"python_repository": [{"custom_repository": [{"uri": "https://pypi.example.com/simple"}]}], "upstream_credentials": credentials, **remote}
        return repository("mirror", format="PYTHON", mode="REMOTE_REPOSITORY", remote_repository_config=[config])

    assert refusal(ml.create(REPOSITORY, private(f"{SECRET}/versions/3")))[1].startswith(f"Secret version {SECRET}/versions/3 not found")
    assert refusal(ml.create(REPOSITORY, private(f"{SECRET}/versions/2")))[1].startswith("Permission 'secretmanager.versions.access' denied")
    # Validation turned off, the repository is made: the first pull fails instead.
    assert gcp("ml").create(REPOSITORY, {**private(f"{SECRET}/versions/2", disable_upstream_validation=True), "repository_id": "unchecked"}) is None
    assert ml.create(SECRET_GRANT, {"secret_id": SECRET, "role": ACCESSOR, "member": AGENT}) is None
    assert ml.create(REPOSITORY, private(f"{SECRET}/versions/2")) is None


@shows("gcp-repository-exists")
def test_iam_and_an_import_need_the_repository(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(IAM_POLICY, {"repository": "serving-old", "location": "europe-west4"}) == (
        "googleapi: Error 404", "Requested entity was not found. (repository projects/ml/locations/europe-west4/repositories/serving-old; code assumed)"
    )
    missing = repository_name("ml", "europe-west4", "missing")
    assert ml.imported(REPOSITORY, missing) == ("googleapi: Error 404", f"Requested entity was not found. ({missing}; code assumed)")
    wheels = repository_name("ml", "europe-west4", "wheels")
    assert isinstance(ml.imported(REPOSITORY, wheels), dict)
    assert ml.create(IAM_POLICY, {"repository": wheels}) is None


@shows("gcp-repository-name")
def test_a_repository_id_is_unique_in_its_project_and_location(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models")) is None
    assert ml.create(REPOSITORY, repository("models")) == ("googleapi: Error 409", "the repository already exists: projects/ml/locations/europe-west4/repositories/models (code assumed)")
    assert refusal(ml.create(REPOSITORY, repository("wheels")))[0] == "googleapi: Error 409"  # the world's
    assert ml.create(REPOSITORY, repository("models", location="us-east1")) is None


@shows("gcp-cleanup-count")
def test_a_repository_takes_at_most_10_cleanup_policies(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(f"p{n}") for n in range(11)])) == (
        BAD, "invalid cleanup policies: a repository takes at most 10, got 11"
    )
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(f"p{n}") for n in range(10)])) is None  # fmt: skip


@shows("gcp-cleanup-shape")
@pytest.mark.parametrize(
    ("policy", "refusal"),
    [
        ({"id": "p", "action": "DELETE"}, "invalid cleanup policy: generic::invalid_argument: policy p is missing a condition"),
        ({**cleanup(), **keep_recent("p")}, "invalid cleanup policy: generic::invalid_argument: policy p has both a condition and most_recent_versions"),
        (keep_recent("p", "DELETE"), "invalid cleanup policy: generic::invalid_argument: policy p: most_recent_versions may only be specified with a Keep action"),
    ],
)
def test_a_cleanup_policy_has_a_condition_or_keeps_the_most_recent(gcp: Model, policy: Json, refusal: str) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("ok", cleanup_policies=[cleanup(), keep_recent()])) is None
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[policy])) == (BAD, refusal)


@shows("gcp-cleanup-tag-prefixes")
def test_tag_prefixes_only_with_tagged(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(tag_state="ANY", tag_prefixes=["v"])])) == (
        BAD, "invalid cleanup policy: policy p: tag_prefixes match only with tag_state TAGGED, got ANY"
    )
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(tag_state="TAGGED", tag_prefixes=["v"])])) is None  # fmt: skip


@shows("gcp-cleanup-duration")
def test_cleanup_durations_are_whole_seconds(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(older_than="30d")])) == (
        BAD, "invalid cleanup policy: policy p: older_than '30d' is not whole seconds, e.g. 7776000s"
    )
    assert refusal(ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(newer_than="3.5s")])))[0] == BAD
    assert ml.create(REPOSITORY, repository("models", cleanup_policies=[cleanup(older_than="2592000s")])) is None  # fmt: skip


@shows("gcp-repository-mode")
def test_a_remote_block_only_on_a_remote_repository_and_of_its_format(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, {**remote("cache", "DOCKER", "docker_repository"), "mode": "STANDARD_REPOSITORY"}) == (
        BAD, "remote_repository_config on a STANDARD_REPOSITORY"
    )
    assert ml.create(REPOSITORY, {**virtual(upstream("u", "wheels")), "mode": "STANDARD_REPOSITORY"}) == (BAD, "Upstream policies cannot be set on a standard repository.")
    assert ml.create(REPOSITORY, remote("cache", "DOCKER", "python_repository")) == (
        BAD, "a remote DOCKER repository takes one upstream: docker_repository or common_repository, got python_repository"
    )
    assert ml.create(REPOSITORY, remote("cache", "DOCKER", "docker_repository")) is None  # fmt: skip


@shows("gcp-virtual-upstreams")
def test_a_virtual_repository_has_1_to_30_upstreams_of_its_format(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, remote("pypi-cache", "PYTHON", "python_repository")) is None
    assert ml.create(REPOSITORY, repository("checkpoints")) is None
    assert ml.create(REPOSITORY, virtual()) == (BAD, "Virtual repository config is not specified")
    assert ml.create(REPOSITORY, virtual(*[upstream(f"u{n}", "pypi-cache") for n in range(31)])) == (
        BAD, "a virtual repository takes at most 30 upstream policies, got 31"
    )
    checkpoints = repository_name("ml", "europe-west4", "checkpoints")
    assert ml.create(REPOSITORY, virtual(upstream("u", "checkpoints"))) == (BAD, f"upstream policy u: {checkpoints} is GENERIC, this repository PYTHON")
    assert refusal(ml.create(REPOSITORY, virtual(upstream("u", "nowhere"))))[1].startswith("upstream policy u: repository")
    assert ml.create(REPOSITORY, virtual(upstream("u", "pypi-cache"))) is None
    assert ml.create(REPOSITORY, {**virtual(upstream("u", "pip")), "repository_id": "pip2"}) == (
        BAD, f"upstream policy u: {repository_name('ml', 'europe-west4', 'pip')} is a virtual repository; upstreams are standard or remote"
    )  # fmt: skip


@shows("gcp-virtual-cleanup")
def test_no_cleanup_policies_on_a_virtual_repository(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, remote("pypi-cache", "PYTHON", "python_repository")) is None
    assert ml.create(REPOSITORY, virtual(upstream("u", "pypi-cache"), cleanup_policies=[cleanup()])) == (
        BAD, "cleanup policies on a virtual repository never act: it stores nothing (stricter than the API)"
    )  # fmt: skip


@shows("gcp-audit-config")
def test_an_audit_config_takes_data_and_admin_read_logs_one_per_service(gcp: Model) -> None:
    ml = gcp("ml")
    config = {"service": REGISTRY_API, "audit_log_config": [{"log_type": "DATA_READ"}, {"log_type": "ADMIN_READ"}]}
    assert ml.create(AUDIT, {**config, "audit_log_config": [{"log_type": "ADMIN_WRITE"}]}) == (
        BAD, "log_type 'ADMIN_WRITE': must be one of DATA_READ, DATA_WRITE, ADMIN_READ"
    )
    assert ml.create(AUDIT, config) is None
    assert ml.update(AUDIT, config, config) is None
    assert ml.create(AUDIT, config) == ("googleapi: Error 409", f"the audit config of ml {REGISTRY_API} is held by another resource: two would undo each other")
    assert ml.delete(AUDIT, config) is None
    assert ml.create(AUDIT, config) is None


@shows("gcp-labels")
def test_a_repository_takes_at_most_64_labels_with_the_provider_s(gcp: Model) -> None:
    ml = gcp("ml")
    assert ml.create(REPOSITORY, repository("models", labels={f"l{n}": "x" for n in range(64)})) == (
        BAD, "Repository labels: at most 64 entries, got 65 with goog-terraform-provisioned"
    )
    assert ml.create(REPOSITORY, repository("models", labels={f"l{n}": "x" for n in range(63)})) is None  # fmt: skip


# ----------------------------------------------------------------------------
# Through Terraform: the wiring (model -> stand-in provider -> Terraform's message)
# ----------------------------------------------------------------------------


def days_not_seconds(stack: Json) -> None:
    (policy,) = [p for p in stack["resource"]["google_artifact_registry_repository"]["models"]["cleanup_policies"] if p["id"] == "delete-older-versions"]
    policy["condition"]["older_than"] = "30d"


BREAKS: dict[str, Break] = {
    "days-not-seconds": Break("gcp-cleanup-duration", "example", "dev-gcp", days_not_seconds, error="googleapi: Error 400: invalid cleanup policy: policy delete-older-versions: older_than '30d' is not whole seconds"),
}  # fmt: skip


refusals = refusals_fixture(BREAKS)


@pytest.mark.parametrize("name", list(BREAKS))
def test_terraform_shows_the_model_s_refusal_of_a_broken_stack(name: str, refusals: dict[str, list[str]]) -> None:
    assert refused_as_expected(BREAKS[name], refusals[name]), refusals[name] or f"{name}: applied although broken"


def test_every_rule_of_the_model_has_a_test() -> None:
    assert rules_without_a_test(RULES, globals()) == set()
    assert {case.rule for case in BREAKS.values()} <= {rule.id for rule in RULES}


def test_the_harness_readme_lists_every_rule_with_its_source() -> None:
    assert unlisted(RULES) == []
