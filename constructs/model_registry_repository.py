"""ModelRegistryRepository: an Artifact Registry repository for ML model versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from cdktf import TerraformResourceLifecycle, TerraformStack
from bindings.google import (
    ArtifactRegistryRepository,
    ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions,
    ArtifactRegistryRepositoryDockerConfig,
    ArtifactRegistryRepositoryIamMember,
    ArtifactRegistryRepositoryIamPolicy,
    ArtifactRegistryRepositoryVulnerabilityScanningConfig,
    DataGoogleIamPolicy,
    DataGoogleIamPolicyBinding,
    DataGoogleProject,
    KmsCryptoKeyIamMember,
)
from constructs import Construct

from constructs import artifact_registry_rules as rules
from constructs.import_block import ImportBlock
from constructs.rules import Checker, Problem, duplicates, short_hash

IamMode = Literal["authoritative", "additive"]


@dataclass(frozen=True)
class CleanupProps:
    """Cleanup of old versions: versions older than `delete_older_than` are deleted,
    except the `keep_latest` most recent versions of each package.

    Defaults: `dry_run` True (Artifact Registry only logs what it would delete: a safe
    first rollout); no KEEP rule.
    """

    delete_older_than: str
    keep_latest: int | None = None
    dry_run: bool = True


@dataclass(frozen=True)
class IamProps:
    """Who may read, write and administer the repository.

    `authoritative` (default) owns the whole policy: grants made elsewhere are removed.
    `additive` adds one member grant per member and role and leaves others alone.
    `allUsers` / `allAuthenticatedUsers` are refused unless `allow_public` is True.
    """

    mode: IamMode = "authoritative"
    readers: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    allow_public: bool = False

    def bindings(self) -> dict[str, tuple[str, ...]]:
        """Role -> members, non-empty roles only."""
        by_role = {
            rules.ROLE_READER: self.readers,
            rules.ROLE_WRITER: self.writers,
            rules.ROLE_REPO_ADMIN: self.admins,
        }
        return {role: members for role, members in by_role.items() if members}


@dataclass(frozen=True)
class ModelRegistryRepositoryProps:
    """Everything a ModelRegistryRepository needs; names follow the provider's arguments.

    Defaults: format GENERIC (model files: .pt, .onnx, .safetensors, tarballs); no
    description or labels; Google-managed encryption (`kms_key_name` None); mutable
    Docker tags; the project's vulnerability scanning setting; no cleanup; no IAM
    resource (grants made elsewhere stay); `prevent_destroy` on; `adopt` off (True
    emits an `import` block, so an existing repository is taken over, not created).
    """

    project: str
    location: str
    repository_id: str
    format: str = "GENERIC"
    description: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    kms_key_name: str | None = None
    immutable_tags: bool = False
    vulnerability_scanning: Literal["inherited", "disabled"] | None = None
    cleanup: CleanupProps | None = None
    iam: IamProps | None = None
    prevent_destroy: bool = True
    adopt: bool = False


def check_props(props: ModelRegistryRepositoryProps) -> Checker:
    """Every rule of PROVIDER_NOTES a repository's props can break, collected."""
    check = Checker()
    check.add("project", props.project, rules.check_project_id(props.project))
    check.add("location", props.location, rules.check_location(props.location))
    check.add("repository_id", props.repository_id, rules.check_repository_id(props.repository_id))
    check.add("format", props.format, rules.check_format(props.format))
    for key, value in props.labels.items():
        check.add(f"labels.{key}", key, rules.check_label_key(key))
        check.add(f"labels.{key}", value, rules.check_label_value(value))
    if props.kms_key_name is not None:
        check.add("kms_key_name", props.kms_key_name, rules.check_kms_key_name(props.kms_key_name, props.location))
    if props.immutable_tags:
        check.add("immutable_tags", props.immutable_tags, rules.check_docker_only(props.format))
    if props.vulnerability_scanning is not None:
        check.add("vulnerability_scanning", props.vulnerability_scanning, rules.check_docker_only(props.format))
    if props.cleanup is not None:
        cleanup = props.cleanup
        check.add("cleanup.delete_older_than", cleanup.delete_older_than, rules.check_duration(cleanup.delete_older_than))
        if cleanup.keep_latest is not None:
            check.add("cleanup.keep_latest", cleanup.keep_latest, rules.check_keep_latest(cleanup.keep_latest))
    if props.iam is not None:
        iam = props.iam
        for role in ("readers", "writers", "admins"):
            members: tuple[str, ...] = getattr(iam, role)
            for index, member in enumerate(members):
                check.add(f"iam.{role}[{index}]", member, rules.check_member(member, allow_public=iam.allow_public))
            for member in duplicates(members):
                check.add(f"iam.{role}", member, Problem("member listed twice", "list each member once"))
        if iam.mode == "authoritative":
            count = len(iam.readers) + len(iam.writers) + len(iam.admins)
            check.add("iam", "no members", rules.check_authoritative_grants(count))
    return check


class ModelRegistryRepository(Construct):
    """An Artifact Registry repository for model versions, with its IAM and CMEK grant.

    Terraform addresses derive from `id_`: the repository is
    `google_artifact_registry_repository.<id_>`; renaming `id_` moves every resource.
    """

    def __init__(self, scope: Construct, id_: str, *, props: ModelRegistryRepositoryProps) -> None:
        check_props(props).raise_if_any(f"ModelRegistryRepository {id_!r}")
        super().__init__(scope, id_)
        self.props = props
        self.repository_id = props.repository_id
        self.repository_url = rules.repository_url(
            location=props.location, format_=props.format, project=props.project, repository_id=props.repository_id
        )
        docker = props.format.upper() == "DOCKER"
        cmek_grant = self._cmek_grant(props.kms_key_name) if props.kms_key_name else None

        self.resource = ArtifactRegistryRepository(
            self,
            "repository",
            project=props.project,
            location=props.location,
            repository_id=props.repository_id,
            format=props.format.upper(),
            description=props.description,
            labels=dict(props.labels) or None,
            kms_key_name=props.kms_key_name,
            docker_config=ArtifactRegistryRepositoryDockerConfig(immutable_tags=props.immutable_tags) if docker else None,
            vulnerability_scanning_config=(
                ArtifactRegistryRepositoryVulnerabilityScanningConfig(
                    enablement_config=props.vulnerability_scanning.upper()
                )
                if props.vulnerability_scanning
                else None
            ),
            cleanup_policies=_cleanup_policies(props.cleanup),
            cleanup_policy_dry_run=props.cleanup.dry_run if props.cleanup else None,
            depends_on=[cmek_grant] if cmek_grant else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None,
        )
        self.resource.override_logical_id(id_)
        if props.adopt:
            ImportBlock(
                self, "import", resource=self.resource,
                import_id=rules.import_id(props.project, props.location, props.repository_id),
            )

        self._policy_data: DataGoogleIamPolicy | None = None
        self._bindings: dict[str, list[str]] = {}
        iam = props.iam
        if iam is not None and iam.mode == "authoritative":
            self._bindings = {role: list(members) for role, members in iam.bindings().items()}
            self._authoritative_policy()
        elif iam is not None:
            for role, members in iam.bindings().items():
                for member in members:
                    self._member(role, member)

    def grant_read(self, member: str) -> None:
        """Let `member` pull model versions (roles/artifactregistry.reader)."""
        self._grant(rules.ROLE_READER, member)

    def grant_write(self, member: str) -> None:
        """Let `member` push model versions (roles/artifactregistry.writer)."""
        self._grant(rules.ROLE_WRITER, member)

    def _grant(self, role: str, member: str) -> None:
        check = Checker()
        allow_public = self.props.iam.allow_public if self.props.iam else False
        check.add("member", member, rules.check_member(member, allow_public=allow_public))
        check.raise_if_any(f"ModelRegistryRepository {self.node.id!r}: grant {role}")
        if self._policy_data is None:
            # No authoritative policy here: a grant is one additive member, which never
            # removes what others granted.
            self._member(role, member)
            return
        members = self._bindings.setdefault(role, [])
        if member not in members:
            members.append(member)
            self._policy_data.put_binding(self._binding_structs())

    @cached_property
    def _repository_reference(self) -> tuple[str, str, str]:
        """project/location/repository as references (so IAM waits for the repository).

        Read once: each read is a round trip to the jsii runtime, and additive IAM
        needs them for every member.
        """
        return self.resource.project, self.resource.location, self.resource.repository_id

    def _binding_structs(self) -> list[DataGoogleIamPolicyBinding]:
        return [DataGoogleIamPolicyBinding(role=role, members=list(members)) for role, members in self._bindings.items()]

    def _authoritative_policy(self) -> None:
        self._policy_data = DataGoogleIamPolicy(self, "policy-data", binding=self._binding_structs())
        self._policy_data.override_logical_id(self.node.id)
        policy = ArtifactRegistryRepositoryIamPolicy(
            self,
            "policy",
            project=self._repository_reference[0],
            location=self._repository_reference[1],
            repository=self._repository_reference[2],
            policy_data=self._policy_data.policy_data,
        )
        policy.override_logical_id(self.node.id)

    def _member(self, role: str, member: str) -> None:
        # Named by role and member, not by position: reordering the list moves nothing.
        name = f"{role.rsplit('.', 1)[-1].lower()}-{short_hash(member)}"
        if self.node.try_find_child(name) is not None:
            return
        grant = ArtifactRegistryRepositoryIamMember(
            self,
            name,
            project=self._repository_reference[0],
            location=self._repository_reference[1],
            repository=self._repository_reference[2],
            role=role,
            member=member,
        )
        grant.override_logical_id(f"{self.node.id}_{name.replace('-', '_')}")

    def _cmek_grant(self, kms_key_name: str) -> KmsCryptoKeyIamMember:
        """The service agent's use of the key, once per stack and key.

        Repositories sharing a key share the grant: two copies of one grant would
        let destroying one repository revoke the key for the others.
        """
        stack = TerraformStack.of(self)
        name = f"artifact-registry-cmek-{short_hash(kms_key_name)}"
        existing = stack.node.try_find_child(name)
        if isinstance(existing, KmsCryptoKeyIamMember):
            return existing
        project = self._project_data(stack)
        grant = KmsCryptoKeyIamMember(
            stack,
            name,
            crypto_key_id=kms_key_name,
            role=rules.ROLE_KMS_ENCRYPTER_DECRYPTER,
            member=rules.service_agent(project.number),
        )
        grant.override_logical_id(f"artifact_registry_cmek_{short_hash(kms_key_name)}")
        return grant

    def _project_data(self, stack: TerraformStack) -> DataGoogleProject:
        name = f"project-{self.props.project}"
        existing = stack.node.try_find_child(name)
        if isinstance(existing, DataGoogleProject):
            return existing
        project = DataGoogleProject(stack, name, project_id=self.props.project)
        project.override_logical_id(self.props.project)
        return project


def _cleanup_policies(cleanup: CleanupProps | None) -> list[ArtifactRegistryRepositoryCleanupPolicies] | None:
    """The KEEP and DELETE rules as two policies, durations in seconds.

    Seconds avoid the `90d` vs `7776000s` diff older providers show on every plan.
    """
    if cleanup is None:
        return None
    seconds = rules.parse_duration(cleanup.delete_older_than)
    policies = [
        ArtifactRegistryRepositoryCleanupPolicies(
            id="delete-older-versions",
            action="DELETE",
            condition=ArtifactRegistryRepositoryCleanupPoliciesCondition(older_than=f"{seconds}s", tag_state="ANY"),
        )
    ]
    if cleanup.keep_latest is not None:
        policies.append(
            ArtifactRegistryRepositoryCleanupPolicies(
                id="keep-latest-versions",
                action="KEEP",
                most_recent_versions=ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions(
                    keep_count=cleanup.keep_latest
                ),
            )
        )
    return policies
