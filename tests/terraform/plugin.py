"""Pytest fixtures for running Terraform offline on synthesized stacks (see ``harness.py``).

``tests/terraform/conftest.py`` imports them; a conftest elsewhere in the suite
can do the same to run its own stacks through Terraform::

    from tests.terraform.plugin import terraform_stack, terraform_toolchain  # noqa: F401

Also here: `in_parallel` for the suite's slow independent jobs (Terraform on every
stack, two CLI runs), and the cdktf CLI run the way a user runs it (`cdktf_synth`).
Test files run in parallel too (pytest-xdist, `--dist loadfile`: Makefile).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

import engine
from tests.commands import CommandResult, run_command
from tests.terraform.harness import Terraform, Toolchain, build_toolchain, local_backend_copy
from tests.terraform.model.world import WORLD_ENV


@pytest.fixture(scope="session")
def terraform_toolchain(tmp_path_factory: pytest.TempPathFactory) -> Toolchain:
    """Stand-in providers, CLI configuration and ``terraform`` launcher, generated once per session."""
    return build_toolchain(tmp_path_factory.mktemp("terraform-toolchain"))


StackFactory = Callable[[Path], Terraform]


@pytest.fixture(scope="session")
def terraform_stack(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> StackFactory:
    """Make a ``Terraform`` on a local-backend copy of a stack folder (not initialised).

    Each call copies, so a test may change the copy's ``cdk.tf.json`` freely.
    """

    def make(stack_dir: Path) -> Terraform:
        dest = tmp_path_factory.mktemp(stack_dir.name, numbered=True) / "stack"
        return Terraform(local_backend_copy(stack_dir, dest), terraform_toolchain)

    return make


# ----------------------------------------------------------------------------
# Slow independent jobs, and the cdktf CLI
# ----------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
CLI_TIMEOUT_SECONDS = 300
K = TypeVar("K")
V = TypeVar("V")


def in_parallel(jobs: Mapping[K, Callable[[], V]], workers: int = 2) -> dict[K, V]:
    """Run independent jobs (mostly waits on Terraform, node or a provider) two at a time.

    Two: CI has two cores and pytest-xdist already runs two test files at once.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


WORLDS = Path(__file__).resolve().parent / "worlds"


def world_env(name: str, folder: Path) -> dict[str, str]:
    """The environment of a Terraform run against the clouds of `worlds/<name>.json` (model/world.py):
    a fresh copy of that world in `folder`, with nothing made in it yet."""
    folder.mkdir(parents=True, exist_ok=True)
    world = folder / f"{name}.json"
    shutil.copy(WORLDS / f"{name}.json", world)
    return {**os.environ, WORLD_ENV: str(world)}


def copy_working_tree(dest: Path) -> None:
    """Every file git tracks or would track (not ignored), as on disk now, uncommitted edits included."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    for raw in listed.stdout.split(b"\0"):
        source = REPO / os.fsdecode(raw)
        if raw and source.is_file():  # not: tracked but deleted in the working tree
            target = dest / os.fsdecode(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def checkout_copy(dest: Path) -> Path:
    """A copy of the checkout as a user has it after `make test`: its environments and `node_modules` linked."""
    copy_working_tree(dest)
    for installed in (".venv", ".venv-cdktn", "node_modules"):
        if (REPO / installed).is_dir():
            (dest / installed).symlink_to(REPO / installed, target_is_directory=True)
    return dest


def cli_env(toolchain: Toolchain, **extra: str) -> dict[str, str]:
    """The environment of a cdktf CLI run: offline Terraform, plain output, none of our variables."""
    env = toolchain.env()  # CHECKPOINT_DISABLE=1: no call to checkpoint-api.hashicorp.com
    for name in list(env):
        if name.startswith(("CDKTF_", "MODEL_REGISTRY_")) or name == "SYNTH_HCL_OUTPUT":
            del env[name]
    env["MODEL_REGISTRY_ENGINE"] = engine.ENGINE  # bin/app runs main.py in that engine's environment
    env.update(
        CI="1",
        NO_COLOR="1",
        FORCE_COLOR="0",
        # cdktf checks `terraform version` for a `cloud` block: the offline one answers.
        TERRAFORM_BINARY_NAME=toolchain.terraform_command[0],
        # Otherwise the CLI sets TF_PLUGIN_CACHE_DIR=~/.terraform.d/plugin-cache and `terraform init`
        # links the stand-in providers into the user's real plugin cache.
        CDKTF_DISABLE_PLUGIN_CACHE_ENV="1",
    )
    env.update(extra)
    return env


def npx_cli(root: Path, *args: str, env: Mapping[str, str], timeout: float = CLI_TIMEOUT_SECONDS) -> CommandResult:
    """`npx cdktf ARGS` (`npx cdktn` on that engine) in `root`, stdout and stderr merged."""
    return run_command(["npx", "--no", "--", engine.CLI, *args], cwd=root, env=env, timeout=timeout, merge_stderr=True)
