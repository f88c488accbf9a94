"""rules/gcp.py on its own: one test per rule, and the names it builds."""

from __future__ import annotations

import pytest

from rules import gcp
from rules.problems import TEMPLATE_ALLOWED, Check, Problem


@pytest.mark.parametrize(("duration", "seconds"), [("1s", 1), ("90m", 5400), ("36h", 129600), ("90d", 7776000)])
def test_parse_duration_gives_seconds(duration: str, seconds: int) -> None:
    assert gcp.parse_duration(duration) == seconds


@pytest.mark.parametrize("duration", ["1.5h", "90", "d", "0d", "90 d", "-1d", "90w", "3 months"])
def test_durations_are_a_whole_number_and_a_unit(duration: str) -> None:
    assert gcp.parse_duration(duration) is None
    assert gcp.check_duration(duration) is not None


def test_repository_url_for_generic_and_docker() -> None:
    assert gcp.repository_url(location="us-central1", format_="generic", project="p-123456", repository_id="models") == (
        "us-central1-generic.pkg.dev/p-123456/models"
    )
    assert gcp.repository_url(location="europe-west4", format_="docker", project="acme", repository_id="img") == (
        "europe-west4-docker.pkg.dev/acme/img"
    )


@pytest.mark.parametrize(
    ("format_", "location", "address"),
    [
        ("docker", "us-central1", "us-central1-docker.pkg.dev/acme/r"),  # docker tag x us-central1-docker.pkg.dev/acme/r/x
        ("docker", "us", "us-docker.pkg.dev/acme/r"),  # a multi-region is its own host
        ("python", "europe-west4", "https://europe-west4-python.pkg.dev/acme/r/simple/"),
        ("kfp", "us-central1", "https://us-central1-kfp.pkg.dev/acme/r"),
        ("generic", "us-central1", "--location=us-central1 --repository=r --project=acme"),
    ],
)
def test_client_address_is_what_the_format_s_client_takes(format_: str, location: str, address: str) -> None:
    assert gcp.client_address(location=location, format_=format_, project="acme", repository_id="r") == address


def test_every_format_a_spec_takes_has_a_client_address() -> None:
    from specs.repository import FORMATS

    assert sorted(gcp.CLIENT_ADDRESSES) == sorted(FORMATS)


def test_import_id_and_service_agent() -> None:
    assert gcp.import_id("p", "us", "m") == "projects/p/locations/us/repositories/m"
    assert gcp.service_agent("123") == "serviceAccount:service-123@gcp-sa-artifactregistry.iam.gserviceaccount.com"


GOOD_AND_BAD = [
    (gcp.check_repository_id, ["m", "models", "ml-models-2", "a" * 63], ["", "1models", "Models", "models-", "ml_models", "a" * 64]),
    (gcp.check_project_id, ["acme-ml", "a23456", "a" * 30], ["acme", "a" * 31, "Acme-ml", "acme-ml-", "1acme-ml"]),
    (gcp.check_location, ["us-central1", "europe-west4", "us", "europe", "asia"], ["", "US", "moon-1", "us-central", "global"]),
    (gcp.check_label_key, ["team", "cost-center", "a_1", "k" * 63], ["", "Team", "1team", "k" * 64, "a.b"]),
    (gcp.check_label_value, ["", "ml-platform", "4711", "v" * 63], ["ML", "a b", "v" * 64]),
]


@pytest.mark.parametrize(("check", "good", "bad"), GOOD_AND_BAD, ids=lambda v: getattr(v, "__name__", ""))
def test_check_accepts_good_and_refuses_bad_values(check: Check, good: list[str], bad: list[str]) -> None:
    assert [value for value in good if check(value) is not None] == []
    assert [value for value in bad if check(value) is None] == []


@pytest.mark.parametrize(
    "member",
    [
        "user:ana@acme.example",
        "serviceAccount:ci@p-1.iam.gserviceaccount.com",
        "group:ml@acme.example",
        "domain:acme.example",
        "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*",
        "projectViewer:acme-ml-dev",
    ],
)
def test_member_accepts(member: str) -> None:
    assert gcp.check_member(member, allow_public=False) is None


@pytest.mark.parametrize("member", ["ana@acme.example", "user:ana", "team:ml@acme.example", "domain:", ""])
def test_member_refuses(member: str) -> None:
    assert gcp.check_member(member, allow_public=True) is not None


def test_public_members_need_allow_public() -> None:
    for member in gcp.PUBLIC_MEMBERS:
        problem = gcp.check_member(member, allow_public=False)
        assert problem is not None and problem.problem == "makes the repository public"
        assert gcp.check_member(member, allow_public=True) is None


def test_kms_key_name_and_its_location() -> None:
    key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"
    assert gcp.kms_key_location(key) == "us-central1"
    assert gcp.check_kms_key_name(key) is None
    assert gcp.check_kms_key_name(key, "us-central1") is None
    problem = gcp.check_kms_key_name(key, "us-east1")
    assert problem is not None and problem.problem == "key is in location 'us-central1', the repository in 'us-east1'"
    assert gcp.kms_key_location("projects/p/keyRings/r") is None


def test_scanning_exists_for_images_and_python_packages_only() -> None:
    assert gcp.check_scannable("docker") is None and gcp.check_scannable("python") is None
    assert gcp.check_scannable("kfp") == gcp.Problem(
        "Artifact Analysis scans docker images and python packages, not kfp repositories", "remove it, or use format: docker or python"
    )


def test_docker_only_settings() -> None:
    assert gcp.check_docker_only("docker") is None
    problem = gcp.check_docker_only("kfp")
    assert problem is not None and problem.problem == "only for docker repositories, this one is kfp"


def _delete(**fields: object) -> gcp.CleanupPolicy:
    return gcp.CleanupPolicy("delete", "DELETE", **{"tag_state": "ANY", "older_than_seconds": 60, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("policies", "problem"),
    [
        ([_delete(), *(gcp.CleanupPolicy(f"keep-{i}", "KEEP", keep_count=1) for i in range(10))], "11 cleanup policies"),
        ([gcp.CleanupPolicy("keep", "KEEP", tag_state="TAGGED", keep_count=2)], "policy 'keep': keep_count with a condition or on KEEP"),
        ([gcp.CleanupPolicy("delete", "DELETE", keep_count=2)], "policy 'delete': keep_count with a condition or on DELETE"),
        ([gcp.CleanupPolicy("delete", "DELETE")], "policy 'delete': a DELETE without a condition"),
        ([gcp.CleanupPolicy("keep", "KEEP", tag_state="ANY", tag_prefixes=("prod",))], "policy 'keep': tag prefixes with tag state ANY"),
        ([_delete(), _delete()], "two cleanup policies with one id"),
    ],
)
def test_cleanup_policies_the_api_refuses_or_ignores(policies: list[gcp.CleanupPolicy], problem: str) -> None:
    found = gcp.check_cleanup_policies(policies)
    assert found is not None and found.problem == problem


def test_ten_well_formed_cleanup_policies_pass() -> None:
    policies = [_delete(), *(gcp.CleanupPolicy(f"keep-{i}", "KEEP", tag_state="TAGGED", tag_prefixes=("v",)) for i in range(9))]
    assert gcp.check_cleanup_policies(policies) is None


def test_a_project_number_is_named_as_such() -> None:
    problem = gcp.check_project_id("123456789012")
    assert problem is not None and problem.problem == "a project number, not a project ID"
    assert "gcloud projects describe 123456789012 --format='value(projectId)'" in problem.allowed


def test_a_repository_path_as_an_upstream_says_cross_project_upstreams_are_not_supported() -> None:
    assert gcp.check_upstream_id("pypi-cache") is None
    assert gcp.check_upstream_id("projects/shared/locations/us-central1/repositories/pypi-cache") == gcp.Problem(
        "a full repository path: upstreams in another project or location are not supported here",
        "name a repository of this environment by its id (e.g. pypi-cache), listed beside this one",
    )


def test_members_and_keys_refuse_placeholders() -> None:
    member = "principalSet://iam.googleapis.com/projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/ci/*"
    placeholder = "a placeholder, {}: nothing in the config is ever expanded, so it would reach the cloud as written"
    assert gcp.check_member(member, allow_public=False) == Problem(placeholder.format("${PROJECT_NUMBER}"), TEMPLATE_ALLOWED)
    assert gcp.check_kms_key_name("projects/${P}/locations/us/keyRings/r/cryptoKeys/k") == Problem(placeholder.format("${P}"), TEMPLATE_ALLOWED)


def test_package_prefixes() -> None:
    assert gcp.check_package_prefix("fraud-") is None
    assert gcp.check_package_prefix("") == gcp.check_package_prefix("a b") == gcp.Problem(
        "not a package name prefix", "use the start of package names, without spaces, e.g. fraud-"
    )


def test_a_keep_count_limited_to_packages_is_not_a_condition() -> None:
    keep = gcp.CleanupPolicy("k", "KEEP", keep_count=5, package_prefixes=("fraud-",))
    delete = gcp.CleanupPolicy("d", "DELETE", package_prefixes=("tmp-",))
    assert not keep.has_condition and delete.has_condition
    assert gcp.check_cleanup_policies([keep, delete]) is None
