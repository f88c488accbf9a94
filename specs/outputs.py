"""What each construct gives a pipeline, declared once: the name and meaning of every output.

The constructs give the values (`outputs()`, keyed by these names), the stacks write one
Terraform output per value and a map of them all, and the summary and the docs read the
names and meanings from here. No cdktf: `--check` and the docs read it without Node.
"""

from __future__ import annotations

from collections.abc import Mapping

from rules.gcp import CLIENT_ADDRESSES

REPOSITORY = {
    "url": "Push and pull URL",
    "id": "Full resource name",
    "location": "Location (region or multi-region)",
    "project": "Project",
    "format": "Format",
    "address": "What the format's client takes",
}
"""A repository's outputs, `<id>_<name>` in its stack: name -> what it is. The `address` of a
repository is described by its format (`address_of`)."""

BUCKET = {
    "name": "Name",
    "namespace": "Object Storage namespace",
    "bucket_id": "OCID",
    "region": "Region",
    "endpoint": "Object Storage endpoint (its region's)",
}
"""A bucket's outputs, `<bucket>_<name>` in its stack, and its replica's, `<bucket>_replica_<name>`."""


def repository_description(name: str, format_: str) -> str:
    """What the repository output `name` is, for a repository of `format_`."""
    return CLIENT_ADDRESSES[format_] if name == "address" else REPOSITORY[name]


def checked(declared: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """`values` in declared order; a construct that gives other names than it declares is a bug."""
    if set(values) != set(declared):
        raise ValueError(f"outputs {sorted(values)} differ from the declared {sorted(declared)}")
    return {name: values[name] for name in declared}
