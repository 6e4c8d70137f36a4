"""Executing a plan with an entity jump: batching, de-duplication and failure isolation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.engine import Engine
from gateway.errors import TransportError
from gateway.executor.fetching import _deep_merge
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import load_supergraph
from tests.support.fake_transport import FakeTransport, down

SUPERGRAPH = load_supergraph((Path(__file__).parent / "products_reviews.graphql").read_text())
PRODUCTS = "http://products/graphql"
REVIEWS = "http://reviews/graphql"


def products(_: dict[str, Any]) -> Any:
    items = [("1", "Table"), ("2", "Chair"), ("1", "Table")]
    return {
        "data": {
            "topProducts": [
                {"name": name, "__typename": "Product", "upc": upc} for upc, name in items
            ]
        }
    }


def reviews(request: dict[str, Any]) -> Any:
    return {
        "data": {
            "_entities": [
                {"reviews": [{"body": f"review of {r['upc']}"}]}
                for r in request["variables"]["representations"]
            ]
        }
    }


async def run(transport: FakeTransport, query: str, **variables: Any) -> dict[str, Any]:
    engine = Engine(SUPERGRAPH, transport)
    response = await engine.execute(GraphQLRequest(query, variables=variables), RequestContext())
    return response.body


async def test_one_entities_call_with_each_representation_once() -> None:
    transport = FakeTransport({PRODUCTS: products, REVIEWS: reviews})
    body = await run(transport, "{ topProducts { name reviews { body } } }")
    assert body == {
        "data": {
            "topProducts": [
                {"name": "Table", "reviews": [{"body": "review of 1"}]},
                {"name": "Chair", "reviews": [{"body": "review of 2"}]},
                {"name": "Table", "reviews": [{"body": "review of 1"}]},
            ]
        }
    }
    assert transport.count(PRODUCTS) == 1
    assert transport.count(REVIEWS) == 1
    _, request = transport.calls[1]
    assert request["variables"]["representations"] == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
    ]


async def test_skipped_jump_is_not_fetched() -> None:
    transport = FakeTransport({PRODUCTS: products, REVIEWS: reviews})
    body = await run(
        transport,
        "query ($x: Boolean!) { topProducts { name reviews @include(if: $x) { body } } }",
        x=False,
    )
    assert body["data"]["topProducts"][1] == {"name": "Chair"}
    assert transport.count(REVIEWS) == 0


async def test_failed_subgraph_nulls_only_its_fields() -> None:
    transport = FakeTransport({PRODUCTS: products, REVIEWS: down})
    body = await run(transport, "{ topProducts { name reviews { body } } }")
    assert body["data"]["topProducts"][0] == {"name": "Table", "reviews": None}
    assert [e["path"] for e in body["errors"]] == [
        ["topProducts", 0, "reviews"],
        ["topProducts", 1, "reviews"],
        ["topProducts", 2, "reviews"],
    ]
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert error["extensions"]["service"] == "reviews"
    assert error["path"] == ["topProducts", 0, "reviews"]
    assert error["message"] == "subgraph 'reviews' could not be reached"


async def test_query_is_sent_again_once_after_a_lost_connection() -> None:
    attempts: list[int] = []

    def flaky(request: dict[str, Any]) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            return down(request)
        return reviews(request)

    transport = FakeTransport({PRODUCTS: products, REVIEWS: flaky})
    body = await run(transport, "{ topProducts { name reviews { body } } }")
    assert "errors" not in body
    assert body["data"]["topProducts"][1] == {"name": "Chair", "reviews": [{"body": "review of 2"}]}
    assert transport.count(REVIEWS) == 2


async def test_subgraph_answering_an_error_status_is_not_retried() -> None:
    def failing(_: dict[str, Any]) -> Any:
        raise TransportError("subgraph answered HTTP 500", status=500)

    transport = FakeTransport({PRODUCTS: products, REVIEWS: failing})
    body = await run(transport, "{ topProducts { name reviews { body } } }")
    assert body["errors"][0]["message"] == "subgraph 'reviews' answered HTTP 500"
    assert transport.count(REVIEWS) == 1


async def test_a_subgraph_that_did_not_handle_a_query_is_asked_again() -> None:
    def unavailable(_: dict[str, Any]) -> Any:
        raise TransportError("subgraph answered HTTP 503", status=503)

    transport = FakeTransport({PRODUCTS: products, REVIEWS: unavailable})
    body = await run(transport, "{ topProducts { name reviews { body } } }")
    assert body["errors"][0]["message"] == "subgraph 'reviews' answered HTTP 503"
    assert transport.count(REVIEWS) == 2  # [traffic] retries = 1


def test_an_entity_of_plain_values_merges_by_update_as_the_deep_merge_would() -> None:
    """The executor merges an entity whose values are no objects or lists into many targets
    by ``dict.update``: that must be what the deep merge does, whatever the targets hold."""
    held: list[Any] = [None, 1, "a", True, 2.5, [1, 2], [{"x": 1}], {"x": 1}, {"x": {"y": 2}}]
    plain: list[Any] = [None, 0, "b", False, 1.5]
    for current in held:
        for value in plain:
            target = {"k": current, "other": {"z": 1}}
            by_update = dict(target)
            by_update.update({"k": value, "new": value})
            _deep_merge(target, {"k": value, "new": value})
            assert target == by_update, (current, value)
