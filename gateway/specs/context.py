"""The context spec (``https://specs.apollo.dev/context/v0.1``, linked ``for: SECURITY``):
``@context(name:)`` on a type sets a context for the fields below it, and an argument
marked ``@fromContext(field: "$name selection")`` is filled by the gateway from what the
selection reads on the nearest ancestor setting the context; clients never pass it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .link import ANY_VALUE, FederationDirective

__all__ = [
    "DEFINITIONS",
    "FEDERATION",
    "NAME",
    "SUPPORTED",
    "URL",
    "ContextReference",
    "context_name_of",
    "reference_of",
]

NAME = "context"
URL = "https://specs.apollo.dev/context/v0.1"
SUPPORTED = ("0.1",)
"""The versions the gateway enforces."""
DEFINITIONS = """
directive @context(name: String!) repeatable on OBJECT | INTERFACE | UNION

directive @context__fromContext(field: context__ContextFieldValue) on ARGUMENT_DEFINITION

scalar context__ContextFieldValue
""".strip()
"""What a supergraph defines when some type sets a context."""
FEDERATION: Mapping[str, FederationDirective] = {
    "context": FederationDirective(
        (2, 8), "(name: String!) repeatable on INTERFACE | OBJECT | UNION"
    ),
    "fromContext": FederationDirective((2, 8), f"(field: {ANY_VALUE}) on ARGUMENT_DEFINITION"),
}
_REFERENCE = re.compile(r"^\s*\$([_A-Za-z][_0-9A-Za-z]*)(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ContextReference:
    """``@fromContext(field:)``: the context's name and what is read on it."""

    context: str
    """The context's name as the subgraph sets it (``@context(name:)``)."""
    selection: str
    """What follows the context's name: ``" { currency }"``."""


def context_name_of(arguments: Mapping[str, object]) -> str | None:
    """``@context``'s name."""
    name = arguments.get("name")
    return name if isinstance(name, str) else None


def reference_of(field: str) -> ContextReference:
    """``"$name selection"`` read; a reference naming no context keeps all its text as
    the selection, for the rules to report."""
    found = _REFERENCE.match(field)
    if found is None:
        return ContextReference("", field)
    return ContextReference(found.group(1), found.group(2))
