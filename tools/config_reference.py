"""Write docs/config-reference.md, every key of the config file, from the models in config/models.py.

    .venv/bin/python tools/config_reference.py           # rewrite docs/config-reference.md
    .venv/bin/python tools/config_reference.py --check   # exit 1 if the checked-in file differs

One section per model, in the order a file nests them; one row per key: its type and allowed
values (from the JSON Schema that tools/config_schema.py writes), its default and its
description (the field's `Field(description=...)`, which the schema and editors show too).

Needs pydantic (the app's .venv); imports config/, which never starts cdktf or jsii.
"""

from __future__ import annotations

import argparse
import json
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_NAME = "docs/config-reference.md"
REFERENCE = ROOT / REFERENCE_NAME
COMMAND = ".venv/bin/python tools/config_reference.py"

INTRO = f"""\
<!-- Generated from config/models.py by `make reference` ({COMMAND}): change the models, not this file. -->
# Config reference

Every key of a config file such as `config/example.yaml`. Unknown keys are errors; a default is
the behaviour you get without the key. Quote a key or value that YAML would read as a boolean
(`'no'`, `'on'`). Environments share settings through YAML anchors under a top-level `x-` key and
merge keys (`x-gcp: &gcp {{project: acme-ml, region: us-central1}}`, then
`gcp: {{<<: *gcp, repositories: [...]}}`; a key written beside `<<` wins over the merged one).

The loader checks more than the types below (names, OCIDs, durations, the rules between keys)
and reports every problem at once, one line each with the file, the path, the value and what is
allowed, then exits with status 2 having written nothing. The value of a refused secret is never
printed, a long value keeps its start and its end, and aliases that expand past 100,000 values
(an alias bomb) are refused before anything reads them:

```
{{problem}}
```

Text from the config reaches Terraform as written: `${{` and `%{{`, which Terraform would
evaluate as templates, are written `$${{` and `%%{{`. `config/schema.json` holds the same keys
and descriptions for editors (see [operations](operations.md#editor-support)).
"""

MISTAKE = {
    "name": "ml-models",
    "environments": {
        "prod": {
            "gcp": {
                "project": "acme-ml-prod",
                "region": "us-central1",
                "repositories": [{"id": "models", "cleanup": {"delete_older_than": "3 months"}}],
            }
        }
    },
}
"""A config with one mistake: the reference shows the loader's own line for it."""

PLACEHOLDERS = {"environments": "<env>"}
"""The name a map's keys stand for in a path."""


@dataclass(frozen=True)
class Section:
    path: str
    model: type[BaseModel]
    note: str = ""


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _title(path: str) -> str:
    return f"`{path}`" if path else "The file"


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds (a field's type, its optional or union members, list items)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_of(arg)]


def sections() -> list[Section]:
    """Every model of the file with its path, depth first in field order."""
    from config.models import AppConfig  # here: run as a script, __main__ first puts the app on the path

    found: list[Section] = []
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel], path: str, note: str = "") -> None:
        if model in seen:
            return
        seen.add(model)
        found.append(Section(path, model, note))
        for key, field in model.model_fields.items():
            node = model.model_json_schema()["properties"][key]
            below = f"{path}.{key}" if path else key
            if node.get("type") == "array" or _optional(node).get("type") == "array":
                below += "[]"
            values = node.get("additionalProperties")
            if isinstance(values, dict) and "$ref" in values:
                below += "." + PLACEHOLDERS.get(key, "<key>")
            models = _models_of(field.annotation)
            for sub in models:
                kind = sub.model_fields.get("type")
                tagged = ""
                if len(models) > 1 and kind is not None:
                    tagged = f"with `type: {typing.get_args(kind.annotation)[0]}`"
                walk(sub, below, tagged)

    walk(AppConfig, "")
    return found


def _optional(node: dict[str, Any]) -> dict[str, Any]:
    """The schema of an optional value without its `null` alternative."""
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 and len(node.get("anyOf", [])) == 2 else node


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """A schema node in words: its type and the values it allows."""
    node = _optional(node)
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{defs.get(name, {}).get('title', name)}](#{name.lower()})"
    if "oneOf" in node:
        return " or ".join(_type(option, defs) for option in node["oneOf"])
    if "anyOf" in node:
        return " or ".join(_type(option, defs) for option in node["anyOf"])
    if "enum" in node or "const" in node:
        return ", ".join(f"`{value}`" for value in node.get("enum", [node.get("const")]))
    kind = node.get("type")
    if kind == "array":
        return f"list of {_type(node.get('items', {}), defs)}"
    if kind == "object":
        values = node.get("additionalProperties")
        return f"map of string to {_type(values, defs)}" if isinstance(values, dict) else "map"
    bounds = [f"at least {node['minimum']}"] if "minimum" in node else []
    bounds += [f"at most {node['maximum']}"] if "maximum" in node else []
    return " ".join([str(kind), *([", ".join(bounds)] if bounds else [])])


def _value(value: Any) -> str:
    """A default as it would be written in the file."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(value)


def _default(model: type[BaseModel], key: str) -> str:
    field = model.model_fields[key]
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    return "none" if value is None else f"`{_value(value)}`"


def _problem() -> str:
    """What the loader says of MISTAKE."""
    from pydantic import ValidationError

    from config.loader import error_lines
    from config.models import AppConfig

    try:
        AppConfig.model_validate(MISTAKE)
    except ValidationError as error:
        return error_lines(error)[0]
    raise AssertionError("MISTAKE is a valid config")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render() -> str:
    from config.models import AppConfig

    defs: dict[str, Any] = AppConfig.model_json_schema()["$defs"]
    lines = [INTRO.replace("{problem}", "config/prod.yaml: " + _problem())]
    for section in sections():
        schema = section.model.model_json_schema()
        heading = f"{_title(section.path)} {section.note}".strip()
        lines += [f'<a id="{_anchor(section.model)}"></a>', f"## {heading}", ""]
        lines += [_cell(section.model.__doc__ or ""), ""]
        lines += ["| key | type and allowed values | default | what you get |", "| --- | --- | --- | --- |"]
        for key, field in section.model.model_fields.items():
            node = schema["properties"][key]
            cells = [f"`{key}`", _type(node, defs), _default(section.model, key), field.description or ""]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines.append("")
    return "\n".join([*lines, *_outputs()])


def _outputs() -> list[str]:
    """What each stack gives CI, from specs/outputs.py (docs/outputs.md shows how to use them)."""
    from rules.gcp import CLIENT_ADDRESSES
    from specs import outputs

    address = "; ".join(f"{format_}: {what}" for format_, what in CLIENT_ADDRESSES.items())
    lines = ["## Outputs", "", "Per repository `<id>` of a GCP stack, and in its `repositories` map:", ""]
    lines += ["| output | what it is |", "| --- | --- |"]
    lines += [
        f"| `<id>_{name}` | {_cell(address if name == 'address' else what)} |"
        for name, what in outputs.REPOSITORY.items()
    ]
    lines += [
        "",
        "Per bucket `<b>` of an OCI stack (`<b>_replica_<name>` for its replica), and in its `buckets` map:",
        "",
    ]
    lines += ["| output | what it is |", "| --- | --- |"]
    lines += [f"| `<b>_{name}` | {_cell(what)} |" for name, what in outputs.BUCKET.items()]
    return [*lines, ""]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in file, write nothing")
    args = parser.parse_args(argv)
    from tools.config_schema import write_or_check

    return write_or_check(REFERENCE, render(), check=args.check, name=REFERENCE_NAME, command=COMMAND)


if __name__ == "__main__":
    # Run as a script, Python puts tools/ first on the path: the app's packages are one up.
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
