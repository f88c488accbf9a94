"""What cdktf 0.21's HCL writer (`cdktf synth --hcl`) gets wrong, put right; plain Python, no cdktf."""

from __future__ import annotations

import re

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


_POSTCONDITION = re.compile(
    r'postcondition = \[\n\{\ncondition = "\$\{(.*?)\}"\n(error_message = .*?)\n\},\n\]', re.DOTALL
)


def with_condition_blocks(hcl: str) -> str:
    """`cdk.tf` with each resource postcondition written as a block: cdktf 0.21's HCL writer gives
    a `lifecycle` block's `postcondition` as a list attribute, which Terraform refuses."""
    return _POSTCONDITION.sub(lambda m: f"postcondition {{\ncondition = {m.group(1)}\n{m.group(2)}\n}}", hcl)


_IGNORED = re.compile(r'(ignore_changes = \[\n)((?:"[a-z0-9_]+",\n)+)(\s*\])')


def with_bare_ignore_changes(hcl: str) -> str:
    """`cdk.tf` with `ignore_changes` naming attributes bare: cdktf 0.21's HCL writer quotes them,
    which Terraform still reads but warns is deprecated ("Quoted references are deprecated")."""
    return _IGNORED.sub(lambda m: m.group(1) + m.group(2).replace('"', "") + m.group(3), hcl)


def with_removed(hcl: str, addresses: list[str]) -> str:
    """`cdk.tf` with a `removed` block that forgets each of `addresses` (engine.elements.RemovedBlock:
    cdktf 0.21 writes these blocks in `cdk.tf.json` only)."""
    blocks = "".join(
        f"\n\nremoved {{\nfrom = {address}\nlifecycle {{\ndestroy = false\n}}\n}}" for address in addresses
    )
    return f"{hcl.rstrip()}{blocks}\n" if blocks else hcl


def completed(hcl: str, *, removed: list[str]) -> str:
    """`cdk.tf` as cdktf 0.21 should have written it: its `required_version`, postconditions as
    blocks, `ignore_changes` unquoted, and a `removed` block for each of `removed`."""
    return with_removed(with_bare_ignore_changes(with_condition_blocks(with_required_version(hcl))), removed)
