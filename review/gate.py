"""The gate on data loss: recording snapshots that lose data or access needs an acknowledgement naming it.

A change needs one when it replaces or destroys a bucket or a repository, destroys (or strips) a
key policy that a bucket still uses, or empties an authoritative IAM policy (`Change.accept`:
`replace:<address>`, `destroy:<address>`, `empty:<address>`). `make snapshots
ACCEPT=replace:oci_objectstorage_bucket.ml-models-dev,...` gives them; an address may be written
`<stack>/<address>` where two stacks share it. What was acknowledged is written to
`ACCEPTED.md` beside the snapshots, so the pull request shows it, and the review prints it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from review.changes import Change

ACCEPTED = "ACCEPTED.md"
HEADER = (
    "# Accepted losses\n\n"
    "Each entry was acknowledged when these snapshots were recorded (`make snapshots CONFIG=... ACCEPT=...`):\n"
    "applying them loses what the entry says. Newest first; remove entries once they are applied.\n\n"
)


def parse(text: str) -> set[str]:
    """The acknowledgements in `ACCEPT` (a comma list; spaces allowed around each)."""
    return {part.strip() for part in text.split(",") if part.strip()}


def token(change: Change) -> str:
    """What acknowledges `change` in every stack: `<verb>:<address>`."""
    return change.accept or ""


def qualified(change: Change) -> str:
    """What acknowledges `change` in its stack only: `<verb>:<stack>/<address>`."""
    verb, _, address = token(change).partition(":")
    return f"{verb}:{change.stack}/{address}"


def needed(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.accept]


def refused(changes: list[Change]) -> list[Change]:
    """What no acknowledgement records: a config the cloud would refuse (the baseline rules)."""
    return [c for c in changes if c.kind == "refused"]


def unacknowledged(changes: list[Change], accepted: set[str]) -> list[Change]:
    """The changes that need an acknowledgement `accepted` does not give."""
    return [c for c in needed(changes) if token(c) not in accepted and qualified(c) not in accepted]


def unused(changes: list[Change], accepted: set[str]) -> set[str]:
    """Acknowledgements that name no change of `changes` (a typo, or a change no longer made)."""
    return accepted - {t for c in needed(changes) for t in (token(c), qualified(c))}


def acknowledgement(changes: list[Change]) -> str:
    """The ACCEPT value that acknowledges `changes`: bare addresses unless two stacks share one."""
    bare = [token(c) for c in changes]
    return ",".join(token(c) if bare.count(token(c)) == 1 else qualified(c) for c in changes)


def record(folder: Path, changes: list[Change], today: dt.date | None = None) -> list[str]:
    """Add what `changes` lose to `folder`/ACCEPTED.md (newest first); the entries written."""
    day = (today or dt.date.today()).isoformat()
    entries = [f"- {day} `{token(c)}` in {c.stack}: {c.says}" for c in needed(changes)]
    if not entries:
        return []
    path = folder / ACCEPTED
    older = path.read_text(encoding="utf-8").removeprefix(HEADER) if path.exists() else ""
    path.write_text(HEADER + "\n".join(entries) + "\n" + older, encoding="utf-8")
    return entries


def recorded(folder: Path) -> list[str]:
    """The entries of `folder`/ACCEPTED.md, newest first (none without the file)."""
    path = folder / ACCEPTED
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
