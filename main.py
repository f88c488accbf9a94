"""Synthesize one Terraform stack per (environment, cloud) of the config file.

    MODEL_REGISTRY_CONFIG   config file (default: config/example.yaml beside this file)
    MODEL_REGISTRY_STACKS   comma list of stacks to build, e.g. prod-oci,prod-gcp (default: all)
    CDKTF_OUTDIR            output folder (default: cdktf.out; the cdktf CLI sets it)

A mistake in the config or the selection prints every problem, one line each,
and exits 2 before anything is written.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

# jsii warns at every start that Node 20 is past end-of-life; the CLI pins Node 20 here.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The app uses no pydantic plugin; looking for them reads the metadata of every installed
# package, a seventh of the time a config check takes.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from config import AppConfig, ConfigError, load_config
from stacks.names import StackName

DEFAULT_CONFIG = Path(__file__).parent / "config" / "example.yaml"

STACKS = {
    "gcp": "stacks.gcp_stack:GcpStack",
    "oci": "stacks.oci_stack:OciStack",
}
"""The one table of clouds: an environment's section of each name is built by this stack class.

Imported only for the clouds selected: each binding costs seconds to load."""


def main() -> int:
    config_path = Path(os.environ.get("MODEL_REGISTRY_CONFIG") or DEFAULT_CONFIG)
    try:
        config = load_config(config_path)
        names = select_stacks(stack_names(config), os.environ.get("MODEL_REGISTRY_STACKS", ""))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2

    from cdktf import App

    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    for name in names:
        environment = config.environments[name.environment]
        stack_class(name.cloud)(
            app,
            name,
            environment.sections()[name.cloud],
            backend=environment.backend,
            allow_destroy=environment.allow_destroy,
        )
    app.synth()
    return 0


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
            [f"MODEL_REGISTRY_STACKS: unknown stack (got {part!r}); known stacks: {', '.join(known)}" for part in unknown]
        )
    return [name for name in names if name.id in wanted]


if __name__ == "__main__":
    sys.exit(main())
