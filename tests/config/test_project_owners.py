"""One owning environment per project-wide object (config/models.py, project_owner_problems):
APIs, the Artifact Registry service agent, CMEK key grants and the audit config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from config import ConfigError, load_config

KEY = "projects/sec/locations/us-central1/keyRings/ml/cryptoKeys/models"


def gcp(project: str = "acme-ml", **fields: Any) -> dict[str, Any]:
    return {"project": project, "region": "us-central1", "repositories": [{"id": "models"}], **fields}


def errors(tmp_path: Path, environments: dict[str, Any]) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"name": "ml", "environments": environments}))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [line.removeprefix(f"{path}: ") for line in caught.value.lines]


def test_two_environments_in_one_project_may_not_both_enable_its_apis(tmp_path: Path) -> None:
    dev = {"gcp": gcp()}
    prod = {"gcp": gcp(repositories=[{"id": "serving"}])}
    assert errors(tmp_path, {"dev": dev, "prod": prod}) == [
        "environments.prod.gcp.enable_apis: the artifactregistry.googleapis.com API of project acme-ml is also managed by"
        " environment dev (got 'acme-ml'); manage it in one of dev and prod: give each its own project, or set"
        " enable_apis: false, leave out audit_logs or use another key in the other"
    ]


def test_a_shared_key_grant_and_audit_config_name_both_environments(tmp_path: Path) -> None:
    # Destroying either environment would revoke the other's key grant and drop its audit logs.
    audit = {"data_read": True}
    dev = {"gcp": gcp(repositories=[{"id": "models", "kms_key_name": KEY}], audit_logs=audit)}
    prod = {"gcp": gcp(enable_apis=False, repositories=[{"id": "a", "kms_key_name": KEY}, {"id": "b", "kms_key_name": KEY}], audit_logs=audit)}
    paths = [line.split(": ", 1)[0] for line in errors(tmp_path, {"dev": dev, "prod": prod})]
    # The agent and the grant once each, though two repositories name the key.
    assert paths == [
        "environments.prod.gcp.repositories[0].kms_key_name",
        "environments.prod.gcp.repositories[0].kms_key_name",
        "environments.prod.gcp.audit_logs",
    ]


def test_other_projects_or_one_owner_load(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    for environments in (
        {"dev": {"gcp": gcp("acme-ml-dev", audit_logs={})}, "prod": {"gcp": gcp("acme-ml-prod", audit_logs={})}},
        {"dev": {"gcp": gcp()}, "prod": {"gcp": gcp(enable_apis=False, repositories=[{"id": "serving"}])}},
    ):
        path.write_text(yaml.safe_dump({"name": "ml", "environments": environments}))
        assert load_config(path).environments.keys() == {"dev", "prod"}
