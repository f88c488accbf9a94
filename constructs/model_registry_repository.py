"""ModelRegistryRepository: an Artifact Registry repository for ML model versions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from bindings.google import (
    ArtifactRegistryRepository,
    ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions,
    ArtifactRegistryRepositoryDockerConfig,
    ArtifactRegistryRepositoryIamMember,
    ArtifactRegistryRepositoryIamPolicy,
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
    DataGoogleIamPolicy,
    DataGoogleIamPolicyBinding,
    DataGoogleProject,
    KmsCryptoKeyIamMember,
    ProjectService,
    SecretManagerSecretIamMember,
)
from bindings.google_beta import GoogleBetaProvider, ProjectServiceIdentity
from bindings.time import Sleep
from constructs import Construct
from constructs.propagation_wait import PropagationWait
from constructs.shared import one_per_stack
from engine import App, TerraformResource, TerraformResourceLifecycle, TerraformStack, hcl
from engine.elements import ImportBlock, RemovedBlock
from rules import gcp as rules
from rules.problems import short_hash
from rules.terraform import literal
from specs import outputs
from specs.repository import CleanupSpec, RepositorySpec, ServingSpec


class ModelRegistryRepository(Construct):
    """An Artifact Registry repository for model versions, with its IAM and CMEK grant.

    Takes the user's choices as a validated `spec`, plus what only the stack knows:
    the `project` and `location` it lives in, the `upstreams` a virtual repository
    serves from (its environment's repositories by id), `prevent_destroy` (default true:
    Terraform refuses to destroy the repository and the models in it) and
    `enable_apis` (default true: the APIs it needs are enabled in the project first,
    and never disabled on destroy), and the stack's `beta_provider` (google-beta: required
    with a CMEK key, whose service agent only google-beta makes). The location must be the one of a CMEK key
    (`spec.location_problems` says so).

    What a new project lacks is made first, once per stack: the APIs, and for CMEK the
    Artifact Registry service agent (google-beta's `google_project_service_identity`:
    the agent exists only after a project's first repository otherwise) and its grant
    on the key. The repository waits for all of them.

    Terraform addresses derive from `id_`: the repository is
    `google_artifact_registry_repository.<id_>`; renaming `id_` moves every resource.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        spec: RepositorySpec,
        project: str,
        location: str,
        prevent_destroy: bool = True,
        enable_apis: bool = True,
        upstreams: Mapping[str, ModelRegistryRepository] | None = None,
        beta_provider: GoogleBetaProvider | None = None,
    ) -> None:
        problems = spec.location_problems(location)
        if problems:
            (_, got, problem), *_ = problems
            raise ValueError(
                f"ModelRegistryRepository {id_!r}: kms_key_name: {problem.problem} (got {got!r}); {problem.allowed}"
            )
        super().__init__(scope, id_)
        self.spec = spec
        self.project = project
        self.beta_provider = beta_provider
        self.location = location
        # The prebuilt binding leaves strings to cdktf's HCL writer: escape for it under --hcl.
        self._hcl = App.of(self).hcl_output is True
        self._references: set[str] = set()
        self.repository_id = spec.id
        self.repository_url = rules.repository_url(
            location=location, format_=spec.format, project=project, repository_id=spec.id
        )
        # Each of these is eventually consistent: what needs it waits for its PropagationWait.
        registry_api = [self._api(rules.API_ARTIFACT_REGISTRY)] if enable_apis else []
        scanned = spec.vulnerability_scanning == "enabled"  # INHERITED scans only while that API is on
        scanning_api = [self._api(rules.API_CONTAINER_SCANNING)] if enable_apis and scanned else []
        waits_for: list[Sleep] = [*registry_api, *scanning_api]
        if spec.kms_key_name:
            waits_for.append(self._cmek_grant(spec.kms_key_name, agent=self._service_agent(after=registry_api)))
        secret = spec.remote.secret if spec.remote is not None else None
        if secret is not None:
            waits_for.append(self._secret_grant(secret, agent=self._service_agent(after=registry_api)))

        self.resource = ArtifactRegistryRepository(
            self,
            "repository",
            project=project,
            location=location,
            repository_id=spec.id,
            format=spec.api_format,
            description=self._literal(spec.description) if spec.description is not None else None,
            labels={self._literal(key): self._literal(value) for key, value in spec.labels.items()} or None,
            kms_key_name=spec.kms_key_name,
            mode=rules.MODES[spec.mode] if spec.mode != "standard" else None,
            remote_repository_config=_remote(spec, self._literal),
            virtual_repository_config=self._virtual(spec, upstreams or {}),
            docker_config=(
                ArtifactRegistryRepositoryDockerConfig(immutable_tags=spec.immutable_tags)
                if spec.docker and spec.mode == "standard"
                else None
            ),
            vulnerability_scanning_config=(
                ArtifactRegistryRepositoryVulnerabilityScanningConfig(
                    enablement_config=rules.SCANNING_ENABLEMENT[spec.vulnerability_scanning]
                )
                if spec.vulnerability_scanning
                else None
            ),
            cleanup_policies=_cleanup_policies(spec.cleanup),
            cleanup_policy_dry_run=spec.cleanup.dry_run if spec.cleanup else None,
            depends_on=waits_for or None,
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
        else:
            # Leaving authoritative IAM (iam removed, or additive) must not empty the
            # repository's policy: deleting the policy resource writes an empty one
            # (tpgiamresource/resource_iam_policy.go), revoking every grant, made here or not.
            # Terraform forgets it instead; nothing happens when it was never in the state.
            RemovedBlock(self, "forget-policy", address=f"google_artifact_registry_repository_iam_policy.{id_}")
            for role, members in (iam.bindings() if iam is not None else {}).items():
                for member in members:
                    self._member(role, member)
        if spec.serving is not None:
            self._serving_grants(spec.serving)

    def _literal(self, text: str) -> str:
        if text in self._references:
            return text  # a member built from a reference (a project number): Terraform must read it
        return hcl.escaped(literal(text)) if self._hcl else literal(text)

    def _serving_grants(self, serving: ServingSpec) -> None:
        """roles/artifactregistry.reader for the service agents of each consuming project, their
        numbers read with data.google_project; in the one policy when IAM is authoritative."""
        for runtime, project in serving.projects():
            number = self._project_data_of(project).number
            for domain in rules.SERVING_AGENTS[runtime]:
                member = rules.serving_agent(domain, number)
                self._references.add(member)
                if self._policy_data is None:
                    self._member(rules.ROLE_READER, member, name=f"reader-{domain}-{project}")
                else:
                    members = self._bindings.setdefault(rules.ROLE_READER, [])
                    members.append(member)
                    self._policy_data.put_binding(self._binding_structs())

    def _project_data_of(self, project: str) -> DataGoogleProject:
        """`data.google_project.<project>`, once per stack (the repository's own project shares it)."""

        def make(stack: TerraformStack, id_: str) -> DataGoogleProject:
            data = DataGoogleProject(stack, id_, project_id=project)
            data.override_logical_id(project)
            return data

        return one_per_stack(self, DataGoogleProject, f"project-{project}", make)

    def _virtual(
        self, spec: RepositorySpec, upstreams: Mapping[str, ModelRegistryRepository]
    ) -> ArtifactRegistryRepositoryVirtualRepositoryConfig | None:
        """Upstream policies naming the upstreams' full resource names (so this waits for them)."""
        if spec.virtual is None:
            return None
        missing = [upstream.id for upstream in spec.virtual.upstreams if upstream.id not in upstreams]
        if missing:
            raise ValueError(
                f"ModelRegistryRepository {spec.id!r}: virtual upstreams not built yet: {', '.join(missing)}"
            )
        return ArtifactRegistryRepositoryVirtualRepositoryConfig(
            upstream_policies=[
                ArtifactRegistryRepositoryVirtualRepositoryConfigUpstreamPolicies(
                    id=upstream.id, repository=upstreams[upstream.id].resource.id, priority=upstream.priority
                )
                for upstream in spec.virtual.upstreams
            ]
        )

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
            raise ValueError(
                f"ModelRegistryRepository {self.node.id!r}: grant {role}: {problem.problem} (got {member!r});"
                f" {problem.allowed}"
            )
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

    def _member(self, role: str, member: str, name: str | None = None) -> None:
        # Named by role and member, not by position: reordering the list moves nothing.
        name = name or f"{role.rsplit('.', 1)[-1].lower()}-{short_hash(member)}"
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

    def _api(self, service: str) -> Sleep:
        """`service` enabled in the project, and the wait until it answers
        (rules.gcp.API_PROPAGATION); destroying the stack leaves it enabled for everyone else
        (`disable_on_destroy` defaults to true in google 6.x)."""
        short = service.split(".", 1)[0]

        def make(stack: TerraformStack, id_: str) -> PropagationWait:
            api = ProjectService(
                stack, f"api-{self.project}-{short}", project=self.project, service=service, disable_on_destroy=False
            )
            api.override_logical_id(f"{self.project}_{short}")
            return PropagationWait(
                stack, id_, after=api, duration=rules.API_PROPAGATION, address=f"{self.project}_{short}"
            )

        return one_per_stack(self, PropagationWait, f"api-{self.project}-{short}-in-force", make).resource

    def _service_agent(self, *, after: list[Sleep]) -> Sleep:
        """The project's Artifact Registry service agent, made now rather than by the first
        repository, and the wait until a grant to it holds (rules.gcp.SERVICE_AGENT_PROPAGATION)."""
        if self.beta_provider is None:
            raise ValueError(
                f"ModelRegistryRepository {self.node.id!r}: a CMEK key needs the stack's google-beta provider"
                " (beta_provider)"
            )
        beta_provider = self.beta_provider

        def make(stack: TerraformStack, id_: str) -> PropagationWait:
            identity = ProjectServiceIdentity(
                stack,
                f"agent-{self.project}",
                project=self.project,
                service=rules.API_ARTIFACT_REGISTRY,
                provider=beta_provider,
                depends_on=list(after) or None,
            )
            identity.override_logical_id(f"{self.project}_artifactregistry")
            return PropagationWait(
                stack,
                id_,
                after=identity,
                duration=rules.SERVICE_AGENT_PROPAGATION,
                address=f"{self.project}_artifactregistry_agent",
            )

        return one_per_stack(self, PropagationWait, f"agent-{self.project}-in-force", make).resource

    def _cmek_grant(self, kms_key_name: str, *, agent: Sleep) -> Sleep:
        """The service agent's use of the key, once per stack and key, and the wait until it is
        in force: the repository's create does not retry a KMS permission error."""
        return self._agent_grant(
            "artifact-registry-cmek",
            kms_key_name,
            lambda stack, name, member: KmsCryptoKeyIamMember(
                stack,
                name,
                crypto_key_id=kms_key_name,
                role=rules.ROLE_KMS_ENCRYPTER_DECRYPTER,
                member=member,
                depends_on=[agent],
            ),
        )

    def _secret_grant(self, secret: str, *, agent: Sleep) -> Sleep:
        """The service agent's read of a private upstream's password, once per stack and secret,
        and the wait until it is in force: the repository's create checks the upstream with it
        (REST RemoteRepositoryConfig.disableUpstreamValidation)."""
        return self._agent_grant(
            "upstream-secret",
            secret,
            lambda stack, name, member: SecretManagerSecretIamMember(
                stack, name, secret_id=secret, role=rules.ROLE_SECRET_ACCESSOR, member=member, depends_on=[agent]
            ),
        )

    def _agent_grant(self, kind: str, on: str, grant: Callable[[TerraformStack, str, str], TerraformResource]) -> Sleep:
        """A grant to the project's Artifact Registry service agent on `on` (a key, a secret), made
        by `grant(stack, name, member)` once per stack, and the wait until a grant holds
        (rules.gcp.IAM_PROPAGATION). Its address is `<kind>_<hash of on>`.

        The member is the agent's documented address, from the project number: the identity's
        own `member` is not always returned by the API (hashicorp/terraform-provider-google#19970,
        #21931), so the grant waits for the identity instead."""
        name = f"{kind}-{short_hash(on)}"

        def make(stack: TerraformStack, id_: str) -> PropagationWait:
            made = grant(stack, name, rules.service_agent(self._project_data.number))
            made.override_logical_id(name.replace("-", "_"))
            return PropagationWait(
                stack, id_, after=made, duration=rules.IAM_PROPAGATION, address=made.friendly_unique_id
            )

        return one_per_stack(self, PropagationWait, f"{name}-in-force", make).resource

    @property
    def _project_data(self) -> DataGoogleProject:
        def make(stack: TerraformStack, id_: str) -> DataGoogleProject:
            project = DataGoogleProject(stack, id_, project_id=self.project)
            project.override_logical_id(self.project)
            return project

        return one_per_stack(self, DataGoogleProject, f"project-{self.project}", make)

    def outputs(self) -> dict[str, str]:
        """What a pipeline needs of this repository (specs.outputs.REPOSITORY): `id` is the full
        resource name, `format` lower case, `address` what the format's client takes
        (rules.gcp.client_address: a docker image prefix, a pip index URL, gcloud flags)."""
        return outputs.checked(
            outputs.REPOSITORY,
            {
                "url": self.repository_url,
                "id": self.resource.id,
                "location": self.location,
                "project": self.project,
                "format": self.spec.format,
                "address": rules.client_address(
                    location=self.location,
                    format_=self.spec.format,
                    project=self.project,
                    repository_id=self.repository_id,
                ),
            },
        )


def _remote(
    spec: RepositorySpec, literal: Callable[[str], str]
) -> ArtifactRegistryRepositoryRemoteRepositoryConfig | None:
    """The registry a remote repository caches: a preset always named (google 7.0 dropped the
    presets' defaults, DOCKER_HUB and PYPI, so an unnamed one would read differently there), or
    the user's own at its URL; and the account it signs in with, its password left in Secret Manager.
    `literal` writes the user's text as Terraform reads it (the construct's, so --hcl escapes it too)."""
    remote = spec.remote
    if remote is None:
        return None
    credentials = (
        ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentials(
            username_password_credentials=ArtifactRegistryRepositoryRemoteRepositoryConfigUpstreamCredentialsUsernamePasswordCredentials(
                username=literal(remote.username), password_secret_version=remote.password_secret
            )
        )
        if remote.username is not None
        else None
    )
    preset = None if remote.url is not None else rules.REMOTE_UPSTREAMS[remote.upstream][1]
    argument, block, custom = _UPSTREAM_BLOCKS[spec.format]
    upstream = block(
        public_repository=preset, custom_repository=custom(uri=literal(remote.url)) if remote.url is not None else None
    )
    return ArtifactRegistryRepositoryRemoteRepositoryConfig(**{argument: upstream}, upstream_credentials=credentials)


_UPSTREAM_BLOCKS: dict[str, tuple[str, Any, Any]] = {
    "docker": (
        "docker_repository",
        ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepository,
        ArtifactRegistryRepositoryRemoteRepositoryConfigDockerRepositoryCustomRepository,
    ),
    "python": (
        "python_repository",
        ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepository,
        ArtifactRegistryRepositoryRemoteRepositoryConfigPythonRepositoryCustomRepository,
    ),
}
"""Per format with remote repositories (rules.gcp.CUSTOM_UPSTREAM_FORMATS), the argument of
`remote_repository_config` that names its upstream, and the binding's structs for it."""


def _cleanup_policies(cleanup: CleanupSpec | None) -> list[ArtifactRegistryRepositoryCleanupPolicies] | None:
    """The spec's policies as the binding's structs, durations in seconds.

    Seconds avoid the `90d` vs `7776000s` diff older providers show on every plan.
    """
    if cleanup is None:
        return None
    return [
        ArtifactRegistryRepositoryCleanupPolicies(
            id=policy.id,
            action=policy.action,
            condition=(
                ArtifactRegistryRepositoryCleanupPoliciesCondition(
                    older_than=f"{policy.older_than_seconds}s" if policy.older_than_seconds is not None else None,
                    tag_state=policy.tag_state,
                    tag_prefixes=list(policy.tag_prefixes) or None,
                    package_name_prefixes=list(policy.package_prefixes) or None,
                )
                if policy.has_condition
                else None
            ),
            most_recent_versions=(
                ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions(
                    keep_count=policy.keep_count, package_name_prefixes=list(policy.package_prefixes) or None
                )
                if policy.keep_count is not None
                else None
            ),
        )
        for policy in cleanup.policies()
    ]
