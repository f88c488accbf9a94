"""ImportBlock: a Terraform `import` block, to adopt a resource that exists already."""

from __future__ import annotations

from typing import Any

from constructs import Construct
from engine import TerraformElement, TerraformResource


class ImportBlock(TerraformElement):
    """`import { to = <resource>, id = <import_id> }` for `resource`.

    cdktf's own `import_from` adds a validation that runs `terraform version` at synth,
    so a synth on a machine without Terraform (CI, `make synth`) failed with a
    traceback. The block needs nothing at synth: Terraform checks it at plan time.
    `import_id` may hold references (e.g. a looked-up namespace): Terraform 1.6+
    resolves them at plan time.
    """

    def __init__(self, scope: Construct, id_: str, *, resource: TerraformResource, import_id: str) -> None:
        super().__init__(scope, id_)
        self._resource = resource
        self._import_id = import_id

    @property
    def _to(self) -> str:
        # Read at synth: the resource's logical ID may be overridden after this block exists.
        return f"{self._resource.terraform_resource_type}.{self._resource.friendly_unique_id}"

    def to_terraform(self) -> Any:
        return {"import": [{"to": self._to, "id": self._import_id}]}

    def to_hcl_terraform(self) -> Any:
        return {
            "import": [
                {
                    "to": {"value": self._to, "type": "simple", "storageClassType": "reference"},
                    "id": {"value": self._import_id, "type": "simple", "storageClassType": "string"},
                }
            ]
        }
