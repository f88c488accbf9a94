"""checkov on every synthesized stack, offline, in one run.

Both configs' stacks (the session's `example_synth` and `full_synth`) are scanned by one
`checkov --framework terraform_json` run from its own environment (`.venv-checkov/`,
`make .venv-checkov/.installed`). The production stacks of the example config must pass
every check; any other failure must be accepted, with its reason, in `allowlist.yaml`,
and an accepted failure that no longer fails must leave the list.

Offline: no Bridgecrew/Prisma key, `--skip-download`, no version check against PyPI
(`CKV_SKIP_PACKAGE_UPDATE_CHECK`), and every Python process of the run gets a
`sitecustomize` that refuses (and records) any network connection or name lookup. The
test proves the guard works on a canary before trusting its empty record.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, Json, Synth, synthesized

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
pytestmark = pytest.mark.slow  # make test-slow; .ci/run runs it

CHECKOV_PYTHON = ROOT / ".venv-checkov" / "bin" / "python"
ALLOWLIST = Path(__file__).parent / "allowlist.yaml"
PRODUCTION = {("example", "prod-gcp"), ("example", "prod-oci")}
# Blocks checkov 3.3's terraform_json parser cannot read: it drops the whole file
# ("this method receives only dicts"). They declare adoption and renames, nothing a
# check looks at, so the scanned copy goes without them.
UNPARSABLE_BLOCKS = ("import", "moved")
# What a bucket and a repository must have been checked for: proof the scan saw them.
EXPECTED_CHECKS = {
    "oci_objectstorage_bucket": {"CKV_OCI_7", "CKV_OCI_8", "CKV_OCI_9", "CKV_OCI_10"},
    "google_artifact_registry_repository": {"CKV_GCP_84"},
}

NETWORK_GUARD = textwrap.dedent(
    '''
    """Loaded by every Python process of the checkov run: no network, and a record of each attempt."""
    import os
    import socket

    def _record(what):
        with open(os.environ["NETWORK_GUARD_LOG"], "a") as log:
            log.write(f"{os.getpid()} {what}\\n")

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return _connect(self, address)
        _record(f"connect {address!r}")
        raise OSError(101, "network disabled by the test suite")

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return _connect_ex(self, address)
        _record(f"connect {address!r}")
        return 101

    def getaddrinfo(host, *args, **kwargs):
        _record(f"getaddrinfo {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, "name lookup disabled by the test suite")

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    '''
)


@dataclass(frozen=True)
class Finding:
    config: str  # "example" or "full"
    stack: str
    resource: str  # Terraform address, e.g. oci_objectstorage_bucket.ml-models-dev
    check: str  # e.g. CKV_OCI_9
    passed: bool
    name: str  # what the check wants, in checkov's words
    evaluated_keys: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.check, self.config, self.stack, self.resource)

    def __str__(self) -> str:
        keys = ", ".join(self.evaluated_keys)
        return f"{self.check} {self.config}/{self.stack} {self.resource}: {self.name} (checks: {keys})"


@dataclass(frozen=True)
class Scan:
    stacks: dict[tuple[str, str], Json]  # what was scanned, by (config, stack)
    findings: list[Finding]
    parsing_errors: list[str]
    network_log: str
    canary_log: str


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
    """checkov names a resource `resource.<name>`, without its type: its first line tells."""
    address = max((start for start in starts if start[0] <= first_line), default=(0, ""))[1]
    assert address.endswith("." + checkov_name.split(".", 1)[1]), (address, checkov_name, first_line)
    return address


def _checkov_env(guard_dir: Path, log: Path, cache: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BC_", "PRISMA_", "CKV_", "CHECKOV_")) and name != "PYTHONPATH"
    }
    env.update(
        PYTHONPATH=str(guard_dir),
        NETWORK_GUARD_LOG=str(log),
        # A cache of its own: nothing cached by an earlier run may hide a network call.
        XDG_CACHE_HOME=str(cache),
        # --skip-download does not stop checkov asking pypi.org for a newer version of itself
        # (at every start, cached per user for a while): this does.
        CKV_SKIP_PACKAGE_UPDATE_CHECK="true",
        CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false",
        LOG_LEVEL="WARNING",
    )
    return env


def _scanned_copy(outdir: Path, dest: Path) -> dict[str, Json]:
    stacks = {}
    for stack_file in sorted((outdir / "stacks").glob("*/cdk.tf.json")):
        stack = json.loads(stack_file.read_text())
        for block in UNPARSABLE_BLOCKS:
            stack.pop(block, None)
        # Likewise a string in the `terraform` block; it pins Terraform, no check reads it.
        stack.get("terraform", {}).pop("required_version", None)
        target = dest / stack_file.parent.name / "cdk.tf.json"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(stack, indent=2))
        stacks[stack_file.parent.name] = stack
    return stacks


@pytest.fixture(scope="module")
def scan(example_synth: Synth, full_synth: Synth, tmp_path_factory: pytest.TempPathFactory) -> Scan:
    assert CHECKOV.exists(), f"{CHECKOV} is missing: run `make .venv-checkov/.installed`"
    root = tmp_path_factory.mktemp("checkov")
    target = root / "stacks"
    stacks: dict[tuple[str, str], Json] = {}
    for config, synth in (("example", example_synth), ("full", full_synth)):
        for stack, stack_json in _scanned_copy(synthesized(synth), target / config).items():
            stacks[config, stack] = stack_json

    guard_dir = root / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(NETWORK_GUARD)
    canary_log, network_log = root / "canary.log", root / "network.log"
    canary = "import socket\ntry: socket.create_connection(('checkov.io', 443), timeout=5)\nexcept OSError: pass"
    canary_env = _checkov_env(guard_dir, canary_log, root / "cache")
    subprocess.run([str(CHECKOV_PYTHON), "-c", canary], env=canary_env, timeout=60, check=True)

    completed = subprocess.run(
        [str(CHECKOV), "-d", str(target), "--framework", "terraform_json", "--skip-download", "-o", "json"],
        env=_checkov_env(guard_dir, network_log, root / "cache"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Exit 1 only says that a check failed; the report says which.
    assert completed.returncode in (0, 1), completed.stderr
    report: Any = json.loads(completed.stdout)
    reports = report if isinstance(report, list) else [report]
    assert [r["check_type"] for r in reports] == ["terraform_json"]
    results = reports[0]["results"]

    findings = []
    starts = {path: _block_starts(path.read_text()) for path in target.glob("*/*/cdk.tf.json")}
    for outcome, passed in (("passed_checks", True), ("failed_checks", False)):
        for raw in results.get(outcome, []):
            config, stack, _ = Path(raw["file_path"]).relative_to("/").parts
            lines = starts[target / config / stack / "cdk.tf.json"]
            resource = _address(lines, raw["file_line_range"][0], raw["resource"])
            keys = tuple((raw.get("check_result") or {}).get("evaluated_keys") or ())
            findings.append(Finding(config, stack, resource, raw["check_id"], passed, raw["check_name"], keys))
    return Scan(
        stacks=stacks,
        findings=findings,
        parsing_errors=list(results.get("parsing_errors", [])),
        network_log=network_log.read_text() if network_log.exists() else "",
        canary_log=canary_log.read_text() if canary_log.exists() else "",
    )


def _allowlist() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = yaml.safe_load(ALLOWLIST.read_text())["accepted"]
    return entries


def _allowed() -> set[tuple[str, str, str, str]]:
    return {(e["check"], e["config"], e["stack"], e["resource"]) for e in _allowlist()}


def _failed(scan: Scan) -> list[Finding]:
    return [finding for finding in scan.findings if not finding.passed]


# ----------------------------------------------------------------------------
# The scan itself: offline, quick, complete
# ----------------------------------------------------------------------------


def test_scan_made_no_network_call(scan: Scan) -> None:
    assert "checkov.io" in scan.canary_log  # the guard is loaded and records attempts
    assert scan.network_log == ""


def test_scan_parsed_every_stack(scan: Scan) -> None:
    assert scan.parsing_errors == []
    assert {(f.config, f.stack) for f in scan.findings} == set(scan.stacks)


def test_every_bucket_and_repository_was_checked(scan: Scan) -> None:
    checked: dict[tuple[str, str, str], set[str]] = {}
    for finding in scan.findings:
        checked.setdefault((finding.config, finding.stack, finding.resource), set()).add(finding.check)
    missing = {
        f"{config}/{stack} {kind}.{name}": sorted(wanted - checked.get((config, stack, f"{kind}.{name}"), set()))
        for (config, stack), stack_json in scan.stacks.items()
        for kind, wanted in EXPECTED_CHECKS.items()
        for name in stack_json.get("resource", {}).get(kind, {})
        if not wanted <= checked.get((config, stack, f"{kind}.{name}"), set())
    }
    assert missing == {}


# ----------------------------------------------------------------------------
# The verdicts
# ----------------------------------------------------------------------------


def test_production_passes_every_check(scan: Scan) -> None:
    assert {f.stack for f in scan.findings if (f.config, f.stack) in PRODUCTION} == {s for _, s in PRODUCTION}
    failed = [str(f) for f in _failed(scan) if (f.config, f.stack) in PRODUCTION]
    assert failed == []


def test_every_other_failure_is_accepted(scan: Scan) -> None:
    unexpected = [str(f) for f in _failed(scan) if f.key not in _allowed()]
    assert unexpected == [], "fix the construct, or accept the failure with its reason in allowlist.yaml"


def test_every_accepted_failure_still_fails(scan: Scan) -> None:
    failing = {f.key for f in _failed(scan)}
    assert sorted(_allowed() - failing) == [], "no longer fails: remove it from allowlist.yaml"


def test_allowlist_entries_are_complete() -> None:
    entries = _allowlist()
    assert entries
    for entry in entries:
        assert set(entry) == {"check", "config", "stack", "resource", "reason"}, entry
        assert entry["config"] in ("example", "full"), entry
        assert (entry["config"], entry["stack"]) not in PRODUCTION, f"production may not fail a check: {entry}"
        assert len(entry["reason"].split()) >= 5, f"say why it is accepted: {entry}"
    assert len(_allowed()) == len(entries), "an entry is listed twice"
