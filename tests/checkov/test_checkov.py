"""checkov on every synthesized stack, offline, in one run.

Both configs' stacks (the session's `example_synth` and `full_synth`) are scanned by
`tools/scan.py`, the one scan `make verify` runs: one `checkov --framework terraform_json` run
from its own environment (`.venv-checkov/`, `make .venv-checkov/.installed`) over copies it can
parse. The production stacks of the example config must pass
every check; any other failure must be accepted, with its reason, in `allowlist.yaml`,
and an accepted failure that no longer fails must leave the list.

Offline: no Bridgecrew/Prisma key, `--skip-download`, no version check against PyPI
(`CKV_SKIP_PACKAGE_UPDATE_CHECK`), and every Python process of the run gets a
`sitecustomize` that refuses (and records) any network connection or name lookup. The
test proves the guard works on a canary before trusting its empty record.
"""

from __future__ import annotations

import subprocess
import textwrap
from dataclasses import dataclass

import pytest
import yaml

from tests.conftest import Json, Synth, synthesized
from tools import scan, snapshots
from tools.snapshots import read_stacks

pytestmark = pytest.mark.slow  # make test-slow; .ci/run runs it

PRODUCTION = {("example", "prod-gcp"), ("example", "prod-oci")}
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
class GuardedScan:
    scan: scan.Scan
    network_log: str
    canary_log: str


@pytest.fixture(scope="module")
def guarded(example_synth: Synth, full_synth: Synth, tmp_path_factory: pytest.TempPathFactory) -> GuardedScan:
    """Both configs' stacks scanned by the one function `make verify` uses, with a network guard."""
    root = tmp_path_factory.mktemp("checkov")
    stacks: dict[tuple[str, str], Json] = {
        (config, stack): stack_json
        for config, synth in (("example", example_synth), ("full", full_synth))
        for stack, stack_json in read_stacks(synthesized(synth)).items()
    }
    guard_dir = root / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(NETWORK_GUARD)
    canary_log, network_log = root / "canary.log", root / "network.log"
    canary = "import socket\ntry: socket.create_connection(('checkov.io', 443), timeout=5)\nexcept OSError: pass"
    # A cache of its own: nothing cached by an earlier run may hide a network call.
    guard = {"PYTHONPATH": str(guard_dir), "XDG_CACHE_HOME": str(root / "cache")}
    canary_env = scan.checkov_env(**guard, NETWORK_GUARD_LOG=str(canary_log))
    subprocess.run([str(scan.PYTHON), "-c", canary], env=canary_env, timeout=60, check=True)
    found = scan.run(stacks, root, env=scan.checkov_env(**guard, NETWORK_GUARD_LOG=str(network_log)))
    return GuardedScan(
        scan=found,
        network_log=network_log.read_text() if network_log.exists() else "",
        canary_log=canary_log.read_text() if canary_log.exists() else "",
    )


@pytest.fixture(scope="module")
def scanned(guarded: GuardedScan) -> scan.Scan:
    return guarded.scan


# ----------------------------------------------------------------------------
# The scan itself: offline, complete
# ----------------------------------------------------------------------------


def test_scan_made_no_network_call(guarded: GuardedScan) -> None:
    assert "checkov.io" in guarded.canary_log  # the guard is loaded and records attempts
    assert guarded.network_log == ""


def test_every_stack_was_read_and_checked(scanned: scan.Scan) -> None:
    assert scanned.parsing_errors == []
    assert {(f.config, f.stack) for f in scanned.findings} == set(scanned.stacks)


def test_every_bucket_and_repository_was_checked(scanned: scan.Scan) -> None:
    checked: dict[tuple[str, str, str], set[str]] = {}
    for finding in scanned.findings:
        checked.setdefault((finding.config, finding.stack, finding.resource), set()).add(finding.check)
    missing = {
        f"{config}/{stack} {kind}.{name}": sorted(wanted - checked.get((config, stack, f"{kind}.{name}"), set()))
        for (config, stack), stack_json in scanned.stacks.items()
        for kind, wanted in EXPECTED_CHECKS.items()
        for name in stack_json.get("resource", {}).get(kind, {})
        if not wanted <= checked.get((config, stack, f"{kind}.{name}"), set())
    }
    assert missing == {}


# ----------------------------------------------------------------------------
# The verdicts
# ----------------------------------------------------------------------------


def test_production_passes_every_check(scanned: scan.Scan) -> None:
    assert {f.stack for f in scanned.findings if (f.config, f.stack) in PRODUCTION} == {s for _, s in PRODUCTION}
    failed = [str(f) for f in scanned.failed if (f.config, f.stack) in PRODUCTION]
    assert failed == []


def test_every_other_failure_is_accepted_and_every_accepted_one_still_fails(scanned: scan.Scan) -> None:
    # What make verify says (tools/verify.py), and fails on, for a team's configs too.
    assert scan.problems(scanned, scan.accepted()) == []


def test_allowlist_entries_are_complete() -> None:
    entries: list[dict[str, str]] = yaml.safe_load(scan.ALLOWLIST.read_text(encoding="utf-8"))["accepted"]
    assert entries
    configs = snapshots.discover().configs
    for entry in entries:
        assert set(entry) == {"check", "config", "stack", "resource", "reason"}, entry
        assert entry["config"] in configs, entry
        assert (entry["config"], entry["stack"]) not in PRODUCTION, f"production may not fail a check: {entry}"
        assert len(entry["reason"].split()) >= 5, f"say why it is accepted: {entry}"
    assert len(scan.accepted()) == len(entries), "an entry is listed twice"
