"""What an edit will do in the cloud: every resource change between two synths of a config, classified.

`classify(baseline, new)` takes the stacks of a config as reviewed (tests/snapshots/<config>/) and
as synthesized now, each `{stack id: Terraform JSON}`, and returns one `Change` per resource that
changes, most dangerous first; `review_lines` says each in one line of plain words. Offline, no
credentials, no plan: what each argument's change does comes from the providers' source
(review/behaviour.py reads facts/provider-behaviour.json). Standard library only: no cdktf, no jsii.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from review import behaviour
from review.behaviour import EXPLICIT, KEEP, MISSING, NOOP, REPLACE, Effect

Json = dict[str, Any]

REFUSED, STATE, PERMANENT, WARNING, IAM, REPLACED, DESTROY, NO_CHANGE, UPDATE, CREATE, IMPORT, FORGET, MOVE = (
    "refused",
    "state",
    "permanent",
    "warning",
    "iam_rewrite",
    "replace",
    "destroy",
    "no_change_in_cloud",
    "update",
    "create",
    "import",
    "forget",
    "move",
)
RANK = {
    REFUSED: -1,
    STATE: 0,
    PERMANENT: 1,
    WARNING: 2,
    IAM: 3,
    REPLACED: 4,
    DESTROY: 5,
    NO_CHANGE: 6,
    UPDATE: 7,
    FORGET: 8,
    IMPORT: 9,
    MOVE: 10,
    CREATE: 11,
}
"""Most dangerous first: what the cloud would refuse, state that moves, then what loses data or access
(rank 1: a change that needs an acknowledgement), warnings, rewritten access, other replacements, ..."""
LABEL = {
    REFUSED: "REFUSED",
    STATE: "STATE MOVES",
    PERMANENT: "PERMANENT",
    WARNING: "WARNING",
    IAM: "IAM REWRITE",
    REPLACED: "REPLACE",
    DESTROY: "DESTROY",
    NO_CHANGE: "NO CHANGE",
    UPDATE: "UPDATE",
    CREATE: "CREATE",
    IMPORT: "IMPORT",
    FORGET: "FORGET",
    MOVE: "MOVE",
}

STATEFUL = {
    "oci_objectstorage_bucket": (
        "bucket",
        "every object and version in it is deleted (OCI refuses to delete a bucket that still"
        " holds objects: the apply stops there until someone empties it)",
    ),
    "google_artifact_registry_repository": (
        "repository",
        "every artifact in it is deleted, with the IAM bindings on it (Terraform"
        " grants them again only on the next apply)",
    ),
}
"""Types whose destruction loses what they hold: the noun, and what is lost."""
NOUNS = {
    "oci_identity_policy": "policy",
    "oci_objectstorage_object_lifecycle_policy": "lifecycle policy",
    "oci_objectstorage_replication_policy": "replication policy",
    "oci_logging_log": "log",
    "oci_logging_log_group": "log group",
    "google_project_service": "API enablement",
    "google_project_service_identity": "service agent",
    "google_project_iam_audit_config": "audit config",
    "google_artifact_registry_repository_iam_policy": "IAM policy",
}
CLEAR = {
    "rules": "the lifecycle rules keep running: remove the whole lifecycle to delete the policy",
    "kms_key_id": "the bucket stays encrypted with that key, which needs its key policy to stay",
    "versioning": "clear it with `oci os bucket update --versioning`",
    "freeform_tags": "clear them in the console or with the OCI CLI",
    "defined_tags": "clear them in the console or with the OCI CLI",
    "vulnerability_scanning_config": "set vulnerability_scanning explicitly to change it",
}
"""How to clear an Optional+Computed argument that Terraform will not clear once it is removed."""
DESTROYS: dict[str, Callable[[Json], str]] = {
    "google_project_service": lambda body: (
        f"{body.get('service')} is only forgotten (disable_on_destroy = false)"
        if body.get("disable_on_destroy") is False
        else f"{body.get('service')} is disabled in project {body.get('project')}"
        " (disable_on_destroy defaults to true), for every user"
        " of it, even if Terraform did not enable it"
    ),
    "google_project_iam_audit_config": lambda body: (
        f"the Data Access audit logs of {body.get('service')} in project {body.get('project')} are turned off (every"
        " audit config"
        " of that service, whoever set it)"
    ),
    "oci_objectstorage_replication_policy": lambda body: (
        f"new objects stop replicating to {body.get('destination_bucket_name')} in"
        f" {body.get('destination_region_name')}; that"
        " bucket and the copies in it stay"
    ),
}
"""What destroying a resource of these types does, in plain words (facts/provider-behaviour.json `delete`)."""
KEY_IN_STATEMENT = re.compile(r"target\.key\.id\s*=\s*'([^']+)'")
REFERENCE = re.compile(r"\$\{((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?[^}]*\}")


@dataclass(frozen=True)
class Change:
    """One resource (or one stack's state) and what the edit does to it in the cloud."""

    kind: str
    stack: str
    address: str
    says: str
    accept: str | None = None
    """The acknowledgement recording it needs (`replace:<address>`), when it loses data or access."""
    prevented: bool = False
    """A replacement that the resource's prevent_destroy makes Terraform refuse."""

    @property
    def rank(self) -> int:
        return 1 if self.accept else RANK[self.kind]

    def line(self) -> str:
        where = f"{self.stack}  {self.address}" if self.address else self.stack
        return f"{LABEL[self.kind]:<11}  {where}  {self.says}"

    def as_json(self) -> Json:
        return {
            "class": self.kind,
            "label": LABEL[self.kind],
            "stack": self.stack,
            "address": self.address,
            "says": self.says,
            "needs_accept": self.accept,
            "prevent_destroy_refuses": self.prevented,
        }


def review_lines(baseline: dict[str, Json], new: dict[str, Json]) -> list[str]:
    """The review: one line per resource change between two synths of one config, most dangerous first."""
    return [change.line() for change in classify(baseline, new)]


def classify(baseline: dict[str, Json], new: dict[str, Json]) -> list[Change]:
    """Every resource change from the stacks `baseline` to the stacks `new` (each by stack id), most dangerous first."""
    old_stacks = {k: _clean(v) for k, v in baseline.items()}
    new_stacks = {k: _clean(v) for k, v in new.items()}
    changes: list[Change] = []
    renamed = _renames(old_stacks, new_stacks)
    for old_id, new_id in renamed.items():
        changes.append(
            Change(STATE, f"{old_id} -> {new_id}", "", _renamed(old_stacks[old_id], new_stacks[new_id], old_id, new_id))
        )
    for stack_id in sorted(set(old_stacks) - set(new_stacks) - set(renamed)):
        count = len(_resources(old_stacks[stack_id]))
        changes.append(
            Change(
                STATE,
                stack_id,
                "",
                f"no longer synthesized: nothing destroys its {count} resources, which its state"
                f" still holds; destroy them with `cdktf destroy {stack_id}` from the commit before, or keep them",
            )
        )
    for stack_id in sorted(new_stacks):
        old_id = next((o for o, n in renamed.items() if n == stack_id), stack_id)
        old = old_stacks.get(old_id, {})
        if old_id == stack_id and old and (moved := _backend_change(old, new_stacks[stack_id], stack_id)):
            changes.append(Change(STATE, stack_id, "", moved))
        changes += StackReview(stack_id, old, new_stacks[stack_id]).changes()
    return sorted(changes, key=lambda c: (c.rank, c.stack, c.address))


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _resources(stack: Json) -> dict[str, Json]:
    return {f"{kind}.{name}": body for kind, named in stack.get("resource", {}).items() for name, body in named.items()}


def _cloud(stack_id: str) -> str:
    return stack_id.rsplit("-", 1)[-1]


def _renames(old: dict[str, Json], new: dict[str, Json]) -> dict[str, str]:
    """Stacks that disappear while another of the same cloud appears, sharing resource addresses:
    a renamed environment."""
    gone, appeared = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    pairs: dict[str, str] = {}
    for old_id in gone:
        addresses = set(_resources(old[old_id]))
        shared = {
            n: len(addresses & set(_resources(new[n])))
            for n in appeared
            if _cloud(n) == _cloud(old_id) and n not in pairs.values()
        }
        best = [n for n, count in shared.items() if count and count == max(shared.values())]
        if len(best) == 1:  # two equally likely: say neither is a rename
            pairs[old_id] = best[0]
    return pairs


def _backend(stack: Json) -> Json:
    terraform = stack.get("terraform", {})
    return {k: terraform[k] for k in ("backend", "cloud") if k in terraform}


def _where_state(stack: Json) -> str:
    """Where a stack's state is, as a person says it."""
    backend = _backend(stack)
    if "cloud" in backend:
        workspaces = backend["cloud"].get("workspaces", {})
        workspace = workspaces.get("name") or workspaces.get("tags")
        return f"Terraform Cloud workspace {workspace} of {backend['cloud'].get('organization')}"
    for kind, settings in backend.get("backend", {}).items():
        if kind == "local":
            return f"local file {settings.get('path', 'terraform.tfstate')}"
        if kind in ("gcs", "s3"):
            where = f"{'prefix' if kind == 'gcs' else 'key'} {settings.get('prefix', settings.get('key'))}"
            return f"{kind} bucket {settings.get('bucket')} {where}"
        return f"{kind} backend {json.dumps(settings, sort_keys=True)}"
    return "the default local file terraform.tfstate"


def _renamed(old: Json, new: Json, old_id: str, new_id: str) -> str:
    count = len(_resources(new))
    return (
        f"a renamed environment is a new stack with a new state ({_where_state(new)}): its first plan creates its"
        f" {count}"
        f" resources again beside those {old_id}'s state holds: the apply makes again what is named after the"
        " environment (OCI policies and log groups), then stops at what must be unique (buckets, repositories);"
        f" move the state first (before the synth that renames it, `terraform state pull > {old_id}.tfstate` in"
        f" cdktf.out/stacks/{old_id}; after it, `terraform state push {old_id}.tfstate` in"
        f" cdktf.out/stacks/{new_id}); the lines below assume it moved"
    )


def _backend_change(old: Json, new: Json, stack_id: str) -> str | None:
    if _backend(old) == _backend(new):
        return None
    return (
        f"its state moves from {_where_state(old)} to {_where_state(new)} (a renamed app, or another backend):"
        " Terraform"
        f" starts there from an empty state and plans every resource as new; copy the state first with"
        f" `terraform init -migrate-state` in cdktf.out/stacks/{stack_id}"
    )


def _shown(value: Any, limit: int = 80) -> str:
    if value is MISSING:
        return "(none)"
    if isinstance(value, str):
        reference = REFERENCE.fullmatch(value)
        text = reference[1] if reference else value
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _noun(kind: str) -> str:
    return STATEFUL[kind][0] if kind in STATEFUL else NOUNS.get(kind, kind.split("_", 1)[-1].replace("_", " "))


@dataclass
class StackReview:
    """The changes within one stack (or a renamed stack against its old self)."""

    stack: str
    old: Json
    new: Json
    replaced: dict[str, str] = field(default_factory=dict)
    """Address -> why it is replaced: the references of the others follow it."""

    def changes(self) -> list[Change]:
        before, after = _resources(self.old), _resources(self.new)
        moved = {m["from"]: m["to"] for m in _blocks_of(self.new, "moved") if m.get("from") and m.get("to")}
        moved = {f: t for f, t in moved.items() if f in before and t in after and t not in before}
        removed = {r["from"]: r for r in _blocks_of(self.new, "removed") if r.get("from")}
        imports = {i["to"]: i for i in _blocks_of(self.new, "import") if i.get("to")}
        pairs = {address: (address, address) for address in set(before) & set(after)} | {
            t: (f, t) for f, t in moved.items()
        }
        resolved_old = {a: _resolve(body, before) for a, body in before.items()}
        resolved_new = {a: _resolve(body, after) for a, body in after.items()}
        effects = {
            new_a: behaviour.differences(new_a.split(".")[0], resolved_old[old_a], resolved_new[new_a])
            for new_a, (old_a, _) in pairs.items()
        }
        self._follow_replacements(effects, after)
        changes: list[Change] = []
        for address in sorted(pairs):
            old_address = pairs[address][0]
            changes += self._changed(
                address, old_address, resolved_old[old_address], resolved_new[address], effects[address]
            )
        gone = sorted(set(before) - {f for f, _ in pairs.values()})
        for address in gone:
            changes.append(self._gone(address, resolved_old[address], removed.get(address)))
        changes += self._orphaned_providers(gone, before)
        for address in sorted(set(after) - set(pairs)):
            changes.append(self._created(address, resolved_new[address], imports.get(address)))
        for address in sorted(after):
            if address.startswith("oci_objectstorage_bucket."):
                old_body = before.get(pairs[address][0], {}) if address in pairs else {}
                changes += self._new_locks(address, old_body, after[address])
        return changes

    def _new_locks(self, address: str, old: Json, new: Json) -> list[Change]:
        """A retention rule that gains a lock: listed on its own, whatever else the bucket does, since
        no later edit takes it back (usingretentionrules.htm: "Locking a retention rule is an
        irreversible operation")."""
        locked_before = {
            rule.get("display_name") for rule in old.get("retention_rules") or [] if rule.get("time_rule_locked")
        }
        return [
            Change(
                PERMANENT,
                self.stack,
                address,
                f"retention rule {rule.get('display_name')} gets a lock (time_rule_locked"
                f" {_shown(rule['time_rule_locked'])}): once that time passes the rule can never be undone, not"
                " shortened, not"
                " removed, by anyone, Oracle included, until the bucket is deleted, empty; before it, removing"
                " lock_after_days"
                " cancels the lock",
            )
            for rule in new.get("retention_rules") or []
            if rule.get("time_rule_locked") and rule.get("display_name") not in locked_before
        ]

    def _follow_replacements(self, effects: dict[str, list[Effect]], after: dict[str, Json]) -> None:
        """A replaced resource's computed attributes are new: a ForceNew argument that refers to them
        replaces its resource too."""
        self.replaced = {a: _reason(e) for a, e in effects.items() if any(x.what == REPLACE for x in e)}
        grew = True
        while grew:
            grew = False
            for address, body in after.items():
                if address in self.replaced or address not in effects:
                    continue
                kind = address.split(".")[0]
                facts = behaviour.resources().get(kind, {}).get("attributes", {})
                for key, value in body.items():
                    for target, attribute in _references(value):
                        fact = facts.get(key, {"force_new": key in behaviour.REPLACED_BY_REFERENCE.get(kind, ())})
                        target_facts = behaviour.resources().get(target.split(".")[0], {}).get("attributes", {})
                        computed = (
                            attribute in (None, "id")
                            or target_facts.get(attribute, {}).get("on_change") == "n/a (output only)"
                        )
                        if target in self.replaced and fact.get("force_new") and computed:
                            effects[address].append(Effect(key, target, target, REPLACE, force_new=True))
                            self.replaced[address] = f"{key} refers to {target}, which is replaced"
                            grew = True
                            break
                    if address in self.replaced:
                        break

    def _protected(self, body: Json) -> bool:
        return bool(body.get("lifecycle", {}).get("prevent_destroy"))

    def _changed(self, address: str, old_address: str, old: Json, new: Json, effects: list[Effect]) -> list[Change]:
        kind = address.split(".")[0]
        out: list[Change] = []
        if old_address != address:
            out.append(
                Change(
                    MOVE,
                    self.stack,
                    address,
                    f"moved from {old_address}: the same object in the cloud, under a new address",
                )
            )
        if kind.endswith("_iam_policy") and (iam := self._iam_policy(address, old, new, effects)):
            return [*out, iam]
        if kind == "oci_identity_policy" and (iam := self._oci_policy(address, old, new, effects)):
            return [*out, iam]
        if kind.endswith("_iam_member") and any(e.what == REPLACE for e in effects):
            return [
                *out,
                Change(
                    IAM,
                    self.stack,
                    address,
                    f"replaced: {_member(old)} loses {old.get('role')} on {_shown(old.get(_target(old)))}"
                    f" before {_member(new)} is granted {new.get('role')}",
                ),
            ]
        if not effects:
            return out
        replace = [e for e in effects if e.what == REPLACE]
        if replace:
            return [*out, self._replacement(address, new, replace[0])]
        cloud = [e for e in effects if e.what not in (KEEP, NOOP, behaviour.META_ONLY)]
        kept = [e for e in effects if e.what == KEEP]
        parts = [_update_text(e, kind) for e in cloud]
        if kind == "oci_objectstorage_bucket" and any(e.path == "kms_key_id" and e.new is not MISSING for e in cloud):
            parts.append(
                "objects already in the bucket stay encrypted with the key they were written with until"
                f" `oci os bucket reencrypt --bucket-name {new.get('name')}`"
            )
        parts += [_kept_text(e, kind) for e in kept]
        parts += [
            f"{e.path} {_shown(e.old)} -> {_shown(e.new)} shows as an update that sends nothing (state only)"
            for e in effects
            if e.what == NOOP
        ]
        if cloud:
            return [*out, Change(UPDATE, self.stack, address, "in place: " + "; ".join(parts))]
        if parts:
            return [*out, Change(NO_CHANGE, self.stack, address, "in the cloud: " + "; ".join(parts))]
        if all(e.path == "depends_on" for e in effects):
            return out  # the order of the apply only: nothing to review
        meta = ", ".join(f"{e.path} {_shown(e.old)} -> {_shown(e.new)}" for e in effects)
        return [
            *out,
            Change(NO_CHANGE, self.stack, address, f"in the cloud: only Terraform's own settings change ({meta})"),
        ]

    def _replacement(self, address: str, new: Json, effect: Effect) -> Change:
        kind = address.split(".")[0]
        noun = _noun(kind)
        if effect.old == effect.new and isinstance(effect.old, str) and effect.old in self.replaced:
            why = f"{effect.path} refers to {effect.old}, which is replaced: a new {noun}"
        elif effect.new is MISSING:
            why = f"{effect.path} {_shown(effect.old)} removed forces a new {noun}"
        else:
            why = f"{effect.path} {_shown(effect.old)} -> {_shown(effect.new)} forces a new {noun}"
        refused = f" ({self.stack} would refuse: prevent_destroy)" if self._protected(new) else ""
        if kind in STATEFUL:
            return Change(
                REPLACED,
                self.stack,
                address,
                f"{why}: {STATEFUL[kind][1]}{refused}",
                f"replace:{address}",
                bool(refused),
            )
        if kind == "oci_identity_policy":
            return Change(
                IAM,
                self.stack,
                address,
                f"{why}: the old one is deleted first, so its grants are gone until the new one takes effect{refused}",
            )
        return Change(REPLACED, self.stack, address, f"{why}: destroyed, then created again{refused}")

    def _iam_policy(self, address: str, old: Json, new: Json, effects: list[Effect]) -> Change | None:
        target = _shown(new.get(_target(new)))
        if any(e.what == REPLACE for e in effects):
            return Change(
                IAM,
                self.stack,
                address,
                f"replaced: the old policy on {_shown(old.get(_target(old)))} is emptied (every binding,"
                " including ones made outside Terraform), then the new one written",
                f"empty:{address}",
            )
        old_bindings, new_bindings = _bindings(self.old, old), _bindings(self.new, new)
        if old_bindings == new_bindings:
            return None
        if not any(new_bindings.values()):
            return Change(
                IAM,
                self.stack,
                address,
                f"emptied: the authoritative policy on {target} now has no binding, so every grant"
                " on it goes, including ones made outside Terraform",
                f"empty:{address}",
            )
        lost = _lost_members(old_bindings, new_bindings)
        if lost:
            return Change(
                IAM,
                self.stack,
                address,
                f"the authoritative policy on {target} is rewritten whole: {lost} removed"
                " (and any grant made outside Terraform)",
            )
        gained = _lost_members(new_bindings, old_bindings)
        return Change(UPDATE, self.stack, address, f"in place: the authoritative policy on {target} grants {gained}")

    def _oci_policy(self, address: str, old: Json, new: Json, effects: list[Effect]) -> Change | None:
        if any(e.what == REPLACE for e in effects):
            return None  # a replacement: said as one
        gone = [s for s in old.get("statements", []) if s not in new.get("statements", [])]
        if not gone:
            return None
        used = self._keys_still_used(gone)
        says = f"{len(gone)} statement{'s' if len(gone) > 1 else ''} removed, those grants end: " + "; ".join(
            _statement(s) for s in gone
        )
        if used:
            return Change(IAM, self.stack, address, f"{says}; {used}", f"destroy:{address}")
        return Change(IAM, self.stack, address, says)

    def _keys_still_used(self, statements: list[str]) -> str:
        """Which buckets still use a key whose grant goes (a removed kms_key_id keeps the key: Optional+Computed)."""
        keys = {m[1] for s in statements for m in [KEY_IN_STATEMENT.search(s)] if m}
        after = _resources(self.new)
        users = sorted(
            a
            for a, body in _resources(self.old).items()
            if a.startswith("oci_objectstorage_bucket.")
            and body.get("kms_key_id") in keys
            and a in after
            and a not in self.replaced
        )
        return (
            (
                f"{', '.join(users)} still use{'s' if len(users) == 1 else ''} the key: Object Storage loses access to"
                " it, so"
                " reads and writes of the bucket fail"
            )
            if users
            else ""
        )

    def _orphaned_providers(self, gone: list[str], before: dict[str, Json]) -> list[Change]:
        """Resources removed with the provider configuration that destroys them (a replica's region,
        when its last replica goes): Terraform's plan then stops ("Provider configuration not
        present"), so they are destroyed from the stack as it is, before the edit's synth."""
        aliases = {
            f"{name}.{config['alias']}"
            for name, configs in self.new.get("provider", {}).items()
            for config in (configs if isinstance(configs, list) else [configs])
            if isinstance(config, dict) and config.get("alias")
        }
        orphans: dict[str, list[str]] = {}
        for address in gone:
            provider = before[address].get("provider")
            if isinstance(provider, str) and "." in provider and provider not in aliases:
                orphans.setdefault(provider, []).append(address)
        return [
            Change(
                WARNING,
                self.stack,
                addresses[0],
                f"Terraform will refuse this plan: the provider {provider} that destroys {', '.join(addresses)} leaves"
                " the config with them (\"Provider configuration not present\"). Destroy them first, from the stack as"
                " it is: terraform destroy "
                + " ".join(f"-target={a}" for a in addresses)
                + " (docs/oci.md, replication)",
            )
            for provider, addresses in sorted(orphans.items())
        ]

    def _gone(self, address: str, old: Json, removed: Json | None) -> Change:
        kind = address.split(".")[0]
        noun = _noun(kind)
        if removed is not None and removed.get("lifecycle", {}).get("destroy") is False:
            if kind.endswith("_iam_policy"):
                bindings = _bindings(self.old, old)
                return Change(
                    IAM,
                    self.stack,
                    address,
                    f"forgotten, kept in the cloud: the authoritative policy keeps its bindings"
                    f" ({_members(bindings)}), no longer managed; remove unwanted members by hand",
                )
            return Change(
                FORGET,
                self.stack,
                address,
                f"forgotten, kept in the cloud: the {noun} stays as it is, no longer managed",
            )
        if kind.endswith("_iam_policy"):
            return Change(
                IAM,
                self.stack,
                address,
                f"destroyed: deleting an authoritative policy writes an EMPTY policy on"
                f" {_shown(old.get(_target(old)))}, so every grant on it goes, including ones made outside Terraform"
                f" ({_members(_bindings(self.old, old))})",
                f"empty:{address}",
            )
        if kind.endswith("_iam_member"):
            return Change(
                IAM,
                self.stack,
                address,
                f"destroyed: {_member(old)} loses {old.get('role')} on {_shown(old.get(_target(old)))}",
            )
        unprotected = " (prevent_destroy does not stop it: it went with the block)" if self._protected(old) else ""
        if kind in STATEFUL:
            return Change(
                DESTROY, self.stack, address, f"destroyed: {STATEFUL[kind][1]}{unprotected}", f"destroy:{address}"
            )
        if kind == "oci_identity_policy":
            used = self._keys_still_used(old.get("statements", []))
            count = len(old.get("statements", []))
            says = f"destroyed: its {count} statement{'s are' if count != 1 else ' is'} revoked" + (
                f"; {used}" if used else ""
            )
            return Change(IAM, self.stack, address, says, f"destroy:{address}" if used else None)
        if kind in DESTROYS:
            return Change(DESTROY, self.stack, address, f"destroyed: {DESTROYS[kind](old)}{unprotected}")
        effect = behaviour.delete_effect(kind)
        return Change(
            DESTROY, self.stack, address, f"destroyed{': ' + _first_sentence(effect) if effect else ''}{unprotected}"
        )

    def _created(self, address: str, new: Json, imported: Json | None) -> Change:
        kind = address.split(".")[0]
        noun = _noun(kind)
        adopts = (
            f"adopts the existing {noun} ({imported.get('id')}) instead of creating it" if imported is not None else ""
        )
        if kind == "oci_objectstorage_bucket" and imported is not None and new.get("versioning") == "Disabled":
            return Change(
                WARNING,
                self.stack,
                address,
                f"{adopts}, with versioning Disabled: a bucket that was ever versioned cannot"
                " go back to Disabled (OCI takes only Suspended then), so the apply fails if this one was; write"
                " versioning: suspended for it",
            )
        if imported is not None:
            return Change(
                IMPORT, self.stack, address, f"{adopts}; what differs from the config is changed in the same apply"
            )
        if kind == "oci_objectstorage_bucket" and new.get("versioning") == "Suspended":
            return Change(
                REFUSED,
                self.stack,
                address,
                "versioning Suspended on a bucket that is neither in the reviewed snapshots nor"
                " adopted: OCI creates a bucket only with Enabled or Disabled; write versioning: disabled (or enabled),"
                " or adopt the bucket if it exists",
            )
        if kind.endswith("_iam_policy"):
            return Change(
                IAM,
                self.stack,
                address,
                f"created: the authoritative policy replaces every grant on"
                f" {_shown(new.get(_target(new)))} with {_members(_bindings(self.new, new))}; grants made outside"
                " Terraform, and any additive members it replaces, go",
            )
        return Change(CREATE, self.stack, address, f"a new {noun}")


def _blocks_of(stack: Json, section: str) -> list[Json]:
    body = stack.get(section, [])
    if isinstance(body, dict):
        return [body]
    return [entry for entry in body if isinstance(entry, dict)] if isinstance(body, list) else []


def _resolve(value: Any, resources: dict[str, Json]) -> Any:
    """`value` with each whole-string reference to a configured argument of another resource
    replaced by that argument's value."""
    if isinstance(value, dict):
        return {k: _resolve(v, resources) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, resources) for v in value]
    if isinstance(value, str) and (match := REFERENCE.fullmatch(value)) and match[2]:
        target = resources.get(match[1], {})
        if match[2] in target and isinstance(target[match[2]], (str, int, float, bool)):
            return target[match[2]]
    return value


def _references(value: Any) -> list[tuple[str, str | None]]:
    if isinstance(value, dict):
        return [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return [(m[1], m[2]) for m in REFERENCE.finditer(value)] if isinstance(value, str) else []


def _reason(effects: list[Effect]) -> str:
    first = next(e for e in effects if e.what == REPLACE)
    return f"{first.path} {_shown(first.old)} -> {_shown(first.new)}"


def _update_text(effect: Effect, kind: str) -> str:
    if effect.what == EXPLICIT:
        risk = f"otherwise it forces a new {_noun(kind)}" if effect.force_new else "otherwise it is changed"
        return (
            f"{effect.path} now set to {_shown(effect.new)} (was left to the cloud):"
            f" no change if the cloud holds that, {risk}"
        )
    if effect.new is MISSING:
        return f"{effect.path} {_shown(effect.old)} removed"
    if effect.old is MISSING:
        return f"{effect.path} {_shown(effect.new)} added"
    return f"{effect.path} {_shown(effect.old)} -> {_shown(effect.new)}"


def _kept_text(effect: Effect, kind: str) -> str:
    top = effect.path.split(".")[0].split("[")[0]
    how = CLEAR.get(top, "clear it with the cloud's console or CLI")
    return (
        f"{effect.path} removed from the config, but the cloud keeps {_shown(effect.old)} (Optional+Computed: the plan"
        f" changes nothing); {how}"
    )


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".")


def _target(body: Json) -> str:
    return next((k for k in ("repository", "crypto_key_id", "project", "bucket") if k in body), "repository")


def _member(body: Json) -> str:
    return str(body.get("member", "(a member)"))


def _bindings(stack: Json, policy: Json) -> dict[str, set[str]]:
    """An authoritative policy's role -> members, from its policy_data (a google_iam_policy data source or JSON)."""
    data = policy.get("policy_data", "")
    match = REFERENCE.fullmatch(data) if isinstance(data, str) else None
    if match and match[1].startswith("data."):
        _, kind, name = match[1].split(".", 2)
        bindings = stack.get("data", {}).get(kind, {}).get(name, {}).get("binding", [])
    else:
        try:
            bindings = json.loads(data).get("bindings", []) if isinstance(data, str) else []
        except ValueError:
            bindings = []
    found: dict[str, set[str]] = {}
    for binding in bindings if isinstance(bindings, list) else [bindings]:
        found.setdefault(str(binding.get("role")), set()).update(binding.get("members", []))
    return found


def _lost_members(old: dict[str, set[str]], new: dict[str, set[str]]) -> str:
    lost = {role: sorted(members - new.get(role, set())) for role, members in sorted(old.items())}
    return "; ".join(f"{role}: {', '.join(members)}" for role, members in lost.items() if members)


def _members(bindings: dict[str, set[str]]) -> str:
    return (
        "; ".join(f"{role}: {', '.join(sorted(members))}" for role, members in sorted(bindings.items()) if members)
        or "no binding"
    )


def _statement(statement: str) -> str:
    """A policy statement up to where it says which compartment: who may do what."""
    return statement.split(" in compartment")[0].split(" in tenancy")[0]
