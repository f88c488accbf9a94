"""Text from the config reaches Terraform as the same text, never as a template.

A config whose every free-text field holds `${...}` and `%{...}` (identifiers: `%{...}`) is synthesized as JSON and
as HCL, and each stack is planned by Terraform: the values Terraform would send to the
cloud must equal what the config says, character for character.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import read_stacks, run_main
from tests.terraform.harness import Terraform, Toolchain
from tests.terraform.plugin import in_parallel

DESCRIPTION = 'host ${file("/etc/hostname")}, %{ if true }yes%{ endif }, "quoted" and \\ back'
# Identifiers refuse `${` (nothing is expanded: rules/problems.py says so), not `%{`.
MEMBER = "principal://iam.googleapis.com/projects/1/%{x}"
TAGS = {"%{key}": '${value} %{ for x in [1] }x%{ endfor } "q"'}
DEFINED_TAGS = {"Ops.%{key}": "${value}"}
PREFIXES = ["${path.cwd}/", "%{x}/"]
CONFIG = {
    "name": "ml",
    "environments": {
        "dev": {
            "allow_destroy": True,
            "gcp": {
                "project": "acme-ml-dev",
                "region": "us-central1",
                "repositories": [
                    {"id": "models", "description": DESCRIPTION, "iam": {"mode": "authoritative", "readers": [MEMBER]}},
                    {"id": "more", "iam": {"mode": "additive", "writers": [MEMBER]}},
                ],
            },
            "oci": {
                "region": "us-ashburn-1",
                "compartment_id": "ocid1.compartment.oc1..aaaaaaaaexample",
                "namespace": "ns",
                "home_region": "us-ashburn-1",
                "buckets": [
                    {"name": "b", "tags": TAGS, "defined_tags": DEFINED_TAGS, "lifecycle": {"delete_after_days": 3, "prefixes": PREFIXES}}
                ],
            },
        }
    },
}


def planned(terraform: Terraform) -> dict[str, Any]:
    terraform.init()
    return {change["address"]: change["change"]["after"] for change in terraform.plan()["resource_changes"]}


@pytest.fixture(scope="module")
def outdirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The config synthesized as JSON and as HCL, at once: format -> output folder."""
    root = tmp_path_factory.mktemp("literals")
    config = root / "config.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    outdirs = {"json": root / "json", "hcl": root / "hcl"}
    results = in_parallel(
        {form: lambda f=form, o=outdir: run_main(config, o, **({"SYNTH_HCL_OUTPUT": "true"} if f == "hcl" else {})) for form, outdir in outdirs.items()}
    )
    for result in results.values():
        assert result.ok, result.stderr
    return outdirs


@pytest.fixture(scope="module")
def plans(outdirs: dict[str, Path], terraform_toolchain: Toolchain) -> dict[tuple[str, str], dict[str, Any]]:
    """(format, stack) -> address -> the values Terraform plans."""
    # In place: the stacks' local backends keep state under the root, beside the output folders.
    jobs = {
        (form, stack): lambda o=outdir, s=stack: planned(Terraform(o / "stacks" / s, terraform_toolchain))
        for form, outdir in outdirs.items()
        for stack in ("dev-gcp", "dev-oci")
    }
    return in_parallel(jobs)


def test_the_json_escapes_every_template_start(outdirs: dict[str, Path]) -> None:
    text = json.dumps(read_stacks(outdirs["json"]))
    # Escaped ($${, %%{) where the config wrote them; our own references stay `${type.name...}`.
    assert re.findall(r"(?<!\$)\$\{file|(?<!%)%\{ if", text) == []
    assert "$${file" in text and "%%{ if" in text


@pytest.mark.parametrize("form", ["json", "hcl"])
def test_terraform_plans_the_repository_text_as_written(form: str, plans: dict[tuple[str, str], dict[str, Any]]) -> None:
    plan = plans[form, "dev-gcp"]
    assert plan["google_artifact_registry_repository.models"]["description"] == DESCRIPTION
    policy = json.loads(plan["google_artifact_registry_repository_iam_policy.models"]["policy_data"])
    assert policy["bindings"] == [{"members": [MEMBER], "role": "roles/artifactregistry.reader"}]
    (grant,) = [values for address, values in plan.items() if address.startswith("google_artifact_registry_repository_iam_member.")]
    assert grant["member"] == MEMBER


@pytest.mark.parametrize("form", ["json", "hcl"])
def test_terraform_plans_the_bucket_text_as_written(form: str, plans: dict[tuple[str, str], dict[str, Any]]) -> None:
    plan = plans[form, "dev-oci"]
    bucket = plan["oci_objectstorage_bucket.b"]
    assert (bucket["freeform_tags"], bucket["defined_tags"]) == (TAGS, DEFINED_TAGS)
    (rule,) = plan["oci_objectstorage_object_lifecycle_policy.b"]["rules"]
    assert rule["object_name_filter"][0]["inclusion_prefixes"] == PREFIXES
