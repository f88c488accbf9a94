"""What every rule returns, and the helpers that report it.

A rule is a function `check(value) -> Problem | None`: None when the value is
fine, otherwise what is wrong and what would be right. Specs turn problems into
error lines that name the field and the bad value (see specs/base.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
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
    """A rule for identifiers that accepts the strings `pattern` matches in full; one with
    `${` is a template nobody expands, and one longer than `max_length` is called too long,
    whatever else is wrong with it."""
    compiled = re.compile(pattern)

    def check(value: str) -> Problem | None:
        if (template := check_not_template(value)) is not None:
            return template
        if max_length is not None and len(value) > max_length:
            return Problem(f"{problem}: too long ({len(value)} characters, at most {max_length})", allowed)
        return None if compiled.fullmatch(value) else Problem(problem, allowed)

    return check


TEMPLATE_ALLOWED = (
    "write the value itself; to template a config, generate the file (e.g. envsubst < acme.yaml.in > acme.yaml),"
    " or share values within it with YAML anchors under an x- key (x-ids: &tenancy ocid1..., then tenancy_id: *tenancy)"
)
_PLACEHOLDER = re.compile(r"\$\{[^}]{0,40}\}?")


def check_not_template(value: str) -> Problem | None:
    """An identifier (member, OCID, project, region, key) holds no `${`: a shell or Terraform
    placeholder would be taken literally (free text keeps it, escaped, as written)."""
    found = _PLACEHOLDER.search(value)
    if found is None:
        return None
    return Problem(
        f"a placeholder, {found.group(0)}: nothing in the config is ever expanded,"
        " so it would reach the cloud as written",
        TEMPLATE_ALLOWED,
    )


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
        if looks_secret(value):
            return repr(SECRET)
        text = _quoted(value)
        notes = [note] if (note := unusual(value)) else []
        if len(text) > limit:
            head = (limit - 3) // 2
            text = text[:head] + "..." + text[len(text) - (limit - 3 - head) :]
            notes.insert(0, f"{len(value)} characters, shortened here")
        return text + "".join(f", {note}" for note in notes)
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
    if isinstance(value, str) and looks_secret(value):
        return repr(SECRET)
    if isinstance(value, str):
        return _quoted(value) if quote else escaped(value)
    return str(value)


class _Secret:
    def __repr__(self) -> str:
        return "a value that looks like a secret, not shown"


SECRET: object = _Secret()

_SECRET_VALUES = re.compile(
    r"-----BEGIN [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)-----"  # PEM blocks
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"  # AWS access key IDs
    r"|\b(?:ghp|gho|ghs|ghu|github_pat|glpat|xox[abpors])[-_][A-Za-z0-9_-]{16,}"  # GitHub, GitLab, Slack tokens
    r"|\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{20,}"  # Terraform Cloud tokens
    r"|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."  # JWTs
    r"|\bAIza[0-9A-Za-z_-]{35}"  # Google API keys
    r'|"private_key":'  # a service account key file pasted in
)
_SECRET_KEYS = re.compile(
    r"(?:^|[_-])(?:secret|token|password|passwd|credentials?|private[_-]?key|api[_-]?key|access[_-]?key|apikey)(?:$|[_-])",
    re.I,
)


def looks_secret(value: str) -> bool:
    """Whether a value looks like a credential (a PEM block, a cloud or CI token): never printed."""
    return bool(_SECRET_VALUES.search(value))


def secret_key(key: object) -> bool:
    """Whether a key's name says it holds a secret (`api_key`, `db_password`, `token`)."""
    return isinstance(key, str) and bool(_SECRET_KEYS.search(key))


_LOOK_ALIKES = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u04bb": "h",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u03bf": "o",
    "\u03b1": "a", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03c1": "p", "\u03c4": "t",
    "\u03c5": "u", "\u039f": "O", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-", "\u00a0": " ", "\u2007": " ",
    "\u202f": " ", "\u3000": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
}  # fmt: skip
"""Characters printed like an ASCII one (Cyrillic and Greek letters, dashes, spaces, quotes), and that one."""
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def plain_ascii(value: str) -> str:
    """`value` with each look-alike replaced by the ASCII character it looks like, invisible ones dropped."""
    return "".join(_LOOK_ALIKES.get(c, "" if c in _INVISIBLE else c) for c in value)


def escaped(value: str) -> str:
    """`value` with every character outside printable ASCII written as its escape (`\\u2011`),
    so that a look-alike never prints like the character it imitates."""
    return "".join(c if " " <= c <= "~" else _escape(c) for c in value)


def _escape(c: str) -> str:
    if c.isascii():
        return c.encode("unicode_escape").decode("ascii")  # \n, \t, \x00
    return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"


def _quoted(value: str) -> str:
    quote = '"' if "'" in value and '"' not in value else "'"
    return quote + escaped(value).replace(quote, "\\" + quote) + quote


def unusual(value: str) -> str:
    """What makes `value` differ from what it looks like: its characters outside ASCII by name
    (a look-alike with the one it imitates), a leading or trailing space; "" when nothing does."""
    notes = []
    for c in list(dict.fromkeys(c for c in value if not c.isascii()))[:3]:
        name = unicodedata.name(c, "a character with no name")
        like = _LOOK_ALIKES.get(c)
        notes.append(
            f"{_escape(c)} is {name}" + (f", not {like!r}" if like else ", invisible" if c in _INVISIBLE else "")
        )
    ends = {" ": "a space", "\t": "a tab", "\n": "a line break"}
    if value[:1] in ends:
        notes.append(f"it starts with {ends[value[0]]}")
    if value[-1:] in ends:
        notes.append(f"it ends with {ends[value[-1]]}")
    return "; ".join(notes)


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
