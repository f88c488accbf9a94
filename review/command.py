"""`make review` (`main.py --review`, `--review-json`): a synth of the config compared with its reviewed snapshots.

The config's snapshots are `tests/snapshots/<name>/` (tools/snapshots.py: the name of a config
snapshot-tested, else its file name without .yaml). Every stack is synthesized into a temporary
folder (cdktf.out/ is left as it is), each change said in one line on standard output, most
dangerous first, then what recording them needs and what was already acknowledged. Exit 0: the
review informs; `make snapshots` is where a loss is refused.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from review import gate
from review.changes import Change, classify

Json = dict[str, Any]


def review(
    config_path: Path,
    config: Any,
    names: list[Any],
    synthesize: Callable[[Any, list[Any], Path], dict[str, Json]],
    *,
    as_json: bool,
) -> int:
    """Synthesize `names` of `config` with `synthesize` (main.synthesize) and print the review; 0."""
    from tools import snapshots

    by_path = {path.resolve(): name for name, path in snapshots.discover().configs.items()}
    name = by_path.get(config_path.resolve(), config_path.stem)
    folder = snapshots.SNAPSHOTS / name
    baseline = snapshots.recorded(name)
    with tempfile.TemporaryDirectory(prefix="review-") as workdir:
        stacks = {
            stack: snapshots.as_reviewed(body) for stack, body in synthesize(config, names, Path(workdir)).items()
        }
    changes = classify(baseline or {}, stacks)
    accepted = gate.recorded(folder)
    if as_json:
        print(
            json.dumps(
                {
                    "config": snapshots.shown(config_path),
                    "snapshots": f"{snapshots.shown(folder)}/",
                    "baseline": baseline is not None,
                    "changes": [c.as_json() for c in changes],
                    "accepted": accepted,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(
            "\n".join(
                text(
                    snapshots.shown(config_path), f"{snapshots.shown(folder)}/", baseline is not None, changes, accepted
                )
            )
        )
    return 0


def text(config: str, folder: str, baseline: bool, changes: list[Change], accepted: list[str]) -> list[str]:
    """The review as a reviewer reads it."""
    if not baseline:
        head = f"{config}: no reviewed snapshots in {folder}: everything below is new"
    elif not changes:
        head = f"{config}: no change from the reviewed snapshots in {folder}"
    else:
        count = f"{len(changes)} change{'s' if len(changes) > 1 else ''}"
        head = f"{config}: {count} from the reviewed snapshots in {folder}, most dangerous first:"
    lines = [head, *(f"  {change.line()}" for change in changes)]
    needed = gate.needed(changes)
    if needed:
        lines.append(
            "Recording these snapshots needs an acknowledgement:"
            f" `make snapshots CONFIG={config} ACCEPT={gate.acknowledgement(needed)}`"
        )
    if accepted:
        lines += [f"Acknowledged in {folder}{gate.ACCEPTED}:", *(f"  {entry[2:]}" for entry in accepted)]
    return lines
