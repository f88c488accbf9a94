"""What cdktf 0.21's HCL writer (`cdktf synth --hcl`) gets wrong, put right; plain Python, no cdktf."""

from __future__ import annotations

from rules.terraform import REQUIRED_VERSION


def escaped(text: str) -> str:
    """`text` ready to go between the quotes cdktf 0.21's HCL writer adds, and nothing more.

    The writer escapes bare double quotes only (and not even those when the string holds
    `${`), never a backslash, and turns a multi-line string into a heredoc, which adds a
    newline. Escaping them all here makes `cdk.tf` say what `cdk.tf.json` says; the writer
    leaves a quote that follows a backslash alone, so nothing is escaped twice.
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def with_required_version(hcl: str) -> str:
    """`cdk.tf` with the `required_version` that `cdk.tf.json` has (engine.elements.RequiredVersion:
    cdktf 0.21 cannot write it in HCL)."""
    head, found, rest = hcl.partition("terraform {\n")
    if not found or "required_version" in hcl:
        return hcl
    return f'{head}terraform {{\nrequired_version = "{REQUIRED_VERSION}"\n{rest}'
