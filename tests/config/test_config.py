"""The config file's contract: defaults, and one test per rule with the path it names."""

from __future__ import annotations

import copy
import re
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
    assert environment.gcp.enable_apis is True  # type: ignore[union-attr]


def test_the_new_project_rules_report_every_problem_with_its_path(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["enable_apis"] = "yes"
    data["environments"]["dev"]["gcp"]["repositories"] = [
        {"id": "a", "cleanup": {"delete_older_than": "9d", "delete_tag_state": "old"}},
        {"id": "b", "cleanup": {"delete_older_than": "9d", "delete_tag_state": "untagged", "keep_tag_prefixes": ["prod"]}},
        {"id": "c", "adopt": True, "iam": {"readers": ["domain:acme.example"]}},
    ]
    lines = errors(tmp_path, data)
    where = [line.split(": ", 2)[1] for line in lines]
    assert where == [
        "environments.dev.gcp.enable_apis",
        "environments.dev.gcp.repositories[0].cleanup.delete_tag_state",
        "environments.dev.gcp.repositories[1].cleanup.keep_tag_prefixes",
        "environments.dev.gcp.repositories[2].iam.mode",
    ], lines
    assert all(line.startswith(f"{tmp_path / 'config.yaml'}: ") for line in lines)








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
    assert lines[0] == f"{path}: name: not a name (got 'ML'); use up to 30 lowercase letters, digits and hyphens, starting with a letter"
    # The spec's problems, by path (their texts: tests/specs/test_repository.py).
    assert [line.split(": ")[:2] for line in lines[1:]] == [[str(path), f"{REPO}.id"], [str(path), f"{REPO}.cleanup.delete_older_than"]]
    assert "(got 'Models'); use " in lines[1] and "(got '3 months'); use " in lines[2]


# One test per rule.


def test_rejects_unknown_key_listing_allowed_ones(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(desc="x"))
    assert f"{REPO}.desc: unknown key (got 'x'); allowed keys: id, format, mode, remote, virtual, description," in line


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


def test_rejects_name_over_30_characters_saying_too_long(tmp_path: Path) -> None:
    assert only_error(tmp_path, {**BASE, "name": "a" * 31}).endswith(
        "name: not a name: too long (31 characters, at most 30) (got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');"
        " use up to 30 lowercase letters, digits and hyphens, starting with a letter"
    )
    data = copy.deepcopy(BASE)
    data["environments"] = {"e" * 21: data["environments"]["dev"]}
    assert "not an environment name: too long (21 characters, at most 20)" in only_error(tmp_path, data)


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





























# What YAML makes of a file, and problems that used to hide behind others.


def only_line(tmp_path: Path, text: str) -> str:
    """The one error line of a config written as `text`, without its `<file>: ` prefix."""
    line = only_error(tmp_path, text)
    return line.removeprefix(f"{tmp_path / 'config.yaml'}: ")


GCP_ENV = "{gcp: {project: acme-ml-dev, region: us-central1, repositories: [{id: models}]}}"


def test_merge_keys_share_settings_and_keys_beside_them_win(tmp_path: Path) -> None:
    text = (
        "name: ml\n"
        "x-gcp: &gcp {project: acme-ml-dev, region: us-central1, repositories: [{id: models}]}\n"
        "environments:\n"
        "  dev: {gcp: {<<: *gcp}}\n"
        "  prod: {gcp: {<<: *gcp, project: acme-ml-prod}}\n"
    )
    config = load(tmp_path, text)
    assert [env.gcp.project for env in config.environments.values()] == ["acme-ml-dev", "acme-ml-prod"]  # type: ignore[union-attr]


def test_a_key_written_twice_beside_a_merge_is_still_refused(tmp_path: Path) -> None:
    text = "name: ml\nx-a: &a {region: us}\nenvironments:\n  dev: {gcp: {<<: *a, project: acme-ml-dev, project: other, repositories: []}}\n"
    assert "key 'project' written twice in one mapping" in only_line(tmp_path, text)


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join(lines) + "\nname: *a9\nenvironments: *a9\n"
    assert len(text) < 1000
    line = only_line(tmp_path, text)
    assert re.fullmatch(r"its aliases expand to [0-9]{10,} values, more than the 100000 a config may hold; .*", line), line


def test_a_tab_is_named_as_such(tmp_path: Path) -> None:
    assert only_line(tmp_path, "name: ml\nenvironments:\n\tdev: {}\n") == (
        "line 3, column 1: a tab; YAML indents with spaces only, so replace the tab with spaces"
    )


def test_yes_and_no_as_keys_are_explained(tmp_path: Path) -> None:
    line = only_line(tmp_path, f"name: ml\nenvironments:\n  no: {GCP_ENV}\n")
    assert line.startswith("environments.false (the key): a word YAML reads as true or false (got false); quote it")


def test_a_number_where_a_duration_belongs_asks_for_a_unit(tmp_path: Path) -> None:
    assert only_error(tmp_path, with_repo(cleanup={"delete_older_than": 90})).endswith(
        f"{REPO}.cleanup.delete_older_than: not a duration: a number without a unit (got 90); write the unit after it, e.g. 90d for days (or s, m, h)"
    )


def test_a_key_version_is_named_and_shown_to_its_end(tmp_path: Path) -> None:
    line = only_error(tmp_path, with_repo(kms_key_name=KEY + "/cryptoKeyVersions/3"))
    assert f"{REPO}.kms_key_name: a key version, not a key (got 'projects/sec/" in line
    assert "/cryptoKeyVersions/3', 84 characters, shortened here); drop the /cryptoKeyVersions/N at the end" in line


def test_a_name_too_long_says_so(tmp_path: Path) -> None:
    assert f"{REPO}.id: not a repository ID: too long (64 characters, at most 63)" in only_error(tmp_path, with_repo(id="m" * 64))


def test_type_errors_do_not_hide_rule_errors(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"] = [{"id": "models", "description": 5}, {"id": "models"}]
    path = tmp_path / "config.yaml"
    assert errors(tmp_path, data) == [
        f"{path}: {REPO}.description: wrong type (int) (got 5); use a string",
        f"{path}: environments.dev.gcp.repositories[1].id: repository id used twice (got 'models'); give each repository its own id",
    ]


def test_rules_of_a_model_that_lost_a_field_are_not_reported(tmp_path: Path) -> None:
    # versioning is left out for the second pass; its default (true) must not raise the
    # retention rule: the user never wrote versioning: true.
    oci = {"region": "us-ashburn-1", "home_region": "us-ashburn-1", "compartment_id": "ocid1.compartment.oc1..aaaa", "buckets": [{"name": "b", "versioning": "no", "retention_days": 3}]}
    lines = errors(tmp_path, {"name": "ml", "environments": {"dev": {"oci": oci}}})
    assert [line.split(": ")[1] for line in lines] == ["environments.dev.oci.buckets[0].versioning"]


def test_two_environments_may_not_manage_one_repository_or_bucket(tmp_path: Path) -> None:
    oci = {"region": "us-ashburn-1", "home_region": "us-ashburn-1", "compartment_id": "ocid1.compartment.oc1..aaaa", "buckets": [{"name": "b"}]}
    gcp = BASE["environments"]["dev"]["gcp"]
    # Its APIs stay dev's: one owner per project-wide object (tests/config/test_project_owners.py).
    data = {"name": "ml", "environments": {"dev": {"gcp": gcp, "oci": oci}, "prod": {"gcp": {**gcp, "enable_apis": False}, "oci": oci}}}
    path = tmp_path / "config.yaml"
    assert errors(tmp_path, data) == [
        f"{path}: environments.prod.gcp.repositories[0].id: also managed by environments.dev.gcp.repositories[0].id"
        " (got 'models'); give each environment its own project or id, or keep it in one",
        f"{path}: environments.prod.oci.buckets[0].name: also managed by environments.dev.oci.buckets[0].name,"
        " in the same region and compartment ocid1.compartment.oc1..aaaa"
        " (got 'b'); give each its own name (a bucket name is one per tenancy and region, whatever the compartment), or keep it in one",
    ]
    # Another location, another region: other things.
    prod = {"gcp": {**gcp, "region": "europe-west4", "enable_apis": False}, "oci": {**oci, "region": "eu-frankfurt-1"}}
    assert load(tmp_path, {"name": "ml", "environments": {"dev": {"gcp": gcp, "oci": oci}, "prod": prod}})


def test_buckets_of_one_tenancy_clash_whatever_their_compartment_or_namespace_lookup(tmp_path: Path) -> None:
    # Bucket names are unique per namespace (one per tenancy) and region: dev looks its namespace up,
    # prod spells it; both in other compartments; the tenancy they share tells they are one place.
    tenancy = "ocid1.tenancy.oc1..aaaaacme"
    dev = {"region": "us-ashburn-1", "compartment_id": "ocid1.compartment.oc1..aaaadev", "tenancy_id": tenancy, "buckets": [{"name": "b"}]}
    prod = {**dev, "compartment_id": "ocid1.compartment.oc1..aaaaprod", "namespace": "acme"}
    line = only_error(tmp_path, {"name": "ml", "environments": {"dev": {"oci": dev}, "prod": {"oci": prod}}})
    assert "environments.prod.oci.buckets[0].name: also managed by environments.dev.oci.buckets[0].name," in line
    assert f"in the same region and tenancy {tenancy} (got 'b')" in line
    # Through a third: dev spells the namespace only, staging the namespace and the tenancy, prod the tenancy only.
    staging = {**prod, "buckets": [{"name": "s"}]}
    dev_ns = {"region": "us-ashburn-1", "compartment_id": "ocid1.compartment.oc1..aaaadev", "namespace": "acme", "home_region": "us-ashburn-1", "buckets": [{"name": "b"}]}
    prod_t = {**dev, "compartment_id": "ocid1.compartment.oc1..aaaaprod"}
    line = only_error(tmp_path, {"name": "ml", "environments": {"dev": {"oci": dev_ns}, "staging": {"oci": staging}, "prod": {"oci": prod_t}}})
    assert "in the same region and tenancy (the environments between them share its tenancy, namespace or compartment)" in line
    # Nothing in common said: two tenancies as far as the config tells (docs/config-checks.md says what is missed).
    other = {**dev, "tenancy_id": "ocid1.tenancy.oc1..aaaaother", "compartment_id": "ocid1.compartment.oc1..aaaaother"}
    assert load(tmp_path, {"name": "ml", "environments": {"dev": {"oci": dev}, "prod": {"oci": other}}})


def test_virtual_upstreams_and_audit_logs_are_checked_in_their_environment(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    gcp = data["environments"]["dev"]["gcp"]
    gcp["repositories"] = [
        {"id": "images", "format": "docker"},
        {"id": "pip", "format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "images", "priority": 2}, {"id": "gone", "priority": 1}]}},
    ]
    path = tmp_path / "config.yaml"
    assert errors(tmp_path, data) == [
        f"{path}: environments.dev.gcp.repositories[1].virtual.upstreams[0].id: a docker repository, this one is python (got 'images');"
        " name a repository of the same format",
        f"{path}: environments.dev.gcp.repositories[1].virtual.upstreams[1].id: no repository with this id in the environment (got 'gone');"
        " name a repository listed beside this one",
    ]
    gcp["repositories"] = [{"id": "images", "format": "docker"}]
    gcp["audit_logs"] = {"data_read": False, "data_write": False}
    assert errors(tmp_path, data) == [
        f"{path}: environments.dev.gcp.audit_logs: enables no log (got '{{...}}'); set data_read, data_write or admin_read to true, or remove audit_logs"
    ]


def test_a_block_of_the_wrong_type_names_its_keys_with_an_example(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"][0]["cleanup"] = True
    assert only_error(tmp_path, data) == (
        f"{tmp_path / 'config.yaml'}: {REPO}.cleanup: wrong type (bool): a block of keys goes here (got true); use a mapping with the keys"
        " dry_run, keep_latest, delete_older_than, delete_tag_state, keep_tag_prefixes, packages, e.g. cleanup: {delete_older_than: 90d, keep_latest: 5}"
    )


def test_an_unknown_key_one_look_alike_from_a_known_one_says_which(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["repositories"][0]["f\u043ermat"] = "docker"
    assert only_error(tmp_path, data) == (
        f"{tmp_path / 'config.yaml'}: {REPO}.'f\\u043ermat': unknown key: it looks like format, but \\u043e is CYRILLIC SMALL LETTER O, not 'o'"
        " (got 'docker'); retype it as format"
    )
    data["environments"]["dev"]["gcp"]["repositories"][0] = {"id": "models", "format ": "docker"}
    assert only_error(tmp_path, data).startswith(f"{tmp_path / 'config.yaml'}: {REPO}.'format ': unknown key: it looks like format, but it ends with a space (got")


def test_an_unknown_key_named_like_a_secret_is_never_echoed(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["environments"]["dev"]["gcp"]["api_key"] = "not-even-a-real-looking-one"
    line = only_error(tmp_path, data)
    assert line.startswith(f"{tmp_path / 'config.yaml'}: environments.dev.gcp.api_key: unknown key, and its name says it holds a secret")
    assert "not-even" not in line and "(got a value that looks like a secret, not shown)" in line
