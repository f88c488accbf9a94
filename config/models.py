"""The config file's contract: the whole file, its environments, and one section per cloud.

A section holds what only a stack knows (project, region, compartment) and the
specs of the things it builds (specs/), which the section embeds rather than
restates. Rules that span entries (unique ids, a key in the section's region)
are checked here and reported at the path of the entry at fault.
"""

from __future__ import annotations

import typing
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from config.backends import Backend, CloudBackend, LocalBackend, needs_cloud_placeholder
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

    def contents(self) -> str:
        """What the stack holds, in a few words (`2 buckets in us-ashburn-1: a, b`)."""
        raise NotImplementedError

    def describe_entries(self) -> list[str]:
        """What each entry becomes, a line or more each."""
        raise NotImplementedError

    def entry_names(self) -> list[str]:
        """What the per-entry outputs are named after: repository ids, bucket addresses."""
        raise NotImplementedError

    def place_marks(self) -> list[tuple[str, str]]:
        """What the config says of where this section's things are named: each mark belongs to one
        naming place (a GCP project; an OCI tenancy, whose namespace holds its bucket names)."""
        raise NotImplementedError

    def managed(self, place: str) -> list[tuple[str, tuple[str, ...]]]:
        """(path in the section, identity) of each thing it creates, identity as the cloud tells
        them apart; `place` names the naming place (AppConfig finds which sections share one)."""
        raise NotImplementedError

    def same_place(self, other: Section) -> str:
        """Why this section's things and `other`'s share names, for a message ('' if plain)."""
        return ""

    SHARED_NAME_ADVICE: ClassVar[str] = "give each environment its own name, or keep it in one"
    """What to do about a thing two environments would both create."""


class Gcp(Section):
    """The Google Cloud part of an environment: one stack `<env>-gcp`."""

    EXAMPLE: ClassVar[str] = "gcp: {project: acme-ml-prod, region: us-central1, repositories: [{id: models}]}"

    project: Annotated[str, rule(gcp.check_project_id)] = Field(
        description="The project ID (6 to 30 lowercase letters, digits and hyphens).",
    )
    region: Annotated[str, rule(gcp.check_location)] = Field(
        description="Where every repository of the section is: a region (`us-central1`) or multi-region (`us`,"
        " `europe`, `asia`).",
    )
    enable_apis: bool = Field(
        default=True,
        description="Enables the APIs the stack uses in the project (`google_project_service`, never disabled on"
        " destroy); true unless false, where the project's APIs are managed elsewhere.",
    )
    audit_logs: AuditLogsSpec | None = Field(
        default=None,
        description="Turns on Artifact Registry's Data Access audit logs for the whole project; left out, Google's"
        " default: off.",
    )
    # Emptiness is checked below: pydantic's min_length also fires when items are invalid.
    repositories: ListOf[RepositorySpec] = Field(description="The repositories, at least one, each `id` once.")

    def contents(self) -> str:
        ids = [repository.id for repository in self.repositories]
        count = f"{len(ids)} {'repository' if len(ids) == 1 else 'repositories'}"
        return f"{count} in {self.project}/{self.region}: {', '.join(ids)}"

    def describe_entries(self) -> list[str]:
        return [line for repository in self.repositories for line in repository.describe()]

    def entry_names(self) -> list[str]:
        return [repository.id for repository in self.repositories]

    SHARED_NAME_ADVICE: ClassVar[str] = "give each environment its own project or id, or keep it in one"

    def place_marks(self) -> list[tuple[str, str]]:
        return [("project", self.project)]

    def managed(self, place: str) -> list[tuple[str, tuple[str, ...]]]:
        # A repository ID is unique in its project and location.
        return [
            (f"repositories[{index}].id", (place, self.region, repository.id))
            for index, repository in enumerate(self.repositories)
        ]

    @model_validator(mode="after")
    def _cross_field(self) -> Gcp:
        problems: list[Located] = []
        if not self.repositories:
            problems.append((("repositories",), [], Problem("no repository", "list at least one repository")))
        ids = [repository.id for repository in self.repositories]
        for repeated in duplicates(ids):
            index = len(ids) - 1 - ids[::-1].index(repeated)
            problems.append(
                (
                    ("repositories", index, "id"),
                    repeated,
                    Problem("repository id used twice", "give each repository its own id"),
                )
            )
        by_id = {repository.id: repository for repository in self.repositories}
        for index, repository in enumerate(self.repositories):
            found = [*repository.location_problems(self.region), *repository.upstream_problems(by_id)]
            problems += [(("repositories", index, *path), got, p) for path, got, p in found]
        fail_if(problems)
        return self


class Oci(Section):
    """The Oracle Cloud part of an environment: one stack `<env>-oci`. Authentication never comes
    from this file: the provider reads the environment or `~/.oci/config`."""

    EXAMPLE: ClassVar[str] = (
        "oci: {region: us-ashburn-1, compartment_id: ocid1.compartment.oc1..<id>, home_region: us-ashburn-1, buckets:"
        " [{name: models}]}"
    )

    region: Annotated[str, rule(oci.check_region)] = Field(
        description="The region of the buckets, e.g. `us-ashburn-1`.",
    )
    compartment_id: Annotated[str, rule(oci.check_compartment_id)] = Field(
        description="The compartment (or tenancy) OCID the buckets and their policies are made in."
    )
    namespace: Annotated[str, rule(oci.check_namespace)] | None = Field(
        default=None,
        description="The tenancy's Object Storage namespace; looked up (`data.oci_objectstorage_namespace`) when left"
        " out.",
    )
    home_region: Annotated[str, rule(oci.check_region)] | None = Field(
        default=None,
        description="The tenancy's home region, the only one where OCI writes IAM: every policy goes through a second"
        " provider, `oci.home`, there. Looked up from the tenancy when left out.",
    )
    tenancy_id: Annotated[str, rule(oci.check_tenancy_id)] | None = Field(
        default=None,
        description="The tenancy OCID the home region is looked up from; the compartment when it is the tenancy. One of"
        " `home_region`, `tenancy_id` or a tenancy `compartment_id` is required.",
    )
    buckets: ListOf[BucketSpec] = Field(description="The buckets, at least one, each name once.")

    @property
    def tenancy(self) -> str | None:
        """The tenancy OCID, when the config says it."""
        return self.tenancy_id or (self.compartment_id if self.compartment_id.startswith("ocid1.tenancy.") else None)

    def contents(self) -> str:
        names = [bucket.name for bucket in self.buckets]
        return f"{len(names)} bucket{'' if len(names) == 1 else 's'} in {self.region}: {', '.join(names)}"

    def describe_entries(self) -> list[str]:
        return [line for bucket in self.buckets for line in bucket.describe(self.compartment_id)]

    def entry_names(self) -> list[str]:
        return [oci.terraform_name(bucket.name) for bucket in self.buckets]

    SHARED_NAME_ADVICE: ClassVar[str] = (
        "give each its own name (a bucket name is one per tenancy and region, whatever the compartment), or keep it in"
        " one"
    )

    def place_marks(self) -> list[tuple[str, str]]:
        # Each of these belongs to one tenancy, so to one bucket namespace.
        marks = [("tenancy", self.tenancy), ("namespace", self.namespace), ("compartment", self.compartment_id)]
        return [(kind, value) for kind, value in marks if value is not None]

    def managed(self, place: str) -> list[tuple[str, tuple[str, ...]]]:
        # Bucket names are unique in a namespace (one per tenancy) and region.
        found: list[tuple[str, tuple[str, ...]]] = [
            (f"buckets[{index}].name", (place, self.region, bucket.name)) for index, bucket in enumerate(self.buckets)
        ]
        # A replica is a bucket too, in its region: no other bucket may be it (or be replicated from it).
        found += [
            (
                f"buckets[{index}].replication.bucket",
                (place, bucket.replication.region, bucket.replication.bucket_name(bucket.name)),
            )
            for index, bucket in enumerate(self.buckets)
            if bucket.replication is not None
        ]
        return found

    def same_place(self, other: Section) -> str:
        shared = [f"{kind} {value}" for kind, value in other.place_marks() if (kind, value) in self.place_marks()]
        if shared:
            return f", in the same region and {shared[0]}"
        return (
            ", in the same region and tenancy"
            " (the environments between them share its tenancy, namespace or compartment)"
        )

    @model_validator(mode="after")
    def _cross_field(self) -> Oci:
        problems: list[Located] = []
        if self.home_region is None and self.tenancy is None:
            problems.append(
                (
                    ("home_region",),
                    NOTHING,
                    Problem(
                        "missing: OCI writes IAM policies only in the tenancy's home region, and without the tenancy it"
                        " can't be looked up",
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
                what = (
                    "bucket name used twice"
                    if seen[address] == bucket.name
                    else f"same Terraform address as {seen[address]!r}"
                )
                problems.append(
                    (("buckets", index, "name"), bucket.name, Problem(what, "give each bucket its own name"))
                )
            seen.setdefault(address, bucket.name)
            problems += [(("buckets", index, *path), got, p) for path, got, p in bucket.region_problems(self.region)]
        problems += self._replica_problems(seen)
        problems += self._key_compartment_problems()
        fail_if(problems)
        return self

    def _key_compartment_problems(self) -> list[Located]:
        """One Vault key is in one compartment: every bucket (or replica) that uses it must name the
        same one, or each writes its key policy in another and the explicit one is lost on some."""
        problems: list[Located] = []
        first: dict[str, tuple[str, str]] = {}
        for index, bucket in enumerate(self.buckets):
            uses: list[tuple[tuple[str | int, ...], str | None, str | None]] = [
                (("buckets", index), bucket.kms_key_id, bucket.key_compartment_id)
            ]
            if bucket.replication is not None:
                uses.append(
                    (
                        ("buckets", index, "replication"),
                        bucket.replication.kms_key_id,
                        bucket.replication.key_compartment_id,
                    )
                )
            for path, key, explicit in uses:
                if key is None:
                    continue
                compartment = explicit or self.compartment_id
                where = f"{_section_path(path)} with key compartment {compartment}" + (
                    "" if explicit else " (the bucket's, by default)"
                )
                seen = first.setdefault(key, (compartment, where))
                if seen[0] != compartment:
                    problems.append(
                        (
                            (*path, "key_compartment_id"),
                            explicit or NOTHING,
                            Problem(
                                f"the key is also used by {seen[1]}; one key is in one compartment,"
                                " and each bucket's key policy would be written in its own",
                                f"set key_compartment_id: {seen[0] if explicit is None else compartment} on every"
                                " bucket of this key",
                            ),
                        )
                    )
        return problems

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
                        Problem(
                            f"its replica's Terraform address {address!r} is bucket {addresses[address]!r}'s",
                            "rename one of the two buckets",
                        ),
                    )
                )
            destination = (bucket.replication.region, bucket.replication.bucket_name(bucket.name))
            if destination in replicas:
                problems.append(
                    (
                        ("buckets", index, "replication", "bucket"),
                        destination[1],
                        Problem(
                            f"also the replica of {replicas[destination]!r} in {destination[0]}: OCI takes one source"
                            " per destination bucket",
                            "give each replica its own name (replication.bucket)",
                        ),
                    )
                )
            replicas.setdefault(destination, bucket.name)
        return problems


def _section_path(path: tuple[str | int, ...]) -> str:
    """A path inside a section as messages write it: `buckets[1].replication`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


class Environment(Model):
    """One environment: a stack per cloud section it has, at least one."""

    EXAMPLE: ClassVar[str] = "prod: {gcp: {...}, oci: {...}}"

    allow_destroy: bool = Field(
        default=False,
        description="Lets Terraform destroy stateful resources (repositories, buckets, logs); left false, they carry"
        " `lifecycle.prevent_destroy` and a plan that would destroy one fails. True for throw-away environments.",
    )
    backend: Backend = Field(
        default_factory=lambda: LocalBackend(type="local"),
        description="Where each stack keeps its Terraform state; `{type: local}` when left out.",
    )
    gcp: Gcp | None = Field(
        default=None,
        description="The environment's Google Cloud stack, `<env>-gcp`; none when left out.",
    )
    oci: Oci | None = Field(
        default=None,
        description="The environment's Oracle Cloud stack, `<env>-oci`; none when left out.",
    )

    def managed(self, places: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
        """(path, identity) of each thing this environment creates, by cloud; `places` names each
        cloud's naming place of this environment (AppConfig finds which environments share one)."""
        return [
            (f"{cloud}.{path}", (cloud, *identity))
            for cloud, section in self.sections().items()
            for path, identity in section.managed(places[cloud])
        ]

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
        if shared is not None and isinstance(self.backend, CloudBackend) and self.backend.workspace_tags:
            tag = self.backend.workspace_tags[0]
            fail(
                (
                    ("backend", "workspace_tags"),
                    list(self.backend.workspace_tags),
                    Problem(
                        f"the {' and '.join(sections)} stacks would pick among the same workspaces, and could share one"
                        " state",
                        f"make one tag per cloud with {{cloud}} in it (e.g. [{tag}, {tag}-{{cloud}}]), or use"
                        " workspace",
                    ),
                )
            )
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

    name: Annotated[str, rule(_check_name)] = Field(
        description="Names the policies, log groups, workspaces and state paths: up to 30 lowercase letters, digits and"
        " hyphens, starting with a letter."
    )
    environments: dict[Annotated[str, rule(_check_environment_name)], Environment] = Field(
        description="The environments by name (up to 20 lowercase letters, digits and hyphens, e.g. `prod`), at least"
        " one.",
    )

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
        owners: dict[tuple[str, ...], tuple[str, str]] = {}
        problems: list[Located] = []
        places = _places(self.environments)
        for env_name, environment in self.environments.items():
            for path, identity in environment.managed(places[env_name]):
                where = f"environments.{env_name}.{path}"
                first, first_env = owners.setdefault(identity, (where, env_name))
                if first != where:
                    cloud = identity[0]
                    section = environment.sections()[cloud]
                    why = section.same_place(self.environments[first_env].sections()[cloud])
                    problems.append(
                        (
                            ("environments", env_name, *_path_parts(path)),
                            identity[-1],
                            Problem(f"also managed by {first}{why}", section.SHARED_NAME_ADVICE),
                        )
                    )
        fail_if(problems)
        return self

    @model_validator(mode="after")
    def _one_owner_per_project_object(self) -> AppConfig:
        """Each project-wide object has one owning stack across the file (see `project_objects`)."""
        fail_if(project_owner_problems(self.environments))
        return self


def _places(environments: dict[str, Environment]) -> dict[str, dict[str, str]]:
    """Environment -> cloud -> a name of the place where its section's things are named, the same
    for sections whose marks (Section.place_marks) meet, directly or through another (union-find)."""
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def root(mark: tuple[str, ...]) -> tuple[str, ...]:
        while parent.setdefault(mark, mark) != mark:
            mark = parent[mark]
        return mark

    marks = {
        (env_name, cloud): [(cloud, *mark) for mark in section.place_marks()]
        for env_name, environment in environments.items()
        for cloud, section in environment.sections().items()
    }
    for found in marks.values():
        for mark in found[1:]:
            parent[root(mark)] = root(found[0])
    places: dict[str, dict[str, str]] = {name: {} for name in environments}
    for (env_name, cloud), found in marks.items():
        places[env_name][cloud] = ":".join(root(found[0])[1:])
    return places


def project_objects(gcp_section: Gcp) -> list[tuple[str, tuple[str, ...], str]]:
    """(path, identity, what) of each project-wide object a GCP stack manages: an enabled API,
    the Artifact Registry service agent, a CMEK key's or a private upstream's secret's grant to it,
    the audit config. Two stacks
    that manage one fight over it: destroying either revokes the key grant of the other (a member's
    delete subtracts it from the key's policy) or drops its audit config, and two `audit_logs`
    settings revert each other on every apply."""
    project = gcp_section.project
    found: list[tuple[str, tuple[str, ...], str]] = []
    if gcp_section.enable_apis:
        found.append(
            (
                "enable_apis",
                ("api", project, gcp.API_ARTIFACT_REGISTRY),
                f"the {gcp.API_ARTIFACT_REGISTRY} API of project {project}",
            )
        )
        for index, repository in enumerate(gcp_section.repositories):
            if repository.vulnerability_scanning == "enabled":
                found.append(
                    (
                        f"repositories[{index}].vulnerability_scanning",
                        ("api", project, gcp.API_CONTAINER_SCANNING),
                        f"the {gcp.API_CONTAINER_SCANNING} API of project {project}",
                    )
                )
    for index, repository in enumerate(gcp_section.repositories):
        if repository.kms_key_name:
            found.append(
                (
                    f"repositories[{index}].kms_key_name",
                    ("agent", project),
                    f"the Artifact Registry service agent of project {project}",
                )
            )
            found.append(
                (
                    f"repositories[{index}].kms_key_name",
                    ("key-grant", project, repository.kms_key_name),
                    f"the grant of key {repository.kms_key_name} to that agent",
                )
            )
        secret = repository.remote.secret if repository.remote is not None else None
        if secret is not None:
            found.append(
                (
                    f"repositories[{index}].remote.password_secret",
                    ("agent", project),
                    f"the Artifact Registry service agent of project {project}",
                )
            )
            found.append(
                (
                    f"repositories[{index}].remote.password_secret",
                    ("secret-grant", project, secret),
                    f"the grant of secret {secret} to that agent",
                )
            )
    if gcp_section.audit_logs is not None:
        found.append(
            ("audit_logs", ("audit-config", project), f"the Artifact Registry audit config of project {project}")
        )
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
                            f"manage it in one of {first} and {env_name}: give each its own project, or set"
                            " enable_apis: false,"
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
