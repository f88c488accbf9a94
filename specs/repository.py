"""What a user chooses for one Artifact Registry repository of model versions.

Field names are the config file's keys; a field's default is the behaviour you
get without the key. The construct (constructs/model_registry_repository.py)
turns a spec into resources; where a field feeds a provider argument of another
name, its description says which.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from rules import gcp
from rules.problems import NOTHING, Hidden, Problem, at_most, duplicates
from specs.base import ListOf, Located, Model, fail, fail_if, rule

FORMATS = ("generic", "docker", "kfp", "python")
"""Formats that hold models: files, serving images, Kubeflow pipelines, Python packages."""


def _format(value: str) -> Problem | None:
    if value.lower() in FORMATS:
        return None
    return Problem("not a supported format", "use one of: " + ", ".join(FORMATS) + " (any case)")


def _number_for_a_duration(value: object) -> object:
    """A bare number (`90`) says nothing of its unit: ask for one rather than "wrong type"."""
    if isinstance(value, int) and not isinstance(value, bool):
        fail(
            (
                (),
                value,
                Problem(
                    "not a duration: a number without a unit",
                    f"write the unit after it, e.g. {value}d for days (or s, m, h)",
                ),
            )
        )
    return value


RepositoryId = Annotated[str, rule(gcp.check_repository_id)]
KeepCount = Annotated[
    int, Field(ge=1), rule(at_most(gcp.MAX_KEEP_COUNT, "Artifact Registry's keepCount is a 32-bit integer"))
]
"""How many recent versions a KEEP policy keeps: 1 to the API's 32-bit `keepCount`."""
_HOW = {
    "remote": "add remote: {upstream: pypi} (or docker-hub, or custom with its url)",
    "virtual": "add virtual: {upstreams: [{id: <repository>, priority: 100}]}",
}
Duration = Annotated[str, BeforeValidator(_number_for_a_duration), rule(gcp.check_duration)]
TagPrefix = Annotated[str, rule(gcp.check_tag_prefix)]
PackagePrefix = Annotated[str, rule(gcp.check_package_prefix)]
Members = ListOf[str]


class PackageCleanupSpec(Model):
    """Cleanup of the packages whose names start with one of `prefixes` (a model per package:
    `fraud-detector`, `fraud-scorer`), on top of the repository's own: a version is deleted when a
    DELETE matches it and no KEEP does, whichever entry they come from."""

    EXAMPLE: ClassVar[str] = "{prefixes: [fraud-], keep_latest: 5, delete_older_than: 90d}"

    prefixes: ListOf[PackagePrefix] = Field(
        description="Package name prefixes, at least one (`fraud-` matches `fraud-detector`); becomes"
        " `package_name_prefixes` of the entry's policies.",
    )
    keep_latest: KeepCount | None = Field(
        default=None,
        description="Keeps the N most recent versions of each of these packages however old (a KEEP policy with"
        " `most_recent_versions`); left out, the repository's `keep_latest` alone keeps theirs.",
    )
    delete_older_than: Duration | None = Field(
        default=None,
        description="Deletes versions of these packages older than this (`90d`; a DELETE policy with"
        " `condition.package_name_prefixes`), whatever the repository's `delete_older_than`; left out, only that"
        " one deletes theirs. One of `keep_latest` and `delete_older_than` at least.",
    )

    @model_validator(mode="after")
    def _does_something(self) -> PackageCleanupSpec:
        problems: list[Located] = []
        if not self.prefixes:
            problems.append((("prefixes",), [], Problem("no package prefix", "list at least one, e.g. [fraud-]")))
        for prefix in duplicates(self.prefixes):
            problems.append((("prefixes",), prefix, Problem("prefix listed twice", "list each prefix once")))
        if self.keep_latest is None and self.delete_older_than is None:
            problems.append(
                (
                    (),
                    "{...}",
                    Problem("an entry that neither keeps nor deletes", "set keep_latest, delete_older_than or both"),
                )
            )
        fail_if(problems)
        return self

    def policies(self, number: int, tag_state: str) -> list[gcp.CleanupPolicy]:
        """The entry's policies, ids numbered by its place in `packages` (1-based)."""
        policies = []
        if self.delete_older_than is not None:
            seconds = gcp.parse_duration(self.delete_older_than)
            assert seconds is not None, "checked by the validators"
            policies.append(
                gcp.CleanupPolicy(
                    f"packages-{number}-delete-older",
                    "DELETE",
                    tag_state=tag_state,
                    older_than_seconds=seconds,
                    package_prefixes=self.prefixes,
                )
            )
        if self.keep_latest is not None:
            policies.append(
                gcp.CleanupPolicy(
                    f"packages-{number}-keep-latest",
                    "KEEP",
                    keep_count=self.keep_latest,
                    package_prefixes=self.prefixes,
                )
            )
        return policies

    def describe(self, tag_state: str, repository_keeps_latest: bool) -> str:
        """What the entry does, saying plainly what a DELETE that no keep_latest limits deletes."""
        packages = f"packages starting {' or '.join(self.prefixes)}"
        versions = "" if tag_state == "any" else f"{tag_state} "
        if self.delete_older_than is None:
            return f"keep the latest {self.keep_latest} of each of {packages}"
        if self.keep_latest is not None:
            return (
                f"delete {versions}versions of {packages} older than {self.delete_older_than}"
                f" but the latest {self.keep_latest} of each"
            )
        latest = "" if repository_keeps_latest else ", their latest versions too"
        return f"delete every {versions}version of {packages} older than {self.delete_older_than}{latest}"


class CleanupSpec(Model):
    """Cleanup of old versions: those older than `delete_older_than` are deleted, but for what a
    keep option keeps. Becomes `cleanup_policies` (a DELETE policy, and a KEEP policy per keep
    option: KEEP wins over DELETE) and `cleanup_policy_dry_run`."""

    EXAMPLE: ClassVar[str] = "cleanup: {delete_older_than: 90d, keep_latest: 5}"

    dry_run: bool = Field(
        default=True,
        description="Only logs what would be deleted, a safe first rollout; true unless set to false, which deletes.",
    )
    keep_latest: KeepCount | None = Field(
        default=None,
        description="Keeps the N most recent versions of each package however old (1 to 2147483647, the API's 32-bit"
        " `keepCount`); left out, age alone decides.",
    )
    delete_older_than: Duration | None = Field(
        default=None,
        description="Deletes versions older than this: a whole number with `s`, `m`, `h` or `d`, e.g. `90d` (emitted in"
        " seconds), up to `3652500d`. Required: a cleanup without it deletes nothing.",
    )
    delete_tag_state: gcp.TagState = Field(
        default="any",
        description="Which old versions are deleted: `any` (the default) whether tagged or not, `tagged`, or `untagged`"
        " (then a tag keeps a version).",
    )
    keep_tag_prefixes: ListOf[TagPrefix] = Field(
        default=(),
        description="Tag prefixes (`prod`, `release-`) whose versions are never deleted however old; none when left"
        " out. Not with `delete_tag_state: untagged`, which never deletes a tagged version.",
    )
    packages: ListOf[PackageCleanupSpec] = Field(
        default=(),
        description="Cleanup per group of packages by name prefix (`[{prefixes: [fraud-], keep_latest: 5,"
        " delete_older_than: 90d}]`), up to 10 policies in all with the repository's own; none when left out.",
    )

    @model_validator(mode="after")
    def _deletes_something(self) -> CleanupSpec:
        problems: list[Located] = []
        # Optional in the type so that a missing value gets this message, not "missing".
        if self.delete_older_than is None and all(entry.delete_older_than is None for entry in self.packages):
            problems.append(
                (
                    ("delete_older_than",),
                    NOTHING,
                    Problem(
                        "a cleanup without delete_older_than deletes nothing (KEEP rules only protect versions)",
                        "set delete_older_than (here or in an entry of packages), e.g. 90d, or remove cleanup",
                    ),
                )
            )
        for prefix in duplicates(self.keep_tag_prefixes):
            problems.append((("keep_tag_prefixes",), prefix, Problem("prefix listed twice", "list each prefix once")))
        if self.keep_tag_prefixes and self.delete_tag_state == "untagged":
            problems.append(
                (
                    ("keep_tag_prefixes",),
                    list(self.keep_tag_prefixes),
                    Problem(
                        "keeps tagged versions, which a cleanup with delete_tag_state: untagged never deletes",
                        "remove keep_tag_prefixes, or use delete_tag_state: any or tagged",
                    ),
                )
            )
        fail_if(problems)
        problem = gcp.check_cleanup_policies(self.policies())
        if problem is not None:
            fail(((), "cleanup", problem))
        return self

    @property
    def delete_after_seconds(self) -> int:
        seconds = gcp.parse_duration(self.delete_older_than or "")
        assert seconds is not None, "checked by the validators"
        return seconds

    def policies(self) -> list[gcp.CleanupPolicy]:
        """The repository's cleanup policies, in the order they are emitted."""
        packages = [
            policy
            for number, entry in enumerate(self.packages, 1)
            for policy in entry.policies(number, self.delete_tag_state.upper())
        ]
        if self.delete_older_than is None and not packages:
            return []
        policies = (
            [
                gcp.CleanupPolicy(
                    "delete-older-versions",
                    "DELETE",
                    tag_state=self.delete_tag_state.upper(),
                    older_than_seconds=self.delete_after_seconds,
                )
            ]
            if self.delete_older_than is not None
            else []
        )
        if self.keep_latest is not None:
            policies.append(gcp.CleanupPolicy("keep-latest-versions", "KEEP", keep_count=self.keep_latest))
        if self.keep_tag_prefixes:
            policies.append(
                gcp.CleanupPolicy(
                    "keep-tagged-prefixes", "KEEP", tag_state="TAGGED", tag_prefixes=self.keep_tag_prefixes
                )
            )
        return policies + packages


class IamSpec(Model):
    """Who may read, write and administer the repository. A member is `user:`, `serviceAccount:`,
    `group:`, `domain:`, `principal://` or `principalSet://`."""

    EXAMPLE: ClassVar[str] = "iam: {mode: additive, readers: [serviceAccount:serving@acme-ml.iam.gserviceaccount.com]}"

    mode: Literal["authoritative", "additive"] = Field(
        default="authoritative",
        description="`authoritative` (the default): one policy that owns the repository's IAM, so grants made elsewhere"
        " are removed. `additive`: one grant per member and role, other grants left alone.",
    )
    readers: Members = Field(
        default=(),
        description="Members granted `roles/artifactregistry.reader` (pull); none when left out.",
    )
    writers: Members = Field(
        default=(),
        description="Members granted `roles/artifactregistry.writer` (push and pull); none when left out.",
    )
    admins: Members = Field(
        default=(),
        description="Members granted `roles/artifactregistry.repoAdmin`; none when left out.",
    )
    allow_public: bool = Field(
        default=False,
        description="`allUsers` and `allAuthenticatedUsers` are refused unless this is true, which makes the"
        " repository public.",
    )
    replace_existing_grants: bool = Field(
        default=False,
        description="The opt-in that `adopt: true` with `mode: authoritative` needs, since its first apply removes"
        " every grant the repository has now (check them with `gcloud artifacts repositories"
        " get-iam-policy`); refused anywhere else.",
    )

    def bindings(self) -> dict[str, tuple[str, ...]]:
        """Role -> members, non-empty roles only."""
        by_role = {gcp.ROLE_READER: self.readers, gcp.ROLE_WRITER: self.writers, gcp.ROLE_REPO_ADMIN: self.admins}
        return {role: members for role, members in by_role.items() if members}

    @model_validator(mode="after")
    def _members(self) -> IamSpec:
        problems: list[Located] = []
        for role in ("readers", "writers", "admins"):
            members: tuple[str, ...] = getattr(self, role)
            for index, member in enumerate(members):
                problem = gcp.check_member(member, allow_public=self.allow_public)
                if problem is not None:
                    problems.append(((role, index), member, problem))
            for member in duplicates(members):
                problems.append(((role,), member, Problem("member listed twice", "list each member once")))
        if self.mode == "authoritative" and not (self.readers or self.writers or self.admins):
            # It would strip every grant, the admins' included.
            problems.append(
                (
                    ("mode",),
                    self.mode,
                    Problem(
                        "an authoritative policy with no readers, writers or admins would remove every"
                        " existing grant on the repository, its admins' included",
                        "list at least one member, use mode: additive, or remove iam to leave grants alone",
                    ),
                )
            )
        fail_if(problems)
        return self


ProjectId = Annotated[str, rule(gcp.check_project_id)]


class ServingSpec(Model):
    """Runtimes of other projects (or this one) that read the repository's models as their
    Google-managed service agents: each gets `roles/artifactregistry.reader` on it, through the
    repository's IAM (inside the one policy with `iam.mode: authoritative`)."""

    EXAMPLE: ClassVar[str] = "serving: {vertex_ai: [acme-ml-serving], cloud_run: [acme-web]}"

    vertex_ai: ListOf[ProjectId] = Field(
        default=(),
        description="Project IDs whose Vertex AI service agents read: `service-<number>@gcp-sa-aiplatform` (serving"
        " containers) and `@gcp-sa-aiplatform-cc` (custom training), the number read with"
        " `data.google_project`; none when left out.",
    )
    cloud_run: ListOf[ProjectId] = Field(
        default=(),
        description="Project IDs whose Cloud Run service agents read (`service-<number>@serverless-robot-prod`), the"
        " number read with `data.google_project`; none when left out.",
    )

    @model_validator(mode="after")
    def _names_someone(self) -> ServingSpec:
        problems: list[Located] = [
            ((runtime,), project, Problem("project listed twice", "list each project once"))
            for runtime in gcp.SERVING_AGENTS
            for project in duplicates(getattr(self, runtime))
        ]
        if not (self.vertex_ai or self.cloud_run):
            problems.append(
                ((), "{}", Problem("no runtime reads", "list projects under vertex_ai or cloud_run, or remove serving"))
            )
        fail_if(problems)
        return self

    def projects(self) -> list[tuple[str, str]]:
        """(runtime, project ID) for each, in the order of gcp.SERVING_AGENTS."""
        return [(runtime, project) for runtime in gcp.SERVING_AGENTS for project in getattr(self, runtime)]


def _name_or_hidden(value: str) -> object:
    """A password_secret as an error may show it: what is not shaped like a resource name is most
    likely the password itself."""
    return value if value.startswith("projects/") else Hidden()


class RemoteSpec(Model):
    """A remote repository: a cache of another registry, e.g. the dependencies of training
    images, public or the organisation's own. Becomes `remote_repository_config`."""

    EXAMPLE: ClassVar[str] = "remote: {upstream: pypi}"

    upstream: Literal["pypi", "docker-hub", "custom"] = Field(
        description="The registry cached: `pypi` (a python repository) or `docker-hub` (docker), written as the"
        " provider's preset (google 7.0 dropped its default); `custom` (python or docker) a registry of yours at"
        " `url` (`custom_repository.uri`).",
    )
    url: Annotated[str, rule(gcp.check_upstream_url, shown=gcp.without_userinfo)] | None = Field(
        default=None,
        description="With `upstream: custom` only, and then required: the registry's https address (a pip index such"
        " as `https://pypi.example.com/simple`, or a docker registry). Plain http is refused.",
    )
    username: str | None = Field(
        default=None,
        description="The account Artifact Registry signs in to the upstream with (`upstream_credentials`), with"
        " `custom` or `docker-hub`; with `password_secret`, never without it.",
    )
    password_secret: Annotated[str, rule(gcp.check_secret_version, shown=_name_or_hidden)] | None = Field(
        default=None,
        description="The Secret Manager version holding that account's password or token"
        " (`projects/<project>/secrets/<secret>/versions/<number>`), never the password itself. The repository's"
        " Artifact Registry service agent is granted `roles/secretmanager.secretAccessor` on the secret before the"
        " repository is made. A new version number is an edit: on google 6.50 (CDKTF) it replaces the repository"
        " (its cache is emptied), on google 7.38 and later (CDK Terrain) it updates it.",
    )

    @model_validator(mode="after")
    def _custom_and_credentials(self) -> RemoteSpec:
        problems: list[Located] = []
        if self.upstream == "custom" and self.url is None:
            problems.append((("url",), NOTHING, Problem("a custom upstream needs its address", "add url: https://...")))
        if self.upstream != "custom" and self.url is not None:
            problems.append(
                (
                    ("url",),
                    self.url,
                    Problem(
                        f"only for upstream: custom, this one is {self.upstream}", "remove url, or set upstream: custom"
                    ),
                )
            )
        if (self.username is None) != (self.password_secret is None):
            given, missing = (
                ("username", "password_secret") if self.password_secret is None else ("password_secret", "username")
            )
            problems.append(
                ((missing,), NOTHING, Problem(f"{given} without {missing}", f"give both, or remove {given}"))
            )
        if self.username is not None and self.upstream not in gcp.CREDENTIALED_UPSTREAMS:
            problems.append(
                (
                    ("username",),
                    self.username,
                    Problem(
                        f"{self.upstream} takes no credentials here",
                        "use them with upstream: " + " or ".join(gcp.CREDENTIALED_UPSTREAMS),
                    ),
                )
            )
        fail_if(problems)
        return self

    @property
    def secret(self) -> str | None:
        """The secret `password_secret` is a version of: what the service agent is granted."""
        return gcp.secret_of(self.password_secret) if self.password_secret else None


class UpstreamSpec(Model):
    """One repository a virtual repository serves from."""

    EXAMPLE: ClassVar[str] = "{id: models, priority: 100}"

    id: Annotated[str, rule(gcp.check_upstream_id)] = Field(
        description="A standard or remote repository of the same environment and format (not a path: upstreams"
        " in another project or location are not supported)."
    )
    priority: Annotated[
        int, Field(ge=1), rule(at_most(gcp.MAX_PRIORITY, "an upstream policy's priority is a 32-bit integer"))
    ] = Field(
        description="1 to 2147483647, one per upstream: the greater is tried first.",
    )


class VirtualSpec(Model):
    """A virtual repository: one address in front of standard or remote repositories of its
    environment and format, e.g. one pip index serving internal model packages first and PyPI
    second. Becomes `virtual_repository_config.upstream_policies`."""

    EXAMPLE: ClassVar[str] = "virtual: {upstreams: [{id: models, priority: 100}]}"

    upstreams: ListOf[UpstreamSpec] = Field(
        description="1 to 30 repositories it serves from. Grants on the virtual repository apply to everything read"
        " through it, whatever its upstreams' own IAM."
    )

    @model_validator(mode="after")
    def _upstreams(self) -> VirtualSpec:
        problems: list[Located] = []
        if not self.upstreams:
            problems.append(
                (
                    ("upstreams",),
                    [],
                    Problem("no upstream", "list at least one: the API refuses a virtual repository without"),
                )
            )
        if len(self.upstreams) > gcp.MAX_UPSTREAMS:
            problems.append(
                (
                    ("upstreams",),
                    len(self.upstreams),
                    Problem("too many upstreams", f"use at most {gcp.MAX_UPSTREAMS}, Artifact Registry's limit"),
                )
            )
        for repeated in duplicates([upstream.id for upstream in self.upstreams]):
            problems.append((("upstreams",), repeated, Problem("upstream listed twice", "list each repository once")))
        for priority in duplicates([upstream.priority for upstream in self.upstreams]):
            problems.append(
                (
                    ("upstreams",),
                    priority,
                    Problem(
                        "two upstreams with one priority", "give each its own: the greater priority is tried first"
                    ),
                )
            )
        fail_if(problems)
        return self


class RepositorySpec(Model):
    """One Artifact Registry repository for model versions (`google_artifact_registry_repository`)."""

    EXAMPLE: ClassVar[str] = "{id: models, format: generic}"

    id: RepositoryId = Field(
        description="The repository ID (`repository_id`, 1 to 63 lowercase letters, digits and hyphens), once per"
        " project and region. It is also the Terraform address: a new id is a new repository.",
    )
    # Lower case from here on, whatever case the file has; the provider takes `api_format`.
    format: Annotated[str, rule(_format), AfterValidator(str.lower)] = Field(
        default="generic",
        description="`generic` (the default: model files such as .pt, .onnx, .safetensors, tarballs), `docker` (serving"
        " images), `kfp` (Kubeflow pipelines) or `python`, in any case.",
    )
    mode: Literal["standard", "remote", "virtual"] = Field(
        default="standard",
        description="`standard` (the default) stores versions; `remote` caches a public registry (with `remote`);"
        " `virtual` is one address in front of other repositories (with `virtual`). Remote and virtual:"
        " docker or python.",
    )
    remote: RemoteSpec | None = Field(
        default=None,
        description="The registry a `mode: remote` repository caches; only with that mode.",
    )
    virtual: VirtualSpec | None = Field(
        default=None,
        description="The upstreams of a `mode: virtual` repository; only with that mode.",
    )
    description: str | None = Field(default=None, description="Text shown with the repository; none when left out.")
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="GCP labels: lowercase keys and values of up to 63 characters (the provider adds"
        " `goog-terraform-provisioned`); none when left out.",
    )
    kms_key_name: str | None = Field(
        default=None,
        description="A Cloud KMS key, `projects/P/locations/L/keyRings/R/cryptoKeys/K` with `L` the region, that"
        " encrypts the repository (fixed at creation); Google-managed encryption when left out. The"
        " Artifact Registry service agent is made and granted `roles/cloudkms.cryptoKeyEncrypterDecrypter`"
        " on it first. Not on a virtual repository.",
    )
    immutable_tags: bool = Field(
        default=False,
        description="Docker tags that can't be moved or deleted once pushed; mutable tags unless true. Standard docker"
        " repositories only.",
    )
    vulnerability_scanning: Literal["enabled", "inherited", "disabled"] | None = Field(
        default=None,
        description="`enabled` scans what is pushed from then on: the repository's scanning on (`INHERITED`) and the"
        " Container Scanning API enabled in the project, each scan billed; `inherited` turns the repository's"
        " scanning on but leaves the API to the project (scanned only while it is on); `disabled` never"
        " scans. Left out, a docker repository follows the project's API and a python one is not scanned."
        " Docker and python only (Artifact Analysis scans no kfp or generic files), not virtual.",
    )
    cleanup: CleanupSpec | None = Field(
        default=None,
        description="Deletes old versions; left out, nothing is ever deleted. Not on a virtual repository (it stores"
        " nothing).",
    )
    iam: IamSpec | None = Field(
        default=None,
        description="Who may read, write and administer it; left out, no IAM resource is made and grants made"
        " elsewhere stay.",
    )
    adopt: bool = Field(
        default=False,
        description="Takes over an existing repository with an `import` block instead of creating it; off unless true.",
    )
    serving: ServingSpec | None = Field(
        default=None,
        description="Vertex AI and Cloud Run of the projects listed read the repository as their service agents"
        " (`roles/artifactregistry.reader`); none when left out.",
    )

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        problems: list[Located] = [
            ((key,), got, problem)
            for key, value in labels.items()
            for got, problem in ((key, gcp.check_label_key(key)), (value, gcp.check_label_value(value)))
            if problem is not None
        ]
        count = gcp.check_label_count(labels)
        if count is not None:
            problems.append(((), len(labels), count))
        fail_if(problems)
        return labels

    @field_validator("kms_key_name")
    @classmethod
    def _kms_key_name(cls, value: str | None) -> str | None:
        # The location must match the repository's: `location_problems` checks it with the region.
        problem = gcp.check_kms_key_name(value) if value is not None else None
        if problem is not None:
            fail(((), value, problem))
        return value

    @model_validator(mode="after")
    def _docker_only(self) -> RepositorySpec:
        problem = gcp.check_docker_only(self.format)
        problems: list[Located] = []
        if problem is not None and self.immutable_tags:
            problems.append((("immutable_tags",), True, problem))
        unscanned = gcp.check_scannable(self.format)
        if unscanned is not None and self.vulnerability_scanning is not None:
            problems.append((("vulnerability_scanning",), self.vulnerability_scanning, unscanned))
        fail_if(problems)
        return self

    @model_validator(mode="after")
    def _mode(self) -> RepositorySpec:
        """The block of the mode, and only there; what a repository that stores nothing refuses."""
        problems: list[Located] = []
        for block in ("remote", "virtual"):
            given = getattr(self, block) is not None
            if given and self.mode != block:
                problems.append(
                    (
                        (block,),
                        "{...}",
                        Problem(
                            f"only for mode: {block}, this repository is {self.mode}",
                            f"set mode: {block}, or remove {block}",
                        ),
                    )
                )
            if self.mode == block and not given:
                problems.append(
                    ((block,), NOTHING, Problem(f"a {block} repository needs its {block} block", _HOW[block]))
                )
        if self.remote is not None:
            problem = gcp.check_remote_upstream(self.remote.upstream, self.format)
            if problem is not None:
                problems.append((("remote", "upstream"), self.remote.upstream, problem))
        elif self.mode != "standard" and self.format not in ("docker", "python"):
            problems.append(
                (
                    ("format",),
                    self.format,
                    Problem(f"no {self.mode} repositories of this format here", "use format: docker or python"),
                )
            )
        if self.mode != "standard" and self.immutable_tags:
            problems.append(
                (
                    ("immutable_tags",),
                    True,
                    Problem(f"only for standard repositories, this one is {self.mode}", "remove it"),
                )
            )
        if self.mode == "virtual":
            # A virtual repository stores nothing: nothing to clean up, encrypt or scan.
            for field, value in (
                ("cleanup", self.cleanup),
                ("kms_key_name", self.kms_key_name),
                ("vulnerability_scanning", self.vulnerability_scanning),
            ):
                if value is not None:
                    problems.append(
                        (
                            (field,),
                            "{...}" if field == "cleanup" else value,
                            Problem("a virtual repository stores nothing", f"set {field} on its upstreams"),
                        )
                    )
        fail_if(problems)
        return self

    @model_validator(mode="after")
    def _adopted_grants(self) -> RepositorySpec:
        """An authoritative policy on a repository taken over replaces the grants it has:
        say so before the first apply does it."""
        iam = self.iam
        if iam is None:
            return self
        replaces = self.adopt and iam.mode == "authoritative"
        if replaces and not iam.replace_existing_grants:
            fail(
                (
                    ("iam", "mode"),
                    iam.mode,
                    Problem(
                        "on an adopted repository, an authoritative policy removes every grant the repository has now"
                        " (CI accounts, other teams) on the first apply",
                        "check them (gcloud artifacts repositories get-iam-policy), then set"
                        " iam.replace_existing_grants: true;"
                        " or use mode: additive",
                    ),
                )
            )
        if iam.replace_existing_grants and not replaces:
            fail(
                (
                    ("iam", "replace_existing_grants"),
                    True,
                    Problem(
                        "replaces nothing here", "it is the opt-in of adopt: true with mode: authoritative; remove it"
                    ),
                )
            )
        return self

    @property
    def docker(self) -> bool:
        return self.format == "docker"

    @property
    def api_format(self) -> str:
        """`format` as the provider takes it: DOCKER, PYTHON, KFP, GENERIC."""
        return self.format.upper()

    def describe(self) -> list[str]:
        """What this repository becomes, for `make check` and the synth summary, in one line."""
        parts = [f"{self.mode} {self.format.lower()}" + (", immutable tags" if self.immutable_tags else "")]
        if self.remote is not None:
            parts.append(f"caches {self.remote.url or self.remote.upstream}")
            if self.remote.username is not None:
                parts.append(f"signs in as {self.remote.username} (password in {self.remote.password_secret})")
        if self.virtual is not None:
            parts.append(
                "serves "
                + ", ".join(f"{u.id} ({u.priority})" for u in sorted(self.virtual.upstreams, key=lambda u: -u.priority))
            )
        if self.cleanup is not None:
            cleanup = self.cleanup
            keeps = ([f"keep latest {cleanup.keep_latest}"] if cleanup.keep_latest else []) + (
                [f"keep tags starting {' or '.join(cleanup.keep_tag_prefixes)}"] if cleanup.keep_tag_prefixes else []
            )
            rules = (
                [f"delete {cleanup.delete_tag_state} versions older than {cleanup.delete_older_than}"]
                if cleanup.delete_older_than
                else []
            )
            rules += keeps + [
                entry.describe(cleanup.delete_tag_state, cleanup.keep_latest is not None) for entry in cleanup.packages
            ]
            parts.append(f"cleanup{' (dry run: deletes nothing)' if cleanup.dry_run else ''}: " + ", ".join(rules))
        elif self.mode != "virtual":
            parts.append("no cleanup")
        if self.mode != "virtual":
            parts.append(f"key {self.kms_key_name}" if self.kms_key_name else "Google-managed key")
        if self.vulnerability_scanning is not None:
            parts.append(f"vulnerability scanning {self.vulnerability_scanning}")
        if self.iam is not None:
            count = sum(len(members) for members in self.iam.bindings().values())
            parts.append(f"IAM {self.iam.mode}, {count} member{'s' if count != 1 else ''}")
        else:
            parts.append("no IAM (grants made elsewhere stay)")
        if self.serving is not None:
            names = {"vertex_ai": "Vertex AI", "cloud_run": "Cloud Run"}
            parts.append(
                "read by " + ", ".join(f"{names[runtime]} of {project}" for runtime, project in self.serving.projects())
            )
        parts.append("adopted (import block)" if self.adopt else "created, not imported")
        return [f"repository {self.id}: " + "; ".join(parts)]

    def upstream_problems(self, others: dict[str, RepositorySpec]) -> list[Located]:
        """What this virtual repository breaks in an environment whose repositories are `others`."""
        if self.virtual is None:
            return []
        problems: list[Located] = []
        for index, upstream in enumerate(self.virtual.upstreams):
            found = others.get(upstream.id) if upstream.id != self.id else None
            problem = (
                Problem("this repository itself", "name another repository")
                if upstream.id == self.id
                else gcp.check_virtual_upstream(
                    self.format, found.format if found else None, found.mode if found else None
                )
            )
            if problem is not None:
                problems.append((("virtual", "upstreams", index, "id"), upstream.id, problem))
        return problems

    def location_problems(self, location: str) -> list[Located]:
        """What this repository breaks when it is made in `location`."""
        if self.kms_key_name is None:
            return []
        problem = gcp.check_kms_key_name(self.kms_key_name, location)
        return [(("kms_key_name",), self.kms_key_name, problem)] if problem else []
