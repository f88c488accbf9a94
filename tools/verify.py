"""`make verify`: what a pull request that changes a config needs to know, in well under a minute.

    make verify                            # every config: config/*.yaml and tests/snapshots/configs.txt
    make verify CONFIG=config/acme.yaml    # one config (several: CONFIG="a.yaml b.yaml")

Each config is loaded and checked (as `make check`), every one of its stacks synthesized (as
`make synth`, all configs in this one process: jsii starts once), compared with its reviewed
snapshots in tests/snapshots/ (as the snapshot tests do; a drift is told as a plan, see
tools/snapshots.py), and every stack of every config is scanned by one checkov run that really
reads them (tools/scan.py). Nothing is written outside a temporary folder; snapshots are
recorded by `make snapshots` only.

Exit status: 0 every config is fine; 1 a problem, each one printed on standard error (the
configs after a broken one are still verified); 2 a config named that is not snapshot-tested,
or a broken tests/snapshots/configs.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import main
from config import ConfigError, load_config
from tools import scan, snapshots

Json = dict[str, Any]


class Verified(NamedTuple):
    name: str
    path: Path
    stacks: dict[str, Json]
    """Every stack synthesized, by id; empty when the config was refused."""
    problems: list[str]


def verify_config(name: str, path: Path, workdir: Path) -> Verified:
    """Config `name` (in `path`) checked, synthesized into `workdir` and compared with its snapshots."""
    try:
        config = load_config(path)
    except ConfigError as error:
        return Verified(name, path, {}, str(error).splitlines())
    into = workdir / name
    into.mkdir(parents=True)
    try:
        stacks = main.synthesize(config, main.stack_names(config), into)
    except Exception as error:  # a synth that fails: say which config, keep verifying the others
        return Verified(name, path, {}, [f"{snapshots.shown(path)}: the synth failed: {type(error).__name__}: {error}"])
    return Verified(name, path, stacks, report_drift(name, path, stacks))


def report_drift(name: str, path: Path, stacks: dict[str, Json]) -> list[str]:
    """What a reviewer reads when config `name`'s stacks differ from their reviewed snapshots
    (empty when they do not): the snapshot diff, told as a plan. The one place a drift is reported:
    what each change will do in the cloud belongs here too (issue 20)."""
    return snapshots.problems(name, path, stacks)


def run(wanted: list[tuple[str, Path]]) -> int:
    """Verify the configs in `wanted` (name, file): what is fine on standard output, each problem
    on standard error; 0 when all is well, 1 when anything is wrong."""
    started = time.perf_counter()
    failing: list[str] = []
    """What had a problem: a config's file, or checkov."""
    with tempfile.TemporaryDirectory(prefix="verify-") as workdir, contextlib.ExitStack() as cleanup:
        try:
            # Started first: checkov loads itself while the stacks synthesize.
            checkov: scan.Checkov | scan.ScanError = cleanup.enter_context(scan.Checkov())
        except scan.ScanError as error:
            checkov = error
        stacks: dict[scan.StackKey, Json] = {}
        for name, path in wanted:
            step = time.perf_counter()
            result = verify_config(name, path, Path(workdir) / "synth")
            _say(result.problems, error=True)
            failing += [snapshots.shown(path)] if result.problems else []
            if result.stacks:
                state = "differs from its snapshots" if result.problems else "as reviewed in " + _folder(name)
                took = f"{time.perf_counter() - step:.1f} s"
                _say([f"{snapshots.shown(path)}: checked, {len(result.stacks)} stacks synthesized, {state} ({took})"])
            stacks.update({(name, stack): body for stack, body in result.stacks.items()})
        if stacks and not scan_all(checkov, stacks, Path(workdir) / "scan"):
            failing.append("checkov")
    summary = f"{len(wanted)} config{'s' if len(wanted) != 1 else ''}, {len(stacks)} stacks"
    summary += f", {time.perf_counter() - started:.1f} s"
    if failing:
        _say([f"verify: failed: {', '.join(failing)} ({summary}); what is wrong is printed above"], error=True)
        return 1
    _say([f"verify: every config is fine ({summary})"])
    return 0


def scan_all(checkov: scan.Checkov | scan.ScanError, stacks: dict[scan.StackKey, Json], workdir: Path) -> bool:
    """Scan every stack in one checkov run and say what it found; False when anything is wrong."""
    started = time.perf_counter()
    try:
        if isinstance(checkov, scan.ScanError):
            raise checkov
        found = checkov.scan(stacks, workdir)
    except scan.ScanError as error:
        _say([f"checkov: {error}"], error=True)
        return False
    problems = scan.problems(found, scan.accepted())
    _say(problems, error=True)
    failed = len(found.failed)
    accepted = f" ({failed} accepted in {snapshots.shown(scan.ALLOWLIST)})" if failed and not problems else ""
    _say(
        [
            f"checkov: {len(found.stacks)} stacks scanned, {len(found.findings) - failed} checks passed,"
            f" {failed} failed{accepted} ({time.perf_counter() - started:.1f} s)"
        ]
    )
    return not problems


def _folder(name: str) -> str:
    return f"{snapshots.shown(snapshots.SNAPSHOTS / name)}/"


def _say(lines: list[str], *, error: bool = False) -> None:
    if lines:
        print("\n".join(lines), file=sys.stderr if error else sys.stdout, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tools/verify.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "configs", nargs="*", type=Path, help="config files to verify (default: every config snapshot-tested)"
    )
    return parser.parse_args(argv)


def cli(argv: list[str]) -> int:
    args = parse(argv)
    found = snapshots.discover()
    wanted, unknown = snapshots.select(found, args.configs)
    for problem in found.problems + unknown:
        print(problem, file=sys.stderr)
    if found.problems or unknown:
        return 2
    # Every stack, in JSON: nothing a user's environment says otherwise.
    for variable in ("MODEL_REGISTRY_STACKS", "SYNTH_HCL_OUTPUT"):
        os.environ.pop(variable, None)
    return run(wanted)


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
