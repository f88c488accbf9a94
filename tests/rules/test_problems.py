"""rules/problems.py: how values are shown in messages, and the shared helpers."""

from __future__ import annotations

import pytest

from rules.problems import (
    NOTHING,
    TEMPLATE_ALLOWED,
    Problem,
    check_not_template,
    duplicates,
    looks_secret,
    matching,
    plain_ascii,
    secret_key,
    short_hash,
    show,
)


def test_show_writes_values_as_yaml_would() -> None:
    assert show("x") == "'x'"
    assert show(None) == "null"
    assert show(True) == "true"
    assert show([1, "a"]) == "[1, 'a']"
    assert show({"a": False}) == "{a: false}"
    assert show(NOTHING) == "nothing"


def test_show_keeps_the_start_and_the_end_of_a_long_string() -> None:
    key = "projects/acme-security/locations/us-central1/keyRings/ml/cryptoKeys/models/cryptoKeyVersions/1"
    assert show(key) == "'projects/acme-security/locations/us-c.../cryptoKeys/models/cryptoKeyVersions/1', 94 characters, shortened here"
    assert show("x" * 200) == f"'{'x' * 37}...{'x' * 38}', 200 characters, shortened here"


def test_show_never_walks_a_value_further_than_it_prints() -> None:
    bomb: list[object] = [1] * 9
    for _ in range(40):  # 9**40 items, if anything walked them
        bomb = [bomb] * 9
    assert show(bomb).startswith("[[[[") and len(show(bomb)) == 80


def test_duplicates_each_once_in_first_seen_order() -> None:
    assert duplicates(["b", "a", "b", "a", "b", "c"]) == ["b", "a"]


def test_short_hash_is_stable_and_short() -> None:
    assert short_hash("models") == short_hash("models") != short_hash("Models")
    assert len(short_hash("models")) == 8


def test_matching_accepts_whole_matches_only() -> None:
    check = matching(r"[a-z]+", "not lowercase", "use a-z")
    assert check("abc") is None
    assert check("abc1") == Problem("not lowercase", "use a-z")


def test_show_escapes_look_alikes_and_says_what_they_are() -> None:
    assert show("us\u2011phoenix\u20111") == "'us\\u2011phoenix\\u20111', \\u2011 is NON-BREAKING HYPHEN, not '-'"
    assert show("zero\u200bwidth") == "'zero\\u200bwidth', \\u200b is ZERO WIDTH SPACE, invisible"
    assert show("us-ashburn-1 ") == "'us-ashburn-1 ', it ends with a space"
    assert show({"replicati\u043en": 1}) == "{replicati\\u043en: 1}"
    assert plain_ascii("replicati\u043en\u200b") == "replication"


@pytest.mark.parametrize(
    "secret",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "abcdefghijklmn.atlasv1.abcdefghijklmnopqrstuvwxyz",
    ],
)
def test_show_never_echoes_a_value_that_looks_secret(secret: str) -> None:
    assert looks_secret(secret)
    assert show(secret) == "a value that looks like a secret, not shown"
    assert show({"ci": [secret]}) == "{ci: [a value that looks like a secret, not shown]}"


def test_keys_named_like_secrets() -> None:
    assert [key for key in ("api_key", "db_password", "token", "tokens_used", "keys", "monkey") if secret_key(key)] == ["api_key", "db_password", "token"]


def test_identifiers_refuse_templates_that_nothing_expands() -> None:
    check = matching(r"[a-z${}_]+", "not lowercase", "use a-z")
    assert check("x${tenancy}y") == Problem(
        "a placeholder, ${tenancy}: nothing in the config is ever expanded, so it would reach the cloud as written", TEMPLATE_ALLOWED
    )
    assert check_not_template("free $text") is None
