"""The providers' DiffSuppressFuncs, as the stand-in's plan applies them (rule `change-diff-suppress`).

facts/provider-behaviour.json names the function of every argument that has one; each is written
here from its Go source at the pinned tags (file:line below), keeping its quirks. When the
configured value differs from the prior state only in a way its function ignores, the plan keeps
the prior value: no change, and no replacement for a ForceNew argument (Terraform drops a
`requires_replace` path whose planned value equals the prior one).

The SDK's rules that decide which pairs of values a function sees (terraform-plugin-sdk v2,
helper/schema): a map is compared key by key (`defined_tags.<namespace>.<key>`, a missing side
being ""), and the kept keys make the planned map; a list's elements pair by index; a set's by
their hash, so a function inside a set whose hash reads the raw value never sees a pair (OCI's
retention and lifecycle rules: the element is replaced, which the stand-in already plans);
`cleanup_policies` hashes with `mapHashID`, which normalises durations first, so its durations
do pair.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .behaviour import attributes, diff_suppressed

TPG = "hashicorp/terraform-provider-google v6.50.0"
OCI = "oracle/terraform-provider-oci v7.19.0"


@dataclass(frozen=True)
class Diff:
    """What a function may read besides the two strings: the SDK's `*schema.ResourceData`."""

    prior: dict[str, Any]  # the resource's prior state
    config: dict[str, Any]  # what the plan proposes (the configuration, computed values kept)
    provider: dict[str, Any]  # the provider configuration
    change: tuple[Any, Any]  # d.GetChange of the attribute the function is on: (prior, config)


Suppress = Callable[[str, str, str, Diff], bool]
"""(key, old, new, d) -> the SDK drops this diff: a SchemaDiffSuppressFunc."""


def case_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """google/tpgresource/common_diff_suppress.go:41."""
    return old.upper() == new.upper()


_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration_seconds(value: str) -> int | None:
    """parseDurationAsSeconds (resource_artifact_registry_repository.go:73): an integer (Atoi) and
    one unit of s, m, h or d; anything else (`1.5h`) does not parse."""
    if not value or value[-1] not in _SECONDS or not re.fullmatch(r"[+-]?[0-9]+", value[:-1]):
        return None
    return int(value[:-1]) * _SECONDS[value[-1]]


def duration_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """durationDiffSuppress, resource_artifact_registry_repository.go:96: `30d` == `2592000s`."""
    old_seconds, new_seconds = _duration_seconds(old), _duration_seconds(new)
    return old_seconds is not None and new_seconds is not None and old_seconds == new_seconds


def _iam_member_is_case_sensitive(member: str) -> bool:
    """google/tpgiamresource/iam.go:268."""
    return "allAuthenticatedUsers" in member or "allUsers" in member or member.startswith(("principalSet:", "principal:", "principalHierarchy:"))


def iam_member_case_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """google/tpgiamresource/resource_iam_member.go:34: a member's value is compared
    case-insensitively, but principals and allUsers/allAuthenticatedUsers exactly."""
    if _iam_member_is_case_sensitive(old) or _iam_member_is_case_sensitive(new):
        return old == new
    return case_diff_suppress(key, old, new, d)


def _normalize_member(member: str) -> str:
    """normalizeIamMemberCasing, google/tpgiamresource/iam.go:285."""
    for prefix in ("deleted:", "iamMember:"):
        if member.startswith(prefix):
            pieces = member.split(":", 2)
            if len(pieces) > 2 and not _iam_member_is_case_sensitive(member[len(prefix) :]):
                pieces[2] = pieces[2].lower()
            return ":".join(pieces)
    if not _iam_member_is_case_sensitive(member):
        pieces = member.split(":", 1)
        if len(pieces) > 1:
            pieces[1] = pieces[1].lower()
        return ":".join(pieces)
    return member


def _bindings(policy: dict[str, Any]) -> dict[tuple[str, tuple[str, str, str]], set[str]]:
    """createIamBindingsMap (iam.go:311): (role, condition) -> normalised members, empty ones dropped."""
    found: dict[tuple[str, tuple[str, str, str]], set[str]] = {}
    for binding in policy.get("bindings") or []:
        condition = binding.get("condition") or {}
        key = (binding.get("role", ""), (condition.get("description", ""), condition.get("expression", ""), condition.get("title", "")))
        members = found.get(key, set()) | {_normalize_member(m) for m in binding.get("members") or []}
        if members:
            found[key] = members
        else:
            found.pop(key, None)
    return found


def _audit_configs(policy: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """createIamAuditConfigsMap (iam.go:377): service -> log type -> exempted members."""
    found: dict[str, dict[str, set[str]]] = {}
    for config in policy.get("auditConfigs") or []:
        log_types = found.setdefault(config.get("service", ""), {})
        for log_config in config.get("auditLogConfigs") or []:
            log_types.setdefault(log_config.get("logType", ""), set()).update(log_config.get("exemptedMembers") or [])
    return found


def json_policy_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """jsonPolicyDiffSuppress and compareIamPolicies, google/tpgiamresource/iam.go:429-469: etag,
    version, bindings (order and member case aside) and audit configs equal."""
    if old == "" and new == "":
        return True
    if old == "" or new == "":
        return False
    try:
        before, after = json.loads(old), json.loads(new)
    except json.JSONDecodeError:
        return False
    return (
        before.get("etag", "") == after.get("etag", "")
        and before.get("version", 0) == after.get("version", 0)
        and _bindings(before) == _bindings(after)
        and _audit_configs(before) == _audit_configs(after)
    )


def _resource_name(link: str) -> str:
    """GetResourceNameFromSelfLink, google/tpgresource/self_link_helpers.go:116: the last segment."""
    return link.split("/")[-1]


def compare_resource_names(key: str, old: str, new: str, d: Diff) -> bool:
    """CompareResourceNames (self_link_helpers.go:31) and CompareProjectName
    (google/services/resourcemanager/iam_project.go:115): `projects/p` == `p`."""
    return _resource_name(old) == _resource_name(new)


def _relative_path(link: str) -> str | None:
    """GetRelativePath, self_link_helpers.go:96."""
    parts = link.split("projects/", 1)
    return f"projects/{parts[1]}" if len(parts) == 2 else None


def compare_self_link_or_resource_name(key: str, old: str, new: str, d: Diff) -> bool:
    """CompareSelfLinkOrResourceName, self_link_helpers.go:75: a bare name equals the state's full
    path ending in it; two paths compare from `projects/` on."""
    if len(new.split("/")) == 1 and _resource_name(old) == new:
        return True
    old_path, new_path = _relative_path(old), _relative_path(new)
    return old_path is not None and new_path is not None and old_path == new_path


def upstream_policies_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """upstreamPoliciesDiffSuppress, resource_artifact_registry_repository.go:39: the upstream
    policies as a set of (id, priority, repository): their order plans nothing."""
    before, after = d.change

    def hashes(policies: Any) -> set[str] | None:
        if not isinstance(policies, list):
            return None
        return {f"[id:{p.get('id')} priority:{p.get('priority')} repository:{p.get('repository')}]" for p in policies}

    old_set, new_set = hashes(before or []), hashes(after or [])
    return old_set is not None and old_set == new_set


def defined_tags_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """DefinedTagsDiffSuppressFunction, internal/tfresource/tags_helper.go:46, with the provider's
    `ignore_defined_tags` (internal/provider/provider.go:248 copies it into DefinedTagsToSuppress,
    :516 reads it): (1) a listed `namespace.key` (any case) never plans, either way; (2) a changed
    value always does; (3) an added or removed key only when the whole maps differ beyond key case."""
    tag = ".".join(key.split(".")[1:])
    if any(tag.lower() == ignored.lower() for ignored in d.provider.get("ignore_defined_tags") or []):
        return True
    if old != "" and new != "":
        return False
    before, after = d.change
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    return {k.lower(): v for k, v in before.items()} == {k.lower(): v for k, v in after.items()}


def policy_hash(statements: list[str]) -> str:
    """getMD5Hash, internal/service/identity/identity_policy_resource.go:411: md5 of the statements joined by '#'."""
    return hashlib.md5("#".join(statements).encode()).hexdigest()


def ignore_policy_format_diff(key: str, old: str, new: str, d: Diff) -> bool:
    """ignorePolicyFormatDiff, identity_policy_resource.go:394: the configured statements' hash equals
    the one Read stored (policyHash of the statements OCI returned, :387) and the ETags agree. So
    the statements compare as one list, joined by '#'."""
    statements = d.config.get("statements")
    if not isinstance(statements, list) or not all(isinstance(s, str) for s in statements):
        return False
    return (
        (d.prior.get("policy_hash") or "").lower() == policy_hash(statements).lower()
        and (d.prior.get("last_update_e_tag") or "").lower() == (d.prior.get("e_tag") or "").lower()
    )


def equal_ignore_case_suppress_diff(key: str, old: str, new: str, d: Diff) -> bool:
    """EqualIgnoreCaseSuppressDiff, internal/tfresource/crud_helpers.go:606."""
    return old.lower() == new.lower()


def time_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """TimeDiffSuppressFunction, crud_helpers.go:1300: two RFC 3339 texts of one instant."""
    try:
        before, after = datetime.fromisoformat(old), datetime.fromisoformat(new)
    except ValueError:
        return False
    return before.tzinfo is not None and after.tzinfo is not None and before == after


def int64_string_diff_suppress(key: str, old: str, new: str, d: Diff) -> bool:
    """Int64StringDiffSuppressFunction, crud_helpers.go:1312: `07` == `7`."""
    if not (re.fullmatch(r"[+-]?[0-9]+", old) and re.fullmatch(r"[+-]?[0-9]+", new)):
        return False
    return int(old) == int(new)


FUNCTIONS: dict[str, Suppress] = {
    "tpgresource.CaseDiffSuppress": case_diff_suppress,
    "durationDiffSuppress": duration_diff_suppress,
    "iamMemberCaseDiffSuppress": iam_member_case_diff_suppress,
    "jsonPolicyDiffSuppress": json_policy_diff_suppress,
    "tpgresource.CompareSelfLinkOrResourceName": compare_self_link_or_resource_name,
    "tpgresource.CompareResourceNames": compare_resource_names,
    "CompareProjectName": compare_resource_names,
    "upstreamPoliciesDiffSuppress": upstream_policies_diff_suppress,
    "tfresource.DefinedTagsDiffSuppressFunction": defined_tags_diff_suppress,
    "ignorePolicyFormatDiff": ignore_policy_format_diff,
    "tfresource.EqualIgnoreCaseSuppressDiff": equal_ignore_case_suppress_diff,
    "tfresource.TimeDiffSuppressFunction": time_diff_suppress,
    "tfresource.Int64StringDiffSuppressFunction": int64_string_diff_suppress,
}

NOT_MODELLED = {
    "emptyMavenConfigDiffSuppress": "maven_config: no stack emits it",
}


def planned(type_name: str, prior: dict[str, Any], proposed: dict[str, Any], provider: dict[str, Any], unknown: object = None) -> dict[str, Any]:
    """The plan of an update: `proposed` (changed in place) with every suppressed difference
    planned as the prior value. `unknown` is the caller's marker of a value not known yet: never
    suppressed."""
    for path, name in diff_suppressed(type_name).items():
        function = FUNCTIONS.get(name)
        if function is not None:
            _walk(type_name, path.split("."), "", "", prior, proposed, function, _Context(prior, proposed, provider, unknown))
    return proposed


@dataclass(frozen=True)
class _Context:
    prior: dict[str, Any]
    config: dict[str, Any]
    provider: dict[str, Any]
    unknown: object


def _walk(type_name: str, parts: list[str], path: str, key: str, old: dict[str, Any], new: dict[str, Any], function: Suppress, context: _Context) -> None:
    """Down the blocks of `parts` to the argument at its end; `path` is the facts' (no indexes),
    `key` the SDK's (`configuration.0.source.0.source_type`)."""
    name = parts[0]
    path, key = (f"{path}.{name}", f"{key}.{name}") if path else (name, name)
    if len(parts) == 1:
        _leaf(key, old, new, name, function, context)
        return
    old_blocks, new_blocks = old.get(name), new.get(name)
    if not isinstance(old_blocks, list) or not isinstance(new_blocks, list):
        return
    for index, (before, after) in enumerate(_pairs(attributes(type_name).get(path, {}), old_blocks, new_blocks)):
        _walk(type_name, parts[1:], path, f"{key}.{index}", before, after, function, context)


def _pairs(facts: dict[str, Any], old: list[Any], new: list[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The elements of a block whose values the SDK compares: a list's by index, a set's by hash."""
    if facts.get("type") != "set":
        return list(zip(old, new, strict=False))
    if facts.get("set_hash") == "mapHashID":
        hashes = {_map_hash_id(before): before for before in old}
        return [(hashes[_map_hash_id(after)], after) for after in new if _map_hash_id(after) in hashes]
    return []  # the hash reads the raw values: a changed value is another element


def _map_hash_id(policy: dict[str, Any]) -> str:
    """mapHashID, resource_artifact_registry_repository.go:108: a cleanup policy with its durations in seconds."""
    normalised = json.loads(json.dumps(policy, default=str))
    for condition in normalised.get("condition") or []:
        for field in ("older_than", "newer_than"):
            seconds = _duration_seconds(condition.get(field) or "")
            if seconds is not None:
                condition[field] = f"{seconds}s"
    return json.dumps(normalised, sort_keys=True)


def _leaf(key: str, old: dict[str, Any], new: dict[str, Any], name: str, function: Suppress, context: _Context) -> None:
    before, after = old.get(name), new.get(name)
    if before == after or _has_unknown(before, context.unknown) or _has_unknown(after, context.unknown):
        return
    diff = Diff(context.prior, context.config, context.provider, (before, after))
    if isinstance(before, dict) or isinstance(after, dict):
        new[name] = _planned_map(key, before or {}, after, function, diff)
        return
    if isinstance(before, list) or isinstance(after, list):
        # A list's every element and its count ask the function; the functions on lists
        # (statements, upstream_policies) read the whole lists, so all answer alike.
        if function(f"{key}.#", "", "", diff):
            new[name] = before
        return
    if function(key, _text(before), _text(after), diff):
        new[name] = before


def _planned_map(key: str, before: dict[str, Any], after: dict[str, Any] | None, function: Suppress, diff: Diff) -> dict[str, Any] | None:
    """A map's keys one by one: a suppressed key keeps its prior value, or its absence."""
    configured = after or {}
    kept: dict[str, Any] = {}
    for name in sorted(set(before) | set(configured)):
        if name in before and name in configured and before[name] == configured[name]:
            kept[name] = configured[name]
        elif function(f"{key}.{name}", _text(before.get(name)), _text(configured.get(name)), diff):
            if name in before:
                kept[name] = before[name]
        elif name in configured:
            kept[name] = configured[name]
    return kept if kept or after is not None else None


def _text(value: Any) -> str:
    """A value as the SDK's flatmap holds it: null is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _has_unknown(value: Any, unknown: object) -> bool:
    if unknown is None:
        return False
    if value is unknown:
        return True
    if isinstance(value, dict):
        return any(_has_unknown(v, unknown) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v, unknown) for v in value)
    return False
