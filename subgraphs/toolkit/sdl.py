"""A subgraph's SDL: the text it serves on ``_service { sdl }``, which composers read."""

from __future__ import annotations

import importlib

import strawberry

from .context import SubgraphContext

__all__ = ["load_schema", "subgraph_sdl"]

SERVICE_QUERY = "{ _service { sdl } }"


def subgraph_sdl(schema: strawberry.federation.Schema) -> str:
    """The SDL ``schema`` serves on ``_service { sdl }``, ending in one newline.

    Asked through the query itself, so the text is exactly what the gateway and composers
    see, federation ``@link`` included.
    """
    result = schema.execute_sync(SERVICE_QUERY, context_value=SubgraphContext())
    if result.errors or not result.data:
        raise RuntimeError(f"the schema did not answer _service: {result.errors}")
    sdl = result.data["_service"]["sdl"]
    return str(sdl).rstrip("\n") + "\n"


def load_schema(reference: str) -> strawberry.federation.Schema:
    """The schema named by ``"package.module:attribute"``, e.g. ``subgraphs.opd.schema:schema``."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"expected MODULE:ATTRIBUTE, got {reference!r}")
    schema = getattr(importlib.import_module(module_name), attribute, None)
    if not isinstance(schema, strawberry.federation.Schema):
        raise TypeError(f"{reference} is not a strawberry.federation.Schema")
    return schema
