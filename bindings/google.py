"""The classes of the prebuilt google binding this app uses, without the other ~1,460 modules.

Importing any `cdktf_cdktf_provider_google.<module>` first runs the package's `__init__`,
which imports every resource module of the provider (8-13 s, ~400 MB). Registering the
package, unexecuted, before the first import makes Python load only the modules named
below; each still registers its types with jsii, and the jsii assembly loads as before.
"""

from __future__ import annotations

import importlib.util
import sys

_PACKAGE = "cdktf_cdktf_provider_google"
if _PACKAGE not in sys.modules:
    _spec = importlib.util.find_spec(_PACKAGE)
    if _spec is not None:
        sys.modules[_PACKAGE] = importlib.util.module_from_spec(_spec)

from cdktf_cdktf_provider_google.artifact_registry_repository import (  # noqa: E402
    ArtifactRegistryRepository,
    ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions,
    ArtifactRegistryRepositoryDockerConfig,
    ArtifactRegistryRepositoryVulnerabilityScanningConfig,
)
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_member import (  # noqa: E402
    ArtifactRegistryRepositoryIamMember,
)
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_policy import (  # noqa: E402
    ArtifactRegistryRepositoryIamPolicy,
)
from cdktf_cdktf_provider_google.data_google_iam_policy import DataGoogleIamPolicy, DataGoogleIamPolicyBinding  # noqa: E402
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject  # noqa: E402
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember  # noqa: E402
from cdktf_cdktf_provider_google.provider import GoogleProvider  # noqa: E402

__all__ = [
    "ArtifactRegistryRepository",
    "ArtifactRegistryRepositoryCleanupPolicies",
    "ArtifactRegistryRepositoryCleanupPoliciesCondition",
    "ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions",
    "ArtifactRegistryRepositoryDockerConfig",
    "ArtifactRegistryRepositoryIamMember",
    "ArtifactRegistryRepositoryIamPolicy",
    "ArtifactRegistryRepositoryVulnerabilityScanningConfig",
    "DataGoogleIamPolicy",
    "DataGoogleIamPolicyBinding",
    "DataGoogleProject",
    "GoogleProvider",
    "KmsCryptoKeyIamMember",
]
