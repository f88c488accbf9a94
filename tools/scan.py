"""checkov on synthesized stacks, offline, in one run that really sees them.

checkov 3.3's `terraform_json` parser drops a whole `cdk.tf.json` when a block holds a plain
value where it expects an object: `terraform.required_version`, and every `import`, `moved` and `removed`
block ("this method receives only dicts", checkov/terraform_json/parser.py `hclify`). It then
reports a parsing error, runs no check on that file, and still exits 0: `checkov -d
cdktf.out/stacks/prod-gcp` "passes" a stack it never read. So the scan reads copies without
those blocks (they pin Terraform and declare adoption, renames and forgetting: nothing a check looks at),
and a parsing error, or a stack with no check run on it, is a problem like a failed check.

A failed check is a problem unless `tests/checkov/allowlist.yaml` accepts it with its reason;
an accepted failure that no longer fails is one too, so the list stays true.

Used by `make verify` (tools/verify.py) and by tests/checkov/test_checkov.py; the scanner runs
from its own environment (`.venv-checkov/`: its pins clash with pytest's), never imported. Alone,
on what `make synth` wrote:

    .venv/bin/python -m tools.scan cdktf.out                   # every failed check fails
    .venv/bin/python -m tools.scan cdktf.out --config example  # ... but those the allowlist accepts
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Json = dict[str, Any]
StackKey = tuple[str, str]
"""(config name, stack id), e.g. ("example", "prod-gcp")."""

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv-checkov" / "bin" / "python"
ALLOWLIST = ROOT / "tests" / "checkov" / "allowlist.yaml"
UNPARSABLE_BLOCKS = ("import", "moved", "removed")
"""Top-level blocks checkov 3.3's terraform_json parser cannot read (a list of plain values)."""
TIMEOUT_S = 300
ARGS = ("--framework", "terraform_json", "--skip-download", "-o", "json")


class ScanError(Exception):
    """checkov could not run, or said something other than a report; the message says what."""


@dataclass(frozen=True)
class Finding:
    config: str
    stack: str
    resource: str
    """Terraform address, e.g. oci_objectstorage_bucket.ml-models-dev."""
    check: str
    """checkov's check id, e.g. CKV_OCI_9."""
    passed: bool
    name: str
    """What the check wants, in checkov's words."""
    evaluated_keys: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.check, self.config, self.stack, self.resource)

    def __str__(self) -> str:
        keys = ", ".join(self.evaluated_keys)
        return f"{self.check} {self.config}/{self.stack} {self.resource}: {self.name} (checks: {keys})"


@dataclass(frozen=True)
class Scan:
    stacks: dict[StackKey, Json]
    """What was scanned (the copies checkov read), by (config, stack)."""
    findings: list[Finding]
    parsing_errors: list[StackKey]
    """The stacks checkov could not parse."""

    @property
    def failed(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.passed]


def scannable(stack: Json) -> Json:
    """`stack` as checkov can read it: without the blocks its parser drops the file for."""
    copy = {key: value for key, value in stack.items() if key not in UNPARSABLE_BLOCKS}
    if "required_version" in copy.get("terraform", {}):
        copy["terraform"] = {key: value for key, value in copy["terraform"].items() if key != "required_version"}
    return copy


def checkov_env(**extra: str) -> dict[str, str]:
    """The environment of a checkov run: offline, nothing inherited that would change what it does."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BC_", "PRISMA_", "CKV_", "CHECKOV_")) and name != "PYTHONPATH"
    }
    env.update(
        # --skip-download does not stop checkov asking pypi.org for a newer version of itself
        # (at every start, cached per user for a while): this does.
        CKV_SKIP_PACKAGE_UPDATE_CHECK="true",
        CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


class Checkov:
    """One checkov run, started early: most of a run is checkov importing itself (about 4 s of CPU),
    which so overlaps the synth. `scan()` then gives it the stacks; `close()` ends a run never given any.

    The process runs what the `checkov` console script runs (`checkov.main.Checkov(argv).run()`),
    with its arguments read from standard input once the stacks are written."""

    DRIVER = (
        "import sys, warnings\n"
        "warnings.simplefilter('ignore', category=SyntaxWarning)\n"
        "from checkov.main import Checkov\n"
        "argv = sys.stdin.readline().rstrip('\\n').split('\\0')\n"
        "sys.exit(Checkov(argv).run())\n"
    )

    def __init__(self, *, env: Mapping[str, str] | None = None, python: Path = PYTHON) -> None:
        if not python.exists():
            raise ScanError(
                f"{python} is missing: run `make .venv-checkov/.installed` (make verify and make test install it)"
            )
        self.process = subprocess.Popen(
            [str(python), "-c", self.DRIVER],
            env=checkov_env() if env is None else dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __enter__(self) -> Checkov:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def scan(self, stacks: Mapping[StackKey, Json], workdir: Path) -> Scan:
        """Scan `stacks` in this one run, over copies written in `workdir/stacks/<config>/<stack>/`."""
        target = workdir.resolve() / "stacks"
        scanned: dict[StackKey, Json] = {}
        starts: dict[StackKey, list[tuple[int, str]]] = {}
        for (config, stack), stack_json in stacks.items():
            scanned[config, stack] = scannable(stack_json)
            text = json.dumps(scanned[config, stack], indent=2)
            file = target / config / stack / "cdk.tf.json"
            file.parent.mkdir(parents=True)
            file.write_text(text, encoding="utf-8")
            starts[config, stack] = _block_starts(text)
        try:
            stdout, stderr = self.process.communicate("\0".join(["-d", str(target), *ARGS]) + "\n", timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise ScanError(f"checkov did not finish in {TIMEOUT_S} s") from None
        finally:
            self.close()
        # Exit 1 only says that a check failed; the report says which.
        if self.process.returncode not in (0, 1):
            raise ScanError(f"checkov exited {self.process.returncode}:\n{stderr.strip()[-2000:]}")
        try:
            report: Any = json.loads(stdout)
        except ValueError:
            raise ScanError(f"checkov printed no JSON report:\n{(stdout + stderr).strip()[-2000:]}") from None
        return _read(report, target, scanned, starts)


def run(stacks: Mapping[StackKey, Json], workdir: Path, *, env: Mapping[str, str] | None = None) -> Scan:
    """Scan `stacks` with one checkov run over copies written in `workdir/stacks/<config>/<stack>/`."""
    with Checkov(env=env) as checkov:
        return checkov.scan(stacks, workdir)


def _read(
    report: Any, target: Path, scanned: dict[StackKey, Json], starts: dict[StackKey, list[tuple[int, str]]]
) -> Scan:
    reports = report if isinstance(report, list) else [report]
    results: Json = next((r["results"] for r in reports if r.get("check_type") == "terraform_json"), {})

    def stack_of(file_path: str) -> StackKey:
        # A check names its file from the scanned folder ("/<config>/<stack>/cdk.tf.json"), a
        # parsing error by its absolute path.
        path = Path(file_path)
        parts = path.relative_to(target).parts if path.is_relative_to(target) else path.relative_to("/").parts
        return parts[0], parts[1]

    findings = []
    for outcome, passed in (("passed_checks", True), ("failed_checks", False)):
        for raw in results.get(outcome, []):
            key = stack_of(raw["file_path"])
            resource = _address(starts[key], raw["file_line_range"][0], raw["resource"])
            keys = tuple((raw.get("check_result") or {}).get("evaluated_keys") or ())
            findings.append(Finding(*key, resource, raw["check_id"], passed, raw["check_name"], keys))
    return Scan(scanned, findings, sorted(stack_of(path) for path in results.get("parsing_errors", [])))


def _block_starts(text: str) -> list[tuple[int, str]]:
    """(line, address) of each resource, data source and provider in JSON written with indent=2."""
    starts: list[tuple[int, str]] = []
    section = kind = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if not stripped.startswith('"'):
            continue
        key, indent = stripped.split('"')[1], len(line) - len(stripped)
        if indent == 2:
            section = key
        elif indent == 4:
            kind = key
            if section == "provider":
                starts.append((number, f"provider.{kind}"))
        elif indent == 6 and section in ("resource", "data"):
            starts.append((number, f"{'data.' if section == 'data' else ''}{kind}.{key}"))
    return starts


def _address(starts: list[tuple[int, str]], first_line: int, checkov_name: str) -> str:
    """checkov names a resource `<type>.<name>` or `resource.<name>`: its first line tells the address."""
    address = max((start for start in starts if start[0] <= first_line), default=(0, ""))[1]
    if not address.endswith("." + checkov_name.split(".", 1)[-1]):
        raise ScanError(f"checkov reported {checkov_name} at line {first_line}, where {address or 'nothing'} starts")
    return address


# The verdict


def accepted(allowlist: Path | None = None) -> dict[tuple[str, str, str, str], str]:
    """The failures the allowlist (default ALLOWLIST) accepts, (check, config, stack, resource) -> the reason."""
    entries: list[dict[str, str]] = yaml.safe_load((allowlist or ALLOWLIST).read_text(encoding="utf-8"))["accepted"]
    return {(e["check"], e["config"], e["stack"], e["resource"]): e["reason"] for e in entries}


def problems(
    scan: Scan, allowed: Mapping[tuple[str, str, str, str], str], *, allowlist: Path | None = None
) -> list[str]:
    """What is wrong with `scan`, one line each; empty when every stack was read, checked, and
    passed or failed only where `allowed` (read from `allowlist`, default ALLOWLIST) accepts it."""
    shown = _shown(allowlist or ALLOWLIST)
    lines = [
        f"{config}/{stack}: checkov could not parse the stack, so it ran no check on it (a block its terraform_json"
        " parser cannot read; tools/scan.py removes those it knows)"
        for config, stack in scan.parsing_errors
    ]
    checked = {(f.config, f.stack) for f in scan.findings}
    lines += [
        f"{config}/{stack}: checkov ran no check on the stack: the scan did not see it"
        for config, stack in sorted(set(scan.stacks) - checked - set(scan.parsing_errors))
    ]
    lines += [
        f"{finding}: failed; fix the config, or accept the failure with its reason in {shown}"
        for finding in scan.failed
        if finding.key not in allowed
    ]
    failing = {finding.key for finding in scan.failed}
    lines += [
        f"{check} {config}/{stack} {resource}: accepted in {shown}, but no longer fails; remove the entry"
        for check, config, stack, resource in sorted(allowed)
        if config in {scanned for scanned, _ in scan.stacks} and (check, config, stack, resource) not in failing
    ]
    return lines


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# The scan alone, on what `make synth` wrote


def main(argv: list[str]) -> int:
    """Scan the stacks of an output folder; 0 when checkov read every one and nothing failed
    that the allowlist does not accept, 1 otherwise, 2 when there is nothing to scan."""
    parser = argparse.ArgumentParser(prog="python -m tools.scan", description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "outdir", nargs="?", type=Path, default=Path("cdktf.out"), help="output folder (default: cdktf.out)"
    )
    parser.add_argument(
        "--config",
        default="",
        help="the config's name (its file name without .yaml): its failures the allowlist accepts pass",
    )
    args = parser.parse_args(argv)
    files = sorted(args.outdir.glob("stacks/*/cdk.tf.json"))
    if not files:
        print(f"{args.outdir}: no stacks/<stack>/cdk.tf.json to scan; run `make synth` first", file=sys.stderr)
        return 2
    name = args.config or args.outdir.name
    stacks = {(name, file.parent.name): json.loads(file.read_text(encoding="utf-8")) for file in files}
    with tempfile.TemporaryDirectory(prefix="scan-") as workdir:
        try:
            found = run(stacks, Path(workdir))
        except ScanError as error:
            print(f"checkov: {error}", file=sys.stderr)
            return 1
    lines = problems(found, accepted() if args.config else {})
    if lines:
        print("\n".join(lines), file=sys.stderr)
    failed = len(found.failed)
    print(f"checkov: {len(found.stacks)} stacks scanned, {len(found.findings) - failed} checks passed, {failed} failed")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
