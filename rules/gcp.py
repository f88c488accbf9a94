"""Rules and names of Artifact Registry (hashicorp/google 6.x), pure: no binding, no jsii."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rules.problems import Problem, check_not_template, matching

ROLE_READER = "roles/artifactregistry.reader"
ROLE_WRITER = "roles/artifactregistry.writer"
ROLE_REPO_ADMIN = "roles/artifactregistry.repoAdmin"
ROLE_KMS_ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
ROLE_SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
"""What the Artifact Registry service agent needs on the secret holding a private upstream's password
(https://cloud.google.com/artifact-registry/docs/repositories/configure-remote-authentication)."""

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")

_PROJECT_ID = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
_DURATION = re.compile(r"([0-9]+)([smhd])")
# Cloud KMS: key ring and key IDs are 1 to 63 of [a-zA-Z0-9_-]; a project is an ID (maybe
# domain-scoped) or a number.
_KMS_KEY = re.compile(
    r"projects/((?:[a-z0-9.-]+:)?[a-z0-9][a-z0-9-]*)/locations/([a-z0-9-]+)"
    r"/keyRings/([a-zA-Z0-9_-]{1,63})/cryptoKeys/([a-zA-Z0-9_-]{1,63})"
)
_KMS_KEY_VERSION = re.compile(_KMS_KEY.pattern + r"/cryptoKeyVersions/[0-9]+")
MAX_DURATION_SECONDS = 315_576_000_000
"""The longest google.protobuf.Duration, which the cleanup API's `olderThan` is: 10,000 years."""
MAX_KEEP_COUNT = 2_147_483_647
"""The cleanup API's `keepCount` is a 32-bit integer."""
MAX_CLEANUP_POLICIES = 10
"""Cleanup policies per repository (Artifact Registry quotas: "Cleanup policies per repository: 10")."""
MAX_LABELS = 63
"""The API takes 64 labels; the provider adds `goog-terraform-provisioned` to every resource
(`add_terraform_attribution_label`, default true), which leaves 63 for the config."""
TagState = Literal["any", "tagged", "untagged"]
"""Which versions a cleanup condition matches: all, those with a tag, those without."""

MAX_UPSTREAMS = 30
"""Upstream policies per virtual repository (Artifact Registry quotas)."""
MAX_PRIORITY = 2_147_483_647
"""An upstream policy's `priority` is a 32-bit integer; the greater one is tried first."""
REMOTE_UPSTREAMS = {"pypi": ("python", "PYPI"), "docker-hub": ("docker", "DOCKER_HUB")}
"""A remote repository's public upstream: the format it serves, and the provider's preset."""
CUSTOM_UPSTREAM_FORMATS = ("docker", "python")
"""The formats of ours whose remote repositories take a registry of the user's (`custom_repository`)."""
CREDENTIALED_UPSTREAMS = ("custom", "docker-hub")
"""The upstreams that take a username and password here: a private registry, and Docker Hub (an account
lifts its pull limits). PyPI is public."""
_SECRET_VERSION = re.compile(
    r"projects/(" + _PROJECT_ID + r"|[0-9]{1,20})/secrets/([a-zA-Z0-9_-]{1,255})/versions/([1-9][0-9]*)"
)
MODES = {"standard": "STANDARD_REPOSITORY", "remote": "REMOTE_REPOSITORY", "virtual": "VIRTUAL_REPOSITORY"}

API_ARTIFACT_REGISTRY = "artifactregistry.googleapis.com"
API_CONTAINER_SCANNING = "containerscanning.googleapis.com"
"""Scans docker images pushed to a repository whose scanning is INHERITED (AR release notes, 2022-10-11),
and since 2025-12-15 Java, Python and Node.js packages too: "Enabling this API also enables language
package scanning in Artifact Registry" (https://cloud.google.com/artifact-analysis/docs/package-scan-automatic)."""
SCANNING_ENABLEMENT = {"enabled": "INHERITED", "inherited": "INHERITED", "disabled": "DISABLED"}
"""vulnerability_scanning -> enablement_config: the API has no ENABLED; INHERITED is "Scanning is Enabled, but
dependent on API enablement" (google.devtools.artifactregistry.v1 Repository.VulnerabilityScanningConfig)."""
SCANNED_FORMATS = ("docker", "python")
"""The formats of ours Artifact Analysis scans (package-scanning-overview: Java, Python, Node.js; and images)."""

API_PROPAGATION = "30s"
"""How long what uses a newly enabled API waits: enabling is eventually consistent, and the
provider's guide (google_project_service, "Newly activated service errors",
hashicorp/terraform-provider-google#8214) recommends a time_sleep, with 30 s in its example."""
SERVICE_AGENT_PROPAGATION = "60s"
"""How long a grant to a new service agent waits: Google says to wait "60 seconds or more" before
using a service account just created (IAM, "Create service accounts")."""
IAM_PROPAGATION = "120s"
"""How long what needs a new IAM grant waits: access changes "typically propagate in 2 minutes"
(cloud.google.com/iam/docs/access-change-propagation), and the repository's create does not
retry a KMS permission error (hashicorp/terraform-provider-google#13008)."""

_MEMBERS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(user|serviceAccount|group):[^@\s:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        r"domain:[a-z0-9.-]+\.[a-z]{2,}",
        r"principal(Set)?://\S+",
        r"project(Owner|Editor|Viewer):" + _PROJECT_ID,
    )
)
_SECONDS_PER_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}

check_repository_id = matching(
    r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?",
    "not a repository ID",
    "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter"
    " and ending with a letter or digit, e.g. ml-models",
    max_length=63,
)
_project_id = matching(
    _PROJECT_ID,
    "not a GCP project ID",
    "use 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g."
    " acme-ml-prod",
    max_length=30,
)


def check_project_id(value: str) -> Problem | None:
    if value.isdigit():
        return Problem(
            "a project number, not a project ID",
            f"use the project's ID, e.g. acme-ml-prod (gcloud projects describe {value} --format='value(projectId)'"
            " prints it)",
        )
    return _project_id(value)


check_location = matching(
    r"[a-z]+-[a-z]+[0-9]+|us|europe|asia",
    "not a GCP location",
    "use a region such as us-central1 or europe-west4, or a multi-region: us, europe, asia",
)
check_label_key = matching(
    r"[a-z][a-z0-9_-]{0,62}",
    "not a GCP label key",
    "use up to 63 lowercase letters, digits, _ and -, starting with a letter",
    max_length=63,
)
check_label_value = matching(
    r"[a-z0-9_-]{0,63}", "not a GCP label value", "use up to 63 lowercase letters, digits, _ and -", max_length=63
)


def check_label_count(labels: dict[str, str]) -> Problem | None:
    if len(labels) <= MAX_LABELS:
        return None
    return Problem(
        "too many labels",
        f"use at most {MAX_LABELS}: Artifact Registry takes 64 and the google provider adds goog-terraform-provisioned"
        " to each resource",
    )


check_tag_prefix = matching(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
    "not a tag prefix",
    "use the start of a Docker tag: up to 128 letters, digits, _, . and -, not starting with . or -, e.g. prod or"
    " release-",
    max_length=128,
)


def parse_duration(value: str) -> int | None:
    """Seconds in a duration such as `90d`, or None when it is not one."""
    match = _DURATION.fullmatch(value)
    if match is None:
        return None
    seconds = int(match.group(1)) * _SECONDS_PER_UNIT[match.group(2)]
    return seconds if seconds > 0 else None


def check_duration(value: str) -> Problem | None:
    seconds = parse_duration(value)
    if seconds is None:
        return Problem("not a duration", "use a whole number above 0 with s, m, h or d, e.g. 90d")
    if seconds > MAX_DURATION_SECONDS:
        return Problem(
            f"too long ({seconds}s)",
            f"use at most {MAX_DURATION_SECONDS}s ({MAX_DURATION_SECONDS // 86400}d): the API's durations end at 10,000"
            " years",
        )
    return None


def kms_key_location(value: str) -> str | None:
    """The location part of a Cloud KMS key name, or None when it is not a key name."""
    match = _KMS_KEY.fullmatch(value)
    return match.group(2) if match else None


def check_kms_key_name(value: str, location: str | None = None) -> Problem | None:
    """A key name, in `location` when one is given."""
    if (template := check_not_template(value)) is not None:
        return template
    key_location = kms_key_location(value)
    if key_location is None and _KMS_KEY_VERSION.fullmatch(value):
        return Problem(
            "a key version, not a key",
            "drop the /cryptoKeyVersions/N at the end: the repository takes the key and uses its primary version",
        )
    if key_location is None:
        return Problem(
            "not a Cloud KMS key name", "use projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY"
        )
    if location is not None and key_location != location:
        return Problem(
            f"key is in location {key_location!r}, the repository in {location!r}",
            f"use a key in {location}: Artifact Registry only accepts a key in the repository's location",
        )
    return None


def check_member(value: str, *, allow_public: bool) -> Problem | None:
    if (template := check_not_template(value)) is not None:
        return template
    if value in PUBLIC_MEMBERS:
        if allow_public:
            return None
        return Problem(
            "makes the repository public", "remove it, or set allow_public: true if the models really are public"
        )
    if any(pattern.fullmatch(value) for pattern in _MEMBERS):
        return None
    return Problem(
        "not an IAM member",
        "use user:EMAIL, serviceAccount:EMAIL, group:EMAIL, domain:DOMAIN,"
        " principal://..., principalSet://... or projectOwner|projectEditor|projectViewer:PROJECT",
    )


def check_docker_only(format_: str) -> Problem | None:
    """immutable_tags and vulnerability scanning exist only for Docker repositories."""
    if format_ == "docker":
        return None
    return Problem(f"only for docker repositories, this one is {format_}", "remove it or use format: docker")


def check_scannable(format_: str) -> Problem | None:
    """Vulnerability scanning exists for images and language packages, not for kfp or generic files."""
    if format_ in SCANNED_FORMATS:
        return None
    return Problem(
        f"Artifact Analysis scans docker images and python packages, not {format_} repositories",
        "remove it, or use format: docker or python",
    )


def repository_url(*, location: str, format_: str, project: str, repository_id: str) -> str:
    """The URL clients push to and pull from, e.g. us-central1-docker.pkg.dev/p/models.

    hashicorp/google 6.50.0 exports no `registry_uri`, so it is built here.
    """
    return f"{location}-{format_}.pkg.dev/{project}/{repository_id}"


CLIENT_ADDRESSES = {
    "docker": "Image prefix for docker tag, push and pull (<prefix>/<image>:<tag>)",
    "python": "pip index URL (pip install --index-url)",
    "kfp": "Registry host for the Kubeflow Pipelines client (kfp.registry.RegistryClient)",
    "generic": "--location, --repository and --project flags for gcloud artifacts generic upload and download",
}
"""Per format, what `client_address` gives and the client that takes it."""


def client_address(*, location: str, format_: str, project: str, repository_id: str) -> str:
    """What the format's own client takes to reach the repository, ready for CI (CLIENT_ADDRESSES):
    docker `us-central1-docker.pkg.dev/p/r`; python `https://us-central1-python.pkg.dev/p/r/simple/`;
    kfp `https://us-central1-kfp.pkg.dev/p/r`; generic `--location=us-central1 --repository=r --project=p`."""
    host = repository_url(location=location, format_=format_, project=project, repository_id=repository_id)
    return {
        "docker": host,
        "python": f"https://{host}/simple/",
        "kfp": f"https://{host}",
        "generic": f"--location={location} --repository={repository_id} --project={project}",
    }[format_]


def import_id(project: str, location: str, repository_id: str) -> str:
    """The ID `terraform import` takes for a repository."""
    return f"projects/{project}/locations/{location}/repositories/{repository_id}"


def service_agent(project_number: str) -> str:
    """The Artifact Registry service agent of a project, as an IAM member."""
    return f"serviceAccount:{service_agent_email(project_number)}"


@dataclass(frozen=True)
class CleanupPolicy:
    """One entry of a repository's `cleanup_policies`, as the API takes it.

    DELETE policies have a condition (`older_than_seconds`, `tag_state`); KEEP policies
    have either a condition (`tag_state`, `tag_prefixes`) or `keep_count`.
    """

    id: str
    action: str  # DELETE or KEEP
    tag_state: str | None = None  # ANY, TAGGED or UNTAGGED
    older_than_seconds: int | None = None
    tag_prefixes: tuple[str, ...] = ()
    keep_count: int | None = None
    package_prefixes: tuple[str, ...] = ()
    """Package name prefixes the policy is limited to: `condition.package_name_prefixes`, or
    `most_recent_versions.package_name_prefixes` beside `keep_count`."""

    @property
    def has_condition(self) -> bool:
        in_condition = bool(self.package_prefixes) and self.keep_count is None
        return (
            self.tag_state is not None or self.older_than_seconds is not None or bool(self.tag_prefixes) or in_condition
        )


def check_package_prefix(prefix: str) -> Problem | None:
    """A package name prefix: not empty, no whitespace (package names have none)."""
    if prefix and not any(character.isspace() for character in prefix):
        return None
    return Problem("not a package name prefix", "use the start of package names, without spaces, e.g. fraud-")


def check_cleanup_policies(policies: list[CleanupPolicy]) -> Problem | None:
    """What the API refuses, or silently ignores, in a repository's cleanup policies.

    At most 10; a policy has a condition or `keep_count`, never both (a proto oneof), and
    `keep_count` only on KEEP (REST CleanupPolicy); a DELETE with no condition is refused
    ("policy is missing a condition", hashicorp/terraform-provider-google#22495); tag
    prefixes match only with tag_state TAGGED (they are ignored otherwise, and a KEEP that
    protects nothing reads like protection).
    """
    if len(policies) > MAX_CLEANUP_POLICIES:
        return Problem(
            f"{len(policies)} cleanup policies",
            f"use at most {MAX_CLEANUP_POLICIES}: Artifact Registry refuses more per repository",
        )
    for policy in policies:
        if policy.keep_count is not None and (policy.action != "KEEP" or policy.has_condition):
            return Problem(
                f"policy {policy.id!r}: keep_count with a condition or on {policy.action}",
                "keep_count is a KEEP policy of its own",
            )
        if policy.action == "DELETE" and not policy.has_condition:
            return Problem(f"policy {policy.id!r}: a DELETE without a condition", "give it older_than or a tag state")
        if policy.tag_prefixes and policy.tag_state != "TAGGED":
            return Problem(
                f"policy {policy.id!r}: tag prefixes with tag state {policy.tag_state}",
                "tag prefixes match only tagged versions: use TAGGED",
            )
    if len({policy.id for policy in policies}) < len(policies):
        return Problem("two cleanup policies with one id", "give each policy its own id")
    return None


SERVING_AGENTS = {
    "vertex_ai": ("gcp-sa-aiplatform", "gcp-sa-aiplatform-cc"),
    "cloud_run": ("serverless-robot-prod",),
}
"""The runtimes that pull models, and the domains of their service agents in the consuming project
(https://cloud.google.com/iam/docs/service-agents): the Vertex AI Service Agent, which pulls custom
serving containers, and the Vertex AI Custom Code Service Agent, which runs custom training
(https://cloud.google.com/vertex-ai/docs/general/custom-service-account); the Cloud Run Service
Agent, which pulls a service's image: "If your repositories are in a different project, you must
grant Artifact Registry Reader permissions to the Cloud Run Service Agent"
(https://cloud.google.com/artifact-registry/docs/integrate-cloud-run)."""


def serving_agent(domain: str, project_number: str) -> str:
    """A service agent of a consuming project, as an IAM member."""
    return f"serviceAccount:service-{project_number}@{domain}.iam.gserviceaccount.com"


def service_agent_email(project_number: str) -> str:
    """The Artifact Registry service agent of a project (AR docs, "Artifact Registry service agent")."""
    return f"service-{project_number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"


def check_remote_upstream(upstream: str, format_: str) -> Problem | None:
    """A remote repository caches one public registry of its own format, or a registry of the
    user's (`custom`) of a format that takes one."""
    if upstream == "custom":
        if format_ in CUSTOM_UPSTREAM_FORMATS:
            return None
        return Problem(
            f"no custom upstream for {format_} repositories here", "use format: " + " or ".join(CUSTOM_UPSTREAM_FORMATS)
        )
    served, _ = REMOTE_UPSTREAMS[upstream]
    if format_ == served:
        return None
    matching_upstream = next((name for name, (fmt, _) in REMOTE_UPSTREAMS.items() if fmt == format_), None)
    return Problem(
        f"{upstream} serves {served} repositories, this one is {format_}",
        f"use upstream: {matching_upstream}"
        if matching_upstream
        else "use format: " + " or ".join(f for f, _ in REMOTE_UPSTREAMS.values()),
    )


def without_userinfo(url: str) -> str:
    """`url` as an error may show it: a password written into it (`https://me:pw@host`) hidden."""
    return re.sub(r"^([a-zA-Z]+://)[^/@]*@", r"\1***@", url)


def check_upstream_url(url: str) -> Problem | None:
    """A private upstream's address: https, with a host. Plain http would send the upstream's
    password, and every model pulled through it, in the clear."""
    if without_userinfo(url) != url:
        return Problem(
            "an account in the URL", "put the account in username and its password in Secret Manager (password_secret)"
        )
    match = re.fullmatch(r"(?i)(https?)://([a-z0-9.-]+(?::[0-9]{1,5})?)(/[^\s]*)?", url)
    if match is None:
        return Problem("not a URL", "write it as https://<host>[/path], e.g. https://pypi.example.com/simple")
    if match.group(1).lower() != "https":
        return Problem("a plain http URL", "use https: over http the password and the models would travel in the clear")
    return None


def check_secret_version(name: str) -> Problem | None:
    """A Secret Manager version name, pinned to a number: what Artifact Registry reads the password from."""
    if _SECRET_VERSION.fullmatch(name):
        return None
    if re.fullmatch(r"projects/[^/]+/secrets/[^/]+/versions/latest", name):
        return Problem(
            "the latest alias",
            "pin a version number (projects/<project>/secrets/<secret>/versions/3): a rotation is then an edit the"
            " change review shows",
        )
    return Problem(
        "not a secret version name",
        "use projects/<project>/secrets/<secret>/versions/<number>, as `gcloud secrets versions list` names it",
    )


def secret_of(version_name: str) -> str:
    """The secret a version belongs to: projects/p/secrets/s of projects/p/secrets/s/versions/3."""
    return version_name.rsplit("/versions/", 1)[0]


def check_virtual_upstream(format_: str, upstream_format: str | None, upstream_mode: str | None) -> Problem | None:
    """An upstream of a virtual repository is a standard or remote repository of the same format
    in the same project and location (the virtual repository's environment)."""
    if upstream_format is None:
        return Problem("no repository with this id in the environment", "name a repository listed beside this one")
    if upstream_mode == "virtual":
        return Problem(
            "a virtual repository", "name a standard or remote repository: virtual repositories do not chain"
        )
    if upstream_format != format_:
        return Problem(f"a {upstream_format} repository, this one is {format_}", "name a repository of the same format")
    return None


_REPOSITORY_PATH = re.compile(r"projects/([^/]+)/locations/([^/]+)/repositories/([^/]+)")


def check_upstream_id(value: str) -> Problem | None:
    """A virtual repository's upstream: the id of a repository beside it. A full repository path
    is another project's or location's repository, which the stack cannot name."""
    path = _REPOSITORY_PATH.fullmatch(value)
    if path is not None:
        return Problem(
            "a full repository path: upstreams in another project or location are not supported here",
            f"name a repository of this environment by its id (e.g. {path.group(3)}), listed beside this one",
        )
    return check_repository_id(value)
