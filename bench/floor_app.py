"""The floor: the smallest cdktf app (one stack, one output), run like main.py.

What every synth pays before our code does anything: Python, jsii's Node process,
cdktf and constructs, one stack synthesized into $CDKTF_OUTDIR.
"""

from __future__ import annotations

import os

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from cdktf import App, TerraformOutput, TerraformStack


def main() -> None:
    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    stack = TerraformStack(app, "floor")
    TerraformOutput(stack, "floor", value="floor")
    app.synth()


if __name__ == "__main__":
    main()
