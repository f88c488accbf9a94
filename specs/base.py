"""What every spec shares: strictness, and how a broken rule is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from rules.problems import Problem

RULE_ERROR = "rule"
"""pydantic error type of a broken rule; its context carries `problems`: (path, got, Problem)."""

Located = tuple[tuple[str | int, ...], object, Problem]
"""A problem at a path inside the model that found it, with the value at fault."""


def fail(*problems: Located, of_model: bool = True) -> None:
    """Raise the problems of one model at once, each at its path inside the model.

    `of_model` says a model's own validator found them (a field's rule passes False):
    the loader then knows where the error belongs.
    """
    raise PydanticCustomError(RULE_ERROR, "rule broken", {"problems": problems, "of_model": of_model})


def fail_if(problems: list[Located]) -> None:
    if problems:
        fail(*problems)


def rule(
    check: Callable[[Any], Problem | None], shown: Callable[[Any], object] = lambda value: value
) -> AfterValidator:
    """A field validator from a rule function: `check(value) -> Problem | None`. A refused value is
    shown as `shown(value)` says (a secret it may hold masked or hidden)."""

    def validate(value: Any) -> Any:
        problem = check(value)
        if problem is not None:
            fail(((), shown(value), problem), of_model=False)
        return value

    return AfterValidator(validate)


class Model(BaseModel):
    """Strict (no type coercion), frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    EXAMPLE: ClassVar[str | None] = None
    """One line of YAML that shows the block's shape, for a message about a value of the wrong type."""


T = TypeVar("T")
ListOf = Annotated[tuple[T, ...], Field(strict=False)]
"""`ListOf[X]`: a YAML list, kept as a tuple (frozen); strict mode alone would refuse the list."""
