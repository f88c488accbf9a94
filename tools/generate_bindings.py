"""Write the typed binding modules of bindings/ from the provider facts in facts/.

    python tools/generate_bindings.py           # rewrite bindings/oci.py, bindings/google_beta.py
    python tools/generate_bindings.py --check   # exit 1 if a checked-in module differs

Each module gets, per Terraform type named in BINDINGS: a class named as `cdktf get`
names it (`ObjectstorageBucket`, `DataOciObjectstorageNamespace`, `OciProvider`), a
keyword argument per provider argument (required ones required), a frozen dataclass
per nested block, and a typed getter per attribute. What the classes do is in
bindings/_runtime.py; this file only writes them. Adding a type is one line below.

Standard library only, and no import of the app: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
BINDINGS_DIR = ROOT / "bindings"


@dataclass(frozen=True)
class Binding:
    """One generated module: a provider's facts file and the types taken from it."""

    module: str
    facts: str
    name: str  # the provider's local name
    source: str
    version: str  # written to required_providers
    types: tuple[str, ...]
    # Provider arguments never offered: secrets would land in clear in cdk.tf.json.
    omit: frozenset[str] = frozenset()
    # Where a provider has hundreds of arguments, the ones offered (None: all).
    provider_arguments: tuple[str, ...] | None = None
    about: str = ""


BINDINGS = (
    Binding(
        module="oci",
        facts="oci-provider-7.19.0-facts.json",
        name="oci",
        source="oracle/oci",
        version="7.19.0",
        types=(
            "provider.oci",
            "oci_objectstorage_bucket",
            "oci_objectstorage_object_lifecycle_policy",
            "oci_identity_policy",
            "oci_logging_log_group",
            "oci_logging_log",
            "oci_objectstorage_replication_policy",
            "data.oci_objectstorage_namespace",
            "data.oci_identity_region_subscriptions",
        ),
        omit=frozenset({"private_key", "private_key_password", "test_time_maintenance_reboot_due"}),
        about="There is no official prebuilt OCI binding; the community one is a 246 MB assembly (~22 s to import).",
    ),
    Binding(
        module="google_beta",
        facts="google-beta-provider-6.50.0-facts.json",
        name="google-beta",
        source="hashicorp/google-beta",
        version="6.50.0",
        types=("provider.google-beta", "google_project_service_identity"),
        # What the stack sets; the rest of its ~190 arguments are google's, unused here.
        provider_arguments=("project", "region"),
        about="For the one resource only google-beta has; its prebuilt binding takes 8-13 s to import.",
    ),
    Binding(
        module="time",
        facts="time-provider-0.13.1-facts.json",
        name="time",
        source="hashicorp/time",
        version="0.13.1",
        types=("provider.time", "time_sleep"),
        about="For the waits where a cloud is eventually consistent (time_sleep).",
    ),
)

# Argument names that become getters under another name: cdktf's own members.
_BASE_MEMBERS = frozenset(
    {
        "connection",
        "count",
        "depends_on",
        "for_each",
        "lifecycle",
        "provider",
        "provisioners",
        "node",
        "fqn",
        "friendly_unique_id",
        "terraform_resource_type",
        "terraform_meta_arguments",
        "terraform_generator_metadata",
        "raw_overrides",
        "cdktf_stack",
    }
)
# `id` is set by Terraform (cdktf lets one pass it, which is never what a caller means);
# `timeouts`: the providers' defaults serve every type here.
_NEVER_ARGUMENTS = frozenset({"id", "timeouts"})
_PYTHON_TYPES = {
    "string": "str",
    "number": "float",
    "boolean": "bool",
    "union<boolean,resolvable>": "bool",
    "array<string>": "Sequence[str]",
    "map<string>": "Mapping[str, str]",
}
_KINDS = {
    "string": "Kind.STRING",
    "number": "Kind.NUMBER",
    "boolean": "Kind.BOOLEAN",
    "union<boolean,resolvable>": "Kind.BOOLEAN",
    "array<string>": "Kind.STRING_LIST",
    "map<string>": "Kind.STRING_MAP",
}
_GETTERS = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "union<boolean,resolvable>": "boolean",
    "array<string>": "string_list",
    "map<string>": "string_map",
    "complex": "complex_",
}


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


@dataclass
class _Writer:
    binding: Binding
    facts: Mapping[str, Any]
    lines: list[str] = field(default_factory=list)
    exported: list[str] = field(default_factory=list)

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def module(self) -> str:
        binding = self.binding
        for key in binding.types:
            if key not in self.facts:
                raise SystemExit(f"{binding.facts} has no {key!r}: extract it first (facts/README.md)")
            self.type_(key, self.facts[key])
        body = "\n".join(self.lines)
        exports = [f"    {json.dumps(name)}," for name in ["PROVIDER", *sorted(self.exported)]]
        self.lines = []
        self.emit(
            f'"""{binding.source} for cdktf: the types this app emits, typed.',
            "",
            f"Generated by tools/generate_bindings.py from facts/{binding.facts}; do not edit.",
            "To add a type, name it in BINDINGS there and run `make bindings`.",
            *([binding.about] if binding.about else []),
            "What every class does (argument checks, JSON and HCL, getters): bindings/_runtime.py.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            *_imports(body),
            "",
            f"PROVIDER = ProviderInfo(name={json.dumps(binding.name)}, source={json.dumps(binding.source)},"
            f" version={json.dumps(binding.version)})",
            '"""Written to `terraform.required_providers`."""',
            body,
            "",
            "",
            "__all__ = [",
            *exports,
            "]",
            "",
        )
        return "\n".join(self.lines)

    def type_(self, key: str, facts: Mapping[str, Any]) -> None:
        if key.startswith("provider."):
            class_name, base, label = (
                f"{camel(self.binding.name)}Provider",
                "Provider",
                f'provider "{self.binding.name}"',
            )
        elif key.startswith("data."):
            class_name, base, label = f"Data{camel(key[5:])}", "DataSource", f'data "{key[5:]}"'
        else:
            class_name, base, label = camel(key.split("_", 1)[1]), "Resource", f'resource "{key}"'
        arguments = self.arguments(key, facts["arguments"])
        for name, spec in arguments.items():
            if "block" in spec:
                self.block(f"{class_name}{camel(name)}", label, name, spec["block"])
        self.exported.append(class_name)
        self.emit(
            "",
            "",
            f"class {class_name}({base}):",
            f'    """`{label}` of {self.binding.source} {self.version()}."""',
            "",
        )
        if base != "Provider":
            self.emit(f"    TYPE = {json.dumps(key.split('.', 1)[-1])}")
        self.emit("    INFO = PROVIDER", *self.schema(class_name, arguments, indent="    "), "")
        parameters = [("alias", {"required": False, "type": "string"})] if base == "Provider" else []
        parameters += sorted(arguments.items(), key=lambda item: (not item[1]["required"], item[0]))
        self.emit("    def __init__(", "        self,", "        scope: Construct,", "        id_: str,", "        *,")
        for name, spec in parameters:
            self.emit(f"        {self.parameter(class_name, name, spec)},")
        if base == "Provider":
            self.emit("    ) -> None:", "        super().__init__(scope, id_, locals())")
            return
        self.emit(
            "        **meta: Unpack[Meta],",
            "    ) -> None:",
            "        super().__init__(scope, id_, locals(), meta)",
            "",
        )
        getters = {"id": {"type": "string"}, **arguments, **facts.get("computed", {})}
        for name, spec in sorted(getters.items()):
            getter = _GETTERS["complex" if "block" in spec else spec["type"]]
            attribute = f"{name}_attribute" if name in _BASE_MEMBERS or keyword.iskeyword(name) else name
            self.emit(f"    {attribute} = attribute.{getter}({json.dumps(name)})")

    def version(self) -> str:
        return self.binding.facts.rsplit("-", 2)[-2]

    def arguments(self, key: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        wanted = self.binding.provider_arguments if key.startswith("provider.") else None
        kept = {}
        for name, spec in arguments.items():
            if name in _NEVER_ARGUMENTS or name == "alias" or name in self.binding.omit:
                continue
            if wanted is not None and name not in wanted:
                continue
            if keyword.iskeyword(name) or name in ("self", "scope", "id_", "meta"):
                raise SystemExit(f"{key}.{name}: not usable as a keyword argument; teach the generator a rename")
            kept[name] = spec
        return kept

    def schema(self, class_name: str, arguments: Mapping[str, Any], *, indent: str) -> Iterator[str]:
        yield f"{indent}SCHEMA: ClassVar[Schema] = {{"
        for name, spec in sorted(arguments.items()):
            if "block" in spec:
                kind = f"BlockKind({class_name}{camel(name)}, repeated={bool(spec['list'])})"
            else:
                kind = self.lookup(_KINDS, spec["type"], f"{class_name}.{name}")
            yield f"{indent}    {json.dumps(name)}: {kind},"
        yield f"{indent}}}"

    def parameter(self, class_name: str, name: str, spec: Mapping[str, Any]) -> str:
        if "block" in spec:
            block = f"{class_name}{camel(name)}"
            python_type = f"Sequence[{block}]" if spec["list"] else block
        else:
            python_type = self.lookup(_PYTHON_TYPES, spec["type"], f"{class_name}.{name}")
        return f"{name}: {python_type}" if spec["required"] else f"{name}: {python_type} | None = None"

    def block(self, class_name: str, owner: str, path: str, arguments: Mapping[str, Any]) -> None:
        for name, spec in arguments.items():
            if "block" in spec:
                self.block(f"{class_name}{camel(name)}", owner, f"{path}.{name}", spec["block"])
        self.exported.append(class_name)
        self.emit(
            "",
            "",
            "@dataclasses.dataclass(frozen=True, kw_only=True)",
            f"class {class_name}(Block):",
            f'    """The `{path}` block of `{owner}`."""',
            "",
            *self.schema(class_name, arguments, indent="    "),
            "",
        )
        for name, spec in sorted(arguments.items(), key=lambda item: (not item[1]["required"], item[0])):
            self.emit(f"    {self.parameter(class_name, name, spec)}")

    @staticmethod
    def lookup(table: Mapping[str, str], facts_type: str, where: str) -> str:
        if facts_type not in table:
            raise SystemExit(f"{where}: facts type {facts_type!r} has no Python mapping; add one to the generator")
        return table[facts_type]


_RUNTIME_NAMES = ("Block", "BlockKind", "DataSource", "Kind", "Meta", "Provider", "ProviderInfo", "Resource", "Schema")


def _imports(body: str) -> list[str]:
    """The import lines of a module whose classes are `body`: only what it uses."""

    def used(*names: str) -> list[str]:
        return [name for name in names if re.search(rf"\b{name}\b", body)]

    abc, typing = used("Mapping", "Sequence"), used("ClassVar", "Unpack")
    runtime = sorted({*used(*_RUNTIME_NAMES), "ProviderInfo"})
    return [
        *(["import dataclasses"] if used("dataclasses") else []),
        *([f"from collections.abc import {', '.join(abc)}"] if abc else []),
        *([f"from typing import {', '.join(typing)}"] if typing else []),
        "",
        *(["from bindings import _runtime as attribute"] if used("attribute") else []),
        f"from bindings._runtime import {', '.join(runtime)}",
        "from constructs import Construct",
    ]


def render(binding: Binding) -> str:
    facts = json.loads((FACTS / binding.facts).read_text())
    return _Writer(binding, facts).module()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in modules, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for binding in BINDINGS:
        path = BINDINGS_DIR / f"{binding.module}.py"
        text = render(binding)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text)
    if stale:
        print(f"stale: {', '.join(stale)}; run python tools/generate_bindings.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
