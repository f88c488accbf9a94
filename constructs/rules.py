"""Input rules shared by every construct: one problem type, one error.

A construct checks its props when it is created and reports every problem at
once, each with the field, the bad value and what is allowed, so a mistake
fails at synth time instead of at `terraform apply`. The config loader uses
the same rule functions, so a config file and a direct caller of a construct
get the same words for the same mistake.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value, and what would be right."""

    problem: str
    allowed: str


@dataclass(frozen=True)
class Violation:
    """A problem found at one field of a construct's props."""

    field: str
    problem: str
    got: object
    allowed: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem} (got {show(self.got)}); {self.allowed}"


class InvalidPropsError(ValueError):
    """Raised by a construct whose props break one or more rules; lists them all."""

    def __init__(self, construct: str, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        lines = "\n".join(f"  {v}" for v in self.violations)
        super().__init__(f"{construct}: invalid props:\n{lines}")


class Checker:
    """Collects violations for one construct, then raises them together."""

    def __init__(self) -> None:
        self._violations: list[Violation] = []

    def add(self, field: str, got: object, problem: Problem | None) -> None:
        if problem is not None:
            self._violations.append(Violation(field, problem.problem, got, problem.allowed))

    def add_all(self, field: str, values: Iterable[object], problems: Iterable[Problem | None]) -> None:
        for value, problem in zip(values, problems):
            self.add(field, value, problem)

    def raise_if_any(self, construct: str) -> None:
        if self._violations:
            raise InvalidPropsError(construct, self._violations)


class _Nothing:
    def __repr__(self) -> str:
        return "nothing"


NOTHING: object = _Nothing()
"""The `got` of a value that is missing."""


def show(value: object, limit: int = 80) -> str:
    """A value as a user wrote it, short enough for one line of an error."""
    if value is NOTHING:
        return "nothing"
    text = repr(value) if isinstance(value, str) else _plain(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plain(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def duplicates(values: Iterable[str]) -> list[str]:
    """The values that occur more than once, each once, in first-seen order."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


def short_hash(value: str) -> str:
    """Eight hex digits that tell values apart in names and addresses, stable across runs."""
    return hashlib.sha256(value.encode()).hexdigest()[:8]
