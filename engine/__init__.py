"""The CDK engine the app runs on, and everything that is particular to it, in one package.

    MODEL_REGISTRY_ENGINE=cdktf   (default) CDKTF 0.21.0, the last HashiCorp release, with
                                  cdktf-cdktf-provider-google 16.12.1 (hashicorp/google 6.50.0)
    MODEL_REGISTRY_ENGINE=cdktn   CDK Terrain 0.24.0, its community continuation, with
                                  cdktn-provider-google 21.1.0 (hashicorp/google 8.7.0)

The two have the same Python API under two package names and synthesize the same stacks
but for the google provider pin. Each lives in a virtual environment of its own
(`.venv`, `.venv-cdktn`: the Makefile's ENGINE), so switching needs no reinstall.

- `engine` (here): which engine, and its names (`from engine import App`), imported from the
  engine's package the first time one is asked for: `import engine.hcl` loads no cdktf;
- `engine.node`: the Node 22 that jsii runs on;
- `engine.google`: the prebuilt google binding, under either engine's package name;
- `engine.elements`: Terraform blocks cdktf writes badly or not at all (`import`, `cloud`,
  `required_version`); `engine.hcl`: what its HCL writer gets wrong.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, Any

from engine import node

node.select()

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


if TYPE_CHECKING:
    from cdktf import (
        AnyMap,
        App,
        Fn,
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


def __getattr__(name: str) -> Any:
    """`engine.App` and the other NAMES, from the selected engine's package (which starts jsii)."""
    if name not in NAMES:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(PACKAGE), name)
    globals()[name] = value
    return value


__all__ = [
    "CLI",
    "ENGINE",
    "GOOGLE_PACKAGE",
    "GOOGLE_VERSION",
    "NAMES",
    "PACKAGE",
    "AnyMap",
    "App",
    "Fn",
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

NAMES = tuple(__all__[6:])
"""The engine's names the app uses, the same in both packages: `from engine import App`."""
