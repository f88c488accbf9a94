"""What the generated bindings (bindings/oci.py, bindings/google_beta.py) stand on.

A generated class declares its Terraform type, its schema (argument -> kind) and a
typed constructor; everything else is here, written once:

- arguments are checked when a construct is made: a dict where a nested block
  belongs is a `TypeError` (the prebuilt bindings silently drop it: CONTRIBUTING.md,
  "Nested blocks"), and so is a lone string where a list belongs;
- the two renderings cdktf asks for, `cdk.tf.json` (`_synthesize_attributes`) and
  `cdk.tf` (`cdktf synth --hcl`, `_synthesize_hcl_attributes`): the base classes
  return `{}` for both, so a class that overrides only the first prints empty blocks;
- typed attribute getters (`bucket.name`) that synthesize to Terraform references.

The classes subclass cdktf's own `TerraformProvider`, `TerraformResource` and
`TerraformDataSource`: they load nothing beyond cdktf and cost one jsii call each
(the community OCI binding is a 246 MB assembly that takes ~22 s to import).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypedDict, TypeVar, overload

import engine as cdk
from constructs import Construct
from engine.hcl import escaped


class Kind(enum.Enum):
    """How an argument is typed in Terraform, as cdktf's HCL renderer needs to know it.

    The value is the `(type, storageClassType)` pair cdktf 0.21's `renderAttributes`
    dispatches on: without it, a string such as ``"30"`` is guessed to be a number and
    written unquoted.
    """

    STRING = ("simple", "string")
    NUMBER = ("simple", "number")
    BOOLEAN = ("simple", "boolean")
    STRING_LIST = ("list", "stringList")
    STRING_MAP = ("map", "stringMap")


@dataclasses.dataclass(frozen=True)
class BlockKind:
    """A nested block: `repeated` blocks take a sequence, others a single value."""

    block_type: type[Block]
    repeated: bool


Schema = Mapping[str, "Kind | BlockKind"]


@dataclasses.dataclass(frozen=True)
class ProviderInfo:
    """A provider as `required_providers` names it."""

    name: str  # the local name, e.g. `oci`, `google-beta`
    source: str  # e.g. `oracle/oci`
    version: str  # the version constraint written to `required_providers`

    @property
    def metadata(self) -> cdk.TerraformProviderGeneratorMetadata:
        # cdktf's ValidateProviderPresence reads `providerName`: synth then fails with a
        # clear message when a stack uses a type without its provider.
        return cdk.TerraformProviderGeneratorMetadata(provider_name=self.name, provider_version_constraint=self.version)


def checked(owner: str, schema: Schema, values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of `schema` found in `values` and not None, checked; lists become
    tuples and dicts copies, so later changes to the caller's values never leak into
    the synthesized configuration. `values` may hold other names (a constructor's
    `locals()`): they are ignored."""
    arguments: dict[str, Any] = {}
    for name, kind in schema.items():
        value = values.get(name)
        if value is None:
            continue
        where = f"{owner}.{name}"
        if isinstance(kind, BlockKind):
            arguments[name] = _check_block(where, kind, value)
        elif kind is Kind.STRING_LIST:
            # A str is a Sequence[str] too: "Allow ..." would become one-letter statements.
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise TypeError(f"{where} must be a list of strings, got {value!r}")
            arguments[name] = tuple(value)
        elif kind is Kind.STRING_MAP:
            if not isinstance(value, Mapping):
                raise TypeError(f"{where} must be a mapping of strings, got {value!r}")
            arguments[name] = dict(value)
        else:
            arguments[name] = value
    return arguments


def _check_block(where: str, kind: BlockKind, value: Any) -> Any:
    expected = kind.block_type.__name__
    if not kind.repeated:
        if not isinstance(value, kind.block_type):
            raise TypeError(f"{where} must be {expected}, got {type(value).__name__}")
        return value
    if isinstance(value, (str, Mapping, Block)) or not isinstance(value, Sequence):
        raise TypeError(f"{where} must be a list of {expected}, got {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, kind.block_type):
            raise TypeError(f"{where}[{index}] must be {expected}, got {type(item).__name__}")
    return tuple(value)


def to_json(schema: Schema, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments as Terraform JSON (`cdk.tf.json`) wants them."""
    rendered: dict[str, Any] = {}
    for name, value in arguments.items():
        kind = schema[name]
        if isinstance(kind, BlockKind):
            if kind.repeated:
                # An empty list of blocks means "no blocks"; HCL cannot write it at all,
                # so both outputs leave it out to say the same thing.
                if value:
                    rendered[name] = [block.to_json() for block in value]
            else:
                rendered[name] = value.to_json()
        elif kind is Kind.STRING_LIST:
            rendered[name] = list(value)
        elif kind is Kind.STRING_MAP:
            rendered[name] = dict(value)
        else:
            rendered[name] = value
    return rendered


def to_hcl(schema: Schema, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments in the typed form cdktf 0.21 renders to `cdk.tf`.

    Each argument becomes ``{"value", "isBlock", "type", "storageClassType"}``, the
    shape cdktf's generated bindings build with `stringToHclTerraform` and
    `listMapperHcl` (not exported to Python). A nested block's value is the list of its
    own blocks in that same form; cdktf writes one `name { ... }` per element.
    """
    rendered: dict[str, Any] = {}
    for name, value in arguments.items():
        kind = schema[name]
        if isinstance(kind, BlockKind):
            blocks = list(value) if kind.repeated else [value]
            if blocks:
                rendered[name] = {
                    "value": [block.to_hcl() for block in blocks],
                    "isBlock": True,
                    "type": "list",
                    "storageClassType": f"{kind.block_type.__name__}List",
                }
            continue
        hcl_type, storage_class_type = kind.value
        if kind is Kind.STRING:
            hcl_value: Any = _hcl_string(value)
        elif kind is Kind.STRING_LIST:
            hcl_value = [_hcl_string(item) for item in value]
        elif kind is Kind.STRING_MAP:
            hcl_value = {key: _hcl_string(item) for key, item in value.items()}
        else:
            hcl_value = value
        rendered[name] = {
            "value": hcl_value,
            "isBlock": False,
            "type": hcl_type,
            "storageClassType": storage_class_type,
        }
    return rendered


def _hcl_string(value: Any) -> Any:
    """A string escaped for cdktf's HCL writer (engine.hcl.escaped); other values as they are."""
    return escaped(value) if isinstance(value, str) else value


class Block:
    """Base of the nested-block dataclasses: checks its fields, renders those that are set."""

    SCHEMA: ClassVar[Schema]

    def __post_init__(self) -> None:
        for name, value in checked(type(self).__name__, self.SCHEMA, vars(self)).items():
            # Frozen dataclass: the documented way to normalize a field after __init__.
            object.__setattr__(self, name, value)

    def _arguments(self) -> dict[str, Any]:
        return {name: value for name in self.SCHEMA if (value := getattr(self, name)) is not None}

    def to_json(self) -> dict[str, Any]:
        return to_json(self.SCHEMA, self._arguments())

    def to_hcl(self) -> dict[str, Any]:
        return to_hcl(self.SCHEMA, self._arguments())


class _Synthesized:
    """Feeds a construct's checked arguments to cdktf on both synth paths."""

    SCHEMA: ClassVar[Schema]
    _arguments: dict[str, Any]

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return to_json(self.SCHEMA, self._arguments)

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        return to_hcl(self.SCHEMA, self._arguments)


class Provider(_Synthesized, cdk.TerraformProvider):
    """A provider block, plus its `required_providers` entry. `alias` names a second
    configuration of the same provider (give it to resources as ``provider=``)."""

    INFO: ClassVar[ProviderInfo]

    def __init__(self, scope: Construct, id_: str, values: Mapping[str, Any]) -> None:
        arguments = checked(type(self).__name__, self.SCHEMA, values)
        # Set before the jsii object exists, so the `alias` override can answer whenever
        # cdktf first asks.
        self._alias: str | None = values.get("alias")
        super().__init__(
            scope,
            id_,
            terraform_resource_type=self.INFO.name,
            terraform_generator_metadata=self.INFO.metadata,
            terraform_provider_source=self.INFO.source,
        )
        self._arguments = arguments

    # The base class's alias is a stub that always answers None; cdktf reads this
    # override for the provider's `fqn` ("oci.<alias>") and the `alias` argument.
    @property
    def alias(self) -> str | None:
        """The alias given at construction, or None for the default configuration."""
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        raise AttributeError(f"{type(self).__name__}.alias is set once, at construction")


class Meta(TypedDict, total=False):
    """Terraform's meta-arguments, accepted by every resource and data source."""

    depends_on: Sequence[cdk.ITerraformDependable] | None
    lifecycle: cdk.TerraformResourceLifecycle | None
    provider: cdk.TerraformProvider | None
    count: int | float | cdk.TerraformCount | None
    for_each: cdk.ITerraformIterator | None


class _Registered(_Synthesized):
    """What a resource and a data source share: one jsii call registers the element and its
    meta-arguments, after its arguments were checked (a rejected argument must not leave a
    half-built element behind in the stack)."""

    TYPE: ClassVar[str]
    INFO: ClassVar[ProviderInfo]

    def __init__(self, scope: Construct, id_: str, values: Mapping[str, Any], meta: Meta) -> None:
        arguments = checked(type(self).__name__, self.SCHEMA, values)
        super().__init__(
            scope, id_, terraform_resource_type=self.TYPE, terraform_generator_metadata=self.INFO.metadata, **meta
        )  # type: ignore[misc,call-arg]  # the next class in the MRO is cdktf's
        self._arguments = arguments


class Resource(_Registered, cdk.TerraformResource):
    """A resource."""


class DataSource(_Registered, cdk.TerraformDataSource):
    """A data source."""


T = TypeVar("T")
_Element = cdk.TerraformResource | cdk.TerraformDataSource


class Attribute(Generic[T]):
    """A typed read-only attribute: reading it on a resource gives a token that
    synthesizes to the Terraform reference `${type.name.attribute}`."""

    def __init__(self, name: str, read: Callable[[_Element, str], T]) -> None:
        self._name = name
        self._read = read

    @overload
    def __get__(self, instance: None, owner: type) -> Attribute[T]: ...
    @overload
    def __get__(self, instance: _Element, owner: type) -> T: ...
    def __get__(self, instance: _Element | None, owner: type) -> Attribute[T] | T:
        return self if instance is None else self._read(instance, self._name)


def string(name: str) -> Attribute[str]:
    return Attribute(name, lambda element, attribute: element.get_string_attribute(attribute))


def number(name: str) -> Attribute[float]:
    return Attribute(name, lambda element, attribute: element.get_number_attribute(attribute))


def boolean(name: str) -> Attribute[cdk.IResolvable]:
    return Attribute(name, lambda element, attribute: element.get_boolean_attribute(attribute))


def string_list(name: str) -> Attribute[list[str]]:
    return Attribute(name, lambda element, attribute: element.get_list_attribute(attribute))


def string_map(name: str) -> Attribute[Mapping[str, str]]:
    return Attribute(name, lambda element, attribute: element.get_string_map_attribute(attribute))


def complex_(name: str) -> Attribute[cdk.IResolvable]:
    """A list, map or object: index into it with `cdk.Fn` or a reference string."""
    return Attribute(name, lambda element, attribute: element.interpolation_for_attribute(attribute))
