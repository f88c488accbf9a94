"""The gate on data loss (review/gate.py): what acknowledges a change, and where it is recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from review import gate
from review.changes import Change

BUCKET = Change("replace", "prod-oci", "oci_objectstorage_bucket.models", "storage_tier Standard -> Archive forces a new bucket",
                "replace:oci_objectstorage_bucket.models")
DEV_BUCKET = Change("replace", "dev-oci", "oci_objectstorage_bucket.models", "storage_tier Standard -> Archive forces a new bucket",
                    "replace:oci_objectstorage_bucket.models")
UPDATE = Change("update", "prod-oci", "oci_objectstorage_bucket.logs", "in place: versioning Enabled -> Suspended")


def test_a_change_is_acknowledged_by_its_address_in_every_stack_or_in_its_own() -> None:
    assert gate.parse(" replace:a.b , destroy:dev-oci/c.d,,") == {"replace:a.b", "destroy:dev-oci/c.d"}
    changes = [BUCKET, DEV_BUCKET, UPDATE]
    assert gate.unacknowledged(changes, set()) == [BUCKET, DEV_BUCKET]
    assert gate.unacknowledged(changes, {"replace:oci_objectstorage_bucket.models"}) == []
    assert gate.unacknowledged(changes, {"replace:dev-oci/oci_objectstorage_bucket.models"}) == [BUCKET]
    assert gate.unused(changes, {"replace:dev-oci/oci_objectstorage_bucket.models", "destroy:x.y"}) == {"destroy:x.y"}


def test_the_command_names_a_stack_only_where_two_share_an_address() -> None:
    assert gate.acknowledgement([BUCKET]) == "replace:oci_objectstorage_bucket.models"
    assert gate.acknowledgement([BUCKET, DEV_BUCKET]) == (
        "replace:prod-oci/oci_objectstorage_bucket.models,replace:dev-oci/oci_objectstorage_bucket.models")


def test_what_was_acknowledged_is_kept_beside_the_snapshots_newest_first(tmp_path: Path) -> None:
    assert gate.recorded(tmp_path) == []
    assert gate.record(tmp_path, [UPDATE]) == []
    assert not (tmp_path / gate.ACCEPTED).exists()
    gate.record(tmp_path, [DEV_BUCKET], today=dt.date(2026, 12, 1))
    gate.record(tmp_path, [BUCKET, UPDATE], today=dt.date(2026, 12, 3))
    assert gate.recorded(tmp_path) == [
        "- 2026-12-03 `replace:oci_objectstorage_bucket.models` in prod-oci: storage_tier Standard -> Archive forces a new bucket",
        "- 2026-12-01 `replace:oci_objectstorage_bucket.models` in dev-oci: storage_tier Standard -> Archive forces a new bucket",
    ]
    assert (tmp_path / gate.ACCEPTED).read_text(encoding="utf-8").startswith(gate.HEADER)
