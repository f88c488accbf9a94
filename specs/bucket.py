"""What a user chooses for one OCI Object Storage bucket of models.

Field names are the config file's keys; a field's default is the behaviour you
get without the key. The construct (constructs/model_bucket.py) turns a spec
into resources; where a field feeds a provider argument of another name, its
description says which.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from rules import oci
from rules.problems import Problem, at_most, duplicates, matching
from specs.base import ListOf, Located, Model, fail_if, rule

Days = Annotated[
    int,
    Field(ge=1),
    rule(at_most(oci.MAX_DAYS, "100 years; OCI documents no maximum, so a longer period is taken for a typo")),
]
Group = Annotated[str, BeforeValidator(oci.unquote_group), rule(oci.check_group)]
DefinedTagKey = Annotated[
    str,
    rule(
        matching(
            r"[^.\s]{1,100}\.[^.\s]{1,100}",
            "not a defined tag",
            "use <tag namespace>.<tag key>, each 1 to 100 characters with no spaces or periods, e.g."
            " Operations.CostCenter",
        )
    ),
]


class PreviousVersionsSpec(Model):
    """Rules for previous (non-current) object versions; they need versioning enabled or suspended."""

    EXAMPLE: ClassVar[str] = "previous_versions: {delete_after_days: 30}"

    archive_after_days: Days | None = Field(
        default=None,
        description="Archives previous versions N days (1 to 36500) after they stop being current; no such rule when"
        " left out.",
    )
    delete_after_days: Days | None = Field(
        default=None,
        description="Deletes previous versions N days (1 to 36500) after they stop being current; no such rule when"
        " left out.",
    )


class LifecycleSpec(Model):
    """The bucket's one lifecycle policy (`oci_objectstorage_object_lifecycle_policy`), at least one rule."""

    EXAMPLE: ClassVar[str] = "lifecycle: {delete_after_days: 365, previous_versions: {delete_after_days: 30}}"

    infrequent_access_after_days: Days | None = Field(
        default=None,
        description="Moves current objects N days (1 to 36500) old to the Infrequent Access tier (an"
        " `INFREQUENT_ACCESS` rule), fewer than `archive_after_days` and `delete_after_days`: cheaper storage,"
        " billed for at least 31 days, and a fee per GB read. Standard tier only, never with `auto_tiering`."
        " No such rule when left out.",
    )
    archive_after_days: Days | None = Field(
        default=None,
        description="Archives current objects N days (1 to 36500) old, fewer than `delete_after_days`; Standard tier"
        " only. No archive rule when left out.",
    )
    delete_after_days: Days | None = Field(
        default=None,
        description="Deletes current objects N days (1 to 36500) old; no delete rule when left out.",
    )
    previous_versions: PreviousVersionsSpec | None = Field(
        default=None,
        description="Rules for previous versions; none when left out.",
    )
    abort_multipart_uploads_after_days: Days | None = Field(
        default=None,
        description="Aborts multipart uploads left unfinished N days (1 to 36500); none aborted when left out.",
    )
    prefixes: ListOf[str] = Field(
        default=(),
        description="Limits the rules on current objects to these object name prefixes; every object when left out."
        " Previous-version and multipart rules always cover the whole bucket.",
    )

    @property
    def previous(self) -> PreviousVersionsSpec:
        return self.previous_versions or PreviousVersionsSpec()


ROLES = ("readers", "writers", "admins")


class AccessSpec(Model):
    """IAM groups granted this bucket only, in one policy `<bucket>_access` (`where
    target.bucket.name='<name>'`, and `read buckets` for it). A group is its name in the Default
    identity domain, or `<identity domain>/<group>` (no quotes, commas or braces); a dynamic group
    (resource principals: Data Science model deployments and job runs) is `dynamic-group:<name>` or
    `dynamic-group:<identity domain>/<name>`, its statements `Allow dynamic-group ...`."""

    EXAMPLE: ClassVar[str] = "access: {readers: [MLServing], writers: [MLTraining]}"

    readers: ListOf[Group] = Field(
        default=(),
        description="Groups (or `dynamic-group:<name>`, e.g. model deployments) that read and list its objects"
        " (`read objects`); none when left out.",
    )
    writers: ListOf[Group] = Field(
        default=(),
        description="Groups that also put and overwrite objects, multipart uploads included (`manage objects` limited"
        " to OBJECT_INSPECT, OBJECT_READ, OBJECT_CREATE, OBJECT_OVERWRITE), but never delete an object or a"
        " version, the history versioning keeps; none when left out.",
    )
    admins: ListOf[Group] = Field(
        default=(),
        description="Groups that manage its objects, versions included (`manage objects`); none when left out.",
    )

    @model_validator(mode="after")
    def _once_each(self) -> AccessSpec:
        fail_if(
            [
                ((role,), group, Problem("group listed twice", "list each group once"))
                for role in ROLES
                for group in duplicates(getattr(self, role))
            ]
        )
        return self

    def grants(self) -> list[tuple[str, str]]:
        """(role, group) for each group, in the order of ROLES."""
        return [(role, group) for role in ROLES for group in getattr(self, role)]


class LoggingSpec(Model):
    """The bucket's access logs: one OCI Logging service log per category, in a log group of the
    stack in the bucket's region. Both categories off: no log, and no log group for them."""

    EXAMPLE: ClassVar[str] = "logging: {write: true, read: false, retention_days: 90}"

    write: bool = Field(
        default=True,
        description="Logs PUT, POST and DELETE requests, as the CIS OCI Foundations Benchmark asks of every bucket"
        " (recommendation 3.17 in v1.x, 4.17 in v2.0 and v3.0); on unless false.",
    )
    read: bool = Field(
        default=False,
        description="Logs GET, LIST and HEAD requests too, so every download of a model is an event; off unless true.",
    )
    retention_days: Annotated[int, rule(oci.check_log_retention)] = Field(
        default=90,
        description="Days OCI Logging keeps the logs: 30, 60, 90 (the default, what the CIS OCI Foundations"
        " Benchmark's landing zone keeps since its 2.8.5), 120, 150 or 180.",
    )

    @model_validator(mode="after")
    def _retention_needs_a_log(self) -> LoggingSpec:
        if not self.categories() and "retention_days" in self.model_fields_set:
            fail_if(
                [
                    (
                        ("retention_days",),
                        self.retention_days,
                        Problem(
                            "a retention with no log to keep", "set write or read to true, or remove retention_days"
                        ),
                    )
                ]
            )
        return self

    def categories(self) -> tuple[str, ...]:
        """The log categories to make, in OCI's order (`write`, `read`)."""
        return tuple(category for category in oci.LOG_CATEGORIES if getattr(self, category))


class ReplicationSpec(Model):
    """A copy of the bucket in another region, kept by Object Storage replication, in the same
    compartment and namespace: private, versioning off (OCI: "You cannot enable versioning on a
    replication destination bucket"), no retention rule and no lifecycle (OCI refuses retention
    rules on a destination, and a lifecycle that deletes there doesn't work), with the source's
    tier, auto-tiering, object events, tags and logs. It becomes read-only once replication starts."""

    EXAMPLE: ClassVar[str] = "replication: {region: us-phoenix-1}"

    region: Annotated[str, rule(oci.check_replication_region)] = Field(
        description="The replica's region: one of the commercial realm other than the bucket's, to which the tenancy is"
        " subscribed; the stack gets a provider there (`oci.us_phoenix_1` for us-phoenix-1)."
    )
    bucket: Annotated[str, rule(oci.check_bucket_name)] | None = Field(
        default=None,
        description="The replica's name, no other bucket's in that region; the bucket's own name when left out.",
    )
    kms_key_id: Annotated[str, rule(oci.check_key_id)] | None = Field(
        default=None,
        description="A Vault key of `region` for the replica, granted to Object Storage as the bucket's is; an"
        " Oracle-managed key when left out (the source's key is regional and can't be used there).",
    )
    key_compartment_id: Annotated[str, rule(oci.check_compartment_id)] | None = Field(
        default=None,
        description="The compartment where that key's policy is attached; the bucket's compartment when left out. Only"
        " with `kms_key_id`.",
    )

    @model_validator(mode="after")
    def _key_compartment_needs_a_key(self) -> ReplicationSpec:
        if self.key_compartment_id is not None and self.kms_key_id is None:
            fail_if(
                [
                    (
                        ("key_compartment_id",),
                        self.key_compartment_id,
                        Problem("a key compartment without a key", "set kms_key_id too, or remove key_compartment_id"),
                    )
                ]
            )
        return self

    def bucket_name(self, source: str) -> str:
        """The replica's name: `bucket`, or the source's name."""
        return self.bucket or source

    def region_problems(self, source_region: str) -> list[Located]:
        """What the replica breaks when its source is in `source_region`."""
        problems: list[Located] = []
        if self.region == source_region:
            problems.append(
                (
                    ("region",),
                    self.region,
                    Problem(
                        "the bucket's own region: a replica there survives no loss of the region", "use another region"
                    ),
                )
            )
        problem = oci.check_key_region(self.kms_key_id, self.region) if self.kms_key_id else None
        if problem is not None:
            problems.append((("kms_key_id",), self.kms_key_id, problem))
        return problems


class RetentionSpec(Model):
    """A retention rule (`retention_rules`): no object is overwritten or deleted until it is `days`
    old. With `lock_after_days`, the rule locks that many days after the plan that sets it, and a
    locked rule can never be undone: not shortened, not removed, by nobody, Oracle included, until
    the bucket is deleted, and a bucket is deleted only empty."""

    EXAMPLE: ClassVar[str] = "retention: {days: 365, lock_after_days: 14}"

    days: Days = Field(description="Keeps each object N days (1 to 36500) from its last change.")
    lock_after_days: Annotated[int, rule(oci.check_lock_delay), rule(at_most(oci.MAX_DAYS, "100 years"))] | None = (
        Field(
            default=None,
            description="Locks the rule N days (14 or more, OCI's minimum delay) and one hour after the plan that first"
            " sets it (`time_rule_locked`: that instant, recorded once in a `terraform_data`, so later plans don't"
            " move it); until then the rule can still be changed or removed, after it never. Unlocked when left"
            " out.",
        )
    )


Versioning = Literal["enabled", "suspended", "disabled"]


def _versioning_word(value: object) -> object:
    # `versioning: true/false` came first and keeps its meaning.
    return ("enabled" if value else "disabled") if isinstance(value, bool) else value


class BucketSpec(Model):
    """One Object Storage bucket for models, always private (`access_type = NoPublicAccess`: no
    field changes that)."""

    EXAMPLE: ClassVar[str] = "{name: ml-models, versioning: enabled}"

    name: Annotated[str, rule(oci.check_bucket_name)] = Field(
        description="The bucket's name (1 to 256 letters, digits, `-`, `_` and `.`), once per namespace and region. It"
        " is also the Terraform address (`.` becomes `_`): a new name is a new bucket.",
    )
    storage_tier: Literal["Standard", "Archive"] = Field(
        default="Standard",
        description="`Standard` (the default) or `Archive`; fixed at creation.",
    )
    versioning: Annotated[Versioning, BeforeValidator(_versioning_word, json_schema_input_type=Versioning | bool)] = (
        Field(
            default="enabled",
            description="`enabled` (the default) keeps every version of an object. OCI creates a bucket only"
            " `enabled` or `disabled` (needed for `retention_days`), and turns a bucket that was ever versioned"
            " off only as `suspended`. `true`/`false` mean enabled/disabled.",
        )
    )
    auto_tiering: bool = Field(
        default=False,
        description="Moves objects seldom read to Infrequent Access (`InfrequentAccess`); off unless true. Standard"
        " tier only.",
    )
    kms_key_id: Annotated[str, rule(oci.check_key_id)] | None = Field(
        default=None,
        description="A Vault key (`ocid1.key...`) of the bucket's region that encrypts it; an Oracle-managed key when"
        " left out. A policy letting `objectstorage-<region>` use that key is made before the bucket, once"
        " per key.",
    )
    key_compartment_id: Annotated[str, rule(oci.check_compartment_id)] | None = Field(
        default=None,
        description="The compartment where the key's policy is attached; the bucket's compartment when left out. Only"
        " with `kms_key_id`.",
    )
    object_events: bool = Field(
        default=True,
        description="Emits object events (`object_events_enabled`) for automation; on unless false.",
    )
    tags: dict[str, str] = Field(
        default_factory=dict,
        description="Freeform tags (`freeform_tags`); none when left out.",
    )
    defined_tags: dict[DefinedTagKey, str] = Field(
        default_factory=dict,
        description='The tenancy\'s defined tags, `<tag namespace>.<key>: value` (e.g. `Operations.CostCenter: "42"`),'
        " whose namespace and key must exist in the tenancy; values up to 256 characters. None when left"
        " out.",
    )
    retention_days: Days | None = Field(
        default=None,
        description="A retention rule (`retention_rules`) of N days, 1 to 36500, never locked (a lock cannot be"
        " undone); none when left out. OCI refuses it while versioning is enabled. `retention: {days: N}` says"
        " the same; only one of the two.",
    )
    retention: RetentionSpec | None = Field(
        default=None,
        description="A retention rule that may be locked; none when left out. OCI refuses it while versioning is"
        " enabled.",
    )
    lifecycle: LifecycleSpec | None = Field(
        default=None,
        description="Archives and deletes objects by age; left out, nothing is archived or deleted.",
    )
    service_policy: bool = Field(
        default=True,
        description="Lets Object Storage act for the bucket: with a lifecycle, a policy `Allow service"
        " objectstorage-<region> to manage object-family` limited to what lifecycle needs; with a replica,"
        " one limited to what replication needs (once per compartment each). On unless false, where the"
        " tenancy grants them already.",
    )
    access: AccessSpec | None = Field(
        default=None,
        description="IAM groups granted this bucket; left out, no access policy is made.",
    )
    logging: LoggingSpec = Field(
        default_factory=LoggingSpec,
        description="Access logs in OCI Logging; left out, write requests are logged and kept 90 days.",
    )
    replication: ReplicationSpec | None = Field(
        default=None,
        description="A copy of the bucket in another region; no replica when left out.",
    )
    adopt: bool = Field(
        default=False,
        description="Takes over an existing bucket and its lifecycle policy (`import` blocks) instead of creating"
        " them; its logs, replica and replication policy are made, never adopted. Off unless true.",
    )

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: dict[str, str]) -> dict[str, str]:
        fail_if(
            [
                ((key,), got, problem)
                for key, value in tags.items()
                for got, problem in ((key, oci.check_tag_key(key)), (value, oci.check_tag_value(value)))
                if problem is not None
            ]
        )
        return tags

    @field_validator("defined_tags")
    @classmethod
    def _defined_tag_values(cls, tags: dict[str, str]) -> dict[str, str]:
        too_long = Problem("defined tag value too long", "use at most 256 characters")
        fail_if([((key,), value, too_long) for key, value in tags.items() if len(value) > 256])
        return tags

    @model_validator(mode="after")
    def _cross_field(self) -> BucketSpec:
        problems: list[Located] = []
        if self.retention_days is not None and self.retention is not None:
            problems.append(
                (
                    ("retention_days",),
                    self.retention_days,
                    Problem(
                        "a second retention rule beside retention",
                        "use retention: {days: N} alone, or retention_days alone",
                    ),
                )
            )
        rule_field = "retention" if self.retention is not None else "retention_days"
        if self.retention_rule() is not None and self.versioning == "enabled":
            problems.append(
                (
                    (rule_field,),
                    self.retention_days if self.retention is None else self.retention.days,
                    Problem(
                        "OCI takes no retention rule on a bucket with versioning enabled",
                        "set versioning: disabled (or suspended, on a bucket that was versioned), or remove"
                        f" {rule_field}",
                    ),
                )
            )
        if self.key_compartment_id is not None and self.kms_key_id is None:
            problems.append(
                (
                    ("key_compartment_id",),
                    self.key_compartment_id,
                    Problem("a key compartment without a key", "set kms_key_id too, or remove key_compartment_id"),
                )
            )
        if self.auto_tiering:
            problems += self._needs_standard_tier(("auto_tiering",), True)
        if self.lifecycle is not None:
            problems += [
                (("lifecycle", *path), got, problem) for path, got, problem in self._lifecycle_problems(self.lifecycle)
            ]
        fail_if(problems)
        return self

    def _lifecycle_problems(self, lifecycle: LifecycleSpec) -> list[Located]:
        problems: list[Located] = []
        previous = lifecycle.previous
        days = (
            lifecycle.infrequent_access_after_days,
            lifecycle.archive_after_days,
            lifecycle.delete_after_days,
            previous.archive_after_days,
            previous.delete_after_days,
            lifecycle.abort_multipart_uploads_after_days,
        )
        if all(value is None for value in days):
            problems.append(
                (
                    (),
                    "no rule",
                    Problem("a lifecycle with no rule", "set at least one *_after_days, or remove lifecycle"),
                )
            )
        problems += _archive_before_delete(
            ("archive_after_days",), lifecycle.archive_after_days, lifecycle.delete_after_days
        )
        problems += self._infrequent_access_problems(lifecycle)
        if lifecycle.archive_after_days is not None:
            problems += self._needs_standard_tier(("archive_after_days",), lifecycle.archive_after_days)
        if lifecycle.previous_versions is not None and (previous.archive_after_days, previous.delete_after_days) != (
            None,
            None,
        ):
            where = ("previous_versions", "archive_after_days")
            problems += _archive_before_delete(where, previous.archive_after_days, previous.delete_after_days)
            if self.versioning == "disabled":
                problems.append(
                    (
                        ("previous_versions",),
                        "rules",
                        Problem(
                            "previous-version rules need versioning on the bucket",
                            "set versioning: enabled, or remove previous_versions",
                        ),
                    )
                )
        if previous.archive_after_days is not None:
            problems += self._needs_standard_tier(
                ("previous_versions", "archive_after_days"), previous.archive_after_days
            )
        for index, prefix in enumerate(lifecycle.prefixes):
            if not prefix:
                problems.append(
                    (("prefixes", index), prefix, Problem("empty prefix", "use a non-empty object name prefix"))
                )
        for prefix in duplicates(lifecycle.prefixes):
            problems.append((("prefixes",), prefix, Problem("prefix listed twice", "list each prefix once")))
        return problems

    def _infrequent_access_problems(self, lifecycle: LifecycleSpec) -> list[Located]:
        days = lifecycle.infrequent_access_after_days
        if days is None:
            return []
        where: tuple[str | int, ...] = ("infrequent_access_after_days",)
        problems = self._needs_standard_tier(where, days)
        if self.auto_tiering:
            # OCI: "INFREQUENT_ACCESS can't be used while auto-tiering is enabled on the bucket"
            # (Object Storage lifecycle management, Scope and Constraints).
            problems.append(
                (
                    where,
                    days,
                    Problem(
                        "an Infrequent Access rule on a bucket with auto_tiering: OCI refuses both",
                        "remove auto_tiering, or the rule",
                    ),
                )
            )
        for later in ("archive_after_days", "delete_after_days"):
            bound = getattr(lifecycle, later)
            if bound is not None and days >= bound:
                problems.append(
                    (
                        where,
                        days,
                        Problem(
                            f"must be below {later} ({bound}): that rule acts first, so this one never would",
                            f"use fewer than {bound} days, or drop the rule",
                        ),
                    )
                )
        return problems

    def retention_rule(self) -> RetentionSpec | None:
        """The bucket's one retention rule, from `retention` or `retention_days`."""
        if self.retention is not None:
            return self.retention
        return RetentionSpec(days=self.retention_days) if self.retention_days is not None else None

    def describe(self, compartment_id: str) -> list[str]:
        """What this bucket becomes, for `make check` and the synth summary: one line, and one of its
        own for a retention rule (it blocks overwriting and deleting objects)."""
        parts = [
            f"{self.storage_tier} tier, versioning {self.versioning}" + (", auto-tiering" if self.auto_tiering else "")
        ]
        parts.append("lifecycle: " + _describe_lifecycle(self.lifecycle) if self.lifecycle else "no lifecycle")
        categories = self.logging.categories()
        parts.append(
            f"{' and '.join(categories)} logs kept {self.logging.retention_days} days"
            if categories
            else "no access log"
        )
        parts.append(_describe_key(self.kms_key_id, self.key_compartment_id or compartment_id))
        if self.replication is not None:
            replica = self.replication
            key = _describe_key(replica.kms_key_id, replica.key_compartment_id or compartment_id)
            parts.append(f"replica {replica.bucket_name(self.name)} in {replica.region} ({key})")
        if self.access is not None and self.access.grants():
            parts.append(
                "access: "
                + ", ".join(
                    f"{role} {', '.join(getattr(self.access, role))}" for role in ROLES if getattr(self.access, role)
                )
            )
        parts.append(
            "adopted (import blocks for the bucket and its lifecycle policy)" if self.adopt else "created, not imported"
        )
        lines = [f"bucket {self.name}: " + "; ".join(parts)]
        retention = self.retention_rule()
        if retention is not None:
            lines.append(
                f"  RETENTION RULE on {self.name}: no object can be overwritten or deleted for {retention.days} days"
                " after it is written"
            )
            if retention.lock_after_days is not None:
                lines.append(
                    f"  LOCKED RETENTION RULE on {self.name}: it locks {retention.lock_after_days} days after the plan"
                    " that sets it, and"
                    " a locked rule can never be undone (not shortened, not removed) until the bucket is deleted, empty"
                )
        return lines

    def region_problems(self, region: str) -> list[Located]:
        """What this bucket breaks when it is made in `region`."""
        problem = oci.check_key_region(self.kms_key_id, region) if self.kms_key_id else None
        problems: list[Located] = [(("kms_key_id",), self.kms_key_id, problem)] if problem else []
        if self.replication is not None:
            problems += [(("replication", *path), got, p) for path, got, p in self.replication.region_problems(region)]
        return problems

    def _needs_standard_tier(self, where: tuple[str | int, ...], got: object) -> list[Located]:
        """Auto-tiering and ARCHIVE rules move objects out of Standard: an Archive bucket has nothing to move."""
        if self.storage_tier == "Standard":
            return []
        problem = Problem(
            f"needs storage_tier Standard, this bucket is {self.storage_tier}",
            "use storage_tier: Standard, or remove it",
        )
        return [(where, got, problem)]


def _describe_lifecycle(lifecycle: LifecycleSpec) -> str:
    previous = lifecycle.previous
    objects = f"objects under {' or '.join(lifecycle.prefixes)}" if lifecycle.prefixes else "objects"
    rules = [
        (lifecycle.infrequent_access_after_days, f"move {objects} to Infrequent Access"),
        (lifecycle.archive_after_days, f"archive {objects}"),
        (lifecycle.delete_after_days, f"delete {objects}"),
        (previous.archive_after_days, "archive previous versions"),
        (previous.delete_after_days, "delete previous versions"),
        (lifecycle.abort_multipart_uploads_after_days, "abort multipart uploads"),
    ]
    # Prefixes are the user's text: never a format string.
    return ", ".join(f"{what} after {days} days" for days, what in rules if days is not None)


def _describe_key(key_id: str | None, key_compartment_id: str) -> str:
    if key_id is None:
        return "Oracle-managed key"
    return f"key {key_id}, its policy in {key_compartment_id}"


def _archive_before_delete(
    where: tuple[str | int, ...], archive_days: int | None, delete_days: int | None
) -> list[Located]:
    """A DELETE rule wins over an ARCHIVE rule on the same object: archiving must come first."""
    if archive_days is None or delete_days is None or archive_days < delete_days:
        return []
    problem = Problem(
        f"archive_after_days must be below delete_after_days ({delete_days}): objects would be deleted before they are"
        " archived",
        f"use fewer than {delete_days} days, or drop the archive rule",
    )
    return [(where, archive_days, problem)]
