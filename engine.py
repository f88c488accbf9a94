"""The CDK engine the app runs on, chosen in one place: every other module imports its names from here.

    MODEL_REGISTRY_ENGINE=cdktf   (default) CDKTF 0.21.0, the last HashiCorp release, with
                                  cdktf-cdktf-provider-google 16.12.1 (hashicorp/google 6.50.0)
    MODEL_REGISTRY_ENGINE=cdktn   CDK Terrain 0.24.0, its community continuation, with
                                  cdktn-provider-google 21.1.0 (hashicorp/google 8.7.0)

The two have the same Python API under two package names and synthesize the same stacks
but for the google provider pin. Each lives in a virtual environment of its own
(`.venv`, `.venv-cdktn`: the Makefile's ENGINE), so switching needs no reinstall.

jsii runs the engine in Node; unless `JSII_NODE` says otherwise it is the repo's pinned Node
22 LTS (`node_modules/.bin/node`, from package.json), whatever `node` comes first on PATH.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ENGINES = {
    "cdktf": ("cdktf", "cdktf_cdktf_provider_google", "cdktf", "6.50.0"),
    "cdktn": ("cdktn", "cdktn_provider_google", "cdktn", "8.7.0"),
}
"""Engine -> (its Python package, its prebuilt google binding, its CLI, the hashicorp/google it pins)."""

ENGINE = os.environ.get("MODEL_REGISTRY_ENGINE") or "cdktf"


def _refuse(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


if ENGINE not in ENGINES:
    _refuse(f"MODEL_REGISTRY_ENGINE: not an engine (got {ENGINE!r}); use one of: {', '.join(ENGINES)}")
PACKAGE, GOOGLE_PACKAGE, CLI, GOOGLE_VERSION = ENGINES[ENGINE]
if importlib.util.find_spec(PACKAGE) is None:
    _refuse(
        f"MODEL_REGISTRY_ENGINE: {ENGINE} is not installed in this Python ({sys.executable});"
        f" run `make synth ENGINE={ENGINE}`, which installs it in its own environment"
    )

_PINNED_NODE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "node"
if "JSII_NODE" not in os.environ and _PINNED_NODE.exists():
    os.environ["JSII_NODE"] = str(_PINNED_NODE)

if TYPE_CHECKING or ENGINE == "cdktf":
    from cdktf import (
        App,
        GcsBackend,
        IResolvable,
        ITerraformDependable,
        ITerraformIterator,
        LocalBackend,
        Postcondition,
        S3Backend,
        TerraformBackend,
        TerraformCount,
        TerraformDataSource,
        TerraformElement,
        TerraformOutput,
        TerraformProvider,
        TerraformProviderGeneratorMetadata,
        TerraformResource,
        TerraformResourceLifecycle,
        TerraformStack,
        Testing,
        Token,
    )
else:
    from cdktn import (
        App,
        GcsBackend,
        IResolvable,
        ITerraformDependable,
        ITerraformIterator,
        LocalBackend,
        Postcondition,
        S3Backend,
        TerraformBackend,
        TerraformCount,
        TerraformDataSource,
        TerraformElement,
        TerraformOutput,
        TerraformProvider,
        TerraformProviderGeneratorMetadata,
        TerraformResource,
        TerraformResourceLifecycle,
        TerraformStack,
        Testing,
        Token,
    )

__all__ = [
    "CLI",
    "ENGINE",
    "GOOGLE_PACKAGE",
    "GOOGLE_VERSION",
    "PACKAGE",
    "App",
    "GcsBackend",
    "IResolvable",
    "ITerraformDependable",
    "ITerraformIterator",
    "LocalBackend",
    "Postcondition",
    "S3Backend",
    "TerraformBackend",
    "TerraformCount",
    "TerraformDataSource",
    "TerraformElement",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformProviderGeneratorMetadata",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Testing",
    "Token",
]
