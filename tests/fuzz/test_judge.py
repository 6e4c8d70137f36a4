"""The fuzzer's own parts: how answers are judged, how operations are drawn and shrunk."""

from __future__ import annotations

import asyncio

from graphql import build_schema, parse, validate

from tests.fuzz.differential import (
    FAILED_REFERENCES,
    PIECEWISE,
    Answer,
    Order,
    judge,
)
from tests.fuzz.operations import Operation, OperationGenerator, argument_examples
from tests.fuzz.shrink import shrink

SCHEMA = build_schema(
    """
    type Query { shelf(id: ID!): Shelf search: [Item] }
    type Shelf { id: ID! books: [Book] }
    interface Item { id: ID! }
    type Book implements Item { id: ID! title: String pages: Int }
    type Film implements Item { id: ID! title: String }
    """
)


def answer(data: object, *errors: str) -> Answer:
    return Answer(200, data, tuple({"message": m} for m in errors), "")


def test_equal_data_agrees_and_a_differing_value_does_not() -> None:
    ours = answer({"shelf": {"id": "s1"}})
    assert judge(ours, [("Hive Gateway", answer({"shelf": {"id": "s1"}}))]).agrees
    verdict = judge(ours, [("Hive Gateway", answer({"shelf": {"id": "s2"}}))])
    assert not verdict.agrees and verdict.difference == ".shelf.id: 's1', expected 's2'"


def test_numbers_are_json_numbers() -> None:
    assert judge(answer({"n": 1.0}), [("Hive Gateway", answer({"n": 1}))]).agrees


def test_key_order_is_judged_against_the_spec() -> None:
    query = "{ search { id ... on Book { title } } }"
    order = Order(SCHEMA, parse(query), {})
    spec = {"search": [{"id": "b1", "title": "A"}]}
    other = {"search": [{"title": "A", "id": "b1"}]}
    # the reference's order is wrong; Simpul's is the spec's
    assert judge(answer(spec), [("Hive Gateway", answer(other))], order).agrees
    verdict = judge(answer(other), [("Hive Gateway", answer(spec))], order)
    assert not verdict.agrees and verdict.order_only


def test_a_valid_operation_every_reference_erred_on_counts_for_simpul() -> None:
    failed = Answer(200, None, ({"message": "Unexpected error."},), "")
    wrong = answer({"shelf": None}, "You should be using the 'a' subgraph!")
    references = [("Hive Gateway", failed), ("Apollo Gateway", wrong)]
    verdict = judge(answer({"shelf": {"id": "s1"}}), references)
    assert verdict.agrees and verdict.reference == FAILED_REFERENCES
    # not when Simpul has errors too
    assert not judge(answer({"shelf": {"id": "s1"}}, "boom"), references).agrees
    # Simpul failing where a reference answers is no agreement
    assert not judge(answer(None, "boom"), [("Hive Gateway", answer({"shelf": None}))]).agrees


def test_where_the_references_differ_simpul_takes_a_side_at_each_position() -> None:
    hive = answer({"a": {"x": 1}, "b": None})
    apollo = answer({"a": {}, "b": {"y": 2}})
    references = [("Hive Gateway", hive), ("Apollo Gateway", apollo)]
    verdict = judge(answer({"a": {"x": 1}, "b": {"y": 2}}), references)
    assert verdict.agrees and verdict.reference == PIECEWISE
    assert not judge(answer({"a": {"x": 3}, "b": {"y": 2}}), references).agrees


def test_drawn_operations_are_valid_and_reuse_the_examples_arguments() -> None:
    examples = argument_examples(SCHEMA, [('{ shelf(id: "s7") { id } }', None)])
    assert examples["Query.shelf(id:)"] == ("s7",)
    operations = OperationGenerator(SCHEMA, examples, seed=3).operations(50)
    for operation in operations:
        assert not validate(SCHEMA, parse(operation.query)), operation.query
    assert any('"s7"' in o.query or "s7" in o.variables.values() for o in operations)
    # the same seed draws the same operations
    again = OperationGenerator(SCHEMA, examples, seed=3).operations(50)
    assert again == operations


def test_shrinking_keeps_what_shows_the_difference() -> None:
    big = Operation(
        "query ($v: Boolean!) { search { id ... on Book @include(if: $v) { title pages } } "
        'shelf(id: "s1") { id books { title } } }',
        {"v": True},
    )

    async def still(operation: Operation) -> bool:
        return "pages" in operation.query

    small = asyncio.run(shrink(SCHEMA, big, still))
    assert small == Operation("{\n  search {\n    ... on Book {\n      pages\n    }\n  }\n}", {})
