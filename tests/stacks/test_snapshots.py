"""Every config a team keeps, stack by stack, against its reviewed snapshots (tools/snapshots.py).

Every config/*.yaml and every file listed in tests/snapshots/configs.txt is synthesized and
compared with tests/snapshots/<config>/<stack>.json. One without snapshots fails with the one
command that records them; a drift fails with what changed, resource by resource, as a plan
tells it. Nothing here records: `make snapshots` does, on purpose, and its result is reviewed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CONFIGS, ROOT, SNAPSHOT_CONFIGS, Json, Synth, read_stacks
from tools import snapshots

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
          tags: {team: ml}
          lifecycle: {delete_after_days: 30}
"""


@pytest.mark.parametrize("name", list(SNAPSHOT_CONFIGS))
def test_stacks_match_their_reviewed_snapshots(name: str, config_synth: Callable[[Path], Synth]) -> None:
    path = SNAPSHOT_CONFIGS[name]
    result, outdir = config_synth(path)
    if result.returncode != 0:
        pytest.fail(f"{snapshots.shown(path)}: main.py exited {result.returncode}:\n{result.stderr}", pytrace=False)
    problems = snapshots.problems(name, path, read_stacks(outdir))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_list_of_configs_names_files_that_exist() -> None:
    assert snapshots.discover().problems == []


def test_the_configs_whose_addresses_are_pinned_are_snapshot_tested() -> None:
    assert {name: SNAPSHOT_CONFIGS.get(name) for name in CONFIGS} == CONFIGS


def test_every_snapshot_folder_belongs_to_a_config() -> None:
    orphans = sorted(p.name for p in snapshots.SNAPSHOTS.iterdir() if p.is_dir() and p.name not in SNAPSHOT_CONFIGS)
    if orphans:
        pytest.fail(
            "\n".join(f"tests/snapshots/{name}/: no config named {name} in config/ or tests/snapshots/configs.txt;"
                      " remove the folder with its config, or restore the config" for name in orphans),
            pytrace=False,
        )


def test_ci_never_records() -> None:
    workflow = (ROOT / "examples" / "ci" / "model-registry.yml").read_text(encoding="utf-8")
    for text in ((ROOT / ".ci" / "run").read_text(encoding="utf-8"), workflow):
        assert "make test" in text or "make verify" in text
        assert not any(recorder in text for recorder in ("make snapshots", "tools/snapshots.py", "--snapshot-update"))


# The mechanism, on a config of its own in a folder of its own


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team's checkout in miniature: its config/ holds acme.yaml, and no snapshot yet."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "acme.yaml").write_text(ACME, encoding="utf-8")
    monkeypatch.setattr(snapshots, "CONFIG_DIR", tmp_path / "config")
    monkeypatch.setattr(snapshots, "SNAPSHOTS", tmp_path / "snapshots")
    return tmp_path / "config" / "acme.yaml"


def test_a_new_config_is_picked_up_fails_with_the_record_command_then_shows_its_drift(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snapshots.discover() == snapshots.Discovery({"acme": team}, [])
    command = f"make snapshots CONFIG={team}"

    # No snapshots yet: the test fails and says how to record them.
    stacks = snapshots.synthesize(team)
    assert sorted(stacks) == ["prod-oci"]
    snapshots_folder = team.parent.parent / "snapshots" / "acme"
    assert snapshots.problems("acme", team, stacks) == [
        f"{team}: no reviewed snapshots ({snapshots_folder}/ is missing); record them with `{command}`,"
        f" read them as you would a terraform plan, and commit {snapshots_folder}/"
    ]

    # That command records them (`make snapshots` runs tools/snapshots.py); then they match.
    assert snapshots.main([str(team)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{snapshots_folder}/ ({team}): recorded:"
    assert sorted(p.name for p in snapshots_folder.iterdir()) == ["prod-oci.json"]
    assert snapshots.problems("acme", team, stacks) == []

    # A change to the config is a drift, told argument by argument.
    team.write_text(ACME.replace("{team: ml}", "{team: ml-platform}").replace("delete_after_days: 30", "delete_after_days: 60"))
    assert snapshots.problems("acme", team, snapshots.synthesize(team)) == [
        f"{team}: 1 of 1 stacks differ from their reviewed snapshots in {snapshots_folder}/",
        "  prod-oci:",
        '    ~ resource oci_objectstorage_bucket.models: freeform_tags.team: "ml" -> "ml-platform"',
        '    ~ resource oci_objectstorage_object_lifecycle_policy.models: rules[0].time_amount: "30" -> "60"',
        "What it does in the cloud (make review says it again):",
        '  UPDATE       prod-oci  oci_objectstorage_bucket.models  in place: freeform_tags {"team": "ml"} -> {"team": "ml-platform"}',
        "  UPDATE       prod-oci  oci_objectstorage_object_lifecycle_policy.models  in place: rules.time_amount 30 -> 60",
        f"Read this as a terraform plan. If every change is meant, record it with `{command}`"
        f" and commit {snapshots_folder}/ with the change that caused it.",
    ]


def test_a_new_or_a_lost_stack_is_named(team: Path) -> None:
    bucket = {"resource": {"oci_objectstorage_bucket": {"models": {"name": "models"}}}}
    snapshots.record("acme", {"prod-oci": bucket, "dev-oci": bucket})
    lines = snapshots.problems("acme", team, {"prod-oci": bucket, "test-oci": bucket})
    assert lines[1:3] == [
        f"  dev-oci: no longer synthesized, but {snapshots.SNAPSHOTS}/acme/dev-oci.json is still there",
        "  test-oci: a new stack, with no snapshot",
    ]
    assert lines[0].endswith("2 of 3 stacks differ from their reviewed snapshots in " f"{snapshots.SNAPSHOTS}/acme/")


def test_recording_removes_the_snapshot_of_a_stack_no_longer_built(team: Path) -> None:
    bucket: Json = {"resource": {"oci_objectstorage_bucket": {"models": {"name": "models"}}}}
    snapshots.record("acme", {"prod-oci": bucket, "dev-oci": bucket})
    changed = {"resource": {"oci_objectstorage_bucket": {"models": {"name": "models-2"}}}}
    assert snapshots.record("acme", {"prod-oci": changed}) == [
        "  dev-oci: removed (no longer synthesized)",
        "  prod-oci: 1 changes",
        '    ~ resource oci_objectstorage_bucket.models: name: "models" -> "models-2"',
    ]
    assert sorted(p.name for p in (snapshots.SNAPSHOTS / "acme").iterdir()) == ["prod-oci.json"]


def test_recording_a_loss_needs_an_acknowledgement_and_records_it_beside_the_snapshots(
    team: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bucket: Json = {"name": "models", "namespace": "acme", "storage_tier": "Standard", "lifecycle": {"prevent_destroy": True}}
    snapshots.record("acme", {"prod-oci": {"resource": {"oci_objectstorage_bucket": {"models": bucket}}}})
    archived: Json = {"resource": {"oci_objectstorage_bucket": {"models": {**bucket, "storage_tier": "Archive"}}}}
    monkeypatch.setattr(snapshots, "synthesize", lambda path: {"prod-oci": archived})  # the synth itself is tested above
    folder = snapshots.SNAPSHOTS / "acme"

    assert snapshots.main([str(team)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{team}: not recorded: 1 change loses data or access, and recording it needs an acknowledgement that names it:"
    assert err[1].startswith("  REPLACE      prod-oci  oci_objectstorage_bucket.models  storage_tier Standard -> Archive forces a new bucket")
    assert err[2] == (f"If that is meant, acknowledge it: `make snapshots CONFIG={team} ACCEPT=replace:oci_objectstorage_bucket.models`"
                      f" (written to {folder}/ACCEPTED.md, which the pull request shows).")
    assert snapshots.recorded("acme") == {"prod-oci": {"resource": {"oci_objectstorage_bucket": {"models": bucket}}}}

    assert snapshots.main(["--accept", "replace:oci_objectstorage_bucket.models,destroy:x.y", str(team)]) == 0
    out, err = capsys.readouterr()
    assert snapshots.recorded("acme") == {"prod-oci": archived}
    (entry,) = [line for line in (folder / "ACCEPTED.md").read_text().splitlines() if line.startswith("- ")]
    assert entry.endswith("`replace:oci_objectstorage_bucket.models` in prod-oci: storage_tier Standard -> Archive forces a new bucket:"
                          " every object and version in it is deleted (OCI refuses to delete a bucket that still holds objects: the"
                          " apply stops there until someone empties it) (prod-oci would refuse: prevent_destroy)")
    assert f"  acknowledged in {folder}/ACCEPTED.md: {entry[2:]}" in out.splitlines()
    assert err == "ACCEPT=destroy:x.y: no change recorded here replaces, destroys or empties that; nothing was acknowledged for it\n"


def test_recording_refuses_what_the_cloud_would_refuse_whatever_is_acknowledged(team: Path) -> None:
    snapshots.record("acme", {"prod-oci": {"resource": {}}})
    suspended: Json = {"resource": {"oci_objectstorage_bucket": {"models": {"name": "models", "versioning": "Suspended"}}}}
    lost, refused = snapshots.losses("acme", team, {"prod-oci": suspended}, {"replace:oci_objectstorage_bucket.models"})
    assert lost == []
    assert refused[0] == f"{team}: not recorded: the cloud would refuse this config, whatever is acknowledged; fix the config:"
    assert refused[1].startswith("  REFUSED      prod-oci  oci_objectstorage_bucket.models  versioning Suspended")


def test_recording_refuses_a_config_no_test_would_compare(team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(ACME, encoding="utf-8")
    assert snapshots.main([str(elsewhere)]) == 2
    assert capsys.readouterr().err.startswith(f"{elsewhere}: not snapshot-tested (neither in {team.parent}/ nor listed in")
    assert not snapshots.SNAPSHOTS.exists()


def test_the_list_adds_configs_and_reports_what_is_wrong_with_it(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "acme.yaml").write_text(ACME)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "acme.yaml").write_text(ACME)
    (tmp_path / "other" / "beta.yaml").write_text(ACME)
    listed = tmp_path / "configs.txt"
    listed.write_text(f"# a comment\n{tmp_path}/other/beta.yaml  # why\n\n{tmp_path}/other/missing.yaml\n{tmp_path}/other/acme.yaml\n")
    found = snapshots.discover(tmp_path / "config", listed)
    assert found.configs == {"acme": tmp_path / "config" / "acme.yaml", "beta": tmp_path / "other" / "beta.yaml"}
    assert found.problems == [
        f"{listed}:4: {tmp_path}/other/missing.yaml: no such file; fix the path or remove the line",
        f"{tmp_path}/other/acme.yaml: a second config named 'acme' (the first is {tmp_path}/config/acme.yaml); their"
        " snapshots would share tests/snapshots/acme/, so rename one of the files",
    ]


# The diff itself: what a reviewer reads


def test_differences_read_like_a_plan() -> None:
    old: Json = {
        "provider": {"oci": [{"region": "us-ashburn-1"}, {"alias": "home", "region": "us-ashburn-1"}]},
        "resource": {
            "google_artifact_registry_repository": {
                "models": {"description": "Versioned ML models", "cleanup_policies": [{"id": "a", "condition": {"older_than": "60s"}}]},
                "old": {"repository_id": "old"},
            }
        },
        "output": {"models_url": {"value": "us-docker.pkg.dev/p/models"}},
        "terraform": {"backend": {"local": {"path": "a.tfstate"}}},
    }
    new: Json = {
        "provider": {"oci": [{"region": "us-ashburn-1"}, {"alias": "home", "region": "eu-frankfurt-1"}]},
        "resource": {
            "google_artifact_registry_repository": {
                "models": {"description": "Versioned models", "cleanup_policies": [{"id": "a", "condition": {"older_than": "90s"}}, {"id": "b"}]},
                "new": {"repository_id": "new"},
            }
        },
        "data": {"google_project": {"p": {"project_id": "p"}}},
        "output": {"models_url": {"value": "us-docker.pkg.dev/p/models"}, "models_location": {"value": "us"}},
        "terraform": {"cloud": {"organization": "acme"}},
    }
    assert snapshots.differences(old, new) == [
        "+ data google_project.p: added",
        "+ output models_location: added",
        '~ provider oci.home: region: "us-ashburn-1" -> "eu-frankfurt-1"',
        '~ resource google_artifact_registry_repository.models: cleanup_policies[0].condition.older_than: "60s" -> "90s"',
        '~ resource google_artifact_registry_repository.models: cleanup_policies[1]: (none) -> {"id": "b"}',
        '~ resource google_artifact_registry_repository.models: description: "Versioned ML models" -> "Versioned models"',
        "+ resource google_artifact_registry_repository.new: added",
        "- resource google_artifact_registry_repository.old: removed",
        '~ terraform: backend: {"local": {"path": "a.tfstate"}} -> (none)',
        '~ terraform: cloud: (none) -> {"organization": "acme"}',
    ]
    assert snapshots.differences(old, old) == []


def test_a_change_deep_in_a_long_text_shows_where_it_is() -> None:
    statement = "Allow group Readers to read objects in compartment id ocid1.compartment.oc1..aaaa where target.bucket.name='{}'"
    old = {"resource": {"oci_identity_policy": {"p": {"statements": [statement.format("models") * 2]}}}}
    new = {"resource": {"oci_identity_policy": {"p": {"statements": [statement.format("models") + statement.format("exports")]}}}}
    (line,) = snapshots.differences(old, new)
    assert line.startswith("~ resource oci_identity_policy.p: statements[0]: …")
    assert "'models'" in line.split(" -> ")[0] and "'exports'" in line.split(" -> ")[1]
