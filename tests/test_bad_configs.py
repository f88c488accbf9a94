"""Configs with one realistic mistake each (issue 21), through `main.py --check` as a user runs it:
every problem at once, exit 2, nothing written; or, for a mistake that changes a meaning, the
check output that shows it. The rules themselves are tested where they live (tests/rules,
tests/specs, tests/config); here, only that each reaches the user."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.commands import run_command
from tests.conftest import ROOT

OCI = """    oci:
      region: us-ashburn-1
      compartment_id: ocid1.compartment.oc1..aaaaaaaaexample
      home_region: us-ashburn-1
"""
GCP = """    gcp:
      project: acme-ml-dev
      region: us-central1
"""
HEAD = "name: ml\nenvironments:\n  dev:\n"

CASES = {
    "1 two environments, one bucket": (
        HEAD
        + OCI.replace("home_region: us-ashburn-1", "tenancy_id: ocid1.tenancy.oc1..aaaaaaaaacme")
        + "      buckets: [{name: models}]\n  prod:\n"
        + OCI.replace("home_region: us-ashburn-1", "tenancy_id: ocid1.tenancy.oc1..aaaaaaaaacme\n      namespace: acme").replace("example", "prod")
        + "      buckets: [{name: models}]\n",
        ["environments.prod.oci.buckets[0].name: also managed by environments.dev.oci.buckets[0].name, in the same region and tenancy"],
    ),
    "2 home region": (
        HEAD + OCI.replace("home_region: us-ashburn-1", "home_region: us-ashbrun-1") + "      buckets: [{name: models}]\n",
        ["environments.dev.oci.home_region: not an OCI region (did you mean us-ashburn-1?)"],
    ),
    "3 key compartments": (
        HEAD
        + OCI
        + "      buckets:\n"
        + "        - {name: a, kms_key_id: ocid1.key.oc1.iad.v.aaaakey, key_compartment_id: ocid1.compartment.oc1..aaaasec}\n"
        + "        - {name: b, kms_key_id: ocid1.key.oc1.iad.v.aaaakey}\n",
        ["environments.dev.oci.buckets[1].key_compartment_id: the key is also used by buckets[0]"],
    ),
    "4 a user's OCID as a group": (
        HEAD + OCI + "      buckets: [{name: a, access: {readers: [ocid1.user.oc1..aaaaaaaaalice]}}]\n",
        ["environments.dev.oci.buckets[0].access.readers[0]: the OCID of a user, not of a group"],
    ),
    "5 a placeholder": (
        HEAD + GCP + "      repositories: [{id: models, iam: {readers: ['principalSet://iam.googleapis.com/projects/${N}/x']}}]\n",
        ["environments.dev.gcp.repositories[0].iam.readers[0]: a placeholder, ${N}: nothing in the config is ever expanded"],
    ),
    "6 workspace tags": (
        HEAD.replace("  dev:\n", "  dev:\n    backend: {type: cloud, organization: acme, workspace_tags: [ml]}\n")
        + GCP
        + "      repositories: [{id: models}]\n"
        + OCI
        + "      buckets: [{name: models}]\n",
        ["environments.dev.backend.workspace_tags: the gcp and oci stacks would pick among the same workspaces"],
    ),
    "8 blocks of the wrong type": (
        HEAD + OCI + "      buckets: [{name: models, logging: true, replication: us-phoenix-1}]\n",
        [
            "environments.dev.oci.buckets[0].logging: wrong type (bool): a block of keys goes here (got true); use a mapping with the keys"
            " write, read, retention_days, e.g. logging: {",
            "environments.dev.oci.buckets[0].replication: wrong type (str): a block of keys goes here (got 'us-phoenix-1');"
            " use a mapping with the keys region, bucket, kms_key_id, key_compartment_id, e.g. replication: {region: us-phoenix-1}",
        ],
    ),
    "9 look-alikes": (
        HEAD + OCI + "      buckets:\n        - {name: a, replicati\u043en: {region: us-phoenix-1}}\n        - {name: b, replication: {region: us\u2011phoenix\u20111}}\n",
        [
            "environments.dev.oci.buckets[0].'replicati\\u043en': unknown key: it looks like replication, but \\u043e is CYRILLIC SMALL LETTER O",
            "environments.dev.oci.buckets[1].replication.region: not an OCI region identifier"
            " (got 'us\\u2011phoenix\\u20111', \\u2011 is NON-BREAKING HYPHEN, not '-')",
        ],
    ),
    "10 an OCID pasted twice": (
        HEAD + OCI.replace("aaaaaaaaexample", "aaaaaaaaexample" * 4 + "ocid1.compartment.oc1..aaaaaaaaexample") + "      buckets: [{name: models}]\n",
        ["environments.dev.oci.compartment_id: not a compartment or tenancy OCID: 2 OCIDs run together, pasted twice? (got 'ocid1."],
    ),
    "11 what was most likely meant": (
        HEAD
        + GCP.replace("acme-ml-dev", "'123456789012'")
        + "      repositories:\n        - {id: pip, format: python, mode: virtual,"
        + " virtual: {upstreams: [{id: projects/shared/locations/us-central1/repositories/cache, priority: 1}]}}\n",
        [
            "environments.dev.gcp.project: a project number, not a project ID (got '123456789012')",
            "environments.dev.gcp.repositories[0].virtual.upstreams[0].id: a full repository path:"
            " upstreams in another project or location are not supported here",
        ],
    ),
    "12 secrets": (
        HEAD + OCI + "      api_key: AKIAIOSFODNN7EXAMPLE\n      signing: '-----BEGIN PRIVATE KEY-----\n\n        MIIEvQ\n\n        -----END PRIVATE KEY-----'\n"
        "      buckets: [{name: models}]\n",
        [
            "environments.dev.oci.api_key: unknown key, and its name says it holds a secret",
            "environments.dev.oci.signing: unknown key (got a value that looks like a secret, not shown)",
        ],
    ),
    "13 a private upstream's password": (
        HEAD
        + GCP
        + "      repositories:\n"
        + "        - id: mirror\n          format: python\n          mode: remote\n"
        + "          remote: {upstream: custom, url: 'http://ci:Tr0ub4dor@pypi.example.com/simple', username: ci, password_secret: Tr0ub4dor&3}\n",
        [
            "environments.dev.gcp.repositories[0].remote.url: an account in the URL (got 'http://***@pypi.example.com/simple')",
            "environments.dev.gcp.repositories[0].remote.password_secret: not a secret version name (got a value, not shown)",
        ],
    ),
}


def check(tmp_path: Path, text: str) -> tuple[int, str, str]:
    config = tmp_path / "bad.yaml"
    config.write_text(text, encoding="utf-8")
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(tmp_path / "out")}
    result = run_command([sys.executable, str(ROOT / "main.py"), "--check"], cwd=ROOT, env=environ)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_refused_with_a_line_that_points_at_it(tmp_path: Path, case: str) -> None:
    text, starts = CASES[case]
    returncode, stdout, stderr = check(tmp_path, text)
    lines = stderr.splitlines()
    assert (returncode, stdout) == (2, ""), stderr
    assert len(lines) == len(starts), stderr
    for line, start in zip(lines, starts, strict=True):
        assert line.startswith(f"{tmp_path / 'bad.yaml'}: {start}"), line
    assert "Traceback" not in stderr and "AKIA" not in stderr and "MIIE" not in stderr and "Tr0ub4dor" not in stderr
    assert not (tmp_path / "out").exists()


def test_7_a_mis_indented_retention_shows_on_a_line_of_its_own(tmp_path: Path) -> None:
    text = HEAD + OCI + "      buckets:\n        - name: models\n          versioning: disabled\n          logging:\n            read: true\n          retention_days: 60\n"
    returncode, stdout, stderr = check(tmp_path, text)
    assert (returncode, stderr) == (0, "")
    # The logs keep their default (90 days): the 60 is the bucket's retention rule.
    assert "      bucket models: Standard tier, versioning disabled; no lifecycle; write and read logs kept 90 days;" in stdout
    assert "        RETENTION RULE on models: no object can be overwritten or deleted for 60 days after it is written\n" in stdout


def test_11_a_group_in_policy_syntax_is_accepted(tmp_path: Path) -> None:
    returncode, stdout, stderr = check(tmp_path, HEAD + OCI + "      buckets: [{name: a, access: {readers: [\"'Default'/'MLServing'\"]}}]\n")
    assert (returncode, stderr) == (0, "")
    assert "access: readers Default/MLServing;" in stdout
