"""A large config for the benchmark: N environments, each with both clouds, R repositories
and B buckets (default 10 x (10 + 10): 200 repositories, 200 buckets in 20 stacks).

Options are spread the way a real config uses them: most repositories clean up old
versions, every one has IAM (authoritative and additive), some are docker repositories
with immutable tags, some use a customer-managed key (two keys per environment, so
repositories share the key's grant); buckets have lifecycles of every kind (archive,
delete, previous versions, multipart, prefixes), access groups, some a Vault key, some
a retention rule without versioning; half the environments look their namespace up.

`python bench/scaled_config.py out.yaml` writes it for a look. The file is JSON, which
YAML reads as it is: no dependency beyond the standard library.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FORMATS = ("generic", "generic", "docker", "kfp", "python")


def repository(env: str, index: int) -> dict[str, Any]:
    project = f"acme-ml-{env}"
    entry: dict[str, Any] = {
        "id": f"models-{index:02d}",
        "format": FORMATS[index % len(FORMATS)],
        "description": f"Model versions, line {index} ({env})",
        "labels": {"team": "ml-platform", "env": env, "line": f"l{index:02d}"},
    }
    if entry["format"] == "docker":
        entry["immutable_tags"] = True
        entry["vulnerability_scanning"] = "inherited"
    if index % 3 == 0:
        entry["kms_key_name"] = f"projects/acme-security/locations/us-central1/keyRings/ml/cryptoKeys/{env}-k{index % 2}"
    if index % 4 != 3:
        entry["cleanup"] = {"dry_run": index % 2 == 0, "keep_latest": 5 + index, "delete_older_than": f"{30 + index}d"}
    readers = [f"serviceAccount:serving-{index:02d}@{project}.iam.gserviceaccount.com"]
    writers = [f"serviceAccount:training-{index:02d}@{project}.iam.gserviceaccount.com"]
    if index % 2 == 0:
        entry["iam"] = {"mode": "authoritative", "readers": readers, "writers": writers, "admins": ["group:ml-platform@acme.example"]}
    else:
        entry["iam"] = {"mode": "additive", "readers": [*readers, "group:ml-readers@acme.example"], "writers": writers}
    return entry


TENANCY = "ocid1.tenancy.oc1..aaaaaaaaexampletenancyexampleexampleexampleexample"


def bucket(env: str, index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": f"ml-models-{env}-{index:02d}",
        "tags": {"team": "ml-platform", "env": env},
        "access": {"readers": [f"MLServing{index:02d}"], "writers": [f"MLTraining{index:02d}", "MLPlatformAdmins"]},
    }
    kind = index % 5
    if kind == 0:
        entry["lifecycle"] = {
            "archive_after_days": 30,
            "delete_after_days": 365,
            "previous_versions": {"archive_after_days": 7, "delete_after_days": 90},
            "abort_multipart_uploads_after_days": 7,
            "prefixes": ["models/", "checkpoints/"],
        }
        entry["kms_key_id"] = f"ocid1.key.oc1.iad.{env}vault.aaaaaaaakey{index:02d}"
    elif kind == 1:
        entry["lifecycle"] = {"delete_after_days": 90, "previous_versions": {"delete_after_days": 14}}
    elif kind == 2:
        entry["auto_tiering"] = True
        entry["lifecycle"] = {"abort_multipart_uploads_after_days": 2}
    elif kind == 3:
        entry["versioning"] = False
        entry["retention_days"] = 30
        entry["lifecycle"] = {"delete_after_days": 400}
        entry["service_policy"] = index % 2 == 0
    else:
        entry["storage_tier"] = "Archive"
        entry["object_events"] = False
    return entry


def scaled_config(environments: int = 10, repositories: int = 10, buckets: int = 10) -> dict[str, Any]:
    """The config as data: `environments` environments, each with both clouds."""
    envs: dict[str, Any] = {}
    for number in range(environments):
        env = f"env{number:02d}"
        envs[env] = {
            "allow_destroy": number % 3 == 0,
            "backend": {"type": "local"},
            "gcp": {
                "project": f"acme-ml-{env}",
                "region": "us-central1",
                "repositories": [repository(env, index) for index in range(repositories)],
            },
            "oci": {
                "region": "us-ashburn-1",
                "compartment_id": f"ocid1.compartment.oc1..aaaaaaaa{env}exampleexampleexampleexample",
                "namespace": None if number % 2 == 0 else "acmemodels",
                # IAM goes through the home region: named, or looked up from the tenancy.
                **({"home_region": "us-ashburn-1"} if number % 2 else {"tenancy_id": TENANCY}),
                "buckets": [bucket(env, index) for index in range(buckets)],
            },
        }
    return {"name": "ml-models-scaled", "environments": envs}


def write(path: Path, environments: int = 10, repositories: int = 10, buckets: int = 10) -> Path:
    path.write_text(json.dumps(scaled_config(environments, repositories, buckets), indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/scaled_config.py OUT.yaml")
    print(write(Path(sys.argv[1])))
