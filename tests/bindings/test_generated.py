"""The generated bindings: current, true to the facts, and what their runtime promises.

Every class of every generated module is exercised with every argument set (values
made from its schema), so a type, a block or a rendering the runtime gets wrong
shows here, whatever the constructs happen to use today.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import engine as cdk
from bindings import _runtime, oci, time
from bindings._runtime import Block, BlockKind, DataSource, Kind, Provider, Resource
from tests.conftest import ROOT
from tests.facts import facts_for
from tests.hcl import from_hcl, from_json
from tools.snapshots import strip_metadata

MODULES: tuple[ModuleType, ...] = (oci, time)
META = {"depends_on", "lifecycle", "provider", "count", "for_each", "meta"}


def classes() -> Iterator[type]:
    for module in MODULES:
        for name in module.__all__:
            member = getattr(module, name)
            if isinstance(member, type) and issubclass(member, (Provider, Resource, DataSource)):
                yield member


def facts_key(cls: type) -> str:
    if issubclass(cls, Provider):
        return f"provider.{cls.INFO.name}"
    return f"data.{cls.TYPE}" if issubclass(cls, DataSource) else cls.TYPE  # type: ignore[attr-defined]


CLASSES = list(classes())


def keywords(cls: type) -> dict[str, inspect.Parameter]:
    # cls.__init__, not cls: jsii's metaclass __call__ hides the signature.
    parameters = inspect.signature(cls.__init__).parameters.items()  # type: ignore[misc]
    return {n: p for n, p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY and n not in META and n != "alias"}


def sample(kind: Kind | BlockKind, name: str) -> Any:
    """A value of `kind` for every argument: what a full configuration passes."""
    if isinstance(kind, BlockKind):
        block = kind.block_type(**{field: sample(k, field) for field, k in kind.block_type.SCHEMA.items()})
        return [block, block] if kind.repeated else block
    return {
        Kind.STRING: f"v-{name}",
        Kind.NUMBER: 3,
        Kind.BOOLEAN: True,
        Kind.STRING_LIST: [f"a-{name}", "b"],
        Kind.STRING_MAP: {"k": f"v-{name}"},
    }[kind]


def as_json(value: Any) -> Any:
    if isinstance(value, Block):
        return {name: as_json(getattr(value, name)) for name in value.SCHEMA}
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    return value


def full_arguments(cls: Any) -> dict[str, Any]:
    return {name: sample(kind, name) for name, kind in cls.SCHEMA.items()}


@pytest.fixture
def stack() -> cdk.TerraformStack:
    return cdk.TerraformStack(cdk.Testing.app(), "test")


@pytest.fixture(scope="module")
def full_stack() -> cdk.TerraformStack:
    """Every class once, every argument set."""
    stack = cdk.TerraformStack(cdk.Testing.app(), "full")
    for cls in CLASSES:
        cls(stack, cls.__name__.lower(), **full_arguments(cls))
    return stack


def element(document: dict[str, Any], cls: Any) -> Any:
    name = cls.__name__.lower()
    if issubclass(cls, Provider):
        return document["provider"][cls.INFO.name][0]
    section = "data" if issubclass(cls, DataSource) else "resource"
    return document[section][cls.TYPE][name]


def test_checked_in_modules_are_what_the_generator_writes() -> None:
    result = subprocess.run([sys.executable, "tools/generate_bindings.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_keywords_are_the_facts_arguments_required_ones_required(cls: Any) -> None:
    facts = facts_for(facts_key(cls))
    assert facts is not None
    offered = keywords(cls)
    assert set(offered) == set(cls.SCHEMA) <= set(facts["arguments"])
    for name, parameter in offered.items():
        required = parameter.default is inspect.Parameter.empty
        assert required == facts["arguments"][name]["required"], name


def test_provider_offers_no_secret() -> None:
    assert not {"private_key", "private_key_password"} & set(keywords(oci.OciProvider))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_argument_reaches_the_json(cls: Any, full_stack: cdk.TerraformStack) -> None:
    document = json.loads(cdk.Testing.synth(full_stack))
    body = strip_metadata(element(document, cls))
    expected = {name: as_json(value) for name, value in full_arguments(cls).items()}
    assert body == expected


def test_hcl_is_the_same_configuration_as_the_json(full_stack: cdk.TerraformStack) -> None:
    json_form = from_json(json.loads(cdk.Testing.synth(full_stack)))
    hcl_form = from_hcl(cdk.Testing.synth_hcl(full_stack))
    assert sorted(hcl_form) == sorted(json_form)
    for address, body in json_form.items():
        assert hcl_form[address] == body, address


def test_hcl_quotes_strings_that_look_like_numbers_and_keeps_escapes(stack: cdk.TerraformStack) -> None:
    oci.OciProvider(stack, "oci")
    rule = oci.ObjectstorageObjectLifecyclePolicyRules(name="r", action="DELETE", is_enabled=True, time_amount="30", time_unit="DAYS")
    oci.ObjectstorageObjectLifecyclePolicy(stack, "l", bucket='say "hi"\tto C:\\models\nnow', namespace="n", rules=[rule])
    text = cdk.Testing.synth_hcl(stack)
    assert 'time_amount = "30"' in text and "<<EOF" not in text
    assert from_hcl(text)["oci_objectstorage_object_lifecycle_policy.l"]["bucket"] == 'say "hi"\tto C:\\models\nnow'


def test_arguments_left_as_none_are_left_out(stack: cdk.TerraformStack) -> None:
    oci.OciProvider(stack, "oci")
    oci.ObjectstorageBucket(stack, "b", compartment_id="c", name="n", namespace="ns", kms_key_id=None)
    oci.ObjectstorageObjectLifecyclePolicy(stack, "l", bucket="b", namespace="ns", rules=[])
    document = strip_metadata(json.loads(cdk.Testing.synth(stack)))
    assert document["resource"]["oci_objectstorage_bucket"]["b"] == {"compartment_id": "c", "name": "n", "namespace": "ns"}
    # An empty list of blocks is no block, in JSON as in HCL (which cannot write it).
    assert document["resource"]["oci_objectstorage_object_lifecycle_policy"]["l"] == {"bucket": "b", "namespace": "ns"}
    assert document["provider"] == {"oci": [{}]}


def test_a_dict_in_place_of_a_block_is_refused_not_dropped(stack: cdk.TerraformStack) -> None:
    with pytest.raises(TypeError, match=r"ObjectstorageObjectLifecyclePolicy.rules\[0\] must be ObjectstorageObjectLifecyclePolicyRules"):
        oci.ObjectstorageObjectLifecyclePolicy(stack, "l", bucket="b", namespace="n", rules=[{"name": "r"}])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"ObjectstorageBucketRetentionRules\.duration must be ObjectstorageBucketRetentionRulesDuration"):
        oci.ObjectstorageBucketRetentionRules(display_name="r", duration={"time_amount": "1"})  # type: ignore[arg-type]


def test_a_string_in_place_of_a_list_is_refused(stack: cdk.TerraformStack) -> None:
    with pytest.raises(TypeError, match=r"IdentityPolicy\.statements must be a list of strings"):
        oci.IdentityPolicy(stack, "p", compartment_id="c", name="n", description="d", statements="Allow group g to read objects")


def test_a_refused_construct_leaves_nothing_in_the_stack(stack: cdk.TerraformStack) -> None:
    with pytest.raises(TypeError):
        oci.IdentityPolicy(stack, "p", compartment_id="c", name="n", description="d", statements="x")
    assert stack.node.try_find_child("p") is None


def test_later_changes_to_the_callers_values_do_not_leak(stack: cdk.TerraformStack) -> None:
    oci.OciProvider(stack, "oci")
    statements, tags = ["Allow group a to read objects in tenancy"], {"team": "ml"}
    oci.IdentityPolicy(stack, "p", compartment_id="c", name="n", description="d", statements=statements, freeform_tags=tags)
    statements.append("extra")
    tags["extra"] = "x"
    policy = json.loads(cdk.Testing.synth(stack))["resource"]["oci_identity_policy"]["p"]
    assert policy["statements"] == ["Allow group a to read objects in tenancy"] and policy["freeform_tags"] == {"team": "ml"}


def test_getters_synthesize_to_references_and_meta_arguments_reach_the_json(stack: cdk.TerraformStack) -> None:
    west = oci.OciProvider(stack, "west", alias="west", region="us-phoenix-1")
    lookup = oci.DataOciObjectstorageNamespace(stack, "ns", compartment_id="c", provider=west)
    bucket = oci.ObjectstorageBucket(
        stack, "b", compartment_id="c", name="n", namespace=lookup.namespace, lifecycle=cdk.TerraformResourceLifecycle(prevent_destroy=True)
    )
    oci.IdentityPolicy(stack, "p", compartment_id="c", name=bucket.bucket_id, description=bucket.name, statements=["x"], depends_on=[bucket])
    document = json.loads(cdk.Testing.synth(stack))
    policy = document["resource"]["oci_identity_policy"]["p"]
    assert (policy["name"], policy["description"]) == ("${oci_objectstorage_bucket.b.bucket_id}", "${oci_objectstorage_bucket.b.name}")
    assert policy["depends_on"] == ["oci_objectstorage_bucket.b"]
    assert document["resource"]["oci_objectstorage_bucket"]["b"]["namespace"] == "${data.oci_objectstorage_namespace.ns.namespace}"
    assert document["resource"]["oci_objectstorage_bucket"]["b"]["lifecycle"] == {"prevent_destroy": True}
    assert document["data"]["oci_objectstorage_namespace"]["ns"]["provider"] == "oci.west"
    assert document["provider"]["oci"] == [{"alias": "west", "region": "us-phoenix-1"}]
    assert document["terraform"]["required_providers"]["oci"] == {"source": "oracle/oci", "version": oci.PROVIDER.version}


@pytest.mark.parametrize("cls", [c for c in CLASSES if not issubclass(c, Provider)], ids=lambda c: c.__name__)
def test_a_getter_for_every_attribute_of_the_facts(cls: Any) -> None:
    facts = facts_for(facts_key(cls))
    assert facts is not None
    getters = {name for name, member in vars(cls).items() if isinstance(member, _runtime.Attribute)}
    assert getters == ({"id"} | set(cls.SCHEMA) | set(facts["computed"]))


def test_resources_without_their_provider_fail_synth(stack: cdk.TerraformStack) -> None:
    oci.ObjectstorageBucket(stack, "b", compartment_id="c", name="n", namespace="ns")
    with pytest.raises(Exception, match="provider"):
        cdk.Testing.synth(stack, run_validations=True)
