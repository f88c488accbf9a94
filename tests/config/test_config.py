"""The config file's contract: defaults, and one test per rule with the path it names."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import ConfigError, load_config
from config.models import AppConfig

SA = "serviceAccount:serving@acme-ml-dev.iam.gserviceaccount.com"
KEY = "projects/sec/locations/us-central1/keyRings/ml/cryptoKeys/models"
BASE: dict[str, Any] = {
    "name": "ml-models",
    "environments": {
        "dev": {"gcp": {"project": "acme-ml-dev", "region": "us-central1", "repositories": [{"id": "models"}]}}
    },
}
REPO = "environments.dev.gcp.repositories[0]"


def write(tmp_path: Path, data: Any, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def with_repo(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"][0].update(fields)
    return data


def load(tmp_path: Path, data: Any) -> AppConfig:
    return load_config(write(tmp_path, data))


def errors(tmp_path: Path, data: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, data)
    return caught.value.lines


def only_error(tmp_path: Path, data: Any) -> str:
    lines = errors(tmp_path, data)
    assert len(lines) == 1, lines
    return lines[0]


# Defaults: what a user gets without writing a key.


def test_minimal_repository_gets_secure_defaults(tmp_path: Path) -> None:
    environment = load(tmp_path, BASE).environments["dev"]
    assert environment.allow_destroy is False
    assert environment.backend.type == "local"
    repository = environment.gcp.repositories[0]  # type: ignore[union-attr]
    assert repository.format == "generic"
    assert repository.kms_key_name is None
    assert repository.immutable_tags is False
    assert repository.vulnerability_scanning is None
    assert repository.cleanup is None
    assert repository.iam is None


def test_cleanup_defaults_to_dry_run(tmp_path: Path) -> None:
    cleanup = load(tmp_path, with_repo(cleanup={"delete_older_than": "90d"})).environments["dev"].gcp.repositories[0].cleanup  # type: ignore[union-attr]
    assert cleanup is not None and cleanup.dry_run is True and cleanup.keep_latest is None


def test_iam_defaults_to_authoritative_and_private(tmp_path: Path) -> None:
    iam = load(tmp_path, with_repo(iam={"readers": [SA]})).environments["dev"].gcp.repositories[0].iam  # type: ignore[union-attr]
    assert iam is not None and iam.mode == "authoritative" and iam.allow_public is False


def test_format_is_accepted_in_any_case(tmp_path: Path) -> None:
    assert load(tmp_path, with_repo(format="DoCkEr")).environments["dev"].gcp.repositories[0].format == "DoCkEr"  # type: ignore[union-attr]


def test_models_are_frozen(tmp_path: Path) -> None:
    config = load(tmp_path, BASE)
    with pytest.raises(Exception):
        config.name = "other"  # type: ignore[misc]


def test_example_config_loads() -> None:
    config = load_config(Path(__file__).parents[2] / "config" / "example.yaml")
    assert set(config.environments) == {"dev", "prod"}


# The file itself.


def test_rejects_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert caught.value.lines == [f"{tmp_path / 'nope.yaml'}: no such file; set MODEL_REGISTRY_CONFIG to a config file, e.g. config/example.yaml"]


def test_rejects_yaml_syntax_error_with_its_line(tmp_path: Path) -> None:
    line = only_error(tmp_path, "name: ml-models\nenvironments:\n  dev: [unclosed\n")
    assert line.startswith(f"{tmp_path / 'config.yaml'}: line 4, column 1: not valid YAML")


def test_rejects_empty_file(tmp_path: Path) -> None:
    assert "the file is empty" in only_error(tmp_path, "# nothing here\n")


def test_rejects_key_written_twice(tmp_path: Path) -> None:
    line = only_error(tmp_path, "name: ml-models\nname: other\nenvironments: {}\n")
    assert "line 2, column 1" in line and "key 'name' written twice" in line


def test_rejects_a_list_at_top_level(tmp_path: Path) -> None:
    assert "(top level): wrong type (list)" in only_error(tmp_path, "- a\n- b\n")


# Every error line has the documented shape, and all problems come at once.


def test_reports_every_problem_at_once_in_the_documented_format(tmp_path: Path) -> None:
    data = with_repo(id="Models", cleanup={"delete_older_than": "3 months"})
    data["name"] = "ML"
    lines = errors(tmp_path, data)
    path = tmp_path / "config.yaml"
    assert lines == [
        f"{path}: name: not a name (got 'ML'); use up to 30 lowercase letters, digits and hyphens, starting with a letter",
        f"{path}: {REPO}.id: not a repository ID (got 'Models'); use 1 to 63 lowercase letters, digits and hyphens,"
        " starting with a letter and ending with a letter or digit, e.g. ml-models",
        f"{path}: {REPO}.cleanup.delete_older_than: not a duration (got '3 months');"
        " use a whole number above 0 with s, m, h or d, e.g. 90d",
    ]


# One test per rule.


def test_rejects_unknown_key_listing_allowed_ones(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(desc="x"))
    assert f"{REPO}.desc: unknown key (got 'x'); allowed keys: id, format, description," in line


def test_rejects_missing_required_key(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    del data["environments"]["dev"]["gcp"]["project"]
    assert only_error(tmp_path, data).endswith("environments.dev.gcp.project: missing (got nothing); add project")


def test_rejects_wrong_type(tmp_path: Path) -> None:
    assert f"{REPO}.description: wrong type (int) (got 5); use a string" in only_error(tmp_path, with_repo(description=5))


def test_rejects_string_for_boolean(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(immutable_tags="yes please", format="docker"))
    assert f"{REPO}.immutable_tags: wrong type (str)" in line and "use true or false" in line


def test_rejects_bad_name(tmp_path: Path) -> None:
    assert "name: not a name (got 'Ml_Models')" in only_error(tmp_path, {**BASE, "name": "Ml_Models"})


def test_rejects_name_over_30_characters(tmp_path: Path) -> None:
    assert "name: not a name" in only_error(tmp_path, {**BASE, "name": "a" * 31})


def test_rejects_no_environment(tmp_path: Path) -> None:
    assert "environments: no environment (got {})" in only_error(tmp_path, {"name": "ml", "environments": {}})


def test_rejects_bad_environment_name(tmp_path: Path) -> None:
    data = {"name": "ml", "environments": {"Prod": BASE["environments"]["dev"]}}
    assert "environments.Prod (the key): not an environment name (got 'Prod')" in only_error(tmp_path, data)


def test_rejects_environment_without_cloud(tmp_path: Path) -> None:
    assert "environments.dev: no cloud in this environment (got nothing); add gcp, oci or both" in only_error(
        tmp_path, {"name": "ml", "environments": {"dev": {}}}
    )


def test_rejects_bad_project_id(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["project"] = "Acme"
    assert "environments.dev.gcp.project: not a GCP project ID (got 'Acme')" in only_error(tmp_path, data)


def test_rejects_bad_region(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["region"] = "moon-1"
    assert "environments.dev.gcp.region: not a GCP location (got 'moon-1')" in only_error(tmp_path, data)


def test_rejects_no_repository(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"] = []
    assert "environments.dev.gcp.repositories: no repository (got []); list at least one repository" in only_error(tmp_path, data)


def test_rejects_bad_repository_id(tmp_path: Path) -> None:
    assert f"{REPO}.id: not a repository ID (got 'models-')" in only_error(tmp_path, with_repo(id="models-"))


def test_rejects_repository_id_over_63_characters(tmp_path: Path) -> None:
    assert f"{REPO}.id: not a repository ID" in only_error(tmp_path, with_repo(id="m" * 64))


def test_rejects_duplicate_repository_ids(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"].append({"id": "models"})
    assert (
        "environments.dev.gcp.repositories[1].id: repository id used twice (got 'models'); give each repository its own id"
        in only_error(tmp_path, data)
    )


def test_rejects_unsupported_format(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(format="maven"))
    assert f"{REPO}.format: not a supported format (got 'maven'); use one of: generic, docker, kfp, python" in line


def test_rejects_bad_label_key(tmp_path: Path) -> None:
    assert f"{REPO}.labels.Team: not a GCP label key (got 'Team')" in only_error(tmp_path, with_repo(labels={"Team": "ml"}))


def test_rejects_bad_label_value(tmp_path: Path) -> None:
    assert f"{REPO}.labels.team: not a GCP label value (got 'ML Platform')" in only_error(
        tmp_path, with_repo(labels={"team": "ML Platform"})
    )


def test_rejects_bad_kms_key_name(tmp_path: Path) -> None:
    assert f"{REPO}.kms_key_name: not a Cloud KMS key name (got 'my-key')" in only_error(tmp_path, with_repo(kms_key_name="my-key"))


def test_rejects_kms_key_in_another_location(tmp_path: Path) -> None:
    key = KEY.replace("us-central1", "europe-west4")
    line = only_error(tmp_path, with_repo(kms_key_name=key))
    assert f"{REPO}.kms_key_name: key is in location 'europe-west4', the repository in 'us-central1'" in line


def test_rejects_immutable_tags_on_non_docker(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(format="generic", immutable_tags=True))
    assert f"{REPO}.immutable_tags: only for docker repositories, this one is generic (got true)" in line


def test_rejects_vulnerability_scanning_on_non_docker(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(format="kfp", vulnerability_scanning="disabled"))
    assert f"{REPO}.vulnerability_scanning: only for docker repositories, this one is kfp (got 'disabled')" in line


def test_rejects_unknown_vulnerability_scanning(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(format="docker", vulnerability_scanning="on"))
    assert f"{REPO}.vulnerability_scanning: not an allowed value (got 'on'); use one of: inherited, disabled" in line


def test_rejects_bad_duration(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(cleanup={"delete_older_than": "1.5h"}))
    assert f"{REPO}.cleanup.delete_older_than: not a duration (got '1.5h')" in line


def test_rejects_zero_duration(tmp_path: Path) -> None:
    assert f"{REPO}.cleanup.delete_older_than: not a duration (got '0d')" in only_error(
        tmp_path, with_repo(cleanup={"delete_older_than": "0d"})
    )


def test_rejects_keep_latest_below_one(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(cleanup={"keep_latest": 0, "delete_older_than": "90d"}))
    assert f"{REPO}.cleanup.keep_latest: too small (got 0); use a whole number >= 1" in line


def test_rejects_cleanup_that_deletes_nothing(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(cleanup={"keep_latest": 3}))
    assert f"{REPO}.cleanup.delete_older_than: a cleanup without delete_older_than deletes nothing" in line


def test_rejects_bad_member(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(iam={"mode": "additive", "readers": ["bob@acme.example"]}))
    assert f"{REPO}.iam.readers[0]: not an IAM member (got 'bob@acme.example')" in line


def test_rejects_public_member_unless_allowed(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(iam={"readers": ["allUsers"]}))
    assert f"{REPO}.iam.readers[0]: makes the repository public (got 'allUsers')" in line
    assert load(tmp_path, with_repo(iam={"readers": ["allUsers"], "allow_public": True}))


def test_rejects_all_authenticated_users_unless_allowed(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(iam={"writers": ["allAuthenticatedUsers"]}))
    assert f"{REPO}.iam.writers[0]: makes the repository public (got 'allAuthenticatedUsers')" in line


def test_rejects_member_listed_twice(tmp_path: Path) -> None:
    assert f"{REPO}.iam.admins: member listed twice" in only_error(tmp_path, with_repo(iam={"admins": [SA, SA]}))


def test_rejects_authoritative_policy_with_no_member(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(iam={"mode": "authoritative"}))
    assert f"{REPO}.iam.mode: an authoritative policy with no readers, writers or admins would remove every" in line


def test_accepts_additive_iam_with_no_member(tmp_path: Path) -> None:
    assert load(tmp_path, with_repo(iam={"mode": "additive"}))


def test_rejects_unknown_iam_mode(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(iam={"mode": "merge", "readers": [SA]}))
    assert f"{REPO}.iam.mode: not an allowed value (got 'merge'); use one of: authoritative, additive" in line
