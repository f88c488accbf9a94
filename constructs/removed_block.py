"""RemovedBlock: a Terraform `removed` block that forgets a resource instead of destroying it."""

from __future__ import annotations

from typing import Any

from constructs import Construct
from engine import TerraformElement


class RemovedBlock(TerraformElement):
    """`removed { from = <address>, lifecycle { destroy = false } }` (Terraform 1.7+).

    When `address` is in the state, the next apply drops it from the state and leaves the
    object in the cloud; when it is not, the block does nothing. cdktf 0.21 has no construct
    for it, and its HCL writer knows only `moved` and `import`: under `--hcl` the address goes
    to the stack's metadata, and outdir.publish writes the block into `cdk.tf`.
    """

    def __init__(self, scope: Construct, id_: str, *, address: str) -> None:
        super().__init__(scope, id_)
        self.address = address

    def to_terraform(self) -> Any:
        return {"removed": [{"from": self.address, "lifecycle": {"destroy": False}}]}

    def to_hcl_terraform(self) -> Any:
        return {}

    def to_metadata(self) -> Any:
        return {"removed": {self.address: True}}
