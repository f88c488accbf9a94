"""A model of what OCI refuses at `terraform apply`, for the stand-in oracle/oci provider.

It implements OCI, from Oracle's documentation, not this app: it reads resource arguments and
policy statements, never our constructs. Each rule is in RULES with the page it comes from
(tests/terraform/README.md shows the same table). Errors read like OCI's where the docs or
the provider's issues show them (`<status>-<code>, <message>`); where they don't, the message
says what OCI requires.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from . import Error, Rule
from .oci_policy import PolicySyntaxError, Statement, parse
from .world import World

DOCS = "https://docs.oracle.com/en-us/iaas/Content"


RULES = (
    Rule("oci-home-region", "IAM (oci_identity_*) is created, updated and deleted only through the tenancy's home region: 403 NotAllowed elsewhere",
         f"{DOCS}/Identity/regions/managingregions.htm; the 403 text: oracle/terraform-provider-oci#1596"),
    Rule("oci-policy-syntax", "every policy statement parses as `Allow <subject> to <verb> <resource-type> in <location> [where <conditions>]`",
         f"{DOCS}/Identity/Concepts/policysyntax.htm; {DOCS}/Identity/policysyntax/subject.htm (identity domains)"),
    Rule("oci-policy-attachment", "a statement may only name the compartment its policy is attached to, or one below it; `in tenancy` only from the root",
         f"{DOCS}/Identity/Concepts/policies.htm (Policy Attachment) and policysyntax.htm (Location)"),
    Rule("oci-policy-name", "a policy name is unique in the tenancy: 409 PolicyAlreadyExists",
         "CreatePolicy (oci-go-sdk identity_client.go): 'must be unique across all policies in your tenancy'"),
    Rule("oci-bucket-name", "a bucket name is unique in its namespace (and region): 409 BucketAlreadyExists",
         "CreateBucketDetails (oci-go-sdk): 'Bucket names must be unique within an Object Storage namespace'"),
    Rule("oci-enums", "access_type, storage_tier, auto_tiering and versioning take only their documented values; versioning: Enabled or Disabled on create, Enabled or Suspended on update",
         f"CreateBucketDetails / UpdateBucketDetails (oci-go-sdk, client-side enum check); {DOCS}/Object/Tasks/usingversioning.htm"),
    Rule("oci-retention-versioning", "no retention rule on a bucket with versioning Enabled, and versioning is not enabled while retention rules exist (Suspended takes them)",
         f"{DOCS}/Object/Tasks/usingretentionrules.htm (Versioning) and usingversioning.htm"),
    Rule("oci-retention-lock", "a retention rule's lock (time_rule_locked) is at least 14 days after the request that sets it; once that time has passed the rule is only lengthened, never shortened, changed otherwise or deleted (the codes are inferred: the docs name no error)",
         f"{DOCS}/Object/Tasks/usingretentionrules.htm: 'A mandatory 14-day delay exists before a rule is locked'; 'After a rule is locked, only increases in the duration are allowed'"),
    Rule("oci-bucket-key", "a bucket with kms_key_id (or a key change) needs `objectstorage-<region>` to use the key, granted by a policy covering the key's compartment, and a key of the bucket's region: 404 NotAuthorizedOrFoundKmsKey",
         f"{DOCS}/Identity/policiescommon/commonpolicies.htm; {DOCS}/Identity/Reference/objectstoragepolicyreference.htm (CreateBucket, UpdateBucket); the 404: oracle/terraform-provider-oci#1514"),
    Rule("oci-lifecycle-service", "a lifecycle policy needs `objectstorage-<region>` to be allowed to manage the bucket's objects (and to use its key, on a CMK bucket): 400 InsufficientServicePermissions",
         f"{DOCS}/Object/Tasks/usinglifecyclepolicies.htm (Service Permissions); objectstoragepolicyreference.htm (PutObjectLifecyclePolicy)"),
    Rule("oci-lifecycle-rules", "rules take only their target's actions (objects and previous-object-versions: ARCHIVE, INFREQUENT_ACCESS, DELETE; multipart-uploads: ABORT, without name filters); previous versions need versioning; no INFREQUENT_ACCESS with auto-tiering; time_unit DAYS or YEARS",
         f"ObjectLifecycleRule (oci-go-sdk); {DOCS}/Object/Tasks/usinglifecyclepolicies.htm; usinglifecyclepolicies_topic-To_create_a_lifecycle_policy_rule.htm"),
    Rule("oci-archive-tier", "ARCHIVE and INFREQUENT_ACCESS rules on an Archive-tier bucket are refused: OCI leaves objects already in Archive untouched, so such a rule never acts (a stricter reading than OCI's, which accepts it)",
         "ObjectLifecycleRule.action (oci-go-sdk): 'Objects that are already in InfrequentAccess tier or in Archive tier are left untouched'"),
    Rule("oci-region-subscription", "buckets and log groups are made only in a region the tenancy subscribes to: 401 NotAuthenticated elsewhere (the code is inferred: the docs name no error)",
         f"{DOCS}/Identity/regions/managingregions.htm: 'When you subscribe to another region, your IAM resources are available in the new region'"),
    Rule("oci-logging-retention", "a log keeps 30 to 180 days, in 30-day steps (retention_duration 30, 60, 90, 120, 150, 180); the provider passes any number on",
         "CreateLogDetails.RetentionDuration (oci-go-sdk): 'Log retention duration in 30-day increments (30, 60, 90 and so on until 180)'"),
    Rule("oci-logging-source", "log_type is SERVICE or CUSTOM; a SERVICE log has a source: source_type OCISERVICE, service objectstorage with category write or read, resource the name of a bucket of the log's region, in a log group of that region (a log is made in the region of its group and its resource: stricter than the docs, which don't say)",
         f"{DOCS}/Logging/Reference/details_for_object_storage.htm (Resources: buckets; categories read, write); oci_logging_log (provider v7.19.0 docs, examples/logging/log/log.tf); {DOCS}/General/Concepts/identifiers.htm (regional OCIDs)"),
    Rule("oci-logging-names", "a log group's display_name is unique in its compartment (and region); a log's display_name, and its (service, resource, category), unique in its log group: 409",
         "oci_logging_log_group (provider v7.19.0 docs): 'This call fails if the log group is already created with the same displayName in the compartment'; oci_logging_log: 'fails if ... the same displayName or (service, resource, category) triplet'"),
    Rule("oci-replication-destination", "a replication policy needs its destination bucket to exist already, in a region the tenancy subscribes to, without retention rules and not versioned (that a versioned bucket can't become one is inferred); one policy per source, one source per destination, no chained replication; then the destination takes no versioning and no retention rule, and is not deleted while replicated to",
         f"{DOCS}/Object/Tasks/usingreplication.htm (Scope and Constraints); usingreplication_topic-To_create_a_replication_policy.htm (subscribed region); {DOCS}/Object/Tasks/usingversioning.htm and usingretentionrules.htm (Replication)"),
    Rule("oci-replication-permission", "a replication policy needs `objectstorage-<source region>` to hold BUCKET_READ, BUCKET_UPDATE, OBJECT_READ, OBJECT_INSPECT, OBJECT_CREATE, OBJECT_OVERWRITE, OBJECT_RESTORE and OBJECT_DELETE on the source bucket and on the destination (the destination's part is inferred): 400 InsufficientServicePermissions",
         f"{DOCS}/Object/Tasks/usingreplication.htm (Service Permissions); objectstoragepolicyreference.htm (CreateReplicationPolicy: 'The objectstorage-<location> subject must have the same permissions as the user')"),
    Rule("oci-replication-force-new", "every argument of oci_objectstorage_replication_policy is ForceNew: a change plans a replacement, never an update",
         "terraform-provider-oci v7.19.0, objectstorage_replication_policy_resource.go (every argument ForceNew, no Update)"),
)  # fmt: skip

POLICY_DELAY = 10.0
"""Seconds until a new policy is in force: 'typically within 10 seconds' (IAM, Policy Basics). A
deleted one stops granting at once: DeletePolicy 'takes effect typically within 10 seconds'
(oci-go-sdk identity_client.go), so nothing may count on the grant once the delete is sent."""

ORACLE_TAGS = ("Oracle-Tags.CreatedBy", "Oracle-Tags.CreatedOn")
"""The tag defaults of a tenancy's root compartment, in every tenancy created after 17 December
2019 (Tagging, Understanding Automatic Tag Defaults): OCI tags each new resource with its
creator and the time it was made. A tenancy whose facts say `"oracle_tags": false` has none."""
CREATOR = "default/terraform"
"""Oracle-Tags.CreatedBy where the world names no `principal`: the caller, `<domain>/<user>`."""
TAGGED = {
    "oci_objectstorage_bucket": "buckets",
    "oci_identity_policy": "policies",
    "oci_logging_log_group": "log_groups",
    "oci_logging_log": "logs",
}
"""The types with defined_tags, and the ledger table of each."""
CONTENTS = ("objects", "object_versions", "multipart_uploads")
"""What keeps a bucket from being deleted (Deleting an Object Storage Bucket); a replication policy too."""

ENUMS = {
    "access_type": ("NoPublicAccess", "ObjectRead", "ObjectReadWithoutList"),
    "storage_tier": ("Standard", "Archive"),
    "auto_tiering": ("Disabled", "InfrequentAccess"),
}
VERSIONING = {"create": ("Enabled", "Disabled"), "update": ("Enabled", "Suspended")}
TARGET_ACTIONS = {
    "objects": ("ARCHIVE", "INFREQUENT_ACCESS", "DELETE"),
    "previous-object-versions": ("ARCHIVE", "INFREQUENT_ACCESS", "DELETE"),
    "multipart-uploads": ("ABORT",),
}
# What the service does for each rule (usinglifecyclepolicies.htm: the least-privilege policy).
LIFECYCLE_BASE = ("BUCKET_INSPECT", "BUCKET_READ", "OBJECT_INSPECT")
ACTION_PERMISSIONS = {
    ("DELETE", "objects"): ("OBJECT_DELETE",),
    ("DELETE", "previous-object-versions"): ("OBJECT_VERSION_DELETE",),
    ("ABORT", "multipart-uploads"): ("OBJECT_DELETE",),
    ("ARCHIVE", "objects"): ("OBJECT_UPDATE_TIER",),
    ("ARCHIVE", "previous-object-versions"): ("OBJECT_UPDATE_TIER",),
    ("INFREQUENT_ACCESS", "objects"): ("OBJECT_UPDATE_TIER",),
    ("INFREQUENT_ACCESS", "previous-object-versions"): ("OBJECT_UPDATE_TIER",),
}
KEY_PERMISSIONS = ("KEY_ENCRYPT", "KEY_DECRYPT", "KEY_READ")
# Using Replication, Service Permissions: the least-privilege statement.
REPLICATION_PERMISSIONS = ("BUCKET_READ", "BUCKET_UPDATE", "OBJECT_READ", "OBJECT_INSPECT", "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_RESTORE", "OBJECT_DELETE")
LOG_RETENTION = (30, 60, 90, 120, 150, 180)
LOG_TYPES = ("CUSTOM", "SERVICE")
LOG_CATEGORIES = {"objectstorage": ("read", "write")}  # Details for Object Storage; other services are not modelled

class OciModel:
    """OCI as one provider configuration sees it: its region, the world, the ledger."""

    def __init__(self, world: World, provider_config: dict[str, Any]) -> None:
        self.world = world
        self.region: str = provider_config.get("region") or ""
        self.tenancies: dict[str, Any] = world.facts.get("oci", {}).get("tenancies", {})

    # ---- the world -------------------------------------------------------------------

    def tenancy_of(self, compartment: str) -> str | None:
        for tenancy, facts in self.tenancies.items():
            if compartment == tenancy or compartment in facts.get("compartments", {}):
                return tenancy
        return None

    def ancestors(self, compartment: str) -> list[str]:
        """`compartment` and every compartment above it, up to the tenancy."""
        tenancy = self.tenancy_of(compartment)
        chain = [compartment]
        compartments = self.tenancies.get(tenancy or "", {}).get("compartments", {})
        while chain[-1] != tenancy and chain[-1] in compartments:
            chain.append(compartments[chain[-1]].get("parent", tenancy))
        return chain

    def location_covers(self, statement: Statement, compartment: str, tenancy: str) -> bool:
        if statement.location_kind == "tenancy":
            return True
        if statement.location_kind == "compartment-id":
            return statement.location in self.ancestors(compartment)
        names = statement.location.split(":")
        path = [self.tenancies[tenancy].get("compartments", {}).get(c, {}).get("name", "") for c in reversed(self.ancestors(compartment)[:-1])]
        return path[: len(names)] == names

    def statements(self, tenancy: str) -> list[tuple[dict[str, Any], Statement]]:
        """Every statement of the tenancy's policies, those of the world and those made since."""
        with self.world.ledger() as ledger:
            made = [p for pid, p in ledger.get("oci", {}).get("policies", {}).items() if self.world.in_force(ledger, f"oci-policy:{pid}")]
        policies = [*self.tenancies[tenancy].get("policies", []), *made]
        found = []
        for policy in policies:
            if self.tenancy_of(policy["compartment"]) != tenancy:
                continue
            for text in policy["statements"]:
                try:
                    found.append((policy, parse(text)))
                except PolicySyntaxError:
                    continue
        return found

    def service_may(self, tenancy: str, permission: str, compartment: str, context: dict[str, str]) -> bool:
        service = f"objectstorage-{self.region}"
        return any(
            statement.allows(service, permission, context) and self.location_covers(statement, compartment, tenancy)
            for _, statement in self.statements(tenancy)
        )

    # ---- the hooks the stand-in calls --------------------------------------------------

    def create(self, type_name: str, planned: dict[str, Any]) -> Error | None:
        check = getattr(self, f"_create_{type_name}", None)
        return check(planned) if check else None

    def update(self, type_name: str, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        check = getattr(self, f"_update_{type_name}", None)
        return check(prior, planned) if check else None

    def delete(self, type_name: str, prior: dict[str, Any]) -> Error | None:
        if type_name.startswith("oci_identity_"):
            refused = self._home_region(prior)
            if refused:
                return refused
        with self.world.ledger() as ledger:
            tables = ledger.get("oci", {})
            if type_name == "oci_objectstorage_bucket":
                # A bucket's ID (n/<namespace>/b/<name>) is the same in every region.
                key = _bucket_key(self.region, prior["namespace"], prior["name"])
                policies = tables.get("replication_policies", {}).values()
                if any(policy["destination"] == key for policy in policies):
                    return ("409-Conflict", f"You can't delete a replication destination bucket ('{prior['name']}') unless you stop replication and make the bucket writable again.")
                record = tables.get("buckets", {}).get(key) or {}
                if any(record.get(contents) for contents in CONTENTS):
                    return ("409-BucketNotEmpty", f"Bucket named '{prior['name']}' is not empty. Delete all object versions first.")
                if any(policy["source"] == key for policy in policies):
                    return ("409-Conflict", f"Bucket named '{prior['name']}' has a replication policy: delete the policy first (the code is inferred)")
                tables.get("buckets", {}).pop(key, None)
                return None
            if type_name == "oci_identity_policy":
                # Revoked at once (POLICY_DELAY): every later call is judged without its statements.
                tables.get("policies", {}).pop(prior.get("id"), None)
                ledger.get("effective", {}).pop(f"oci-policy:{prior.get('id')}", None)
                return None
            for table in tables.values():
                table.pop(prior.get("id"), None)
        return None

    def written(self, type_name: str, state: dict[str, Any]) -> dict[str, Any]:
        """The defined tags the object has now: what was sent, and the tag defaults on a create."""
        record = self._record(type_name, state)
        return {"defined_tags": record["defined_tags"]} if record and "defined_tags" in record else {}

    def _record(self, type_name: str, state: dict[str, Any]) -> dict[str, Any] | None:
        table = TAGGED.get(type_name)
        if table is None:
            return None
        key = _bucket_key(self.region, state.get("namespace") or "", state.get("name") or "") if table == "buckets" else state.get("id")
        with self.world.ledger() as ledger:
            record: dict[str, Any] | None = ledger.get("oci", {}).get(table, {}).get(key)
        return record

    def _defined_tags(self, tenancy: str, planned: dict[str, Any], earlier: dict[str, Any] | None) -> dict[str, Any]:
        """A write's defined tags: on a create, those sent and the tenancy's tag defaults (a value
        sent for a default's key wins); on an update, those sent (the defaults' included: they are
        removed 'as you would any other tag'), or the object's own when none are."""
        sent = planned.get("defined_tags")
        if earlier is not None:
            return dict(sent) if sent is not None else dict(earlier.get("defined_tags") or {})
        tags = dict(sent or {})
        facts = self.tenancies.get(tenancy, {})
        if facts.get("oracle_tags", True):
            now = datetime.now(UTC)
            tags.setdefault(ORACLE_TAGS[0], facts.get("principal", CREATOR))
            tags.setdefault(ORACLE_TAGS[1], now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z")
        return tags

    # ---- what tests put into buckets ------------------------------------------------------

    def put_object(self, namespace: str, bucket: str, name: str) -> Error | None:
        """PutObject into a bucket of this region: on a versioned bucket an overwrite keeps the
        previous version (Object Versioning)."""
        with self.world.ledger() as ledger:
            record = ledger.get("oci", {}).get("buckets", {}).get(_bucket_key(self.region, namespace, bucket))
            if record is None:
                return ("404-BucketNotFound", f"Either the bucket named '{bucket}' does not exist in the namespace '{namespace}' or you are not authorized to access it")
            objects = record.setdefault("objects", [])
            if name not in objects:
                objects.append(name)
            elif record["versioning"] == "Enabled":
                record.setdefault("object_versions", []).append(name)
        return None

    def delete_object(self, namespace: str, bucket: str, name: str) -> Error | None:
        """DeleteObject: on a versioned bucket the object becomes a previous version (a delete marker)."""
        with self.world.ledger() as ledger:
            record = ledger.get("oci", {}).get("buckets", {}).get(_bucket_key(self.region, namespace, bucket)) or {}
            if name not in record.get("objects", []):
                return ("404-ObjectNotFound", f"The object '{name}' was not found in the bucket '{bucket}'")
            record["objects"].remove(name)
            if record["versioning"] == "Enabled":
                record.setdefault("object_versions", []).append(name)
        return None

    def read(self, type_name: str, config: dict[str, Any]) -> dict[str, Any] | Error:
        if type_name == "oci_objectstorage_namespace":
            # Without compartment_id, GetNamespace answers for the caller's tenancy: the one of the
            # credentials (OCI_TENANCY_OCID, as the provider reads it), or the world's only one.
            caller = os.environ.get("OCI_TENANCY_OCID") or (next(iter(self.tenancies)) if len(self.tenancies) == 1 else "")
            tenancy = self.tenancy_of(config.get("compartment_id") or caller)
            return {"namespace": self.tenancies[tenancy].get("namespace", "")} if tenancy else {}
        if type_name == "oci_identity_region_subscriptions":
            tenancy = config.get("tenancy_id") or ""
            if tenancy not in self.tenancies:
                return ("404-NotAuthorizedOrNotFound", f"Authorization failed or requested resource not found: tenancy {tenancy}")
            facts = self.tenancies[tenancy]
            subscriptions = [
                {"region_name": region, "region_key": key, "is_home_region": region == facts["home_region"], "state": "READY"}
                for region, key in facts["regions"].items()
            ]
            for wanted in config.get("filter") or []:
                values = {str(v).lower() for v in wanted["values"]}
                subscriptions = [s for s in subscriptions if str(s.get(wanted["name"])).lower() in values]
            return {"region_subscriptions": subscriptions}
        return {}

    def imported(self, type_name: str, import_id: str) -> dict[str, Any] | Error | None:
        """The state of a resource that exists in the world, for an `import` block."""
        if type_name not in ("oci_objectstorage_bucket", "oci_objectstorage_object_lifecycle_policy"):
            return None
        parts = import_id.split("/")  # n/<namespace>/b/<name>[/l]
        namespace, name = parts[1], parts[3]
        for tenancy in self.tenancies.values():
            for bucket in tenancy.get("buckets", []):
                if (tenancy["namespace"], bucket["region"], bucket["name"]) == (namespace, self.region, name):
                    values = {key: value for key, value in bucket.items() if key not in ("region", "lifecycle")}
                    values.update(namespace=namespace, compartment_id=bucket["compartment"])
                    values.pop("compartment")
                    if type_name.endswith("lifecycle_policy"):
                        return {"bucket": name, "namespace": namespace, "rules": bucket.get("lifecycle", [])}
                    with self.world.ledger() as ledger:
                        ledger.setdefault("oci", {}).setdefault("buckets", {})[_bucket_key(self.region, namespace, name)] = self._bucket_record(values)
                    return values
        return ("404-BucketNotFound", f"Either the bucket named '{name}' does not exist in the namespace '{namespace}' or you are not authorized to access it")

    # ---- identity ------------------------------------------------------------------------

    def _home_region(self, values: dict[str, Any]) -> Error | None:
        tenancy = self.tenancy_of(values.get("compartment_id") or "")
        if tenancy is None:
            return ("404-NotAuthorizedOrNotFound", f"compartment {values.get('compartment_id')} not found")
        home = self.tenancies[tenancy]["home_region"]
        if self.region != home:
            key = self.tenancies[tenancy]["regions"][home]
            return ("403-NotAllowed", f"Please go to your home region {key} to execute CREATE, UPDATE and DELETE operations.")
        return None

    def _policy(self, values: dict[str, Any], prior_id: str | None) -> Error | None:
        refused = self._home_region(values)
        if refused:
            return refused
        compartment = values["compartment_id"]
        tenancy = self.tenancy_of(compartment) or ""
        for text in values.get("statements") or []:
            try:
                statement = parse(text)
            except PolicySyntaxError as error:
                return ("400-InvalidParameter", f"Invalid policy statement {text!r}: {error}")
            if not self._attached_to_cover(statement, compartment, tenancy):
                return ("400-InvalidParameter", f"Policy statement {text!r} names a location outside the compartment the policy is attached to ({compartment})")
        with self.world.ledger() as ledger:
            policies = ledger.setdefault("oci", {}).setdefault("policies", {})
            taken = {p["name"] for pid, p in policies.items() if pid != prior_id and self.tenancy_of(p["compartment"]) == tenancy}
            taken |= {p["name"] for p in self.tenancies[tenancy].get("policies", [])}
            if values["name"] in taken:
                return ("409-PolicyAlreadyExists", f"Policy '{values['name']}' already exists")
            tags = self._defined_tags(tenancy, values, policies.get(prior_id or "", {}) if prior_id else None)
            policies[values["id"]] = {"name": values["name"], "compartment": compartment, "statements": list(values["statements"]), "defined_tags": tags}
            self.world.takes_effect(ledger, f"oci-policy:{values['id']}", POLICY_DELAY)
        return None

    def _attached_to_cover(self, statement: Statement, compartment: str, tenancy: str) -> bool:
        if statement.location_kind == "tenancy":
            return compartment == tenancy
        if statement.location_kind == "compartment-id":
            return compartment in self.ancestors(statement.location)
        return True  # a name path is resolved from where the policy is attached

    def _create_oci_identity_policy(self, planned: dict[str, Any]) -> Error | None:
        return self._policy(planned, None)

    def _update_oci_identity_policy(self, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._policy(planned, prior.get("id"))

    # ---- buckets -------------------------------------------------------------------------

    def _bucket_record(self, values: dict[str, Any]) -> dict[str, Any]:
        """A bucket in the ledger; one the world made brings its contents (CONTENTS) and tags."""
        made: dict[str, Any] = {key: list(values[key]) for key in CONTENTS if values.get(key)}
        if values.get("defined_tags") is not None:
            made["defined_tags"] = dict(values["defined_tags"])
        return made | {
            "name": values["name"],
            "namespace": values["namespace"],
            "region": self.region,
            "compartment": values["compartment_id"],
            "kms_key_id": values.get("kms_key_id"),
            "versioning": values.get("versioning") or "Disabled",
            "storage_tier": values.get("storage_tier") or "Standard",
            "auto_tiering": values.get("auto_tiering") or "Disabled",
            "retention": bool(values.get("retention_rules")),
        }

    def _create_oci_objectstorage_bucket(self, planned: dict[str, Any]) -> Error | None:
        return self._bucket(None, planned)

    def _update_oci_objectstorage_bucket(self, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._bucket(prior, planned)

    def _bucket(self, prior: dict[str, Any] | None, planned: dict[str, Any]) -> Error | None:
        when = "create" if prior is None else "update"
        for argument, allowed in (*ENUMS.items(), ("versioning", VERSIONING[when])):
            value = planned.get(argument)
            if argument == "storage_tier" and prior is not None:
                continue  # immutable: a change is a replacement, planned as a create
            if argument == "versioning" and prior is not None and value == prior.get("versioning"):
                continue  # UpdateBucket sends versioning only when it changed (provider-behaviour.json, bucket `update`)
            if value is not None and value.lower() not in (a.lower() for a in allowed):
                return ("InvalidParameter", f"unsupported enum value for {_camel(argument)}: {value}. Supported values are: {','.join(allowed)}.")
        versioning = planned.get("versioning") or (prior or {}).get("versioning") or "Disabled"
        if planned.get("retention_rules") and versioning == "Enabled":
            return ("400-InvalidParameter", "You cannot add retention rules to a bucket that has versioning enabled.")
        if prior is not None and prior.get("retention_rules") and versioning == "Enabled" and prior.get("versioning") != "Enabled":
            return ("400-InvalidParameter", "You cannot enable versioning on a bucket with active retention rules.")
        refused = _retention_lock_refused(prior, planned, datetime.now(UTC))
        if refused:
            return refused
        tenancy = self.tenancy_of(planned["compartment_id"])
        if tenancy is None:
            return ("404-NotAuthorizedOrNotFound", f"compartment {planned['compartment_id']} not found")
        refused = self._subscribed(tenancy)
        if refused:
            return refused
        record_id = _bucket_key(self.region, planned["namespace"], planned["name"])
        if prior is not None and self._replicated_to(record_id):
            # usingversioning.htm, usingretentionrules.htm (Replication).
            if versioning == "Enabled" and prior.get("versioning") != "Enabled":
                return ("400-InvalidParameter", "You cannot enable versioning on a replication destination bucket. A destination bucket is read-only.")
            if planned.get("retention_rules") and not prior.get("retention_rules"):
                return ("400-InvalidParameter", "You cannot create retention rules on a replication destination bucket.")
        key = planned.get("kms_key_id")
        if key and key != (prior or {}).get("kms_key_id"):
            refused = self._key_usable(tenancy, key)
            if refused:
                return refused
        with self.world.ledger() as ledger:
            buckets = ledger.setdefault("oci", {}).setdefault("buckets", {})
            if prior is None and (record_id in buckets or self._in_world(planned)):
                return ("409-BucketAlreadyExists", f"Either the bucket '{planned['name']}' in namespace '{planned['namespace']}' already exists or you are not authorized to create it")
            earlier = (buckets.get(record_id) or {}) if prior is not None else None
            record = self._bucket_record(planned)
            record.update({field: earlier[field] for field in CONTENTS if earlier and earlier.get(field)})  # an update keeps the objects
            buckets[record_id] = record | {"defined_tags": self._defined_tags(tenancy, planned, earlier)}
        return None

    def _subscribed(self, tenancy: str) -> Error | None:
        if self.region in self.tenancies[tenancy]["regions"]:
            return None
        return ("401-NotAuthenticated", f"The tenancy is not subscribed to {self.region}: subscribe to the region before you create resources there")

    def _replicated_to(self, key: str) -> bool:
        with self.world.ledger() as ledger:
            return any(policy["destination"] == key for policy in ledger.get("oci", {}).get("replication_policies", {}).values())

    def _bucket_at(self, region: str, namespace: str, name: str) -> dict[str, Any] | None:
        """A bucket Terraform made, or one of the world, as the ledger records it."""
        with self.world.ledger() as ledger:
            made: dict[str, Any] | None = ledger.get("oci", {}).get("buckets", {}).get(_bucket_key(region, namespace, name))
        if made is not None:
            return made
        for tenancy in self.tenancies.values():
            for bucket in tenancy.get("buckets", []):
                if (tenancy["namespace"], bucket["region"], bucket["name"]) == (namespace, region, name):
                    return {**bucket, "namespace": namespace, "retention": bool(bucket.get("retention_rules")), "versioning": bucket.get("versioning") or "Disabled"}
        return None

    def _in_world(self, planned: dict[str, Any]) -> bool:
        return any(
            (t["namespace"], b["region"], b["name"]) == (planned["namespace"], self.region, planned["name"])
            for t in self.tenancies.values()
            for b in t.get("buckets", [])
        )

    def _key_usable(self, tenancy: str, key: str) -> Error | None:
        not_found = ("404-NotAuthorizedOrFoundKmsKey", f"Either the key {key} does not exist or Object Storage (objectstorage-{self.region}) is not authorized to use it")
        facts = self.tenancies[tenancy].get("keys", {}).get(key)
        if facts is None or facts["region"] != self.region:
            return not_found
        context = {"target.key.id": key}
        if not all(self.service_may(tenancy, permission, facts["compartment"], context) for permission in KEY_PERMISSIONS):
            return not_found
        return None

    # ---- lifecycle -----------------------------------------------------------------------

    def _create_oci_objectstorage_object_lifecycle_policy(self, planned: dict[str, Any]) -> Error | None:
        return self._lifecycle(planned)

    def _update_oci_objectstorage_object_lifecycle_policy(self, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._lifecycle(planned)

    def _lifecycle(self, planned: dict[str, Any]) -> Error | None:
        with self.world.ledger() as ledger:
            bucket = ledger.get("oci", {}).get("buckets", {}).get(_bucket_key(self.region, planned["namespace"], planned["bucket"]))
        if bucket is None:
            return ("404-BucketNotFound", f"Either the bucket named '{planned['bucket']}' does not exist in the namespace '{planned['namespace']}' or you are not authorized to access it")
        rules = planned.get("rules") or []
        refused = _invalid_rule(rules, bucket)
        if refused:
            return refused
        tenancy = self.tenancy_of(bucket["compartment"]) or ""
        needed = set(LIFECYCLE_BASE)
        for rule in rules:
            needed.update(ACTION_PERMISSIONS.get((rule["action"].upper(), rule.get("target") or "objects"), ()))
        context = {"target.bucket.name": bucket["name"]}
        missing = sorted(p for p in needed if not self.service_may(tenancy, p, bucket["compartment"], context))
        if missing:
            return (
                "400-InsufficientServicePermissions",
                f'Permissions granted to the object storage service principal "objectstorage-{self.region}" to this bucket are insufficient (missing {", ".join(missing)}).',
            )
        if bucket.get("kms_key_id"):
            return self._key_usable(tenancy, bucket["kms_key_id"])
        return None


    # ---- logging -------------------------------------------------------------------------

    def _create_oci_logging_log_group(self, planned: dict[str, Any]) -> Error | None:
        return self._log_group(planned, None)

    def _update_oci_logging_log_group(self, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._log_group(planned, prior.get("id"))

    def _log_group(self, planned: dict[str, Any], prior_id: str | None) -> Error | None:
        tenancy = self.tenancy_of(planned["compartment_id"])
        if tenancy is None:
            return ("404-NotAuthorizedOrNotFound", f"compartment {planned['compartment_id']} not found")
        refused = self._subscribed(tenancy)
        if refused:
            return refused
        with self.world.ledger() as ledger:
            groups = ledger.setdefault("oci", {}).setdefault("log_groups", {})
            for group_id, group in groups.items():
                if group_id != prior_id and (group["compartment"], group["region"], group["display_name"]) == (planned["compartment_id"], self.region, planned["display_name"]):
                    return ("409-Conflict", f"A log group named '{planned['display_name']}' already exists in compartment {planned['compartment_id']}")
            tags = self._defined_tags(tenancy, planned, groups.get(prior_id or "", {}) if prior_id else None)
            groups[planned["id"]] = {"display_name": planned["display_name"], "compartment": planned["compartment_id"], "region": self.region, "tenancy": tenancy, "defined_tags": tags}
        return None

    def _create_oci_logging_log(self, planned: dict[str, Any]) -> Error | None:
        return self._log(planned, None)

    def _update_oci_logging_log(self, prior: dict[str, Any], planned: dict[str, Any]) -> Error | None:
        return self._log(planned, prior.get("id"))

    def _log(self, planned: dict[str, Any], prior_id: str | None) -> Error | None:
        log_type = planned.get("log_type") or ""
        if log_type.upper() not in LOG_TYPES:
            return ("InvalidParameter", f"unsupported enum value for logType: {log_type}. Supported values are: {','.join(LOG_TYPES)}.")
        retention = planned.get("retention_duration")
        if retention is not None and retention not in LOG_RETENTION:
            return ("400-InvalidParameter", f"retentionDuration {retention:g} is not allowed: logs are kept in 30-day increments (30, 60, 90 and so on until 180)")
        with self.world.ledger() as ledger:
            group = ledger.get("oci", {}).get("log_groups", {}).get(planned["log_group_id"])
        if group is None or group["region"] != self.region:
            return ("404-NotAuthorizedOrNotFound", f"Log group {planned['log_group_id']} not found in {self.region}")
        source: dict[str, Any] = {}
        if log_type.upper() == "SERVICE":
            configuration = (planned.get("configuration") or [None])[0]
            source = ((configuration or {}).get("source") or [None])[0] or {}
            refused = self._log_source(source, group)
            if refused:
                return refused
        triplet = (source.get("service"), source.get("resource"), source.get("category"))
        with self.world.ledger() as ledger:
            logs = ledger.setdefault("oci", {}).setdefault("logs", {})
            for log_id, log in logs.items():
                if log_id == prior_id or log["log_group"] != planned["log_group_id"]:
                    continue
                if log["display_name"] == planned["display_name"]:
                    return ("409-Conflict", f"A log named '{planned['display_name']}' already exists in log group {planned['log_group_id']}")
                if source and tuple(log["source"]) == triplet:
                    return ("409-Conflict", f"Log group {planned['log_group_id']} already has a log of {triplet[0]} resource '{triplet[1]}' category '{triplet[2]}'")
            tags = self._defined_tags(group["tenancy"], planned, logs.get(prior_id or "", {}) if prior_id else None)
            logs[planned["id"]] = {"display_name": planned["display_name"], "log_group": planned["log_group_id"], "source": list(triplet), "defined_tags": tags}
        return None

    def _log_source(self, source: dict[str, Any], group: dict[str, Any]) -> Error | None:
        if not source:
            return ("400-InvalidParameter", "A SERVICE log needs configuration.source (service, resource, category, source_type)")
        if (source.get("source_type") or "").upper() != "OCISERVICE":
            return ("400-InvalidParameter", f"source_type {source.get('source_type')!r} is not allowed: use OCISERVICE")
        service, category, resource = source.get("service"), source.get("category"), source.get("resource") or ""
        if service not in LOG_CATEGORIES:
            return None  # other services' logs are not modelled
        if category not in LOG_CATEGORIES[service]:
            return ("400-InvalidParameter", f"Category {category!r} is not a log category of {service}: use {' or '.join(LOG_CATEGORIES[service])}")
        namespace = self.tenancies[group["tenancy"]]["namespace"]
        if self._bucket_at(self.region, namespace, resource) is None:
            return ("404-NotAuthorizedOrNotFound", f"Resource '{resource}' of service {service} not found in {self.region}: a log is made in the region of the bucket it logs")
        return None

    # ---- replication ---------------------------------------------------------------------

    def _create_oci_objectstorage_replication_policy(self, planned: dict[str, Any]) -> Error | None:
        namespace, name = planned["namespace"], planned["bucket"]
        source = self._bucket_at(self.region, namespace, name)
        if source is None:
            return ("404-BucketNotFound", f"Either the bucket named '{name}' does not exist in the namespace '{namespace}' or you are not authorized to access it")
        tenancy = self.tenancy_of(source["compartment"]) or ""
        region, destination_name = planned["destination_region_name"], planned["destination_bucket_name"]
        if region not in self.tenancies[tenancy]["regions"]:
            return ("400-InvalidParameter", f"The destination region {region} must be a region your tenancy is subscribed to")
        destination = self._bucket_at(region, namespace, destination_name)
        if destination is None:
            return ("404-BucketNotFound", f"Destination bucket '{destination_name}' does not exist in {region}: create the destination bucket before creating the replication policy")
        if destination.get("retention"):
            return ("400-InvalidParameter", "You cannot enable replication on a destination bucket that has retention rules.")
        if destination["versioning"] == "Enabled":
            return ("400-InvalidParameter", "You cannot enable versioning on a replication destination bucket: a versioned bucket can't be one.")
        source_key, destination_key = _bucket_key(self.region, namespace, name), _bucket_key(region, namespace, destination_name)
        with self.world.ledger() as ledger:
            policies = list(ledger.get("oci", {}).get("replication_policies", {}).values())
        if any(policy["source"] == source_key for policy in policies):
            return ("409-Conflict", f"A source bucket can only have one replication policy: '{name}' has one.")
        if any(policy["destination"] == destination_key for policy in policies):
            return ("409-Conflict", f"Maximum of one source for each replication destination bucket: '{destination_name}' in {region} has one.")
        if any(policy["destination"] == source_key or policy["source"] == destination_key for policy in policies):
            return ("400-InvalidParameter", "A destination bucket can't also be a replication source. Chained replication isn't supported.")
        for bucket in (source, destination):
            context = {"target.bucket.name": bucket["name"]}
            missing = sorted(p for p in REPLICATION_PERMISSIONS if not self.service_may(tenancy, p, bucket["compartment"], context))
            if missing:
                return (
                    "400-InsufficientServicePermissions",
                    f'Permissions granted to the object storage service principal "objectstorage-{self.region}" to bucket \'{bucket["name"]}\' are insufficient for replication (missing {", ".join(missing)}).',
                )
        with self.world.ledger() as ledger:
            ledger.setdefault("oci", {}).setdefault("replication_policies", {})[planned["id"]] = {"source": source_key, "destination": destination_key}
        return None


def _invalid_rule(rules: Iterable[dict[str, Any]], bucket: dict[str, Any]) -> Error | None:
    for rule in rules:
        target, action, name = rule.get("target") or "objects", rule["action"].upper(), rule["name"]
        if action not in TARGET_ACTIONS.get(target, ()):
            return ("400-InvalidParameter", f"Rule '{name}': target {target!r} takes the actions {', '.join(TARGET_ACTIONS.get(target, ())) or 'none'}, not {action}")
        if target == "multipart-uploads" and rule.get("object_name_filter"):
            return ("400-InvalidParameter", f"Rule '{name}': uncommitted multipart upload rules don't support prefix and pattern matching conditions")
        if target == "previous-object-versions" and bucket["versioning"] == "Disabled":
            return ("400-InvalidParameter", f"Rule '{name}': previous object versions exist only on a bucket with versioning enabled or suspended")
        if action == "INFREQUENT_ACCESS" and bucket["auto_tiering"] == "InfrequentAccess":
            return ("400-InvalidParameter", f"Rule '{name}': INFREQUENT_ACCESS can't be used while auto-tiering is enabled on the bucket")
        if action in ("ARCHIVE", "INFREQUENT_ACCESS") and bucket["storage_tier"] == "Archive":
            return ("400-InvalidParameter", f"Rule '{name}': {action} never acts on an Archive-tier bucket (its objects are in Archive already)")
        if (rule.get("time_unit") or "").upper() not in ("DAYS", "YEARS"):
            return ("400-InvalidParameter", f"Rule '{name}': time_unit is DAYS or YEARS")
    return None


RETENTION_LOCK_DELAY = timedelta(days=14)


def _retention_lock_refused(prior: dict[str, Any] | None, planned: dict[str, Any], now: datetime) -> Error | None:
    """A lock set sooner than 14 days ahead, or a locked rule (its time passed) shortened, changed or removed."""
    before = {rule.get("display_name"): rule for rule in (prior or {}).get("retention_rules") or []}
    after = {rule.get("display_name"): rule for rule in planned.get("retention_rules") or []}
    for name, rule in before.items():
        locked = rule.get("time_rule_locked")
        if not locked or _instant(locked) > now:
            continue
        kept = after.get(name)
        if kept is None:
            return ("409-Conflict", f"Retention rule '{name}' is locked: a locked rule is deleted only with its bucket")
        if _days(kept) < _days(rule) or _instant(kept.get("time_rule_locked") or locked) != _instant(locked):
            return ("409-Conflict", f"Retention rule '{name}' is locked: only a longer duration is allowed")
    for name, rule in after.items():
        locked = rule.get("time_rule_locked")
        earlier = before.get(name, {}).get("time_rule_locked")
        if locked and not (earlier and _instant(earlier) == _instant(locked)) and _instant(locked) < now + RETENTION_LOCK_DELAY:
            return ("400-InvalidParameter", f"Retention rule '{name}': timeRuleLocked {locked} is less than 14 days away: a rule locks no sooner than 14 days after it is set")
    return None


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _days(rule: dict[str, Any]) -> float:
    """A rule's duration in days; one without a duration is indefinite."""
    duration = rule.get("duration") or []
    duration = duration[0] if isinstance(duration, list) and duration else duration
    if not duration:
        return float("inf")
    return int(duration["time_amount"]) * (365 if duration.get("time_unit") == "YEARS" else 1)


def _bucket_key(region: str, namespace: str, name: str) -> str:
    """A bucket in the ledger: names are unique per namespace and region, so a replica may share its source's."""
    return f"{region}:n/{namespace}/b/{name}"


def _camel(argument: str) -> str:
    first, *rest = argument.split("_")
    return first + "".join(part.capitalize() for part in rest)
