"""Check a synthesized stack against the providers' schema facts (facts/): the suite's one checker.

A `cdk.tf.json` that sets an argument its type lacks, of the wrong type, or that
misses a required one, fails at a user's `terraform plan`; these checks fail here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import engine
from tests.terraform.standin_provider import canonical_type

FACTS = Path(__file__).resolve().parent.parent / "facts"
FACTS_FILES = {
    "google": f"google-provider-{engine.GOOGLE_VERSION}-facts.json",
    "google-beta": "google-beta-provider-6.50.0-facts.json",
    "oci": "oci-provider-7.19.0-facts.json",
    "time": "time-provider-0.13.1-facts.json",
}
"""Provider local name -> the facts of the version the stacks pin."""

# Terraform's own meta-arguments: valid on every resource and data source.
META_ARGUMENTS = {"//", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner", "connection"}
_REFERENCE = re.compile(r"\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)")


@cache
def facts(provider: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FACTS / FACTS_FILES[provider]).read_text())
    return data


BUILTIN: dict[str, dict[str, Any]] = {
    "terraform_data": {
        "arguments": {"input": {"required": False, "type": "any"}, "triggers_replace": {"required": False, "type": "any"}},
        "computed": {"id": {"type": "string"}, "output": {"type": "complex"}},
    }
}
"""Terraform's own resource types, served by no provider: terraform_data (`input`, `triggers_replace`;
`output` is the input: https://developer.hashicorp.com/terraform/language/resources/terraform-data)."""


def facts_for(kind: str) -> dict[str, Any] | None:
    """The facts of a type key such as `oci_objectstorage_bucket`, `data.google_project`, `provider.oci`.

    A google type the google provider lacks is looked up in google-beta's facts.
    """
    name = kind.split(".")[-1]
    if kind in BUILTIN:
        return BUILTIN[kind]
    if kind.startswith("provider."):
        return facts(name).get(kind) if name in FACTS_FILES else None
    provider = name.split("_")[0]
    candidates = ["google", "google-beta"] if provider == "google" else [provider]
    for candidate in candidates:
        if candidate in FACTS_FILES and kind in facts(candidate):
            found: dict[str, Any] = facts(candidate)[kind]
            return found
    return None


def schema_problems(stack: dict[str, Any]) -> list[str]:
    """Every place where `stack` breaks its providers' facts; empty when it keeps them."""
    problems: list[str] = []
    for name, blocks in stack.get("provider", {}).items():
        for index, block in enumerate(blocks):
            _check_block(f"provider.{name}[{index}]", block, facts_for(f"provider.{name}"), problems, meta=False)
    for section, prefix in (("resource", ""), ("data", "data.")):
        for kind, instances in stack.get(section, {}).items():
            for name, body in instances.items():
                _check_block(f"{prefix}{kind}.{name}", body, facts_for(f"{prefix}{kind}"), problems, meta=True)
    problems.extend(reference_problems(stack))
    return problems


def reference_problems(stack: dict[str, Any]) -> list[str]:
    """`${type.name.attribute}` references whose target or attribute does not exist."""
    problems: list[str] = []
    text = json.dumps({k: v for k, v in stack.items() if k != "//"})
    for kind, name, attribute in set(_REFERENCE.findall(text)):
        section, bare = ("data", kind[5:]) if kind.startswith("data.") else ("resource", kind)
        if name not in stack.get(section, {}).get(bare, {}):
            problems.append(f"${{{kind}.{name}.{attribute}}}: no such {section} in the stack")
            continue
        type_facts = facts_for(kind)
        if type_facts is not None and attribute not in type_facts["arguments"] and attribute not in type_facts["computed"]:
            problems.append(f"${{{kind}.{name}.{attribute}}}: {kind} has no attribute {attribute!r}")
    return problems


def _check_block(where: str, body: dict[str, Any], spec: dict[str, Any] | None, problems: list[str], *, meta: bool) -> None:
    if spec is None:
        problems.append(f"{where}: type not in the facts files")
        return
    arguments: dict[str, Any] = spec.get("arguments", spec)
    for key, value in body.items():
        if meta and key in META_ARGUMENTS:
            continue
        if key not in arguments:
            problems.append(f"{where}.{key}: not an argument of this type")
            continue
        argument = arguments[key]
        if "block" in argument:
            items = {f"{where}.{key}[{i}]": v for i, v in enumerate(value)} if isinstance(value, list) else {f"{where}.{key}": value}
            for place, item in items.items():
                if not isinstance(item, dict):
                    problems.append(f"{place}: a block must be an object (got {item!r})")
                else:
                    _check_block(place, item, argument["block"], problems, meta=False)
        elif not type_matches(canonical_type(argument["type"]), value):
            problems.append(f"{where}.{key}: {value!r} is not of type {canonical_type(argument['type'])}")
    for key, argument in arguments.items():
        if argument.get("required") and key not in body:
            problems.append(f"{where}.{key}: required argument missing")


def type_matches(kind: str, value: Any) -> bool:
    """Whether a JSON value fits a facts type; a `${...}` expression fits anything."""
    if isinstance(value, str) and value.startswith("${"):
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind.startswith("union<boolean") or kind == "boolean":
        return isinstance(value, bool)
    if kind.startswith("array<"):
        return isinstance(value, list) and all(type_matches(kind[6:-1], v) for v in value)
    if kind.startswith("map<"):
        return isinstance(value, dict) and all(type_matches(kind[4:-1], v) for v in value.values())
    return True
