"""The compiled shaping against the general walk, on well-formed and broken answers.

The compiled shaping may only take an answer the general walk takes without a word: the
same data, keys in the same order, no error to add. Everything else must go to the
general walk. Thousands of seeded random answers, most of them damaged somewhere, check
both halves; the named cases pin the ones that matter most.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLObjectType,
    OperationDefinitionNode,
    build_schema,
    parse,
)

from gateway.executor import shape_compiler, shaping
from gateway.executor.shape_compiler import Fallback
from tests.support.shaping_check import shape_both_ways

SCHEMA = build_schema(
    """
    type Query {
      node(id: ID!): Node
      items: [Item!]!
      maybe: [Item]
      matrix: [[Int!]]!
      color: Color
      colors: [Color!]
      strict: Item!
      search: [Result!]!
      count: Int!
    }
    interface Node { id: ID! }
    type Item implements Node {
      id: ID!
      name: String
      price: Int!
      color: Color!
      tags: [String!]!
      child: Item
      children: [Item!]
      owner: Node
    }
    type Other implements Node { id: ID! label: String! tags: [String] }
    union Result = Item | Other
    enum Color { RED GREEN }
    """
)

QUERY = """
query Q($withChild: Boolean!, $skipTags: Boolean!) {
  count
  node(id: "1") { __typename id ...ItemFields ... on Other { label } }
  items { ...ItemFields child @include(if: $withChild) { id name } }
  maybe { id price }
  matrix
  color
  colors
  strict { id alias: name tags @skip(if: $skipTags) }
  search {
    __typename
    ... on Item { id price owner { id ... on Other { label tags } } }
    ... on Other { id label }
  }
}
fragment ItemFields on Item { id name price color tags children { id color } }
"""

DOCUMENT = parse(QUERY)
OPERATION = next(d for d in DOCUMENT.definitions if isinstance(d, OperationDefinitionNode))
FRAGMENTS = {d.name.value: d for d in DOCUMENT.definitions if isinstance(d, FragmentDefinitionNode)}
ROOT = SCHEMA.query_type
assert isinstance(ROOT, GraphQLObjectType)


def _item(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    item: dict[str, Any] = {
        "__typename": "Item",
        "id": str(rng.randrange(100)),
        "name": rng.choice(["a", None, "b"]),
        "price": rng.randrange(10),
        "color": rng.choice(["RED", "GREEN"]),
        "tags": ["x", "y"][: rng.randrange(3)],
        "children": None if depth else [{"id": "c", "color": "RED"}],
        "upc": "extra key the client did not ask for",
    }
    if depth == 0:
        item["child"] = rng.choice([None, {"id": "k", "name": "kid"}])
        item["owner"] = rng.choice(
            [None, {"__typename": "Other", "id": "o", "label": "L", "tags": ["t", None]}]
        )
    return item


def _answer(rng: random.Random) -> dict[str, Any]:
    return {
        "count": 3,
        "node": rng.choice([None, _item(rng), {"__typename": "Other", "id": "2", "label": "o"}]),
        "items": [_item(rng) for _ in range(rng.randrange(4))],
        "maybe": rng.choice([None, [None, {"id": "m", "price": 1}]]),
        "matrix": [[1, 2], None, []],
        "color": rng.choice([None, "RED"]),
        "colors": rng.choice([None, ["GREEN"]]),
        "strict": {"id": "s", "name": "n", "tags": []},
        "search": [_item(rng), {"__typename": "Other", "id": "3", "label": "z"}],
    }


_DAMAGE: list[Any] = [None, "text", 7, [], {}, ["RED"], {"__typename": "Nope"}, "BLUE", [None]]


def _positions(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at] if at else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _positions(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _positions(inner, (*at, index))
    return found


def _damaged(answer: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    broken = copy.deepcopy(answer)
    for _ in range(rng.randrange(1, 3)):
        at = rng.choice(_positions(broken))
        parent: Any = broken
        for step in at[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.2:
            parent.pop(at[-1], None)
        else:
            parent[at[-1]] = copy.deepcopy(rng.choice(_DAMAGE))
    return broken


def _variables(rng: random.Random) -> dict[str, Any]:
    return {"withChild": rng.random() < 0.5, "skipTags": rng.random() < 0.5}


def _both(data: dict[str, Any], variables: dict[str, Any], errors: Any = ()) -> str:
    return shape_both_ways(
        SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, variables, data, list(errors)
    )


def test_well_formed_answers_take_the_compiled_shaping() -> None:
    rng = random.Random(7)
    for _ in range(300):
        assert _both(_answer(rng), _variables(rng)) == "compiled"


def test_damaged_answers_agree_with_the_general_walk() -> None:
    rng = random.Random(11)
    ways = {"compiled": 0, "general": 0}
    for _ in range(3000):
        ways[_both(_damaged(_answer(rng), rng), _variables(rng))] += 1
    # both halves are exercised: damage a nullable field can absorb, and damage it cannot
    assert ways["compiled"] > 300
    assert ways["general"] > 300


def test_a_null_explained_by_a_fetch_error_is_left_to_the_general_walk() -> None:
    data = _answer(random.Random(1))
    data["strict"] = None
    error = {"message": "subgraph 'a' could not be reached", "path": ["strict"]}
    assert _both(data, {"withChild": True, "skipTags": False}, [error]) == "general"


def test_an_object_lacking_nullable_fields_is_shaped_with_nulls_in_place() -> None:
    # an entity its subgraph did not know keeps only what the parent fetch gave it
    data = _answer(random.Random(2))
    data["items"] = [
        _item(random.Random(4)),
        {"__typename": "Item", "id": "9", "price": 1, "color": "RED", "tags": [], "children": None},
    ]
    del data["strict"]["name"]
    assert _both(data, {"withChild": True, "skipTags": False}) == "compiled"
    shape = shaping.compiled_shape(
        SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, {"withChild": True, "skipTags": False}
    )
    assert shape is not None
    shaped = shape(data)
    assert shaped["items"][1] == {
        "id": "9",
        "name": None,
        "price": 1,
        "color": "RED",
        "tags": [],
        "children": None,
        "child": None,
    }
    assert list(shaped["strict"]) == ["id", "alias", "tags"] and shaped["strict"]["alias"] is None


def test_conditions_are_part_of_the_compiled_shaping() -> None:
    data = _answer(random.Random(3))
    with_child = shaping.compiled_shape(
        SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, {"withChild": True, "skipTags": True}
    )
    without = shaping.compiled_shape(
        SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, {"withChild": False, "skipTags": False}
    )
    assert with_child is not None and without is not None
    shaped, other = with_child(data), without(data)
    assert all("child" in item for item in shaped["items"])
    assert all("child" not in item for item in other["items"])
    assert "tags" not in shaped["strict"] and "tags" in other["strict"]


def test_made_up_typenames_are_not_remembered() -> None:
    shape = shaping.compiled_shape(
        SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, {"withChild": True, "skipTags": True}
    )
    assert shape is not None
    base = _answer(random.Random(5))
    base["node"] = None
    dispatch = next(
        cell.cell_contents
        for completion in shape.__globals__.values()
        if callable(completion) and getattr(completion, "__closure__", None)
        for cell in completion.__closure__ or ()
        if isinstance(cell.cell_contents, dict) and hasattr(cell.cell_contents, "abstract")
    )
    for number in range(50):
        data = copy.deepcopy(base)
        data["search"] = [{"__typename": f"Made{number}", "id": "x"}]
        with pytest.raises(Fallback):
            shape(data)
    assert all(not name.startswith("Made") for name in dispatch)


def test_too_large_a_selection_is_not_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shape_compiler, "MAX_FUNCTIONS", 2)
    assert (
        shaping.compiled_shape(
            SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, {"withChild": True, "skipTags": True}
        )
        is None
    )


def test_a_document_is_compiled_on_its_second_use() -> None:
    cache: dict[tuple[object, ...], Any] = {}
    variables = {"withChild": True, "skipTags": False}
    data = _answer(random.Random(9))

    def shape() -> Any:
        return shaping.shape_response(
            SCHEMA, ROOT, OPERATION.selection_set, FRAGMENTS, variables, data, [], cache
        )

    first = shape()
    assert not any(callable(value) for value in cache.values())
    second = shape()
    assert any(callable(value) for value in cache.values())
    assert first == second
