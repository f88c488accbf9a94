"""report.py: what --check and the summary after a synth say, in the parts a stack cannot show."""

from __future__ import annotations

import report


def test_outputs_of_each_item_fold_and_names_that_share_a_start_stay_apart() -> None:
    # Buckets `models` and `models_name` (both valid): `models_name_name` is the second's name.
    fields = ("bucket_id", "endpoint", "name", "namespace", "region")
    names = ["buckets", *(f"models_{f}" for f in fields), *(f"models_name_{f}" for f in fields)]
    assert report._outputs(names, ["models", "models_name"]) == (
        "buckets; models_*, models_name_* (bucket_id, endpoint, name, namespace, region)"
    )


def test_outputs_of_items_with_other_fields_are_listed_apart() -> None:
    assert report._outputs(["a_url", "a_id", "b_url", "extra"], ["a", "b"]) == "extra; a_* (id, url); b_* (url)"
    assert report._outputs([], ["a"]) == "none"
