"""What Terraform itself makes of the strings we write."""

from __future__ import annotations

REQUIRED_VERSION = ">= 1.7.0"
"""Written to every stack's `terraform.required_version`: `import` blocks came in 1.5, an
`import` ID that refers to a data source (a looked-up namespace) in 1.6, the S3 backend's
`skip_s3_checksum` (OCI's S3-compatible API needs it) in 1.6.3, and `removed` blocks (a
repository leaving authoritative IAM forgets its policy) in 1.7."""


def literal(text: str) -> str:
    """`text` as a string Terraform reads back as `text`.

    `${` and `%{` start templates in every string Terraform reads (JSON and HCL alike), so a
    user's `${file("/etc/hostname")}` would be evaluated: `$${` and `%%{` are their escapes.
    """
    return text.replace("${", "$${").replace("%{", "%%{")
