"""The world's clock as hashicorp/time's stand-in moves it: a `time_sleep` advances it by its
`create_duration` (internal/provider/resource_time_sleep.go sleeps that long in Create), so what
waits for the sleep finds what took effect meanwhile (world.py: MODEL_REGISTRY_CLOCK)."""

from __future__ import annotations

import re
from typing import Any

from . import Error
from .world import World

_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(duration: str) -> float:
    """`30s`, `1.5m`, `2h`: the provider's format (a number then ms, s, m or h)."""
    match = _DURATION.fullmatch(duration)
    if match is None:
        raise ValueError(f"not a time_sleep duration: {duration!r}")
    return float(match.group(1)) * _SECONDS[match.group(2)]


class TimeModel:
    def __init__(self, world: World) -> None:
        self.world = world

    def create(self, type_name: str, planned: dict[str, Any]) -> Error | None:
        if type_name == "time_sleep" and planned.get("create_duration"):
            with self.world.ledger() as ledger:
                ledger["clock"] = ledger.get("clock", 0.0) + seconds(planned["create_duration"])
        return None

    def update(self, type_name: str, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return None  # "Updating this value by itself will not trigger a delay."

    def delete(self, type_name: str, prior: dict[str, Any]) -> Error | None:
        return None

    def read(self, type_name: str, config: dict[str, Any]) -> dict[str, Any] | Error:
        return {}

    def imported(self, type_name: str, import_id: str) -> dict[str, Any] | Error | None:
        return None

    def written(self, type_name: str, state: dict[str, Any]) -> dict[str, Any]:
        return {}
