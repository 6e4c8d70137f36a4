"""The inaccessible spec (``https://specs.apollo.dev/inaccessible/v0.2``, linked
``for: SECURITY``): an ``@inaccessible`` element stays in the supergraph, for the planner,
and leaves the API schema clients see."""

from __future__ import annotations

from collections.abc import Mapping

from .link import FederationDirective

__all__ = ["DEFINITION", "FEDERATION", "NAME", "SUPPORTED", "URL"]

NAME = "inaccessible"
URL = "https://specs.apollo.dev/inaccessible/v0.2"
SUPPORTED = ("0.1", "0.2")
"""The versions the gateway enforces."""
_LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM"
    " | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
DEFINITION = f"directive @inaccessible on {_LOCATIONS}"
"""What a supergraph defines when something is inaccessible."""
FEDERATION: Mapping[str, FederationDirective] = {
    "inaccessible": FederationDirective((2, 0), f"on {_LOCATIONS}"),
}
