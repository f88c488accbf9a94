"""HCL and Terraform JSON in one comparable form, to check that `cdk.tf` says what `cdk.tf.json` says.

Terraform's JSON syntax writes a single nested block as an object and repeated ones
as an array, exactly like attribute maps and lists: only the provider schema tells
them apart. HCL writes blocks as blocks. So the JSON side is read with the schema
facts, the HCL side by its syntax, and both become: attributes as values, nested
blocks as `Blocks` (an ordered tuple of bodies). An argument the HCL writes as an
attribute where the schema wants a block (or the other way round) then differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from tests.conftest import Json
from tests.facts import facts_for
from tools.snapshots import strip_metadata


@dataclass(frozen=True)
class Blocks:
    """Nested blocks of one type, in order."""

    bodies: tuple[Any, ...]


def _json_body(body: Json, schema: dict[str, Any]) -> dict[str, Any]:
    canonical: dict[str, Any] = {}
    for name, value in body.items():
        spec = schema.get(name, {})
        if "block" in spec:
            bodies = value if isinstance(value, list) else [value]
            canonical[name] = Blocks(tuple(_json_body(b, spec["block"]) for b in bodies))
        elif name == "lifecycle":  # a meta-argument block; its conditions are blocks too
            conditions = {kind: Blocks(tuple(value[kind])) for kind in ("precondition", "postcondition") if kind in value}
            canonical[name] = Blocks(({**value, **conditions},))
        else:
            canonical[name] = value
    return canonical


def from_json(stack: Json) -> dict[str, Any]:
    """A `cdk.tf.json` by address (`type.name`, `data.type.name`, `provider.name`, `output.name`)."""
    stack = strip_metadata(stack)
    canonical: dict[str, Any] = {}
    for section, prefix in (("resource", ""), ("data", "data.")):
        for kind, named in stack.get(section, {}).items():
            schema = facts_for(f"{prefix}{kind}")["arguments"]
            for name, body in named.items():
                canonical[f"{prefix}{kind}.{name}"] = _json_body(body, schema)
    for name, bodies in stack.get("provider", {}).items():
        schema = facts_for(f"provider.{name}")["arguments"]
        canonical[f"provider.{name}"] = [_json_body(body, schema) for body in bodies]
    for name, body in stack.get("output", {}).items():
        canonical[f"output.{name}"] = body
    for section in ("import", "moved"):
        if section in stack:
            canonical[section] = stack[section]
    if "removed" in stack:
        # Order carries no meaning: under --hcl the blocks come from the stack's metadata (outdir.py).
        canonical["removed"] = sorted(({**block, "lifecycle": Blocks((block["lifecycle"],))} for block in stack["removed"]), key=lambda b: b["from"])
    settings = dict(stack.get("terraform", {}))
    if "required_providers" in settings:
        settings["required_providers"] = Blocks((settings["required_providers"],))
    if "backend" in settings:  # {"local": {...}}: a block labelled with the backend type
        settings["backend"] = {kind: Blocks((body,)) for kind, body in settings["backend"].items()}
    if "cloud" in settings:
        cloud = dict(settings["cloud"])
        cloud["workspaces"] = Blocks((cloud["workspaces"],))
        settings["cloud"] = Blocks((cloud,))
    canonical["terraform"] = settings
    return canonical


_BLOCK = "__is_block__"  # python-hcl2's mark on a block body


def _is_block(value: Any) -> bool:
    return isinstance(value, dict) and value.get(_BLOCK) is True


def _hcl_value(value: Any) -> Any:
    if isinstance(value, list) and value and all(_is_block(item) for item in value):
        return Blocks(tuple(_hcl_body(item) for item in value))
    if isinstance(value, list) and value and all(_labelled_block(item) for item in value):
        by_label: dict[str, list[Any]] = {}
        for item in value:
            for label, body in item.items():
                by_label.setdefault(label, []).append(_hcl_body(body))
        return {label: Blocks(tuple(bodies)) for label, bodies in by_label.items()}
    if isinstance(value, list):
        return [_hcl_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _hcl_value(item) for key, item in value.items() if key != _BLOCK}
    return value


def _labelled_block(value: Any) -> bool:
    """`backend "local" { ... }` parses as `{"local": {..., __is_block__}}`."""
    return isinstance(value, dict) and not _is_block(value) and bool(value) and all(map(_is_block, value.values()))


def _hcl_body(body: dict[str, Any]) -> dict[str, Any]:
    canonical = {key: _hcl_value(value) for key, value in body.items() if key != _BLOCK}
    if "depends_on" in canonical:
        canonical["depends_on"] = [_reference(item) for item in canonical["depends_on"]]
    return canonical


def _reference(expression: str) -> str:
    """A bare reference (`to = type.name`) parses as `${type.name}`; JSON writes `type.name`."""
    return expression[2:-1] if expression.startswith("${") and expression.endswith("}") else expression


def from_hcl(text: str) -> dict[str, Any]:
    """A `cdk.tf` in the form of `from_json`."""
    # strip_string_quotes: string values, not their source form (escapes resolved).
    options = SerializationOptions(strip_string_quotes=True, with_comments=False)
    document = hcl2.loads(text, serialization_options=options)
    canonical: dict[str, Any] = {}
    for section, prefix in (("resource", ""), ("data", "data.")):
        for item in document.get(section, []):
            for kind, named in item.items():
                for name, body in named.items():
                    canonical[f"{prefix}{kind}.{name}"] = _hcl_body(body)
    for item in document.get("provider", []):
        for name, body in item.items():
            canonical.setdefault(f"provider.{name}", []).append(_hcl_body(body))
    for item in document.get("output", []):
        for name, body in item.items():
            canonical[f"output.{name}"] = _hcl_body(body)
    for section in ("import", "moved", "removed"):
        if section in document:
            canonical[section] = [
                {key: _reference(value) if key in ("to", "from") else value for key, value in _hcl_body(b).items()}
                for b in document[section]
            ]
    if "removed" in canonical:
        canonical["removed"] = sorted(canonical["removed"], key=lambda b: b["from"])
    (settings,) = document.get("terraform", [{}])
    canonical["terraform"] = _hcl_body(settings)
    return canonical


