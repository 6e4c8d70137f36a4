"""Every answer shaped twice: by the general walk, and by the compiled shaping.

Installed for the end-to-end tests (tests/e2e/conftest.py), so each of their answers, the
failures included, checks that the compiled shaping gives exactly what the general walk
gives whenever it takes an answer, and that it gives way when the general walk has
something to report.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, GraphQLObjectType, GraphQLSchema, SelectionSetNode

import gateway.engine
from gateway.executor import shaping
from gateway.executor.shape_compiler import Fallback


@dataclass
class ShapingTally:
    """How the answers of one test were shaped."""

    compiled: int = 0
    general: int = 0


def shape_both_ways(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
) -> str:
    """Shape ``data`` both ways, assert they agree; ``"compiled"`` if the compiled shaping
    took the answer, ``"general"`` if it gave way. ``errors`` is left as it was."""
    general_errors = copy.deepcopy(errors)
    general = shaping.shape_response(
        schema, root_type, selection_set, fragments, variables, data, general_errors
    )
    compiled = shaping.compiled_shape(schema, root_type, selection_set, fragments, variables)
    assert compiled is not None
    try:
        fast = compiled(data)
    except Fallback:
        assert general_errors != errors or _has_null_from_below(general, data), (
            "the compiled shaping gave way on an answer the general walk takes as it is"
        )
        return "general"
    assert general_errors == errors, "the compiled shaping took an answer with errors"
    assert fast == general
    assert _keys_in_order(fast) == _keys_in_order(general)
    return "compiled"


def checked_shape_response(tally: ShapingTally) -> Any:
    """``shape_response`` that also shapes both ways and counts which way took the answer."""

    def shape_response(*arguments: Any) -> dict[str, Any] | None:
        # the engine's positional arguments: shape_both_ways takes all but the cache
        if shape_both_ways(*arguments[:7]) == "compiled":
            tally.compiled += 1
        else:
            tally.general += 1
        return shaping.shape_response(*arguments)

    return shape_response


def _keys_in_order(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _keys_in_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_keys_in_order(v) for v in value]
    return value


def _has_null_from_below(shaped: Any, data: Any) -> bool:
    """Whether the general walk nulled a position the merged answer had a value for (a
    non-null field below was null, and an error of a subgraph or fetch explained it)."""
    if shaped is None:
        return data is not None
    if isinstance(shaped, dict) and isinstance(data, dict):
        return any(_has_null_from_below(v, data.get(k)) for k, v in shaped.items())
    if isinstance(shaped, list) and isinstance(data, list):
        return any(_has_null_from_below(s, d) for s, d in zip(shaped, data, strict=False))
    return False


def check_shaping(monkeypatch: pytest.MonkeyPatch) -> ShapingTally:
    """Have the engine shape every answer both ways (for as long as ``monkeypatch`` lasts)."""
    tally = ShapingTally()
    monkeypatch.setattr(gateway.engine, "shape_response", checked_shape_response(tally))
    return tally
