"""Rules and names of OCI Object Storage and IAM (oracle/oci 7.x), pure: no binding, no jsii."""

from __future__ import annotations

import re

from rules.problems import Problem, matching, short_hash

_POLICY_NAME_LIMIT = 100


def _ocid(*types: str) -> str:
    # ocid1.<type>.<realm>.[region][.future use].<unique id>
    return rf"ocid1\.(?:{'|'.join(types)})\.[a-z0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]+)?\.[a-z0-9]+"


check_bucket_name = matching(
    r"[A-Za-z0-9_.-]{1,256}", "not a bucket name", "use 1 to 256 letters, digits, '-', '_' and '.'", max_length=256
)
check_region = matching(
    r"[a-z]{2,3}(?:-[a-z]+)+-[0-9]+",
    "not an OCI region identifier",
    "use a region identifier such as us-ashburn-1 or eu-frankfurt-1",
)
check_compartment_id = matching(
    _ocid("compartment", "tenancy"),
    "not a compartment or tenancy OCID",
    "use ocid1.compartment.oc1..<id> or ocid1.tenancy.oc1..<id>",
)
check_key_id = matching(_ocid("key"), "not a Vault key OCID", "use ocid1.key.oc1.<region>.<vault>.<id>")
check_namespace = matching(
    r"[A-Za-z0-9_-]{1,64}",
    "not an Object Storage namespace",
    "use the tenancy's namespace (letters, digits, '-', '_'), or null to look it up",
    max_length=64,
)
check_group = matching(
    r"[A-Za-z0-9_.-]{1,100}", "not an IAM group name", "use 1 to 100 letters, digits, '-', '_' and '.', no spaces", max_length=100
)
check_tag_key = matching(
    r"[^.\s]{1,100}", "not a freeform tag key", "use 1 to 100 characters with no spaces or periods", max_length=100
)
MAX_DAYS = 36_500
"""The longest lifecycle or retention period we write, in days (100 years). OCI documents no
maximum and the provider takes any 64-bit integer, so a longer one is a slipped key."""


def check_tag_value(value: str) -> Problem | None:
    if len(value) <= 256:
        return None
    return Problem("freeform tag value too long", "use at most 256 characters")


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
