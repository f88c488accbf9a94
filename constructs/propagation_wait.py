"""PropagationWait: a pause after a grant or an enabled API, until the cloud acts on it."""

from __future__ import annotations

from bindings.time import Sleep, TimeProvider
from constructs import Construct
from engine import TerraformResource, TerraformStack


class PropagationWait(Construct):
    """`time_sleep.<address>`: created `duration` after `after`, for what must wait until the cloud
    acts on `after` (a new policy, grant, API or service agent; each cloud's docs give the delay).

    It waits once, when created; applies that leave `after` alone cost nothing. `after`'s `id` is its
    trigger: when `after` is replaced, so is the wait, and it waits again. Dependents name
    `.resource` in their `depends_on`. The stack gives the `time` provider (`add_time_provider`).
    """

    def __init__(self, scope: Construct, id_: str, *, after: TerraformResource, duration: str, address: str) -> None:
        super().__init__(scope, id_)
        self.resource = Sleep(
            self,
            "sleep",
            create_duration=duration,
            triggers={f"{after.terraform_resource_type}.{after.friendly_unique_id}": after.get_string_attribute("id")},
        )
        self.resource.override_logical_id(address)


def add_time_provider(stack: TerraformStack) -> None:
    """The `time` provider the stack's waits run on, when it has any (a stack without waits
    needs no hashicorp/time to init)."""
    if any(isinstance(child, PropagationWait) for child in stack.node.find_all()):
        TimeProvider(stack, "time")
