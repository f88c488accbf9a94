"""The Google Cloud model refuses what Google Cloud refuses: for each of its rules, a real
stack broken on purpose fails `terraform apply` with the model's message (every stack as
synthesized applies: test_stacks.py). The model (model/gcp.py) reads arguments, never our
constructs; these breaks are what a construct bug, or a hand edit, would emit.
"""

from __future__ import annotations

import pytest

from tests.conftest import Json
from tests.terraform.breaks import Break, Edit, refusals_fixture, refused_as_expected, rules_without_a_break, unlisted
from tests.terraform.model.gcp import RULES


def resources(stack: Json, kind: str) -> Json:
    found: Json = stack["resource"][kind]
    return found


def repository(stack: Json, name: str) -> Json:
    found: Json = resources(stack, "google_artifact_registry_repository")[name]
    return found


def cleanup(stack: Json, name: str, policy: str) -> Json:
    (found,) = [p for p in repository(stack, name)["cleanup_policies"] if p["id"] == policy]
    return found  # type: ignore[no-any-return]


def drop(kind: str) -> Edit:
    """No resource of `kind`, and nothing waits for one: what a stack without it looks like."""

    def edit(stack: Json) -> None:
        gone = resources(stack, kind)
        del stack["resource"][kind]
        for bodies in stack["resource"].values():
            for body in bodies.values():
                waits = [d for d in body.get("depends_on", []) if not any(d == f"{kind}.{name}" for name in gone)]
                if waits:
                    body["depends_on"] = waits
                else:
                    body.pop("depends_on", None)

    return edit


def key_in(location: str) -> Edit:
    def edit(stack: Json) -> None:
        repo = repository(stack, "checkpoints")
        repo["kms_key_name"] = repo["kms_key_name"].replace("/locations/europe-west4/", f"/locations/{location}/")

    return edit


def iam_on_a_repository_that_is_not_there(stack: Json) -> None:
    resources(stack, "google_artifact_registry_repository_iam_policy")["serving"]["repository"] = "serving-old"


def eleven_policies(stack: Json) -> None:
    repository(stack, "models")["cleanup_policies"] += [
        {"id": f"keep-{n}", "action": "KEEP", "most_recent_versions": {"keep_count": n + 1}} for n in range(9)
    ]


def delete_without_a_condition(stack: Json) -> None:
    del cleanup(stack, "models", "delete-older-versions")["condition"]


def prefixes_with_any(stack: Json) -> None:
    cleanup(stack, "serving-images", "keep-tagged-prefixes")["condition"]["tag_state"] = "ANY"


def days_not_seconds(stack: Json) -> None:
    cleanup(stack, "models", "delete-older-versions")["condition"]["older_than"] = "30d"


def sixty_four_labels(stack: Json) -> None:
    repository(stack, "models")["labels"] = {f"label-{n}": "x" for n in range(64)}


def a_python_block_on_docker(stack: Json) -> None:
    repository(stack, "docker-hub")["remote_repository_config"] = {"python_repository": {"public_repository": "PYPI"}}


def no_upstreams(stack: Json) -> None:
    repository(stack, "pip")["virtual_repository_config"] = {"upstream_policies": []}


def an_upstream_of_another_format(stack: Json) -> None:
    repository(stack, "pip")["virtual_repository_config"]["upstream_policies"][1]["repository"] = "${google_artifact_registry_repository.checkpoints.id}"


def cleanup_on_virtual(stack: Json) -> None:
    repository(stack, "pip")["cleanup_policies"] = repository(stack, "pypi-cache")["cleanup_policies"]


def admin_write_logs(stack: Json) -> None:
    (config,) = resources(stack, "google_project_iam_audit_config").values()
    config["audit_log_config"].append({"log_type": "ADMIN_WRITE"})


def two_audit_configs(stack: Json) -> None:
    configs = resources(stack, "google_project_iam_audit_config")
    (name, config), = configs.items()
    configs[f"{name}_again"] = {key: value for key, value in config.items() if key != "//"}


def wheels_not_there(world: Json) -> None:
    world["gcp"]["repositories"] = []


def models_there(world: Json) -> None:
    world["gcp"]["repositories"].append({"project": "acme-ml-dev", "location": "us-central1", "repository_id": "models", "format": "GENERIC"})


BREAKS: dict[str, Break] = {
    "no-api": Break("gcp-api-enabled", "example", "dev-gcp", drop("google_project_service"), error="googleapi: Error 403: Artifact Registry API has not been used in project 100000000001 before or it is disabled"),
    "no-service-agent": Break("gcp-service-agent", "example", "prod-gcp", drop("google_project_service_identity"), error="googleapi: Error 400: Service account service-100000000002@gcp-sa-artifactregistry.iam.gserviceaccount.com does not exist."),
    "no-cmek-grant": Break("gcp-cmek-grant", "example", "prod-gcp", drop("google_kms_crypto_key_iam_member"), error="googleapi: Error 400: Permission denied on Cloud KMS key."),
    "a-key-elsewhere": Break("gcp-cmek-location", "full", "research-gcp", key_in("europe-west1"), error="googleapi: Error 400: The Cloud KMS key location (europe-west1) must match the repository location (europe-west4)"),
    "iam-on-no-repository": Break("gcp-repository-exists", "full", "staging-gcp", iam_on_a_repository_that_is_not_there, error="googleapi: Error 404: Requested entity was not found. (repository projects/acme-ml-staging/locations/us-east1/repositories/serving-old"),
    "adopting-no-repository": Break("gcp-repository-exists", "full", "research-gcp", world=wheels_not_there, error="googleapi: Error 404: Requested entity was not found. (projects/acme-research/locations/europe-west4/repositories/wheels"),
    "a-repository-id-taken": Break("gcp-repository-name", "example", "dev-gcp", world=models_there, error="googleapi: Error 409: the repository already exists"),
    "eleven-cleanup-policies": Break("gcp-cleanup-count", "example", "dev-gcp", eleven_policies, error="googleapi: Error 400: invalid cleanup policies: a repository takes at most 10, got 11"),
    "delete-without-condition": Break("gcp-cleanup-shape", "example", "dev-gcp", delete_without_a_condition, error="googleapi: Error 400: invalid cleanup policy: generic::invalid_argument: policy delete-older-versions is missing a condition"),
    "prefixes-with-any": Break("gcp-cleanup-tag-prefixes", "example", "prod-gcp", prefixes_with_any, error="googleapi: Error 400: invalid cleanup policy: policy keep-tagged-prefixes: tag_prefixes match only with tag_state TAGGED, got ANY"),
    "days-not-seconds": Break("gcp-cleanup-duration", "example", "dev-gcp", days_not_seconds, error="googleapi: Error 400: invalid cleanup policy: policy delete-older-versions: older_than '30d' is not whole seconds"),
    "a-python-upstream-on-docker": Break("gcp-repository-mode", "full", "staging-gcp", a_python_block_on_docker, error="googleapi: Error 400: a remote DOCKER repository takes one upstream: docker_repository or common_repository, got python_repository"),
    "a-virtual-without-upstreams": Break("gcp-virtual-upstreams", "full", "research-gcp", no_upstreams, error="googleapi: Error 400: Virtual repository config is not specified"),
    "an-upstream-of-another-format": Break("gcp-virtual-upstreams", "full", "research-gcp", an_upstream_of_another_format, error="googleapi: Error 400: upstream policy pypi-cache: projects/acme-research/locations/europe-west4/repositories/checkpoints is GENERIC, this repository PYTHON"),
    "cleanup-on-a-virtual": Break("gcp-virtual-cleanup", "full", "research-gcp", cleanup_on_virtual, error="googleapi: Error 400: cleanup policies on a virtual repository never act"),
    "admin-write-logs": Break("gcp-audit-config", "full", "staging-gcp", admin_write_logs, error="googleapi: Error 400: log_type 'ADMIN_WRITE': must be one of DATA_READ, DATA_WRITE, ADMIN_READ"),
    "two-audit-configs": Break("gcp-audit-config", "full", "staging-gcp", two_audit_configs, error="googleapi: Error 409: the audit config of acme-ml-staging artifactregistry.googleapis.com is held by another resource"),
    "sixty-four-labels": Break("gcp-labels", "example", "dev-gcp", sixty_four_labels, error="googleapi: Error 400: Repository labels: at most 64 entries, got 65"),
}  # fmt: skip


refusals = refusals_fixture(BREAKS)


@pytest.mark.parametrize("name", list(BREAKS))
def test_the_model_refuses_the_broken_stack(name: str, refusals: dict[str, list[str]]) -> None:
    assert refused_as_expected(BREAKS[name], refusals[name]), refusals[name] or f"{name}: applied although broken"


def test_every_rule_of_the_model_has_a_break() -> None:
    assert rules_without_a_break(RULES, BREAKS) == set()
    assert {case.rule for case in BREAKS.values()} <= {rule.id for rule in RULES}


def test_the_harness_readme_lists_every_rule_with_its_source() -> None:
    assert unlisted(RULES) == []
