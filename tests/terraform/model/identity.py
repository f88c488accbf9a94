"""The deploying identity: what the credentials Terraform runs with may do, in each cloud.

A world may name the deploying principal: for Google Cloud `gcp.deployer` (a member, e.g.
`serviceAccount:deployer@ci.iam.gserviceaccount.com`) and the roles it holds in the `bindings`
(role -> members) of each project and Cloud KMS key; for OCI, per tenancy, `deployer.groups`
(the groups of the deploying user) and the tenancy's `policies`. Then every call the stand-in
provider makes for a resource (create, read, update, delete, import) or a data source is first
checked against that identity, with the permission the cloud's reference gives for the API
operation the real provider calls, and refused as the cloud refuses it. A world without a
deployer checks nothing (the other rules' tests).

It reads the cloud's permission references and the providers' calls, never our constructs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import CloudModel, Error, Rule

if TYPE_CHECKING:
    from .gcp import GcpModel
    from .oci import OciModel

TPG = "hashicorp/terraform-provider-google v6.50.0"
OCI_DOCS = "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference"

RULES = (
    Rule("gcp-deployer-permission", "each call the provider makes (create, read, update, delete, import of each google_* type the stacks emit; data.google_project) needs its IAM permission, held by the deploying principal through a predefined role on the resource, its key ring or its project: 403 'Permission ... denied on resource ... (or it may not exist).', IAM_PERMISSION_DENIED",
         f"the REST methods ('Authorization requires the following IAM permission': Artifact Registry repositories and their IAM, Service Usage services, Resource Manager projects get/getIamPolicy/setIamPolicy, Cloud KMS cryptoKeys and Secret Manager secrets getIamPolicy/setIamPolicy, Cloud Billing projects.getBillingInfo); the calls: {TPG} google/services/resourcemanager/resource_google_project_service.go:169,186,208, resource_google_project.go:385,698, google/tpgiamresource/resource_iam_policy.go:94,157,173, resource_iam_member.go:239, artifactregistry/resource_artifact_registry_repository.go:960,1022,1217,1269; the roles: https://cloud.google.com/iam/docs/roles-permissions/artifactregistry (and /serviceusage, /resourcemanager, /cloudkms, /secretmanager); https://cloud.google.com/iam/docs/create-service-agents ('Triggering service agent creation doesn't require any IAM permissions'); the 403: hashicorp/terraform-provider-google#12640"),
    Rule("oci-deployer-permission", "each call the provider makes (a bucket and its retention rules and Vault key, lifecycle and replication policies, IAM policies, log groups and logs; the namespace lookup by compartment, the region subscriptions) needs its permission, granted to a group of the deploying user by a policy statement covering the compartment: 404 NotAuthorizedOrNotFound",
         f"{OCI_DOCS}/objectstoragepolicyreference.htm, iampolicyreference.htm and loggingpolicyreference.htm (Permissions Required for Each API Operation); https://docs.oracle.com/en-us/iaas/Content/Identity/policiescommon/commonpolicies.htm ('Let a user group delegate key usage'); https://docs.oracle.com/en-us/iaas/Content/Object/Troubleshooting/usingretentionrules_topic-Troubleshooting_Retention_Rules.htm (BUCKET_UPDATE, RETENTION_RULE_MANAGE, RETENTION_RULE_LOCK); the calls: oracle/terraform-provider-oci v7.19.0 internal/service/objectstorage/objectstorage_bucket_resource.go:329,373,382,476,644; the 404: https://docs.oracle.com/iaas/Content/API/References/apierrors.htm, oracle/terraform-provider-oci#1373"),
)  # fmt: skip

# ---- Google Cloud -------------------------------------------------------------------------

GET, UPDATE_REPO = "artifactregistry.repositories.get", "artifactregistry.repositories.update"
CREATE_REPO, DELETE_REPO = "artifactregistry.repositories.create", "artifactregistry.repositories.delete"
REPO_GET_IAM, REPO_SET_IAM = "artifactregistry.repositories.getIamPolicy", "artifactregistry.repositories.setIamPolicy"
SERVICES_LIST, SERVICES_ENABLE = "serviceusage.services.list", "serviceusage.services.enable"
SERVICES_DISABLE = "serviceusage.services.disable"
PROJECT_GET = "resourcemanager.projects.get"
PROJECT_GET_IAM, PROJECT_SET_IAM = "resourcemanager.projects.getIamPolicy", "resourcemanager.projects.setIamPolicy"
KEY_GET_IAM, KEY_SET_IAM = "cloudkms.cryptoKeys.getIamPolicy", "cloudkms.cryptoKeys.setIamPolicy"
SECRET_GET_IAM, SECRET_SET_IAM = "secretmanager.secrets.getIamPolicy", "secretmanager.secrets.setIamPolicy"

ROLES: dict[str, frozenset[str]] = {
    role: frozenset(permissions)
    for role, permissions in {
        "roles/artifactregistry.admin": (CREATE_REPO, GET, UPDATE_REPO, DELETE_REPO, REPO_GET_IAM, REPO_SET_IAM, PROJECT_GET),
        "roles/artifactregistry.repoAdmin": (GET, PROJECT_GET),
        "roles/artifactregistry.writer": (GET, PROJECT_GET),
        "roles/artifactregistry.reader": (GET, PROJECT_GET),
        "roles/serviceusage.serviceUsageAdmin": (SERVICES_LIST, SERVICES_ENABLE, SERVICES_DISABLE, "serviceusage.services.get"),
        "roles/serviceusage.serviceUsageConsumer": (SERVICES_LIST, "serviceusage.services.get"),
        "roles/serviceusage.serviceUsageViewer": (SERVICES_LIST, "serviceusage.services.get"),
        "roles/resourcemanager.projectIamAdmin": (PROJECT_GET, PROJECT_GET_IAM, PROJECT_SET_IAM),
        "roles/browser": (PROJECT_GET, PROJECT_GET_IAM),
        "roles/iam.securityAdmin": (REPO_GET_IAM, REPO_SET_IAM, KEY_GET_IAM, KEY_SET_IAM, PROJECT_GET_IAM, PROJECT_SET_IAM, SERVICES_LIST),
        "roles/iam.securityReviewer": (REPO_GET_IAM, KEY_GET_IAM, PROJECT_GET_IAM, SERVICES_LIST),
        "roles/viewer": (GET, REPO_GET_IAM, KEY_GET_IAM, PROJECT_GET, PROJECT_GET_IAM, SERVICES_LIST, "serviceusage.services.get"),
        "roles/editor": (CREATE_REPO, GET, UPDATE_REPO, DELETE_REPO, REPO_GET_IAM, KEY_GET_IAM, PROJECT_GET, PROJECT_GET_IAM,
                         SERVICES_LIST, SERVICES_ENABLE, SERVICES_DISABLE, "serviceusage.services.get"),
        "roles/owner": (CREATE_REPO, GET, UPDATE_REPO, DELETE_REPO, REPO_GET_IAM, REPO_SET_IAM, KEY_GET_IAM, KEY_SET_IAM,
                        PROJECT_GET, PROJECT_GET_IAM, PROJECT_SET_IAM, SERVICES_LIST, SERVICES_ENABLE, SERVICES_DISABLE,
                        "serviceusage.services.get"),
        "roles/cloudkms.admin": (KEY_GET_IAM, KEY_SET_IAM, PROJECT_GET),
        "roles/secretmanager.admin": (SECRET_GET_IAM, SECRET_SET_IAM, PROJECT_GET),
        "roles/cloudkms.cryptoKeyEncrypterDecrypter": (PROJECT_GET,),
    }.items()
}  # fmt: skip
"""Of each predefined role, the permissions the model checks (the roles' pages under
https://cloud.google.com/iam/docs/roles-permissions/; the Artifact Registry and Cloud KMS roles
now carry resourcemanager.projects.get). A world naming another role is refused: add it here."""

HOSTS = {"artifactregistry": "artifactregistry.googleapis.com", "serviceusage": "serviceusage.googleapis.com",
         "resourcemanager": "cloudresourcemanager.googleapis.com", "cloudkms": "cloudkms.googleapis.com",
         "secretmanager": "secretmanager.googleapis.com"}  # fmt: skip
REPOSITORY_IAM_POLICY = "google_artifact_registry_repository_iam_policy"
REPOSITORY_IAM_MEMBERS = ("google_artifact_registry_repository_iam_member", "google_artifact_registry_repository_iam_binding")
KMS_GRANTS = ("google_kms_crypto_key_iam_member", "google_kms_crypto_key_iam_binding")


def gcp_calls(type_name: str, op: str, values: dict[str, Any], project: str) -> list[tuple[str, str]]:
    """(permission, resource) of each API call google 6.50.0 makes to `op` ("create", "read",
    "update", "delete", "import") a `type_name`, in order; a data source's `op` is "read"."""
    parent = f"projects/{project}"
    if type_name == "google_project":  # Projects.Get, then Projects.GetBillingInfo: both resourcemanager.projects.get
        return [(PROJECT_GET, parent)]
    if type_name == "google_project_service":
        read = [(PROJECT_GET, parent), (SERVICES_LIST, parent)]  # Read: Projects.Get, then the enabled services
        if op == "create":
            return [(SERVICES_LIST, parent), (SERVICES_ENABLE, parent), *read]
        if op == "delete" and values.get("disable_on_destroy") is not False:
            return [(SERVICES_DISABLE, parent)]
        return read if op == "read" else []  # Update is a no-op
    if type_name == "google_artifact_registry_repository":
        location, repository_id = values.get("location") or "", values.get("repository_id") or ""
        name = f"{parent}/locations/{location}/repositories/{repository_id}"
        return {
            "create": [(CREATE_REPO, f"{parent}/locations/{location}"), (GET, name)],
            "update": [(UPDATE_REPO, name), (GET, name)],
            "delete": [(DELETE_REPO, name)],
        }.get(op, [(GET, name)])
    if type_name == REPOSITORY_IAM_POLICY or type_name in REPOSITORY_IAM_MEMBERS:
        repository = values.get("repository") or ""
        name = repository if repository.startswith("projects/") else f"{parent}/locations/{values.get('location') or ''}/repositories/{repository}"
        return _iam_calls(op, type_name == REPOSITORY_IAM_POLICY, REPO_GET_IAM, REPO_SET_IAM, name)
    if type_name in KMS_GRANTS:
        return _iam_calls(op, False, KEY_GET_IAM, KEY_SET_IAM, values.get("crypto_key_id") or "")
    if type_name == "google_secret_manager_secret_iam_member":
        return _iam_calls(op, False, SECRET_GET_IAM, SECRET_SET_IAM, values.get("secret_id") or "")
    if type_name == "google_project_iam_audit_config":
        return _iam_calls(op, False, PROJECT_GET_IAM, PROJECT_SET_IAM, parent)
    # google_project_service_identity: generateServiceIdentity needs no permission, and the
    # resource has no read or delete endpoint; google_iam_policy is computed by the provider.
    return []


def _iam_calls(op: str, authoritative: bool, get: str, set_: str, resource: str) -> list[tuple[str, str]]:
    """An IAM resource's calls: a policy is written whole (then read); a member, binding or audit
    config is a read-modify-write of the policy (then read)."""
    if op in ("read", "import"):
        return [(get, resource)]
    if authoritative:
        return [(set_, resource)] if op == "delete" else [(set_, resource), (get, resource)]
    return [(get, resource), (set_, resource)] + ([] if op == "delete" else [(get, resource)])


def ancestors(resource: str) -> list[str]:
    """`resource` and the resources above it whose IAM policies it inherits: a repository its
    project's, a key its key ring's and project's (path prefixes of whole collection/id pairs)."""
    parts = resource.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -2)]


class GcpDeployer:
    """The deploying principal of a world, as one provider configuration calls Google Cloud."""

    def __init__(self, model: GcpModel, member: str) -> None:
        self.model = model
        self.member = member
        self.bindings: dict[str, dict[str, list[str]]] = {
            **{f"projects/{project}": facts.get("bindings", {}) for project, facts in model.projects.items()},
            **{key: facts.get("bindings", {}) for key, facts in model.keys.items()},
            **{secret: facts.get("bindings", {}) for secret, facts in model.secrets.items()},
        }
        for bindings in self.bindings.values():
            unknown = set(bindings) - set(ROLES)
            if unknown:
                raise ValueError(f"the model knows no permissions of {sorted(unknown)}: add them to identity.ROLES")

    def check(self, type_name: str, op: str, values: dict[str, Any], prior: dict[str, Any] | None = None) -> Error | None:
        project = self.model.project_of(values) if type_name != "google_project" else values.get("project_id") or self.model.default_project
        for permission, resource in gcp_calls(type_name, op, values, project):
            if not self.holds(permission, resource):
                host = HOSTS[permission.split(".", 1)[0]]
                return ("googleapi: Error 403", f"Permission '{permission}' denied on resource '//{host}/{resource}' (or it may not exist)., IAM_PERMISSION_DENIED")
        return None

    def holds(self, permission: str, resource: str) -> bool:
        chain = ancestors(resource)
        if self._granted(permission, chain, self.bindings):
            return True
        return self._granted(permission, chain, self._made_since())  # grants Terraform made, in force

    def _granted(self, permission: str, chain: Iterable[str], bindings: dict[str, dict[str, list[str]]]) -> bool:
        return any(
            self.member in members and permission in ROLES.get(role, ())
            for resource in chain
            for role, members in bindings.get(resource, {}).items()
        )

    def _made_since(self) -> dict[str, dict[str, list[str]]]:
        world = self.model.world
        with world.ledger() as ledger:
            gcp = ledger.get("gcp", {})
            made = {
                key: {role: [m for m in members if world.in_force(ledger, f"grant:{key}:{role}:{m}")] for role, members in roles.items()}
                for key, roles in gcp.get("key_grants", {}).items()
            }
            made.update(gcp.get("repository_iam", {}))
        return made


# ---- OCI ----------------------------------------------------------------------------------

REPLICATION_USER = ("BUCKET_READ", "BUCKET_UPDATE", "OBJECT_READ", "OBJECT_INSPECT", "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_RESTORE", "OBJECT_DELETE")
"""CreateReplicationPolicy: 'The objectstorage-<location> subject must have the same permissions as
the user' (Details for Object Storage); Using Replication lists them."""

Call = tuple[str, str, dict[str, str]]
"""(permission, compartment, request context) of one call."""


class OciDeployer:
    """The deploying user of each tenancy of a world, as one provider configuration calls OCI."""

    def __init__(self, model: OciModel) -> None:
        self.model = model

    def check(self, type_name: str, op: str, values: dict[str, Any], prior: dict[str, Any] | None = None) -> Error | None:
        calls = self.calls(type_name, op, values, prior or {})
        if not calls:
            return None
        tenancy = self.model.tenancy_of(calls[0][1])
        groups = self.model.tenancies.get(tenancy or "", {}).get("deployer", {}).get("groups")
        if tenancy is None or groups is None:
            return None
        statements = self.model.statements(tenancy)
        for permission, compartment, context in calls:
            context = {"target.compartment.id": compartment, **context}
            if not any(
                statement.allows_group(groups, permission, context) and self.model.location_covers(statement, compartment, tenancy)
                for _, statement in statements
            ):
                return (
                    "404-NotAuthorizedOrNotFound",
                    f"Authorization failed or requested resource not found. (the model: no policy grants {permission} in {compartment}"
                    f" to the deploying user's groups {', '.join(groups)})",
                )
        return None

    def calls(self, type_name: str, op: str, values: dict[str, Any], prior: dict[str, Any]) -> list[Call]:
        """The permissions of the API operations oracle/oci 7.19.0 calls to `op` a `type_name`."""
        if type_name == "oci_objectstorage_bucket":
            return self._bucket(op, values, prior)
        if type_name == "oci_objectstorage_object_lifecycle_policy":
            # PutObjectLifecyclePolicy: OBJECT_CREATE and OBJECT_DELETE; Get: OBJECT_READ; Delete: OBJECT_DELETE.
            put = {"create": ("OBJECT_CREATE", "OBJECT_DELETE"), "update": ("OBJECT_CREATE", "OBJECT_DELETE"), "delete": ("OBJECT_DELETE",)}
            return self._on_bucket(self.model.region, values, put.get(op, ("OBJECT_READ",)))
        if type_name == "oci_objectstorage_replication_policy":
            if op == "create":
                destination = {"namespace": values.get("namespace"), "bucket": values.get("destination_bucket_name")}
                return [*self._on_bucket(self.model.region, values, REPLICATION_USER),
                        *self._on_bucket(values.get("destination_region_name") or "", destination, REPLICATION_USER)]  # fmt: skip
            return self._on_bucket(self.model.region, values, ("BUCKET_UPDATE",) if op == "delete" else ("BUCKET_READ",))
        if type_name == "oci_identity_policy":
            needed = {"create": "POLICY_CREATE", "update": "POLICY_UPDATE", "delete": "POLICY_DELETE"}.get(op, "POLICY_READ")
            return [(needed, values.get("compartment_id") or "", {})]
        if type_name == "oci_logging_log_group":
            needed = {"create": "LOG_GROUP_CREATE", "update": "LOG_GROUP_UPDATE", "delete": "LOG_GROUP_DELETE"}.get(op, "LOG_GROUP_READ")
            return [(needed, values.get("compartment_id") or "", {})]
        if type_name == "oci_logging_log":
            return self._log(op, values)
        if type_name == "oci_objectstorage_namespace" and values.get("compartment_id"):
            # GetNamespace names the caller's tenancy without a compartment and needs no permission;
            # with one, OBJECTSTORAGE_NAMESPACE_READ.
            return [("OBJECTSTORAGE_NAMESPACE_READ", self.model.tenancy_of(values["compartment_id"]) or values["compartment_id"], {})]
        if type_name == "oci_identity_region_subscriptions":
            return [("TENANCY_INSPECT", values.get("tenancy_id") or "", {})]
        return []

    def _bucket(self, op: str, values: dict[str, Any], prior: dict[str, Any]) -> list[Call]:
        compartment, name = values.get("compartment_id") or "", values.get("name") or ""
        context = {"target.bucket.name": name}
        if op == "import":
            return self._on_bucket(self.model.region, values, ("BUCKET_READ",))
        if op == "read":
            return [("BUCKET_READ", compartment, context)]  # GetBucket, ListRetentionRules
        if op == "delete":
            return [("BUCKET_DELETE", compartment, context)]
        calls: list[Call] = [("BUCKET_CREATE" if op == "create" else "BUCKET_UPDATE", compartment, context)]
        key = values.get("kms_key_id")
        if key and key != prior.get("kms_key_id"):
            calls += self._key_associate(key)
        rules, before = values.get("retention_rules") or [], prior.get("retention_rules") or []
        if _retention(rules) != _retention(before):
            calls += [("BUCKET_UPDATE", compartment, context), ("RETENTION_RULE_MANAGE", compartment, context)]
            if {_lock(r) for r in rules} - {_lock(r) for r in before} - {None}:
                calls.append(("RETENTION_RULE_LOCK", compartment, context))
        return calls

    def _key_associate(self, key: str) -> list[Call]:
        """A bucket given a Vault key: the user delegates the key's use (KEY_ASSOCIATE)."""
        for facts in self.model.tenancies.values():
            if key in facts.get("keys", {}):
                return [("KEY_ASSOCIATE", facts["keys"][key]["compartment"], {"target.key.id": key})]
        return []  # an unknown key: oci-bucket-key answers

    def _on_bucket(self, region: str, values: dict[str, Any], permissions: Iterable[str]) -> list[Call]:
        bucket = self.model._bucket_at(region, values.get("namespace") or "", values.get("bucket") or "")
        if bucket is None:
            return []  # the bucket rules answer
        return [(permission, bucket["compartment"], {"target.bucket.name": bucket["name"]}) for permission in permissions]

    def _log(self, op: str, values: dict[str, Any]) -> list[Call]:
        with self.model.world.ledger() as ledger:
            group = ledger.get("oci", {}).get("log_groups", {}).get(values.get("log_group_id") or "")
        if group is None:
            return []  # oci-logging-source answers
        calls: list[Call] = [("LOG_GROUP_READ" if op in ("read", "import") else "LOG_GROUP_UPDATE", group["compartment"], {})]
        source = ((values.get("configuration") or [{}])[0].get("source") or [{}])[0] if op == "create" else {}
        if source.get("service") == "objectstorage":
            # "To enable service logs in a resource, a user must be granted manage access on the log
            # group and access to the resource" (Logs and Log Groups): enabling a bucket's log
            # updates the bucket (inferred: BUCKET_UPDATE).
            bucket = {"namespace": self.model.tenancies[group["tenancy"]]["namespace"], "bucket": source.get("resource")}
            calls += self._on_bucket(self.model.region, bucket, ("BUCKET_UPDATE",))
        return calls


def _retention(rules: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(rule.items())) for rule in rules)


def _lock(rule: dict[str, Any]) -> str | None:
    locked: str | None = rule.get("time_rule_locked")
    return locked


# ---- the hook: a cloud's model behind its deploying identity -------------------------------


class Deploying:
    """A cloud model whose every call is first checked against the deploying identity."""

    def __init__(self, model: CloudModel, identity: GcpDeployer | OciDeployer) -> None:
        self.model = model
        self.identity = identity

    def create(self, type_name: str, planned: dict[str, Any]) -> Error | None:
        return self.identity.check(type_name, "create", planned) or self.model.create(type_name, planned)

    def update(self, type_name: str, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self.identity.check(type_name, "update", planned, prior) or self.model.update(type_name, prior, planned)

    def delete(self, type_name: str, prior: dict[str, Any]) -> Error | None:
        return self.identity.check(type_name, "delete", prior) or self.model.delete(type_name, prior)

    def read(self, type_name: str, config: dict[str, Any]) -> dict[str, Any] | Error:
        return self.identity.check(type_name, "read", config) or self.model.read(type_name, config)

    def refresh(self, type_name: str, current: dict[str, Any]) -> Error | None:
        return self.identity.check(type_name, "read", current)

    def written(self, type_name: str, state: dict[str, Any]) -> dict[str, Any]:
        return self.model.written(type_name, state)  # what the cloud sets itself: no call of the deployer's

    def imported(self, type_name: str, import_id: str) -> dict[str, Any] | Error | None:
        refused = self.identity.check(type_name, "import", _import_values(type_name, import_id))
        return refused or self.model.imported(type_name, import_id)


def _import_values(type_name: str, import_id: str) -> dict[str, Any]:
    """The arguments an import ID carries: a repository's name, a bucket's n/<namespace>/b/<name>[/l]."""
    parts = import_id.split("/")
    if type_name == "google_artifact_registry_repository" and len(parts) == 6:
        return {"project": parts[1], "location": parts[3], "repository_id": parts[5]}
    if type_name.startswith("oci_objectstorage_") and len(parts) >= 4:
        return {"namespace": parts[1], "bucket": parts[3], "name": parts[3]}
    return {}
