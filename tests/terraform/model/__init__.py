"""Models of the clouds' apply-time rules, served by the stand-in providers (see world.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .world import World

Error = tuple[str, str]
"""(summary, detail) of a refused request."""


@dataclass(frozen=True)
class Rule:
    """One rule of a cloud's model: what the cloud refuses, and the page that says so."""

    id: str
    rule: str
    source: str


class CloudModel(Protocol):
    def create(self, type_name: str, planned: dict[str, Any]) -> Error | None: ...
    def update(self, type_name: str, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None: ...
    def delete(self, type_name: str, prior: dict[str, Any]) -> Error | None: ...
    def read(self, type_name: str, config: dict[str, Any]) -> dict[str, Any] | Error: ...
    def imported(self, type_name: str, import_id: str) -> dict[str, Any] | Error | None: ...


def force_new(type_name: str) -> frozenset[str]:
    """The arguments of `type_name` whose change the real provider plans as a replacement
    (ForceNew): provider behaviour, so the stand-in's schema says it with a world or without."""
    if type_name.startswith("oci_"):
        from .oci import FORCE_NEW

        return FORCE_NEW.get(type_name, frozenset())
    if type_name == "time_sleep":
        # RequiresReplace (hashicorp/terraform-provider-time internal/provider/resource_time_sleep.go):
        # a changed trigger makes a new sleep, which waits again.
        return frozenset({"triggers"})
    return frozenset()


def model_for(source: str, provider_config: dict[str, Any]) -> CloudModel | None:
    """The model of the provider at `source`, when the environment names a world."""
    world = World.from_environment()
    if world is None:
        return None
    if source.endswith("/oracle/oci"):
        from .oci import OciModel

        return OciModel(world, provider_config)
    if source.endswith(("/hashicorp/google", "/hashicorp/google-beta")):
        from .gcp import GcpModel

        return GcpModel(world, provider_config)
    return None
