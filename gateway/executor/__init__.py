"""Executing query plans: subgraph calls, merging, and shaping the client's response."""

from .fetching import ExecutionState, FetchExecutor
from .shaping import ShapeCache, shape_response

__all__ = ["ExecutionState", "FetchExecutor", "ShapeCache", "shape_response"]
