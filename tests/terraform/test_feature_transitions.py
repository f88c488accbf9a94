"""Issue 22's keys as transitions: each added in config A and edited or removed in config B, in an
`allow_destroy` environment, against the model with its clock running (tests/terraform/README.md,
"Transitions"). One A -> B per cloud, the two stacks side by side, as test_transitions.py does.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from review import changes
from tests.conftest import CONFIGS
from tests.terraform.harness import Toolchain
from tests.terraform.model.gcp import repository_name
from tests.terraform.model.world import CLOCK_ENV
from tests.terraform.plugin import in_parallel, world_env
from tests.terraform.test_transitions import Transition, applied_then, synth

FULL = yaml.safe_load(CONFIGS["full"].read_text())["environments"]["research"]
READER = "group:research@acme.example"
SECRET = "projects/acme-secrets/secrets/partner-pypi"
AGENT = "serviceAccount:service-200000000001@gcp-sa-artifactregistry.iam.gserviceaccount.com"
VERTEX = "serviceAccount:service-200000000011@gcp-sa-aiplatform.iam.gserviceaccount.com"
RUN = "serviceAccount:service-200000000012@serverless-robot-prod.iam.gserviceaccount.com"


def config_a() -> dict[str, Any]:
    gcp = {key: FULL["gcp"][key] for key in ("project", "region")}
    gcp["repositories"] = [
        {
            "id": "models",
            "iam": {"readers": [READER]},  # authoritative: the agents inside the one policy
            "serving": {"vertex_ai": ["acme-ml-serving"]},
            "cleanup": {"dry_run": False, "delete_older_than": "90d", "packages": [{"prefixes": ["fraud-"], "keep_latest": 5}]},
        },
        {"id": "images", "format": "docker", "serving": {"cloud_run": ["acme-web"]}},  # no iam: a member per agent
        {
            "id": "partner-wheels",
            "format": "python",
            "mode": "remote",
            "remote": {"upstream": "custom", "url": "https://pypi.partner.example/simple", "username": "acme-ci", "password_secret": f"{SECRET}/versions/2"},
        },
        {"id": "packages", "format": "python", "vulnerability_scanning": "enabled"},
    ]
    oci = {key: FULL["oci"][key] for key in ("region", "compartment_id", "namespace")}
    oci["buckets"] = [
        {
            "name": "research.features",
            "versioning": "disabled",
            "service_policy": False,  # the tenancy's root policy lets Object Storage act on objects
            "lifecycle": {"infrequent_access_after_days": 30, "delete_after_days": 400},
            "retention": {"days": 30, "lock_after_days": 14},
            "access": {"readers": ["dynamic-group:ml-model-deployments"]},
        }
    ]
    return {"name": "features", "environments": {"research": {"allow_destroy": True, "backend": {"type": "local"}, "gcp": gcp, "oci": oci}}}


def config_b() -> dict[str, Any]:
    data = copy.deepcopy(config_a())
    research = data["environments"]["research"]
    models, images, wheels, _ = research["gcp"]["repositories"]
    del models["serving"], images["serving"]  # the runtimes no longer read
    models["cleanup"]["packages"] = [{"prefixes": ["fraud-"], "keep_latest": 3, "delete_older_than": "30d"}]
    wheels["remote"]["password_secret"] = f"{SECRET}/versions/3"  # a rotated password
    bucket = research["oci"]["buckets"][0]
    bucket["lifecycle"] = {"delete_after_days": 400}  # no more Infrequent Access
    bucket["retention"] = {"days": 30}  # the lock removed before it takes effect
    del bucket["access"]
    return data


@pytest.fixture(scope="module")
def transitions(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Transition]:
    root = tmp_path_factory.mktemp("feature-transitions")
    a, b = synth(root / "a", config_a()), synth(root / "b", config_b())
    env = {**world_env("full", root / "world"), CLOCK_ENV: "1"}
    jobs = {stack: lambda s=stack: applied_then(a / s, b / s, root / s, terraform_toolchain, env) for stack in ("research-gcp", "research-oci")}
    return in_parallel(jobs)


def test_serving_removed_takes_the_agents_out_in_both_iam_modes(transitions: dict[str, Transition]) -> None:
    run = transitions["research-gcp"]
    bindings = run.ledger["gcp"]["repository_iam"]
    reader = "roles/artifactregistry.reader"
    assert bindings[repository_name("acme-research", "europe-west4", "models")] == {reader: [READER]}
    assert bindings[repository_name("acme-research", "europe-west4", "images")] == {}
    assert run.plan_b["google_artifact_registry_repository_iam_policy.models"] == ["update"]
    assert {address for address, actions in run.plan_b.items() if actions == ["delete"]} >= {
        "google_artifact_registry_repository_iam_member.images_reader_serverless_robot_prod_acme_web"
    }
    assert set(map(tuple, run.second_plan.values())) == {("no-op",)}


def test_a_rotated_upstream_password_replaces_the_remote_repository_on_google_6(transitions: dict[str, Transition]) -> None:
    run = transitions["research-gcp"]
    assert sorted(run.plan_b["google_artifact_registry_repository.partner-wheels"]) == ["create", "delete"]
    wheels = run.after_b["google_artifact_registry_repository.partner-wheels"]["remote_repository_config"][0]
    assert wheels["upstream_credentials"][0]["username_password_credentials"][0]["password_secret_version"] == f"{SECRET}/versions/3"
    # The grant is on the secret, not the version: it stays, and the new repository is made with it.
    assert run.ledger["gcp"]["secret_grants"][SECRET] == {"roles/secretmanager.secretAccessor": [AGENT]}


def test_cleanup_per_model_edited_in_place(transitions: dict[str, Transition]) -> None:
    run = transitions["research-gcp"]
    assert run.plan_b["google_artifact_registry_repository.models"] == ["update"]
    policies = {p["id"]: p for p in run.after_b["google_artifact_registry_repository.models"]["cleanup_policies"]}
    assert policies["packages-1-keep-latest"]["most_recent_versions"][0]["keep_count"] == 3
    assert policies["packages-1-delete-older"]["condition"][0]["package_name_prefixes"] == ["fraud-"]


def test_infrequent_access_and_an_unripe_lock_removed_and_dynamic_group_access_gone(transitions: dict[str, Transition]) -> None:
    run = transitions["research-oci"]
    assert run.refused == []
    (lifecycle,) = [v for a, v in run.after_b.items() if a.startswith("oci_objectstorage_object_lifecycle_policy.")]
    assert {rule["action"] for rule in lifecycle["rules"]} == {"DELETE"}
    bucket = run.after_b["oci_objectstorage_bucket.research_features"]
    assert [rule.get("time_rule_locked") for rule in bucket["retention_rules"]] in ([None], [""])
    assert not [address for address in run.after_b if address.startswith("oci_identity_policy.")]
    assert set(map(tuple, run.second_plan.values())) == {("no-op",)}


def test_the_review_names_the_replacement_and_the_lock_as_permanent(transitions: dict[str, Transition]) -> None:
    """What the review says before any plan, from the same stacks: the rotated password replaces
    the repository (google 6.50), and the lock that A adds is a permanent change."""
    old, new = transitions["research-gcp"].stacks
    said = {c.address: c for c in changes.classify({"research-gcp": old}, {"research-gcp": new}) if c.address}
    assert said["google_artifact_registry_repository.partner-wheels"].kind == changes.REPLACED
    assert "password_secret_version" in said["google_artifact_registry_repository.partner-wheels"].says
    a_oci = transitions["research-oci"].stacks[0]
    kinds = {c.kind for c in changes.classify({}, {"research-oci": a_oci})}
    assert changes.PERMANENT in kinds
