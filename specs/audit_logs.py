"""Data Access audit logs of Artifact Registry, for a whole project."""

from __future__ import annotations

from pydantic import model_validator

from rules.problems import Problem
from specs.base import Model, fail


class AuditLogsSpec(Model):
    """Which Data Access audit logs Artifact Registry writes in the project (Google leaves
    them off): `data_read` (every pull and read, default true), `data_write` (every push,
    default true), `admin_read` (reads of repository settings and IAM, default false).
    Admin Activity logs are always on and cannot be turned off.

    Becomes `google_project_iam_audit_config` for `artifactregistry.googleapis.com`:
    authoritative for that service in the project, so it replaces what was set there for
    it before (settings for `allServices` are kept and add to it).
    """

    data_read: bool = True
    data_write: bool = True
    admin_read: bool = False

    @model_validator(mode="after")
    def _enables_something(self) -> AuditLogsSpec:
        if not self.log_types:
            fail(((), "{...}", Problem("enables no log", "set data_read, data_write or admin_read to true, or remove audit_logs")))
        return self

    @property
    def log_types(self) -> list[str]:
        """The API's log types, in a fixed order."""
        wanted = (("ADMIN_READ", self.admin_read), ("DATA_READ", self.data_read), ("DATA_WRITE", self.data_write))
        return [log_type for log_type, on in wanted if on]
