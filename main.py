"""Synthesize one Terraform stack per (environment, cloud) of the config file.

    MODEL_REGISTRY_CONFIG   config file (default: config/example.yaml beside this file)
    CDKTF_OUTDIR            output folder (default: cdktf.out; the cdktf CLI sets it)

A config mistake prints every problem, one line each, and exits 2 before
anything is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# jsii warns at every start that Node 20 is past end-of-life; the CLI pins Node 20 here.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

DEFAULT_CONFIG = Path(__file__).parent / "config" / "example.yaml"


def main() -> int:
    from config import ConfigError, load_config

    config_path = Path(os.environ["MODEL_REGISTRY_CONFIG"]) if os.environ.get("MODEL_REGISTRY_CONFIG") else DEFAULT_CONFIG
    try:
        config = load_config(config_path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2

    # Imported only once the config is good: each binding costs seconds to load.
    from cdktf import App

    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    for env_name, environment in config.environments.items():
        if environment.gcp is not None:
            from stacks.gcp_stack import GcpStack

            GcpStack(app, f"{env_name}-gcp", environment=environment)
        if environment.oci is not None:
            from stacks.oci_stack import OciStack

            OciStack(app, f"{env_name}-oci", environment=environment, policy_prefix=f"{config.name}-{env_name}")
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
