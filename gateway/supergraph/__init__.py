"""Loading a supergraph SDL into the model the planner uses."""

from .loader import SupergraphError, load_supergraph, load_supergraph_file, parse_field_set
from .model import (
    ContextArgument,
    EntityKey,
    FieldInfo,
    FieldSource,
    Subgraph,
    SubgraphName,
    Supergraph,
    TypeInfo,
    TypeKind,
    TypeMembership,
)

__all__ = [
    "ContextArgument",
    "EntityKey",
    "FieldInfo",
    "FieldSource",
    "Subgraph",
    "SubgraphName",
    "Supergraph",
    "SupergraphError",
    "TypeInfo",
    "TypeKind",
    "TypeMembership",
    "load_supergraph",
    "load_supergraph_file",
    "parse_field_set",
]
