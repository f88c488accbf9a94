"""The config file's contract: strict, frozen models (unknown keys are errors).

Each field's default is the behaviour a user gets without writing it. Field-level
rules come from the constructs' rule modules, so the words match; rules that
span fields are checked in `after` validators, which report their problems at the
path of the field at fault (config/loader.py turns them into lines).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from config.backends import Backend, LocalBackend, needs_cloud_placeholder
from config.base import Model, fail, rule
from constructs import artifact_registry_rules as gcp_rules
from constructs import object_storage_rules as oci_rules
from constructs.rules import NOTHING, Problem, duplicates

_NAME = re.compile(r"[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?")


def _name(value: str) -> Problem | None:
    if _NAME.fullmatch(value):
        return None
    return Problem("not a name", "use up to 30 lowercase letters, digits and hyphens, starting with a letter")


def _environment_name(value: str) -> Problem | None:
    if _name(value) is None and len(value) <= 20:
        return None
    return Problem(
        "not an environment name",
        "use up to 20 lowercase letters, digits and hyphens, starting with a letter, e.g. prod",
    )


def _format(value: str) -> Problem | None:
    if value.lower() in CONFIG_FORMATS:
        return None
    return Problem("not a supported format", "use one of: " + ", ".join(CONFIG_FORMATS) + " (any case)")


CONFIG_FORMATS = ("generic", "docker", "kfp", "python")
"""Formats that hold models: files, serving images, Kubeflow pipelines, Python packages."""

Name = Annotated[str, rule(_name)]
ProjectId = Annotated[str, rule(gcp_rules.check_project_id)]
Location = Annotated[str, rule(gcp_rules.check_location)]
RepositoryId = Annotated[str, rule(gcp_rules.check_repository_id)]
Format = Annotated[str, rule(_format)]
Duration = Annotated[str, rule(gcp_rules.check_duration)]
# A YAML list becomes a tuple (frozen); strict mode alone would refuse the list.
Members = Annotated[tuple[str, ...], Field(strict=False)]
Days = Annotated[int, Field(ge=1)]
Region = Annotated[str, rule(oci_rules.check_region)]
CompartmentId = Annotated[str, rule(oci_rules.check_compartment_id)]
Namespace = Annotated[str, rule(oci_rules.check_namespace)]
KeyId = Annotated[str, rule(oci_rules.check_key_id)]
BucketName = Annotated[str, rule(oci_rules.check_bucket_name)]
Group = Annotated[str, rule(oci_rules.check_group)]
Groups = Annotated[tuple[Group, ...], Field(strict=False)]
Prefixes = Annotated[tuple[str, ...], Field(strict=False)]


class Cleanup(Model):
    """Cleanup of old versions; needs `delete_older_than` to delete anything."""

    dry_run: bool = True
    keep_latest: Annotated[int, Field(ge=1)] | None = None
    delete_older_than: Duration | None = None

    @model_validator(mode="after")
    def _deletes_something(self) -> Cleanup:
        problem = gcp_rules.check_cleanup_deletes(self.delete_older_than)
        if problem is not None:
            fail((("delete_older_than",), NOTHING, problem))
        return self


class RepositoryIam(Model):
    """IAM of one repository: `authoritative` owns the whole policy; `additive` adds grants."""

    mode: Literal["authoritative", "additive"] = "authoritative"
    readers: Members = ()
    writers: Members = ()
    admins: Members = ()
    allow_public: bool = False

    @model_validator(mode="after")
    def _members(self) -> RepositoryIam:
        problems: list[tuple[tuple[str | int, ...], object, Problem]] = []
        for role in ("readers", "writers", "admins"):
            members: tuple[str, ...] = getattr(self, role)
            for index, member in enumerate(members):
                problem = gcp_rules.check_member(member, allow_public=self.allow_public)
                if problem is not None:
                    problems.append(((role, index), member, problem))
            for member in duplicates(members):
                problems.append(((role,), member, Problem("member listed twice", "list each member once")))
        if self.mode == "authoritative":
            problem = gcp_rules.check_authoritative_grants(len(self.readers) + len(self.writers) + len(self.admins))
            if problem is not None:
                problems.append((("mode",), self.mode, problem))
        if problems:
            fail(*problems)
        return self


class Repository(Model):
    """One Artifact Registry repository for model versions."""

    id: RepositoryId
    format: Format = "generic"
    description: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    kms_key_name: str | None = None
    immutable_tags: bool = False
    vulnerability_scanning: Literal["inherited", "disabled"] | None = None
    cleanup: Cleanup | None = None
    iam: RepositoryIam | None = None
    adopt: bool = False

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        problems = [
            ((key,), got, problem)
            for key, value in labels.items()
            for got, problem in ((key, gcp_rules.check_label_key(key)), (value, gcp_rules.check_label_value(value)))
            if problem is not None
        ]
        if problems:
            fail(*problems)
        return labels

    @field_validator("kms_key_name")
    @classmethod
    def _kms_key_name(cls, value: str | None) -> str | None:
        # The location must match the repository's: checked in Gcp, which knows the region.
        problem = gcp_rules.check_kms_key_name(value, None) if value is not None else None
        if problem is not None:
            fail(((), value, problem))
        return value

    @model_validator(mode="after")
    def _cross_field(self) -> Repository:
        problems: list[tuple[tuple[str | int, ...], object, Problem]] = []
        docker_only = gcp_rules.check_docker_only(self.format)
        if docker_only is not None:
            if self.immutable_tags:
                problems.append((("immutable_tags",), True, docker_only))
            if self.vulnerability_scanning is not None:
                problems.append((("vulnerability_scanning",), self.vulnerability_scanning, docker_only))
        if problems:
            fail(*problems)
        return self


class Gcp(Model):
    """The Google Cloud part of an environment: one stack `<env>-gcp`."""

    project: ProjectId
    region: Location
    # Emptiness is checked below: pydantic's min_length also fires when items are invalid.
    repositories: Annotated[tuple[Repository, ...], Field(strict=False)]

    @model_validator(mode="after")
    def _cross_field(self) -> Gcp:
        problems: list[tuple[tuple[str | int, ...], object, Problem]] = []
        if not self.repositories:
            problems.append((("repositories",), [], Problem("no repository", "list at least one repository")))
        ids = [repository.id for repository in self.repositories]
        for repeated in duplicates(ids):
            index = len(ids) - 1 - ids[::-1].index(repeated)
            problems.append(
                (("repositories", index, "id"), repeated, Problem("repository id used twice", "give each repository its own id"))
            )
        for index, repository in enumerate(self.repositories):
            if repository.kms_key_name is not None:
                problem = gcp_rules.check_kms_key_name(repository.kms_key_name, self.region)
                if problem is not None:
                    problems.append((("repositories", index, "kms_key_name"), repository.kms_key_name, problem))
        if problems:
            fail(*problems)
        return self


class PreviousVersions(Model):
    """Rules for non-current object versions; they need versioning."""

    archive_after_days: Days | None = None
    delete_after_days: Days | None = None


class BucketLifecycle(Model):
    """The bucket's one lifecycle policy; each `*_after_days` left out makes no rule."""

    archive_after_days: Days | None = None
    delete_after_days: Days | None = None
    previous_versions: PreviousVersions | None = None
    abort_multipart_uploads_after_days: Days | None = None
    prefixes: Prefixes = ()


class BucketAccess(Model):
    """IAM groups: readers read the bucket's objects, writers manage them."""

    readers: Groups = ()
    writers: Groups = ()

    @model_validator(mode="after")
    def _once_each(self) -> BucketAccess:
        problems = [
            ((role,), group, Problem("group listed twice", "list each group once"))
            for role in ("readers", "writers")
            for group in duplicates(getattr(self, role))
        ]
        if problems:
            fail(*problems)
        return self


class Bucket(Model):
    """One private Object Storage bucket for models."""

    name: BucketName
    storage_tier: Literal["Standard", "Archive"] = "Standard"
    versioning: bool = True
    auto_tiering: bool = False
    kms_key_id: KeyId | None = None
    object_events: bool = True
    tags: dict[str, str] = Field(default_factory=dict)
    retention_days: Days | None = None
    lifecycle: BucketLifecycle | None = None
    service_policy: bool = True
    access: BucketAccess | None = None
    adopt: bool = False

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: dict[str, str]) -> dict[str, str]:
        problems = [
            ((key,), got, problem)
            for key, value in tags.items()
            for got, problem in ((key, oci_rules.check_tag_key(key)), (value, oci_rules.check_tag_value(value)))
            if problem is not None
        ]
        if problems:
            fail(*problems)
        return tags

    @model_validator(mode="after")
    def _cross_field(self) -> Bucket:
        problems: list[tuple[tuple[str | int, ...], object, Problem]] = []
        if self.retention_days is not None:
            problem = oci_rules.check_retention_without_versioning(self.versioning)
            if problem is not None:
                problems.append((("retention_days",), self.retention_days, problem))
        if self.auto_tiering:
            problem = oci_rules.check_standard_tier(self.storage_tier)
            if problem is not None:
                problems.append((("auto_tiering",), True, problem))
        if self.lifecycle is not None:
            lifecycle, previous = self.lifecycle, self.lifecycle.previous_versions
            for path, got, problem in oci_rules.lifecycle_problems(
                archive_after_days=lifecycle.archive_after_days,
                delete_after_days=lifecycle.delete_after_days,
                previous_versions=(previous.archive_after_days, previous.delete_after_days) if previous else None,
                abort_multipart_uploads_after_days=lifecycle.abort_multipart_uploads_after_days,
                prefixes=lifecycle.prefixes,
                versioning=self.versioning,
                storage_tier=self.storage_tier,
            ):
                problems.append((("lifecycle", *_split(path)), got, problem))
        if problems:
            fail(*problems)
        return self


def _split(path: str) -> tuple[str | int, ...]:
    """`previous_versions.archive_after_days` or `prefixes[2]` as location parts."""
    parts: list[str | int] = []
    for part in filter(None, path.split(".")):
        name, _, index = part.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    return tuple(parts)


class Oci(Model):
    """The Oracle Cloud part of an environment: one stack `<env>-oci`.

    Authentication never comes from this file: the provider reads the environment
    or `~/.oci/config`.
    """

    region: Region
    compartment_id: CompartmentId
    namespace: Namespace | None = None
    buckets: Annotated[tuple[Bucket, ...], Field(strict=False)]

    @model_validator(mode="after")
    def _cross_field(self) -> Oci:
        problems: list[tuple[tuple[str | int, ...], object, Problem]] = []
        if not self.buckets:
            problems.append((("buckets",), [], Problem("no bucket", "list at least one bucket")))
        seen: dict[str, str] = {}
        for index, bucket in enumerate(self.buckets):
            # `a.b` and `a_b` are two bucket names but one Terraform address.
            address = oci_rules.terraform_name(bucket.name)
            if address in seen:
                what = "bucket name used twice" if seen[address] == bucket.name else f"same Terraform address as {seen[address]!r}"
                problems.append((("buckets", index, "name"), bucket.name, Problem(what, "give each bucket its own name")))
            seen.setdefault(address, bucket.name)
        if problems:
            fail(*problems)
        return self


class Environment(Model):
    """One environment: a stack per cloud it names."""

    allow_destroy: bool = False
    backend: Backend = Field(default_factory=lambda: LocalBackend(type="local"))
    gcp: Gcp | None = None
    oci: Oci | None = None

    @model_validator(mode="after")
    def _clouds(self) -> Environment:
        if self.gcp is None and self.oci is None:
            fail(((), NOTHING, Problem("no cloud in this environment", "add gcp, oci or both")))
        shared = needs_cloud_placeholder(self.backend) if self.gcp and self.oci else None
        if shared is not None:
            field, value = shared
            fail(
                (
                    ("backend", field),
                    value,
                    Problem(
                        "the gcp and oci stacks would share one state",
                        f"put {{cloud}} in it (e.g. {value}-{{cloud}}), or leave it out for the default",
                    ),
                )
            )
        return self


EnvironmentName = Annotated[str, rule(_environment_name)]


class AppConfig(Model):
    """The whole file: a name prefix and the environments to build."""

    name: Name
    environments: dict[EnvironmentName, Environment]

    @model_validator(mode="after")
    def _some_environment(self) -> AppConfig:
        if not self.environments:
            fail((("environments",), {}, Problem("no environment", "add one, e.g. dev: {gcp: {...}}")))
        return self
