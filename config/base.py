"""What every config model shares: strictness, and how a broken rule is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from constructs.rules import Problem

RULE_ERROR = "rule"
"""pydantic error type of a broken rule; its context carries `problems`: (path, got, Problem)."""


def fail(*problems: tuple[tuple[str | int, ...], object, Problem]) -> None:
    """Raise the problems of one model at once, each at its path inside the model."""
    raise PydanticCustomError(RULE_ERROR, "rule broken", {"problems": problems})


def rule(check: Callable[[Any], Problem | None]) -> AfterValidator:
    """A field validator from a rule function: `check(value) -> Problem | None`."""

    def validate(value: Any) -> Any:
        problem = check(value)
        if problem is not None:
            fail(((), value, problem))
        return value

    return AfterValidator(validate)


class Model(BaseModel):
    """Strict (no type coercion), frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
