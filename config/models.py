"""The config file's contract: the whole file, its environments, and one section per cloud.

A section holds what only a stack knows (project, region, compartment) and the
specs of the things it builds (specs/), which the section embeds rather than
restates. Rules that span entries (unique ids, a key in the section's region)
are checked here and reported at the path of the entry at fault.
"""

from __future__ import annotations

import typing
from typing import Annotated

from pydantic import Field, model_validator

from config.backends import Backend, LocalBackend, needs_cloud_placeholder
from rules import gcp, oci
from rules.problems import NOTHING, Problem, duplicates, matching
from specs.audit_logs import AuditLogsSpec
from specs.base import ListOf, Located, Model, fail, fail_if, rule
from specs.bucket import BucketSpec
from specs.repository import RepositorySpec

_check_name = matching(
    r"[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?",
    "not a name",
    "use up to 30 lowercase letters, digits and hyphens, starting with a letter",
    max_length=30,
)
_check_environment_name = matching(
    r"[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?",
    "not an environment name",
    "use up to 20 lowercase letters, digits and hyphens, starting with a letter, e.g. prod",
    max_length=20,
)


class Section(Model):
    """What one cloud builds in one environment: one stack `<env>-<cloud>`."""


class Gcp(Section):
    """The Google Cloud part of an environment: one stack `<env>-gcp`.

    `enable_apis` (default true) enables the APIs the stack uses in the project
    (`google_project_service`, never disabled on destroy); false where the project's
    APIs are managed elsewhere. `audit_logs` (default none: Google's default, off)
    turns on Artifact Registry's Data Access audit logs for the project.
    """

    project: Annotated[str, rule(gcp.check_project_id)]
    region: Annotated[str, rule(gcp.check_location)]
    enable_apis: bool = True
    audit_logs: AuditLogsSpec | None = None
    # Emptiness is checked below: pydantic's min_length also fires when items are invalid.
    repositories: ListOf[RepositorySpec]

    @model_validator(mode="after")
    def _cross_field(self) -> Gcp:
        problems: list[Located] = []
        if not self.repositories:
            problems.append((("repositories",), [], Problem("no repository", "list at least one repository")))
        ids = [repository.id for repository in self.repositories]
        for repeated in duplicates(ids):
            index = len(ids) - 1 - ids[::-1].index(repeated)
            problems.append(
                (("repositories", index, "id"), repeated, Problem("repository id used twice", "give each repository its own id"))
            )
        by_id = {repository.id: repository for repository in self.repositories}
        for index, repository in enumerate(self.repositories):
            found = [*repository.location_problems(self.region), *repository.upstream_problems(by_id)]
            problems += [(("repositories", index, *path), got, p) for path, got, p in found]
        fail_if(problems)
        return self


class Oci(Section):
    """The Oracle Cloud part of an environment: one stack `<env>-oci`.

    Authentication never comes from this file: the provider reads the environment
    or `~/.oci/config`. OCI writes IAM only in the tenancy's home region, so the stack's
    policies go through a second provider there: `home_region`, or, left out, looked up
    from the tenancy (`tenancy_id`, or the compartment when it is the tenancy).
    """

    region: Annotated[str, rule(oci.check_region)]
    compartment_id: Annotated[str, rule(oci.check_compartment_id)]
    namespace: Annotated[str, rule(oci.check_namespace)] | None = None
    home_region: Annotated[str, rule(oci.check_region)] | None = None
    tenancy_id: Annotated[str, rule(oci.check_tenancy_id)] | None = None
    buckets: ListOf[BucketSpec]

    @property
    def tenancy(self) -> str | None:
        """The tenancy OCID, when the config says it."""
        return self.tenancy_id or (self.compartment_id if self.compartment_id.startswith("ocid1.tenancy.") else None)

    @model_validator(mode="after")
    def _cross_field(self) -> Oci:
        problems: list[Located] = []
        if self.home_region is None and self.tenancy is None:
            problems.append(
                (
                    ("home_region",),
                    NOTHING,
                    Problem(
                        "missing: OCI writes IAM policies only in the tenancy's home region, and without the tenancy it can't be looked up",
                        "set home_region (e.g. us-ashburn-1), or tenancy_id (ocid1.tenancy...) to look it up",
                    ),
                )
            )
        if not self.buckets:
            problems.append((("buckets",), [], Problem("no bucket", "list at least one bucket")))
        seen: dict[str, str] = {}
        for index, bucket in enumerate(self.buckets):
            # `a.b` and `a_b` are two bucket names but one Terraform address.
            address = oci.terraform_name(bucket.name)
            if address in seen:
                what = "bucket name used twice" if seen[address] == bucket.name else f"same Terraform address as {seen[address]!r}"
                problems.append((("buckets", index, "name"), bucket.name, Problem(what, "give each bucket its own name")))
            seen.setdefault(address, bucket.name)
            problems += [(("buckets", index, *path), got, p) for path, got, p in bucket.region_problems(self.region)]
        problems += self._replica_problems(seen)
        fail_if(problems)
        return self

    def _replica_problems(self, addresses: dict[str, str]) -> list[Located]:
        """A replica is `<bucket address>_replica` in Terraform, and OCI takes one source per
        destination bucket: neither may be another's."""
        problems: list[Located] = []
        replicas: dict[tuple[str, str], str] = {}
        for index, bucket in enumerate(self.buckets):
            if bucket.replication is None:
                continue
            address = f"{oci.terraform_name(bucket.name)}_replica"
            if address in addresses:
                problems.append(
                    (
                        ("buckets", index, "replication"),
                        "replica",
                        Problem(f"its replica's Terraform address {address!r} is bucket {addresses[address]!r}'s", "rename one of the two buckets"),
                    )
                )
            destination = (bucket.replication.region, bucket.replication.bucket_name(bucket.name))
            if destination in replicas:
                problems.append(
                    (
                        ("buckets", index, "replication", "bucket"),
                        destination[1],
                        Problem(
                            f"also the replica of {replicas[destination]!r} in {destination[0]}: OCI takes one source per destination bucket",
                            "give each replica its own name (replication.bucket)",
                        ),
                    )
                )
            replicas.setdefault(destination, bucket.name)
        return problems


class Environment(Model):
    """One environment: a stack per cloud section it has."""

    allow_destroy: bool = False
    backend: Backend = Field(default_factory=lambda: LocalBackend(type="local"))
    gcp: Gcp | None = None
    oci: Oci | None = None

    def managed(self) -> list[tuple[str, tuple[str, ...]]]:
        """(path, identity) of each thing this environment creates, identity as the cloud tells them apart."""
        found: list[tuple[str, tuple[str, ...]]] = []
        if self.gcp is not None:
            found += [
                (f"gcp.repositories[{index}].id", ("gcp", self.gcp.project, self.gcp.region, repository.id))
                for index, repository in enumerate(self.gcp.repositories)
            ]
        if self.oci is not None:
            # Bucket names are unique in a namespace and region; with the namespace looked up,
            # the compartment stands in for it (two compartments of one tenancy are not told apart).
            place = self.oci.namespace or self.oci.compartment_id
            found += [
                (f"oci.buckets[{index}].name", ("oci", place, self.oci.region, bucket.name))
                for index, bucket in enumerate(self.oci.buckets)
            ]
            # A replica is a bucket too, in its region: no other bucket may be it (or be replicated from it).
            found += [
                (f"oci.buckets[{index}].replication.bucket", ("oci", place, bucket.replication.region, bucket.replication.bucket_name(bucket.name)))
                for index, bucket in enumerate(self.oci.buckets)
                if bucket.replication is not None
            ]
        return found

    def sections(self) -> dict[str, Section]:
        """Cloud -> its section, for the clouds this environment names, in field order."""
        return {cloud: section for cloud in CLOUDS if isinstance(section := getattr(self, cloud), Section)}

    @model_validator(mode="after")
    def _clouds(self) -> Environment:
        sections = self.sections()
        if not sections:
            every = "both" if len(CLOUDS) == 2 else "several"
            fail(((), NOTHING, Problem("no cloud in this environment", f"add {', '.join(CLOUDS)} or {every}")))
        shared = needs_cloud_placeholder(self.backend) if len(sections) > 1 else None
        if shared is not None:
            field, value = shared
            fail(
                (
                    ("backend", field),
                    value,
                    Problem(
                        f"the {' and '.join(sections)} stacks would share one state",
                        f"put {{cloud}} in it (e.g. {value}-{{cloud}}), or leave it out for the default",
                    ),
                )
            )
        return self


CLOUDS = tuple(
    name
    for name, field in Environment.model_fields.items()
    if any(isinstance(arg, type) and issubclass(arg, Section) for arg in typing.get_args(field.annotation))
)
"""The clouds an environment can name: its fields that hold a Section, in order."""


class AppConfig(Model):
    """The whole file: a name prefix and the environments to build.

    Top-level keys that start with `x-` are left alone: a place for YAML anchors that
    environments share (`x-gcp: &gcp {...}`, then `gcp: {<<: *gcp, ...}`).
    """

    name: Annotated[str, rule(_check_name)]
    environments: dict[Annotated[str, rule(_check_environment_name)], Environment]

    @model_validator(mode="before")
    @classmethod
    def _without_extension_keys(cls, data: object) -> object:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not (isinstance(key, str) and key.startswith("x-"))}
        return data

    @model_validator(mode="after")
    def _some_environment(self) -> AppConfig:
        if not self.environments:
            fail((("environments",), {}, Problem("no environment", "add one, e.g. dev: {gcp: {...}}")))
        return self

    @model_validator(mode="after")
    def _one_environment_per_thing(self) -> AppConfig:
        """Two environments that create the same repository or bucket fight over it: the second
        apply fails with 409 (already exists), or both keep changing it back."""
        owners: dict[tuple[str, ...], str] = {}
        problems: list[Located] = []
        for env_name, environment in self.environments.items():
            for path, identity in environment.managed():
                where = f"environments.{env_name}.{path}"
                first = owners.setdefault(identity, where)
                if first != where:
                    got = identity[-1]
                    problems.append(
                        (
                            ("environments", env_name, *_path_parts(path)),
                            got,
                            Problem(f"also managed by {first}", "give each environment its own project/compartment or name, or keep it in one"),
                        )
                    )
        fail_if(problems)
        return self


    @model_validator(mode="after")
    def _one_owner_per_project_object(self) -> AppConfig:
        """Each project-wide object has one owning stack across the file (see `project_objects`)."""
        fail_if(project_owner_problems(self.environments))
        return self


def project_objects(gcp_section: Gcp) -> list[tuple[str, tuple[str, ...], str]]:
    """(path, identity, what) of each project-wide object a GCP stack manages: an enabled API,
    the Artifact Registry service agent, a CMEK key grant to it, the audit config. Two stacks
    that manage one fight over it: destroying either revokes the key grant of the other (a member's
    delete subtracts it from the key's policy) or drops its audit config, and two `audit_logs`
    settings revert each other on every apply."""
    project = gcp_section.project
    found: list[tuple[str, tuple[str, ...], str]] = []
    if gcp_section.enable_apis:
        found.append(("enable_apis", ("api", project, gcp.API_ARTIFACT_REGISTRY), f"the {gcp.API_ARTIFACT_REGISTRY} API of project {project}"))
        for index, repository in enumerate(gcp_section.repositories):
            if repository.docker and repository.vulnerability_scanning == "inherited":
                found.append(
                    (f"repositories[{index}].vulnerability_scanning", ("api", project, gcp.API_CONTAINER_SCANNING), f"the {gcp.API_CONTAINER_SCANNING} API of project {project}")
                )
    for index, repository in enumerate(gcp_section.repositories):
        if repository.kms_key_name:
            found.append((f"repositories[{index}].kms_key_name", ("agent", project), f"the Artifact Registry service agent of project {project}"))
            found.append((f"repositories[{index}].kms_key_name", ("key-grant", project, repository.kms_key_name), f"the grant of key {repository.kms_key_name} to that agent"))
    if gcp_section.audit_logs is not None:
        found.append(("audit_logs", ("audit-config", project), f"the Artifact Registry audit config of project {project}"))
    return found


def project_owner_problems(environments: dict[str, Environment]) -> list[Located]:
    """Every project-wide object two environments would both manage, at the second one's path."""
    owners: dict[tuple[str, ...], str] = {}
    problems: list[Located] = []
    for env_name, environment in environments.items():
        if environment.gcp is None:
            continue
        reported: set[tuple[str, ...]] = set()  # a key shared by three repositories is said once
        for path, identity, what in project_objects(environment.gcp):
            first = owners.setdefault(identity, env_name)
            if first != env_name and identity not in reported:
                reported.add(identity)
                problems.append(
                    (
                        ("environments", env_name, "gcp", *_path_parts(path)),
                        environment.gcp.project,
                        Problem(
                            f"{what} is also managed by environment {first}",
                            f"manage it in one of {first} and {env_name}: give each its own project, or set enable_apis: false,"
                            " leave out audit_logs or use another key in the other",
                        ),
                    )
                )
    return problems


def _path_parts(path: str) -> tuple[str | int, ...]:
    """`gcp.repositories[1].id` as location parts."""
    parts: list[str | int] = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    return tuple(parts)
