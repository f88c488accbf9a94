"""`main.py --review` and `--review-json` end to end: a copy of config/example.yaml, edited, against
the example's reviewed snapshots (tests/snapshots/example/). Two synths, nothing else runs jsii here;
each class is tested on small stacks in tests/review/test_changes.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.command import text
from tests.conftest import EXAMPLE_CONFIG, run_main

STORAGE_TIER = ("        - name: ml-models-dev\n", "        - name: ml-models-dev\n          storage_tier: Archive\n")
READER_REMOVED = (
    "            readers: [serviceAccount:serving@acme-ml-prod.iam.gserviceaccount.com]\n"
    "            writers: [serviceAccount:training@acme-ml-prod.iam.gserviceaccount.com]\n",
    "            readers: []\n            writers: [serviceAccount:training@acme-ml-prod.iam.gserviceaccount.com]\n",
)
RENAMED = ("\n  dev:\n", "\n  development:\n")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """config/example.yaml with three edits: dev renamed development, its bucket archived, a prod reader removed.
    Named example.yaml, so its snapshots are the example's."""
    source = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    for old, new in (STORAGE_TIER, READER_REMOVED, RENAMED):
        assert source.count(old) == 1
        source = source.replace(old, new)
    path = tmp_path_factory.mktemp("edited") / "example.yaml"
    path.write_text(source, encoding="utf-8")
    return path


def test_the_review_says_what_three_edits_do_in_the_cloud_and_leaves_the_output_folder_alone(edited: Path, tmp_path: Path) -> None:
    result = run_main(edited, tmp_path / "cdktf.out", "--review")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{edited}: 8 changes from the reviewed snapshots in tests/snapshots/example/, most dangerous first:"
    assert [(line[2:13].strip(), line[15:].split("  ")[0]) for line in lines[1:9]] == [
        ("STATE MOVES", "dev-gcp -> development-gcp"),
        ("STATE MOVES", "dev-oci -> development-oci"),
        ("REPLACE", "development-oci"),
        ("IAM REWRITE", "development-oci"),
        ("IAM REWRITE", "development-oci"),
        ("IAM REWRITE", "prod-gcp"),
        ("REPLACE", "development-oci"),  # the wait after the renamed lifecycle service policy, which waits again
        ("UPDATE", "development-oci"),
    ]
    assert lines[3] == (
        "  REPLACE      development-oci  oci_objectstorage_bucket.ml-models-dev  storage_tier Standard -> Archive forces a new bucket:"
        " every object and version in it is deleted (OCI refuses to delete a bucket that still holds objects: the apply stops there"
        " until someone empties it)"
    )
    assert lines[-1] == (f"Recording these snapshots needs an acknowledgement: `make snapshots CONFIG={edited}"
                         " ACCEPT=replace:oci_objectstorage_bucket.ml-models-dev`")
    assert not (tmp_path / "cdktf.out").exists()


def test_the_review_as_json_has_one_object_per_resource(edited: Path, tmp_path: Path) -> None:
    result = run_main(edited, tmp_path / "cdktf.out", "--review-json")
    assert result.returncode == 0, result.stderr
    review = json.loads(result.stdout)
    assert (review["config"], review["snapshots"], review["baseline"], review["accepted"]) == (
        str(edited), "tests/snapshots/example/", True, [])
    assert [(c["class"], c["stack"], c["address"], c["needs_accept"]) for c in review["changes"]][2:6] == [
        ("replace", "development-oci", "oci_objectstorage_bucket.ml-models-dev", "replace:oci_objectstorage_bucket.ml-models-dev"),
        ("iam_rewrite", "development-oci", "oci_identity_policy.ml-models-dev_access", None),
        ("iam_rewrite", "development-oci", "oci_identity_policy.objectstorage_lifecycle_service_9b0b62ee", None),
        ("iam_rewrite", "prod-gcp", "google_artifact_registry_repository_iam_policy.models", None),
    ]


def test_the_text_says_when_there_is_no_baseline_or_no_change_and_what_was_acknowledged() -> None:
    assert text("c.yaml", "tests/snapshots/c/", False, [], []) == ["c.yaml: no reviewed snapshots in tests/snapshots/c/: everything below is new"]
    assert text("c.yaml", "tests/snapshots/c/", True, [], ["- 2026-12-03 `replace:a.b` in p-oci: why"]) == [
        "c.yaml: no change from the reviewed snapshots in tests/snapshots/c/",
        "Acknowledged in tests/snapshots/c/ACCEPTED.md:",
        "  2026-12-03 `replace:a.b` in p-oci: why",
    ]
