"""OCI IAM policy statements: a parser of the grammar, and what a statement grants.

The grammar is Policy Syntax's (https://docs.oracle.com/en-us/iaas/Content/Identity/Concepts/policysyntax.htm),
for the subjects, verbs, resource types, locations and conditions OCI documents:

    Allow <subject> to <verb> <resource-type> in <location> [where <conditions>]
    subject   group <name>[, <name>...] | group id <ocid> | group '<domain>'/'<group>'
              | dynamic-group ... | service <name>[, <name>...] | any-user | any-group
    verb      inspect | read | use | manage
    location  tenancy | compartment <name>[:<name>...] | compartment id <ocid>
    condition <variable> =|!= '<value>' | any {<condition>, ...} | all {<condition>, ...}

Permissions per verb and resource type are from "Details for Object Storage", "Details for
IAM", "Details for Logging" and "Common Policies" (see oci.py's and identity.py's sources).
Nothing here knows what the app emits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

VERBS = ("inspect", "read", "use", "manage")

# Details for Object Storage, "Resource-Types" and "Details for Verb + Resource-Type
# Combinations": each verb adds permissions to the one before it.
_CUMULATIVE = {
    "objects": (("OBJECT_INSPECT",), ("OBJECT_READ",), ("OBJECT_OVERWRITE",),
                ("OBJECT_CREATE", "OBJECT_DELETE", "OBJECT_VERSION_DELETE", "OBJECT_RESTORE", "OBJECT_UPDATE_TIER")),
    "buckets": (("BUCKET_INSPECT",), ("BUCKET_READ",), ("BUCKET_UPDATE",),
                ("BUCKET_CREATE", "BUCKET_DELETE", "PAR_MANAGE", "RETENTION_RULE_MANAGE", "RETENTION_RULE_LOCK")),
    "objectstorage-namespaces": (("OBJECTSTORAGE_NAMESPACE_READ",), (), (), ("OBJECTSTORAGE_NAMESPACE_UPDATE",)),
    # Vault keys: CreateBucket with a key needs the service to hold KEY_ENCRYPT, KEY_DECRYPT and
    # KEY_READ, which Common Policies grants with `use keys`.
    "keys": (("KEY_INSPECT",), ("KEY_READ",), ("KEY_ENCRYPT", "KEY_DECRYPT"), ("KEY_CREATE", "KEY_UPDATE", "KEY_DELETE")),
    "key-delegate": ((), (), ("KEY_ASSOCIATE",), ()),
    # Details for IAM: "The operation to list policies includes the contents of the policies
    # themselves" (inspect); UpdatePolicy "is available only with the manage verb" (Verbs).
    "policies": (("POLICY_READ",), (), (), ("POLICY_CREATE", "POLICY_UPDATE", "POLICY_DELETE")),
    # ListRegionSubscriptions: TENANCY_INSPECT (Details for IAM, tenancies). Only what the model checks.
    "tenancies": (("TENANCY_INSPECT",), (), (), ()),
    # Details for Logging, log-groups: GetLogGroup and GetLog read, CreateLog/UpdateLog/DeleteLog
    # and UpdateLogGroup update the group, CreateLogGroup and DeleteLogGroup manage it.
    "log-groups": (("LOG_GROUP_INSPECT",), ("LOG_GROUP_READ",), ("LOG_GROUP_UPDATE",),
                   ("LOG_GROUP_CREATE", "LOG_GROUP_DELETE", "LOG_GROUP_MOVE")),
}  # fmt: skip
FAMILIES = {
    "object-family": ("objects", "buckets", "objectstorage-namespaces"),
    "logging-family": ("log-groups",),  # with log-content and unified-configuration, not modelled
    "all-resources": tuple(_CUMULATIVE),
}


def permissions(verb: str, resource_type: str) -> frozenset[str]:
    """The permissions `verb resource_type` grants."""
    granted: set[str] = set()
    for kind in FAMILIES.get(resource_type, (resource_type,)):
        for level in _CUMULATIVE.get(kind, ())[: VERBS.index(verb) + 1]:
            granted.update(level)
    return frozenset(granted)


class PolicySyntaxError(ValueError):
    """A statement OCI would not parse; the message says where."""


@dataclass(frozen=True)
class Condition:
    """`variable = value` (or !=), or a list of conditions joined by any/all."""

    kind: str  # "=", "!=", "any", "all"
    variable: str = ""
    value: str = ""
    parts: tuple[Condition, ...] = ()

    def holds(self, context: Mapping[str, str]) -> bool:
        if self.kind == "any":
            return any(part.holds(context) for part in self.parts)
        if self.kind == "all":
            return all(part.holds(context) for part in self.parts)
        # "Condition matching is case insensitive" (Policy Syntax); a variable the request does
        # not carry makes the condition false, so the statement grants nothing.
        actual = context.get(self.variable.lower())
        if actual is None:
            return False
        equal = _matches(self.value, actual)
        return equal if self.kind == "=" else not equal


def _matches(value: str, actual: str) -> bool:
    if value.startswith("/") and value.endswith("/") and len(value) > 1:  # a pattern: /HR*/, /*HR/, /*HR*/
        pattern = "".join(".*" if char == "*" else re.escape(char) for char in value[1:-1])
        return re.fullmatch(pattern, actual, re.IGNORECASE) is not None
    return value.lower() == actual.lower()


@dataclass(frozen=True)
class Statement:
    text: str
    subject_kind: str  # group, dynamic-group, service, any-user, any-group
    subjects: tuple[str, ...]
    verb: str
    resource_type: str
    location_kind: str  # tenancy, compartment, compartment-id
    location: str  # a name path or an OCID ("" for tenancy)
    condition: Condition | None = None
    explicit_permissions: frozenset[str] = field(default_factory=frozenset)

    def grants(self, permission: str) -> bool:
        """Whether the verb and resource type include `permission` (conditions aside)."""
        if self.explicit_permissions:
            return permission in self.explicit_permissions
        return permission in permissions(self.verb, self.resource_type)

    def allows(self, subject: str, permission: str, context: Mapping[str, str]) -> bool:
        """Whether the statement lets `subject` (e.g. `objectstorage-us-ashburn-1`) use `permission`
        in a request with `context` (`target.bucket.name`, ...); the location is the caller's to check."""
        if self.subject_kind != "service" or subject.lower() not in (s.lower() for s in self.subjects):
            return False
        if not self.grants(permission):
            return False
        return self._holds(permission, context)

    def allows_group(self, groups: Iterable[str], permission: str, context: Mapping[str, str]) -> bool:
        """Whether the statement lets a user in `groups` (`Name` in the Default identity domain,
        `Domain/Name` in another, or a group OCID) use `permission`; the location is the caller's
        to check."""
        if self.subject_kind not in ("group", "any-user", "any-group"):
            return False
        if self.subject_kind == "group" and not {_group_key(s) for s in self.subjects} & {_group_key(g) for g in groups}:
            return False
        return self.grants(permission) and self._holds(permission, context)

    def _holds(self, permission: str, context: Mapping[str, str]) -> bool:
        request = {**{k.lower(): v for k, v in context.items()}, "request.permission": permission}
        return self.condition is None or self.condition.holds(request)


def _group_key(name: str) -> str:
    """A group as policies name it: `Default/X` and `X` are one group (Policy Syntax, subjects)."""
    domain, _, group = name.rpartition("/")
    return (group if domain.lower() in ("", "default") else name).lower()


_TOKEN = re.compile(r"\s*(?:('(?:[^'\\]|\\.)*')|(!=|=|\{|\}|,|/(?:[^/\s]*)/|/)|([^\s{},=!'/]+))")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise PolicySyntaxError(f"unexpected character {text[position:].lstrip()[:1]!r} at {position}")
        tokens.append(next(group for group in match.groups() if group is not None))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> str:
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def take(self, *expected: str) -> str:
        token = self.peek()
        if not token:
            raise PolicySyntaxError(f"the statement ends where {' or '.join(expected) or 'more'} should follow")
        if expected and token.lower() not in expected:
            raise PolicySyntaxError(f"expected {' or '.join(expected)}, found {token!r}")
        self.position += 1
        return token

    def statement(self) -> Statement:
        self.take("allow")
        subject_kind, subjects = self.subject()
        self.take("to")
        explicit: frozenset[str] = frozenset()
        if self.peek() == "{":
            explicit = self.permission_list()
            verb, resource_type = "manage", ""
        else:
            verb = self.take(*VERBS).lower()
            resource_type = self.take().lower()
            if resource_type not in _CUMULATIVE and resource_type not in FAMILIES:
                raise PolicySyntaxError(f"unknown resource type {resource_type!r}")
        self.take("in")
        location_kind, location = self.location()
        condition = None
        if self.peek().lower() == "where":
            self.take("where")
            condition = self.condition()
        if self.peek():
            raise PolicySyntaxError(f"unexpected {self.peek()!r} after the statement")
        return Statement(self.text, subject_kind, subjects, verb, resource_type, location_kind, location, condition, explicit)

    def subject(self) -> tuple[str, tuple[str, ...]]:
        kind = self.take("group", "dynamic-group", "service", "any-user", "any-group").lower()
        if kind in ("any-user", "any-group"):
            return kind, ()
        names = [self.name()]
        while self.peek() == ",":
            self.take(",")
            names.append(self.name())
        return kind, tuple(names)

    def name(self) -> str:
        if self.peek().lower() == "id":
            self.take("id")
            return self.ocid()
        first = self.take()
        if first in ("{", "}", ",", "=", "!=", "/"):
            raise PolicySyntaxError(f"expected a name, found {first!r}")
        if self.peek() == "/":  # '<domain>'/'<group>', or Domain/Group
            self.take("/")
            return f"{_unquote(first)}/{_unquote(self.take())}"
        return _unquote(first)

    def ocid(self) -> str:
        token = self.take()
        if not re.fullmatch(r"ocid1\.[a-z0-9-]+\.[a-z0-9]+\.[a-z0-9-]*(\.[a-z0-9-]+)?\.[a-z0-9]+", token):
            raise PolicySyntaxError(f"not an OCID: {token!r}")
        return token

    def location(self) -> tuple[str, str]:
        kind = self.take("tenancy", "compartment").lower()
        if kind == "tenancy":
            return "tenancy", ""
        if self.peek().lower() == "id":
            self.take("id")
            return "compartment-id", self.ocid()
        return "compartment", _unquote(self.take())

    def condition(self) -> Condition:
        if self.peek().lower() in ("any", "all") and self.tokens[self.position + 1 : self.position + 2] == ["{"]:
            kind = self.take().lower()
            self.take("{")
            parts = [self.condition()]
            while self.peek() == ",":
                self.take(",")
                parts.append(self.condition())
            self.take("}")
            return Condition(kind, parts=tuple(parts))
        variable = self.take()
        if not re.fullmatch(r"[a-z]+(\.[a-z0-9_-]+)+", variable, re.IGNORECASE):
            raise PolicySyntaxError(f"not a condition variable: {variable!r}")
        operator = self.take("=", "!=")
        value = self.take()
        if not (value.startswith("'") and value.endswith("'") and len(value) >= 2) and not (value.startswith("/") and value.endswith("/")):
            raise PolicySyntaxError(f"a condition value is quoted, 'like this', or a /pattern/: found {value!r}")
        return Condition(operator, variable, _unquote(value))

    def permission_list(self) -> frozenset[str]:
        self.take("{")
        names = [self.take()]
        while self.peek() == ",":
            self.take(",")
            names.append(self.take())
        self.take("}")
        for name in names:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]+", name):
                raise PolicySyntaxError(f"not a permission: {name!r}")
        return frozenset(names)


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == "'":
        return token[1:-1]
    if "'" in token:
        raise PolicySyntaxError(f"unbalanced quote in {token!r}")
    return token


@lru_cache(maxsize=4096)
def parse(text: str) -> Statement:
    """The statement `text` says, or PolicySyntaxError (statements are immutable: parsed once each)."""
    return _Parser(text).statement()


def parse_all(statements: list[str]) -> Iterator[Statement]:
    for text in statements:
        yield parse(text)
