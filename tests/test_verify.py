"""`make verify` (tools/verify.py, tools/scan.py): it passes a team's config that is fine, and
fails, saying why, on a drift, a config error, a failed check, and a scan that did not see a stack.

A team's checkout in miniature: its config/ holds acme.yaml, its snapshots and its checkov
allowlist are in a temporary folder. Each run synthesizes in this process (jsii starts once)
and runs checkov once.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, Json
from tools import scan, snapshots, verify

ACME = """\
name: acme
environments:
  prod:
    oci:
      region: eu-frankfurt-1
      compartment_id: ocid1.compartment.oc1..aaaaaaaaacmeexample
      home_region: eu-frankfurt-1
      namespace: acme
      buckets:
        - name: models
          kms_key_id: ocid1.key.oc1.eu-frankfurt-1.acmevault.aaaaaaaaacmekeyexample
          object_events: true
          lifecycle: {delete_after_days: 30}
"""
BUCKET = "oci_objectstorage_bucket.models"


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """acme.yaml, with its reviewed snapshots recorded and an empty allowlist."""
    config = tmp_path / "config" / "acme.yaml"
    config.parent.mkdir()
    config.write_text(ACME, encoding="utf-8")
    monkeypatch.setattr(snapshots, "CONFIG_DIR", config.parent)
    monkeypatch.setattr(snapshots, "SNAPSHOTS", tmp_path / "snapshots")
    monkeypatch.setattr(scan, "ALLOWLIST", tmp_path / "allowlist.yaml")
    (tmp_path / "allowlist.yaml").write_text("accepted: []\n", encoding="utf-8")
    record(config)
    return config


def record(config: Path) -> None:
    """What `make snapshots` does, synthesized in this process as verify does (jsii starts once)."""
    synthesized = verify.verify_config("acme", config, Path(tempfile.mkdtemp(dir=config.parent.parent)))
    assert synthesized.stacks, synthesized.problems
    snapshots.record("acme", synthesized.stacks)


def verify_all(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], list[str]]:
    """`make verify` on every config of the team: exit status, standard output and error lines."""
    status = verify.cli([])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def test_a_config_that_is_fine_passes(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    status, out, err = verify_all(capsys)
    assert (status, err) == (0, [])
    assert out[0].startswith(f"{team}: checked, 1 stacks synthesized, as reviewed in {snapshots.SNAPSHOTS}/acme/ (")
    assert re.fullmatch(r"checkov: 1 stacks scanned, [1-9]\d* checks passed, 0 failed \(\d+\.\d s\)", out[1]), out[1]
    assert out[2].startswith("verify: every config is fine (1 config, 1 stacks, ")


def test_a_drift_fails_with_the_plan_like_diff(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team.write_text(ACME.replace("delete_after_days: 30", "delete_after_days: 60"), encoding="utf-8")
    status, _, err = verify_all(capsys)
    drift = verify.verify_config("acme", team, team.parent.parent / "again").problems
    assert (
        '    ~ resource oci_objectstorage_object_lifecycle_policy.models: rules[0].time_amount: "30" -> "60"' in drift
    )
    assert status == 1
    assert err[:-1] == drift  # and nothing else is wrong: checkov passes it
    assert err[-1].startswith(f"verify: failed: {team} (1 config, 1 stacks, ")


def test_a_config_error_fails_with_its_message(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team.write_text(ACME.replace("delete_after_days: 30", "delete_after_days: -1"), encoding="utf-8")
    status, out, err = verify_all(capsys)
    assert status == 1
    assert out == []
    assert err[0].startswith(f"{team}: ")
    assert "environments.prod.oci.buckets[0].lifecycle.delete_after_days" in "\n".join(err)
    assert err[-1].startswith(f"verify: failed: {team} (1 config, 0 stacks, ")


def test_a_failed_check_fails_until_the_allowlist_accepts_it(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    without_key = ACME.replace(
        "          kms_key_id: ocid1.key.oc1.eu-frankfurt-1.acmevault.aaaaaaaaacmekeyexample\n", ""
    )
    team.write_text(without_key, encoding="utf-8")
    record(team)  # reviewed: only checkov objects
    status, _, err = verify_all(capsys)
    assert status == 1
    assert [line.split(":")[0] for line in err[:-1]] == [f"CKV_OCI_9 acme/prod-oci {BUCKET}"]
    assert err[-1].startswith("verify: failed: checkov (1 config, 1 stacks, ")

    scan.ALLOWLIST.write_text(
        "accepted:\n  - {check: CKV_OCI_9, config: acme, stack: prod-oci, resource: " + BUCKET + ",\n"
        "     reason: acme keeps the Oracle-managed key for now}\n",
        encoding="utf-8",
    )
    status, out, err = verify_all(capsys)
    assert (status, err) == (0, [])
    assert f", 1 failed (1 accepted in {scan.ALLOWLIST}) (" in out[1]


def test_a_stack_the_scan_does_not_see_fails(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `checkov -d` on the stack folders does silently: verify fails instead."""
    dev = ACME.split("  prod:\n")[1].replace("name: models", "name: models-dev")
    team.write_text(ACME.replace("  prod:\n", f"  dev:\n{dev}  prod:\n"), encoding="utf-8")
    record(team)

    def unparsable_or_empty(stack: Json) -> Json:
        # dev-oci keeps `required_version` (checkov drops the file); prod-oci keeps no resource.
        if "models-dev" in json.dumps(stack):
            return stack
        return {"output": stack["output"]}

    monkeypatch.setattr(scan, "scannable", unparsable_or_empty)
    status, _, err = verify_all(capsys)
    assert status == 1
    assert [line.split(":")[0] for line in err[:-1]] == ["acme/dev-oci", "acme/prod-oci"]
    assert "could not parse" in err[0] and "ran no check" in err[1]


def test_scannable_copies_lose_only_what_checkov_cannot_parse() -> None:
    stack = {
        "terraform": {"required_version": ">= 1.6.3", "backend": {"local": {}}},
        "import": [{"to": "a.b", "id": "x"}],
        "moved": [{"from": "a.c", "to": "a.b"}],
        "resource": {"a": {"b": {}}},
    }
    assert scan.scannable(stack) == {"terraform": {"backend": {"local": {}}}, "resource": {"a": {"b": {}}}}
    assert "required_version" in stack["terraform"]  # the stack itself is untouched


def test_a_config_no_one_compares_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    assert verify.cli([str(elsewhere)]) == 2
    assert capsys.readouterr().err.startswith(f"{elsewhere}: not snapshot-tested")


def test_make_verify_runs_the_tool_on_the_configs_named() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nverify:", 1)[1].split("\n\n", 1)[0]
    assert "\t$(PY) -m tools.verify $(CONFIG)" in recipe.splitlines()
    assert ".venv-checkov/.installed" in recipe.splitlines()[0]


def test_an_accepted_failure_that_passes_must_leave_the_allowlist() -> None:
    passing = scan.Finding("acme", "prod-oci", BUCKET, "CKV_OCI_9", True, "encrypted with a customer key", ())
    found = scan.Scan({("acme", "prod-oci"): {}}, [passing], [])
    accepted = {
        ("CKV_OCI_9", "acme", "prod-oci", BUCKET): "not yet",
        ("CKV_OCI_9", "other", "prod-oci", BUCKET): "not scanned",
    }
    assert scan.problems(found, accepted) == [
        f"CKV_OCI_9 acme/prod-oci {BUCKET}: accepted in tests/checkov/allowlist.yaml, but no longer fails; remove the entry"
    ]


def test_the_scan_alone_reads_a_stack_as_cdktf_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = tmp_path / "cdktf.out" / "stacks" / "prod-oci" / "cdk.tf.json"
    stack.parent.mkdir(parents=True)
    bucket = {"name": "models", "namespace": "acme", "compartment_id": "ocid1.compartment.oc1..aaaaaaaaacmeexample"}
    # required_version, as every stack has it: checkov alone would drop this file and pass.
    stack.write_text(
        json.dumps(
            {"terraform": {"required_version": ">= 1.6.3"}, "resource": {BUCKET.split(".")[0]: {"models": bucket}}}
        )
    )
    assert scan.main([str(stack.parents[2])]) == 1
    err = capsys.readouterr().err.splitlines()
    assert {line.split(" ")[0] for line in err} >= {"CKV_OCI_7", "CKV_OCI_8", "CKV_OCI_9"}
    assert all(line.split(" ")[1:3] == ["cdktf.out/prod-oci", BUCKET + ":"] for line in err)
