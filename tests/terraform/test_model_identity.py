"""The deploying identity holds what it is given and no more (model/identity.py): each rule shown
in-process, a call the identity lacks refused with the cloud's answer and the same call passing
with the role or statement; then, through Terraform, a world with one of the README's
prerequisites taken away makes a stack fail (every stack applies with all of them: test_stacks.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Json, Synth, synthesized
from tests.terraform.breaks import refusal, rules_without_a_test, shows, unlisted
from tests.terraform.harness import Terraform, TerraformError, Toolchain, local_backend_copy
from tests.terraform.model.gcp import REGISTRY_API, GcpModel
from tests.terraform.model.identity import RULES, Deploying, GcpDeployer, OciDeployer, ancestors
from tests.terraform.model.oci import OciModel
from tests.terraform.model.world import WORLD_ENV, World
from tests.terraform.plugin import in_parallel, world_env

DEPLOYER = "serviceAccount:deployer@ci.iam.gserviceaccount.com"
KEY = "projects/sec/locations/europe-west4/keyRings/ml/cryptoKeys/models"
FORBIDDEN = "googleapi: Error 403"


def gcp_model(tmp_path: Path, roles: dict[str, list[str]], key_roles: dict[str, list[str]] | None = None) -> Deploying:
    """Project `ml` (API on, agent made) where the deployer holds `roles` (project) and `key_roles` (`KEY`'s key ring)."""
    facts = {
        "deployer": DEPLOYER,
        "projects": {"ml": {"number": "100000000002", "apis": [REGISTRY_API], "agent": True, "bindings": {r: [DEPLOYER] for r in roles["ml"]}},
                     "other": {"number": "100000000003", "apis": [], "bindings": {r: [DEPLOYER] for r in roles.get("other", [])}}},
        "keys": {KEY: {"bindings": {}}, KEY.rsplit("/cryptoKeys/", 1)[0]: {"bindings": {r: [DEPLOYER] for r in (key_roles or {}).get("ring", [])}}},
    }  # fmt: skip
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"gcp": facts}))
    gcp = GcpModel(World(world), {"project": "ml"})
    return Deploying(gcp, GcpDeployer(gcp, DEPLOYER))


def repository(repository_id: str = "models", **values: Any) -> Json:
    return {"repository_id": repository_id, "location": "europe-west4", "format": "GENERIC", "mode": "STANDARD_REPOSITORY", **values}


def denied(permission: str, resource: str) -> tuple[str, str]:
    return (FORBIDDEN, f"Permission '{permission}' denied on resource '{resource}' (or it may not exist)., IAM_PERMISSION_DENIED")


@shows("gcp-deployer-permission")
def test_a_google_call_the_deployer_lacks_is_refused_and_passes_with_the_role(tmp_path: Path) -> None:
    writer = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.repoAdmin"]})
    assert writer.create("google_artifact_registry_repository", repository()) == denied(
        "artifactregistry.repositories.create", "//artifactregistry.googleapis.com/projects/ml/locations/europe-west4"
    )
    admin = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.admin"]})
    assert admin.create("google_artifact_registry_repository", repository()) is None
    assert admin.refresh("google_artifact_registry_repository", repository()) is None
    # The provider reads the project after enabling an API: artifactregistry.admin carries that read.
    assert admin.create("google_project_service", {"service": REGISTRY_API}) == denied(
        "serviceusage.services.list", "//serviceusage.googleapis.com/projects/ml"
    )
    assert gcp_model(tmp_path, {"ml": ["roles/serviceusage.serviceUsageAdmin"]}).create("google_project_service", {"service": REGISTRY_API}) == denied(
        "resourcemanager.projects.get", "//cloudresourcemanager.googleapis.com/projects/ml"
    )
    both = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.admin", "roles/serviceusage.serviceUsageAdmin"]})
    assert both.create("google_project_service", {"service": REGISTRY_API}) is None
    assert both.delete("google_project_service", {"service": REGISTRY_API, "disable_on_destroy": False}) is None  # no call
    # An audit config rewrites the project's IAM policy.
    audit = {"service": REGISTRY_API, "audit_log_config": [{"log_type": "DATA_READ"}]}
    assert both.create("google_project_iam_audit_config", audit) == denied(
        "resourcemanager.projects.getIamPolicy", "//cloudresourcemanager.googleapis.com/projects/ml"
    )
    assert gcp_model(tmp_path, {"ml": ["roles/resourcemanager.projectIamAdmin"]}).create("google_project_iam_audit_config", audit) is None


@shows("gcp-deployer-permission")
def test_a_key_grant_needs_the_key_s_iam_and_the_agent_needs_nothing(tmp_path: Path) -> None:
    grant = {"crypto_key_id": KEY, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": "serviceAccount:service-100000000002@gcp-sa-artifactregistry.iam.gserviceaccount.com"}
    admin = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.admin"]})
    assert admin.create("google_kms_crypto_key_iam_member", grant) == denied("cloudkms.cryptoKeys.getIamPolicy", f"//cloudkms.googleapis.com/{KEY}")
    assert admin.create("google_project_service_identity", {"service": REGISTRY_API}) is None
    on_the_ring = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.admin"]}, {"ring": ["roles/cloudkms.admin"]})
    assert on_the_ring.create("google_kms_crypto_key_iam_member", grant) is None  # a key inherits its key ring's policy


@shows("gcp-deployer-permission")
def test_the_project_lookup_needs_the_project_s_get(tmp_path: Path) -> None:
    model = gcp_model(tmp_path, {"ml": ["roles/artifactregistry.admin"]})
    assert refusal(model.read("google_project", {"project_id": "other"})) == denied(
        "resourcemanager.projects.get", "//cloudresourcemanager.googleapis.com/projects/other"
    )
    assert model.read("google_project", {"project_id": "ml"}) == {"number": "100000000002", "project_id": "ml", "name": "ml"}
    assert gcp_model(tmp_path, {"ml": [], "other": ["roles/browser"]}).read("google_project", {"project_id": "other"})["number"] == "100000000003"


def test_a_resource_inherits_the_policies_of_its_project_and_key_ring() -> None:
    assert ancestors("projects/p/locations/l/repositories/r") == ["projects/p/locations/l/repositories/r", "projects/p/locations/l", "projects/p"]
    assert ancestors(KEY) == [KEY, "projects/sec/locations/europe-west4/keyRings/ml", "projects/sec/locations/europe-west4", "projects/sec"]


def test_a_world_naming_a_role_the_model_does_not_know_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=re.escape("roles/artifactregistry.superuser")):
        gcp_model(tmp_path, {"ml": ["roles/artifactregistry.superuser"]})


# ---- OCI ----------------------------------------------------------------------------------

TENANCY = "ocid1.tenancy.oc1..aaaaaaaamodeltenancy"
ML = "ocid1.compartment.oc1..aaaaaaaamodelml"
SECURITY = "ocid1.compartment.oc1..aaaaaaaamodelsecurity"
OCI_KEY = "ocid1.key.oc1.iad.aaaaaaaamodelkey"
NOT_AUTHORIZED = "404-NotAuthorizedOrNotFound"


def oci_model(tmp_path: Path, *statements: str, groups: tuple[str, ...] = ("Deployers",)) -> Deploying:
    """A tenancy whose deploying user is in `groups`, with `statements` in a root policy, and the
    service grants a key needs."""
    tenancy = {
        "home_region": "us-ashburn-1",
        "regions": {"us-ashburn-1": "IAD"},
        "namespace": "ns",
        "compartments": {ML: {"name": "ml"}, SECURITY: {"name": "security"}},
        "keys": {OCI_KEY: {"compartment": SECURITY, "region": "us-ashburn-1"}},
        "deployer": {"groups": list(groups)},
        "policies": [
            {"name": "deployers", "compartment": TENANCY, "statements": list(statements)},
            {"name": "keys", "compartment": TENANCY, "statements": [f"Allow service objectstorage-us-ashburn-1 to use keys in compartment id {SECURITY}"]},
        ],
    }
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"oci": {"tenancies": {TENANCY: tenancy}}}))
    oci = OciModel(World(world), {"region": "us-ashburn-1"})
    return Deploying(oci, OciDeployer(oci))


def allow(what: str, where: str = f"compartment id {ML}", group: str = "Deployers") -> str:
    return f"Allow group {group} to {what} in {where}"


def bucket(**values: Any) -> Json:
    return {"name": "models", "namespace": "ns", "compartment_id": ML, "versioning": "Enabled", **values}


@shows("oci-deployer-permission")
def test_an_oci_call_the_deployer_lacks_is_refused_and_passes_with_the_statement(tmp_path: Path) -> None:
    nothing = oci_model(tmp_path)
    summary, detail = refusal(nothing.create("oci_objectstorage_bucket", bucket()))
    assert (summary, detail.split(" (")[0]) == (NOT_AUTHORIZED, "Authorization failed or requested resource not found.")
    assert "BUCKET_CREATE" in detail
    buckets = oci_model(tmp_path, allow("manage buckets"))
    assert buckets.create("oci_objectstorage_bucket", bucket()) is None
    assert buckets.refresh("oci_objectstorage_bucket", bucket()) is None
    group = {"id": "group-1", "display_name": "logs", "compartment_id": ML}
    assert refusal(buckets.create("oci_logging_log_group", group))[0] == NOT_AUTHORIZED
    assert oci_model(tmp_path, allow("manage buckets"), allow("manage log-groups")).create("oci_logging_log_group", group) is None
    policy = {"id": "p", "name": "access", "compartment_id": ML, "statements": [allow("read buckets", group="Readers")]}
    assert refusal(buckets.create("oci_identity_policy", policy))[0] == NOT_AUTHORIZED
    assert oci_model(tmp_path, allow("manage policies")).create("oci_identity_policy", policy) is None


@shows("oci-deployer-permission")
def test_a_vault_key_a_retention_rule_and_the_lookups_need_theirs(tmp_path: Path) -> None:
    keyed = bucket(versioning="Disabled", kms_key_id=OCI_KEY)
    assert "KEY_ASSOCIATE" in refusal(oci_model(tmp_path, allow("manage buckets")).create("oci_objectstorage_bucket", keyed))[1]
    delegate = allow("use key-delegate", f"compartment id {SECURITY} where target.key.id = '{OCI_KEY}'")
    assert oci_model(tmp_path, allow("manage buckets"), delegate).create("oci_objectstorage_bucket", keyed) is None
    retained = bucket(versioning="Disabled", retention_rules=[{"display_name": "r", "duration": [{"time_amount": "30", "time_unit": "DAYS"}]}])
    only_create = allow("manage buckets", f"compartment id {ML} where request.permission = 'BUCKET_CREATE'")
    assert "BUCKET_UPDATE" in refusal(oci_model(tmp_path, only_create).create("oci_objectstorage_bucket", retained))[1]
    lookups = oci_model(tmp_path)
    assert refusal(lookups.read("oci_identity_region_subscriptions", {"tenancy_id": TENANCY}))[0] == NOT_AUTHORIZED
    assert "region_subscriptions" in oci_model(tmp_path, allow("inspect tenancies", "tenancy")).read("oci_identity_region_subscriptions", {"tenancy_id": TENANCY})
    assert lookups.read("oci_objectstorage_namespace", {}) == {"namespace": "ns"}  # the caller's tenancy: no permission
    assert refusal(lookups.read("oci_objectstorage_namespace", {"compartment_id": ML}))[0] == NOT_AUTHORIZED


@shows("oci-deployer-permission")
def test_a_statement_grants_only_its_group_in_its_domain(tmp_path: Path) -> None:
    assert oci_model(tmp_path, allow("manage buckets", group="'Default'/'Deployers'")).create("oci_objectstorage_bucket", bucket(name="a")) is None
    assert refusal(oci_model(tmp_path, allow("manage buckets", group="'ml-platform'/'Deployers'")).create("oci_objectstorage_bucket", bucket(name="b")))[0] == NOT_AUTHORIZED
    assert refusal(oci_model(tmp_path, allow("manage buckets", group="Readers")).create("oci_objectstorage_bucket", bucket(name="b")))[0] == NOT_AUTHORIZED
    assert oci_model(tmp_path, "Allow any-user to manage buckets in tenancy").create("oci_objectstorage_bucket", bucket(name="b")) is None


def test_every_rule_of_the_model_has_a_test() -> None:
    assert rules_without_a_test(RULES, globals()) == set()


def test_the_harness_readme_lists_every_rule_with_its_source() -> None:
    assert unlisted(RULES) == []


# ---- Through Terraform: one prerequisite taken away ------------------------------------------

WorldEdit = Callable[[Json], None]
DEV_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaadevexampleexampleexampleexampleexampleexample"


def without_service_usage_admin(world: Json) -> None:
    for project in world["gcp"]["projects"].values():
        project["bindings"].pop("roles/serviceusage.serviceUsageAdmin")


def without_log_groups(world: Json) -> None:
    for tenancy in world["oci"]["tenancies"].values():
        for policy in tenancy["policies"]:
            policy["statements"] = [s for s in policy["statements"] if s != allow("manage log-groups", f"compartment id {DEV_COMPARTMENT}", "ModelRegistryDeployers")]


WITHOUT: dict[str, tuple[str, str, WorldEdit, str]] = {
    "service-usage-admin": ("gcp-deployer-permission", "dev-gcp", without_service_usage_admin,
                            "googleapi: Error 403: Permission 'serviceusage.services.list' denied on resource '//serviceusage.googleapis.com/projects/acme-ml-dev'"),
    "manage-log-groups": ("oci-deployer-permission", "dev-oci", without_log_groups,
                          f"404-NotAuthorizedOrNotFound: Authorization failed or requested resource not found. (the model: no policy grants LOG_GROUP_CREATE in {DEV_COMPARTMENT}"),
}  # fmt: skip
"""name -> (rule, stack of config/example.yaml, the world's edit, the start of the refusal)."""


def apply_without(stack_dir: Path, workdir: Path, toolchain: Toolchain, edit: WorldEdit) -> list[str]:
    env = world_env("example", workdir / "world")
    world = Path(env[WORLD_ENV])
    facts = json.loads(world.read_text())
    edit(facts)
    world.write_text(json.dumps(facts))
    terraform = Terraform(local_backend_copy(stack_dir, workdir / "stack"), toolchain, base_env=env)
    terraform.init()
    try:
        result = terraform.apply()
    except TerraformError as error:
        result = error.result
    return [f"{d.summary}: {d.detail}" for d in result.diagnostics if d.severity == "error"]


@pytest.fixture(scope="module")
def refusals(example_synth: Synth, terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    stacks = synthesized(example_synth) / "stacks"
    jobs = {}
    for name, (_, stack, edit, _) in WITHOUT.items():
        workdir = tmp_path_factory.mktemp(f"without-{name}")
        jobs[name] = lambda s=stack, e=edit, w=workdir: apply_without(stacks / s, w, terraform_toolchain, e)
    return in_parallel(jobs)


@pytest.mark.parametrize("name", list(WITHOUT))
def test_a_stack_fails_without_one_of_the_readme_s_prerequisites(name: str, refusals: dict[str, list[str]]) -> None:
    expected = WITHOUT[name][3]
    assert any(error.startswith(expected) for error in refusals[name]), refusals[name] or f"{name}: applied without it"
    assert WITHOUT[name][0] in {rule.id for rule in RULES}
