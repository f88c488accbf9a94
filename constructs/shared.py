"""Things a stack holds once for all its constructs: an API, a service agent, a key grant, a
service policy, a log group. One copy each, not one per repository or bucket: two copies of
one grant would let destroying one bucket or repository revoke it for the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from constructs import Construct
from engine import TerraformStack

Shared = TypeVar("Shared", bound=Construct)


def one_per_stack(
    scope: Construct, kind: type[Shared], id_: str, make: Callable[[TerraformStack, str], Shared]
) -> Shared:
    """The stack's `id_`, made by `make(stack, id_)` for the first construct that needs it."""
    stack = TerraformStack.of(scope)
    existing = stack.node.try_find_child(id_)
    if existing is None:
        return make(stack, id_)
    if not isinstance(existing, kind):
        raise TypeError(f"{stack.node.id}: {id_!r} is a {type(existing).__name__}, not a {kind.__name__}")
    return existing
