"""Composition: subgraph SDLs (Federation 1 or 2) in, a supergraph SDL out.

``compose([SubgraphSDL(name, url, sdl), ...])`` returns the supergraph SDL (``@link`` v1.0,
join v0.5), which :func:`gateway.supergraph.load_supergraph` reads; it raises
:class:`CompositionFailed` listing every :class:`CompositionError`, each with a standard
federation error code.
"""

from .composition import SubgraphSDL, compose
from .errors import CompositionError, CompositionErrorCode, CompositionFailed

__all__ = [
    "CompositionError",
    "CompositionErrorCode",
    "CompositionFailed",
    "SubgraphSDL",
    "compose",
]
