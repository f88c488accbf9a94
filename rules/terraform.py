"""What Terraform itself makes of the strings we write."""

from __future__ import annotations

REQUIRED_VERSION = ">= 1.7.0"
"""Written to every stack's `terraform.required_version`: `import` blocks came in 1.5, an
`import` ID that refers to a data source (a looked-up namespace) in 1.6, the S3 backend's
`skip_s3_checksum` (OCI's S3-compatible API needs it) in 1.6.3, and `removed` blocks (a
repository leaving authoritative IAM forgets its policy) in 1.7."""


def literal(text: str, *, hcl: bool = False) -> str:
    """`text` as a string Terraform reads back as `text`.

    `${` and `%{` start templates in every string Terraform reads (JSON and HCL alike), so a
    user's `${file("/etc/hostname")}` would be evaluated: `$${` and `%%{` are their escapes.
    With `hcl`, the text is also made safe for cdktf 0.21's HCL writer (see `hcl_escaped`),
    for bindings that leave strings to it.
    """
    escaped = text.replace("${", "$${").replace("%{", "%%{")
    return hcl_escaped(escaped) if hcl else escaped


def hcl_escaped(text: str) -> str:
    """`text` ready to go between the quotes cdktf 0.21's HCL writer adds, and nothing more.

    The writer escapes bare double quotes only (and not even those when the string holds
    `${`), never a backslash, and turns a multi-line string into a heredoc, which adds a
    newline. Escaping them all here makes `cdk.tf` say what `cdk.tf.json` says; the writer
    leaves a quote that follows a backslash alone, so nothing is escaped twice.
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
