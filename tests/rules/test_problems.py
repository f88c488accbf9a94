"""rules/problems.py: how values are shown in messages, and the shared helpers."""

from __future__ import annotations

from rules.problems import NOTHING, Problem, duplicates, matching, short_hash, show


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
