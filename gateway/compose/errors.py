"""Composition errors: the standard Apollo Federation error codes, with messages that name
the subgraphs, types and fields involved.

Composition never stops at the first problem: every rule reports into a list, and
:class:`CompositionFailed` carries all of them. The codes are the ones Apollo's composer,
The Guild's composer and the federation docs use, so an error can be looked up by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CompositionError", "CompositionFailed", "ErrorCode", "and_list"]


class ErrorCode(StrEnum):
    INVALID_GRAPHQL = "INVALID_GRAPHQL"
    """A subgraph SDL does not parse or is not a valid GraphQL schema."""
    INVALID_SUBGRAPH_NAME = "INVALID_SUBGRAPH_NAME"
    INVALID_LINK_DIRECTIVE_USAGE = "INVALID_LINK_DIRECTIVE_USAGE"
    """A ``@link`` imports something its spec does not define, or has no usable url."""
    UNKNOWN_FEDERATION_LINK_VERSION = "UNKNOWN_FEDERATION_LINK_VERSION"
    NO_QUERIES = "NO_QUERIES"
    """No subgraph defines a field on the query root."""
    TYPE_KIND_MISMATCH = "TYPE_KIND_MISMATCH"
    """One type name is an object in a subgraph and, say, an enum in another."""
    INVALID_FIELD_SHARING = "INVALID_FIELD_SHARING"
    """A field resolved by several subgraphs is not ``@shareable`` in all of them."""
    FIELD_TYPE_MISMATCH = "FIELD_TYPE_MISMATCH"
    FIELD_ARGUMENT_TYPE_MISMATCH = "FIELD_ARGUMENT_TYPE_MISMATCH"
    FIELD_ARGUMENT_DEFAULT_MISMATCH = "FIELD_ARGUMENT_DEFAULT_MISMATCH"
    INPUT_FIELD_DEFAULT_MISMATCH = "INPUT_FIELD_DEFAULT_MISMATCH"
    EXTERNAL_MISSING_ON_BASE = "EXTERNAL_MISSING_ON_BASE"
    """An ``@external`` field that no subgraph actually resolves."""
    EXTERNAL_UNUSED = "EXTERNAL_UNUSED"
    """An ``@external`` field no ``@key``, ``@requires`` or ``@provides`` uses."""
    KEY_FIELDS_SELECT_INVALID_TYPE = "KEY_FIELDS_SELECT_INVALID_TYPE"
    KEY_FIELDS_HAS_ARGS = "KEY_FIELDS_HAS_ARGS"
    KEY_INVALID_FIELDS = "KEY_INVALID_FIELDS"
    KEY_DIRECTIVE_IN_FIELDS_ARG = "KEY_DIRECTIVE_IN_FIELDS_ARG"
    REQUIRES_INVALID_FIELDS = "REQUIRES_INVALID_FIELDS"
    REQUIRES_FIELDS_MISSING_EXTERNAL = "REQUIRES_FIELDS_MISSING_EXTERNAL"
    PROVIDES_INVALID_FIELDS = "PROVIDES_INVALID_FIELDS"
    PROVIDES_FIELDS_MISSING_EXTERNAL = "PROVIDES_FIELDS_MISSING_EXTERNAL"
    PROVIDES_ON_NON_OBJECT_FIELD = "PROVIDES_ON_NON_OBJECT_FIELD"
    ENUM_VALUE_MISMATCH = "ENUM_VALUE_MISMATCH"
    """An enum used for both input and output differs between subgraphs."""
    EMPTY_MERGED_ENUM_TYPE = "EMPTY_MERGED_ENUM_TYPE"
    EMPTY_MERGED_INPUT_TYPE = "EMPTY_MERGED_INPUT_TYPE"
    REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"
    REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"
    OVERRIDE_FROM_SELF_ERROR = "OVERRIDE_FROM_SELF_ERROR"
    OVERRIDE_SOURCE_HAS_OVERRIDE = "OVERRIDE_SOURCE_HAS_OVERRIDE"
    OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE"
    OVERRIDE_LABEL_INVALID = "OVERRIDE_LABEL_INVALID"
    INTERFACE_OBJECT_USAGE_ERROR = "INTERFACE_OBJECT_USAGE_ERROR"
    INTERFACE_FIELD_NO_IMPLEM = "INTERFACE_FIELD_NO_IMPLEM"
    DIRECTIVE_COMPOSITION_ERROR = "DIRECTIVE_COMPOSITION_ERROR"
    """A ``@composeDirective`` names a directive not defined or not linked, or linked
    differently in other subgraphs."""
    AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE = "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE"
    COST_APPLIED_TO_INTERFACE_FIELD = "COST_APPLIED_TO_INTERFACE_FIELD"
    LIST_SIZE_APPLIED_TO_NON_LIST = "LIST_SIZE_APPLIED_TO_NON_LIST"
    LIST_SIZE_INVALID_ASSUMED_SIZE = "LIST_SIZE_INVALID_ASSUMED_SIZE"
    LIST_SIZE_INVALID_SIZED_FIELD = "LIST_SIZE_INVALID_SIZED_FIELD"
    LIST_SIZE_INVALID_SLICING_ARGUMENT = "LIST_SIZE_INVALID_SLICING_ARGUMENT"
    SATISFIABILITY_ERROR = "SATISFIABILITY_ERROR"
    """A field clients can ask for that no query plan can reach."""


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One composition problem; ``message`` says what to change, and where."""

    code: ErrorCode
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CompositionFailed(Exception):
    """The subgraphs do not compose; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[CompositionError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def and_list(items: Iterable[str], quote: str = '"') -> str:
    """``"a"``, ``"a" and "b"``, ``"a", "b" and "c"``: names in a message."""
    quoted = [f"{quote}{item}{quote}" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
