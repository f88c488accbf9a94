"""config/schema.json: current with the models, and it judges the shape of a file as the loader does."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from config.models import AppConfig
from tests.commands import run_command
from tests.conftest import ROOT, SNAPSHOT_CONFIGS
from tools import config_schema

SCHEMA: dict[str, Any] = json.loads((ROOT / "config" / "schema.json").read_text(encoding="utf-8"))
MINIMAL: dict[str, Any] = {
    "name": "ml-models",
    "environments": {"dev": {"gcp": {"project": "acme-ml-dev", "region": "us-central1", "repositories": [{"id": "models"}]}}},
}
# yaml-language-server (VS Code's YAML extension) validates with draft 7: the schema must mean
# the same there as in the draft it states.
VALIDATORS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]


def problems(data: Any, validator: type[Any] = jsonschema.Draft202012Validator) -> list[str]:
    """`<path>: <message>` of each error at the value at fault: an optional section or a backend
    is an anyOf/oneOf, whose own error only says that no alternative fits."""

    def leaves(error: jsonschema.ValidationError) -> list[str]:
        return [leaf for sub in error.context for leaf in leaves(sub)] if error.context else [f"{error.json_path}: {error.message}"]

    return [leaf for error in validator(SCHEMA).iter_errors(data) for leaf in leaves(error)]


def with_repository(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data["environments"]["dev"]["gcp"]["repositories"][0].update(fields)
    return data


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema in `node` that lists properties: one per model."""
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from objects(value)


def test_checked_in_schema_is_what_the_generator_writes_without_starting_jsii() -> None:
    result = run_command([sys.executable, "-X", "importtime", "tools/config_schema.py", "--check"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "pydantic" in imported and not imported & {"cdktf", "cdktn", "jsii", "constructs"}


def test_check_names_the_command_when_the_file_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(config_schema, "SCHEMA", tmp_path / "schema.json")
    assert config_schema.main(["--check"]) == 1
    assert capsys.readouterr().err == f"stale: config/schema.json differs from config/models.py; run {config_schema.COMMAND}\n"
    assert config_schema.main([]) == 0
    assert config_schema.main(["--check"]) == 0
    assert (tmp_path / "schema.json").read_text(encoding="utf-8").endswith("}\n")


def test_editors_get_a_titled_2020_12_schema_that_refuses_unknown_keys_but_x_keys() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema" and "$id" not in SCHEMA
    assert SCHEMA["title"] and SCHEMA["description"]
    assert SCHEMA["patternProperties"] == {"^x-": {}}
    models = list(objects(SCHEMA))
    assert {model["title"] for model in models} >= {"Model registry config", "Environment", "RepositorySpec", "BucketSpec", "S3Backend"}
    assert all(model["additionalProperties"] is False for model in models)


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("name", SNAPSHOT_CONFIGS)
def test_every_snapshot_tested_config_is_valid(name: str, validator: type[Any]) -> None:
    data = yaml.safe_load(SNAPSHOT_CONFIGS[name].read_text(encoding="utf-8"))
    assert problems(data, validator) == []


def test_top_level_x_keys_are_allowed_as_the_loader_allows_them() -> None:
    data = {"x-gcp": {"anything": [1, 2]}, **MINIMAL}
    assert problems(data) == []
    AppConfig.model_validate(data)


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize(
    "data, expected",
    [
        (with_repository(desc="Versioned models"), "$.environments.dev.gcp.repositories[0]: Additional properties are not allowed ('desc' was unexpected)"),
        (with_repository(immutable_tags="yes"), "$.environments.dev.gcp.repositories[0].immutable_tags: 'yes' is not of type 'boolean'"),
        (with_repository(cleanup={"delete_older_than": "30d", "keep_latest": 0}), "$.environments.dev.gcp.repositories[0].cleanup.keep_latest: 0 is less than the minimum of 1"),
        ({**MINIMAL, "backend": {"type": "local"}}, "$: 'backend' does not match any of the regexes: '^x-'"),
        ({**MINIMAL, "environments": {"dev": {"x-note": 1, **MINIMAL["environments"]["dev"]}}}, "$.environments.dev: Additional properties are not allowed ('x-note' was unexpected)"),
    ],
    ids=["unknown key", "wrong type", "below the minimum", "unknown top-level key", "x- key below the top"],
)
def test_what_the_loader_refuses_the_schema_refuses(data: dict[str, Any], expected: str, validator: type[Any]) -> None:
    assert expected in problems(data, validator)
    with pytest.raises(ValidationError):
        AppConfig.model_validate(data)


def test_every_key_says_what_a_user_gets_on_hover() -> None:
    undescribed = [f"{model['title']}.{key}" for model in objects(SCHEMA) for key, field in model["properties"].items() if not field.get("description")]
    assert undescribed == []
