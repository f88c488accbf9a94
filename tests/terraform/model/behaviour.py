"""What the real providers' plans do with each argument, read from facts/provider-behaviour.json
(the providers' Go source at the pinned tags: google and google-beta v6.50.0, oracle/oci v7.19.0;
every entry cites its file and line there).

The stand-in's schema takes two rules from it, for every type the file covers:

- ForceNew: a changed argument replaces the resource (`requires_replace`);
- Optional+Computed: an argument removed from the config keeps the cloud's value, so the plan
  shows no change (the SDK plans nothing for it; the stand-in marks it computed, and Terraform
  then proposes the prior value). A block can't be computed in Terraform's schema: for a
  top-level Optional+Computed block the stand-in plans the prior block itself, as the SDK does.

Top-level arguments; and a ForceNew block (`remote_repository_config`, a log's `configuration`,
an IAM member's `condition`) replaces the resource when anything in it changes but the children
the facts mark not ForceNew (`force_new_blocks`). The stand-in's plan also applies each
argument's DiffSuppressFunc (`diff_suppressed`, implemented in suppress.py), nested ones included. A top-level Optional+Computed block
(`blocks_kept_when_removed`) is planned as the prior block when the config drops it, as the SDK does.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

BEHAVIOUR = Path(__file__).resolve().parents[3] / "facts" / "provider-behaviour.json"


@cache
def attributes(type_name: str) -> dict[str, Any]:
    """Every argument of `type_name` by its dotted path (`cleanup_policies.condition.older_than`)."""
    resources: dict[str, Any] = json.loads(BEHAVIOUR.read_text())["resources"]
    found: dict[str, Any] = resources.get(type_name, {}).get("attributes", {})
    return found


def _attributes(type_name: str) -> dict[str, Any]:
    return {name: facts for name, facts in attributes(type_name).items() if "." not in name}


def diff_suppressed(type_name: str) -> dict[str, str]:
    """The arguments of `type_name` with a DiffSuppressFunc, nested ones too: path -> its name."""
    return {name: facts["diff_suppress"] for name, facts in attributes(type_name).items() if facts.get("diff_suppress")}


@cache
def force_new_blocks(type_name: str) -> dict[str, frozenset[str]]:
    """The ForceNew nested blocks of `type_name`, each with the dotted paths below it whose change
    does not replace (e.g. `disable_upstream_validation` of `remote_repository_config`)."""
    resources: dict[str, Any] = json.loads(BEHAVIOUR.read_text())["resources"]
    attributes: dict[str, Any] = resources.get(type_name, {}).get("attributes", {})
    blocks = [name for name, facts in attributes.items() if "." not in name and facts.get("elem_type") == "block" and facts.get("force_new")]
    return {
        block: frozenset(path[len(block) + 1 :] for path, facts in attributes.items() if path.startswith(block + ".") and not facts.get("force_new"))
        for block in blocks
    }


def force_new(type_name: str) -> frozenset[str]:
    """The arguments whose change replaces a `type_name`."""
    return frozenset(name for name, facts in _attributes(type_name).items() if facts.get("force_new"))


def kept_when_removed(type_name: str) -> frozenset[str]:
    """The Optional+Computed arguments of `type_name`: removed from the config, they plan nothing."""
    return frozenset(
        name
        for name, facts in _attributes(type_name).items()
        if facts.get("optional") and facts.get("computed") and not facts.get("required") and facts.get("elem_type") != "block"
    )


def blocks_kept_when_removed(type_name: str) -> frozenset[str]:
    """The Optional+Computed blocks of `type_name` (a repository's `vulnerability_scanning_config`):
    removed from the config, the SDK plans the prior block, so the cloud keeps it."""
    return frozenset(
        name
        for name, facts in _attributes(type_name).items()
        if facts.get("optional") and facts.get("computed") and not facts.get("required") and facts.get("elem_type") == "block"
    )
