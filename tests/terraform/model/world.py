"""The cloud the stand-in providers talk to: what exists before a test (the world) and what
Terraform has made since (the ledger), shared by every provider process of a run.

    MODEL_REGISTRY_WORLD=/path/world.json   the world; the ledger is /path/world.json.ledger

Without the variable the stand-ins only know the schema, as before. The world is the
tenancies and projects a test's stacks live in: their regions, compartments, keys, the
policies and buckets that exist already. The ledger is written under a lock: Terraform
runs one provider process per provider configuration (`oci` and `oci.home`), and tests
apply several stacks of one world at once.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WORLD_ENV = "MODEL_REGISTRY_WORLD"
CLOCK_ENV = "MODEL_REGISTRY_CLOCK"
"""`1`: the world's clock runs. Grants, policies, APIs and service agents then take effect the
delay their cloud documents after they are made, and only a `time_sleep` moves the clock: what
Terraform creates in one apply without a wait happens at one instant."""


class World:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.facts: dict[str, Any] = json.loads(path.read_text())
        self.ledger_path = Path(f"{path}.ledger")
        self.lock_path = Path(f"{path}.lock")

    @classmethod
    def from_environment(cls) -> World | None:
        path = os.environ.get(WORLD_ENV)
        return cls(Path(path)) if path else None

    @contextmanager
    def ledger(self) -> Iterator[dict[str, Any]]:
        """The ledger, read and written back under an exclusive lock."""
        with self.lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data: dict[str, Any] = json.loads(self.ledger_path.read_text()) if self.ledger_path.exists() else {}
            yield data
            self.ledger_path.write_text(json.dumps(data, indent=1, sort_keys=True))

    @staticmethod
    def clock_running() -> bool:
        return os.environ.get(CLOCK_ENV) == "1"

    def takes_effect(self, ledger: dict[str, Any], what: str, delay: float) -> None:
        """Record (in an open ledger) that `what` takes effect `delay` seconds from now."""
        if self.clock_running():
            ledger.setdefault("effective", {})[what] = ledger.get("clock", 0.0) + delay

    def in_force(self, ledger: dict[str, Any], what: str) -> bool:
        """Whether `what` has taken effect (anything not recorded has: the world's own things)."""
        return not self.clock_running() or ledger.get("effective", {}).get(what, 0.0) <= ledger.get("clock", 0.0)

    def read_ledger(self) -> dict[str, Any]:
        with self.ledger() as data:
            return json.loads(json.dumps(data))
