"""Reviewed snapshots of every stack of every config a team keeps, and the one command that records them.

    make snapshots                            # record the snapshots of every config
    make snapshots CONFIG=config/acme.yaml    # record one config's (what a failing test names)
    make snapshots CONFIG=config/acme.yaml ACCEPT=replace:oci_objectstorage_bucket.models
                                              # ... acknowledging a change that loses data or access

Which configs: every `config/*.yaml`, and each file listed in `tests/snapshots/configs.txt`
(one path a line, relative to the repository; `#` starts a comment). A config's snapshots are
`tests/snapshots/<its file name without .yaml>/<stack>.json`, one per stack: the stack as
`cdk.tf.json` holds it, without cdktf's `//` metadata and in the default engine's google pin
(`as_reviewed`), so the two engines compare equal.

`make test` (tests/stacks/test_snapshots.py) and `make verify` (tools/verify.py) compare and never
record: a config without snapshots, or a stack that drifted, fails with what changed, resource by
resource and argument by argument, and with the command above. CI runs `make verify`, so it never records either.

Recording a change that replaces or destroys a bucket or a repository, destroys a key policy a
bucket still uses, or empties an authoritative IAM policy is refused (exit 2, with the review's
lines and the command) unless ACCEPT names it; what was acknowledged is written to
`tests/snapshots/<config>/ACCEPTED.md` (review/gate.py). A drift's report ends with the review:
what each change does in the cloud (review/).

Runs main.py in a subprocess, as `make synth` does; this module itself imports neither cdktf nor pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from review import Change

Json = dict[str, Any]

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
SNAPSHOTS = ROOT / "tests" / "snapshots"
LIST_NAME = "configs.txt"
"""The one place that names configs kept elsewhere than config/: `tests/snapshots/configs.txt`."""
COMMAND = "make snapshots"
MISSING = object()
"""A value one side of a comparison does not have."""

DEFAULT_GOOGLE_PIN = {"source": "google", "version": "6.50.0"}
"""What the default engine (cdktf) writes to `required_providers.google`; cdktn writes
hashicorp/google 8.7.0 (tests/terraform/test_engines.py checks that this is all that differs)."""


class Discovery(NamedTuple):
    configs: dict[str, Path]
    """Config name (the file name without .yaml) -> its file."""
    problems: list[str]
    """What is wrong with the list, one line each: a listed file that does not exist, a name used twice."""


def discover(config_dir: Path | None = None, listed: Path | None = None) -> Discovery:
    """Every config snapshot-tested: `config_dir/*.yaml` (default config/), then the files in
    `listed` (default tests/snapshots/configs.txt), by name."""
    config_dir = CONFIG_DIR if config_dir is None else config_dir
    listed = SNAPSHOTS / LIST_NAME if listed is None else listed
    found = sorted([*config_dir.glob("*.yaml"), *config_dir.glob("*.yml")])
    problems: list[str] = []
    if listed.exists():
        for number, line in enumerate(listed.read_text(encoding="utf-8").splitlines(), start=1):
            entry = line.split("#", 1)[0].strip()
            if not entry:
                continue
            path = (ROOT / entry) if not Path(entry).is_absolute() else Path(entry)
            if not path.is_file():
                problems.append(f"{shown(listed)}:{number}: {entry}: no such file; fix the path or remove the line")
            elif path.resolve() not in {p.resolve() for p in found}:
                found.append(path)
    configs: dict[str, Path] = {}
    for path in found:
        name = path.stem
        if name in configs:
            problems.append(
                f"{shown(path)}: a second config named {name!r} (the first is {shown(configs[name])}); their snapshots"
                f" would share {shown(SNAPSHOTS / name)}/, so rename one of the files"
            )
            continue
        configs[name] = path
    return Discovery(configs, problems)


def select(found: Discovery, paths: list[Path]) -> tuple[list[tuple[str, Path]], list[str]]:
    """The configs `paths` name, as (name, file), every one `found` when `paths` is empty; and a
    line for each path that is not one of them."""
    by_path = {path.resolve(): name for name, path in found.configs.items()}
    if not paths:
        return list(found.configs.items()), []
    unknown = [
        f"{path}: not snapshot-tested (neither in {shown(CONFIG_DIR)}/ nor listed in {shown(SNAPSHOTS / LIST_NAME)}),"
        " so no test would compare its snapshots; move it to config/ or list it there first"
        for path in paths
        if path.resolve() not in by_path
    ]
    return [(by_path[p.resolve()], p) for p in paths if p.resolve() in by_path], unknown


def shown(path: Path) -> str:
    """`path` relative to the repository when it is inside it: what a user types there."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def record_command(path: Path) -> str:
    return f"{COMMAND} CONFIG={shown(path)}"


# What a snapshot holds


def strip_metadata(value: Any) -> Any:
    """A stack without cdktf's `//` metadata keys, which carry construct paths, not configuration."""
    if isinstance(value, dict):
        return {k: strip_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [strip_metadata(v) for v in value]
    return value


def as_reviewed(stack: Json) -> Json:
    """A stack as its reviewed snapshot holds it: without metadata, in the default engine's google pin."""
    reviewed: Json = strip_metadata(stack)
    providers = reviewed.get("terraform", {}).get("required_providers", {})
    if "google" in providers:
        providers["google"] = DEFAULT_GOOGLE_PIN
    return reviewed


def render(stack: Json) -> str:
    """A snapshot file's text: sorted keys, two spaces, so a change is a small diff."""
    return json.dumps(as_reviewed(stack), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_stacks(outdir: Path) -> dict[str, Json]:
    """Each synthesized stack's cdk.tf.json in an output folder, by stack name."""
    return {
        p.parent.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))
    }


def recorded(name: str) -> dict[str, Json] | None:
    """The reviewed snapshots of config `name` by stack, or None when it has none."""
    folder = SNAPSHOTS / name
    if not folder.is_dir():
        return None
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


# Comparing: a drift told as a plan is


def problems(name: str, path: Path, stacks: dict[str, Json]) -> list[str]:
    """How the stacks synthesized from `path` differ from config `name`'s reviewed snapshots;
    empty when they are the same. The first line names the config, the last the command."""
    folder = f"{shown(SNAPSHOTS / name)}/"
    snapshots = recorded(name)
    if not snapshots:
        return [
            f"{shown(path)}: no reviewed snapshots ({folder} is missing); record them with `{record_command(path)}`,"
            f" read them as you would a terraform plan, and commit {folder}"
        ]
    report: list[str] = []
    for stack in sorted(set(stacks) | set(snapshots)):
        if stack not in snapshots:
            report.append(f"  {stack}: a new stack, with no snapshot")
        elif stack not in stacks:
            report.append(f"  {stack}: no longer synthesized, but {folder}{stack}.json is still there")
        elif changes := differences(snapshots[stack], as_reviewed(stacks[stack])):
            report += [f"  {stack}:", *(f"    {change}" for change in changes)]
    if not report:
        return []
    differing = sum(1 for line in report if not line.startswith("    "))
    return [
        f"{shown(path)}: {differing} of {len(set(stacks) | set(snapshots))} stacks differ"
        f" from their reviewed snapshots in {folder}",
        *report,
        *review(snapshots, stacks),
        f"Read this as a terraform plan. If every change is meant, record it with `{record_command(path)}`"
        f" and commit {folder} with the change that caused it.",
    ]


def review(baseline: dict[str, Json], stacks: dict[str, Json]) -> list[str]:
    """What the drift does in the cloud, one line per resource, most dangerous first (review/)."""
    from review import review_lines

    lines = review_lines(baseline, {stack: as_reviewed(body) for stack, body in stacks.items()})
    return ["What it does in the cloud (make review says it again):", *(f"  {line}" for line in lines)] if lines else []


def differences(old: Json, new: Json) -> list[str]:
    """What changed from stack `old` to stack `new`, one line per argument, Terraform's way:
    `~ resource <type>.<name>: <argument path>: <old> -> <new>`, `+ ... added`, `- ... removed`."""
    before, after = _elements(old), _elements(new)
    lines: list[str] = []
    for label in sorted(set(before) | set(after)):
        if label not in before:
            lines.append(f"+ {label}: added")
        elif label not in after:
            lines.append(f"- {label}: removed")
        else:
            lines += [f"~ {label}: {path}: {a} -> {b}" for path, a, b in _changes("", before[label], after[label])]
    return lines


def _elements(stack: Json) -> dict[str, Any]:
    """A stack as its addressable parts: `resource <type>.<name>`, `data <type>.<name>`,
    `output <name>`, `provider <type>[.<alias>]`, `import <to>`, `terraform`, ..."""
    parts: dict[str, Any] = {}
    for section, body in stack.items():
        if section in ("resource", "data") and isinstance(body, dict):
            parts.update(
                {f"{section} {kind}.{name}": value for kind, named in body.items() for name, value in named.items()}
            )
        elif section == "provider" and isinstance(body, dict):
            for kind, configs in body.items():
                for index, config in enumerate(configs):
                    alias = config.get("alias") if isinstance(config, dict) else None
                    parts[f"provider {kind}" + (f".{alias}" if alias else "" if index == 0 else f"[{index}]")] = config
        elif section in ("import", "moved") and isinstance(body, list):
            parts.update({f"{section} {entry.get('to', index)}": entry for index, entry in enumerate(body)})
        elif section in ("output", "variable", "locals") and isinstance(body, dict):
            parts.update({f"{section} {name}": value for name, value in body.items()})
        else:
            parts[section] = body
    return parts


def _changes(path: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            change
            for key in sorted(set(old) | set(new))
            for change in _changes(f"{path}.{key}" if path else str(key), old.get(key, MISSING), new.get(key, MISSING))
        ]
    if isinstance(old, list) and isinstance(new, list):
        return [
            change
            for index in range(max(len(old), len(new)))
            for change in _changes(
                f"{path}[{index}]",
                old[index] if index < len(old) else MISSING,
                new[index] if index < len(new) else MISSING,
            )
        ]
    return [(path or "(the whole value)", *_shown_pair(old, new))]


def _shown_pair(old: Any, new: Any, limit: int = 160) -> tuple[str, str]:
    """Both values as JSON; two long texts lose what they share at the start, so the change shows."""
    a, b = (_json(v) for v in (old, new))
    if isinstance(old, str) and isinstance(new, str) and max(len(a), len(b)) > limit:
        same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        if same > 40:
            a, b = "…" + a[same - 30 :], "…" + b[same - 30 :]
    return _cut(a, limit), _cut(b, limit)


def _json(value: Any) -> str:
    return "(none)" if value is MISSING else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 50]} … {text[-40:]}"


# Recording


class SynthError(Exception):
    """main.py refused the config; the message is what it printed."""


def synthesize(path: Path) -> dict[str, Json]:
    """Every stack of the config in `path`, as `make synth` writes them (main.py in a subprocess)."""
    with tempfile.TemporaryDirectory(prefix="snapshots-") as workdir:
        outdir = Path(workdir) / "cdktf.out"
        # Every stack, in JSON, into the folder above: nothing a user's environment says otherwise.
        environ = {k: v for k, v in os.environ.items() if k not in ("MODEL_REGISTRY_STACKS", "SYNTH_HCL_OUTPUT")}
        environ.update(MODEL_REGISTRY_CONFIG=str(path), CDKTF_OUTDIR=str(outdir), CHECKPOINT_DISABLE="1")
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=environ, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SynthError(result.stderr.strip() or f"main.py exited {result.returncode}")
        return read_stacks(outdir)


def record(name: str, stacks: dict[str, Json]) -> list[str]:
    """Write config `name`'s snapshots from `stacks` (removing those of stacks no longer built);
    one line per stack that changed, with its changes."""
    folder = SNAPSHOTS / name
    before = recorded(name) or {}
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for stack in sorted(set(before) | set(stacks)):
        target = folder / f"{stack}.json"
        if stack not in stacks:
            target.unlink()
            lines.append(f"  {stack}: removed (no longer synthesized)")
            continue
        target.write_text(render(stacks[stack]), encoding="utf-8")
        if stack not in before:
            lines.append(f"  {stack}: new")
        elif changes := differences(before[stack], as_reviewed(stacks[stack])):
            lines += [f"  {stack}: {len(changes)} changes", *(f"    {change}" for change in changes)]
    return lines


def losses(name: str, path: Path, stacks: dict[str, Json], accepted: set[str]) -> tuple[list[Change], list[str]]:
    """The changes from config `name`'s snapshots to `stacks` that need an acknowledgement, and, when
    `accepted` misses one, why recording refuses (with the command that acknowledges them)."""
    from review import classify, gate

    classified = classify(recorded(name) or {}, {stack: as_reviewed(body) for stack, body in stacks.items()})
    if refused := gate.refused(classified):
        return [], [
            f"{shown(path)}: not recorded: the cloud would refuse this config, whatever is acknowledged;"
            " fix the config:",
            *(f"  {change.line()}" for change in refused),
        ]
    changes = gate.needed(classified)
    missing = gate.unacknowledged(changes, accepted)
    if not missing:
        return changes, []
    return changes, [
        f"{shown(path)}: not recorded: "
        + (
            f"{len(missing)} changes lose data or access, and recording them needs an acknowledgement that names each:"
            if len(missing) > 1
            else "1 change loses data or access, and recording it needs an acknowledgement that names it:"
        ),
        *(f"  {change.line()}" for change in missing),
        f"If that is meant, acknowledge it: `{record_command(path)} ACCEPT={gate.acknowledgement(missing)}`"
        f" (written to {shown(SNAPSHOTS / name)}/{gate.ACCEPTED}, which the pull request shows).",
    ]


def main(argv: list[str]) -> int:
    from review import gate as loss_gate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "configs", nargs="*", type=Path, help="config files to record (default: every config snapshot-tested)"
    )
    parser.add_argument(
        "--accept",
        default="",
        help="comma list of losses acknowledged: replace:<address>,destroy:<address>,empty:<address>",
    )
    args = parser.parse_args(argv)
    accepted = loss_gate.parse(args.accept)
    used: set[str] = set()
    found = discover()
    for problem in found.problems:
        print(problem, file=sys.stderr)
    if found.problems:
        return 2
    wanted, unknown = select(found, args.configs)
    for problem in unknown:
        print(problem, file=sys.stderr)
    if unknown:
        return 2
    failed = changed = False
    for name, path in wanted:
        try:
            stacks = synthesize(path)
        except SynthError as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        lost, refused = losses(name, path, stacks, accepted)
        used |= accepted - loss_gate.unused(lost, accepted)
        if refused:
            print("\n".join(refused), file=sys.stderr)
            failed = True
            continue
        changes = record(name, stacks)
        print(f"{shown(SNAPSHOTS / name)}/ ({shown(path)}): " + ("recorded:" if changes else "unchanged"))
        changed = changed or bool(changes)
        for line in changes:
            print(line)
        for entry in loss_gate.record(SNAPSHOTS / name, lost):
            print(f"  acknowledged in {shown(SNAPSHOTS / name)}/{loss_gate.ACCEPTED}: {entry[2:]}")
    if changed:
        print(
            "Review these changes as you would a terraform plan (`git diff -- tests/snapshots` shows them again;"
            " new files after `git add -N tests/snapshots`), then commit them."
        )
    for unknown_ack in sorted(accepted - used):
        print(
            f"ACCEPT={unknown_ack}: no change recorded here replaces, destroys or empties that;"
            " nothing was acknowledged for it",
            file=sys.stderr,
        )
    return 2 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages (review/)
    sys.exit(main(sys.argv[1:]))
