"""Every Terraform address of every stack of the two configs the suite synthesizes, pinned.

Addresses are a contract: renaming one destroys and recreates what it names (a bucket
of models). A change that moves one must change this list on purpose and ship a
`moved` block (README: "Terraform addresses are a contract"). The other expectation
tables (what a plan creates, imports and reads) are derived from this one.

Hashes: eight hex digits of sha256 of the member (IAM grants), the key (CMEK grant, the
Object Storage key policy), the compartment (lifecycle and replication service policies) or
`<compartment>/<region>` (the log group of bucket logs in a region) the resource is for.
"""

from __future__ import annotations

PINNED: dict[str, dict[str, list[str]]] = {
    "example": {
        "dev-gcp": [
            "google_artifact_registry_repository.models",
            "google_artifact_registry_repository_iam_member.models_reader_de3fd9a7",
            "google_artifact_registry_repository_iam_member.models_writer_14371a57",
            "google_project_service.acme-ml-dev_artifactregistry",  # the API, enabled before the repository
            "time_sleep.acme-ml-dev_artifactregistry",  # until the API answers
        ],
        "dev-oci": [
            "data.oci_identity_region_subscriptions.home",  # the home region, for IAM
            "data.oci_objectstorage_namespace.this",
            "oci_identity_policy.ml-models-dev_access",
            "oci_identity_policy.objectstorage_lifecycle_service_9b0b62ee",
            "oci_logging_log.ml-models-dev_write",  # write access logs: on by default
            "oci_logging_log_group.objectstorage_logs_652503d6",
            "oci_objectstorage_bucket.ml-models-dev",
            "oci_objectstorage_object_lifecycle_policy.ml-models-dev",
            "time_sleep.objectstorage_lifecycle_service_9b0b62ee",  # until the policy is in force
        ],
        "prod-gcp": [
            "data.google_iam_policy.models",
            "data.google_iam_policy.serving-images",
            "data.google_project.acme-ml-prod",  # the project number names the service agent
            "google_artifact_registry_repository.models",
            "google_artifact_registry_repository.serving-images",
            "google_artifact_registry_repository_iam_policy.models",
            "google_artifact_registry_repository_iam_policy.serving-images",
            "google_kms_crypto_key_iam_member.artifact_registry_cmek_c7e94162",  # one grant: both repositories share the key
            "google_project_service.acme-ml-prod_artifactregistry",
            "google_project_service.acme-ml-prod_containerscanning",  # serving-images scans with the project's setting
            "google_project_service_identity.acme-ml-prod_artifactregistry",  # the service agent, before its CMEK grant
            "time_sleep.acme-ml-prod_artifactregistry",  # until the API answers
            "time_sleep.acme-ml-prod_artifactregistry_agent",  # until a grant to the agent holds
            "time_sleep.acme-ml-prod_containerscanning",  # until the API answers
            "time_sleep.artifact_registry_cmek_c7e94162",  # until the grant is in force
        ],
        "prod-oci": [
            "data.oci_objectstorage_namespace.this",
            "oci_identity_policy.machine-learning-models_access",
            "oci_identity_policy.objectstorage_key_service_1cb9ac35",  # Object Storage's use of the Vault key
            "oci_identity_policy.objectstorage_lifecycle_service_c5b6af76",
            "oci_logging_log.machine-learning-models_read",
            "oci_logging_log.machine-learning-models_write",
            "oci_logging_log_group.objectstorage_logs_72a80f89",
            "oci_objectstorage_bucket.machine-learning-models",
            "oci_objectstorage_object_lifecycle_policy.machine-learning-models",
            "time_sleep.objectstorage_key_service_1cb9ac35",  # until the policy is in force
            "time_sleep.objectstorage_lifecycle_service_c5b6af76",  # until the policy is in force
        ],
    },
    "full": {
        "gcs-state-gcp": ["google_artifact_registry_repository.models"],  # enable_apis: false
        "gcs-state-oci": [
            "data.oci_objectstorage_namespace.this",
            "oci_logging_log.gcs-state-models_write",
            "oci_logging_log_group.objectstorage_logs_16b204fb",
            "oci_objectstorage_bucket.gcs-state-models",
        ],
        "oci-state-oci": [
            "data.oci_identity_region_subscriptions.home",
            "data.oci_objectstorage_namespace.this",
            "oci_logging_log.oci-state-models_write",
            "oci_logging_log_group.objectstorage_logs_fb489a54",
            "oci_objectstorage_bucket.oci-state-models",
        ],
        "research-gcp": [
            "data.google_iam_policy.wheels",
            "data.google_project.acme-research",
            "google_artifact_registry_repository.checkpoints",
            "google_artifact_registry_repository.pip",  # virtual: wheels first, then pypi-cache
            "google_artifact_registry_repository.pipelines",
            "google_artifact_registry_repository.pypi-cache",  # remote: PyPI
            "google_artifact_registry_repository.wheels",
            "google_artifact_registry_repository_iam_member.checkpoints_reader_2c7a5edd",
            "google_artifact_registry_repository_iam_member.checkpoints_reader_b74d78ad",
            "google_artifact_registry_repository_iam_member.checkpoints_repoadmin_aa13635d",
            "google_artifact_registry_repository_iam_member.checkpoints_writer_2f79087e",
            "google_artifact_registry_repository_iam_member.pip_reader_b74d78ad",
            "google_artifact_registry_repository_iam_policy.wheels",  # adopted, replace_existing_grants: true
            "google_kms_crypto_key_iam_member.artifact_registry_cmek_99fc2f0f",
            "google_project_service.acme-research_artifactregistry",
            "google_project_service_identity.acme-research_artifactregistry",
            "time_sleep.acme-research_artifactregistry",  # until the API answers
            "time_sleep.acme-research_artifactregistry_agent",  # until a grant to the agent holds
            "time_sleep.artifact_registry_cmek_99fc2f0f",  # until the grant is in force
        ],
        "research-oci": [
            # namespace given in the config: no lookup; research.checkpoints has service_policy: false
            "data.oci_identity_region_subscriptions.home",
            # and no replication service policy: the world's root policy grants it
            "oci_identity_policy.objectstorage_lifecycle_service_dfd89ca6",
            "oci_logging_log._2024-datasets_write",
            "oci_logging_log.research_checkpoints_read",
            "oci_logging_log.research_checkpoints_replica_read",  # the replica's logs, in its region
            "oci_logging_log.research_checkpoints_replica_write",
            "oci_logging_log.research_checkpoints_write",
            "oci_logging_log_group.objectstorage_logs_73488ef2",  # eu-frankfurt-1
            "oci_logging_log_group.objectstorage_logs_fddf4d59",  # eu-amsterdam-1
            "oci_objectstorage_bucket._2024-datasets",
            "oci_objectstorage_bucket.research_checkpoints",
            "oci_objectstorage_bucket.research_checkpoints_replica",
            "oci_objectstorage_object_lifecycle_policy._2024-datasets",
            "oci_objectstorage_object_lifecycle_policy.research_checkpoints",
            "oci_objectstorage_replication_policy.research_checkpoints",
            "time_sleep.objectstorage_lifecycle_service_dfd89ca6",  # until the policy is in force
        ],
        "staging-gcp": [
            "data.google_iam_policy.serving",
            "google_artifact_registry_repository.docker-hub",  # remote: Docker Hub
            "google_artifact_registry_repository.serving",
            "google_artifact_registry_repository_iam_policy.serving",
            "google_project_iam_audit_config.acme-ml-staging_artifactregistry",  # Data Access logs, project-wide
            "google_project_service.acme-ml-staging_artifactregistry",
            "google_project_service.acme-ml-staging_containerscanning",  # docker-hub scans with the project's setting
            "time_sleep.acme-ml-staging_artifactregistry",  # until the API answers
            "time_sleep.acme-ml-staging_containerscanning",  # until the API answers
        ],
        "staging-oci": [
            "data.oci_objectstorage_namespace.this",
            "oci_identity_policy.objectstorage_key_service_263635e6",
            "oci_identity_policy.objectstorage_key_service_855727d0",  # the replica's key, in us-ashburn-1
            "oci_identity_policy.objectstorage_lifecycle_service_ba4c5903",
            "oci_identity_policy.objectstorage_replication_service_ba4c5903",
            "oci_identity_policy.staging-models_access",
            "oci_logging_log.staging-models_replica_write",
            "oci_logging_log.staging-models_write",
            "oci_logging_log_group.objectstorage_logs_14dcaf15",  # us-phoenix-1
            "oci_logging_log_group.objectstorage_logs_eff8c99a",  # us-ashburn-1
            "oci_objectstorage_bucket.staging-models",
            "oci_objectstorage_bucket.staging-models_replica",  # adopted source, new replica
            "oci_objectstorage_object_lifecycle_policy.staging-models",
            "oci_objectstorage_replication_policy.staging-models",
            "time_sleep.objectstorage_key_service_263635e6",  # until the policy is in force
            "time_sleep.objectstorage_key_service_855727d0",  # until the policy is in force
            "time_sleep.objectstorage_lifecycle_service_ba4c5903",  # until the policy is in force
            "time_sleep.objectstorage_replication_service_ba4c5903",  # until the policy is in force
        ],
        "tagged-oci": [
            "data.oci_objectstorage_namespace.this",
            "oci_identity_policy.tagged-models_access",  # logging write: false, so no log and no log group
            "oci_objectstorage_bucket.tagged-models",
        ],
    },
}

STACKS = {config: tuple(sorted(stacks)) for config, stacks in PINNED.items()}
"""The stacks each config describes, sorted: a lost or extra stack fails."""


def resources(config: str, stack: str) -> set[str]:
    return {address for address in PINNED[config][stack] if not address.startswith("data.")}


def data_sources(config: str, stack: str) -> set[str]:
    return {address for address in PINNED[config][stack] if address.startswith("data.")}
