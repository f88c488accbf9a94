"""The config file's contract: defaults, and one test per rule with the path it names."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

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








def test_models_are_frozen(tmp_path: Path) -> None:
    config = load(tmp_path, BASE)
    with pytest.raises(ValidationError, match="frozen"):
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






def test_rejects_duplicate_repository_ids(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"].append({"id": "models"})
    assert (
        "environments.dev.gcp.repositories[1].id: repository id used twice (got 'models'); give each repository its own id"
        in only_error(tmp_path, data)
    )










def test_rejects_kms_key_in_another_location(tmp_path: Path) -> None:
    key = KEY.replace("us-central1", "europe-west4")
    line = only_error(tmp_path, with_repo(kms_key_name=key))
    assert f"{REPO}.kms_key_name: key is in location 'europe-west4', the repository in 'us-central1'" in line



























