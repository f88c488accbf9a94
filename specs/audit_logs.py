"""Data Access audit logs of Artifact Registry, for a whole project."""

from __future__ import annotations

from pydantic import Field, model_validator

from rules.problems import Problem
from specs.base import Model, fail


class AuditLogsSpec(Model):
    """Artifact Registry's Data Access audit logs for the whole project (Google leaves them off;
    Admin Activity logs are always on and cannot be turned off).

    Becomes `google_project_iam_audit_config` for `artifactregistry.googleapis.com`:
    authoritative for that service in the project, so it replaces what was set there for
    it before (settings for `allServices` are kept and add to it). Every pull is a log
    entry: mind the logging bill on busy repositories.
    """

    data_read: bool = Field(
        default=True,
        description="Logs every pull and read of an artifact (`DATA_READ`); on unless set to false.",
    )
    data_write: bool = Field(default=True, description="Logs every push (`DATA_WRITE`); on unless set to false.")
    admin_read: bool = Field(
        default=False,
        description="Logs reads of repository settings and IAM policies (`ADMIN_READ`); off unless set to true.",
    )

    @model_validator(mode="after")
    def _enables_something(self) -> AuditLogsSpec:
        if not self.log_types:
            fail(
                (
                    (),
                    "{...}",
                    Problem("enables no log", "set data_read, data_write or admin_read to true, or remove audit_logs"),
                )
            )
        return self

    @property
    def log_types(self) -> list[str]:
        """The API's log types, in a fixed order."""
        wanted = (("ADMIN_READ", self.admin_read), ("DATA_READ", self.data_read), ("DATA_WRITE", self.data_write))
        return [log_type for log_type, on in wanted if on]
