"""The floor: the smallest cdktf app (one stack, one output), run like main.py.

What every synth pays before our code does anything: Python, jsii's Node process,
cdktf and constructs, one stack synthesized into $CDKTF_OUTDIR.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The app's engine module: the same jsii Node as main.py (the pinned Node 22).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engine import App, TerraformOutput, TerraformStack


def main() -> None:
    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    stack = TerraformStack(app, "floor")
    TerraformOutput(stack, "floor", value="floor")
    app.synth()


if __name__ == "__main__":
    main()
