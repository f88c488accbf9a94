"""The classes of the prebuilt google binding this app uses, on either engine (engine.google)."""

from __future__ import annotations

# First: it decides which engine's package answers the imports below.
import engine.google  # noqa: F401

# isort: split

from cdktf_cdktf_provider_google.artifact_registry_repository import (
    ArtifactRegistryRepository,
    ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions,
    ArtifactRegistryRepositoryDockerConfig,
    ArtifactRegistryRepositoryRemoteRepositoryConfig,
    ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepository,
    ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepositoryCustomRepository,
    ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepository,
    ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepositoryCustomRepository,
    ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentials,
    ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentialsUsernamePasswordCredentials,
    ArtifactRegistryRepositoryVirtualRepositoryConfig,
    ArtifactRegistryRepositoryVirtualRepositoryConfigUpstreamPolicies,
    ArtifactRegistryRepositoryVulnerabilityScanningConfig,
)
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_member import (
    ArtifactRegistryRepositoryIamMember,
)
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_policy import (
    ArtifactRegistryRepositoryIamPolicy,
)
from cdktf_cdktf_provider_google.data_google_iam_policy import DataGoogleIamPolicy, DataGoogleIamPolicyBinding
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember
from cdktf_cdktf_provider_google.project_iam_audit_config import (
    ProjectIamAuditConfig,
    ProjectIamAuditConfigAuditLogConfig,
)
from cdktf_cdktf_provider_google.project_service import ProjectService
from cdktf_cdktf_provider_google.provider import GoogleProvider
from cdktf_cdktf_provider_google.secret_manager_secret_iam_member import SecretManagerSecretIamMember

__all__ = [
    "ArtifactRegistryRepository",
    "ArtifactRegistryRepositoryCleanupPolicies",
    "ArtifactRegistryRepositoryCleanupPoliciesCondition",
    "ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions",
    "ArtifactRegistryRepositoryDockerConfig",
    "ArtifactRegistryRepositoryIamMember",
    "ArtifactRegistryRepositoryIamPolicy",
    "ArtifactRegistryRepositoryRemoteRepositoryConfig",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepository",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepositoryCustomRepository",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepository",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepositoryCustomRepository",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentials",
    "ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentialsUsernamePasswordCredentials",
    "ArtifactRegistryRepositoryVirtualRepositoryConfig",
    "ArtifactRegistryRepositoryVirtualRepositoryConfigUpstreamPolicies",
    "ArtifactRegistryRepositoryVulnerabilityScanningConfig",
    "DataGoogleIamPolicy",
    "DataGoogleIamPolicyBinding",
    "DataGoogleProject",
    "GoogleProvider",
    "KmsCryptoKeyIamMember",
    "ProjectIamAuditConfig",
    "ProjectIamAuditConfigAuditLogConfig",
    "ProjectService",
    "SecretManagerSecretIamMember",
]
