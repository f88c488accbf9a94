"""What every rule returns, and the helpers that report it.

A rule is a function `check(value) -> Problem | None`: None when the value is
fine, otherwise what is wrong and what would be right. Specs turn problems into
error lines that name the field and the bad value (see specs/base.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value, and what would be right."""

    problem: str
    allowed: str


Check = Callable[[str], "Problem | None"]


def matching(pattern: str, problem: str, allowed: str) -> Check:
    """A rule that accepts the strings `pattern` matches in full."""
    compiled = re.compile(pattern)

    def check(value: str) -> Problem | None:
        return None if compiled.fullmatch(value) else Problem(problem, allowed)

    return check


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
