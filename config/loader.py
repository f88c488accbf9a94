"""Load and validate a config file once, completely, before any construct exists.

Every problem comes back at once, one line each:
`<file>: <path>: <what is wrong> (got <value>); <what is allowed>`.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from config.backends import BACKEND_TYPES, SECRET_HINTS
from config.models import AppConfig
from rules.problems import NOTHING, show
from specs.base import RULE_ERROR


class ConfigError(Exception):
    """A config file that cannot be used; `lines` holds one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def load_config(path: Path) -> AppConfig:
    """The validated config in `path`, or ConfigError naming every problem in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such file; set MODEL_REGISTRY_CONFIG to a config file, e.g. config/example.yaml"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([f"{path}: cannot read the file ({error}); use a readable UTF-8 YAML file"]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise ConfigError([f"{path}: {where}: not valid YAML ({error.problem}); fix the YAML syntax there"]) from None
    except yaml.YAMLError as error:
        raise ConfigError([f"{path}: not valid YAML ({error}); fix the YAML syntax"]) from None
    if data is None:
        raise ConfigError([f"{path}: the file is empty; start from config/example.yaml"])
    try:
        return AppConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError([f"{path}: {line}" for line in error_lines(error)]) from None


# The C parser when PyYAML has it (as its wheels do): a tenth of the pure-Python time.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} written twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def error_lines(error: ValidationError, root: type[BaseModel] = AppConfig) -> list[str]:
    """One `<path>: <problem> (got <value>); <allowed>` line per problem, paths from `root`."""
    return [line for detail in error.errors() for line in _lines(detail, root)]


def _lines(detail: ErrorDetails, root: type[BaseModel]) -> list[str]:
    # A tagged union puts its tag in the path (backend.cloud.organization): users never wrote it.
    loc = tuple(part for i, part in enumerate(detail["loc"]) if not (i and detail["loc"][i - 1] == "backend" and part in BACKEND_TYPES))
    if detail["type"] == RULE_ERROR:
        problems = (detail.get("ctx") or {})["problems"]
        return [_line(loc + tuple(sub), got, p.problem, p.allowed) for sub, got, p in problems]
    problem, allowed = _describe(detail, root)
    got = NOTHING if detail["type"] == "missing" else detail.get("input")
    return [_line(loc, got, problem, allowed)]


def _line(loc: tuple[Any, ...], got: object, problem: str, allowed: str) -> str:
    return f"{format_path(loc)}: {problem} (got {show(got)}); {allowed}"

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "tuple_type": "a list",
    "list_type": "a list",
}


def _describe(detail: ErrorDetails, root: type[BaseModel]) -> tuple[str, str]:
    kind, ctx, loc = detail["type"], detail.get("ctx") or {}, tuple(detail["loc"])
    if kind == "missing":
        return "missing", f"add {loc[-1]}"
    if kind == "extra_forbidden" and loc[-1] in SECRET_HINTS:
        return "secrets never go in the config file: it is checked in, and cdk.tf.json would carry it", SECRET_HINTS[loc[-1]]
    if kind == "extra_forbidden":
        keys = _allowed_keys(root, loc[:-1])
        return "unknown key", "allowed keys: " + ", ".join(keys) if keys else "remove it"
    if kind in _TYPE_NAMES:
        return f"wrong type ({type(detail['input']).__name__})", f"use {_TYPE_NAMES[kind]}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return "not a backend type" if kind == "union_tag_invalid" else "missing type", "use type: " + ", ".join(BACKEND_TYPES)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return "not an allowed value", f"use one of: {expected}"
    if kind == "greater_than_equal":
        return "too small", f"use a whole number >= {ctx.get('ge')}"
    if kind == "too_short":
        return "empty", f"list at least {ctx.get('min_length')}"
    return detail["msg"], "see config/example.yaml for the allowed shape"


def format_path(loc: tuple[Any, ...]) -> str:
    """`('environments', 'prod', 'gcp', 'repositories', 0, 'id')` -> `environments.prod.gcp.repositories[0].id`."""
    text = ""
    for part in loc:
        if part == "[key]":
            text += " (the key)"
        elif isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _allowed_keys(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model at `loc` accepts, found by walking the models' annotations from `root`."""
    current: Any = root
    for part in loc:
        if typing.get_origin(_unwrap_annotated(current)) in (typing.Union, types.UnionType) and part in BACKEND_TYPES:
            current = next(m for m in typing.get_args(_unwrap_annotated(current)) if m.model_fields["type"].annotation == typing.Literal[part])
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if typing.get_origin(current) is dict else (args[0] if args else None)
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional, which say nothing about the keys allowed."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation
