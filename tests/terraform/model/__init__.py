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
    def written(self, type_name: str, state: dict[str, Any]) -> dict[str, Any]:
        """What a read right after an accepted create or update answers that the request did not
        say: values the cloud set itself (OCI's tag defaults). The provider reads back after every
        write, so they are in the state."""
        ...


def force_new(type_name: str) -> frozenset[str]:
    """The arguments of `type_name` whose change the real provider plans as a replacement
    (ForceNew, from facts/provider-behaviour.json): provider behaviour, so the stand-in's schema
    says it with a world or without."""
    from .behaviour import force_new as from_facts

    if type_name == "time_sleep":
        # RequiresReplace (hashicorp/terraform-provider-time internal/provider/resource_time_sleep.go):
        # a changed trigger makes a new sleep, which waits again.
        return frozenset({"triggers"})
    return from_facts(type_name)


def force_new_blocks(type_name: str) -> dict[str, frozenset[str]]:
    """The nested blocks of `type_name` whose change replaces it, each with the paths below it
    that do not (facts/provider-behaviour.json)."""
    from .behaviour import force_new_blocks as from_facts

    return from_facts(type_name)


def kept_when_removed(type_name: str) -> frozenset[str]:
    """The Optional+Computed arguments of `type_name` (facts/provider-behaviour.json): removed from
    the config, the real provider plans no change and the cloud keeps its value."""
    from .behaviour import kept_when_removed as from_facts

    return from_facts(type_name)


def blocks_kept_when_removed(type_name: str) -> frozenset[str]:
    """The Optional+Computed blocks of `type_name`: removed from the config, the real provider (an
    SDKv2 one) plans the prior block, and the cloud keeps it."""
    from .behaviour import blocks_kept_when_removed as from_facts

    return from_facts(type_name)


def model_for(source: str, provider_config: dict[str, Any]) -> CloudModel | None:
    """The model of the provider at `source`, when the environment names a world."""
    world = World.from_environment()
    if world is None:
        return None
    if source.endswith("/oracle/oci"):
        from .identity import Deploying, OciDeployer
        from .oci import OciModel

        oci = OciModel(world, provider_config)
        deploys = any("deployer" in tenancy for tenancy in oci.tenancies.values())
        return Deploying(oci, OciDeployer(oci)) if deploys else oci
    if source.endswith(("/hashicorp/google", "/hashicorp/google-beta")):
        from .gcp import GcpModel
        from .identity import Deploying, GcpDeployer

        gcp = GcpModel(world, provider_config)
        member = world.facts.get("gcp", {}).get("deployer")
        return Deploying(gcp, GcpDeployer(gcp, member)) if member else gcp
    if source.endswith("/hashicorp/time"):
        from .clock import TimeModel

        return TimeModel(world)
    return None
