"""Pure rules and helpers for OCI Object Storage and IAM (oracle/oci 7.x)."""

from __future__ import annotations

import re

from constructs.rules import Problem, duplicates, short_hash

_BUCKET_NAME = re.compile(r"[A-Za-z0-9_.-]{1,256}")
_REGION = re.compile(r"[a-z]{2,3}(?:-[a-z]+)+-[0-9]+")
_NAMESPACE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_GROUP = re.compile(r"[A-Za-z0-9_.-]{1,100}")
_TAG_KEY = re.compile(r"[^.\s]{1,100}")
_POLICY_NAME_LIMIT = 100


def _ocid(*types: str) -> re.Pattern[str]:
    # ocid1.<type>.<realm>.[region][.future use].<unique id>
    return re.compile(rf"ocid1\.(?:{'|'.join(types)})\.[a-z0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]+)?\.[a-z0-9]+")


_COMPARTMENT_OCID = _ocid("compartment", "tenancy")
_KEY_OCID = _ocid("key")


def check_bucket_name(value: str) -> Problem | None:
    if _BUCKET_NAME.fullmatch(value):
        return None
    return Problem("not a bucket name", "use 1 to 256 letters, digits, '-', '_' and '.'")


def check_region(value: str) -> Problem | None:
    if _REGION.fullmatch(value):
        return None
    return Problem("not an OCI region identifier", "use a region identifier such as us-ashburn-1 or eu-frankfurt-1")


def check_compartment_id(value: str) -> Problem | None:
    if _COMPARTMENT_OCID.fullmatch(value):
        return None
    return Problem("not a compartment or tenancy OCID", "use ocid1.compartment.oc1..<id> or ocid1.tenancy.oc1..<id>")


def check_key_id(value: str) -> Problem | None:
    if _KEY_OCID.fullmatch(value):
        return None
    return Problem("not a Vault key OCID", "use ocid1.key.oc1.<region>.<vault>.<id>")


def check_namespace(value: str) -> Problem | None:
    if _NAMESPACE.fullmatch(value):
        return None
    return Problem(
        "not an Object Storage namespace",
        "use the tenancy's namespace (letters, digits, '-', '_'), or null to look it up",
    )


def check_group(value: str) -> Problem | None:
    if _GROUP.fullmatch(value):
        return None
    return Problem("not an IAM group name", "use 1 to 100 letters, digits, '-', '_' and '.', no spaces")


def check_tag_key(key: str) -> Problem | None:
    if _TAG_KEY.fullmatch(key):
        return None
    return Problem("not a freeform tag key", "use 1 to 100 characters with no spaces or periods")


def check_tag_value(value: str) -> Problem | None:
    if len(value) <= 256:
        return None
    return Problem("freeform tag value too long", "use at most 256 characters")


def check_days(value: int) -> Problem | None:
    if value >= 1:
        return None
    return Problem("too small", "use a whole number of days >= 1")


def check_archive_before_delete(archive_days: int | None, delete_days: int | None) -> Problem | None:
    """A DELETE rule wins over an ARCHIVE rule on the same object: archiving must come first."""
    if archive_days is None or delete_days is None or archive_days < delete_days:
        return None
    return Problem(
        f"archive_after_days must be below delete_after_days ({delete_days}): objects would be deleted before they are archived",
        f"use fewer than {delete_days} days, or drop the archive rule",
    )


def check_retention_without_versioning(versioning: bool) -> Problem | None:
    if not versioning:
        return None
    return Problem(
        "retention rules and versioning exclude each other on one bucket",
        "set versioning: false to use a retention rule, or remove retention_days",
    )


def check_previous_versions_need_versioning(versioning: bool) -> Problem | None:
    if versioning:
        return None
    return Problem(
        "previous-version rules need versioning on the bucket",
        "set versioning: true, or remove previous_versions",
    )


def check_standard_tier(storage_tier: str) -> Problem | None:
    """Auto-tiering and ARCHIVE rules move objects out of Standard: an Archive bucket has nothing to move."""
    if storage_tier == "Standard":
        return None
    return Problem(f"needs storage_tier Standard, this bucket is {storage_tier}", "use storage_tier: Standard, or remove it")


def terraform_name(value: str) -> str:
    """A Terraform identifier for a name that may hold '.' or start with a digit."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", value)
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


def policy_name(*parts: str) -> str:
    """An IAM policy name from parts, kept within OCI's 100 characters (a hash keeps it unique)."""
    name = "-".join(parts)
    if len(name) <= _POLICY_NAME_LIMIT:
        return name
    return f"{name[: _POLICY_NAME_LIMIT - 9]}-{short_hash(name)}"



def bucket_import_id(namespace: str, name: str) -> str:
    """The ID `terraform import` takes for a bucket."""
    return f"n/{namespace}/b/{name}"


def lifecycle_import_id(namespace: str, name: str) -> str:
    """The ID `terraform import` takes for a bucket's lifecycle policy."""
    return f"{bucket_import_id(namespace, name)}/l"


def lifecycle_service_statement(region: str, compartment_id: str) -> str:
    """What lets Object Storage archive and delete objects on the tenancy's behalf."""
    return f"Allow service objectstorage-{region} to manage object-family in compartment id {compartment_id}"


def bucket_access_statement(group: str, verb: str, compartment_id: str, bucket_name: str) -> str:
    """A grant on the objects of one bucket only."""
    return f"Allow group {group} to {verb} objects in compartment id {compartment_id} where target.bucket.name='{bucket_name}'"


def lifecycle_problems(
    *,
    archive_after_days: int | None,
    delete_after_days: int | None,
    previous_versions: tuple[int | None, int | None] | None,
    abort_multipart_uploads_after_days: int | None,
    prefixes: tuple[str, ...],
    versioning: bool,
    storage_tier: str,
) -> list[tuple[str, object, Problem]]:
    """Every problem of a bucket's lifecycle, as (path inside the lifecycle, value, problem).

    Day counts below 1 are left to the callers' own type checks.
    """
    problems: list[tuple[str, object, Problem | None]] = []
    previous_archive, previous_delete = previous_versions or (None, None)
    days = (archive_after_days, delete_after_days, previous_archive, previous_delete, abort_multipart_uploads_after_days)
    if all(value is None for value in days):
        problems.append(("", "no rule", Problem("a lifecycle with no rule", "set at least one *_after_days, or remove lifecycle")))
    problems.append(("archive_after_days", archive_after_days, check_archive_before_delete(archive_after_days, delete_after_days)))
    if archive_after_days is not None:
        problems.append(("archive_after_days", archive_after_days, check_standard_tier(storage_tier)))
    if previous_archive is not None or previous_delete is not None:
        problems.append(
            ("previous_versions.archive_after_days", previous_archive, check_archive_before_delete(previous_archive, previous_delete))
        )
        problems.append(("previous_versions", "rules", check_previous_versions_need_versioning(versioning)))
    if previous_archive is not None:
        problems.append(("previous_versions.archive_after_days", previous_archive, check_standard_tier(storage_tier)))
    for index, prefix in enumerate(prefixes):
        if not prefix:
            problems.append((f"prefixes[{index}]", prefix, Problem("empty prefix", "use a non-empty object name prefix")))
    for prefix in duplicates(prefixes):
        problems.append(("prefixes", prefix, Problem("prefix listed twice", "list each prefix once")))
    return [(path, got, problem) for path, got, problem in problems if problem is not None]
