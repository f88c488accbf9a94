"""A stand-in Terraform provider whose schema comes from a facts file.

Terraform launches this module (through the launcher scripts that ``harness.py``
generates) in place of ``hashicorp/google`` or ``oracle/oci``.  Every resource,
data source and the provider block get the arguments and computed attributes
listed in ``schemas/*-facts.json``, so ``terraform validate`` rejects what the
real provider would reject (unknown arguments, wrong types, missing required
arguments, references to attributes that do not exist), while ``plan``,
``apply`` and ``destroy`` succeed with no network.

Run as ``python standin_provider.py SOURCE FACTS_JSON``, e.g.
``python standin_provider.py registry.terraform.io/hashicorp/google schemas/google-provider-6.50.0-facts.json``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tf.gen import tfplugin_pb2 as pb
from tf.iface import (
    Config,
    CreateContext,
    DataSource,
    DeleteContext,
    ImportContext,
    PlanContext,
    Provider,
    ReadContext,
    ReadDataContext,
    Resource,
    State,
    UpdateContext,
    UpgradeContext,
)
from tf.schema import Attribute, Block, NestedBlock, NestMode, Schema
from tf.types import Bool, List, Map, Number, String, TfType, Unknown
from tf.utils import Diagnostics, _to_attribute_path

try:  # run by Terraform as a script (tests/terraform on sys.path), or imported by the suite
    from model import CloudModel, blocks_kept_when_removed, force_new, force_new_blocks, kept_when_removed, model_for
    from model.suppress import planned as suppressed
    from model.suppress import policy_hash
except ImportError:
    from tests.terraform.model import (
        CloudModel,
        blocks_kept_when_removed,
        force_new,
        force_new_blocks,
        kept_when_removed,
        model_for,
    )
    from tests.terraform.model.suppress import planned as suppressed
    from tests.terraform.model.suppress import policy_hash

# A timestamp that is obviously fake but parses as RFC 3339, for `*time*` attributes.
PLACEHOLDER_TIME = "2025-01-01T00:00:00Z"
# What `data.google_project.*.number` returns: a digit string, as the real one.
PLACEHOLDER_PROJECT_NUMBER = "123456789012"
# What `data.oci_objectstorage_namespace.*.namespace` returns.
PLACEHOLDER_OCI_NAMESPACE = "standinnamespace"


# ----------------------------------------------------------------------------
# Types
# ----------------------------------------------------------------------------


def _cty_type_of(value: Any) -> Any:
    """The cty type (in its JSON form) of a plain Python value."""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return ["object", {k: _cty_type_of(v) for k, v in value.items()}]
    if isinstance(value, list):
        return ["tuple", [_cty_type_of(v) for v in value]]
    raise TypeError(f"no cty type for {value!r}")


class Dynamic(TfType):  # type: ignore[misc]  # tf ships no type hints
    """Terraform's ``dynamic`` pseudo-type, for the facts' ``complex`` attributes.

    The facts only say "a list, map or object", so a concrete type would be a
    guess; ``dynamic`` lets configuration index into the value (``x.labels["a"]``,
    ``x.regions[0].name``) and Terraform checks the access against the value
    the provider returns.  On the msgpack wire a known dynamic value travels as
    ``[type JSON bytes, value]``; in the JSON state Terraform hands back to
    ``UpgradeResourceState`` it is ``{"value": ..., "type": ...}``.
    """

    def encode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return [json.dumps(_cty_type_of(value), separators=(",", ":")).encode(), value]

    def decode(self, value: Any) -> Any:
        if isinstance(value, list) and len(value) == 2 and isinstance(value[0], bytes):
            return value[1]
        return value

    def tf_type(self) -> bytes:
        return b'"dynamic"'


def dynamic_from_state_json(value: Any) -> Any:
    """Turn a dynamic value from Terraform's JSON state into its wire form."""
    if isinstance(value, dict) and set(value) == {"value", "type"}:
        return [json.dumps(value["type"], separators=(",", ":")).encode(), value["value"]]
    return value


_SCALAR_TYPES: dict[str, Callable[[], TfType]] = {
    "string": String,
    "number": Number,
    "boolean": Bool,
    # cdktf's spelling for "a bool, or a token resolving to one"
    "union<boolean,resolvable>": Bool,
    "array<string>": lambda: List(String()),
    "map<string>": lambda: Map(String()),
}


# The 8.7.0 facts come from CDK Terrain's binding, which spells jsii's types its own way.
_SPELLINGS = {"union<boolean,cdktn.IResolvable>": "union<boolean,resolvable>", "cdktn.StringMap": "map<string>", "cdktn.IResolvable": "complex"}


def canonical_type(facts_type: str) -> str:
    return _SPELLINGS.get(facts_type, facts_type)


def tf_type_for(facts_type: str) -> TfType:
    try:
        return _SCALAR_TYPES[canonical_type(facts_type)]()
    except KeyError:
        # Failing here beats silently widening an argument nobody has seen yet.
        raise ValueError(f"facts type {facts_type!r} has no stand-in mapping") from None


class ListBlock(NestedBlock):  # type: ignore[misc]  # tf ships no type hints
    """A nested block in LIST nesting mode (``tf`` itself offers SET and SINGLE only).

    The real providers are SDKv2 providers, where a block that appears at most
    once is a list with ``max_items = 1``; keeping that shape means references
    such as ``x.docker_config[0].immutable_tags`` behave as they do for real.
    """

    def __init__(self, type_name: str, block: Block, min_items: int | None, max_items: int | None):
        super().__init__(type_name, NestMode.Set, block, min_items=min_items, max_items=max_items)

    def to_pb(self) -> pb.Schema.NestedBlock:
        message = super().to_pb()
        message.nesting = pb.Schema.NestedBlock.NestingMode.LIST
        return message

    # Block contents are plain attributes (no dynamic values), so msgpack's own
    # decoding already is the Python representation.
    def encode(self, value: Any) -> Any:
        # Terraform refuses a planned null for a block list ("must be empty to
        # indicate no blocks, not null"). Terraform 1.11 and 1.15 send `[]`
        # for absent blocks, so this only guards against a null slipping in.
        return [] if value is None else value

    def decode(self, value: Any) -> Any:
        return value

    def semantically_equal(self, a_decoded: Any, b_decoded: Any) -> bool:
        # `tf` re-sends the old encoded value when this says "equal"; a null
        # must never be re-sent in place of an empty list (see `encode`).
        return a_decoded is not None and b_decoded is not None and a_decoded == b_decoded


# ----------------------------------------------------------------------------
# Facts -> schema
# ----------------------------------------------------------------------------

# Meta-arguments Terraform handles itself; a provider schema must not claim them.
_PROVIDER_META_ARGUMENTS = frozenset({"alias", "version"})


def _block_from_facts(arguments: Mapping[str, Any]) -> Block:
    attributes: list[Attribute] = []
    blocks: list[NestedBlock] = []
    for name, spec in sorted(arguments.items()):
        if "block" in spec:
            blocks.append(
                ListBlock(
                    name,
                    _block_from_facts(spec["block"]),
                    min_items=1 if spec["required"] else None,
                    max_items=None if spec["list"] else 1,
                )
            )
        else:
            required = bool(spec["required"])
            attributes.append(Attribute(name, tf_type_for(spec["type"]), required=required, optional=not required))
    return Block(attributes=attributes, block_types=blocks)


@dataclass(frozen=True)
class TypeSpec:
    """One resource or data source type, with its schema built from the facts."""

    type_name: str
    schema: Schema
    kept: frozenset[str] = frozenset()  # Optional+Computed arguments: null until the cloud says
    kept_blocks: frozenset[str] = frozenset()  # Optional+Computed blocks: removed, the prior block stays

    @property
    def attributes(self) -> dict[str, Attribute]:
        return {a.name: a for a in self.schema.attributes}

    @property
    def computed(self) -> dict[str, Attribute]:
        return {a.name: a for a in self.schema.attributes if a.computed}


def type_spec_from_facts(type_name: str, facts: Mapping[str, Any]) -> TypeSpec:
    top = _block_from_facts(facts.get("arguments", {}))
    attributes = list(top.attributes)
    replaced = force_new(type_name)  # the schema facts don't say ForceNew; the behaviour facts do
    kept = kept_when_removed(type_name)
    for attribute in attributes:
        if attribute.name in replaced:
            attribute.requires_replace = True
        if attribute.name in kept and not attribute.required:
            # Optional+Computed: Terraform then proposes the prior value when the config has none.
            attribute.computed = True
        # Every resource and data source has an `id` the provider fills in; the
        # facts list it as an argument because cdktf lets one set it.
        if attribute.name == "id" and not attribute.required:
            attribute.computed = True
    known = {a.name for a in attributes} | {b.type_name for b in top.block_types}
    for name, spec in sorted(facts.get("computed", {}).items()):
        if name in known:
            continue
        attr_type: TfType = Dynamic() if canonical_type(spec["type"]) == "complex" else tf_type_for(spec["type"])
        attributes.append(Attribute(name, attr_type, computed=True))
    # No schema version: `tf` then routes every stored state through
    # `upgrade`, the one hook where dynamic values from the JSON state can be
    # converted back to their wire form.
    kept = frozenset(a.name for a in attributes if a.name in kept and not a.required)
    kept_blocks = blocks_kept_when_removed(type_name) & {b.type_name for b in top.block_types}
    return TypeSpec(type_name, Schema(attributes=attributes, block_types=top.block_types), kept, kept_blocks)


@dataclass(frozen=True)
class ProviderFacts:
    source: str  # e.g. registry.terraform.io/hashicorp/google
    local_name: str  # e.g. google
    provider_schema: Schema
    resources: dict[str, TypeSpec]
    data_sources: dict[str, TypeSpec]


def load_facts(source: str, facts_path: Path) -> ProviderFacts:
    facts = json.loads(facts_path.read_text())
    local_name = source.rsplit("/", 1)[-1]
    provider_key = f"provider.{local_name}"
    if provider_key not in facts:
        raise ValueError(f"{facts_path} has no {provider_key!r} entry")
    provider_arguments = {
        k: v for k, v in facts[provider_key]["arguments"].items() if k not in _PROVIDER_META_ARGUMENTS
    }
    provider_block = _block_from_facts(provider_arguments)
    resources: dict[str, TypeSpec] = {}
    data_sources: dict[str, TypeSpec] = {}
    for key, entry in facts.items():
        if key.startswith("provider."):
            continue
        if key.startswith("data."):
            name = key[len("data.") :]
            data_sources[name] = type_spec_from_facts(name, entry)
        else:
            resources[key] = type_spec_from_facts(key, entry)
    return ProviderFacts(
        source=source,
        local_name=local_name,
        provider_schema=Schema(attributes=provider_block.attributes, block_types=provider_block.block_types),
        resources=resources,
        data_sources=data_sources,
    )


# ----------------------------------------------------------------------------
# Placeholder values
# ----------------------------------------------------------------------------


def _digest(value: Any) -> str:
    """A short stable digest of the known parts of a state, for ids."""

    def known(v: Any) -> Any:
        if v is Unknown:
            return None
        if isinstance(v, dict):
            return {k: known(x) for k, x in v.items()}
        if isinstance(v, list):
            return [known(x) for x in v]
        if isinstance(v, bytes):
            return v.decode()
        return v

    return hashlib.sha256(json.dumps(known(value), sort_keys=True).encode()).hexdigest()[:16]


def _iam_policy_data(state: State) -> str:
    """Render `data.google_iam_policy` as the real provider does: a JSON policy document."""
    bindings = []
    for binding in state.get("binding") or []:
        rendered: dict[str, Any] = {"members": sorted(binding.get("members") or []), "role": binding["role"]}
        for condition in (binding.get("condition") or [])[:1]:
            rendered["condition"] = {k: v for k, v in condition.items() if v is not None}
        bindings.append(rendered)
    document: dict[str, Any] = {}
    if bindings:
        document["bindings"] = sorted(bindings, key=lambda b: (b["role"], json.dumps(b, sort_keys=True)))
    audit_configs = []
    for audit in state.get("audit_config") or []:
        configs = []
        for log_config in audit.get("audit_log_configs") or []:
            rendered_log: dict[str, Any] = {"logType": log_config["log_type"]}
            if log_config.get("exempted_members"):
                rendered_log["exemptedMembers"] = sorted(log_config["exempted_members"])
            configs.append(rendered_log)
        audit_configs.append({"auditLogConfigs": configs, "service": audit["service"]})
    if audit_configs:
        document["auditConfigs"] = audit_configs
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


PlaceholderFn = Callable[[State, Config], Any]


def _repository_name(state: State, provider: Config) -> str:
    return "projects/{}/locations/{}/repositories/{}".format(
        state.get("project") or provider.get("project") or "standin",
        state.get("location") or provider.get("region") or "us-central1",
        state.get("repository_id"),
    )


# Values other configuration feeds on, or that tests and outputs show: shaped
# like the real provider's (ids follow the import ID formats).
_PLACEHOLDERS: dict[tuple[str, str], PlaceholderFn] = {
    ("google_project", "number"): lambda state, provider: PLACEHOLDER_PROJECT_NUMBER,
    ("google_project", "name"): lambda state, provider: state.get("project_id") or provider.get("project") or "standin",
    ("google_iam_policy", "policy_data"): lambda state, provider: _iam_policy_data(state),
    ("google_artifact_registry_repository", "name"): _repository_name,
    ("google_artifact_registry_repository", "id"): _repository_name,
    ("oci_objectstorage_namespace", "namespace"): lambda state, provider: PLACEHOLDER_OCI_NAMESPACE,
    # hashicorp/time: the RFC 3339 time the sleep ended.
    ("time_sleep", "id"): lambda state, provider: PLACEHOLDER_TIME,
    ("oci_objectstorage_bucket", "id"): lambda state, provider: f"n/{state.get('namespace')}/b/{state.get('name')}",
    ("oci_objectstorage_object_lifecycle_policy", "id"): (
        lambda state, provider: f"n/{state.get('namespace')}/b/{state.get('bucket')}/l"
    ),
}


def _read_back(type_name: str, state: State) -> State:
    """What the real provider's Read sets itself after a create or update. oracle/oci's policy
    (identity_policy_resource.go:387-389): policyHash, the md5 of the statements OCI returned, and
    both ETags alike: ignorePolicyFormatDiff reads them (model/suppress.py)."""
    if type_name == "oci_identity_policy" and isinstance(state.get("statements"), list):
        tag = _digest(state.get("statements"))
        return {**state, "policy_hash": policy_hash(state["statements"]), "e_tag": tag, "last_update_e_tag": tag}
    return state


def placeholder(type_name: str, attribute: Attribute, state: State, provider_config: Config) -> Any:
    """A known value for a computed attribute (Terraform refuses unknowns after apply)."""
    special = _PLACEHOLDERS.get((type_name, attribute.name))
    if special is not None:
        return special(state, provider_config)
    name = attribute.name
    if name == "id" or (type_name.startswith("oci_") and name.endswith("_id") and isinstance(attribute.type, String)):
        digest = _digest({k: v for k, v in state.items() if k != name})
        if type_name.startswith("oci_"):
            # OCIDs: ocid1.<resource kind>.oc1..<unique part>
            kind = (type_name if name == "id" else name[: -len("_id")]).rsplit("_", 1)[-1]
            return f"ocid1.{kind}.oc1..{digest}"
        return f"{type_name}/{digest}"
    if name in ("effective_labels", "terraform_labels"):
        # The google provider merges the provider's default_labels in.
        return {**(provider_config.get("default_labels") or {}), **(state.get("labels") or {})}
    if isinstance(attribute.type, Dynamic):
        if name.endswith(("labels", "tags")):
            return {}
        if name.startswith("is_") or name.endswith("_enabled") or name == "auto_create_network":
            return False
        return []
    if isinstance(attribute.type, Bool):
        return False
    if isinstance(attribute.type, Number):
        return 0
    if isinstance(attribute.type, List):
        return []
    if isinstance(attribute.type, Map):
        return {}
    if "time" in name or name.endswith("_date"):
        return PLACEHOLDER_TIME
    if name == "state":
        return "ACTIVE"
    return f"standin-{name}"


# ----------------------------------------------------------------------------
# Provider, resources, data sources
# ----------------------------------------------------------------------------


class StandInProvider(Provider):  # type: ignore[misc]  # tf ships no type hints
    def __init__(self, facts: ProviderFacts):
        self.facts = facts
        self.config: Config = {}
        self.model: CloudModel | None = None

    def get_model_prefix(self) -> str:
        # Type names already carry their prefix (`google_...`), see `get_name`.
        return ""

    def full_name(self) -> str:
        return self.facts.source

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return self.facts.provider_schema

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        pass

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        self.config = {k: v for k, v in (config or {}).items() if v is not None and v is not Unknown}
        # With a world (model/world.py) the stand-in also refuses what the cloud would refuse.
        self.model = model_for(self.facts.source, self.config)

    def get_resources(self) -> list[type[Resource]]:
        return [_resource_class(spec) for spec in self.facts.resources.values()]

    def get_data_sources(self) -> list[type[DataSource]]:
        return [_data_source_class(spec) for spec in self.facts.data_sources.values()]


def _fill_computed(spec: TypeSpec, state: State, provider_config: Config) -> State:
    filled = dict(state)
    for name, attribute in spec.attributes.items():
        if name in spec.kept:
            # Optional+Computed, left out of the config: what the cloud has (here: nothing).
            if filled.get(name) is Unknown:
                filled[name] = None
            continue
        if filled.get(name) is Unknown or (attribute.computed and filled.get(name) is None):
            filled[name] = placeholder(spec.type_name, attribute, filled, provider_config)
    return filled


class _FromSpec:
    """What a stand-in resource and data source share: a name and schema from the facts."""

    spec: TypeSpec

    def __init__(self, provider: StandInProvider):
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.spec.type_name

    @classmethod
    def get_schema(cls) -> Schema:
        return cls.spec.schema


class StandInResource(_FromSpec, Resource):  # type: ignore[misc]  # tf ships no type hints
    """Stores what Terraform planned; computed attributes get fixed placeholders."""

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        state = _read_back(self.spec.type_name, _fill_computed(self.spec, planned, self.provider.config))
        model = self.provider.model
        if model is None:
            return state
        if _refused(ctx, model.create(self.spec.type_name, _plain(state))):
            return None
        # The provider reads the object back: what the cloud set itself is in the state.
        return {**state, **model.written(self.spec.type_name, _plain(state))}

    def read(self, ctx: ReadContext, current: State) -> State | None:
        # A model behind a deploying identity (model/identity.py) checks the read's permission.
        refresh = getattr(self.provider.model, "refresh", None)
        if refresh is not None:
            _refused(ctx, refresh(self.spec.type_name, _plain(current)))
        return current

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        state = _read_back(self.spec.type_name, _fill_computed(self.spec, planned, self.provider.config))
        model = self.provider.model
        if model is None:
            return state
        if _refused(ctx, model.update(self.spec.type_name, _plain(current), _plain(state))):
            return current
        return {**state, **model.written(self.spec.type_name, _plain(state))}

    def delete(self, ctx: DeleteContext, current: State) -> None:
        model = self.provider.model
        if model is not None:
            _refused(ctx, model.delete(self.spec.type_name, _plain(current)))
        return None

    def plan(self, ctx: PlanContext, current: State | None, planned: State) -> State | None:
        # Terraform's proposed state already carries prior computed values, so an unchanged
        # configuration plans as "no changes"; an Optional+Computed block the config no longer
        # has plans the prior one, as the SDK does (Terraform takes it from a legacy SDK provider:
        # `_legacy_type_system`); a difference the provider's DiffSuppressFunc ignores plans the
        # prior value (`change-diff-suppress`); a ForceNew block that still differs replaces the
        # resource (`change-force-new`).
        if current is None:
            return planned
        for name in self.spec.kept_blocks:
            if current.get(name) and not planned.get(name):
                planned[name] = current[name]
        result = suppressed(self.spec.type_name, current, planned, self.provider.config, unknown=Unknown)
        _REPLACING_BLOCKS.names = [
            block
            for block, ignored in force_new_blocks(self.spec.type_name).items()
            if _without(current.get(block), ignored) != _without(result.get(block), ignored)
        ]
        return result

    def import_(self, ctx: ImportContext, id: str) -> State | None:
        # For `import` blocks (config `adopt: true`): an existing object known only by
        # its import ID. Terraform then plans the configuration against it (an update).
        state: State = dict.fromkeys(self.spec.attributes)
        state.update({block.type_name: [] for block in self.spec.schema.block_types})
        model = self.provider.model
        existing = model.imported(self.spec.type_name, id) if model is not None else None
        if isinstance(existing, tuple):
            _refused(ctx, existing)
            return None
        state.update({k: v for k, v in (existing or {}).items() if k in state})
        state["id"] = id
        # The object the cloud has: its computed attributes are known, as after a read.
        return _fill_computed(self.spec, state, self.provider.config)

    def upgrade(self, ctx: UpgradeContext, version: int, old: State) -> State | None:
        # State written by another version of the provider (google 6.50.0 state read by the
        # 8.7.0 stand-in): attributes it lacks start null and blocks empty, as an SDKv2
        # provider upgrades them; attributes the schema no longer has are dropped.
        upgraded = dict.fromkeys(self.spec.attributes)
        upgraded.update({block.type_name: [] for block in self.spec.schema.block_types})
        upgraded.update({k: v for k, v in copy.deepcopy(old).items() if k in upgraded})
        for name, attribute in self.spec.computed.items():
            if isinstance(attribute.type, Dynamic):
                upgraded[name] = dynamic_from_state_json(upgraded[name])
            elif isinstance(upgraded[name], dict) and set(upgraded[name]) == {"value", "type"}:
                upgraded[name] = upgraded[name]["value"]  # dynamic in the old schema, typed in this one
        return upgraded


class StandInDataSource(_FromSpec, DataSource):  # type: ignore[misc]  # tf ships no type hints
    """Echoes its configuration, with known values for every computed attribute."""

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        model = self.provider.model
        answer = model.read(self.spec.type_name, _plain(config)) if model is not None else {}
        if isinstance(answer, tuple):
            _refused(ctx, answer)
            return None
        state = _fill_computed(self.spec, {**config, **answer}, self.provider.config)
        # `tf` sends a data source's state as is, so encode here what needs it.
        encoded = {}
        for name, value in state.items():
            attribute = self.spec.attributes.get(name)
            encoded[name] = attribute.type.encode(value) if attribute is not None else value
        return encoded


def _refused(ctx: Any, error: tuple[str, str] | None) -> bool:
    """Report the model's refusal as Terraform shows a provider's: an error diagnostic."""
    if error is None:
        return False
    ctx.diagnostics.add_error(*error)
    return True


def _plain(state: State) -> dict[str, Any]:
    """A state as the model reads it: unknown values as None."""

    def plain(value: Any) -> Any:
        if value is Unknown:
            return None
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return {k: plain(v) for k, v in state.items()}


def _resource_class(spec: TypeSpec) -> type[Resource]:
    return type(f"Resource_{spec.type_name}", (StandInResource,), {"spec": spec})


def _data_source_class(spec: TypeSpec) -> type[DataSource]:
    return type(f"DataSource_{spec.type_name}", (StandInDataSource,), {"spec": spec})


def _cached_certificate(make: Callable[[], tuple[bytes, Any]]) -> Callable[[], tuple[bytes, Any]]:
    """`tf` makes its TLS certificate once and keeps it in $HOME/.cache, but reads it back through
    `cryptography` at every start: 60-100 ms of the ~400 ms of CPU a stand-in takes to start, and
    Terraform starts several per command. This reads tf's cache straight into grpc, and lets tf
    make (or remake) it when there is none or it does not parse. The harness gives the
    stand-ins a home of their own per toolchain, so the certificate (valid 7 days) never
    expires under a run."""

    def certificate() -> tuple[bytes, Any]:
        import grpc

        try:
            cached = json.loads((Path.home() / ".cache" / "tf-python-provider" / "ssl_cert.json").read_text())
            pair = (cached["key_pem"].encode(), cached["cert_pem"].encode())
            chain = base64.b64decode(cached["cert_chain"])
        except (OSError, ValueError, KeyError, TypeError):
            return make()
        return chain, grpc.ssl_server_credentials(private_key_certificate_chain_pairs=[pair], require_client_auth=False)

    return certificate


_REPLACING_BLOCKS = threading.local()
"""The ForceNew blocks of the resource being planned that changed: the `tf` library asks only
attributes whether they replace, so PlanResourceChange is wrapped to add these (main)."""


def _without(value: Any, ignored: frozenset[str], prefix: str = "") -> Any:
    """A block's value without the paths in `ignored` (dotted, below the block)."""
    if isinstance(value, list):
        return [_without(item, ignored, prefix) for item in value]
    if isinstance(value, dict):
        return {k: _without(v, ignored, f"{prefix}{k}.") for k, v in value.items() if f"{prefix}{k}" not in ignored}
    return value


def _replacing_blocks_too(plan: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(servicer: Any, request: Any, context: Any) -> Any:
        _REPLACING_BLOCKS.names = []
        response = plan(servicer, request, context)
        for block in _REPLACING_BLOCKS.names:
            response.requires_replace.append(_to_attribute_path([block]))
        return response

    return wrapped


SDK_V2 = ("/hashicorp/google", "/hashicorp/google-beta", "/oracle/oci")
"""Providers on terraform-plugin-sdk v2, which answer plans and applies with `legacy_type_system`:
Terraform then only logs a planned value that differs from the configuration (a suppressed diff)
or an applied one that differs from the plan (what the cloud set itself, e.g. tag defaults).
hashicorp/time is on the plugin framework, which does not."""


def _legacy_type_system(servicer: type) -> None:
    for name in ("PlanResourceChange", "ApplyResourceChange"):
        method = getattr(servicer, name)

        def answered(self: Any, request: Any, context: Any, method: Any = method) -> Any:
            response = method(self, request, context)
            response.legacy_type_system = True
            return response

        setattr(servicer, name, answered)


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit("usage: standin_provider.py SOURCE FACTS_JSON")
    import tf.provider
    import tf.runner

    servicer = tf.provider.ProviderServicer
    servicer.PlanResourceChange = _replacing_blocks_too(servicer.PlanResourceChange)

    tf.runner._self_signed_cert = _cached_certificate(tf.runner._self_signed_cert)
    if argv[1].endswith(SDK_V2):
        _legacy_type_system(tf.provider.ProviderServicer)
    provider = StandInProvider(load_facts(argv[1], Path(argv[2])))
    tf.runner.run_provider(provider, argv[3:])


if __name__ == "__main__":
    main(sys.argv)
