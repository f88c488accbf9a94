"""ArtifactRegistryAuditLogs: the Data Access audit logs of Artifact Registry in a project."""

from __future__ import annotations

from bindings.google import ProjectIamAuditConfig, ProjectIamAuditConfigAuditLogConfig
from constructs import Construct
from rules import gcp as rules
from specs.audit_logs import AuditLogsSpec


class ArtifactRegistryAuditLogs(Construct):
    """`google_project_iam_audit_config.<project>_artifactregistry`: authoritative for the
    Artifact Registry service in `project` (what was set for that service before is
    replaced; settings for `allServices` stay and add to it)."""

    def __init__(self, scope: Construct, id_: str, *, spec: AuditLogsSpec, project: str) -> None:
        super().__init__(scope, id_)
        self.resource = ProjectIamAuditConfig(
            self,
            "config",
            project=project,
            service=rules.API_ARTIFACT_REGISTRY,
            audit_log_config=[ProjectIamAuditConfigAuditLogConfig(log_type=log_type) for log_type in spec.log_types],
        )
        self.resource.override_logical_id(f"{project}_artifactregistry")
