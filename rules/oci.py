"""Rules and names of OCI Object Storage and IAM (oracle/oci 7.x), pure: no binding, no jsii."""

from __future__ import annotations

import difflib
import re

from rules.problems import Check, Problem, check_not_template, matching, short_hash

_POLICY_NAME_LIMIT = 100


def _ocid(*types: str) -> str:
    # ocid1.<type>.<realm>.[region][.future use].<unique id>
    return rf"ocid1\.(?:{'|'.join(types)})\.[a-z0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]+)?\.[a-z0-9]+"


check_bucket_name = matching(
    r"[A-Za-z0-9_.-]{1,256}", "not a bucket name", "use 1 to 256 letters, digits, '-', '_' and '.'", max_length=256
)
_region_shape = matching(
    r"[a-z]{2,3}(?:-[a-z]+)+-[0-9]+",
    "not an OCI region identifier",
    "use a region identifier such as us-ashburn-1 or eu-frankfurt-1",
)


def _ocid_rule(types: tuple[str, ...], problem: str, allowed: str) -> Check:
    """A rule for an OCID of one of `types`; two run together (pasted twice) are called that,
    since a shortened line would show the start and the end of one."""
    shape = matching(_ocid(*types), problem, allowed)

    def check(value: str) -> Problem | None:
        count = value.count("ocid1.")
        if count > 1 and check_not_template(value) is None:
            return Problem(
                f"{problem}: {count} OCIDs run together, pasted twice?", f"{allowed}: one OCID, about 80 characters"
            )
        return shape(value)

    return check


check_compartment_id = _ocid_rule(
    ("compartment", "tenancy"),
    "not a compartment or tenancy OCID",
    "use ocid1.compartment.oc1..<id> or ocid1.tenancy.oc1..<id>",
)
check_key_id = _ocid_rule(("key",), "not a Vault key OCID", "use ocid1.key.oc1.<region>.<vault>.<id>")
check_namespace = matching(
    r"[A-Za-z0-9_-]{1,64}",
    "not an Object Storage namespace",
    "use the tenancy's namespace (letters, digits, '-', '_'), or null to look it up",
    max_length=64,
)
_GROUP_PART = r"[A-Za-z0-9@_.-](?:[A-Za-z0-9@_. -]{0,98}[A-Za-z0-9@_.-])?"
_GROUP_ALLOWED = (
    "use a group name (letters, digits, spaces, '@', '-', '_', '.'; at most 100), <identity domain>/<group>,"
    " dynamic-group:<name> or dynamic-group:<identity domain>/<name>,"
    " or the OCID of a group (ocid1.group...) or dynamic group (ocid1.dynamicgroup...); no commas or braces"
)
DYNAMIC_GROUP = "dynamic-group:"
"""How the config names a dynamic group (resource principals: Data Science model deployments and job
runs), e.g. `dynamic-group:ml-serving`; the statement's subject is `dynamic-group <name>`
(https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/subject.htm)."""
_group_name = matching(rf"{_GROUP_PART}(?:/{_GROUP_PART})?", "not an IAM group", _GROUP_ALLOWED, max_length=201)
_group_ocid = _ocid_rule(("group", "dynamicgroup"), "not a group's OCID", _GROUP_ALLOWED)
GROUP_OCID_SUBJECTS = {"group": "group", "dynamicgroup": "dynamic-group"}
"""An OCID's type -> the subject that names it by OCID: `group id <ocid>`, `dynamic-group id <ocid>`
(https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/subject.htm)."""


def check_group(value: str) -> Problem | None:
    """A group by name (`<domain>/<group>` outside the Default domain) or by OCID."""
    if value.startswith(DYNAMIC_GROUP):
        return _group_name(value.removeprefix(DYNAMIC_GROUP))
    if value.startswith("ocid1."):
        kind = value.split(".")[1] if value.count(".") > 1 else ""
        if kind not in GROUP_OCID_SUBJECTS and check_not_template(value) is None:
            return Problem(f"the OCID of a {kind or 'thing'}, not of a group", _GROUP_ALLOWED)
        return _group_ocid(value)
    return _group_name(value)


def unquote_group(value: object) -> object:
    """A group as a policy statement writes it, `'Default'/'MLServing'` or `'ML Serving'`, taken as
    the config writes it: `Default/MLServing`, `ML Serving` (the statement quotes it again)."""
    if not isinstance(value, str):
        return value
    if value.startswith(DYNAMIC_GROUP):
        return DYNAMIC_GROUP + str(unquote_group(value.removeprefix(DYNAMIC_GROUP)))
    parts = value.split("/")
    if len(parts) <= 2 and all(len(p) >= 2 and p[0] == p[-1] == "'" for p in parts):
        return "/".join(p[1:-1] for p in parts)
    return value


check_tenancy_id = _ocid_rule(("tenancy",), "not a tenancy OCID", "use ocid1.tenancy.oc1..<id>")
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


REGION_KEYS = {
    "af-johannesburg-1": "jnb", "ap-batam-1": "hsg", "ap-chuncheon-1": "yny", "ap-delhi-1": "onm",
    "ap-hyderabad-1": "hyd", "ap-melbourne-1": "mel", "ap-mumbai-1": "bom", "ap-osaka-1": "kix",
    "ap-seoul-1": "icn", "ap-singapore-1": "sin", "ap-singapore-2": "xsp", "ap-sydney-1": "syd",
    "ap-tokyo-1": "nrt", "ca-montreal-1": "yul", "ca-toronto-1": "yyz", "eu-amsterdam-1": "ams",
    "eu-frankfurt-1": "fra", "eu-madrid-1": "mad", "eu-marseille-1": "mrs", "eu-milan-1": "lin",
    "eu-paris-1": "cdg", "eu-stockholm-1": "arn", "eu-zurich-1": "zrh", "il-jerusalem-1": "mtz",
    "me-abudhabi-1": "auh", "me-dubai-1": "dxb", "me-jeddah-1": "jed", "me-riyadh-1": "ruh",
    "mx-monterrey-1": "mty", "mx-queretaro-1": "qro", "sa-bogota-1": "bog", "sa-santiago-1": "scl",
    "sa-saopaulo-1": "gru", "sa-valparaiso-1": "vap", "sa-vinhedo-1": "vcp", "uk-cardiff-1": "cwl",
    "uk-london-1": "lhr", "us-ashburn-1": "iad", "us-chicago-1": "ord", "us-phoenix-1": "phx",
    "us-saltlake-2": "aga", "us-sanjose-1": "sjc",
}  # fmt: skip
"""The commercial realm's regions and their keys (the Regions and Availability Domains page; the
OCI SDK's regions.go). A regional OCID names its region by key (`iad`, `phx`, the oldest) or by
identifier (`eu-frankfurt-1` and every region since)."""


OTHER_REALM_DOMAINS = {
    "oraclegovcloud.com": ("us-langley-1", "us-luke-1", "us-gov-ashburn-1", "us-gov-chicago-1", "us-gov-phoenix-1"),
    "oraclegovcloud.uk": ("uk-gov-london-1", "uk-gov-cardiff-1"),
    "oraclecloud8.com": ("ap-chiyoda-1", "ap-ibaraki-1"),
    "oraclecloud9.com": ("me-dcc-muscat-1", "me-ibri-1"),
    "oraclecloud10.com": ("ap-dcc-canberra-1",),
    "oraclecloud14.com": (
        "eu-dcc-milan-1",
        "eu-dcc-milan-2",
        "eu-dcc-dublin-1",
        "eu-dcc-dublin-2",
        "eu-dcc-rating-1",
        "eu-dcc-rating-2",
    ),
    "oraclecloud15.com": ("ap-dcc-gazipur-1",),
    "oraclecloud.eu": ("eu-frankfurt-2", "eu-madrid-2"),
    "oraclecloud20.com": ("eu-jovanovac-1",),
    "oraclecloud21.com": ("me-dcc-doha-1",),
    "oraclecloud23.com": ("us-somerset-1", "us-thames-1"),
    "oraclecloud24.com": ("eu-dcc-zurich-1", "eu-crissier-1"),
    "oraclecloud26.com": ("me-abudhabi-3", "me-alain-1"),
    "oraclecloud29.com": ("me-abudhabi-2", "me-abudhabi-4"),
    "oraclecloud35.com": ("ap-seoul-2", "ap-suwon-1", "ap-chuncheon-2"),
    "oraclecloud42.com": ("us-ashburn-2", "us-newark-1"),
    "oraclecloud51.com": ("eu-budapest-1",),
}
"""The regions outside the commercial realm (OC1, `oraclecloud.com`), by the domain of their
realm's endpoints: government, sovereign and dedicated realms (oci-go-sdk v65 common/regions.go,
its `realm` and `regionRealm` tables). A region in neither table gets `oraclecloud.com`, as the SDK
does for a region it does not know."""
COMMERCIAL_DOMAIN = "oraclecloud.com"


def realm_domain(region: str) -> str:
    """The domain of a region's service endpoints: `oraclecloud.com` in the commercial realm."""
    return next((domain for domain, regions in OTHER_REALM_DOMAINS.items() if region in regions), COMMERCIAL_DOMAIN)


def object_storage_endpoint(region: str) -> str:
    """Object Storage's API endpoint in a region (the OCI CLI's and SDKs' `--endpoint`)."""
    return f"https://objectstorage.{region}.{realm_domain(region)}"


def s3_endpoint(namespace: str, region: str) -> str:
    """Object Storage's S3-compatible endpoint for a tenancy namespace and region."""
    return f"https://{namespace}.compat.objectstorage.{region}.{realm_domain(region)}"


def ocid_region(ocid: str) -> str | None:
    """The region identifier a regional OCID names, or None when it names none we know."""
    parts = ocid.split(".")
    if len(parts) < 5 or not parts[3]:
        return None
    named = parts[3]
    if named in REGION_KEYS:
        return named
    return next((region for region, key in REGION_KEYS.items() if key == named), None)


def check_key_region(key_id: str, region: str) -> Problem | None:
    """A bucket takes a key of its own region: the Object Storage service that uses it is regional."""
    key_region = ocid_region(key_id)
    if key_region is None or key_region == region:
        return None
    return Problem(f"the key is in {key_region}, the bucket in {region}", f"use a Vault key in {region}")


REGIONS = (*REGION_KEYS, *(region for regions in OTHER_REALM_DOMAINS.values() for region in regions))
"""Every region we know, in every realm."""


def _did_you_mean(region: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(region, known, n=1, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if close else ""


def check_region(region: str) -> Problem | None:
    """A region of any realm we know (a slip would only show when the provider tries to reach
    the region's endpoint, and a home region sends every policy there)."""
    problem = _region_shape(region)
    if problem is not None or region in REGIONS:
        return problem
    return Problem(
        f"not an OCI region{_did_you_mean(region, REGIONS)}",
        "use a region identifier such as us-ashburn-1 or eu-frankfurt-1",
    )


def check_replication_region(region: str) -> Problem | None:
    """A replica's region: an identifier of a commercial-realm region."""
    problem = _region_shape(region)
    if problem is not None or region in REGION_KEYS:
        return problem
    return Problem(
        f"not a region of OCI's commercial realm{_did_you_mean(region, tuple(REGION_KEYS))}",
        "use a region identifier such as us-phoenix-1 or eu-amsterdam-1",
    )


def provider_alias(region: str) -> str:
    """The alias of the stack's provider in another region: `us-phoenix-1` -> `us_phoenix_1`."""
    return region.replace("-", "_")


LOG_RETENTION_DAYS = (30, 60, 90, 120, 150, 180)
"""What a log may keep, in days: "Log retention duration in 30-day increments (30, 60, 90 and
so on until 180)" (CreateLogDetails, oci-go-sdk). The provider does not check it; the service does."""


def check_log_retention(days: int) -> Problem | None:
    if days in LOG_RETENTION_DAYS:
        return None
    return Problem("not a retention OCI Logging offers", "use 30, 60, 90, 120, 150 or 180 (days, in 30-day steps)")


RETENTION_LOCK_MIN_DAYS = 14
"""OCI's mandatory delay before a retention rule locks: "A mandatory 14-day delay exists before a rule
is locked" (https://docs.oracle.com/iaas/Content/Object/Tasks/usingretentionrules.htm)."""


def check_lock_delay(days: int) -> Problem | None:
    if days >= RETENTION_LOCK_MIN_DAYS:
        return None
    return Problem(
        f"OCI locks a retention rule no sooner than {RETENTION_LOCK_MIN_DAYS} days after it is set",
        f"use {RETENTION_LOCK_MIN_DAYS} days or more (a lock can never be undone: the days before it are the time to"
        " remove it),"
        " or remove lock_after_days for a rule that stays unlocked",
    )


LOG_CATEGORIES = ("write", "read")
"""Object Storage's log categories (Logging, Details for Object Storage): `write` logs PUT, POST
and DELETE requests, `read` logs GET, LIST and HEAD."""


def log_group_name(prefix: str, region: str) -> str:
    """The display name of a stack's log group of bucket logs in a region: unique in its compartment."""
    return f"{prefix}-bucket-logs-{region}"


def log_name(bucket_name: str, category: str) -> str:
    """The display name of a bucket's log of one category: unique in its log group."""
    return f"{bucket_name}-{category}"


def replication_policy_name(region: str) -> str:
    """A replication policy's name (letters, digits, '-', '_', '.'); a bucket has only one."""
    return f"replicate-to-{region}"


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


POLICY_PROPAGATION = "30s"
"""How long what needs a new IAM policy waits for it: Oracle says a new policy takes effect
"typically within 10 seconds" (IAM, "Policy Basics"); three times that, as the OCI Go SDK retries
a refused call only inside the provider process that wrote the policy
(common/eventual_consistency.go) and the bucket's provider is another one. Paid once, when
the policy is created."""

ORACLE_DEFAULT_TAGS = ("Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn")
"""The defined tags a tenancy's default tag rules add to every new resource. Without them in
the provider's `ignore_defined_tags`, every plan after the first tries to remove them
(oracle/terraform-provider-oci#1283, #1394). Listed keys are ignored both ways: one a config
sets is not applied either."""


LIFECYCLE_PERMISSIONS = (
    "BUCKET_INSPECT",
    "BUCKET_READ",
    "OBJECT_INSPECT",
    "OBJECT_UPDATE_TIER",
    "OBJECT_DELETE",
    "OBJECT_VERSION_DELETE",
)
"""What Object Storage needs to run lifecycle rules, no more (Using Object Lifecycle Policies)."""
WRITER_PERMISSIONS = ("OBJECT_INSPECT", "OBJECT_READ", "OBJECT_CREATE", "OBJECT_OVERWRITE")
"""Put, overwrite, read and list objects; with `read buckets`, multipart uploads too (create,
upload part and commit need OBJECT_CREATE and OBJECT_OVERWRITE, commit also BUCKET_READ and
OBJECT_READ: Details for Object Storage). No OBJECT_DELETE and no OBJECT_VERSION_DELETE:
versions are history that writers must not be able to purge."""


REPLICATION_PERMISSIONS = (
    "BUCKET_READ", "BUCKET_UPDATE", "OBJECT_READ", "OBJECT_INSPECT",
    "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_RESTORE", "OBJECT_DELETE",
)  # fmt: skip
"""What Object Storage needs to replicate a bucket on the tenancy's behalf, no more: the least-privilege
statement of Using Replication (Service Permissions), the same list CreateReplicationPolicy asks of
the user ("The objectstorage-<location> subject must have the same permissions as the user")."""


def permissions(names: tuple[str, ...]) -> str:
    return "any {" + ", ".join(f"request.permission='{name}'" for name in names) + "}"


def group_subject(group: str) -> str:
    """A group as a policy statement's subject: `group Name`, or `group 'Domain'/'Name'` for an
    identity domain (and for a name with a space, which only the quoted form can hold: the
    default domain is `Default`); an OCID as `group id <ocid>` or `dynamic-group id <ocid>`."""
    if group.startswith("ocid1."):
        return f"{GROUP_OCID_SUBJECTS[group.split('.')[1]]} id {group}"
    kind = "dynamic-group" if group.startswith(DYNAMIC_GROUP) else "group"
    domain, _, name = group.removeprefix(DYNAMIC_GROUP).rpartition("/")
    if not domain and " " not in name:
        return f"{kind} {name}"
    return f"{kind} '{domain or 'Default'}'/'{name}'"


def lifecycle_service_statement(region: str, compartment_id: str) -> str:
    """What lets Object Storage archive and delete objects on the tenancy's behalf."""
    return (
        f"Allow service objectstorage-{region} to manage object-family in compartment id {compartment_id}"
        f" where {permissions(LIFECYCLE_PERMISSIONS)}"
    )


def replication_service_statement(region: str, compartment_id: str) -> str:
    """What lets Object Storage in `region` copy a bucket's objects to its replica. OCI authorizes the
    service of the region that replicates (the source's); the replica is in the same compartment,
    so one statement covers both buckets."""
    return (
        f"Allow service objectstorage-{region} to manage object-family in compartment id {compartment_id}"
        f" where {permissions(REPLICATION_PERMISSIONS)}"
    )


def key_service_statement(region: str, key_compartment_id: str, key_id: str) -> str:
    """What lets Object Storage encrypt and decrypt a bucket with a Vault key (Common Policies)."""
    return (
        f"Allow service objectstorage-{region} to use keys in compartment id {key_compartment_id}"
        f" where target.key.id = '{key_id}'"
    )


def bucket_access_statements(role: str, group: str, compartment_id: str, bucket_name: str) -> list[str]:
    """What a reader, writer or admin of one bucket may do, on that bucket only."""
    subject = f"Allow {group_subject(group)} to"
    where = f"in compartment id {compartment_id} where"
    bucket = f"target.bucket.name='{bucket_name}'"
    objects = {
        "readers": f"read objects {where} {bucket}",
        "writers": f"manage objects {where} all {{{bucket}, {permissions(WRITER_PERMISSIONS)}}}",
        "admins": f"manage objects {where} {bucket}",
    }[role]
    return [f"{subject} read buckets {where} {bucket}", f"{subject} {objects}"]
