"""What a plan does with one argument of one resource type, read from facts/provider-behaviour.json.

The facts were read from the providers' source at the pinned tags (facts/README.md). This module
knows their conventions (terraform-plugin-sdk v2): an Optional+Computed argument removed from the
config plans nothing; a Default is planned whenever the argument is absent; a ForceNew block
replaces only when the number of its blocks changes, its nested attributes decide otherwise; a
set is compared by its elements, not their order. Standard library only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FACTS = Path(__file__).resolve().parent.parent / "facts" / "provider-behaviour.json"
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "(none)"})()
"""A value one side of a comparison does not have."""

META = frozenset(
    {"//", "provider", "depends_on", "lifecycle", "count", "for_each", "connection", "provisioner", "timeouts"}
)
"""Terraform's own arguments of a resource block: nothing of them reaches the cloud."""

REPLACED_BY_REFERENCE = {"time_sleep": frozenset({"triggers"})}
"""Arguments of types the facts do not cover that replace their resource when a resource they refer
to is replaced: a wait's `triggers` (RequiresReplace in hashicorp/terraform-provider-time
internal/provider/resource_time_sleep.go), so it waits again after a new policy or grant."""

REPLACE, UPDATE, KEEP, NOOP, EXPLICIT, META_ONLY = "replace", "update", "keep", "noop", "explicit", "meta"


@dataclass(frozen=True)
class Effect:
    """What the plan does with one argument (a dotted path, with `[i]` where a list has several)."""

    path: str
    old: Any
    new: Any
    what: str
    """REPLACE; UPDATE (in place); KEEP (removed, the cloud keeps its value); NOOP (the plan shows an
    update that sends nothing); EXPLICIT (an Optional+Computed argument now set: the cloud's value
    may already be it); META_ONLY (Terraform's own arguments)."""
    force_new: bool = False


@cache
def resources() -> dict[str, Any]:
    """Each resource type's facts: `attributes` by dotted path (no list indexes), `delete`, ..."""
    found: dict[str, Any] = json.loads(FACTS.read_text(encoding="utf-8"))["resources"]
    return found


def delete_effect(kind: str) -> str:
    """The facts' account of what destroying a resource of `kind` does, without its source reference."""
    text = str(resources().get(kind, {}).get("delete", ""))
    return re.sub(r"\s+\S+\.go:\d+\.?$", "", text).strip()


def differences(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[Effect]:
    """What the plan does with each argument that differs between two configs of one resource
    (an argument the facts do not know, or a type they do not cover, is taken as updated in place)."""
    effects: list[Effect] = []
    _compare(resources().get(kind, {}).get("attributes", {}), "", "", old, new, effects)
    # Terraform plans nothing for an argument the new config's lifecycle.ignore_changes names (e.g.
    # the first-seen records in terraform_data, whose input is ignored after the create).
    ignored = set((new.get("lifecycle") or {}).get("ignore_changes") or ())
    return [effect for effect in effects if effect.path.split(".")[0] not in ignored]


def _compare(
    attrs: dict[str, Any], facts_path: str, shown: str, old: dict[str, Any], new: dict[str, Any], effects: list[Effect]
) -> None:
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, MISSING), new.get(key, MISSING)
        if before == after:
            continue
        where = f"{shown}.{key}" if shown else key
        if not facts_path and key in META:
            effects.append(Effect(where, before, after, META_ONLY))
            continue
        path = f"{facts_path}.{key}" if facts_path else key
        fact = attrs.get(path)
        if fact is not None and fact.get("elem_type") == "block":
            _compare_blocks(attrs, fact, path, where, before, after, effects)
        elif (effect := _value_effect(fact, where, before, after)) is not None:
            effects.append(effect)


def _blocks(value: Any) -> list[dict[str, Any]]:
    if value is MISSING or value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _compare_blocks(
    attrs: dict[str, Any], fact: dict[str, Any], path: str, where: str, before: Any, after: Any, effects: list[Effect]
) -> None:
    olds, news = _blocks(before), _blocks(after)
    if fact.get("type") == "set":
        # Elements are identified by their hash: the same elements in another order are no change.
        olds, news = [e for e in olds if e not in news], [e for e in news if e not in olds]
        if not olds and not news:
            return
    elif len(olds) == len(news):
        for index, (a, b) in enumerate(zip(olds, news, strict=True)):
            _compare(attrs, path, where + (f"[{index}]" if len(olds) > 1 else ""), a, b, effects)
        return
    if len(olds) != len(news) and fact.get("force_new"):
        effects.append(Effect(where, before, after, REPLACE, force_new=True))
        return
    if not news and fact.get("optional") and fact.get("computed"):
        effects.append(Effect(where, before, after, KEEP))
        return
    found: list[Effect] = []
    for index in range(max(len(olds), len(news))):
        a = olds[index] if index < len(olds) else {}
        b = news[index] if index < len(news) else {}
        _compare(attrs, path, where + (f"[{index}]" if max(len(olds), len(news)) > 1 else ""), a, b, found)
    if not found and len(olds) != len(news):
        found = [Effect(where, before, after, UPDATE)]  # a block added or removed that sets nothing of its own
    effects.extend(found)


def _value_effect(fact: dict[str, Any] | None, where: str, before: Any, after: Any) -> Effect | None:
    if fact is None:
        return Effect(where, before, after, UPDATE)
    force_new = bool(fact.get("force_new"))
    changed = REPLACE if force_new else UPDATE
    if before is not MISSING and after is not MISSING:
        if suppressed(fact.get("diff_suppress"), before, after):
            return None
        return Effect(
            where,
            before,
            after,
            NOOP if str(fact.get("on_change", "")).startswith("update_in_place_noop") else changed,
            force_new,
        )
    default = fact.get("default")
    if after is MISSING:
        removal = str(fact.get("on_remove_from_config", ""))
        if removal.startswith("no_change"):
            return Effect(where, before, after, KEEP, force_new)
        if removal.startswith("reset_to_default"):
            return None if _same(before, default) else Effect(where, before, default, changed, force_new)
        if removal.startswith("cleared") and before in (None, "", 0, False, [], {}):
            return None
        return Effect(where, before, after, changed, force_new)
    if default is not None and _same(after, default):
        return None  # the default, now written out: the plan already had it
    if fact.get("optional") and fact.get("computed"):
        return Effect(where, before, after, EXPLICIT, force_new)
    return Effect(where, before, after, changed, force_new)


def _same(value: Any, default: Any) -> bool:
    return str(value).lower() == str(default).lower()


def suppressed(function: str | None, before: Any, after: Any) -> bool:
    """Whether the provider's DiffSuppressFunc hides the difference (only those we can decide offline)."""
    if function in (
        "tpgresource.CaseDiffSuppress",
        "tfresource.EqualIgnoreCaseSuppressDiff",
        "iamMemberCaseDiffSuppress",
    ):
        return str(before).lower() == str(after).lower()
    if function == "tfresource.Int64StringDiffSuppressFunction":
        return _number(before) is not None and _number(before) == _number(after)
    if function == "durationDiffSuppress":
        return _seconds(before) is not None and _seconds(before) == _seconds(after)
    if function == "jsonPolicyDiffSuppress":
        try:
            return bool(json.loads(before) == json.loads(after))
        except (TypeError, ValueError):
            return False
    if (
        function == "tfresource.DefinedTagsDiffSuppressFunction"
        and isinstance(before, dict)
        and isinstance(after, dict)
    ):
        return {k.lower(): v for k, v in before.items()} == {k.lower(): v for k, v in after.items()}
    return False


def _number(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(value: Any) -> float | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", str(value))
    return float(match[1]) * UNITS[match[2]] if match else None
