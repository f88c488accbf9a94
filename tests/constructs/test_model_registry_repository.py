"""ModelRegistryRepository: what it emits by default and per option (rules: tests/specs)."""

from __future__ import annotations

from typing import Any

import pytest

from bindings.google_beta import GoogleBetaProvider
from constructs.model_registry_repository import ModelRegistryRepository
from engine import TerraformOutput, TerraformStack, Token
from specs.repository import RepositorySpec
from tests.conftest import Json, SynthFn

KEY = "projects/sec/locations/us-central1/keyRings/ml/cryptoKeys/models"
READER = "serviceAccount:serving@acme-ml.iam.gserviceaccount.com"
WRITER = "serviceAccount:training@acme-ml.iam.gserviceaccount.com"
ADMIN = "group:ml-platform@acme.example"


API = "google_project_service.acme-ml_artifactregistry"
SCANNING_API = "google_project_service.acme-ml_containerscanning"
AGENT = "google_project_service_identity.acme-ml_artifactregistry"
API_WAIT = "time_sleep.acme-ml_artifactregistry"
SCANNING_API_WAIT = "time_sleep.acme-ml_containerscanning"
AGENT_WAIT = "time_sleep.acme-ml_artifactregistry_agent"


def build(synth: SynthFn, then: Any = None, *, prevent_destroy: bool = True, enable_apis: bool = True, **fields: Any) -> Json:
    spec = RepositorySpec.model_validate({"id": "models", **fields})

    def make(stack: Any) -> None:
        repository = ModelRegistryRepository(
            stack,
            spec.id,
            spec=spec,
            project="acme-ml",
            location="us-central1",
            prevent_destroy=prevent_destroy,
            enable_apis=enable_apis,
            beta_provider=GoogleBetaProvider(stack, "google-beta", project="acme-ml")
            if spec.kms_key_name or (spec.remote and spec.remote.secret)
            else None,
        )
        if then:
            then(repository)

    return synth(make)


def repository(stack: Json, name: str = "models") -> Json:
    return stack["resource"]["google_artifact_registry_repository"][name]


def resources(stack: Json, kind: str) -> Json:
    return stack.get("resource", {}).get(kind, {})


# Defaults


def test_default_is_a_generic_repository_with_prevent_destroy(synth: SynthFn) -> None:
    repo = repository(build(synth))
    assert repo["format"] == "GENERIC"
    assert repo["repository_id"] == "models"
    assert repo["location"] == "us-central1"
    assert repo["project"] == "acme-ml"
    assert repo["lifecycle"] == {"prevent_destroy": True}


def test_default_manages_no_iam_and_no_cleanup(synth: SynthFn) -> None:
    stack = build(synth)
    assert set(stack["resource"]) == {"google_artifact_registry_repository", "google_project_service", "time_sleep"}
    assert "data" not in stack
    repo = repository(stack)
    for absent in ("cleanup_policies", "cleanup_policy_dry_run", "kms_key_name", "docker_config", "labels"):
        assert absent not in repo


def test_default_enables_the_api_first_and_never_disables_it(synth: SynthFn) -> None:
    stack = build(synth)
    assert resources(stack, "google_project_service") == {
        "acme-ml_artifactregistry": {"project": "acme-ml", "service": "artifactregistry.googleapis.com", "disable_on_destroy": False}
    }
    assert repository(stack)["depends_on"] == [API_WAIT]
    # Enabling is eventually consistent: the provider's guide recommends a time_sleep (30 s in its example).
    assert resources(stack, "time_sleep") == {
        "acme-ml_artifactregistry": {"create_duration": "30s", "triggers": {API: f"${{{API}.id}}"}}
    }


def test_enable_apis_false_leaves_the_project_alone(synth: SynthFn) -> None:
    stack = build(synth, enable_apis=False, kms_key_name=KEY)
    assert not resources(stack, "google_project_service")
    assert "depends_on" not in resources(stack, "google_project_service_identity")["acme-ml_artifactregistry"]
    assert repository(stack)["depends_on"] == [f"time_sleep.{next(iter(resources(stack, 'google_kms_crypto_key_iam_member')))}"]
    assert "depends_on" not in repository(build(synth, enable_apis=False))


@pytest.mark.parametrize(
    ("scanning", "enablement", "apis"),
    [("enabled", "INHERITED", [API, SCANNING_API]), ("inherited", "INHERITED", [API]), ("disabled", "DISABLED", [API]), (None, None, [API])],
)
@pytest.mark.parametrize("format_", ["docker", "python"])
def test_enabled_scanning_enables_the_container_scanning_api(synth: SynthFn, format_: str, scanning: str | None, enablement: str | None, apis: list[str]) -> None:
    stack = build(synth, format=format_, vulnerability_scanning=scanning)
    assert repository(stack)["depends_on"] == [api.replace("google_project_service.", "time_sleep.") for api in apis]
    assert repository(stack).get("vulnerability_scanning_config") == ({"enablement_config": enablement} if enablement else None)
    assert sorted(f"google_project_service.{name}" for name in resources(stack, "google_project_service")) == apis


def test_prevent_destroy_can_be_turned_off(synth: SynthFn) -> None:
    assert "lifecycle" not in repository(build(synth, prevent_destroy=False))


def test_address_derives_from_construct_id(synth: SynthFn) -> None:
    stack = build(synth, id="ml-models")
    assert list(stack["resource"]["google_artifact_registry_repository"]) == ["ml-models"]


def test_repository_url_and_id_are_exposed(synth: SynthFn) -> None:
    seen: dict[str, str] = {}

    def keep(repo: ModelRegistryRepository) -> None:
        seen.update(url=repo.repository_url, id=repo.repository_id)

    build(synth, keep, format="DOCKER")
    assert seen == {"url": "us-central1-docker.pkg.dev/acme-ml/models", "id": "models"}


def test_outputs_are_what_ci_reads(synth: SynthFn) -> None:
    def output(repo: ModelRegistryRepository) -> None:
        TerraformOutput(TerraformStack.of(repo), "values", value=Token.as_any(repo.outputs()))

    assert build(synth, output, format="Python")["output"]["values"]["value"] == {
        "url": "us-central1-python.pkg.dev/acme-ml/models",
        "id": "${google_artifact_registry_repository.models.id}",
        "location": "us-central1",
        "project": "acme-ml",
        "format": "python",
        "address": "https://us-central1-python.pkg.dev/acme-ml/models/simple/",
    }


# Options


def test_format_is_emitted_upper_case(synth: SynthFn) -> None:
    assert repository(build(synth, format="kfp"))["format"] == "KFP"


def test_docker_gets_docker_config_with_immutable_tags(synth: SynthFn) -> None:
    repo = repository(build(synth, format="DOCKER", immutable_tags=True, vulnerability_scanning="disabled"))
    assert repo["docker_config"] == {"immutable_tags": True}
    assert repo["vulnerability_scanning_config"] == {"enablement_config": "DISABLED"}


def test_cleanup_emits_delete_and_keep_policies_with_nested_values(synth: SynthFn) -> None:
    repo = repository(build(synth, cleanup={"delete_older_than": "90d", "keep_latest": 10, "dry_run": False}))
    assert repo["cleanup_policy_dry_run"] is False
    assert repo["cleanup_policies"] == [
        {"id": "delete-older-versions", "action": "DELETE", "condition": {"older_than": "7776000s", "tag_state": "ANY"}},
        {"id": "keep-latest-versions", "action": "KEEP", "most_recent_versions": {"keep_count": 10}},
    ]


def test_cleanup_tag_state_and_kept_tag_prefixes_with_nested_values(synth: SynthFn) -> None:
    repo = repository(build(synth, cleanup={"delete_older_than": "1d", "delete_tag_state": "untagged"}))
    assert repo["cleanup_policies"] == [
        {"id": "delete-older-versions", "action": "DELETE", "condition": {"older_than": "86400s", "tag_state": "UNTAGGED"}}
    ]
    repo = repository(build(synth, cleanup={"delete_older_than": "1d", "keep_tag_prefixes": ["prod", "release-"]}))
    assert repo["cleanup_policies"] == [
        {"id": "delete-older-versions", "action": "DELETE", "condition": {"older_than": "86400s", "tag_state": "ANY"}},
        {"id": "keep-tagged-prefixes", "action": "KEEP", "condition": {"tag_state": "TAGGED", "tag_prefixes": ["prod", "release-"]}},
    ]


def test_package_cleanup_limits_its_policies_to_the_package_prefixes(synth: SynthFn) -> None:
    repo = repository(build(synth, cleanup={"packages": [{"prefixes": ["fraud-", "risk-"], "keep_latest": 5, "delete_older_than": "90d"}]}))
    assert repo["cleanup_policies"] == [
        {"id": "packages-1-delete-older", "action": "DELETE", "condition": {"older_than": "7776000s", "tag_state": "ANY", "package_name_prefixes": ["fraud-", "risk-"]}},
        {"id": "packages-1-keep-latest", "action": "KEEP", "most_recent_versions": {"keep_count": 5, "package_name_prefixes": ["fraud-", "risk-"]}},
    ]


def test_cleanup_defaults_to_dry_run_and_no_keep_rule(synth: SynthFn) -> None:
    repo = repository(build(synth, cleanup={"delete_older_than": "12h"}))
    assert repo["cleanup_policy_dry_run"] is True
    assert repo["cleanup_policies"] == [
        {"id": "delete-older-versions", "action": "DELETE", "condition": {"older_than": "43200s", "tag_state": "ANY"}}
    ]


def test_labels_and_description(synth: SynthFn) -> None:
    repo = repository(build(synth, labels={"team": "ml"}, description="Models"))
    assert repo["labels"] == {"team": "ml"}
    assert repo["description"] == "Models"


def test_authoritative_iam_is_one_policy_fed_by_policy_data(synth: SynthFn) -> None:
    stack = build(synth, iam={"readers": [READER], "writers": [WRITER], "admins": [ADMIN]})
    assert stack["data"]["google_iam_policy"]["models"]["binding"] == [
        {"role": "roles/artifactregistry.reader", "members": [READER]},
        {"role": "roles/artifactregistry.writer", "members": [WRITER]},
        {"role": "roles/artifactregistry.repoAdmin", "members": [ADMIN]},
    ]
    policy = resources(stack, "google_artifact_registry_repository_iam_policy")["models"]
    assert policy["policy_data"] == "${data.google_iam_policy.models.policy_data}"
    assert policy["repository"] == "${google_artifact_registry_repository.models.repository_id}"
    assert not resources(stack, "google_artifact_registry_repository_iam_member")
    assert not resources(stack, "google_artifact_registry_repository_iam_binding")


def test_authoritative_iam_skips_empty_roles(synth: SynthFn) -> None:
    stack = build(synth, iam={"readers": [READER]})
    assert [b["role"] for b in stack["data"]["google_iam_policy"]["models"]["binding"]] == ["roles/artifactregistry.reader"]


def test_additive_iam_is_one_member_per_role_and_member(synth: SynthFn) -> None:
    stack = build(synth, iam={"mode": "additive", "readers": [READER, WRITER], "writers": [WRITER]})
    members = resources(stack, "google_artifact_registry_repository_iam_member")
    assert sorted((m["role"], m["member"]) for m in members.values()) == [
        ("roles/artifactregistry.reader", READER),
        ("roles/artifactregistry.reader", WRITER),
        ("roles/artifactregistry.writer", WRITER),
    ]
    assert all(name.startswith("models_") for name in members)
    assert not resources(stack, "google_artifact_registry_repository_iam_policy")
    assert "data" not in stack


FORGET_POLICY = [{"from": "google_artifact_registry_repository_iam_policy.models", "lifecycle": {"destroy": False}}]


@pytest.mark.parametrize("iam", [None, {"mode": "additive", "readers": [READER]}], ids=["no-iam", "additive"])
def test_without_authoritative_iam_a_policy_left_in_state_is_forgotten_not_emptied(synth: SynthFn, iam: Json | None) -> None:
    # Destroying the policy resource would write an empty policy on the repository.
    assert build(synth, **({"iam": iam} if iam else {}))["removed"] == FORGET_POLICY


def test_authoritative_iam_keeps_its_policy(synth: SynthFn) -> None:
    assert "removed" not in build(synth, iam={"readers": [READER]})


def test_additive_member_addresses_do_not_depend_on_order(synth: SynthFn) -> None:
    first = build(synth, iam={"mode": "additive", "readers": [READER, WRITER]})
    second = build(synth, iam={"mode": "additive", "readers": [WRITER, READER]})
    kind = "google_artifact_registry_repository_iam_member"
    assert resources(first, kind).keys() == resources(second, kind).keys()


def test_cmek_makes_the_agent_then_grants_it_and_the_repository_waits(synth: SynthFn) -> None:
    stack = build(synth, kms_key_name=KEY)
    assert stack["resource"]["google_project_service_identity"] == {
        "acme-ml_artifactregistry": {
            "project": "acme-ml",
            "service": "artifactregistry.googleapis.com",
            "provider": "google-beta",
            "depends_on": [API_WAIT],
        }
    }
    # A grant to a service account just made may fail: Google says to wait 60 s or more.
    assert resources(stack, "time_sleep")["acme-ml_artifactregistry_agent"] == {"create_duration": "60s", "triggers": {AGENT: f"${{{AGENT}.id}}"}}
    assert stack["provider"]["google-beta"] == [{"project": "acme-ml"}]
    assert stack["terraform"]["required_providers"]["google-beta"] == {"source": "hashicorp/google-beta", "version": "6.50.0"}
    grants = resources(stack, "google_kms_crypto_key_iam_member")
    assert len(grants) == 1
    (name, grant), = grants.items()
    assert grant["crypto_key_id"] == KEY
    assert grant["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert grant["member"] == (
        "serviceAccount:service-${data.google_project.acme-ml.number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    )
    assert grant["depends_on"] == [AGENT_WAIT]
    assert stack["data"]["google_project"]["acme-ml"]["project_id"] == "acme-ml"
    repo = repository(stack)
    assert repo["kms_key_name"] == KEY
    assert repo["depends_on"] == [API_WAIT, f"time_sleep.{name}"]
    # IAM changes "typically propagate in 2 minutes", and the repository's create does not retry.
    member = f"google_kms_crypto_key_iam_member.{name}"
    assert resources(stack, "time_sleep")[name] == {"create_duration": "120s", "triggers": {member: f"${{{member}.id}}"}}


def test_repositories_sharing_a_key_share_one_grant(synth: SynthFn) -> None:
    def make(stack: Any) -> None:
        beta = GoogleBetaProvider(stack, "google-beta", project="acme-ml")
        for repo_id in ("models", "images"):
            spec = RepositorySpec(id=repo_id, kms_key_name=KEY)
            ModelRegistryRepository(stack, repo_id, spec=spec, project="acme-ml", location="us-central1", beta_provider=beta)

    stack = synth(make)
    assert len(resources(stack, "google_kms_crypto_key_iam_member")) == 1
    assert len(stack["data"]["google_project"]) == 1
    assert len(resources(stack, "google_project_service_identity")) == 1
    assert len(resources(stack, "google_project_service")) == 1
    assert len(stack["provider"]["google-beta"]) == 1


def test_grant_read_and_write_add_to_the_authoritative_policy(synth: SynthFn) -> None:
    def grant(repo: ModelRegistryRepository) -> None:
        repo.grant_read(WRITER)
        repo.grant_write(ADMIN)
        repo.grant_read(READER)  # already there: no second entry

    stack = build(synth, grant, iam={"readers": [READER]})
    assert stack["data"]["google_iam_policy"]["models"]["binding"] == [
        {"role": "roles/artifactregistry.reader", "members": [READER, WRITER]},
        {"role": "roles/artifactregistry.writer", "members": [ADMIN]},
    ]
    assert not resources(stack, "google_artifact_registry_repository_iam_member")


def test_grant_without_authoritative_policy_is_additive(synth: SynthFn) -> None:
    stack = build(synth, lambda repo: repo.grant_write(WRITER))
    members = list(resources(stack, "google_artifact_registry_repository_iam_member").values())
    assert [(m["role"], m["member"]) for m in members] == [("roles/artifactregistry.writer", WRITER)]


def test_grant_refuses_public_member(synth: SynthFn) -> None:
    with pytest.raises(ValueError, match=r"grant roles/artifactregistry\.reader: makes the repository public"):
        build(synth, lambda repo: repo.grant_read("allUsers"))


# What only the stack knows is checked too


def test_refuses_a_key_outside_its_location(synth: SynthFn) -> None:
    with pytest.raises(ValueError, match="kms_key_name: key is in location 'europe-west4', the repository in 'us-central1'"):
        build(synth, kms_key_name=KEY.replace("us-central1", "europe-west4"))


# Remote and virtual repositories


def test_a_remote_repository_names_its_registry(synth: SynthFn) -> None:
    repo = repository(build(synth, format="python", mode="remote", remote={"upstream": "pypi"}))
    assert repo["mode"] == "REMOTE_REPOSITORY"
    assert repo["remote_repository_config"] == {"python_repository": {"public_repository": "PYPI"}}
    repo = repository(build(synth, format="docker", mode="remote", remote={"upstream": "docker-hub"}))
    assert repo["remote_repository_config"] == {"docker_repository": {"public_repository": "DOCKER_HUB"}}
    assert "docker_config" not in repo


SECRET = "projects/acme-secrets/secrets/partner-pypi"


@pytest.mark.parametrize(("format_", "block"), [("python", "python_repository"), ("docker", "docker_repository")])
def test_a_private_upstream_is_its_url_and_an_account_whose_password_stays_in_secret_manager(synth: SynthFn, format_: str, block: str) -> None:
    remote = {"upstream": "custom", "url": "https://registry.partner.example/simple", "username": "acme-ci", "password_secret": f"{SECRET}/versions/3"}
    stack = build(synth, format=format_, mode="remote", remote=remote)
    repo = repository(stack)
    assert repo["remote_repository_config"] == {
        block: {"custom_repository": {"uri": "https://registry.partner.example/simple"}},  # no preset beside it
        "upstream_credentials": {"username_password_credentials": {"username": "acme-ci", "password_secret_version": f"{SECRET}/versions/3"}},
    }
    # The agent is made, granted the secret, and the grant waits to be in force before the repository.
    (name, grant), = resources(stack, "google_secret_manager_secret_iam_member").items()
    assert grant == {
        "secret_id": SECRET,
        "role": "roles/secretmanager.secretAccessor",
        "member": "serviceAccount:service-${data.google_project.acme-ml.number}@gcp-sa-artifactregistry.iam.gserviceaccount.com",
        "depends_on": [AGENT_WAIT],
    }
    assert resources(stack, "google_project_service_identity")["acme-ml_artifactregistry"]["depends_on"] == [API_WAIT]
    member = f"google_secret_manager_secret_iam_member.{name}"
    assert resources(stack, "time_sleep")[name] == {"create_duration": "120s", "triggers": {member: f"${{{member}.id}}"}}
    assert repo["depends_on"] == [API_WAIT, f"time_sleep.{name}"]


def test_a_private_upstream_without_an_account_grants_nothing(synth: SynthFn) -> None:
    stack = build(synth, format="python", mode="remote", remote={"upstream": "custom", "url": "https://pypi.partner.example/simple"})
    assert repository(stack)["remote_repository_config"] == {"python_repository": {"custom_repository": {"uri": "https://pypi.partner.example/simple"}}}
    assert not resources(stack, "google_secret_manager_secret_iam_member") and not resources(stack, "google_project_service_identity")


def test_docker_hub_signs_in_with_an_account(synth: SynthFn) -> None:
    remote = {"upstream": "docker-hub", "username": "acme", "password_secret": f"{SECRET}/versions/1"}
    repo = repository(build(synth, format="docker", mode="remote", remote=remote))
    assert repo["remote_repository_config"]["docker_repository"] == {"public_repository": "DOCKER_HUB"}
    assert repo["remote_repository_config"]["upstream_credentials"]["username_password_credentials"]["username"] == "acme"


def test_a_standard_repository_names_no_mode(synth: SynthFn) -> None:
    repo = repository(build(synth))
    assert not {"mode", "remote_repository_config", "virtual_repository_config"} & set(repo)


def test_a_virtual_repository_points_at_its_upstreams_resources(synth: SynthFn) -> None:
    def make(stack: Any) -> None:
        built: dict[str, ModelRegistryRepository] = {}
        for fields in (
            {"id": "wheels", "format": "python"},
            {"id": "pypi", "format": "python", "mode": "remote", "remote": {"upstream": "pypi"}},
            {"id": "pip", "format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "wheels", "priority": 100}, {"id": "pypi", "priority": 10}]}},
        ):
            spec = RepositorySpec.model_validate(fields)
            built[spec.id] = ModelRegistryRepository(stack, spec.id, spec=spec, project="acme-ml", location="us-central1", upstreams=built)

    repo = repository(synth(make), "pip")
    assert repo["mode"] == "VIRTUAL_REPOSITORY"
    assert repo["virtual_repository_config"] == {
        "upstream_policies": [
            {"id": "wheels", "repository": "${google_artifact_registry_repository.wheels.id}", "priority": 100},
            {"id": "pypi", "repository": "${google_artifact_registry_repository.pypi.id}", "priority": 10},
        ]
    }


def test_a_virtual_repository_needs_its_upstreams_built_first(synth: SynthFn) -> None:
    with pytest.raises(ValueError, match="'pip': virtual upstreams not built yet: wheels"):
        build(synth, id="pip", format="python", mode="virtual", virtual={"upstreams": [{"id": "wheels", "priority": 1}]})


def test_audit_logs_are_one_config_for_the_service(synth: SynthFn) -> None:
    from constructs.audit_logs import ArtifactRegistryAuditLogs
    from specs.audit_logs import AuditLogsSpec

    stack = synth(lambda stack: ArtifactRegistryAuditLogs(stack, "audit", spec=AuditLogsSpec(admin_read=True), project="acme-ml"))
    assert resources(stack, "google_project_iam_audit_config") == {
        "acme-ml_artifactregistry": {
            "project": "acme-ml",
            "service": "artifactregistry.googleapis.com",
            "audit_log_config": [{"log_type": "ADMIN_READ"}, {"log_type": "DATA_READ"}, {"log_type": "DATA_WRITE"}],
        }
    }


# Serving runtimes read as their service agents (issue 22, item 1)

SERVING = {"vertex_ai": ["acme-ml-serving"], "cloud_run": ["acme-web"]}
SERVING_AGENTS = [
    "serviceAccount:service-${data.google_project.acme-ml-serving.number}@gcp-sa-aiplatform.iam.gserviceaccount.com",
    "serviceAccount:service-${data.google_project.acme-ml-serving.number}@gcp-sa-aiplatform-cc.iam.gserviceaccount.com",
    "serviceAccount:service-${data.google_project.acme-web.number}@serverless-robot-prod.iam.gserviceaccount.com",
]


def test_serving_agents_read_inside_the_authoritative_policy(synth: SynthFn) -> None:
    stack = build(synth, iam={"readers": [READER]}, serving=SERVING)
    (policy,) = stack["data"]["google_iam_policy"].values()
    assert policy["binding"] == [{"role": "roles/artifactregistry.reader", "members": [READER, *SERVING_AGENTS]}]
    assert {name: data["project_id"] for name, data in stack["data"]["google_project"].items()} == {"acme-ml-serving": "acme-ml-serving", "acme-web": "acme-web"}
    assert not resources(stack, "google_artifact_registry_repository_iam_member")


@pytest.mark.parametrize("iam", [{"mode": "additive", "readers": [READER]}, None])
def test_serving_agents_read_as_members_without_an_authoritative_policy(synth: SynthFn, iam: Json | None) -> None:
    stack = build(synth, serving=SERVING, **({"iam": iam} if iam else {}))
    members = resources(stack, "google_artifact_registry_repository_iam_member")
    agents = {name: body for name, body in members.items() if body["member"] != READER}
    assert {name: (body["role"], body["member"]) for name, body in agents.items()} == {
        "models_reader_gcp_sa_aiplatform_acme_ml_serving": ("roles/artifactregistry.reader", SERVING_AGENTS[0]),
        "models_reader_gcp_sa_aiplatform_cc_acme_ml_serving": ("roles/artifactregistry.reader", SERVING_AGENTS[1]),
        "models_reader_serverless_robot_prod_acme_web": ("roles/artifactregistry.reader", SERVING_AGENTS[2]),
    }
    assert agents["models_reader_serverless_robot_prod_acme_web"]["repository"] == "${google_artifact_registry_repository.models.repository_id}"


def test_a_serving_project_that_is_the_repository_s_own_shares_its_project_data(synth: SynthFn) -> None:
    stack = build(synth, serving={"cloud_run": ["acme-ml"]}, kms_key_name="projects/acme-keys/locations/us-central1/keyRings/r/cryptoKeys/k")
    assert list(stack["data"]["google_project"]) == ["acme-ml"]
