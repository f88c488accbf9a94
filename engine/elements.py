"""Terraform blocks that cdktf writes badly or not at all, written by us: `import`, `removed`,
`cloud`, `required_version` and `terraform_data`. Each renders both ways cdktf asks for: `cdk.tf.json` (`to_terraform`)
and `cdk.tf` under `--hcl` (`to_hcl_terraform`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct
from engine import (
    AnyMap,
    TerraformBackend,
    TerraformElement,
    TerraformProviderGeneratorMetadata,
    TerraformResource,
    TerraformResourceLifecycle,
)


class TerraformData(TerraformResource):
    """`resource "terraform_data"` (Terraform's own: a value kept in the state, no provider).

    cdktf's DataResource adds a validation that runs `terraform version` at synth, so a synth on a
    machine without Terraform (`make synth`, CI) failed as soon as a stack had one. This writes the
    same block and validates nothing: Terraform >= 1.4 reads it, and the stacks require 1.7.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        input: Mapping[str, Any],
        triggers_replace: Mapping[str, Any] | None = None,
        lifecycle: TerraformResourceLifecycle | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            terraform_resource_type="terraform_data",
            terraform_generator_metadata=TerraformProviderGeneratorMetadata(provider_name="terraform"),
            lifecycle=lifecycle,
        )
        self._attributes = {"input": dict(input), "triggers_replace": dict(triggers_replace or {}) or None}

    @property
    def output(self) -> AnyMap:
        """The stored input, as Terraform reads it back (`output["key"]` with `.lookup("key")`)."""
        return AnyMap(self, "output")

    # jsii's names of TerraformResource's protected synthesizeAttributes / synthesizeHclAttributes.
    def _synthesize_attributes(self) -> dict[str, Any]:
        return {key: value for key, value in self._attributes.items() if value is not None}

    def _synthesize_hcl_attributes(self) -> dict[str, Any]:
        return self._synthesize_attributes()


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


class CloudBlock(TerraformBackend):
    """The `terraform { cloud { ... } }` block, written by us rather than cdktf's CloudBackend.

    cdktf 0.21's CloudBackend runs `terraform version` at synth (a synth without a
    terraform binary fails with a traceback) and drops the workspace `project` from the
    `--hcl` output. `settings` is the block as Terraform JSON has it.
    """

    def __init__(self, scope: Construct, settings: dict[str, Any]) -> None:
        super().__init__(scope, "backend", "cloud")
        self._settings = settings

    def to_terraform(self) -> Any:
        return {"terraform": {"cloud": self._settings}}

    def get_remote_state_data_source(self, scope: Construct, name: str, _from_stack: str) -> Any:
        # Stacks here never read each other's state: no cross-stack references.
        raise NotImplementedError("cross-stack references are not used by this app")

    def to_hcl_terraform(self) -> Any:
        workspaces = {
            key: {"value": value, "type": "list", "storageClassType": "stringList"}
            if isinstance(value, list)
            else {"value": value, "type": "simple", "storageClassType": "string"}
            for key, value in self._settings["workspaces"].items()
        }
        cloud = {
            key: {"value": self._settings[key], "type": "simple", "storageClassType": "string"}
            for key in ("organization", "hostname")
        }
        cloud["workspaces"] = {"value": workspaces, "isBlock": True, "type": "map", "storageClassType": "stringmap"}
        return {"terraform": {"cloud": cloud}}


class RequiredVersion(TerraformElement):
    """`terraform { required_version = ... }`, which cdktf has no setting for.

    In `cdk.tf.json` only: cdktf 0.21's HCL writer renders any attribute of the `terraform`
    block but its three blocks as `0 = "required_version"` (it passes the names, not the
    values). outdir.publish writes the line into `cdk.tf` instead (engine.hcl.with_required_version).
    """

    def __init__(self, scope: Construct, id_: str, constraint: str) -> None:
        super().__init__(scope, id_)
        self._constraint = constraint

    def to_terraform(self) -> Any:
        return {"terraform": {"required_version": self._constraint}}

    def to_hcl_terraform(self) -> Any:
        return {}


class RemovedBlock(TerraformElement):
    """`removed { from = <address>, lifecycle { destroy = false } }` (Terraform 1.7+).

    When `address` is in the state, the next apply drops it from the state and leaves the
    object in the cloud; when it is not, the block does nothing. cdktf 0.21 has no construct
    for it, and its HCL writer knows only `moved` and `import`: under `--hcl` the address goes
    to the stack's metadata, and outdir.publish writes the block into `cdk.tf` (engine.hcl.with_removed).
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
