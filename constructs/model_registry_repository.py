"""ModelRegistryRepository: an Artifact Registry repository for ML model versions."""

from __future__ import annotations

from functools import cached_property

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
from constructs.import_block import ImportBlock
from engine import App, TerraformResourceLifecycle, TerraformStack
from rules import gcp as rules
from rules.problems import short_hash
from rules.terraform import literal
from specs.repository import CleanupSpec, RepositorySpec


class ModelRegistryRepository(Construct):
    """An Artifact Registry repository for model versions, with its IAM and CMEK grant.

    Takes the user's choices as a validated `spec`, plus what only the stack knows:
    the `project` and `location` it lives in, and `prevent_destroy` (default true:
    Terraform refuses to destroy the repository and the models in it). The
    location must be the one of a CMEK key (`spec.location_problems` says so).

    Terraform addresses derive from `id_`: the repository is
    `google_artifact_registry_repository.<id_>`; renaming `id_` moves every resource.
    """

    def __init__(
        self, scope: Construct, id_: str, *, spec: RepositorySpec, project: str, location: str, prevent_destroy: bool = True
    ) -> None:
        problems = spec.location_problems(location)
        if problems:
            (_, got, problem), *_ = problems
            raise ValueError(f"ModelRegistryRepository {id_!r}: kms_key_name: {problem.problem} (got {got!r}); {problem.allowed}")
        super().__init__(scope, id_)
        self.spec = spec
        self.project = project
        self.location = location
        # The prebuilt binding leaves strings to cdktf's HCL writer: escape for it under --hcl.
        self._hcl = App.of(self).hcl_output is True
        self.repository_id = spec.id
        self.repository_url = rules.repository_url(location=location, format_=spec.format, project=project, repository_id=spec.id)
        cmek_grant = self._cmek_grant(spec.kms_key_name) if spec.kms_key_name else None

        self.resource = ArtifactRegistryRepository(
            self,
            "repository",
            project=project,
            location=location,
            repository_id=spec.id,
            format=spec.format.upper(),
            description=self._literal(spec.description) if spec.description is not None else None,
            labels={self._literal(key): self._literal(value) for key, value in spec.labels.items()} or None,
            kms_key_name=spec.kms_key_name,
            docker_config=ArtifactRegistryRepositoryDockerConfig(immutable_tags=spec.immutable_tags) if spec.docker else None,
            vulnerability_scanning_config=(
                ArtifactRegistryRepositoryVulnerabilityScanningConfig(enablement_config=spec.vulnerability_scanning.upper())
                if spec.vulnerability_scanning
                else None
            ),
            cleanup_policies=_cleanup_policies(spec.cleanup),
            cleanup_policy_dry_run=spec.cleanup.dry_run if spec.cleanup else None,
            depends_on=[cmek_grant] if cmek_grant else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None,
        )
        self.resource.override_logical_id(id_)
        if spec.adopt:
            ImportBlock(self, "import", resource=self.resource, import_id=rules.import_id(project, location, spec.id))

        self._policy_data: DataGoogleIamPolicy | None = None
        self._bindings: dict[str, list[str]] = {}
        iam = spec.iam
        if iam is not None and iam.mode == "authoritative":
            self._bindings = {role: list(members) for role, members in iam.bindings().items()}
            self._authoritative_policy()
        elif iam is not None:
            for role, members in iam.bindings().items():
                for member in members:
                    self._member(role, member)

    def _literal(self, text: str) -> str:
        return literal(text, hcl=self._hcl)

    def grant_read(self, member: str) -> None:
        """Let `member` pull model versions (roles/artifactregistry.reader)."""
        self._grant(rules.ROLE_READER, member)

    def grant_write(self, member: str) -> None:
        """Let `member` push model versions (roles/artifactregistry.writer)."""
        self._grant(rules.ROLE_WRITER, member)

    def _grant(self, role: str, member: str) -> None:
        allow_public = self.spec.iam.allow_public if self.spec.iam else False
        problem = rules.check_member(member, allow_public=allow_public)
        if problem is not None:
            raise ValueError(f"ModelRegistryRepository {self.node.id!r}: grant {role}: {problem.problem} (got {member!r}); {problem.allowed}")
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
        return [
            DataGoogleIamPolicyBinding(role=role, members=[self._literal(member) for member in members])
            for role, members in self._bindings.items()
        ]

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
            member=self._literal(member),
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
        name = f"project-{self.project}"
        existing = stack.node.try_find_child(name)
        if isinstance(existing, DataGoogleProject):
            return existing
        project = DataGoogleProject(stack, name, project_id=self.project)
        project.override_logical_id(self.project)
        return project

    def output_values(self) -> dict[str, str]:
        """What a pipeline needs of this repository, by name: the stack's outputs `<id>_<name>`
        and the fields of its `repositories` output. `url`, `id` (the full resource name),
        `location`, `project`, `format` (lower case), and `address`: what the format's client
        takes (rules.gcp.client_address: a docker image prefix, a pip index URL, gcloud flags)."""
        return {
            "url": self.repository_url,
            "id": self.resource.id,
            "location": self.location,
            "project": self.project,
            "format": self.spec.format.lower(),
            "address": rules.client_address(
                location=self.location, format_=self.spec.format, project=self.project, repository_id=self.repository_id
            ),
        }


def _cleanup_policies(cleanup: CleanupSpec | None) -> list[ArtifactRegistryRepositoryCleanupPolicies] | None:
    """The KEEP and DELETE rules as two policies, durations in seconds.

    Seconds avoid the `90d` vs `7776000s` diff older providers show on every plan.
    """
    if cleanup is None:
        return None
    policies = [
        ArtifactRegistryRepositoryCleanupPolicies(
            id="delete-older-versions",
            action="DELETE",
            condition=ArtifactRegistryRepositoryCleanupPoliciesCondition(
                older_than=f"{cleanup.delete_after_seconds}s", tag_state="ANY"
            ),
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
