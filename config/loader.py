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
from rules.problems import NOTHING, SECRET, Hidden, escaped, plain_ascii, secret_key, show, unusual
from specs.base import RULE_ERROR


class ConfigError(Exception):
    """A config file that cannot be used; `lines` holds one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


HIDDEN = Hidden()

MAX_VALUES = 100_000
"""The most values a config may hold once YAML aliases are expanded: far above any real
config, far below what an alias bomb (a few hundred bytes, billions of values) makes."""


def load_config(path: Path) -> AppConfig:
    """The validated config in `path`, or ConfigError naming every problem in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no such file; set MODEL_REGISTRY_CONFIG to a config file, e.g. config/example.yaml"]
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([f"{path}: cannot read the file ({error}); use a readable UTF-8 YAML file"]) from None
    data = _parse(path, text)
    if data is None:
        raise ConfigError([f"{path}: the file is empty; start from config/example.yaml"])
    try:
        return AppConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError([f"{path}: {line}" for line in _problems(data, error)]) from None


def _parse(path: Path, text: str) -> Any:
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and (size := _expanded_size(node, {})) > MAX_VALUES:
            raise ConfigError(
                [
                    f"{path}: its aliases expand to {size} values, more than the {MAX_VALUES} a config may hold;"
                    " write the repeated parts out, or use fewer nested aliases"
                ]
            )
        return loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            raise ConfigError(
                [f"{path}: {where}: a tab; YAML indents with spaces only, so replace the tab with spaces"]
            ) from None
        raise ConfigError([f"{path}: {where}: not valid YAML ({error.problem}); fix the YAML syntax there"]) from None
    except yaml.YAMLError as error:
        raise ConfigError([f"{path}: not valid YAML ({error}); fix the YAML syntax"]) from None
    finally:
        loader.dispose()


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values `node` stands for with every alias expanded, without expanding any:
    an alias is the node it names, so each node is counted once and multiplied."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once, not forever
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(key, sizes) + _expanded_size(value, sizes) for key, value in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _problems(data: Any, error: ValidationError) -> list[str]:
    """Every problem of the file, each once.

    pydantic checks a model's cross-field rules only when all its fields are right, so a
    wrong type in one repository would hide, say, a repository id used twice. So a failed
    pass is followed by another on the data without what failed (up to a few times), and
    its new problems are added, except those of a model that lost a field: with a default
    in its place, its rules could complain of what the user never wrote.
    """
    lines: list[str] = []
    pruned: list[tuple[Any, ...]] = []
    for _ in range(4):
        new = []
        for detail in error.errors():
            loc, model = _data_path(detail["loc"]), _model_path(detail)
            if any(loc[: len(p)] == p for p in pruned) or any(_owner(p) == model for p in pruned):
                continue
            new.append(detail)
        found = [line for detail in new for line in _lines(detail, AppConfig)]
        lines += [line for line in found if line not in lines]
        cut = [_prunable(detail) for detail in new]
        if not cut:
            break
        pruned += cut
        data = _without(data, cut)
        try:
            AppConfig.model_validate(data)
            break
        except ValidationError as next_error:
            error = next_error
    return lines


def _data_path(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """An error location as a path in the data: without the tag pydantic adds for a tagged
    union (`backend.cloud.organization` is `backend.organization` in the file)."""
    kept: list[Any] = []
    for index, part in enumerate(loc):
        if index and loc[index - 1] == "backend" and part in BACKEND_TYPES:
            continue
        kept.append(part)
    return tuple(kept)


def _owner(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of the innermost model that holds the value at `path`, found by walking the
    models' annotations (a part is a field name in a model, a key or index in a collection)."""
    current: Any = AppConfig
    owner: tuple[Any, ...] = ()
    for index, part in enumerate(p for p in path if p != "[key]"):
        models = _models_of(current)
        if models:
            owner = tuple(p for p in path if p != "[key]")[:index]
            field = next((m.model_fields[part] for m in models if part in m.model_fields), None)
            if field is None:
                break
            current = field.annotation
        else:
            args = typing.get_args(_unwrap(current))
            current = args[-1] if typing.get_origin(_unwrap(current)) is dict else (args[0] if args else None)
    return owner


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    """The models a value of `annotation` may be (several for a union such as Backend)."""
    annotation = _unwrap_annotated(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_of(arg)]
    return [annotation] if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []


def _model_path(detail: ErrorDetails) -> tuple[Any, ...]:
    """The path of the model an error belongs to: its own for a model's rule, else its field's owner."""
    loc = _data_path(detail["loc"])
    if detail["type"] == RULE_ERROR and (detail.get("ctx") or {}).get("of_model"):
        return loc
    return _owner(loc)


def _prunable(detail: ErrorDetails) -> tuple[Any, ...]:
    """What to leave out for the next pass: the value at fault; for a missing field or a bad
    key, the entry that holds it."""
    path = _data_path(detail["loc"])
    if path and path[-1] == "[key]":
        return path[:-1]
    return _owner(path) if detail["type"] == "missing" else path


def _without(data: Any, paths: list[tuple[Any, ...]]) -> Any:
    """A copy of `data` without the values at `paths` (shared parts are copied, never changed)."""
    if not paths:
        return data
    if any(path == () for path in paths):
        return None
    if isinstance(data, dict):
        return {
            key: _without(value, [p[1:] for p in paths if p[0] == key])
            for key, value in data.items()
            if (key,) not in paths
        }
    if isinstance(data, list):
        return [
            _without(value, [p[1:] for p in paths if p[0] == index])
            for index, value in enumerate(data)
            if (index,) not in paths
        ]
    return data


# The C parser when PyYAML has it (as its wheels do): a tenth of the pure-Python time.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last).

    Merge keys (`<<: *base`) are YAML's way to share settings, and a key written next to
    one overrides the merged value on purpose: only keys written out count as twice.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
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
    loc = _data_path(detail["loc"])
    if loc[-1:] == ("[key]",) and isinstance(detail.get("input"), bool):
        loc = (*loc[:-2], str(detail["input"]).lower(), "[key]")  # pydantic writes the key False as 0
    if detail["type"] == RULE_ERROR:
        problems = (detail.get("ctx") or {})["problems"]
        return [_line(loc + tuple(sub), got, p.problem, p.allowed) for sub, got, p in problems]
    problem, allowed = _describe(detail, root)
    got = NOTHING if detail["type"] == "missing" else detail.get("input")
    if detail["type"] == "extra_forbidden" and (loc[-1] in SECRET_HINTS or secret_key(loc[-1])):
        got = HIDDEN if loc[-1] in SECRET_HINTS else SECRET  # printed, it would land in CI logs
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
        return "secrets never go in the config file: it is checked in, and cdk.tf.json would carry it", SECRET_HINTS[
            loc[-1]
        ]
    if kind == "extra_forbidden" and secret_key(loc[-1]):
        return (
            "unknown key, and its name says it holds a secret: secrets never go in the config file (it is checked in)",
            "remove it; each provider and backend reads its credentials from the environment where Terraform runs",
        )
    if kind == "extra_forbidden":
        keys = _allowed_keys(root, loc[:-1])
        meant = next((key for key in keys if isinstance(loc[-1], str) and plain_ascii(loc[-1]).strip() == key), None)
        if meant is not None:
            return f"unknown key: it looks like {meant}, but {unusual(str(loc[-1]))}", f"retype it as {meant}"
        return "unknown key", "allowed keys: " + ", ".join(keys) if keys else "remove it"
    if kind == "string_type" and isinstance(detail["input"], bool):
        # YAML 1.1 reads yes/no/on/off unquoted as booleans: `no:` is the key False.
        return (
            "a word YAML reads as true or false",
            "quote it, e.g. 'no' or 'on': unquoted, yes, no, on, off, true and false are booleans",
        )
    if kind in ("model_type", "model_attributes_type"):
        model = _model_at(root, loc)
        if model is not None:
            example = getattr(model, "EXAMPLE", None)
            shape = f"use a mapping with the keys {', '.join(model.model_fields)}"
            return f"wrong type ({type(detail['input']).__name__}): a block of keys goes here", shape + (
                f", e.g. {example}" if example else ""
            )
    if kind in _TYPE_NAMES:
        return f"wrong type ({type(detail['input']).__name__})", f"use {_TYPE_NAMES[kind]}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return "not a backend type" if kind == "union_tag_invalid" else "missing type", "use type: " + ", ".join(
            BACKEND_TYPES
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return "not an allowed value", f"use one of: {expected}"
    if kind == "greater_than_equal":
        return "too small", f"use a whole number >= {ctx.get('ge')}"
    if kind == "too_short":
        return "empty", f"list at least {ctx.get('min_length')}"
    if kind == "string_too_long":
        return f"too long ({len(detail['input'])} characters)", f"use at most {ctx.get('max_length')} characters"
    return detail["msg"], "see config/example.yaml for the allowed shape"


def format_path(loc: tuple[Any, ...]) -> str:
    """`('environments', 'prod', 'gcp', 'repositories', 0, 'id')` -> `environments.prod.gcp.repositories[0].id`;
    a key with characters outside printable ASCII or spaces at its ends is written escaped and quoted."""
    text = ""
    for part in loc:
        if part == "[key]":
            text += " (the key)"
        elif isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part)
            if name != name.strip() or escaped(name) != name:
                name = repr(name) if name.isascii() else f"'{escaped(name)}'"
            text += f".{name}" if text else name
    return text or "(top level)"


def _allowed_keys(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model at `loc` accepts."""
    model = _model_at(root, loc)
    return list(model.model_fields) if model is not None else []


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model of the value at `loc`, found by walking the models' annotations from `root`."""
    current: Any = root
    for part in loc:
        if typing.get_origin(_unwrap_annotated(current)) in (typing.Union, types.UnionType) and part in BACKEND_TYPES:
            current = next(
                m
                for m in typing.get_args(_unwrap_annotated(current))
                if m.model_fields["type"].annotation == typing.Literal[part]
            )
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if typing.get_origin(current) is dict else (args[0] if args else None)
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


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
