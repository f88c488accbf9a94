"""Where each stack keeps its Terraform state: `environments.<env>.backend`.

No secret is ever read from the config file: tokens and keys come from the
environment of whoever runs Terraform (see SECRET_HINTS).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from rules import oci
from rules.problems import Problem, matching
from specs.base import ListOf, Model, fail, rule

CLOUD_PLACEHOLDER = "{cloud}"

SECRET_HINTS = {
    "token": "set TF_TOKEN_<hostname, dots as underscores> (e.g. TF_TOKEN_app_terraform_io) or run terraform login",
    "access_key": "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an OCI customer secret key) where Terraform runs",
    "secret_key": "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an OCI customer secret key) where Terraform runs",
    "credentials": "set GOOGLE_APPLICATION_CREDENTIALS or run gcloud auth application-default login",
    "access_token": "set GOOGLE_OAUTH_ACCESS_TOKEN where Terraform runs",
    "private_key": "point ~/.oci/config at the key file, or set OCI_PRIVATE_KEY_PATH where Terraform runs",
    "password": "keep passwords out of the config file; set them in the environment where Terraform runs",
}
"""Keys that would hold a secret, refused wherever they appear, with where the secret belongs."""

_organization = matching(
    r"[A-Za-z0-9_-]{1,40}", "not a Terraform Cloud organization name", "use up to 40 letters, digits, '-' and '_'"
)
_workspace_name = matching(
    r"[A-Za-z0-9_-]{1,90}",
    "not a Terraform Cloud workspace name",
    f"use up to 90 letters, digits, '-' and '_'; {CLOUD_PLACEHOLDER} stands for gcp or oci",
)
_tag_name = matching(
    r"[a-z0-9][a-z0-9:_-]{0,254}",
    "not a workspace tag",
    "use lowercase letters, digits, ':', '-' and '_', starting with a letter or digit;"
    f" {CLOUD_PLACEHOLDER} stands for gcp or oci",
)
_hostname = matching(
    r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::[0-9]{1,5})?",
    "not a hostname",
    "use a host name such as app.terraform.io or tfe.example.com, without https://",
)
_gcs_bucket = matching(
    r"(?!.*\.\.)[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]",
    "not a GCS bucket name",
    "use 3 to 63 lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
)
_state_path = matching(
    r"(?!/)(?!(?:.*/)?\.\.(?:/|$))[A-Za-z0-9_.{}/-]+",
    "not a state path",
    f"use a relative path of letters, digits, '-', '_', '.' and '/'; {CLOUD_PLACEHOLDER} stands for gcp or oci",
)


def _workspace(value: str) -> Problem | None:
    return _workspace_name(value.replace(CLOUD_PLACEHOLDER, "gcp"))


def _tag(value: str) -> Problem | None:
    return _tag_name(value.replace(CLOUD_PLACEHOLDER, "gcp"))


class LocalBackend(Model):
    """State in `state/<name>/<stack>.tfstate` beside the output folder (`<name>` is the config's
    `name`, so two configs with a `dev` never share a state); the path in the stack is relative."""

    type: Literal["local"] = Field(description="`local`.")


class CloudBackend(Model):
    """Terraform Cloud / Enterprise (a `cloud` block): one workspace per stack. The token comes from
    `TF_TOKEN_<host>` or `terraform login`."""

    type: Literal["cloud"] = Field(description="`cloud`.")
    organization: Annotated[str, rule(_organization)] = Field(
        description="The organization (up to 40 letters, digits, `-` and `_`).",
    )
    hostname: Annotated[str, rule(_hostname)] = Field(
        default="app.terraform.io",
        description="The host, `app.terraform.io` unless set, e.g. `tfe.example.com` (without https://).",
    )
    project: str | None = Field(
        default=None,
        description="The Terraform Cloud project of the workspaces; the organization's default when left out.",
    )
    workspace: Annotated[str, rule(_workspace)] | None = Field(
        default=None,
        description="The workspace of each stack, `<name>-<env>-<cloud>` when left out. One you give must contain"
        " `{cloud}` when the environment has both clouds, so the two stacks never share a state.",
    )
    workspace_tags: ListOf[Annotated[str, rule(_tag)]] | None = Field(
        default=None,
        description="Instead of `workspace`: tags of the workspaces the stack may run in; `TF_WORKSPACE` picks one"
        " where Terraform runs. `{cloud}` in a tag stands for gcp or oci; with both clouds, one tag must hold it,"
        " so that each stack picks among its own workspaces.",
    )

    @model_validator(mode="after")
    def _one_way_to_pick(self) -> CloudBackend:
        if self.workspace is not None and self.workspace_tags is not None:
            fail(
                (
                    ("workspace_tags",),
                    list(self.workspace_tags),
                    Problem("workspace and workspace_tags exclude each other", "keep one of them"),
                )
            )
        if self.workspace_tags == ():
            fail((("workspace_tags",), [], Problem("no tag", "list at least one tag, or use workspace")))
        return self


class GcsBackend(Model):
    """A Google Cloud Storage bucket; credentials from Application Default Credentials."""

    type: Literal["gcs"] = Field(description="`gcs`.")
    bucket: Annotated[str, rule(_gcs_bucket)] = Field(description="The bucket's name (it must exist).")
    prefix: Annotated[str, rule(_state_path)] | None = Field(
        default=None,
        description="The state's path in the bucket, `<name>/<env>/<cloud>` when left out; with both clouds it must"
        " contain `{cloud}`.",
    )


class S3Backend(Model):
    """OCI Object Storage through its S3-compatible API, at the derived endpoint
    `https://<namespace>.compat.objectstorage.<region>.oraclecloud.com` (the realm's domain outside
    the commercial realm), path-style, without the AWS-only checks. Keys from `AWS_ACCESS_KEY_ID`
    and `AWS_SECRET_ACCESS_KEY`: an OCI customer secret key."""

    type: Literal["s3"] = Field(description="`s3`.")
    bucket: Annotated[str, rule(oci.check_bucket_name)] = Field(description="The bucket's name (it must exist).")
    key: Annotated[str, rule(_state_path)] | None = Field(
        default=None,
        description="The state's object name, `<name>/<env>/<cloud>.tfstate` when left out; with both clouds it must"
        " contain `{cloud}`.",
    )
    region: Annotated[str, rule(oci.check_region)] = Field(description="The bucket's region.")
    namespace: Annotated[str, rule(oci.check_namespace)] = Field(description="The tenancy's Object Storage namespace.")


Backend = Annotated[LocalBackend | CloudBackend | GcsBackend | S3Backend, Field(discriminator="type")]
BACKEND_TYPES = ("local", "cloud", "gcs", "s3")


def cloud_tags(backend: CloudBackend, cloud: str) -> list[str]:
    """The workspace tags of one cloud's stack: `{cloud}` in a tag becomes gcp or oci."""
    return [tag.replace(CLOUD_PLACEHOLDER, cloud) for tag in backend.workspace_tags or ()]


def needs_cloud_placeholder(backend: CloudBackend | GcsBackend | S3Backend | LocalBackend) -> tuple[str, str] | None:
    """The (field, value) a two-cloud environment would share between its stacks, if any
    (workspace_tags, shared unless a tag holds `{cloud}`, shown as a YAML list)."""
    if (
        isinstance(backend, CloudBackend)
        and backend.workspace_tags
        and not any(CLOUD_PLACEHOLDER in tag for tag in backend.workspace_tags)
    ):
        return "workspace_tags", "[" + ", ".join(backend.workspace_tags) + "]"
    shared = {
        "workspace": backend.workspace if isinstance(backend, CloudBackend) else None,
        "prefix": backend.prefix if isinstance(backend, GcsBackend) else None,
        "key": backend.key if isinstance(backend, S3Backend) else None,
    }
    for field, value in shared.items():
        if value is not None and CLOUD_PLACEHOLDER not in value:
            return field, value
    return None
