"""Synthesize one Terraform stack per (environment, cloud) of a config file.

Usage: python main.py             (what `make synth` and `npx cdktf synth|deploy` run)
       python main.py --quiet     the same, without the summary on standard error
       python main.py --check     (`make check`) load and check the config and the stack
                                  selection, print what would be built; writes nothing and
                                  never starts cdktf or Node
       python main.py --review    (`make review`) synthesize into a temporary folder and say what
                                  each change from the config's reviewed snapshots does in the
                                  cloud (review/); --review-json: the same as JSON
       python main.py --help

Environment:
    MODEL_REGISTRY_CONFIG   config file (default: config/example.yaml beside this file)
    MODEL_REGISTRY_STACKS   comma list of stacks to build, e.g. prod-oci,prod-gcp (default: all)
    CDKTF_OUTDIR            output folder (default: cdktf.out; the cdktf CLI sets it)

Writes <outdir>/stacks/<env>-<cloud>/cdk.tf.json (cdk.tf with SYNTH_HCL_OUTPUT=true, as
`cdktf synth --hcl` sets it) and <outdir>/manifest.json; the folder then holds exactly
the stacks of this synth. Then prints on standard error one row per stack (its file, where
its state is, its resources by kind, its outputs) and the totals; standard output stays empty.

Exit status: 0 synthesized (with --check: checked); 2 a mistake in the config, the stack
selection, the output folder or the arguments: every problem is printed, one line each, and
nothing is written.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

# The app uses no pydantic plugin; looking for them reads the metadata of every installed
# package, a seventh of the time a config check takes.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import outdir
import report
from config import AppConfig, ConfigError, load_config
from stacks.names import StackName

DEFAULT_CONFIG = Path(__file__).parent / "config" / "example.yaml"

STACKS = {
    "gcp": "stacks.gcp_stack:GcpStack",
    "oci": "stacks.oci_stack:OciStack",
}
"""The one table of clouds: an environment's section of each name is built by this stack class.

Imported only for the clouds selected: each binding costs seconds to load."""
FLAGS = ("--check", "--quiet", "--review", "--review-json")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    unknown = [arg for arg in args if arg not in FLAGS]
    if unknown:
        print(
            f"main.py: unknown argument {unknown[0]!r}; it takes {', '.join(FLAGS)} or --help (see --help),"
            " the environment says what to build",
            file=sys.stderr,
        )
        return 2
    config_path = Path(os.environ.get("MODEL_REGISTRY_CONFIG") or DEFAULT_CONFIG)
    output = Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
    try:
        config = load_config(config_path)
        names = select_stacks(stack_names(config), os.environ.get("MODEL_REGISTRY_STACKS", ""))
        if "--check" in args:
            print("\n".join(report.check(config_path, config, names, output)))
            return 0
        if "--review" in args or "--review-json" in args:
            from review.command import review

            return review(config_path, config, stack_names(config), synthesize, as_json="--review-json" in args)
        staging = outdir.prepare(output, [name.id for name in names])
    except (ConfigError, outdir.OutdirError) as error:
        print(error, file=sys.stderr)
        return 2

    try:
        stacks = synthesize(config, names, staging)
        outdir.publish(staging, output)
    finally:
        outdir.discard(staging)
    if "--quiet" not in args:
        print(
            "\n".join(report.summary(config_path, config, names, output, stacks, time.perf_counter() - started)),
            file=sys.stderr,
        )
    return 0


def synthesize(config: AppConfig, names: list[StackName], into: Path) -> dict[str, Any]:
    """Synthesize `names` into `into`; each stack's Terraform JSON, by stack id (for the summary)."""
    from engine import App

    app = App(outdir=str(into))
    stacks = {}
    for name in names:
        environment = config.environments[name.environment]
        stacks[name.id] = stack_class(name.cloud)(
            app,
            name,
            environment.sections()[name.cloud],
            backend=environment.backend,
            allow_destroy=environment.allow_destroy,
        )
    app.synth()
    written = {}
    for stack_id, stack in stacks.items():
        file = into / "stacks" / stack_id / "cdk.tf.json"
        # The JSON written; under --hcl, the same configuration from the stack itself.
        written[stack_id] = json.loads(file.read_text(encoding="utf-8")) if file.exists() else stack.to_terraform()
    return written


def stack_class(cloud: str) -> Any:
    module, _, class_name = STACKS[cloud].partition(":")
    return getattr(importlib.import_module(module), class_name)


def stack_names(config: AppConfig) -> list[StackName]:
    """Every stack the config describes, in file order; within an environment, in the order of CLOUDS."""
    return [
        StackName(config.name, env_name, cloud)
        for env_name, environment in config.environments.items()
        for cloud in environment.sections()
    ]


def select_stacks(names: list[StackName], selection: str) -> list[StackName]:
    """The stacks named in `selection` (a comma list; empty: all), or ConfigError for unknown names."""
    wanted = [part.strip() for part in selection.split(",") if part.strip()]
    if not wanted:
        return names
    known = [name.id for name in names]
    unknown = [part for part in wanted if part not in known]
    if unknown:
        raise ConfigError(
            [
                f"MODEL_REGISTRY_STACKS: unknown stack (got {part!r}); known stacks: {', '.join(known)}"
                for part in unknown
            ]
        )
    return [name for name in names if name.id in wanted]


if __name__ == "__main__":
    sys.exit(main())
