"""The federation spec (``https://specs.apollo.dev/federation/v2.x``): the directives a
subgraph uses to say how it takes part in the supergraph.

A subgraph links the spec and imports its directives (Federation 2), or uses every
directive by its bare name (Federation 1, no link). Some directives the spec lends from
other specs, which define them in the supergraph (``@tag``, ``@inaccessible``, ``@cost``,
the access-control and context directives): their entries here come from those specs'
modules. The composer reads the subgraph's applications with the typed readers below; the
gateway reads progressive-override labels with :func:`label_percent`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import access_control, context, cost, inaccessible, tag
from .link import ANY_VALUE, FederationDirective

__all__ = [
    "DIRECTIVES",
    "FED1_TYPES",
    "IDENTITY",
    "LATEST",
    "SUBGRAPH_FIELDS",
    "SUBGRAPH_TYPES",
    "TYPES",
    "Key",
    "Override",
    "field_set_text",
    "key_of",
    "label_percent",
    "override_of",
    "valid_label",
]

IDENTITY = "https://specs.apollo.dev/federation"
LATEST = (2, 12)
"""The newest version a subgraph may link."""
DIRECTIVES: Mapping[str, FederationDirective] = {
    "key": FederationDirective(
        (1, 0),
        f"(fields: {ANY_VALUE}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    ),
    "requires": FederationDirective((1, 0), f"(fields: {ANY_VALUE}!) on FIELD_DEFINITION"),
    "provides": FederationDirective((1, 0), f"(fields: {ANY_VALUE}!) on FIELD_DEFINITION"),
    "external": FederationDirective((1, 0), "(reason: String) on OBJECT | FIELD_DEFINITION"),
    "extends": FederationDirective((1, 0), "on OBJECT | INTERFACE"),
    **tag.FEDERATION,
    "shareable": FederationDirective((2, 0), "repeatable on OBJECT | FIELD_DEFINITION"),
    **inaccessible.FEDERATION,
    "override": FederationDirective((2, 0), "(from: String!, label: String) on FIELD_DEFINITION"),
    "composeDirective": FederationDirective((2, 1), "(name: String!) repeatable on SCHEMA"),
    "interfaceObject": FederationDirective((2, 3), "on OBJECT"),
    **access_control.FEDERATION,
    **context.FEDERATION,
    **cost.FEDERATION,
}
"""Every directive a subgraph may import, in the order the spec lists them."""
TYPES = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
"""The spec's own types, which never reach the supergraph."""
FED1_TYPES = ("_FieldSet", "FieldSet")
"""The field-set scalars of a Federation 1 subgraph."""
SUBGRAPH_TYPES = frozenset({"_Service", "_Entity", "_Any"})
"""Types every subgraph defines for the gateway's entity fetches, not for the supergraph."""
SUBGRAPH_FIELDS = frozenset({"_service", "_entities"})
"""The query fields every subgraph adds for the gateway."""
_LABEL = re.compile(
    r"^(percent\((\d{1,2}(\.\d{1,8})?|100(\.0{1,8})?)\)|[a-zA-Z][a-zA-Z0-9_\-:./]*)\Z", re.ASCII
)
_PERCENT = ("percent(", ")")


@dataclass(frozen=True, slots=True)
class Key:
    """``@key``: the fields identifying an entity, and whether this subgraph resolves it."""

    fields: str
    resolvable: bool


@dataclass(frozen=True, slots=True)
class Override:
    """``@override``: the field is taken from subgraph ``source``, progressively when it
    has a ``label``."""

    source: str | None
    label: str | None = None


def field_set_text(value: object) -> str | None:
    """A field-set argument (``fields``, ``from``) as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # Federation 1 accepted ["a", "b"] field sets
        return " ".join(str(v) for v in value)
    return None


def key_of(arguments: Mapping[str, object]) -> Key:
    """``@key``'s arguments as a :class:`Key`."""
    return Key(
        fields=field_set_text(arguments.get("fields")) or "",
        resolvable=arguments.get("resolvable") is not False,
    )


def override_of(arguments: Mapping[str, object]) -> Override:
    """``@override``'s arguments as an :class:`Override`."""
    label = arguments.get("label")
    return Override(
        field_set_text(arguments.get("from")), label if isinstance(label, str) else None
    )


def valid_label(label: str) -> bool:
    """Whether an override label is a name or ``percent(x)`` with ``0 <= x <= 100``."""
    return _LABEL.match(label) is not None


def label_percent(label: str) -> float | None:
    """The share of requests a ``percent(x)`` label is active for; ``None`` for a named
    label (active when the gateway's configuration switches it on)."""
    start, end = _PERCENT
    if not (label.startswith(start) and label.endswith(end)):
        return None
    try:
        return float(label[len(start) : -len(end)])
    except ValueError:
        return None
