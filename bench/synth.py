"""Benchmark: wall time and peak memory of whole `main.py` runs, against two floors.

    .venv/bin/python bench/synth.py                 # 5 interleaved rounds + the test suite once
    .venv/bin/python bench/synth.py --write-readme  # ... and rewrite CONTRIBUTING.md's table
    .venv/bin/python bench/synth.py --quick         # 2 rounds, no suite, writes nothing

Variants (each a fresh process, run the way `make synth` runs main.py):
  python-floor  bench/python_floor.py: an empty Python script (what any Python command pays)
  check         main.py --check on config/example.yaml (loads and checks the config; no cdktf, no Node)
  floor         bench/floor_app.py: an empty cdktf app (one stack, one output)
  google-floor  bench/google_floor_app.py: the floor plus importing the google binding
  oci           main.py, MODEL_REGISTRY_STACKS=dev-oci (never imports the google binding)
  gcp           main.py, MODEL_REGISTRY_STACKS=dev-gcp,prod-gcp
  full          main.py on config/example.yaml (all four stacks)
  scaled        main.py on a generated config (bench/scaled_config.py, validated first)
  full-yaml     main.py on tests/configs/full.yaml (every option; 8 stacks)
  features-off, features-on   main.py on bench/configs/ml-features-off.yaml and ml-features.yaml: one
                environment without and with the ML features of issue 22 (their cost, side by side)
  verify        `make verify CONFIG=config/example.yaml` (tools/verify.py: check, synth, snapshots, checkov)
  verify-full-yaml, verify-all   the same on tests/configs/full.yaml, and on every config (`make verify`)
  full-review   main.py --review on tests/configs/full.yaml: the same synth, compared with its snapshots
and, once, after the rounds: the test suite (`python -m pytest -q -p no:cacheprovider`).

The machine is shared and noisy: one warm-up run of each variant is discarded, then the
variants run interleaved, round after round, each round starting one variant later
(A B C, B C A, C A B, ...); every figure is a median. Memory: see bench/measure.py.
Writes bench/results.json and bench/results.md (the table CONTRIBUTING.md shows).
Standard library only: it runs with any Python 3.10+; the variants use --python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import measure
import scaled_config

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
# Inherited values of these would change what a variant synthesizes.
APP_VARIABLES = ("MODEL_REGISTRY_CONFIG", "MODEL_REGISTRY_STACKS", "MODEL_REGISTRY_ENGINE", "CDKTF_OUTDIR", "SYNTH_HCL_OUTPUT", "JSII_NODE")


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    script: str
    """Path of the script, relative to the benchmarked checkout (or bench/ for the floors)."""
    env: dict[str, str] = field(default_factory=dict)
    in_bench: bool = False
    args: tuple[str, ...] = ()
    """Arguments of the script."""
    engine: str = "cdktf"
    """cdktf runs from <repo>/.venv, cdktn (CDK Terrain) from <repo>/.venv-cdktn."""
    module: str = ""
    """Run `python -m <module>` in the checkout instead of the script (what a make target runs)."""


@dataclass(frozen=True)
class Target:
    name: str
    numerator: str
    denominator: str
    metric: str  # "wall_s" or "peak_mb"
    limit: float


VARIANTS = (
    Variant("python-floor", "Python floor: an empty script", "python_floor.py", in_bench=True),
    Variant("check", "config check (`main.py --check`: no cdktf, no Node)", "main.py", args=("--check",)),
    Variant("floor", "floor: empty cdktf app (1 stack, 1 output)", "floor_app.py", in_bench=True),
    Variant("google-floor", "google binding floor: floor + import of the binding", "google_floor_app.py", in_bench=True),
    Variant("google-used", "used-modules floor: floor + the google modules we load (bindings/google.py)", "google_used_floor_app.py", in_bench=True),
    Variant("oci", "OCI only (`dev-oci`)", "main.py", {"MODEL_REGISTRY_STACKS": "dev-oci"}),
    Variant("gcp", "GCP only (`dev-gcp,prod-gcp`)", "main.py", {"MODEL_REGISTRY_STACKS": "dev-gcp,prod-gcp"}),
    Variant("full", "full example (4 stacks)", "main.py"),
    Variant("scaled", "scaled config", "main.py"),  # MODEL_REGISTRY_CONFIG added at run time
    Variant("full-yaml", "tests/configs/full.yaml", "main.py", {"MODEL_REGISTRY_CONFIG": "tests/configs/full.yaml"}),
    Variant("features-off", "bench/configs/ml-features-off.yaml (without issue 22's keys)", "main.py", {"MODEL_REGISTRY_CONFIG": "bench/configs/ml-features-off.yaml"}),
    Variant("features-on", "bench/configs/ml-features.yaml (serving, scanning, private upstream, per-model cleanup, OCI)", "main.py", {"MODEL_REGISTRY_CONFIG": "bench/configs/ml-features.yaml"}),
    # What `make verify` runs ($(PY) -m tools.verify $(CONFIG)), without make's up-to-date checks.
    Variant("verify", "`make verify`, config/example.yaml", "", module="tools.verify", args=("config/example.yaml",)),
    Variant("verify-full-yaml", "`make verify`, full.yaml", "", module="tools.verify", args=("tests/configs/full.yaml",)),
    Variant("verify-all", "`make verify`, every config", "", module="tools.verify"),
    Variant("full-review", "the change review of tests/configs/full.yaml (`main.py --review`)", "main.py",
            {"MODEL_REGISTRY_CONFIG": "tests/configs/full.yaml"}, args=("--review",)),
    Variant("oci-cdktn", "OCI only (`dev-oci`), cdktn", "main.py", {"MODEL_REGISTRY_STACKS": "dev-oci"}, engine="cdktn"),
    Variant("full-cdktn", "full example (4 stacks), cdktn", "main.py", engine="cdktn"),
)

TARGETS = (
    Target("OCI-only synth / floor", "oci", "floor", "wall_s", 1.5),
    Target("full example / google-binding floor", "full", "google-floor", "wall_s", 1.15),
    Target("scaled config / full example", "scaled", "full", "wall_s", 1.5),
    Target("peak memory, full example / google-binding floor", "full", "google-floor", "peak_mb", 1.2),
    # A check that needs no Node must cost well under what starting cdktf at all does.
    Target("config check / floor", "check", "floor", "wall_s", 0.5),
    # The change review synthesizes, then compares with the snapshots: the comparison may add a fifth.
    Target("change review / synth, full.yaml", "full-review", "full-yaml", "wall_s", 1.2),
)
INFO_RATIOS = (
    Target("config check / Python floor", "check", "python-floor", "wall_s", 0.0),
    Target("config check / OCI-only synth", "check", "oci", "wall_s", 0.0),
    Target("GCP only / google-binding floor", "gcp", "google-floor", "wall_s", 0.0),
    Target("full example / used-modules floor", "full", "google-used", "wall_s", 0.0),
    Target("peak memory, full example / used-modules floor", "full", "google-used", "peak_mb", 0.0),
    Target("google-binding floor / floor", "google-floor", "floor", "wall_s", 0.0),
    Target("peak memory, OCI only / floor", "oci", "floor", "peak_mb", 0.0),
    Target("peak memory, scaled / full example", "scaled", "full", "peak_mb", 0.0),
    Target("full example, cdktn / cdktf", "full-cdktn", "full", "wall_s", 0.0),
    Target("peak memory, full example, cdktn / cdktf", "full-cdktn", "full", "peak_mb", 0.0),
    Target("OCI only, cdktn / cdktf", "oci-cdktn", "oci", "wall_s", 0.0),
    Target("make verify / synth, config/example.yaml", "verify", "full", "wall_s", 0.0),
    Target("make verify / synth, tests/configs/full.yaml", "verify-full-yaml", "full-yaml", "wall_s", 0.0),
)
VERIFY_LIMIT_S = 60.0
"""`make verify` on every config, after install, on a 2-core machine (issue 18: a team's loop in a minute)."""
TEST_SUITE_LIMIT_S = 120.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 rounds, no warm-up, no test suite, write nothing")
    parser.add_argument("--only", default="", help="comma list of variants, e.g. oci,floor (default: all)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the discarded warm-up run of each variant")
    parser.add_argument("--no-tests", action="store_true", help="skip the test suite")
    parser.add_argument("--write-readme", action="store_true", help="rewrite the table between the markers in CONTRIBUTING.md")
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose main.py is measured (default: this one)")
    parser.add_argument("--python", default="", help="interpreter of the variants (default: <repo>/.venv/bin/python)")
    parser.add_argument("--python-flags", default="", help="extra interpreter flags for every variant, e.g. -O")
    parser.add_argument("--scale", default="10,10,10", help="environments,repositories,buckets of the scaled config")
    parser.add_argument("--interval", type=float, default=0.02, help="memory sampling interval in seconds")
    parser.add_argument("--output", type=Path, default=BENCH, help="folder for results.json and results.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.no_warmup, args.no_tests = 2, True, True
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    env.setdefault("CHECKPOINT_DISABLE", "1")
    env.update(extra)
    return env


def stack_count(outdir: Path) -> int:
    try:
        return len(json.loads((outdir / "manifest.json").read_text())["stacks"])
    except (OSError, ValueError, KeyError):
        return 0


def invocation(variant: Variant, script: str) -> tuple[str, ...]:
    """What follows the interpreter: the script, or `-m <module>`."""
    return ("-m", variant.module) if variant.module else (script,)


def verified_stacks(log: Path) -> int:
    """How many stacks a `make verify` run synthesized, from its last line."""
    found = re.search(r"\b(\d+) stacks, [\d.]+ s\)$", log.read_text(errors="replace").strip())
    return int(found.group(1)) if found else 0


def tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Runner:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.repo: Path = args.repo.resolve()
        self.python = args.python or str(self.repo / ".venv" / "bin" / "python")
        self.flags = args.python_flags.split()
        self.interval: float = args.interval
        self.workdir = workdir
        self.runs = 0
        environments, repositories, buckets = (int(part) for part in args.scale.split(","))
        self.scale = {"environments": environments, "repositories": repositories, "buckets": buckets}
        self.scaled_path = workdir / "scaled.yaml"

    def prepare_scaled_config(self) -> None:
        scaled_config.write(self.scaled_path, **self.scale)
        check = subprocess.run(
            [self.python, "-c", "import sys, pathlib, config; config.load_config(pathlib.Path(sys.argv[1]))", str(self.scaled_path)],
            cwd=self.repo, env=child_env({}), capture_output=True, text=True,
        )
        if check.returncode != 0:
            sys.exit(f"the generated scaled config does not pass the config validation:\n{check.stdout}{check.stderr}")

    def command(self, variant: Variant) -> list[str]:
        script = BENCH / variant.script if variant.in_bench else self.repo / variant.script
        python = self.python if variant.engine == "cdktf" else str(self.repo / f".venv-{variant.engine}" / "bin" / "python")
        return [python, *self.flags, *invocation(variant, str(script)), *variant.args]

    def run(self, variant: Variant) -> tuple[measure.Measurement, int]:
        self.runs += 1
        outdir = self.workdir / f"out-{self.runs}"
        extra = {**variant.env, "CDKTF_OUTDIR": str(outdir), "MODEL_REGISTRY_ENGINE": variant.engine}
        if variant.key == "scaled":
            extra["MODEL_REGISTRY_CONFIG"] = str(self.scaled_path)
        log = self.workdir / f"run-{self.runs}.log"
        result = measure.run(
            self.command(variant), cwd=self.repo, env=child_env(extra), interval=self.interval, stdout=log, timeout=900
        )
        if result.returncode != 0:
            sys.exit(f"{variant.key} failed with exit code {result.returncode}:\n{tail(log)}")
        stacks = stack_count(outdir) or verified_stacks(log)
        shutil.rmtree(outdir, ignore_errors=True)
        return result, stacks

    def test_suite(self) -> dict[str, Any]:
        install_s = self.install_test_prerequisites()
        log = self.workdir / "pytest.log"
        command = [self.python, *self.flags, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"]
        result = measure.run(command, cwd=self.repo, env=child_env({}), interval=max(self.interval, 0.05), stdout=log, timeout=3600)
        summary = next((line.strip("= ") for line in reversed(log.read_text(errors="replace").splitlines()) if line.strip()), "")
        if result.returncode != 0:
            print(f"  the test suite exited {result.returncode}:\n{tail(log, 30)}", file=sys.stderr)
        return {
            "command": " ".join(["python", *self.flags, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"]),
            "wall_s": round(result.wall_s, 2),
            "peak_mb": round(result.peak_tree_rss / measure.MB),
            "max_single_mb": round(result.max_single_rss / measure.MB),
            "processes": result.processes,
            "returncode": result.returncode,
            "summary": summary,
            "install_s": install_s,
        }

    def install_test_prerequisites(self) -> float | None:
        """What `make test` installs before pytest (a no-op when installed), so the suite can run."""
        if shutil.which("make") is None or not (self.repo / "Makefile").exists():
            return None
        database = subprocess.run(["make", "-pRrq", "-f", "Makefile", ":"], cwd=self.repo, capture_output=True, text=True).stdout
        line = next((line for line in database.splitlines() if line.startswith("test:")), "test:")
        prerequisites = line.split(":", 1)[1].split()
        if not prerequisites:
            return None
        log = self.workdir / "install.log"
        result = measure.run(["make", "-s", *prerequisites], cwd=self.repo, env=child_env({}), interval=0.5, stdout=log, timeout=3600)
        if result.returncode != 0:
            sys.exit(f"installing the test prerequisites failed:\n{tail(log)}")
        return round(result.wall_s, 2)


def summarize(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def ratio(target: Target, variants: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if target.numerator not in variants or target.denominator not in variants:
        return None
    top, bottom = variants[target.numerator], variants[target.denominator]
    value = top[target.metric]["median"] / bottom[target.metric]["median"]
    # Same round, same machine state: the spread of these says how much noise there was.
    paired = [a / b for a, b in zip(top[target.metric]["runs"], bottom[target.metric]["runs"], strict=False)]
    entry: dict[str, Any] = {"name": target.name, "value": round(value, 3), "paired_median": round(statistics.median(paired), 3)}
    if target.limit:
        entry["target"] = target.limit
        entry["met"] = value <= target.limit
    return entry


def render_markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        f"{results['repeat']} interleaved rounds{'' if results['warmup'] else ' (no warm-up)'}, medians (min to max);"
        f" {results['date']}, {machine['cpus']} cores (load average {machine['load_before']} before,"
        f" {machine['load_after']} after), Python {machine['python']}, Node {machine['node']}."
        " Peak memory: RSS summed over the process tree (Python and its jsii Node processes), sampled every"
        f" {results['interval_s'] * 1000:.0f} ms.",
        "",
        "| run | wall time (s) | peak memory (MB) | stacks |",
        "| --- | --- | --- | --- |",
    ]
    for variant in results["variants"].values():
        wall, peak = variant["wall_s"], variant["peak_mb"]
        lines.append(
            f"| {variant['label']} | {wall['median']:.2f} ({wall['min']:.2f} to {wall['max']:.2f})"
            f" | {peak['median']:.0f} ({peak['min']:.0f} to {peak['max']:.0f}) | {variant['stacks']} |"
        )
    suite = results.get("test_suite")
    if suite:
        lines.append(f"| test suite, once (`{suite['command']}`) | {suite['wall_s']:.1f} | {suite['peak_mb']} | |")
    lines += ["", "| ratio (of medians) | value | same-round median | target | met |", "| --- | --- | --- | --- | --- |"]
    for entry in results["ratios"]:
        target = f"<= {entry['target']}" if "target" in entry else ""
        met = ("yes" if entry["met"] else "**no**") if "met" in entry else ""
        lines.append(f"| {entry['name']} | {entry['value']:.2f} | {entry['paired_median']:.2f} | {target} | {met} |")
    verify = results["variants"].get("verify-all")
    if verify:
        wall = verify["wall_s"]["median"]
        met = "yes" if wall <= VERIFY_LIMIT_S else "**no**"
        lines.append(f"| `make verify`, every config, s | {wall:.1f} | | <= {VERIFY_LIMIT_S:.0f} | {met} |")
    if suite:
        met = "yes" if suite["wall_s"] <= TEST_SUITE_LIMIT_S and suite["returncode"] == 0 else "**no**"
        lines.append(f"| test suite (after install), s | {suite['wall_s']:.1f} | | <= {TEST_SUITE_LIMIT_S:.0f} | {met} |")
        lines += ["", f"Test suite: {suite['summary']} (exit code {suite['returncode']})."]
    scale = results["scale"]
    lines += [
        "",
        f"Scaled config: {scale['environments']} environments, each with both clouds, {scale['repositories']}"
        f" repositories and {scale['buckets']} buckets ({scale['environments'] * scale['repositories']} repositories,"
        f" {scale['environments'] * scale['buckets']} buckets, {2 * scale['environments']} stacks), generated by"
        " `bench/scaled_config.py`.",
    ]
    return "\n".join(lines) + "\n"


def write_readme(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        sys.exit(f"{readme}: no {START_MARKER} ... {END_MARKER} section to rewrite")
    readme.write_text(text[: start + len(START_MARKER)] + "\n" + table + text[end:], encoding="utf-8")


def node_version() -> str:
    """The Node jsii runs on: the repo's pinned one (engine/node.py), else the first on PATH."""
    pinned = ROOT / "node_modules" / ".bin" / "node"
    try:
        node = str(pinned) if pinned.exists() else "node"
        return subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    except OSError:
        return "?"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = [key for key in wanted if key not in {v.key for v in VARIANTS}]
    if unknown:
        sys.exit(f"--only: unknown variant {', '.join(unknown)}; known: {', '.join(v.key for v in VARIANTS)}")
    variants = [v for v in VARIANTS if not wanted or v.key in wanted]
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix="model-registry-bench-"))
    try:
        runner = Runner(args, workdir)
        if any(v.key == "scaled" for v in variants):
            runner.prepare_scaled_config()
        print(f"{args.repeat} rounds of {', '.join(v.key for v in variants)} ({runner.python} {' '.join(runner.flags)})")
        if not args.no_warmup:
            for variant in variants:
                wall = runner.run(variant)[0].wall_s
                print(f"  warm-up  {variant.key:<13} {wall:7.2f} s")
        measured: dict[str, list[measure.Measurement]] = {v.key: [] for v in variants}
        stacks: dict[str, int] = {}
        for round_ in range(args.repeat):
            for variant in variants[round_ % len(variants) :] + variants[: round_ % len(variants)]:
                result, stacks[variant.key] = runner.run(variant)
                measured[variant.key].append(result)
                print(
                    f"  round {round_ + 1}  {variant.key:<13} {result.wall_s:7.2f} s  {result.peak_tree_rss / measure.MB:6.0f} MB"
                    f"  (largest process {result.max_single_rss / measure.MB:.0f} MB)"
                )
        results: dict[str, Any] = {
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "repeat": args.repeat,
            "warmup": not args.no_warmup,
            "interval_s": args.interval,
            "python_flags": args.python_flags,
            "scale": runner.scale,
            "variants": {},
        }
        for variant in variants:
            runs = measured[variant.key]
            walls = [r.wall_s for r in runs]
            peaks = [r.peak_tree_rss / measure.MB for r in runs]
            results["variants"][variant.key] = {
                "label": variant.label,
                "command": " ".join(["python", *runner.flags, *invocation(variant, variant.script), *variant.args]),
                "env": {**variant.env, **({"MODEL_REGISTRY_CONFIG": "<generated>"} if variant.key == "scaled" else {})},
                "stacks": stacks[variant.key],
                "wall_s": {**summarize(walls), "runs": [round(w, 3) for w in walls]},
                "peak_mb": {**summarize(peaks), "runs": [round(p, 1) for p in peaks]},
                # wait4's view: the largest single process, and CPU of the process and the children it reaped.
                "max_single_mb": round(statistics.median(r.max_single_rss / measure.MB for r in runs)),
                "cpu_s": round(statistics.median(r.cpu_s for r in runs), 2),
            }
        results["ratios"] = [r for t in TARGETS + INFO_RATIOS if (r := ratio(t, results["variants"])) is not None]
        if not args.no_tests:
            print("  test suite ...", flush=True)
            results["test_suite"] = runner.test_suite()
            print(f"  test suite     {results['test_suite']['wall_s']:7.2f} s  {results['test_suite']['summary']}")
        results["machine"] = {
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "python": subprocess.run([runner.python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True).stdout.strip(),
            "node": node_version(),
            "platform": platform.platform(),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    table = render_markdown(results)
    print()
    print(table)
    if args.quick:
        print("(--quick: nothing written)")
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.output / "results.md").write_text(table, encoding="utf-8")
    print(f"wrote {args.output / 'results.json'} and {args.output / 'results.md'}")
    if args.write_readme:
        write_readme(ROOT / "CONTRIBUTING.md", table)
        print(f"rewrote the table in {ROOT / 'CONTRIBUTING.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
