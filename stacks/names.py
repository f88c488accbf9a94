"""Stack names: cheap to import, so main.py can plan and select stacks before loading cdktf."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StackName:
    """Who a stack is: the config's name, the environment and the cloud."""

    app: str
    environment: str
    cloud: str

    @property
    def id(self) -> str:
        """The stack ID, `<env>-<cloud>`: also its folder under cdktf.out/stacks/."""
        return f"{self.environment}-{self.cloud}"
