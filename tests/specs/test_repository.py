"""specs/repository.py: the defaults a user gets, and one test per rule of a repository.

Messages are the ones a config file shows, with paths inside the spec (the loader
puts `environments.<env>.gcp.repositories[N].` in front: tests/config).
"""

from __future__ import annotations

from typing import Any

import pytest

from rules import gcp
from specs.repository import CleanupSpec, IamSpec, RepositorySpec
from tests.conftest import spec_problems

SA = "serviceAccount:serving@acme-ml-dev.iam.gserviceaccount.com"


def problems(**fields: Any) -> list[str]:
    return spec_problems(RepositorySpec, {"id": "models", **fields})


def only_problem(**fields: Any) -> str:
    (line,) = problems(**fields)
    return line


def test_minimal_repository_gets_secure_defaults() -> None:
    spec = RepositorySpec.model_validate({"id": "models"})
    assert spec.format == "generic"
    assert (spec.description, spec.labels, spec.kms_key_name) == (None, {}, None)
    assert spec.immutable_tags is False and spec.vulnerability_scanning is None
    assert spec.cleanup is None and spec.iam is None and spec.adopt is False


def test_cleanup_defaults_to_dry_run_and_no_keep_rule() -> None:
    cleanup = CleanupSpec.model_validate({"delete_older_than": "90d"})
    assert cleanup.dry_run is True and cleanup.keep_latest is None
    assert cleanup.delete_after_seconds == 7776000


def test_iam_defaults_to_authoritative_and_private() -> None:
    iam = IamSpec.model_validate({"readers": [SA]})
    assert iam.mode == "authoritative" and iam.allow_public is False
    assert iam.bindings() == {"roles/artifactregistry.reader": (SA,)}


def test_format_is_accepted_in_any_case_and_kept_in_lower_case() -> None:
    spec = RepositorySpec.model_validate({"id": "models", "format": "DoCkEr", "immutable_tags": True})
    assert (spec.format, spec.api_format, spec.docker) == ("docker", "DOCKER", True)


def test_specs_are_frozen() -> None:
    spec = RepositorySpec.model_validate({"id": "models"})
    with pytest.raises(ValueError, match="frozen"):
        spec.id = "other"  # type: ignore[misc]


def test_rejects_bad_id() -> None:
    assert only_problem(id="models-").startswith("id: not a repository ID (got 'models-'); use 1 to 63 lowercase")


def test_rejects_unsupported_format() -> None:
    assert only_problem(format="maven") == "format: not a supported format (got 'maven'); use one of: generic, docker, kfp, python (any case)"


def test_rejects_bad_label_key_and_value_at_once() -> None:
    assert problems(labels={"Team": "ml", "team": "ML Platform"}) == [
        "labels.Team: not a GCP label key (got 'Team'); use up to 63 lowercase letters, digits, _ and -, starting with a letter",
        "labels.team: not a GCP label value (got 'ML Platform'); use up to 63 lowercase letters, digits, _ and -",
    ]


def test_rejects_bad_kms_key_name() -> None:
    assert only_problem(kms_key_name="my-key").startswith("kms_key_name: not a Cloud KMS key name (got 'my-key')")


def test_kms_key_location_is_checked_against_the_repository_location() -> None:
    key = "projects/sec/locations/europe-west4/keyRings/ml/cryptoKeys/models"
    spec = RepositorySpec.model_validate({"id": "models", "kms_key_name": key})
    ((path, got, problem),) = spec.location_problems("us-central1")
    assert (path, got) == (("kms_key_name",), key)
    assert problem.problem == "key is in location 'europe-west4', the repository in 'us-central1'"
    assert spec.location_problems("europe-west4") == []


def test_rejects_docker_settings_on_other_formats() -> None:
    assert only_problem(format="generic", immutable_tags=True) == (
        "immutable_tags: only for docker repositories, this one is generic (got true); remove it or use format: docker"
    )


@pytest.mark.parametrize("format_", ["docker", "python"])
@pytest.mark.parametrize("scanning", ["enabled", "inherited", "disabled"])
def test_scanning_is_for_images_and_python_packages(format_: str, scanning: str) -> None:
    assert RepositorySpec.model_validate({"id": "m", "format": format_, "vulnerability_scanning": scanning}).vulnerability_scanning == scanning


@pytest.mark.parametrize("format_", ["kfp", "generic"])
def test_scanning_is_refused_where_nothing_is_scanned(format_: str) -> None:
    assert only_problem(format=format_, vulnerability_scanning="enabled").startswith(f"vulnerability_scanning: Artifact Analysis scans docker images and python packages, not {format_} repositories (got 'enabled')")


def test_rejects_unknown_vulnerability_scanning() -> None:
    assert only_problem(format="docker", vulnerability_scanning="on") == (
        "vulnerability_scanning: not an allowed value (got 'on'); use one of: enabled, inherited, disabled"
    )


def test_rejects_bad_duration() -> None:
    assert only_problem(cleanup={"delete_older_than": "1.5h"}) == (
        "cleanup.delete_older_than: not a duration (got '1.5h'); use a whole number above 0 with s, m, h or d, e.g. 90d"
    )


def test_rejects_keep_latest_below_one() -> None:
    assert only_problem(cleanup={"keep_latest": 0, "delete_older_than": "90d"}) == (
        "cleanup.keep_latest: too small (got 0); use a whole number >= 1"
    )


def test_rejects_cleanup_that_deletes_nothing() -> None:
    assert only_problem(cleanup={"keep_latest": 3}) == (
        "cleanup.delete_older_than: a cleanup without delete_older_than deletes nothing (KEEP rules only protect versions)"
        " (got nothing); set delete_older_than (here or in an entry of packages), e.g. 90d, or remove cleanup"
    )
    assert only_problem(cleanup={"packages": [{"prefixes": ["fraud-"], "keep_latest": 5}]}).startswith(
        "cleanup.delete_older_than: a cleanup without delete_older_than deletes nothing"
    )


def test_rejects_bad_member() -> None:
    assert only_problem(iam={"mode": "additive", "readers": ["bob@acme.example"]}).startswith(
        "iam.readers[0]: not an IAM member (got 'bob@acme.example'); use user:EMAIL,"
    )


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers"])
def test_rejects_public_members_unless_allowed(member: str) -> None:
    assert only_problem(iam={"writers": [member]}) == (
        f"iam.writers[0]: makes the repository public (got {member!r}); remove it, or set allow_public: true if the models really are public"
    )
    assert IamSpec.model_validate({"writers": [member], "allow_public": True})


def test_rejects_member_listed_twice() -> None:
    assert only_problem(iam={"admins": [SA, SA]}) == f"iam.admins: member listed twice (got {SA!r}); list each member once"


def test_rejects_authoritative_policy_with_no_member() -> None:
    assert only_problem(iam={"mode": "authoritative"}).startswith(
        "iam.mode: an authoritative policy with no readers, writers or admins would remove every existing grant"
    )
    assert IamSpec.model_validate({"mode": "additive"})


def test_rejects_unknown_iam_mode() -> None:
    assert only_problem(iam={"mode": "merge", "readers": [SA]}) == (
        "iam.mode: not an allowed value (got 'merge'); use one of: authoritative, additive"
    )


def test_rejects_unknown_key_listing_the_allowed_ones() -> None:
    assert only_problem(desc="x") == (
        "desc: unknown key (got 'x'); allowed keys: id, format, mode, remote, virtual, description, labels, kms_key_name,"
        " immutable_tags, vulnerability_scanning, cleanup, iam, adopt, serving"
    )


def test_numbers_are_bounded_by_what_the_api_takes() -> None:
    assert only_problem(cleanup={"delete_older_than": "90d", "keep_latest": 10**23}) == (
        "cleanup.keep_latest: too large (got 100000000000000000000000); use a whole number up to 2147483647"
        " (Artifact Registry's keepCount is a 32-bit integer)"
    )
    assert only_problem(cleanup={"delete_older_than": f"{10**20}d"}).startswith(
        "cleanup.delete_older_than: too long (8640000000000000000000000s) (got '100000000000000000000d');"
        " use at most 315576000000s (3652500d): the API's durations end at 10,000 years"
    )
    assert CleanupSpec.model_validate({"delete_older_than": "3652500d", "keep_latest": 2147483647})


def test_cleanup_deletes_any_tag_state_by_default_and_keeps_no_tags() -> None:
    cleanup = CleanupSpec.model_validate({"delete_older_than": "90d"})
    assert cleanup.delete_tag_state == "any" and cleanup.keep_tag_prefixes == ()
    assert [(p.id, p.action, p.tag_state) for p in cleanup.policies()] == [("delete-older-versions", "DELETE", "ANY")]


def test_rejects_unknown_delete_tag_state() -> None:
    assert only_problem(cleanup={"delete_older_than": "90d", "delete_tag_state": "all"}) == (
        "cleanup.delete_tag_state: not an allowed value (got 'all'); use one of: any, tagged, untagged"
    )


def test_rejects_kept_tag_prefixes_that_the_delete_never_reaches() -> None:
    assert only_problem(cleanup={"delete_older_than": "90d", "delete_tag_state": "untagged", "keep_tag_prefixes": ["prod"]}) == (
        "cleanup.keep_tag_prefixes: keeps tagged versions, which a cleanup with delete_tag_state: untagged never deletes"
        " (got ['prod']); remove keep_tag_prefixes, or use delete_tag_state: any or tagged"
    )
    for state in ("any", "tagged"):
        assert CleanupSpec.model_validate({"delete_older_than": "90d", "delete_tag_state": state, "keep_tag_prefixes": ["prod"]})


def test_rejects_bad_and_repeated_tag_prefixes() -> None:
    assert only_problem(cleanup={"delete_older_than": "90d", "keep_tag_prefixes": ["-prod"]}).startswith(
        "cleanup.keep_tag_prefixes[0]: not a tag prefix (got '-prod'); use the start of a Docker tag"
    )
    assert only_problem(cleanup={"delete_older_than": "90d", "keep_tag_prefixes": ["prod", "prod"]}) == (
        "cleanup.keep_tag_prefixes: prefix listed twice (got 'prod'); list each prefix once"
    )


def test_every_cleanup_option_at_once_stays_within_the_api_rules() -> None:
    cleanup = CleanupSpec.model_validate({"delete_older_than": "90d", "keep_latest": 3, "keep_tag_prefixes": ["prod"], "delete_tag_state": "tagged"})
    assert [(p.id, p.action) for p in cleanup.policies()] == [
        ("delete-older-versions", "DELETE"),
        ("keep-latest-versions", "KEEP"),
        ("keep-tagged-prefixes", "KEEP"),
    ]
    assert gcp.check_cleanup_policies(cleanup.policies()) is None


def test_an_adopted_repository_needs_the_opt_in_for_an_authoritative_policy() -> None:
    assert only_problem(adopt=True, iam={"readers": [SA]}) == (
        "iam.mode: on an adopted repository, an authoritative policy removes every grant the repository has now"
        " (CI accounts, other teams) on the first apply (got 'authoritative'); check them (gcloud artifacts repositories"
        " get-iam-policy), then set iam.replace_existing_grants: true; or use mode: additive"
    )
    assert RepositorySpec.model_validate({"id": "m", "adopt": True, "iam": {"readers": [SA], "replace_existing_grants": True}})
    assert RepositorySpec.model_validate({"id": "m", "adopt": True, "iam": {"mode": "additive", "readers": [SA]}})


@pytest.mark.parametrize("fields", [{}, {"adopt": True, "iam": {"mode": "additive", "readers": [SA], "replace_existing_grants": True}}])
def test_the_opt_in_is_refused_where_it_replaces_nothing(fields: dict[str, Any]) -> None:
    fields = fields or {"iam": {"readers": [SA], "replace_existing_grants": True}}
    assert only_problem(**fields) == (
        "iam.replace_existing_grants: replaces nothing here (got true); it is the opt-in of adopt: true with mode: authoritative; remove it"
    )


def test_rejects_more_labels_than_the_api_takes_with_the_providers_own() -> None:
    assert only_problem(labels={f"k{i}": "v" for i in range(64)}) == (
        "labels: too many labels (got 64); use at most 63: Artifact Registry takes 64 and the google provider adds"
        " goog-terraform-provisioned to each resource"
    )
    assert RepositorySpec.model_validate({"id": "m", "labels": {f"k{i}": "v" for i in range(63)}})


# Remote and virtual repositories


def test_a_repository_is_standard_by_default() -> None:
    spec = RepositorySpec.model_validate({"id": "m"})
    assert (spec.mode, spec.remote, spec.virtual) == ("standard", None, None)


def test_a_remote_repository_caches_a_registry_of_its_format() -> None:
    assert RepositorySpec.model_validate({"id": "m", "format": "python", "mode": "remote", "remote": {"upstream": "pypi"}})
    assert only_problem(format="docker", mode="remote", remote={"upstream": "pypi"}) == (
        "remote.upstream: pypi serves python repositories, this one is docker (got 'pypi'); use upstream: docker-hub"
    )
    assert only_problem(format="python", mode="remote", remote={"upstream": "npmjs"}) == (
        "remote.upstream: not an allowed value (got 'npmjs'); use one of: pypi, docker-hub, custom"
    )


SECRET = "projects/acme-secrets/secrets/partner-pypi/versions/3"


def private(**remote: Any) -> dict[str, Any]:
    return {"format": "python", "mode": "remote", "remote": {"upstream": "custom", "url": "https://pypi.example.com/simple", **remote}}


def test_a_private_upstream_signs_in_with_a_secret_version_never_a_password() -> None:
    spec = RepositorySpec.model_validate({"id": "m", **private(username="ci", password_secret=SECRET)})
    assert spec.remote is not None and spec.remote.secret == "projects/acme-secrets/secrets/partner-pypi"
    # A project number in the version name is the name Secret Manager answers with: accepted too.
    assert RepositorySpec.model_validate({"id": "m", **private(username="ci", password_secret="projects/123456/secrets/s/versions/1")})
    assert RepositorySpec.model_validate({"id": "m", **private()}).remote.secret is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (private(url="http://pypi.example.com/simple"), "remote.url: a plain http URL (got 'http://pypi.example.com/simple'); use https: over http the password and the models would travel in the clear"),
        # A password written into the URL is not shown back.
        (private(url="https://ci:hunter2@pypi.example.com/simple"), "remote.url: an account in the URL (got 'https://***@pypi.example.com/simple'); put the account in username and its password in Secret Manager (password_secret)"),
        (private(url="pypi.example.com"), "remote.url: not a URL (got 'pypi.example.com'); write it as https://<host>[/path], e.g. https://pypi.example.com/simple"),
        ({"format": "python", "mode": "remote", "remote": {"upstream": "custom"}}, "remote.url: a custom upstream needs its address (got nothing); add url: https://..."),
        ({"format": "python", "mode": "remote", "remote": {"upstream": "pypi", "url": "https://x.example"}}, "remote.url: only for upstream: custom, this one is pypi (got 'https://x.example'); remove url, or set upstream: custom"),
        ({"format": "generic", "mode": "remote", "remote": {"upstream": "custom", "url": "https://x.example"}}, "remote.upstream: no custom upstream for generic repositories here (got 'custom'); use format: docker or python"),
        (private(username="ci"), "remote.password_secret: username without password_secret (got nothing); give both, or remove username"),
        (private(password_secret=SECRET), "remote.username: password_secret without username (got nothing); give both, or remove password_secret"),
        (private(username="ci", password_secret="hunter2"), "remote.password_secret: not a secret version name (got a value, not shown); use projects/<project>/secrets/<secret>/versions/<number>, as `gcloud secrets versions list` names it"),
        (private(username="ci", password_secret="projects/p-secrets/secrets/s"), "remote.password_secret: not a secret version name (got 'projects/p-secrets/secrets/s'); use projects/<project>/secrets/<secret>/versions/<number>, as `gcloud secrets versions list` names it"),
        (private(username="ci", password_secret="projects/acme-secrets/secrets/s/versions/latest"), "remote.password_secret: the latest alias (got 'projects/acme-secrets/secrets/s/versions/latest'); pin a version number (projects/<project>/secrets/<secret>/versions/3): a rotation is then an edit the change review shows"),
        ({"format": "python", "mode": "remote", "remote": {"upstream": "pypi", "username": "ci", "password_secret": SECRET}}, "remote.username: pypi takes no credentials here (got 'ci'); use them with upstream: custom or docker-hub"),
    ],
)
def test_a_private_upstream_refuses(fields: dict[str, Any], line: str) -> None:
    assert only_problem(**fields) == line


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"format": "python", "mode": "remote"}, "remote: a remote repository needs its remote block (got nothing); add remote: {upstream: pypi} (or docker-hub, or custom with its url)"),
        ({"format": "python", "remote": {"upstream": "pypi"}}, "remote: only for mode: remote, this repository is standard (got '{...}'); set mode: remote, or remove remote"),
        ({"format": "generic", "mode": "virtual", "virtual": {"upstreams": [{"id": "a", "priority": 1}]}}, "format: no virtual repositories of this format here (got 'generic'); use format: docker or python"),
        ({"format": "docker", "mode": "remote", "remote": {"upstream": "docker-hub"}, "immutable_tags": True}, "immutable_tags: only for standard repositories, this one is remote (got true); remove it"),
        ({"format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "a", "priority": 1}]}, "cleanup": {"delete_older_than": "1d"}}, "cleanup: a virtual repository stores nothing (got '{...}'); set cleanup on its upstreams"),
        ({"format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "a", "priority": 1}]}, "kms_key_name": "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"}, "kms_key_name: a virtual repository stores nothing (got 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k'); set kms_key_name on its upstreams"),
    ],
)
def test_modes_take_their_own_settings_only(fields: dict[str, Any], line: str) -> None:
    assert only_problem(**fields) == line


@pytest.mark.parametrize(
    ("upstreams", "line"),
    [
        ([], "virtual.upstreams: no upstream (got []); list at least one: the API refuses a virtual repository without"),
        ([{"id": "a", "priority": 1}, {"id": "a", "priority": 2}], "virtual.upstreams: upstream listed twice (got 'a'); list each repository once"),
        ([{"id": "a", "priority": 5}, {"id": "b", "priority": 5}], "virtual.upstreams: two upstreams with one priority (got 5); give each its own: the greater priority is tried first"),
        ([{"id": f"r{n}", "priority": n + 1} for n in range(31)], "virtual.upstreams: too many upstreams (got 31); use at most 30, Artifact Registry's limit"),
        ([{"id": "a", "priority": 0}], "virtual.upstreams[0].priority: too small (got 0); use a whole number >= 1"),
    ],
)
def test_virtual_upstreams_follow_the_api(upstreams: list[dict[str, Any]], line: str) -> None:
    assert only_problem(format="python", mode="virtual", virtual={"upstreams": upstreams}) == line


def test_virtual_upstreams_are_repositories_of_the_environment_and_format() -> None:
    others = {
        "wheels": RepositorySpec.model_validate({"id": "wheels", "format": "python"}),
        "images": RepositorySpec.model_validate({"id": "images", "format": "docker"}),
        "pip2": RepositorySpec.model_validate({"id": "pip2", "format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "wheels", "priority": 1}]}}),
    }
    upstreams = [{"id": i, "priority": n + 1} for n, i in enumerate(["wheels", "images", "pip2", "gone", "pip"])]
    spec = RepositorySpec.model_validate({"id": "pip", "format": "python", "mode": "virtual", "virtual": {"upstreams": upstreams}})
    assert [(path[-2], got, problem.problem) for path, got, problem in spec.upstream_problems(others)] == [
        (1, "images", "a docker repository, this one is python"),
        (2, "pip2", "a virtual repository"),
        (3, "gone", "no repository with this id in the environment"),
        (4, "pip", "this repository itself"),
    ]


# Audit logs


def test_audit_logs_turn_on_data_read_and_write() -> None:
    from specs.audit_logs import AuditLogsSpec

    assert AuditLogsSpec.model_validate({}).log_types == ["DATA_READ", "DATA_WRITE"]
    assert AuditLogsSpec.model_validate({"data_write": False, "admin_read": True}).log_types == ["ADMIN_READ", "DATA_READ"]
    assert spec_problems(AuditLogsSpec, {"data_read": False, "data_write": False}) == [
        "(top level): enables no log (got '{...}'); set data_read, data_write or admin_read to true, or remove audit_logs"
    ]


def test_describe_says_what_the_repository_becomes() -> None:
    spec = RepositorySpec.model_validate(
        {"id": "models", "cleanup": {"delete_older_than": "90d", "keep_latest": 5}, "iam": {"mode": "additive", "readers": [SA]}}
    )
    assert spec.describe() == [
        "repository models: standard generic; cleanup (dry run: deletes nothing): delete any versions older than 90d, keep latest 5;"
        " Google-managed key; IAM additive, 1 member; created, not imported"
    ]
    virtual = RepositorySpec.model_validate(
        {"id": "pip", "format": "python", "mode": "virtual", "virtual": {"upstreams": [{"id": "a", "priority": 1}, {"id": "b", "priority": 9}]}}
    )
    assert virtual.describe() == ["repository pip: virtual python; serves b (9), a (1); no IAM (grants made elsewhere stay); created, not imported"]


# Cleanup per package prefix (issue 22, item 4)

FRAUD = {"prefixes": ["fraud-"], "keep_latest": 5, "delete_older_than": "90d"}


def test_package_entries_add_their_policies_after_the_repository_s() -> None:
    cleanup = CleanupSpec.model_validate({"delete_older_than": "180d", "packages": [FRAUD, {"prefixes": ["tmp-", "scratch-"], "delete_older_than": "7d"}]})
    assert cleanup.policies() == [
        gcp.CleanupPolicy("delete-older-versions", "DELETE", tag_state="ANY", older_than_seconds=180 * 86400),
        gcp.CleanupPolicy("packages-1-delete-older", "DELETE", tag_state="ANY", older_than_seconds=90 * 86400, package_prefixes=("fraud-",)),
        gcp.CleanupPolicy("packages-1-keep-latest", "KEEP", keep_count=5, package_prefixes=("fraud-",)),
        gcp.CleanupPolicy("packages-2-delete-older", "DELETE", tag_state="ANY", older_than_seconds=7 * 86400, package_prefixes=("tmp-", "scratch-")),
    ]
    # A package entry's delete is enough: the repository's own delete_older_than may go.
    assert [p.id for p in CleanupSpec.model_validate({"packages": [FRAUD]}).policies()] == ["packages-1-delete-older", "packages-1-keep-latest"]


def test_package_entries_count_toward_the_ten_policies() -> None:
    entries = [{"prefixes": [f"model-{n}-"], "keep_latest": 1, "delete_older_than": "30d"} for n in range(5)]
    assert len(CleanupSpec.model_validate({"packages": entries}).policies()) == 10
    assert only_problem(cleanup={"delete_older_than": "1d", "packages": entries}) == (
        "cleanup: 11 cleanup policies (got 'cleanup'); use at most 10: Artifact Registry refuses more per repository"
    )


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ({"prefixes": ["fraud-"]}, "cleanup.packages[0]: an entry that neither keeps nor deletes (got '{...}'); set keep_latest, delete_older_than or both"),
        ({"prefixes": [], "delete_older_than": "1d"}, "cleanup.packages[0].prefixes: no package prefix (got []); list at least one, e.g. [fraud-]"),
        ({"prefixes": ["a-", "a-"], "delete_older_than": "1d"}, "cleanup.packages[0].prefixes: prefix listed twice (got 'a-'); list each prefix once"),
        ({"prefixes": ["fraud models"], "delete_older_than": "1d"}, "cleanup.packages[0].prefixes[0]: not a package name prefix (got 'fraud models'); use the start of package names, without spaces, e.g. fraud-"),
    ],
)
def test_rejects_a_package_entry_that_does_nothing_or_names_nothing(entry: dict[str, Any], line: str) -> None:
    assert only_problem(cleanup={"delete_older_than": "1d", "packages": [entry]}) == line


def test_describe_says_what_a_delete_by_prefix_deletes() -> None:
    spec = RepositorySpec.model_validate(
        {"id": "m", "cleanup": {"dry_run": False, "packages": [FRAUD, {"prefixes": ["tmp-"], "delete_older_than": "7d"}, {"prefixes": ["gold-"], "keep_latest": 20}]}}
    )
    assert spec.describe() == [
        "repository m: standard generic; cleanup: delete versions of packages starting fraud- older than 90d but the latest 5 of each,"
        " delete every version of packages starting tmp- older than 7d, their latest versions too,"
        " keep the latest 20 of each of packages starting gold-; Google-managed key; no IAM (grants made elsewhere stay); created, not imported"
    ]
    kept = RepositorySpec.model_validate({"id": "m", "cleanup": {"keep_latest": 2, "delete_tag_state": "untagged", "packages": [{"prefixes": ["tmp-"], "delete_older_than": "7d"}]}})
    assert "delete every untagged version of packages starting tmp- older than 7d; " in kept.describe()[0]


# Serving runtimes (issue 22, item 1)


def test_serving_lists_runtimes_by_project_and_describes_them() -> None:
    spec = RepositorySpec.model_validate({"id": "m", "serving": {"vertex_ai": ["acme-ml-serving"], "cloud_run": ["acme-web", "acme-api"]}})
    assert spec.serving is not None and spec.serving.projects() == [("vertex_ai", "acme-ml-serving"), ("cloud_run", "acme-web"), ("cloud_run", "acme-api")]
    assert "; read by Vertex AI of acme-ml-serving, Cloud Run of acme-web, Cloud Run of acme-api; " in spec.describe()[0]


@pytest.mark.parametrize(
    ("serving", "line"),
    [
        ({"vertex_ai": ["123456789012"]}, "serving.vertex_ai[0]: "),
        ({"cloud_run": ["acme-web", "acme-web"]}, "serving.cloud_run: project listed twice (got 'acme-web'); list each project once"),
        ({}, "serving: no runtime reads (got '{}'); list projects under vertex_ai or cloud_run, or remove serving"),
        ({"gke": ["acme-web"]}, "serving.gke: "),
    ],
)
def test_rejects_serving_that_names_no_project_or_an_unknown_runtime(serving: dict[str, Any], line: str) -> None:
    assert only_problem(serving=serving).startswith(line)
