"""The two client schemas a check compares: the current graph's and the proposed one's.

The current graph is the supergraph that is deployed (``--against``, by default
``schema/supergraph.graphql``) or, without one, what the configured subgraphs compose to.
Both become API schemas the way the gateway builds them, so the comparison sees exactly
what clients see.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graphql import GraphQLSchema

from ..api_schema import build_api_schema
from ..compose import CompositionFailed, SubgraphSDL, compose
from ..supergraph import SupergraphError, load_supergraph

__all__ = [
    "CheckInputError",
    "composed_api_schema",
    "current_composed_api_schema",
    "supergraph_api_schema",
]


class CheckInputError(Exception):
    """An input of the check cannot be used: a file, a subgraph, the current graph."""


def supergraph_api_schema(path: str | Path) -> GraphQLSchema:
    """The API schema of the supergraph SDL file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckInputError(f"cannot read the current supergraph {path}: {error}") from error
    try:
        return build_api_schema(load_supergraph(text))
    except SupergraphError as error:
        raise CheckInputError(f"{path}: not a usable supergraph: {error}") from error


def composed_api_schema(subgraphs: Sequence[SubgraphSDL]) -> GraphQLSchema:
    """Compose ``subgraphs`` and return the API schema; raises :class:`CompositionFailed`."""
    return build_api_schema(load_supergraph(compose(subgraphs)))


def current_composed_api_schema(subgraphs: Sequence[SubgraphSDL]) -> GraphQLSchema:
    """The API schema of the unmodified subgraphs: they must compose, since a failure
    there is not the proposed change's doing."""
    try:
        return composed_api_schema(subgraphs)
    except CompositionFailed as failure:
        codes = ", ".join(sorted({str(e.code) for e in failure.errors}))
        raise CheckInputError(
            "the current subgraphs do not compose on their own "
            f"({codes}); pass --against with the deployed supergraph"
        ) from failure
