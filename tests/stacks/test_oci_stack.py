"""The OCI stacks: what each must hold (tests/stacks/test_snapshots.py compares them whole), the provider schema
facts, the HCL output, and an OCI-only synth that never loads the google binding."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from tests.commands import run_command
from tests.conftest import EXAMPLE_CONFIG, ROOT, Json, Synth, read_stacks, run_main, synthesized
from tests.facts import schema_problems
from tests.hcl import from_hcl, from_json
from tools.snapshots import strip_metadata

OCI_STACKS = ("dev-oci", "prod-oci")
COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaresearchexample"

# A second, OCI-only config: a looked-up and a literal namespace, and the options the example lacks.
OCI_ONLY: Json = {
    "name": "acme-models",
    "environments": {
        "lookup": {
            "allow_destroy": True,
            "oci": {
                "region": "eu-frankfurt-1",
                "compartment_id": COMPARTMENT,
                "home_region": "eu-frankfurt-1",
                "buckets": [
                    {
                        "name": "models",
                        "lifecycle": {"delete_after_days": 30},
                        "logging": {"read": True, "retention_days": 120},
                        "replication": {"region": "eu-amsterdam-1"},
                    }
                ],
            },
        },
        "literal": {
            "oci": {
                "region": "eu-frankfurt-1",
                "compartment_id": COMPARTMENT,
                "home_region": "eu-frankfurt-1",
                "namespace": "acmeresearch",
                "buckets": [
                    {
                        "name": "research.checkpoints",
                        "versioning": False,
                        "retention_days": 30,
                        "object_events": False,
                        "service_policy": False,
                        "auto_tiering": True,
                        "lifecycle": {"archive_after_days": 7, "delete_after_days": 400, "abort_multipart_uploads_after_days": 1},
                        "access": {"readers": ["Researchers"]},
                    },
                    {
                        "name": "2024-datasets",
                        "storage_tier": "Archive",
                        "tags": {"owner": "data"},
                        "lifecycle": {"previous_versions": {"delete_after_days": 30}, "prefixes": ["raw/"]},
                    },
                ],
            },
        },
    },
}
OCI_ONLY_STACKS = ("lookup-oci", "literal-oci")

# main.main() in a fresh interpreter, then which google (or GCP stack) modules it loaded.
PROBE = (
    "import sys, main\n"
    "rc = main.main()\n"
    "print('rc', rc)\n"
    "print('loaded', sorted(m for m in sys.modules if '_provider_google' in m or m == 'stacks.gcp_stack'))\n"
)


def write_config(folder: Path, data: Json) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def without_gcp(data: Json) -> Json:
    return {**data, "environments": {k: {n: v for n, v in env.items() if n != "gcp"} for k, env in data["environments"].items()}}


@pytest.fixture(scope="module")
def oci_only_run(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    folder = tmp_path_factory.mktemp("oci-only")
    outdir = folder / "cdktf.out"
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(write_config(folder, OCI_ONLY)), "CDKTF_OUTDIR": str(outdir)}
    return run_command([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, timeout=600), outdir


@pytest.fixture(scope="module")
def oci_only_stacks(oci_only_run: Synth) -> dict[str, Json]:
    return read_stacks(synthesized(oci_only_run))


@pytest.fixture(scope="module")
def every_oci_stack(example_stacks: dict[str, Json], oci_only_stacks: dict[str, Json]) -> dict[str, Json]:
    return {**{s: example_stacks[s] for s in OCI_STACKS}, **oci_only_stacks}


@pytest.fixture(scope="module")
def hcl_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`cdk.tf` of every OCI stack, written by main.py as `cdktf synth --hcl` runs it.

    The example's gcp sections are dropped: its OCI stacks stay the same, and no google binding loads.
    """
    texts: dict[str, str] = {}
    for label, data in (("example", without_gcp(yaml.safe_load(EXAMPLE_CONFIG.read_text()))), ("oci-only", OCI_ONLY)):
        folder = tmp_path_factory.mktemp(f"hcl-{label}")
        result = run_main(write_config(folder, data), folder / "cdktf.out", SYNTH_HCL_OUTPUT="true")
        assert result.returncode == 0, result.stderr
        texts.update({p.parent.name: p.read_text() for p in (folder / "cdktf.out" / "stacks").glob("*/cdk.tf")})
    return texts


def resources(stack: Json, kind: str) -> Json:
    return stack.get("resource", {}).get(kind, {})


# The example's stacks


def test_one_oci_stack_per_environment(example_stacks: dict[str, Json]) -> None:
    assert sorted(s for s in example_stacks if s.endswith("-oci")) == list(OCI_STACKS)


@pytest.mark.parametrize("stack_id", OCI_STACKS)
def test_provider_is_region_only_and_backend_is_local(example_stacks: dict[str, Json], stack_id: str) -> None:
    stack = example_stacks[stack_id]
    # No credentials in the output: the provider reads them from ~/.oci/config or the environment.
    home = {"dev-oci": "${data.oci_identity_region_subscriptions.home.region_subscriptions[0].region_name}", "prod-oci": "us-ashburn-1"}
    ignored = ["Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn"]
    assert stack["provider"] == {
        "oci": [
            {"region": "us-ashburn-1", "ignore_defined_tags": ignored},
            {"alias": "home", "region": home[stack_id], "ignore_defined_tags": ignored},
        ],
        "time": [{}],  # the waits for new policies (time_sleep)
    }
    assert stack["terraform"]["required_providers"]["oci"] == {"source": "oracle/oci", "version": "7.19.0"}
    assert stack["terraform"]["required_version"] == ">= 1.7.0"
    assert stack["terraform"]["backend"] == {"local": {"path": f"../../../state/ml-models/{stack_id}.tfstate"}}


@pytest.mark.parametrize("stack_id", OCI_STACKS + OCI_ONLY_STACKS)
def test_outputs_per_bucket(every_oci_stack: dict[str, Json], stack_id: str) -> None:
    stack = every_oci_stack[stack_id]
    buckets = resources(stack, "oci_objectstorage_bucket")
    assert buckets
    fields = ("name", "namespace", "bucket_id", "region", "endpoint")
    assert set(stack["output"]) == {f"{addr}_{field}" for addr in buckets for field in fields} | {"buckets"}
    regions = {f"oci.{p['alias']}" if "alias" in p else None: p["region"] for p in stack["provider"]["oci"]}
    sources = {addr: bucket for addr, bucket in buckets.items() if bucket.get("provider") is None}
    for addr, bucket in buckets.items():
        region = regions[bucket.get("provider")]  # a replica's is its own region's (`<source>_replica_*`)
        assert stack["output"][f"{addr}_name"]["value"] == bucket["name"]
        assert stack["output"][f"{addr}_namespace"]["value"] == f"${{oci_objectstorage_bucket.{addr}.namespace}}"
        assert stack["output"][f"{addr}_bucket_id"]["value"] == f"${{oci_objectstorage_bucket.{addr}.bucket_id}}"
        assert stack["output"][f"{addr}_region"]["value"] == region
        assert stack["output"][f"{addr}_endpoint"]["value"] == f"https://objectstorage.{region}.oraclecloud.com"
    for addr, bucket in sources.items():
        # One output holds them all, by bucket name (not its Terraform address): a pipeline reads one JSON.
        assert stack["output"]["buckets"]["value"][bucket["name"]] == {field: stack["output"][f"{addr}_{field}"]["value"] for field in fields}
    assert sorted(stack["output"]["buckets"]["value"]) == sorted(b["name"] for b in sources.values())


def test_iam_is_written_through_the_home_region_provider(example_stacks: dict[str, Json]) -> None:
    for stack_id in OCI_STACKS:
        policies = resources(example_stacks[stack_id], "oci_identity_policy")
        assert policies and {p["provider"] for p in policies.values()} == {"oci.home"}, stack_id
    lookup = example_stacks["dev-oci"]["data"]["oci_identity_region_subscriptions"]["home"]
    assert lookup["tenancy_id"].startswith("ocid1.tenancy.") and lookup["filter"] == [{"name": "is_home_region", "values": ["true"]}]
    assert "oci_identity_region_subscriptions" not in example_stacks["prod-oci"]["data"]  # home_region given


@pytest.mark.parametrize("stack_id", OCI_STACKS)
def test_null_namespace_is_looked_up_without_a_compartment(example_stacks: dict[str, Json], stack_id: str) -> None:
    stack = example_stacks[stack_id]
    # With compartment_id the lookup would need `manage objectstorage-namespaces`.
    assert strip_metadata(stack["data"]["oci_objectstorage_namespace"]) == {"this": {}}
    for bucket in resources(stack, "oci_objectstorage_bucket").values():
        assert bucket["namespace"] == "${data.oci_objectstorage_namespace.this.namespace}"


def test_literal_namespace_needs_no_lookup(oci_only_stacks: dict[str, Json]) -> None:
    stack = oci_only_stacks["literal-oci"]
    assert "data" not in stack
    assert {b["namespace"] for b in resources(stack, "oci_objectstorage_bucket").values()} == {"acmeresearch"}
    for addr, policy in resources(stack, "oci_objectstorage_object_lifecycle_policy").items():
        assert policy["namespace"] == f"${{oci_objectstorage_bucket.{addr}.namespace}}"
    assert "oci_objectstorage_namespace" in oci_only_stacks["lookup-oci"]["data"]


def test_bucket_addresses_are_terraform_names(oci_only_stacks: dict[str, Json]) -> None:
    buckets = resources(oci_only_stacks["literal-oci"], "oci_objectstorage_bucket")
    assert {addr: b["name"] for addr, b in buckets.items()} == {
        "research_checkpoints": "research.checkpoints",
        "_2024-datasets": "2024-datasets",
    }


def test_prod_keeps_prevent_destroy_and_dev_opts_out(example_stacks: dict[str, Json], oci_only_stacks: dict[str, Json]) -> None:
    prod = resources(example_stacks["prod-oci"], "oci_objectstorage_bucket")
    dev = resources(example_stacks["dev-oci"], "oci_objectstorage_bucket")
    # (a bucket without a key also has a postcondition that it has none: tests/constructs/test_model_bucket.py)
    assert prod and all(b["lifecycle"]["prevent_destroy"] is True for b in prod.values())
    assert dev and all("prevent_destroy" not in b.get("lifecycle", {}) for b in dev.values())
    literal = resources(oci_only_stacks["literal-oci"], "oci_objectstorage_bucket")
    assert all(b["lifecycle"]["prevent_destroy"] is True for b in literal.values())  # allow_destroy defaults to false


def test_service_policy_once_per_stack_and_only_where_asked(every_oci_stack: dict[str, Json]) -> None:
    for stack_id in ("dev-oci", "prod-oci", "lookup-oci"):
        policies = resources(every_oci_stack[stack_id], "oci_identity_policy")
        assert len([name for name in policies if name.startswith("objectstorage_lifecycle_service_")]) == 1, stack_id
    literal = every_oci_stack["literal-oci"]
    # research.checkpoints turned it off; 2024-datasets keeps the default and gets one.
    lifecycles = resources(literal, "oci_objectstorage_object_lifecycle_policy")
    assert "depends_on" not in lifecycles["research_checkpoints"]
    assert lifecycles["_2024-datasets"]["depends_on"][0].startswith("time_sleep.objectstorage_lifecycle_service_")


def test_a_replica_is_made_through_a_provider_of_its_region(oci_only_stacks: dict[str, Json]) -> None:
    stack = oci_only_stacks["lookup-oci"]
    assert stack["provider"]["oci"][-1] == {
        "alias": "eu_amsterdam_1",
        "region": "eu-amsterdam-1",
        "ignore_defined_tags": ["Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn"],
    }
    replica = resources(stack, "oci_objectstorage_bucket")["models_replica"]
    assert (replica["name"], replica["provider"], replica["versioning"]) == ("models", "oci.eu_amsterdam_1", "Disabled")
    assert resources(stack, "oci_objectstorage_replication_policy")["models"]["destination_region_name"] == "eu-amsterdam-1"
    # Logs stay in their bucket's region: the replica's go through its provider, to a log group there.
    logs = resources(stack, "oci_logging_log")
    assert {name: log.get("provider") for name, log in logs.items()} == {
        "models_write": None,
        "models_read": None,
        "models_replica_write": "oci.eu_amsterdam_1",
        "models_replica_read": "oci.eu_amsterdam_1",
    }
    assert "provider" not in resources(stack, "oci_objectstorage_replication_policy")["models"]  # made on the source, in its region


def test_stacks_without_a_replica_have_two_providers(every_oci_stack: dict[str, Json]) -> None:
    for stack_id in ("dev-oci", "prod-oci", "literal-oci"):
        assert [p.get("alias") for p in every_oci_stack[stack_id]["provider"]["oci"]] == [None, "home"], stack_id


@pytest.mark.parametrize("stack_id", OCI_STACKS + OCI_ONLY_STACKS)
def test_stack_keeps_the_provider_schema_facts(every_oci_stack: dict[str, Json], stack_id: str) -> None:
    assert schema_problems(every_oci_stack[stack_id]) == []


# HCL (`cdktf synth --hcl`): the same configuration as the JSON.


@pytest.mark.parametrize("stack_id", OCI_STACKS + OCI_ONLY_STACKS)
def test_hcl_carries_the_same_configuration_as_the_json(every_oci_stack: dict[str, Json], hcl_texts: dict[str, str], stack_id: str) -> None:
    json_stack, hcl_stack = from_json(every_oci_stack[stack_id]), from_hcl(hcl_texts[stack_id])
    assert sorted(hcl_stack) == sorted(json_stack)
    for address, body in json_stack.items():
        assert hcl_stack[address] == body, address


@pytest.mark.parametrize("stack_id", OCI_STACKS + OCI_ONLY_STACKS)
def test_hcl_writes_day_counts_as_strings(hcl_texts: dict[str, str], stack_id: str) -> None:
    text = hcl_texts[stack_id]
    assert re.search(r'time_amount = "\d+"', text)
    assert not re.search(r"time_amount = \d", text)


# main.py on an OCI-only config


def test_oci_only_config_never_imports_the_google_binding(oci_only_run: Synth) -> None:
    result, outdir = oci_only_run
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["rc 0", "loaded []"]
    assert sorted(p.parent.name for p in (outdir / "stacks").glob("*/cdk.tf.json")) == sorted(OCI_ONLY_STACKS)
    assert json.loads((outdir / "manifest.json").read_text())["stacks"].keys() == set(OCI_ONLY_STACKS)


@pytest.mark.parametrize(
    "names",
    [["oci"], ["namespace"], ["backend"], ["models", "models_name"]],
    ids=["oci", "namespace", "backend", "models+models_name"],
)
def test_every_valid_bucket_name_synthesizes(tmp_path: Path, names: list[str]) -> None:
    # Each name passes the config's rules, so it must not collide with the stack's own
    # constructs (provider, namespace lookup, backend, outputs) and end in a traceback.
    data = {"name": "ml", "environments": {"dev": {"oci": {**OCI_ONLY["environments"]["lookup"]["oci"], "buckets": [{"name": n} for n in names]}}}}
    result = run_main(write_config(tmp_path, data), tmp_path / "cdktf.out")
    assert result.returncode == 0, result.stderr[-2000:]
    stack = read_stacks(tmp_path / "cdktf.out")["dev-oci"]
    assert sorted(b["name"] for b in resources(stack, "oci_objectstorage_bucket").values()) == sorted(names)
