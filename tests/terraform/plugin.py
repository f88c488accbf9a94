"""Pytest fixtures for running Terraform offline on synthesized stacks (see ``harness.py``).

``tests/terraform/conftest.py`` imports them; a conftest elsewhere in the suite
can do the same to run its own stacks through Terraform::

    from tests.terraform.plugin import terraform_stack, terraform_toolchain  # noqa: F401
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable

import pytest

from tests.terraform.harness import Terraform, Toolchain, build_toolchain, local_backend_copy

_toolchains: list[Toolchain] = []


@pytest.fixture(scope="session")
def terraform_toolchain(tmp_path_factory: pytest.TempPathFactory) -> Toolchain:
    """Stand-in providers, CLI configuration and ``terraform`` launcher, generated once per session."""
    toolchain = build_toolchain(tmp_path_factory.mktemp("terraform-toolchain"))
    _toolchains.append(toolchain)
    return toolchain


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With ``-v``: how many Terraform commands ran, and how long each kind took."""
    if terminalreporter.config.option.verbose <= 0:
        return
    results = [result for toolchain in _toolchains for result in toolchain.history]
    if not results:
        return
    by_command: dict[str, list[float]] = defaultdict(list)
    for result in results:
        by_command[" ".join(a for a in result.args[:2] if not a.startswith("-"))].append(result.seconds)
    terminalreporter.section("terraform command timings")
    for command, seconds in sorted(by_command.items()):
        terminalreporter.write_line(
            f"{command:<22} x{len(seconds):<3} mean {sum(seconds) / len(seconds):5.2f}s  max {max(seconds):5.2f}s"
        )
    terminalreporter.write_line(f"{'total':<22} x{len(results):<3} {sum(r.seconds for r in results):6.2f}s")

