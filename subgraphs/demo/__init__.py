"""Two small Federation v2 subgraphs that ``make up`` serves until the city graph exists.

``products`` owns ``Product`` (key ``upc``); ``reviews`` extends it with ``reviews`` and
``averageRating``. Regenerate the SDLs and the supergraph after changing either schema::

    python -m subgraphs.demo.export --write          # schema/demo/<name>.graphql
    python -m subgraphs.demo.export --services > services.json
    node compose.mjs < services.json > schema/demo/supergraph.graphql

where ``compose.mjs`` calls ``composeServices`` from ``@theguild/federation-composition``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEMO_SUBGRAPHS", "DemoSubgraph"]


@dataclass(frozen=True, slots=True)
class DemoSubgraph:
    """One demo subgraph: its name, the module serving it and its fixed local port."""

    name: str
    module: str
    port: int

    @property
    def url(self) -> str:
        """The URL the composed supergraph routes to."""
        return f"http://127.0.0.1:{self.port}/graphql"


DEMO_SUBGRAPHS = (
    DemoSubgraph("products", "subgraphs.demo.products", 4001),
    DemoSubgraph("reviews", "subgraphs.demo.reviews", 4002),
)
