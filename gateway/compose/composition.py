"""Composing subgraph SDLs into a supergraph SDL.

::

    read each subgraph -> check field sets, rules -> merge types -> print -> satisfiability
    subgraph.py           fieldsets.py               merge.py       supergraph_  satisfiability.py
    composed_             subgraph_rules.py          merge_*.py     printer.py
    directives.py         directive_rules.py         composed_directives.py

Each stage reports every problem it finds; composition stops after a stage that found any,
since later stages would only report their consequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..supergraph import load_supergraph
from .composed_directives import merge_composed_directives
from .declarations import Declarations
from .directive_rules import check_directive_rules
from .errors import CompositionError, CompositionErrorCode, CompositionFailed
from .fieldsets import FieldSetUsage, check_field_sets
from .merge import merge_types
from .satisfiability import check_satisfiability
from .subgraph import SubgraphSchema, read_subgraph
from .subgraph_rules import check_subgraph_rules
from .supergraph_printer import print_supergraph

__all__ = ["SubgraphSDL", "compose"]


@dataclass(frozen=True, slots=True)
class SubgraphSDL:
    """A subgraph to compose: its name, the URL the gateway routes to, and its SDL."""

    name: str
    url: str
    sdl: str


def compose(subgraphs: Sequence[SubgraphSDL]) -> str:
    """Compose ``subgraphs`` into a supergraph SDL.

    Raises :class:`CompositionFailed` with every error found when they do not compose.
    """
    errors = _name_errors(subgraphs)
    read: list[SubgraphSchema] = []
    for source in sorted(subgraphs, key=lambda s: s.name):
        schema, found = read_subgraph(source.name, source.url, source.sdl)
        errors += found
        if schema is not None:
            read.append(schema)
    if errors:
        raise CompositionFailed(errors)
    usages: dict[str, FieldSetUsage] = {}
    for schema in read:
        usage, found = check_field_sets(schema)
        usages[schema.name] = usage
        errors += found + check_subgraph_rules(schema, usage) + check_directive_rules(schema)
    if errors:
        raise CompositionFailed(errors)
    merged, errors = merge_types(Declarations(tuple(read), usages))
    spec_links, composed, link_errors = merge_composed_directives(
        [(s.name, s.composed) for s in read]
    )
    errors += link_errors
    if errors:
        raise CompositionFailed(errors)
    sdl = print_supergraph(read, merged, spec_links, composed)
    supergraph = load_supergraph(sdl)  # what the gateway does; a failure is a composer bug
    errors = check_satisfiability(supergraph)
    if errors:
        raise CompositionFailed(errors)
    return sdl


def _name_errors(subgraphs: Sequence[SubgraphSDL]) -> list[CompositionError]:
    errors = []
    seen: set[str] = set()
    for source in subgraphs:
        if not source.name.strip() or source.name == "_":
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_SUBGRAPH_NAME,
                    f'Invalid subgraph name "{source.name}": give every subgraph a name',
                )
            )
        elif source.name in seen:
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_SUBGRAPH_NAME,
                    f'Two subgraphs are named "{source.name}": subgraph names must be unique',
                )
            )
        seen.add(source.name)
    return errors
