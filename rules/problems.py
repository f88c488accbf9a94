"""What every rule returns, and the helpers that report it.

A rule is a function `check(value) -> Problem | None`: None when the value is
fine, otherwise what is wrong and what would be right. Specs turn problems into
error lines that name the field and the bad value (see specs/base.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value, and what would be right."""

    problem: str
    allowed: str


Check = Callable[[str], "Problem | None"]


def matching(pattern: str, problem: str, allowed: str, *, max_length: int | None = None) -> Check:
    """A rule that accepts the strings `pattern` matches in full; one longer than
    `max_length` is called too long, whatever else is wrong with it."""
    compiled = re.compile(pattern)

    def check(value: str) -> Problem | None:
        if max_length is not None and len(value) > max_length:
            return Problem(f"{problem}: too long ({len(value)} characters, at most {max_length})", allowed)
        return None if compiled.fullmatch(value) else Problem(problem, allowed)

    return check


def at_most(limit: int, why: str) -> Callable[[int], Problem | None]:
    """A rule for whole numbers up to `limit`; `why` says whose limit it is."""

    def check(value: int) -> Problem | None:
        if value <= limit:
            return None
        return Problem("too large", f"use a whole number up to {limit} ({why})")

    return check


class _Nothing:
    def __repr__(self) -> str:
        return "nothing"


NOTHING: object = _Nothing()
"""The `got` of a value that is missing."""


class Hidden:
    """The `got` of a value that must not be printed (a secret): shown as such."""

    def __repr__(self) -> str:
        return "a value, not shown"


def show(value: object, limit: int = 80) -> str:
    """A value as a user wrote it, short enough for one line of an error.

    A long string keeps its start and its end (the end of a path is often what is
    wrong); a long list or mapping is cut where the line is full, never walked further
    (YAML aliases can make a small file hold a value of billions of items).
    """
    if value is NOTHING or isinstance(value, Hidden):
        return repr(value)
    if isinstance(value, str):
        text = repr(value)
        if len(text) <= limit:
            return text
        head = (limit - 3) // 2
        return text[:head] + "..." + text[len(text) - (limit - 3 - head) :]
    parts: list[str] = []
    _plain(value, parts, limit + 1, quote=True)
    text = "".join(parts)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plain(value: object, parts: list[str], budget: int, *, quote: bool) -> int:
    """Append `value` as YAML flow style writes it to `parts` (list items quoted, mapping
    keys and values bare), stopping once `budget` characters are out."""
    if budget <= 0:
        return 0
    if isinstance(value, dict):
        items: list[tuple[object, object]] = list(value.items())
        opening, closing = "{", "}"
    elif isinstance(value, (list, tuple)):
        items = [(NOTHING, item) for item in value]
        opening, closing = "[", "]"
    else:
        text = _scalar(value, quote=quote)
        parts.append(text)
        return budget - len(text)
    parts.append(opening)
    budget -= 1
    for index, (key, item) in enumerate(items):
        if budget <= 0:
            return budget
        if index:
            parts.append(", ")
            budget -= 2
        if key is not NOTHING:
            parts.append(f"{_scalar(key, quote=False)}: ")
            budget -= len(parts[-1])
        budget = _plain(item, parts, budget, quote=key is NOTHING)
    parts.append(closing)
    return budget - 1


def _scalar(value: object, *, quote: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and quote:
        return repr(value)
    return str(value)


H = TypeVar("H", bound=Hashable)


def duplicates(values: Iterable[H]) -> list[H]:
    """The values that occur more than once, each once, in first-seen order."""
    seen: set[H] = set()
    repeated: list[H] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


def short_hash(value: str) -> str:
    """Eight hex digits that tell values apart in names and addresses, stable across runs."""
    return hashlib.sha256(value.encode()).hexdigest()[:8]
