"""A model of what Google Cloud refuses at `terraform apply`, for the stand-in hashicorp/google
and hashicorp/google-beta providers.

It implements Google Cloud from Google's documentation and the provider's, not this app: it
reads resource arguments, never our constructs. Each rule is in RULES with its source
(tests/terraform/README.md shows the same table). Errors read like the API's where Google's
pages or the provider's issues show them (`googleapi: Error <code>: <message>`); where they
don't, the message says what the API requires and that its code is assumed.

The world (`worlds/<config>.json`, key `gcp`) holds the projects (number, APIs enabled, whether
the Artifact Registry service agent exists), the Cloud KMS keys (location, IAM bindings) and
the repositories that exist before a test. A new project has no API enabled and no agent.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import Error, Rule
from .world import World

DOCS = "https://docs.cloud.google.com/artifact-registry/docs"
TPG = "hashicorp/terraform-provider-google"


RULES = (
    Rule("gcp-api-enabled", "a repository (create, update, IAM) needs artifactregistry.googleapis.com enabled in its project: 403 SERVICE_DISABLED",
         f"the API's answer, verbatim: firebase/firebase-functions#1164; {TPG} guide google_project_service ('Newly activated service errors')"),
    Rule("gcp-service-agent", "an IAM grant to service-<number>@gcp-sa-artifactregistry.iam.gserviceaccount.com fails until the agent exists, which it does after the project's first repository or google_project_service_identity: 400 'does not exist'",
         f"{DOCS}/ar-service-account ('creates the Artifact Registry Service Agent when you create the first Artifact Registry repository'); {TPG}#15572; the 400 text as IAM answers for other agents"),
    Rule("gcp-cmek-grant", "a repository with kms_key_name needs its project's agent to hold roles/cloudkms.cryptoKeyEncrypterDecrypter on that key when it is created: 'Permission denied on Cloud KMS key'",
         f"{DOCS}/cmek ('Grant the CryptoKey Encrypter/Decrypter IAM role ... Next, create a repository'); the message: {TPG}#13008"),
    Rule("gcp-cmek-location", "a repository's Cloud KMS key is in the repository's location (a `us` repository takes a `us` key): 400 INVALID_ARGUMENT (code assumed)",
         f"{DOCS}/cmek ('The Cloud KMS key location must match the repository location')"),
    Rule("gcp-repository-exists", "IAM on a repository, and the import of one, need the repository to exist: 404 NOT_FOUND (code assumed)",
         "gcloud artifacts repositories add-iam-policy-binding ('can fail ... The repository specified does not exist')"),
    Rule("gcp-repository-name", "a repository ID is unique in its project and location: 409 ALREADY_EXISTS (code assumed)",
         "REST projects.locations.repositories ('For each location in a project, repository names must be unique'); gcloud artifacts repositories create"),
    Rule("gcp-cleanup-count", "at most 10 cleanup policies per repository",
         "https://cloud.google.com/artifact-registry/quotas ('Cleanup policies per repository: 10'); gcloud set-cleanup-policies ('exceeds the maximum number of cleanup policies')"),
    Rule("gcp-cleanup-shape", "a cleanup policy has a condition or most_recent_versions, not both and not neither; most_recent_versions only with KEEP: 400 'policy ... is missing a condition'",
         f"REST CleanupPolicy (union condition_type; mostRecentVersions 'May only be specified with a Keep action'); the 400: {TPG}#22495"),
    Rule("gcp-cleanup-tag-prefixes", "tag_prefixes only with tag_state TAGGED (the API ignores them otherwise, so such a policy keeps or deletes other versions than it names: a stricter reading than the API's)",
         f"REST CleanupPolicyCondition (tagState, tagPrefixes); {DOCS}/repositories/cleanup-policy (a condition's tag state, then its tag prefixes)"),
    Rule("gcp-cleanup-duration", "older_than / newer_than are whole seconds (`7776000s`): the provider's expander refuses fractions and other units at apply, and 6.x before 6.18 plans m/h/d as a change every time (stricter than the API's '3.5s')",
         f"REST CleanupPolicyCondition (Duration 'ending with s'); {TPG} duration_to_seconds expander; CHANGELOG 6.17.0 and 6.18.0"),
    Rule("gcp-repository-mode", "remote_repository_config only on a REMOTE_REPOSITORY, with the one upstream block of its format (docker_repository for DOCKER, python_repository for PYTHON, ...); upstream policies only on a VIRTUAL_REPOSITORY",
         "REST Repository (RemoteRepositoryConfig: 'Union field remote_source'; 'Upstream policies cannot be set on a standard repository.')"),
    Rule("gcp-virtual-upstreams", "a virtual repository has 1 to 30 upstream policies, each naming an existing standard or remote repository of its format: 400 'Virtual repository config is not specified' when empty",
         f"{DOCS}/repositories/virtual-overview ('An upstream repository can be a Artifact Registry standard or remote repository', 'in the same format'); quotas (30 upstream policies); the 400: GoogleCloudPlatform/magic-modules#18879"),
    Rule("gcp-virtual-cleanup", "no cleanup policies on a virtual repository: it stores nothing, so they never act (a stricter reading: the API's answer is not documented)",
         f"{DOCS}/repositories/cleanup-policy-overview ('cleanup policies ... for standard repositories')"),
    Rule("gcp-audit-config", "an audit config's log types are DATA_READ, DATA_WRITE or ADMIN_READ (Admin Activity logs cannot be configured), and one resource per project and service: each is authoritative for its service, so two would undo each other (a stricter reading)",
         f"{TPG} r/google_project_iam ('Must be one of DATA_READ, DATA_WRITE, or ADMIN_READ'; google_project_iam_audit_config 'Authoritative for a given service'); {DOCS}/audit-logging"),
    Rule("gcp-serving-agent", "an IAM grant to a service agent of a consuming project (Vertex AI: gcp-sa-aiplatform, gcp-sa-aiplatform-cc; Cloud Run: serverless-robot-prod) fails unless that project has the agent (its API on): 400 'does not exist'",
         "https://cloud.google.com/iam/docs/service-agents (agents are made by their service); the 400 text as for the Artifact Registry agent"),
    Rule("gcp-secret-grant", "an IAM grant on a Secret Manager secret needs the secret to exist (404 NOT_FOUND) and, to the Artifact Registry agent, the agent to exist (400 'does not exist')",
         "https://cloud.google.com/secret-manager/docs/manage-access-to-secrets (grants are made on an existing secret); REST projects.secrets.setIamPolicy"),
    Rule("gcp-upstream-credentials", "a remote repository with upstream_credentials is created only when the secret version exists and its project's Artifact Registry agent holds roles/secretmanager.secretAccessor on that secret, in force: the create validates the upstream with the credentials unless disable_upstream_validation (400 FAILED_PRECONDITION, code assumed)",
         f"{DOCS}/repositories/configure-remote-authentication ('Grant the Artifact Registry service account access to your secret'); REST RemoteRepositoryConfig.disableUpstreamValidation ('avoid making a HEAD/GET request to validate a remote repo and any supplied upstream credentials')"),
    Rule("gcp-labels", "at most 64 labels on a repository, the provider's goog-terraform-provisioned included",
         f"REST Repository.labels ('up to 64 entries'); {TPG} provider reference (add_terraform_attribution_label, default true)"),
)  # fmt: skip

ROLE_KMS = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
ROLE_SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
SECRET_GRANTS = ("google_secret_manager_secret_iam_member",)
_SERVING_AGENT = re.compile(r"serviceAccount:service-([0-9]+)@(gcp-sa-aiplatform|gcp-sa-aiplatform-cc|serverless-robot-prod)\.iam\.gserviceaccount\.com")
REGISTRY_API = "artifactregistry.googleapis.com"
_AGENT = re.compile(r"serviceAccount:service-([0-9]+)@gcp-sa-artifactregistry\.iam\.gserviceaccount\.com")
_SECONDS = re.compile(r"[0-9]+s")
MAX_UPSTREAMS = 30
REMOTE_BLOCKS = {
    "DOCKER": "docker_repository", "MAVEN": "maven_repository", "NPM": "npm_repository",
    "PYTHON": "python_repository", "APT": "apt_repository", "YUM": "yum_repository",
}  # fmt: skip
AUDIT_LOG_TYPES = ("DATA_READ", "DATA_WRITE", "ADMIN_READ")
MAX_CLEANUP_POLICIES = 10
MAX_LABELS = 64
ATTRIBUTION_LABEL = "goog-terraform-provisioned"
IAM_TYPES = (
    "google_artifact_registry_repository_iam_policy",
    "google_artifact_registry_repository_iam_member",
    "google_artifact_registry_repository_iam_binding",
)
KMS_GRANTS = ("google_kms_crypto_key_iam_member", "google_kms_crypto_key_iam_binding")
API_DELAY = 30.0
"""Seconds until an enabled API answers: eventually consistent, with no figure but the 30 s of the
provider's guide (google_project_service, 'Newly activated service errors')."""
AGENT_DELAY = 60.0
"""Seconds until a new service account can be granted a role: 'wait 60 seconds or more' (IAM, Create service accounts)."""
IAM_DELAY = 120.0
"""Seconds until a grant is in force: 'typically propagate in 2 minutes' (IAM, access change propagation)."""

def repository_name(project: str, location: str, repository_id: str) -> str:
    return f"projects/{project}/locations/{location}/repositories/{repository_id}"


class GcpModel:
    """Google Cloud as one provider configuration sees it: the world and the ledger."""

    def __init__(self, world: World, provider_config: dict[str, Any]) -> None:
        self.world = world
        self.default_project: str = provider_config.get("project") or ""
        facts = world.facts.get("gcp", {})
        self.projects: dict[str, Any] = facts.get("projects", {})
        self.keys: dict[str, Any] = facts.get("keys", {})
        self.existing: list[dict[str, Any]] = facts.get("repositories", [])
        self.secrets: dict[str, Any] = facts.get("secrets", {})

    # ---- the world and the ledger ----------------------------------------------------------

    def project_of(self, values: dict[str, Any]) -> str:
        return values.get("project") or self.default_project

    def unknown_project(self, values: dict[str, Any]) -> Error | None:
        project = self.project_of(values)
        if project in self.projects:
            return None
        return ("googleapi: Error 403", f"Permission denied on resource project {project} (or it may not exist).")

    def api_enabled(self, project: str, service: str) -> bool:
        with self.world.ledger() as ledger:
            enabled = ledger.get("gcp", {}).get("apis", {}).get(project)
            in_force = self.world.in_force(ledger, f"api:{project}:{service}")
        return in_force and service in (enabled if enabled is not None else self.projects[project].get("apis", []))

    def agent_exists(self, number: str) -> bool:
        with self.world.ledger() as ledger:
            made = [agent for agent in ledger.get("gcp", {}).get("agents", []) if self.world.in_force(ledger, f"agent:{agent}")]
        world = [facts["number"] for facts in self.projects.values() if facts.get("agent")]
        return number in made or number in world

    def make_agent(self, project: str) -> None:
        with self.world.ledger() as ledger:
            agents = ledger.setdefault("gcp", {}).setdefault("agents", [])
            if self.projects[project]["number"] not in agents:
                agents.append(self.projects[project]["number"])
                self.world.takes_effect(ledger, f"agent:{self.projects[project]['number']}", AGENT_DELAY)

    def repositories(self) -> dict[str, dict[str, Any]]:
        with self.world.ledger() as ledger:
            return dict(ledger.get("gcp", {}).get("repositories", {}))

    def key_members(self, key: str, role: str) -> list[str]:
        with self.world.ledger() as ledger:
            made = [m for m in ledger.get("gcp", {}).get("key_grants", {}).get(key, {}).get(role, []) if self.world.in_force(ledger, f"grant:{key}:{role}:{m}")]
        return [*self.keys.get(key, {}).get("bindings", {}).get(role, []), *made]

    def secret_members(self, secret: str, role: str) -> list[str]:
        """The members holding `role` on `secret` (projects/p/secrets/s) now: the world's, and the
        ledger's grants in force."""
        with self.world.ledger() as ledger:
            made = [m for m in ledger.get("gcp", {}).get("secret_grants", {}).get(secret, {}).get(role, []) if self.world.in_force(ledger, f"grant:{secret}:{role}:{m}")]
        return [*self.secrets.get(secret, {}).get("bindings", {}).get(role, []), *made]

    def serving_agent_missing(self, member: str) -> Error | None:
        """A consuming project's serving agent that does not exist (yet)."""
        match = _SERVING_AGENT.fullmatch(member)
        if match is None:
            return None
        number, domain = match.groups()
        if any(facts["number"] == number and domain in facts.get("agents", []) for facts in self.projects.values()):
            return None
        return ("googleapi: Error 400", f"Service account {member.split(':', 1)[1]} does not exist., badRequest")

    def repository_bindings(self, name: str) -> dict[str, list[str]]:
        """The IAM policy of repository `name` (full resource name): role -> members."""
        with self.world.ledger() as ledger:
            return {role: list(members) for role, members in ledger.get("gcp", {}).get("repository_iam", {}).get(name, {}).items()}

    # ---- the hooks the stand-in calls --------------------------------------------------

    def create(self, type_name: str, planned: dict[str, Any]) -> Error | None:
        return self._write(type_name, None, planned)

    def update(self, type_name: str, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._write(type_name, prior, planned)

    def delete(self, type_name: str, prior: dict[str, Any]) -> Error | None:
        with self.world.ledger() as ledger:
            gcp = ledger.setdefault("gcp", {})
            if type_name == "google_artifact_registry_repository":
                # 'Deletes a repository and all of its contents': the delete succeeds, and the
                # ledger keeps what went with it.
                gone = gcp.get("repositories", {}).pop(prior.get("name") or "", None) or {}
                if gone.get("artifacts"):
                    gcp.setdefault("deleted_artifacts", {}).setdefault(prior["name"], []).extend(gone["artifacts"])
            elif type_name == "google_project_service" and prior.get("disable_on_destroy") is not False:
                # 6.x's default: destroying the resource switches the API off project-wide.
                project = prior.get("project") or self.default_project
                enabled = gcp.setdefault("apis", {}).setdefault(project, list(self.projects.get(project, {}).get("apis", [])))
                if prior.get("service") in enabled:
                    enabled.remove(prior["service"])
            elif type_name == "google_project_iam_audit_config":
                key = f"{prior.get('project') or self.default_project} {prior.get('service')}"
                if key in gcp.get("audit_configs", []):
                    gcp["audit_configs"].remove(key)
            elif type_name in KMS_GRANTS:
                members = gcp.get("key_grants", {}).get(prior.get("crypto_key_id") or "", {}).get(prior.get("role") or "", [])
                for member in _members(prior):
                    if member in members:
                        members.remove(member)
            elif type_name in SECRET_GRANTS:
                members = gcp.get("secret_grants", {}).get(prior.get("secret_id") or "", {}).get(prior.get("role") or "", [])
                if prior.get("member") in members:
                    members.remove(prior["member"])
            elif type_name == "google_artifact_registry_repository_iam_policy":
                # Delete writes an EMPTY policy: every binding goes, Terraform's or not.
                gcp.setdefault("repository_iam", {})[self._repository_of(prior)] = {}
            elif type_name == "google_artifact_registry_repository_iam_member":
                # Delete subtracts this one member from its role's binding.
                bindings = gcp.setdefault("repository_iam", {}).setdefault(self._repository_of(prior), {})
                members = bindings.get(prior.get("role") or "", [])
                if prior.get("member") in members:
                    members.remove(prior["member"])
                if not members:
                    bindings.pop(prior.get("role") or "", None)
        return None

    def written(self, type_name: str, state: dict[str, Any]) -> dict[str, Any]:
        return {}

    def push(self, name: str, artifact: str) -> Error | None:
        """An artifact uploaded into repository `name` (full resource name)."""
        with self.world.ledger() as ledger:
            repository = ledger.get("gcp", {}).get("repositories", {}).get(name)
            if repository is None:
                return ("googleapi: Error 404", f"Requested entity was not found. (repository {name}; code assumed)")
            repository.setdefault("artifacts", []).append(artifact)
        return None

    def _repository_of(self, values: dict[str, Any]) -> str:
        repository = values.get("repository") or ""
        project = self.project_of(values)
        return repository if repository.startswith("projects/") else repository_name(project, values.get("location") or "", repository)

    def read(self, type_name: str, config: dict[str, Any]) -> dict[str, Any] | Error:
        if type_name == "google_project":
            values = {"project": config.get("project_id")}
            project = self.project_of(values)
            return self.unknown_project(values) or {"number": self.projects[project]["number"], "project_id": project, "name": project}
        return {}

    def imported(self, type_name: str, import_id: str) -> dict[str, Any] | Error | None:
        """The state of a repository that exists in the world, for an `import` block."""
        if type_name != "google_artifact_registry_repository":
            return None
        for repository in self.existing:
            name = repository_name(repository["project"], repository["location"], repository["repository_id"])
            if name == import_id:
                with self.world.ledger() as ledger:
                    ledger.setdefault("gcp", {}).setdefault("repositories", {})[name] = dict(repository)
                return {**repository, "name": name}
        return ("googleapi: Error 404", f"Requested entity was not found. ({import_id}; code assumed)")

    # ---- writes ----------------------------------------------------------------------------

    def _write(self, type_name: str, prior: dict[str, Any] | None, planned: dict[str, Any]) -> Error | None:
        if type_name in SECRET_GRANTS:
            return self._secret_grant(planned)
        if type_name not in KMS_GRANTS:
            refused = self.unknown_project(planned)
            if refused:
                return refused
        if type_name == "google_project_service":
            return self._service(planned)
        if type_name == "google_project_service_identity":
            return self._identity(planned)
        if type_name in KMS_GRANTS:
            return self._kms_grant(planned)
        if type_name == "google_artifact_registry_repository":
            return self._repository(prior, planned)
        if type_name in IAM_TYPES:
            return self._repository_iam(planned)
        if type_name == "google_project_iam_audit_config":
            return self._audit_config(prior, planned)
        return None

    def _audit_config(self, prior: dict[str, Any] | None, planned: dict[str, Any]) -> Error | None:
        for log_config in planned.get("audit_log_config") or []:
            if log_config.get("log_type") not in AUDIT_LOG_TYPES:
                return ("googleapi: Error 400", f"log_type {log_config.get('log_type')!r}: must be one of {', '.join(AUDIT_LOG_TYPES)}")
        key = f"{self.project_of(planned)} {planned.get('service')}"
        with self.world.ledger() as ledger:
            held = ledger.setdefault("gcp", {}).setdefault("audit_configs", [])
            if prior is None and key in held:
                return ("googleapi: Error 409", f"the audit config of {key} is held by another resource: two would undo each other")
            if key not in held:
                held.append(key)
        return None

    def _service(self, planned: dict[str, Any]) -> Error | None:
        project = self.project_of(planned)
        with self.world.ledger() as ledger:
            enabled = ledger.setdefault("gcp", {}).setdefault("apis", {}).setdefault(project, list(self.projects[project].get("apis", [])))
            if planned["service"] not in enabled:
                enabled.append(planned["service"])
                self.world.takes_effect(ledger, f"api:{project}:{planned['service']}", API_DELAY)
        return None

    def _identity(self, planned: dict[str, Any]) -> Error | None:
        if planned.get("service") == REGISTRY_API:
            self.make_agent(self.project_of(planned))
        return None

    def _kms_grant(self, planned: dict[str, Any]) -> Error | None:
        members = _members(planned)
        for member in members:
            match = _AGENT.fullmatch(member)
            if match and not self.agent_exists(match.group(1)):
                email = member.split(":", 1)[1]
                return ("googleapi: Error 400", f"Service account {email} does not exist., badRequest")
        with self.world.ledger() as ledger:
            grants = ledger.setdefault("gcp", {}).setdefault("key_grants", {}).setdefault(planned["crypto_key_id"], {})
            granted = grants.setdefault(planned["role"], [])
            for member in members:
                if member not in granted:
                    granted.append(member)
                    self.world.takes_effect(ledger, f"grant:{planned['crypto_key_id']}:{planned['role']}:{member}", IAM_DELAY)
        return None

    def _secret_grant(self, planned: dict[str, Any]) -> Error | None:
        secret = planned.get("secret_id") or ""
        if secret not in self.secrets:
            return ("googleapi: Error 404", f"Secret [{secret}] not found or has no versions., notFound")
        match = _AGENT.fullmatch(planned.get("member") or "")
        if match and not self.agent_exists(match.group(1)):
            return ("googleapi: Error 400", f"Service account {planned['member'].split(':', 1)[1]} does not exist., badRequest")
        with self.world.ledger() as ledger:
            granted = ledger.setdefault("gcp", {}).setdefault("secret_grants", {}).setdefault(secret, {}).setdefault(planned["role"], [])
            if planned["member"] not in granted:
                granted.append(planned["member"])
                self.world.takes_effect(ledger, f"grant:{secret}:{planned['role']}:{planned['member']}", IAM_DELAY)
        return None

    def _upstream_credentials(self, planned: dict[str, Any], number: str) -> Error | None:
        remote = _nested(planned.get("remote_repository_config"))
        credentials = _nested(_nested(remote.get("upstream_credentials")).get("username_password_credentials"))
        version = credentials.get("password_secret_version")
        if not version or remote.get("disable_upstream_validation"):
            return None
        secret, _, number_of_version = version.partition("/versions/")
        if number_of_version not in [str(v) for v in self.secrets.get(secret, {}).get("versions", [])]:
            return ("googleapi: Error 400", f"Secret version {version} not found: the upstream's credentials cannot be read (code assumed)")
        agent = f"serviceAccount:service-{number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
        if agent not in self.secret_members(secret, ROLE_SECRET_ACCESSOR):
            return (
                "googleapi: Error 400",
                f"Permission 'secretmanager.versions.access' denied for the Artifact Registry service agent on {version}:"
                " grant it roles/secretmanager.secretAccessor on the secret (FAILED_PRECONDITION, code assumed)",
            )
        return None

    def _registry_api(self, project: str) -> Error | None:
        if self.api_enabled(project, REGISTRY_API):
            return None
        number = self.projects[project]["number"]
        return (
            "googleapi: Error 403",
            f"Artifact Registry API has not been used in project {number} before or it is disabled. Enable it by visiting"
            f" https://console.developers.google.com/apis/api/artifactregistry.googleapis.com/overview?project={number}"
            " then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems"
            " and retry., SERVICE_DISABLED",
        )

    def _repository(self, prior: dict[str, Any] | None, planned: dict[str, Any]) -> Error | None:
        project = self.project_of(planned)
        refused = self._registry_api(project) or _invalid_cleanup(planned) or _too_many_labels(planned) or _invalid_mode(planned)
        if refused:
            return refused
        refused = self._upstreams(project, planned)
        if refused:
            return refused
        location = planned.get("location") or ""
        name = repository_name(project, location, planned["repository_id"])
        if prior is None:
            taken = name in self.repositories() or any(
                repository_name(r["project"], r["location"], r["repository_id"]) == name for r in self.existing
            )
            if taken:
                return ("googleapi: Error 409", f"the repository already exists: {name} (code assumed)")
            refused = self._upstream_credentials(planned, self.projects[project]["number"])
            if refused:
                return refused
            key = planned.get("kms_key_name")
            if key:
                refused = self._cmek(key, location, self.projects[project]["number"])
                if refused:
                    return refused
        with self.world.ledger() as ledger:
            repositories = ledger.setdefault("gcp", {}).setdefault("repositories", {})
            kept = {"artifacts": repositories[name]["artifacts"]} if repositories.get(name, {}).get("artifacts") else {}
            repositories[name] = kept | {
                "project": project,
                "location": location,
                "repository_id": planned["repository_id"],
                "format": planned.get("format"),
                "mode": planned.get("mode") or "STANDARD_REPOSITORY",
            }
        # "Artifact Registry creates the Artifact Registry Service Agent when you create the
        # first Artifact Registry repository in a Google Cloud project."
        self.make_agent(project)
        return None

    def _upstreams(self, project: str, planned: dict[str, Any]) -> Error | None:
        if (planned.get("mode") or "") != "VIRTUAL_REPOSITORY":
            return None
        policies = _nested(planned.get("virtual_repository_config")).get("upstream_policies") or []
        if not policies:
            return ("googleapi: Error 400", "Virtual repository config is not specified")
        if len(policies) > MAX_UPSTREAMS:
            return ("googleapi: Error 400", f"a virtual repository takes at most {MAX_UPSTREAMS} upstream policies, got {len(policies)}")
        known = self.repositories()
        if planned.get("cleanup_policies"):
            return ("googleapi: Error 400", "cleanup policies on a virtual repository never act: it stores nothing (stricter than the API)")
        for policy in policies:
            upstream = known.get(policy.get("repository") or "")
            if upstream is None:
                return ("googleapi: Error 400", f"upstream policy {policy.get('id')}: repository {policy.get('repository')} not found")
            if upstream.get("mode") == "VIRTUAL_REPOSITORY":
                return ("googleapi: Error 400", f"upstream policy {policy.get('id')}: {policy.get('repository')} is a virtual repository; upstreams are standard or remote")
            if (upstream.get("format") or "").upper() != (planned.get("format") or "").upper():
                return ("googleapi: Error 400", f"upstream policy {policy.get('id')}: {policy.get('repository')} is {upstream.get('format')}, this repository {planned.get('format')}")
        return None

    def _cmek(self, key: str, location: str, number: str) -> Error | None:
        key_location = key.split("/")[3] if key.count("/") >= 3 else ""
        if key_location != location:
            return ("googleapi: Error 400", f"The Cloud KMS key location ({key_location}) must match the repository location ({location}). (code assumed)")
        if f"serviceAccount:service-{number}@gcp-sa-artifactregistry.iam.gserviceaccount.com" not in self.key_members(key, ROLE_KMS):
            return (
                "googleapi: Error 400",
                "Permission denied on Cloud KMS key. Please ensure your Artifact Registry service account has been authorized to use the configured key.",
            )
        return None

    def _repository_iam(self, planned: dict[str, Any]) -> Error | None:
        project = self.project_of(planned)
        refused = self._registry_api(project)
        if refused:
            return refused
        name = self._repository_of(planned)
        if name not in self.repositories():
            return ("googleapi: Error 404", f"Requested entity was not found. (repository {name}; code assumed)")
        members = [planned["member"]] if planned.get("member") else [
            m for b in json.loads(planned.get("policy_data") or "{}").get("bindings", []) for m in b.get("members", [])
        ]
        for member in members:
            refused = self.serving_agent_missing(member)
            if refused:
                return refused
        with self.world.ledger() as ledger:
            bindings = ledger.setdefault("gcp", {}).setdefault("repository_iam", {}).setdefault(name, {})
            if planned.get("policy_data"):
                # A policy's write replaces the whole policy.
                bindings.clear()
                for binding in json.loads(planned["policy_data"]).get("bindings", []):
                    bindings[binding["role"]] = list(binding.get("members", []))
            elif planned.get("member"):
                members = bindings.setdefault(planned["role"], [])
                if planned["member"] not in members:
                    members.append(planned["member"])
        return None


def _members(values: dict[str, Any]) -> list[str]:
    return [values["member"]] if values.get("member") else list(values.get("members") or [])


def _invalid_cleanup(planned: dict[str, Any]) -> Error | None:
    policies = planned.get("cleanup_policies") or []
    invalid = "googleapi: Error 400"
    if len(policies) > MAX_CLEANUP_POLICIES:
        return (invalid, f"invalid cleanup policies: a repository takes at most {MAX_CLEANUP_POLICIES}, got {len(policies)}")
    for policy in policies:
        condition = (policy.get("condition") or [None])[0] if isinstance(policy.get("condition"), list) else policy.get("condition")
        recent = (policy.get("most_recent_versions") or [None])[0] if isinstance(policy.get("most_recent_versions"), list) else policy.get("most_recent_versions")
        pid = policy.get("id")
        if condition is None and recent is None:
            return (invalid, f"invalid cleanup policy: generic::invalid_argument: policy {pid} is missing a condition")
        if condition is not None and recent is not None:
            return (invalid, f"invalid cleanup policy: generic::invalid_argument: policy {pid} has both a condition and most_recent_versions")
        if recent is not None and (policy.get("action") or "").upper() != "KEEP":
            return (invalid, f"invalid cleanup policy: generic::invalid_argument: policy {pid}: most_recent_versions may only be specified with a Keep action")
        if condition is None:
            continue
        if condition.get("tag_prefixes") and (condition.get("tag_state") or "ANY").upper() != "TAGGED":
            return (invalid, f"invalid cleanup policy: policy {pid}: tag_prefixes match only with tag_state TAGGED, got {condition.get('tag_state') or 'ANY'}")
        for field in ("older_than", "newer_than"):
            value = condition.get(field)
            if value is not None and not _SECONDS.fullmatch(value):
                return (invalid, f"invalid cleanup policy: policy {pid}: {field} {value!r} is not whole seconds, e.g. 7776000s")
    return None


def _nested(block: Any) -> dict[str, Any]:
    """A nested block as the stand-in's state holds it (a one-element list) or as JSON (a dict)."""
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}


def _invalid_mode(planned: dict[str, Any]) -> Error | None:
    mode = planned.get("mode") or "STANDARD_REPOSITORY"
    remote = _nested(planned.get("remote_repository_config"))
    virtual = _nested(planned.get("virtual_repository_config"))
    if remote and mode != "REMOTE_REPOSITORY":
        return ("googleapi: Error 400", f"remote_repository_config on a {mode}")
    if virtual.get("upstream_policies") and mode != "VIRTUAL_REPOSITORY":
        return ("googleapi: Error 400", "Upstream policies cannot be set on a standard repository.")
    if mode == "REMOTE_REPOSITORY":
        given = [block for block in (*REMOTE_BLOCKS.values(), "common_repository") if _nested(remote.get(block))]
        wanted = REMOTE_BLOCKS.get((planned.get("format") or "").upper())
        if len(given) != 1 or given[0] not in (wanted, "common_repository"):
            return ("googleapi: Error 400", f"a remote {planned.get('format')} repository takes one upstream: {wanted} or common_repository, got {', '.join(given) or 'none'}")
    return None


def _too_many_labels(planned: dict[str, Any]) -> Error | None:
    labels = {**(planned.get("labels") or {}), ATTRIBUTION_LABEL: "true"}
    if len(labels) > MAX_LABELS:
        return ("googleapi: Error 400", f"Repository labels: at most {MAX_LABELS} entries, got {len(labels)} with {ATTRIBUTION_LABEL}")
    return None
