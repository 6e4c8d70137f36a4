"""The tag spec (``https://specs.apollo.dev/tag/v0.3``): ``@tag(name:)`` labels an element
for tooling (contracts, documentation); the gateway serves tagged elements unchanged."""

from __future__ import annotations

from collections.abc import Mapping

from .link import FederationDirective

__all__ = ["DEFINITION", "FEDERATION", "NAME", "URL", "tag_of"]

NAME = "tag"
URL = "https://specs.apollo.dev/tag/v0.3"
_LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM"
    " | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA"
)
DEFINITION = f"directive @tag(name: String!) repeatable on {_LOCATIONS}"
"""What a supergraph defines when something is tagged."""
FEDERATION: Mapping[str, FederationDirective] = {
    "tag": FederationDirective((1, 0), f"(name: String!) repeatable on {_LOCATIONS}"),
}


def tag_of(arguments: Mapping[str, object]) -> str:
    """``@tag``'s name."""
    return str(arguments.get("name"))
