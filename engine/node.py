"""The Node that runs jsii: the repo's pinned Node 22 LTS (`node_modules/.bin/node`, from
package.json) unless `JSII_NODE` names another, whatever `node` comes first on PATH.

jsii starts Node when the first jsii package is imported (the PyPI `constructs` package is
one: `import constructs.model_bucket` imports it first), so the choice must be made before
any of our modules runs. Each virtual environment the Makefile installs runs this file at
interpreter start (a `.pth` file, written by `make`); `engine` runs it again on import, for a
Python that has no such file. It imports nothing of ours: the `.pth` runs it by path.
"""

from __future__ import annotations

import os
from pathlib import Path

PINNED_NODE = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "node"


def select() -> None:
    """Point jsii at the pinned Node when it is installed and nothing else was chosen."""
    if "JSII_NODE" not in os.environ and PINNED_NODE.exists():
        os.environ["JSII_NODE"] = str(PINNED_NODE)


if __name__ in ("__main__", "<run_path>"):
    select()
