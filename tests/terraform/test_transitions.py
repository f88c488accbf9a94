"""Edits as transitions: apply config A, apply config B, plan again, against the model with its
clock running (tests/terraform/README.md, "Transitions", has the outcome of each row).

Rows are batched so Terraform runs stay few: one edit of each stack carries several rows, and
each row's outcome is read from the state, the model's ledger or Terraform's refusal. dev-oci is
edited twice (A -> B -> C); a renamed environment is applied twice, with its state moved and, in a
world of its own, without it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from review import changes, gate
from tests.conftest import CONFIGS, run_main
from tests.terraform.harness import (
    STACK_FILE,
    Diagnostic,
    Terraform,
    TerraformError,
    Toolchain,
    local_backend_copy,
    planned_actions,
    state_resources,
)
from tests.terraform.model.gcp import repository_name
from tests.terraform.model.world import CLOCK_ENV, WORLD_ENV, World
from tests.terraform.plugin import in_parallel, world_env

EXAMPLE = yaml.safe_load(CONFIGS["example"].read_text())
READER = "serviceAccount:serving@acme-ml-dev.iam.gserviceaccount.com"
WRITER = "serviceAccount:training@acme-ml-dev.iam.gserviceaccount.com"
TENANCY = EXAMPLE["environments"]["dev"]["oci"]["tenancy_id"]
PROD_BUCKET = EXAMPLE["environments"]["prod"]["oci"]["buckets"][0]
KMS_KEY = EXAMPLE["environments"]["prod"]["gcp"]["repositories"][0]["kms_key_name"]
NEXT_KMS_KEY = KMS_KEY.replace("/cryptoKeys/models", "/cryptoKeys/models-next")
NEXT_VAULT_KEY = "ocid1.key.oc1.iad.exampleprodvault.aaaaaaaaprodkeynextexampleexampleexample"
DEV_PROJECT = EXAMPLE["environments"]["dev"]["gcp"]["project"]
STAGE_BUCKET = "ml-models-stage"


def repository(name: str) -> str:
    return repository_name(DEV_PROJECT, "us-central1", name)


# ---- the configs -------------------------------------------------------------------------


def config_a() -> dict[str, Any]:
    dev = copy.deepcopy(EXAMPLE["environments"]["dev"])
    dev["gcp"]["audit_logs"] = {"data_read": True}
    dev["gcp"]["repositories"] = [
        {"id": "models", "labels": {"team": "ml"}, "iam": {"readers": [READER]}},  # authoritative
        {"id": "images", "format": "docker", "vulnerability_scanning": "disabled", "iam": {"mode": "additive", "readers": [READER]}},
        {"id": "weights", "iam": {"readers": [READER], "writers": [WRITER]}, "cleanup": {"keep_latest": 5, "delete_older_than": "30d"}},
        {"id": "scanned", "format": "docker", "vulnerability_scanning": "enabled"},
        {"id": "cache", "format": "python"},
        {"id": "secure", "kms_key_name": KMS_KEY},
        {"id": "wheels", "format": "python"},
        {"id": "pypi-cache", "format": "python", "mode": "remote", "remote": {"upstream": "pypi"}},
        {"id": "pip", "format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "wheels", "priority": 100}, {"id": "pypi-cache", "priority": 10}]}},
    ]
    quiet = {"logging": {"write": False}}  # no log: fewer resources for rows that are not about logs
    dev["oci"]["buckets"] = [
        {"name": "ml-models-dev", "tags": {"team": "ml"}, "defined_tags": {"Operations.CostCenter": "42"}, "lifecycle": {"delete_after_days": 90}},
        {"name": "ml-archive-dev", **quiet},
        {"name": "ml-scratch-dev", **quiet},
        {"name": "ml-dr-dev", **quiet},
    ]
    prod = {"oci": copy.deepcopy(EXAMPLE["environments"]["prod"]["oci"]), "backend": {"type": "local"}}
    # Protected too: a bucket on the prod key, whose key changes.
    stage = {"oci": {**copy.deepcopy(prod["oci"]), "buckets": [{"name": "ml-models-stage", **quiet, **{k: PROD_BUCKET[k] for k in ("kms_key_id", "key_compartment_id")}}]}}
    # Renamed next: a bucket with an access policy, a lifecycle (and its service policy) and a log.
    qa = {"allow_destroy": True, "oci": {**copy.deepcopy(dev["oci"]), "buckets": [{"name": "ml-models-qa", "lifecycle": {"delete_after_days": 30}, "access": {"readers": ["MLServingDev"]}}]}}
    return {"name": EXAMPLE["name"], "environments": {"dev": dev, "prod": prod, "stage": stage, "qa": qa}}


def config_b() -> dict[str, Any]:
    data = config_a()
    dev, prod, stage = (data["environments"][name] for name in ("dev", "prod", "stage"))
    del dev["gcp"]["audit_logs"]
    models, images, weights, scanned, cache, secure, _, _, pip = dev["gcp"]["repositories"]
    del models["labels"], models["iam"]  # remove labels; leave authoritative IAM by removing iam
    del images["iam"]  # remove additive IAM
    images["format"] = "python"  # a ForceNew argument: the repository is replaced (dev allows it)
    weights["iam"] = {"mode": "additive", "readers": [READER]}  # authoritative -> additive, the writer left out
    weights["cleanup"] = {"dry_run": False, "keep_latest": 3, "delete_older_than": "60d"}
    del scanned["vulnerability_scanning"]
    cache.update(mode="remote", remote={"upstream": "pypi"})
    secure["kms_key_name"] = NEXT_KMS_KEY
    pip["virtual"]["upstreams"] = [{"id": "wheels", "priority": 100}]
    _, archive, scratch, dr = dev["oci"]["buckets"]
    # tags, defined tags, lifecycle and logs gone; versioning suspended
    dev["oci"]["buckets"][0] = {"name": "ml-models-dev", "versioning": "suspended", "logging": {"write": False}}
    archive["storage_tier"] = "Archive"
    scratch["name"] = "ml-scratch2-dev"
    dr["replication"] = {"region": "us-phoenix-1"}
    del prod["oci"]["buckets"][0]["kms_key_id"], prod["oci"]["buckets"][0]["key_compartment_id"]  # remove a bucket's key, in a protected environment
    stage["oci"]["buckets"][0]["kms_key_id"] = NEXT_VAULT_KEY  # change a bucket's key, in a protected environment
    data["environments"]["quality"] = data["environments"].pop("qa")  # an environment renamed
    return data


def config_c() -> dict[str, Any]:
    """The second edit of dev-oci: versioning back on, the replica removed."""
    data = config_b()
    models, _, _, dr = data["environments"]["dev"]["oci"]["buckets"]
    models["versioning"] = "enabled"
    del dr["replication"]
    return data


def with_next_keys(env: dict[str, str]) -> dict[str, str]:
    """The world with a second Cloud KMS key beside the example's, and a second Vault key; its
    deployer holds what the README asks for the features these configs add (docs/gcp.md "The
    deploying identity", docs/oci.md): the new keys, and the audit config of dev's project."""
    path = Path(env[WORLD_ENV])
    world = json.loads(path.read_text())
    deployer = world["gcp"]["deployer"]
    world["gcp"]["keys"][NEXT_KMS_KEY] = {"bindings": {"roles/cloudkms.admin": [deployer]}}
    world["gcp"]["projects"][DEV_PROJECT]["bindings"]["roles/resourcemanager.projectIamAdmin"] = [deployer]
    tenancy = world["oci"]["tenancies"][TENANCY]
    tenancy["keys"][NEXT_VAULT_KEY] = {"compartment": PROD_BUCKET["key_compartment_id"], "region": "us-ashburn-1"}
    group = tenancy["deployer"]["groups"][0]
    tenancy["policies"].append(
        {
            "name": "deployer-next-key",
            "compartment": TENANCY,
            "statements": [f"Allow group {group} to use key-delegate in compartment id {PROD_BUCKET['key_compartment_id']} where target.key.id = '{NEXT_VAULT_KEY}'"],
        }
    )
    path.write_text(json.dumps(world))
    return env


# ---- running them -------------------------------------------------------------------------


@dataclass
class Transition:
    after_b: dict[str, dict[str, Any]] = field(default_factory=dict)  # state after applying B
    second_plan: dict[str, list[str]] = field(default_factory=dict)
    refused: list[Diagnostic] = field(default_factory=list)  # B's plan or apply, where Terraform refuses it
    ledger: dict[str, Any] = field(default_factory=dict)
    plan_b: dict[str, list[str]] = field(default_factory=dict)  # what Terraform plans for B, before it applies
    stacks: tuple[dict[str, Any], dict[str, Any]] = ({}, {})  # the stack as synthesized from A, from B


def synth(folder: Path, data: dict[str, Any], stacks: str = "") -> Path:
    folder.mkdir(parents=True)
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_main(config, folder / "out", **({"MODEL_REGISTRY_STACKS": stacks} if stacks else {}))
    assert result.returncode == 0, result.stderr
    return folder / "out" / "stacks"


class Stack:
    """One stack's state in one world: applied from a first synth, then edited."""

    def __init__(self, first: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> None:
        self.env = env
        self.terraform = Terraform(local_backend_copy(first, workdir), toolchain, base_env=env)
        self.terraform.init()
        self.current = _stack(first)

    def apply(self) -> Transition:
        """Apply what the folder holds now (a first apply that may be refused)."""
        found = Transition(stacks=({}, self.current))
        try:
            found.plan_b = planned_actions(self.terraform.plan())
            self.terraform.apply(saved_plan=True)
        except TerraformError as error:
            found.refused = [d for d in error.result.diagnostics if d.severity == "error"]
        found.ledger = World(Path(self.env[WORLD_ENV])).read_ledger()
        return found

    def use(self, synthesized: Path) -> dict[str, Any]:
        """The folder holds `synthesized` (with the local state): the stack as it was."""
        previous, self.current = self.current, _stack(synthesized)
        stack_json = copy.deepcopy(self.current)
        stack_json["terraform"].pop("cloud", None)
        stack_json["terraform"]["backend"] = {"local": {"path": "terraform.tfstate"}}
        (self.terraform.workdir / STACK_FILE).write_text(json.dumps(stack_json))
        return previous

    def edit(self, synthesized: Path) -> Transition:
        """Plan and apply `synthesized` on the state, then plan again."""
        found = Transition(stacks=(self.use(synthesized), self.current))
        try:
            found.plan_b = planned_actions(self.terraform.plan())
            self.terraform.apply(saved_plan=True)
        except TerraformError as error:
            found.refused = [d for d in error.result.diagnostics if d.severity == "error"]
            return found
        second = self.terraform.plan()
        found.after_b = state_resources(second["prior_state"])  # what B's apply left, refreshed
        found.second_plan = planned_actions(second)
        found.ledger = World(Path(self.env[WORLD_ENV])).read_ledger()
        return found


def _stack(synthesized: Path) -> dict[str, Any]:
    stack: dict[str, Any] = json.loads((synthesized / STACK_FILE).read_text())
    return stack


def dev_oci_twice(a: Path, b: Path, c: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> dict[str, Transition]:
    """A -> B, then C: first as it comes (refused: the replica's provider left with it), then
    after the documented step, the replica and its policy destroyed from the stack as it was."""
    stack = Stack(a / "dev-oci", workdir, toolchain, env)
    stack.terraform.apply()
    to_b = stack.edit(b / "dev-oci")
    straight = stack.edit(c / "dev-oci")
    stack.use(b / "dev-oci")
    stack.terraform.destroy("-target=oci_objectstorage_replication_policy.ml-dr-dev", "-target=oci_objectstorage_bucket.ml-dr-dev_replica")
    return {"dev-oci": to_b, "dev-oci replica removed as it comes": straight, "dev-oci C": stack.edit(c / "dev-oci")}


def applied_then(first: Path, then: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> Transition:
    stack = Stack(first, workdir, toolchain, env)
    stack.terraform.apply()
    return stack.edit(then)


def key_changed_then_opted_in(a: Path, b: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> dict[str, Transition]:
    """A protected bucket's key changed: refused at plan; then the documented opt-in, a plan that
    replaces the record of the bucket's key."""
    stack = Stack(a / "stage-oci", workdir, toolchain, env)
    stack.terraform.apply()
    refused = stack.edit(b / "stage-oci")
    opted = Transition(stacks=refused.stacks)
    opted.plan_b = planned_actions(stack.terraform.plan(f"-replace=terraform_data.{STAGE_BUCKET}_vault_key"))
    stack.terraform.apply(saved_plan=True)
    second = stack.terraform.plan()
    opted.after_b, opted.second_plan = state_resources(second["prior_state"]), planned_actions(second)
    opted.ledger = World(Path(env[WORLD_ENV])).read_ledger()
    return {"stage-oci": refused, "stage-oci opted in": opted}


def renamed_without_its_state(a: Path, b: Path, workdir: Path, toolchain: Toolchain, env: dict[str, str]) -> Transition:
    Stack(a / "qa-oci", workdir / "qa-oci", toolchain, env).terraform.apply()
    found = Stack(b / "quality-oci", workdir / "quality-oci", toolchain, env).apply()
    found.stacks = (_stack(a / "qa-oci"), found.stacks[1])
    return found


@pytest.fixture(scope="module")
def transitions(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Transition]:
    root = tmp_path_factory.mktemp("transitions")
    a, b, c = in_parallel(
        {
            "a": lambda: synth(root / "a", config_a()),
            "b": lambda: synth(root / "b", config_b()),
            "c": lambda: synth(root / "c", config_c(), stacks="dev-oci"),
        }
    ).values()
    tenancy = {CLOCK_ENV: "1", "OCI_TENANCY_OCID": TENANCY}
    env = with_next_keys({**world_env("example", root / "world"), **tenancy})
    elsewhere = {**world_env("example", root / "other-world"), **tenancy}  # the renamed environment's, without its state
    tc = terraform_toolchain

    def edited(stack: str, renamed: str | None = None) -> Transition:
        return applied_then(a / stack, b / (renamed or stack), root / stack, tc, env)

    jobs = {
        "dev-oci": lambda: dev_oci_twice(a, b, c, root / "dev-oci", tc, env),
        "dev-gcp": lambda: {"dev-gcp": edited("dev-gcp")},
        "prod-oci": lambda: {"prod-oci": edited("prod-oci")},
        "stage-oci": lambda: key_changed_then_opted_in(a, b, root / "stage-oci", tc, env),
        "quality-oci": lambda: {"quality-oci": edited("qa-oci", "quality-oci")},
        "lost": lambda: {"quality-oci without its state": renamed_without_its_state(a, b, root / "lost", tc, elsewhere)},
    }
    return {key: found for results in in_parallel(jobs).values() for key, found in results.items()}


def no_change(plan: dict[str, list[str]]) -> bool:
    return set(map(tuple, plan.values())) <= {("no-op",), ("read",)}


def review(run: Transition, stack: str) -> dict[str, changes.Change]:
    old, new = run.stacks
    return {change.address: change for change in changes.classify({stack: old}, {stack: new}) if change.address}


# ---- dev-gcp ----------------------------------------------------------------------------


def test_every_gcp_row_converges(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.refused == [] and no_change(run.second_plan)


def test_leaving_authoritative_iam_forgets_the_policy_and_keeps_its_grants(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert "google_artifact_registry_repository_iam_policy.models" not in run.after_b
    bindings = run.ledger["gcp"]["repository_iam"]
    assert bindings[repository("models")] == {"roles/artifactregistry.reader": [READER]}
    # Additive IAM removed: its member resources go, and with them their grants.
    assert bindings[repository("images")] == {}


def test_authoritative_to_additive_in_one_step_forgets_the_policy_and_grants_each_member(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.plan_b["google_artifact_registry_repository_iam_policy.weights"] == ["forget"]
    members = [a for a, actions in run.plan_b.items() if a.startswith("google_artifact_registry_repository_iam_member.weights_")]
    assert [run.plan_b[a] for a in members] == [["create"]]
    # The reader is granted by its member; the writer the config no longer names keeps the grant the
    # forgotten policy gave it (docs/operations.md: remove it by hand).
    assert run.ledger["gcp"]["repository_iam"][repository("weights")] == {"roles/artifactregistry.reader": [READER], "roles/artifactregistry.writer": [WRITER]}


def test_removed_labels_converge(transitions: dict[str, Transition]) -> None:
    assert not transitions["dev-gcp"].after_b["google_artifact_registry_repository.models"].get("labels")


def test_removed_vulnerability_scanning_is_kept_by_the_cloud_and_plans_nothing(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.plan_b["google_artifact_registry_repository.scanned"] == ["no-op"]
    assert run.after_b["google_artifact_registry_repository.scanned"]["vulnerability_scanning_config"][0]["enablement_config"] == "INHERITED"
    # The Container Scanning API is forgotten, not disabled (disable_on_destroy = false).
    assert run.plan_b["google_project_service.acme-ml-dev_containerscanning"] == ["delete"]
    assert "containerscanning.googleapis.com" in run.ledger["gcp"]["apis"][DEV_PROJECT]
    assert review(run, "dev-gcp")["google_artifact_registry_repository.scanned"].kind == changes.NO_CHANGE


def test_a_repository_s_mode_and_key_changes_replace_it_and_the_review_names_them(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    said = review(run, "dev-gcp")
    for name, argument in (("cache", "mode (none) -> REMOTE_REPOSITORY"), ("secure", f"kms_key_name {KMS_KEY} -> {NEXT_KMS_KEY}"), ("images", "format DOCKER -> PYTHON")):
        address = f"google_artifact_registry_repository.{name}"
        assert sorted(run.plan_b[address]) == ["create", "delete"]
        assert said[address].kind == changes.REPLACED and said[address].says.startswith(f"{argument} forces a new repository")
    assert run.after_b["google_artifact_registry_repository.cache"]["mode"] == "REMOTE_REPOSITORY"
    assert run.after_b["google_artifact_registry_repository.secure"]["kms_key_name"] == NEXT_KMS_KEY
    # The new key is granted to the project's agent before the repository is made; the old key's grant goes.
    grants = run.ledger["gcp"]["key_grants"]
    assert grants[KMS_KEY]["roles/cloudkms.cryptoKeyEncrypterDecrypter"] == []
    assert len(grants[NEXT_KMS_KEY]["roles/cloudkms.cryptoKeyEncrypterDecrypter"]) == 1


def test_removed_audit_logs_turn_the_data_access_logs_off(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.plan_b["google_project_iam_audit_config.acme-ml-dev_artifactregistry"] == ["delete"]
    assert run.ledger["gcp"]["audit_configs"] == []


def test_an_edited_cleanup_is_updated_in_place(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.plan_b["google_artifact_registry_repository.weights"] == ["update"]
    weights = run.after_b["google_artifact_registry_repository.weights"]
    conditions = {p["id"]: (p["condition"] or p["most_recent_versions"])[0] for p in weights["cleanup_policies"]}
    assert {c.get("older_than") or c.get("keep_count") for c in conditions.values()} == {"5184000s", 3}
    assert weights["cleanup_policy_dry_run"] is False


def test_a_virtual_repository_s_removed_upstream_is_updated_in_place(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-gcp"]
    assert run.plan_b["google_artifact_registry_repository.pip"] == ["update"]
    upstreams = run.after_b["google_artifact_registry_repository.pip"]["virtual_repository_config"][0]["upstream_policies"]
    assert [u["id"] for u in upstreams] == ["wheels"]
    assert repository("pypi-cache") in run.ledger["gcp"]["repositories"]  # the upstream itself stays


# ---- dev-oci ----------------------------------------------------------------------------


def test_removed_tags_lifecycle_and_logs_and_suspended_versioning_converge(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci"]
    bucket = run.after_b["oci_objectstorage_bucket.ml-models-dev"]
    assert (bucket["freeform_tags"], bucket["versioning"]) == ({}, "Suspended")
    assert not [address for address in run.after_b if address.startswith(("oci_objectstorage_object_lifecycle_policy.", "oci_logging_log."))]
    assert run.refused == [] and no_change(run.second_plan)


def test_removed_defined_tags_are_kept_by_the_cloud_and_plan_nothing(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci"]
    tags = run.after_b["oci_objectstorage_bucket.ml-models-dev"]["defined_tags"]
    # The cloud keeps the removed tag, beside the tenancy's tag defaults (which ignore_defined_tags keeps out of plans).
    assert {key: value for key, value in tags.items() if not key.startswith("Oracle-Tags.")} == {"Operations.CostCenter": "42"}
    assert {"Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn"} <= set(tags)
    said = review(run, "dev-oci")["oci_objectstorage_bucket.ml-models-dev"].says
    assert 'defined_tags removed from the config, but the cloud keeps {"Operations.CostCenter": "42"}' in said


def test_a_bucket_s_tier_change_replaces_it_and_a_new_name_is_a_new_bucket(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci"]
    said = review(run, "dev-oci")
    assert sorted(run.plan_b["oci_objectstorage_bucket.ml-archive-dev"]) == ["create", "delete"]
    assert said["oci_objectstorage_bucket.ml-archive-dev"].says.startswith("storage_tier Standard -> Archive forces a new bucket")
    assert run.after_b["oci_objectstorage_bucket.ml-archive-dev"]["storage_tier"] == "Archive"
    # The name is the address: the old bucket is destroyed and a new one created, each said.
    assert (run.plan_b["oci_objectstorage_bucket.ml-scratch-dev"], run.plan_b["oci_objectstorage_bucket.ml-scratch2-dev"]) == (["delete"], ["create"])
    assert (said["oci_objectstorage_bucket.ml-scratch-dev"].kind, said["oci_objectstorage_bucket.ml-scratch2-dev"].kind) == (changes.DESTROY, changes.CREATE)
    assert sorted(b["name"] for b in run.ledger["oci"]["buckets"].values() if "scratch" in b["name"]) == ["ml-scratch2-dev"]


def test_an_added_replica_converges(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci"]
    assert {"oci_objectstorage_bucket.ml-dr-dev_replica", "oci_objectstorage_replication_policy.ml-dr-dev"} <= set(run.after_b)
    assert [p["destination"] for p in run.ledger["oci"]["replication_policies"].values()] == ["us-phoenix-1:n/standinnamespace/b/ml-dr-dev"]


def test_a_removed_replica_is_refused_at_plan_until_it_is_destroyed_from_the_stack_as_it_was(transitions: dict[str, Transition]) -> None:
    # Its region's provider goes with the last replica there, and Terraform needs it to destroy one.
    (error,) = transitions["dev-oci replica removed as it comes"].refused
    assert error.summary == "Provider configuration not present"
    assert "oci_objectstorage_bucket.ml-dr-dev_replica (orphan)" in error.detail
    # The review says so before any plan, with the command to run first.
    straight = transitions["dev-oci replica removed as it comes"]
    said = changes.classify({"dev-oci": straight.stacks[0]}, {"dev-oci": straight.stacks[1]})
    (warning,) = [c for c in said if c.kind == changes.WARNING and c.says.startswith("Terraform will refuse this plan")]
    assert "-target=oci_objectstorage_bucket.ml-dr-dev_replica" in warning.says
    # docs/oci.md: `terraform destroy -target` of the policy and the replica first, then the edit converges.
    run = transitions["dev-oci C"]
    assert run.refused == [] and no_change(run.second_plan)
    assert not run.ledger["oci"].get("replication_policies")
    assert not [a for a in run.after_b if "replica" in a or "replication" in a]


def test_versioning_suspended_then_enabled_again_converges(transitions: dict[str, Transition]) -> None:
    run = transitions["dev-oci C"]
    assert run.plan_b["oci_objectstorage_bucket.ml-models-dev"] == ["update"]
    assert run.after_b["oci_objectstorage_bucket.ml-models-dev"]["versioning"] == "Enabled"


# ---- prod-oci and stage-oci, protected --------------------------------------------------


def test_removing_a_bucket_s_key_is_refused_at_plan_naming_the_bucket(transitions: dict[str, Transition]) -> None:
    # kms_key_id is Optional+Computed: the bucket would keep the key while its policy went.
    # prevent_destroy cannot help: a resource removed from the config loses its lifecycle too.
    (error,) = transitions["prod-oci"].refused
    assert error.summary == "Resource postcondition failed"
    assert error.detail.startswith("Bucket machine-learning-models still uses a Vault key")


def test_changing_a_bucket_s_key_is_refused_at_plan_until_the_record_of_its_key_is_replaced(transitions: dict[str, Transition]) -> None:
    run = transitions["stage-oci"]
    said = changes.classify({"stage-oci": run.stacks[0]}, {"stage-oci": run.stacks[1]})
    (lost,) = gate.needed(said)  # the review says it too, before any plan
    assert lost.address.startswith("oci_identity_policy.objectstorage_key_service_")
    assert "oci_objectstorage_bucket.ml-models-stage still uses the key" in lost.says
    # The bucket would take the new key in place (no re-encryption) while the old key's policy
    # went (its prevent_destroy leaves with its block): the bucket's postcondition stops the plan.
    (error,) = run.refused
    assert error.summary == "Resource postcondition failed"
    assert error.detail.startswith("Bucket ml-models-stage's Vault key would change.")
    assert f"terraform apply -replace=terraform_data.{STAGE_BUCKET}_vault_key" in error.detail
    # The opt-in: the record replaced, the bucket takes the new key, the old key's policy goes.
    opted = transitions["stage-oci opted in"]
    assert sorted(opted.plan_b[f"terraform_data.{STAGE_BUCKET}_vault_key"]) == ["create", "delete"]
    assert opted.plan_b[lost.address] == ["delete"] and opted.plan_b["oci_objectstorage_bucket.ml-models-stage"] == ["update"]
    assert opted.after_b["oci_objectstorage_bucket.ml-models-stage"]["kms_key_id"] == NEXT_VAULT_KEY
    assert no_change(opted.second_plan)
    keys = {p["name"]: p["statements"][0] for p in opted.ledger["oci"]["policies"].values() if "-stage-objectstorage-key-" in p["name"]}
    assert [statement.endswith(f"'{NEXT_VAULT_KEY}'") for statement in keys.values()] == [True]


# ---- an environment renamed ----------------------------------------------------------------


def test_a_renamed_environment_without_its_state_makes_its_policies_again_then_stops_at_the_bucket(transitions: dict[str, Transition]) -> None:
    run = transitions["quality-oci without its state"]
    assert set(map(tuple, (v for a, v in run.plan_b.items() if not a.startswith("data.")))) == {("create",)}
    (error,) = run.refused
    assert error.summary == "409-BucketAlreadyExists"
    names = sorted(p["name"] for p in run.ledger["oci"]["policies"].values())
    # What is named after the environment, its policies and log group, is made again beside the old.
    assert [n for n in names if "-quality-" in n] and [n for n in names if "-qa-" in n]
    groups = sorted(g["display_name"] for g in run.ledger["oci"]["log_groups"].values())
    assert groups == ["ml-models-qa-bucket-logs-us-ashburn-1", "ml-models-quality-bucket-logs-us-ashburn-1"]
    said = changes.classify({"qa-oci": run.stacks[0]}, {"quality-oci": run.stacks[1]})
    assert said[0].kind == changes.STATE and said[0].stack == "qa-oci -> quality-oci"


def test_a_renamed_environment_with_its_state_moved_renames_what_carries_its_name(transitions: dict[str, Transition]) -> None:
    run = transitions["quality-oci"]
    assert run.refused == [] and no_change(run.second_plan)
    assert run.plan_b["oci_objectstorage_bucket.ml-models-qa"] == ["no-op"]
    # The policies' names carry the environment and are ForceNew; the log group's display name is not.
    assert sorted(run.plan_b["oci_identity_policy.ml-models-qa_access"]) == ["create", "delete"]
    assert run.plan_b["oci_logging_log_group.objectstorage_logs_652503d6"] == ["update"]
    names = [p["name"] for p in run.ledger["oci"]["policies"].values() if p["name"].startswith(("ml-models-qa-", "ml-models-quality-"))]
    assert names and all(n.startswith("ml-models-quality-") for n in names)


# ---- the review and the plan ---------------------------------------------------------------

# Not "stage-oci opted in": its replacement comes from `-replace`, which no config shows.
REVIEWED = {
    "dev-gcp": {changes.UPDATE, changes.REPLACED, changes.NO_CHANGE},
    "dev-oci": {changes.UPDATE, changes.REPLACED},
    "dev-oci C": {changes.UPDATE},
    "quality-oci": {changes.REPLACED},
}


@pytest.mark.parametrize("stack", list(REVIEWED))
def test_the_change_review_agrees_with_the_model_s_plan(stack: str, transitions: dict[str, Transition]) -> None:
    """The review (read from the provider behaviour facts, before any plan) and Terraform's plan
    against the model never disagree about replace, update or no change."""
    run = transitions[stack]
    said = {address: change.kind for address, change in review(run, stack).items()}
    planned = {address: actions for address, actions in run.plan_b.items() if not address.startswith("data.")}
    disagreements = []
    for address, actions in planned.items():
        kind = said.get(address)
        if sorted(actions) == ["create", "delete"]:
            agrees = kind == changes.REPLACED or (kind == changes.IAM and address.startswith("oci_identity_policy."))
        elif actions == ["update"]:
            agrees = kind in (changes.UPDATE, changes.IAM, changes.PERMANENT, changes.WARNING)
        elif actions == ["no-op"]:
            agrees = kind in (None, changes.NO_CHANGE)
        else:
            agrees = kind not in (changes.REPLACED, changes.UPDATE, changes.NO_CHANGE)
        if not agrees:
            disagreements.append((address, actions, kind))
    for address, kind in said.items():
        expected = {changes.REPLACED: "replace", changes.UPDATE: "update", changes.NO_CHANGE: "no-op"}.get(kind)
        actions = planned.get(address, ["no-op"])
        plan_says = "replace" if sorted(actions) == ["create", "delete"] else actions[0]
        if expected is not None and plan_says != expected:
            disagreements.append((address, actions, kind))
    assert disagreements == []
    assert REVIEWED[stack] <= set(said.values())  # the rows say something
