"""What main.py tells the user: the stacks a config would build (`--check`, on standard output)
and, after a synth, what it wrote where (the summary, on standard error).

One row per stack: its id, its folder (or, after a synth, its file), where its state is
(stacks/state.py), then what it builds; a closing line with the totals. No cdktf here:
`--check` never loads it, and the summary reads the JSON the synth wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from config import AppConfig
from config.models import Section
from stacks import state
from stacks.names import StackName


def check(config_path: Path, config: AppConfig, names: list[StackName], output: Path) -> list[str]:
    """`--check`: what a synth of `names` would build, and where; nothing is written."""
    sections = [config.environments[name.environment].sections()[name.cloud] for name in names]
    rows = [(*_place(config, name, output), section.contents()) for name, section in zip(names, sections, strict=True)]
    return [
        f"{shown(config_path)}: {_count(len(names), 'stack')} of {config.name}"
        f" would be built into {output / 'stacks'}:",
        *_with_entries(_rows(rows), sections),
        "Config valid; nothing written (run without --check to synthesize).",
    ]


def _with_entries(rows: list[str], sections: list[Section]) -> list[str]:
    """Each stack's row, then what each of its entries becomes, indented under it."""
    return [
        line
        for row, section in zip(rows, sections, strict=True)
        for line in (row, *(f"      {entry}" for entry in section.describe_entries()))
    ]


def summary(
    config_path: Path, config: AppConfig, names: list[StackName], output: Path, stacks: dict[str, Any], seconds: float
) -> list[str]:
    """After a synth into `output`: each stack's file (`cdk.tf.json`, or `cdk.tf` under --hcl),
    backend, resources by kind and outputs, from its Terraform JSON in `stacks`; then the totals."""
    rows = []
    sections = []
    total = 0
    for name in names:
        stack = stacks[name.id]
        kinds = Counter({kind: len(named) for kind, named in stack.get("resource", {}).items()})
        total += sum(kinds.values())
        resources = f"{_count(sum(kinds.values()), 'resource')}: " + ", ".join(
            f"{n} {kind}" for kind, n in sorted(kinds.items())
        )
        section = config.environments[name.environment].sections()[name.cloud]
        sections.append(section)
        outputs = _outputs(list(stack.get("output", {})), section.entry_names())
        file = next((f for f in ("cdk.tf.json", "cdk.tf") if (output / "stacks" / name.id / f).exists()), "")
        rows.append((*_place(config, name, output, file), f"{resources}; outputs: {outputs}"))
    return [
        *_with_entries(_rows(rows), sections),
        f"Synthesized {shown(config_path)}: {_count(len(names), 'stack')}, {_count(total, 'resource')},"
        f" into {output} in {seconds:.1f} s.",
    ]


def _place(config: AppConfig, name: StackName, output: Path, file: str = "") -> tuple[str, str, str]:
    """A stack's id, its folder (or its file in it) and where its state is."""
    folder = output / "stacks" / name.id
    return (
        name.id,
        str(folder / file if file else folder),
        state.describe(config.environments[name.environment].backend, name, output),
    )


def _outputs(names: list[str], items: list[str]) -> str:
    """Output names, those of each item (`<item>_<field>`) folded: `repositories; models_*,
    serving-images_* (address, format, id, location, project, url)`."""
    fields: dict[str, list[str]] = {}
    others = []
    for output in names:
        item = next((i for i in sorted(items, key=len, reverse=True) if output.startswith(f"{i}_")), None)
        if item is None:
            others.append(output)
        else:
            fields.setdefault(item, []).append(output[len(item) + 1 :])
    alike: dict[tuple[str, ...], list[str]] = {}
    for item, its in fields.items():
        alike.setdefault(tuple(sorted(its)), []).append(f"{item}_*")
    folded = [f"{', '.join(starred)} ({', '.join(its)})" for its, starred in alike.items()]
    return "; ".join([", ".join(others), *folded] if others else folded) or "none"


def shown(path: Path) -> str:
    """`path` from the current folder when it is below it (the default config is an absolute path)."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _rows(rows: Sequence[tuple[str, ...]], widest: int = 48) -> list[str]:
    """Rows as aligned columns, the last one left ragged; a cell wider than `widest` does not
    push its column for the others."""
    widths = (
        [max((len(row[i]) for row in rows if len(row[i]) <= widest), default=0) for i in range(len(rows[0]) - 1)]
        if rows
        else []
    )
    return [
        "  " + "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
