"""Where a stack keeps its Terraform state."""

from __future__ import annotations

from cdktf import LocalBackend, TerraformStack

from config.models import LocalBackend as LocalBackendConfig

STATE_DIR = "state"


def add_backend(stack: TerraformStack, stack_id: str, backend: LocalBackendConfig) -> None:
    """Give `stack` the backend its environment asks for.

    Local state goes to `state/<stack>.tfstate` beside the output folder. Terraform
    runs in `<outdir>/stacks/<stack>/`, so the path climbs three levels: it stays
    relative, never an absolute path of the machine that synthesized.
    """
    if backend.type == "local":
        LocalBackend(stack, path=f"../../../{STATE_DIR}/{stack_id}.tfstate")
