"""Synthesize one Terraform stack per (environment, cloud) of the config file.

    MODEL_REGISTRY_CONFIG   config file (default: config/example.yaml beside this file)
    MODEL_REGISTRY_STACKS   comma list of stacks to build, e.g. prod-oci,prod-gcp (default: all)
    CDKTF_OUTDIR            output folder (default: cdktf.out; the cdktf CLI sets it)

A mistake in the config or the selection prints every problem, one line each,
and exits 2 before anything is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# jsii warns at every start that Node 20 is past end-of-life; the CLI pins Node 20 here.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from config import AppConfig, ConfigError, load_config  # noqa: E402
from stacks.names import StackName  # noqa: E402

if TYPE_CHECKING:
    from constructs import Construct

DEFAULT_CONFIG = Path(__file__).parent / "config" / "example.yaml"


def main() -> int:
    config_path = Path(os.environ.get("MODEL_REGISTRY_CONFIG") or DEFAULT_CONFIG)
    try:
        config = load_config(config_path)
        names = select_stacks(stack_names(config), os.environ.get("MODEL_REGISTRY_STACKS", ""))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2

    # Imported only now, and only for the clouds selected: each binding costs seconds to load.
    from cdktf import App

    from constructs.rules import InvalidPropsError

    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    try:
        for name in names:
            build_stack(app, name, config)
    except InvalidPropsError as error:
        # The config passed its checks but a construct refused it: still a user's input,
        # still no traceback, and nothing has been written yet (synth comes last).
        print(f"{config_path}: {error}", file=sys.stderr)
        return 2
    app.synth()
    return 0


def build_stack(app: Construct, name: StackName, config: AppConfig) -> None:
    environment = config.environments[name.environment]
    if name.cloud == "gcp":
        from stacks.gcp_stack import GcpStack

        GcpStack(app, name.id, name=name, environment=environment)
    else:
        from stacks.oci_stack import OciStack

        OciStack(app, name.id, name=name, environment=environment)


def stack_names(config: AppConfig) -> list[StackName]:
    """Every stack the config describes, in file order: gcp before oci within an environment."""
    names: list[StackName] = []
    for env_name, environment in config.environments.items():
        if environment.gcp is not None:
            names.append(StackName(config.name, env_name, "gcp"))
        if environment.oci is not None:
            names.append(StackName(config.name, env_name, "oci"))
    return names


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
