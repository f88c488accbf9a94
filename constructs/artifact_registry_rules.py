"""Pure rules and helpers for Artifact Registry (hashicorp/google 6.x).

No provider binding is imported here: the config loader uses these rules to
report mistakes before anything slow is loaded.
"""

from __future__ import annotations

import re

from constructs.rules import Problem

FORMATS = ("DOCKER", "MAVEN", "NPM", "PYTHON", "APT", "YUM", "GO", "KFP", "GENERIC")
"""Every repository format the API takes (upper case, as emitted)."""

ROLE_READER = "roles/artifactregistry.reader"
ROLE_WRITER = "roles/artifactregistry.writer"
ROLE_REPO_ADMIN = "roles/artifactregistry.repoAdmin"
ROLE_KMS_ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"

MAX_CLEANUP_POLICIES = 10
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")

_REPOSITORY_ID = re.compile(r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?")
_PROJECT_ID = re.compile(r"[a-z][a-z0-9-]{4,28}[a-z0-9]")
_LOCATION = re.compile(r"[a-z]+-[a-z]+[0-9]+|us|europe|asia")
_DURATION = re.compile(r"([0-9]+)([smhd])")
_KMS_KEY = re.compile(r"projects/([^/]+)/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys/([^/]+)")
_LABEL_KEY = re.compile(r"[a-z][a-z0-9_-]{0,62}")
_LABEL_VALUE = re.compile(r"[a-z0-9_-]{0,63}")
_EMAIL_MEMBER = re.compile(r"(user|serviceAccount|group):[^@\s:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DOMAIN_MEMBER = re.compile(r"domain:[a-z0-9.-]+\.[a-z]{2,}")
_PRINCIPAL_MEMBER = re.compile(r"principal(Set)?://\S+")
_BASIC_ROLE_MEMBER = re.compile(r"project(Owner|Editor|Viewer):" + _PROJECT_ID.pattern)
_SECONDS_PER_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def check_repository_id(value: str) -> Problem | None:
    if _REPOSITORY_ID.fullmatch(value):
        return None
    return Problem(
        "not a repository ID",
        "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter"
        " and ending with a letter or digit, e.g. ml-models",
    )


def check_project_id(value: str) -> Problem | None:
    if _PROJECT_ID.fullmatch(value):
        return None
    return Problem(
        "not a GCP project ID",
        "use 6 to 30 lowercase letters, digits and hyphens, starting with a letter"
        " and not ending with a hyphen, e.g. acme-ml-prod",
    )


def check_location(value: str) -> Problem | None:
    if _LOCATION.fullmatch(value):
        return None
    return Problem(
        "not a GCP location",
        "use a region such as us-central1 or europe-west4, or a multi-region: us, europe, asia",
    )


def check_format(value: str) -> Problem | None:
    if value.upper() in FORMATS:
        return None
    return Problem("not a repository format", "use one of: " + ", ".join(f.lower() for f in FORMATS))


def check_label_key(key: str) -> Problem | None:
    if _LABEL_KEY.fullmatch(key):
        return None
    return Problem("not a GCP label key", "use up to 63 lowercase letters, digits, _ and -, starting with a letter")


def check_label_value(value: str) -> Problem | None:
    if _LABEL_VALUE.fullmatch(value):
        return None
    return Problem("not a GCP label value", "use up to 63 lowercase letters, digits, _ and -")


def parse_duration(value: str) -> int | None:
    """Seconds in a duration such as `90d`, or None when it is not one."""
    match = _DURATION.fullmatch(value)
    if match is None:
        return None
    seconds = int(match.group(1)) * _SECONDS_PER_UNIT[match.group(2)]
    return seconds if seconds > 0 else None


def check_duration(value: str) -> Problem | None:
    if parse_duration(value) is not None:
        return None
    return Problem("not a duration", "use a whole number above 0 with s, m, h or d, e.g. 90d")


def kms_key_location(value: str) -> str | None:
    """The location part of a Cloud KMS key name, or None when it is not a key name."""
    match = _KMS_KEY.fullmatch(value)
    return match.group(2) if match else None


def check_kms_key_name(value: str, location: str | None) -> Problem | None:
    """A key name, in `location` when one is given."""
    key_location = kms_key_location(value)
    if key_location is None:
        return Problem(
            "not a Cloud KMS key name",
            "use projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY",
        )
    if location is not None and key_location != location:
        return Problem(
            f"key is in location {key_location!r}, the repository in {location!r}",
            f"use a key in {location}: Artifact Registry only accepts a key in the repository's location",
        )
    return None


def check_member(value: str, *, allow_public: bool) -> Problem | None:
    if value in PUBLIC_MEMBERS:
        if allow_public:
            return None
        return Problem(
            "makes the repository public",
            "remove it, or set allow_public: true if the models really are public",
        )
    for pattern in (_EMAIL_MEMBER, _DOMAIN_MEMBER, _PRINCIPAL_MEMBER, _BASIC_ROLE_MEMBER):
        if pattern.fullmatch(value):
            return None
    return Problem(
        "not an IAM member",
        "use user:EMAIL, serviceAccount:EMAIL, group:EMAIL, domain:DOMAIN,"
        " principal://..., principalSet://... or projectOwner|projectEditor|projectViewer:PROJECT",
    )


def repository_url(*, location: str, format_: str, project: str, repository_id: str) -> str:
    """The URL clients push to and pull from, e.g. us-central1-docker.pkg.dev/p/models.

    hashicorp/google 6.50.0 exports no `registry_uri`, so it is built here.
    """
    return f"{location}-{format_.lower()}.pkg.dev/{project}/{repository_id}"


def import_id(project: str, location: str, repository_id: str) -> str:
    """The ID `terraform import` takes for a repository."""
    return f"projects/{project}/locations/{location}/repositories/{repository_id}"


def service_agent(project_number: str) -> str:
    """The Artifact Registry service agent of a project, as an IAM member."""
    return f"serviceAccount:service-{project_number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"


def check_docker_only(format_: str) -> Problem | None:
    """immutable_tags and vulnerability scanning exist only for Docker repositories."""
    if format_.upper() == "DOCKER":
        return None
    return Problem(f"only for docker repositories, this one is {format_.lower()}", "remove it or use format: docker")


def check_keep_latest(value: int) -> Problem | None:
    if value >= 1:
        return None
    return Problem("too small", "keep at least 1 version (a whole number >= 1)")


def check_cleanup_deletes(delete_older_than: str | None) -> Problem | None:
    """A cleanup with only KEEP rules deletes nothing: say so instead of pretending."""
    if delete_older_than is not None:
        return None
    return Problem(
        "a cleanup without delete_older_than deletes nothing (KEEP rules only protect versions)",
        "set delete_older_than, e.g. 90d, or remove cleanup",
    )


def check_authoritative_grants(member_count: int) -> Problem | None:
    """An authoritative policy with no member would strip every grant, the admins' included."""
    if member_count > 0:
        return None
    return Problem(
        "an authoritative policy with no readers, writers or admins would remove every"
        " existing grant on the repository, its admins' included",
        "list at least one member, use mode: additive, or remove iam to leave grants alone",
    )
