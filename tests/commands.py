"""One way to run a command in the suite, and one type for what it did."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CommandResult:
    """A finished command: its arguments, exit status, output and how long it took.

    `diagnostics` holds what a Terraform command reported with `-json` (tests/terraform/harness.py).
    """

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    diagnostics: tuple[Any, ...] = ()

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def describe(self) -> str:
        return f"`{' '.join(self.args)}` exited {self.returncode} after {self.seconds:.1f}s:\n{self.stderr}{self.stdout}"


def run_command(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    merge_stderr: bool = False,
) -> CommandResult:
    """Run `argv` to completion in a session of its own, so a timeout ends it together with
    every process it started (Terraform's providers, the CLI's node) instead of hanging the suite."""
    started = time.perf_counter()
    with subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stdout += f"\n(killed after {timeout:.0f}s)"
    return CommandResult(tuple(argv), process.returncode, stdout, stderr or "", time.perf_counter() - started)
