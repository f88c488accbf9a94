"""The Terraform addresses of the stacks the suite plans and applies, read from their reviewed
snapshots (tests/snapshots/<config>/<stack>.json): the one place addresses are pinned.

Addresses are a contract: renaming one destroys and recreates what it names (a bucket of
models). test_snapshots.py fails on any change to a stack, its addresses first among them; a
change that moves one is recorded with `make snapshots`, reviewed like a plan, and ships a
`moved` block (docs/operations.md: "Terraform addresses are a contract"). What the Terraform tests expect a
plan to create, import and read comes from here, never from the stacks being tested.
"""

from __future__ import annotations

from tools.snapshots import recorded

PINNED: dict[str, dict[str, list[str]]] = {
    config: {
        stack: sorted(
            [f"{kind}.{name}" for kind, named in body.get("resource", {}).items() for name in named]
            + [f"data.{kind}.{name}" for kind, named in body.get("data", {}).items() for name in named]
        )
        for stack, body in (recorded(config) or {}).items()
    }
    for config in ("example", "full")
}
"""Config -> stack -> its addresses, resources and data sources, as reviewed."""

STACKS = {config: tuple(sorted(stacks)) for config, stacks in PINNED.items()}
"""The stacks each config describes, sorted: a lost or extra stack fails."""


def resources(config: str, stack: str) -> set[str]:
    return {address for address in PINNED[config][stack] if not address.startswith("data.")}


def data_sources(config: str, stack: str) -> set[str]:
    return {address for address in PINNED[config][stack] if address.startswith("data.")}
