"""Demand control: the estimated cost of operations over a supergraph with ``@cost`` and
``@listSize`` (composed here by ``simpul compose``), refusal over the maximum before any
subgraph is called, measure mode, and the actual cost of an answer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, build_ast_schema, parse

from gateway.compose import compose
from gateway.compose.composition import SubgraphSDL
from gateway.config import EngineSettings, LimitSettings
from gateway.demand_control import CostModel
from gateway.engine import Engine
from gateway.errors import ErrorCode
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import load_supergraph
from tests.support.fake_transport import FakeTransport

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
    'import: ["@key", "@shareable", "@cost", "@listSize"])'
)
CATALOG = f"""
{LINK}
type Query {{
  products(first: Int, after: String): [Product!]!
    @listSize(slicingArguments: ["first"], assumedSize: 50)
  product(id: ID!): Product
  search(term: String @cost(weight: 20)): [Result!]! @listSize(assumedSize: 5)
  page(first: Int): ProductPage @listSize(slicingArguments: ["first"], sizedFields: ["items"])
  tags: [String!]!
  categories: [Category!]!
}}
type Mutation {{ rate(id: ID!, stars: Int!): Product }}
type Product @key(fields: "id") {{
  id: ID!
  name: String!
  price: Money @cost(weight: 3)
  related: [Product!]! @listSize(assumedSize: 4)
}}
type Category {{ name: String! products: [Product!]! }}
type Money {{ amount: Int! currency: String! }}
type Article {{ title: String! body: String! author: Author }}
type Author {{ name: String! }}
union Result = Product | Article
type ProductPage {{ items: [Product!]! total: Int! }}
"""
SUPERGRAPH = load_supergraph(compose([SubgraphSDL("catalog", "http://catalog/graphql", CATALOG)]))
URL = "http://catalog/graphql"


def engine(**limits: Any) -> tuple[Engine, FakeTransport]:
    transport = FakeTransport({URL: lambda body: {"data": {}}})
    settings = LimitSettings(**{"expose_cost": True, **limits})
    return Engine(SUPERGRAPH, transport, EngineSettings(), limits=settings), transport


async def cost_of(query: str, variables: dict[str, Any] | None = None, **limits: Any) -> int:
    gateway, _ = engine(cost_mode="measure", **limits)
    response = await gateway.execute(
        GraphQLRequest(query, variables=variables), RequestContext(include_cost=True)
    )
    return int(response.body["extensions"]["cost"]["estimated"])


ESTIMATES = [
    ("{ tags }", 0),  # a list of scalars costs nothing
    ('{ product(id: "1") { id name } }', 1),  # one object
    ('{ product(id: "1") { price { amount } } }', 1 + 3),  # @cost on the field
    ("{ products { id } }", 50),  # assumedSize
    ("{ products(first: 7) { id } }", 7),  # a slicing argument
    ("{ products(first: 7) { related { id } } }", 7 * (1 + 4)),  # nested lists multiply
    ("{ categories { products { id } } }", 10 * (1 + 10)),  # the default list size
    ("{ page(first: 20) { total items { id } } }", 1 + 20),  # sizedFields
    (
        '{ search(term: "x") { ... on Product { price { amount } } ... on Article { title } } }',
        20 + 5 * (1 + 3),
    ),  # the costlier member, times the list; @cost on the argument
    ('mutation { rate(id: "1", stars: 5) { id } }', 10 + 1),  # a mutation starts at 10
    ("query { a: products(first: 2) { id } b: products(first: 3) { id } }", 5),  # aliases add
    (
        "fragment F on Product { related { id } } { products(first: 2) { ...F ...F } }",
        2 * (1 + 4 + 4),
    ),  # a fragment spread twice counts twice
]


@pytest.mark.parametrize(("query", "cost"), ESTIMATES)
async def test_estimated_cost(query: str, cost: int) -> None:
    assert await cost_of(query) == cost


def subgraph_model(sdl: str = CATALOG, **options: Any) -> CostModel:
    """A model built from a subgraph's own SDL, as an OPD's subgraph builds its own."""
    schema = build_ast_schema(parse(sdl), assume_valid_sdl=True)
    return CostModel.from_schema(schema, list_size=10, **options)


def estimate(model: CostModel, query: str, variables: dict[str, Any] | None = None) -> int:
    document = parse(query)
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return model.estimate(operation, fragments, variables or {}, {})


@pytest.mark.parametrize(("query", "cost"), ESTIMATES)
def test_a_model_from_a_subgraph_sdl_estimates_alike(query: str, cost: int) -> None:
    assert estimate(subgraph_model(), query) == cost


def test_a_list_given_to_a_slicing_argument_counts_its_items_only_when_asked() -> None:
    sdl = """
    type Query { things(ids: [ID!]!): [Thing!]! @listSize(slicingArguments: ["ids"]) }
    type Thing { id: ID! }
    """
    query = "query ($ids: [ID!]!) { things(ids: $ids) { id } }"
    literal = '{ things(ids: ["1", "2", "3"]) { id } }'
    counting = subgraph_model(sdl, count_list_arguments=True)
    assert estimate(counting, literal) == 3
    assert estimate(counting, query, {"ids": ["1", "2"]}) == 2
    assert estimate(subgraph_model(sdl), literal) == 10  # the gateway's: the default size


def test_a_fragment_bomb_under_sized_fields_is_estimated_promptly() -> None:
    fragments = "\n".join(
        f"fragment F{i} on ProductPage {{ total ...F{i + 1} ...F{i + 1} }}" for i in range(60)
    )
    query = (
        "{ page(first: 3) { ...F0 } }\n"
        + fragments
        + "\nfragment F60 on ProductPage { items { id } }"
    )
    started = time.perf_counter()
    # the page (1), and 2^60 spreads of its 3 sized items
    assert estimate(subgraph_model(), query) == 1 + 2**60 * 3
    assert time.perf_counter() - started < 1.0


async def test_a_slicing_argument_given_as_a_variable() -> None:
    query = "query ($n: Int) { products(first: $n) { id } }"
    assert await cost_of(query, {"n": 3}) == 3
    assert await cost_of(query, {"n": 300}) == 300
    assert await cost_of(query, {}) == 50


async def test_over_the_maximum_is_refused_before_any_subgraph_call() -> None:
    gateway, transport = engine(max_cost=100)
    # 10 * (1 + 10 * (1 + 4 * (1 + 4)))
    nested = "{ categories { products { related { related { id } } } } }"
    response = await gateway.execute(GraphQLRequest(nested), RequestContext())
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["extensions"] == {
        "code": ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
        "cost": 2110,
        "maxCost": 100,
    }
    assert error["message"] == "the operation's estimated cost is 2110, over the maximum of 100"
    assert transport.calls == []
    cheap = await gateway.execute(GraphQLRequest("{ products(first: 5) { id } }"), RequestContext())
    assert cheap.status == 200


async def test_measure_mode_runs_and_reports_the_estimate_and_the_actual_cost() -> None:
    transport = FakeTransport(
        {
            URL: lambda body: {
                "data": {
                    "products": [{"id": "1", "related": []}, {"id": "2", "related": [{"id": "3"}]}]
                }
            }
        }
    )
    settings = LimitSettings(cost_mode="measure", max_cost=1, expose_cost=True)
    gateway = Engine(SUPERGRAPH, transport, EngineSettings(), limits=settings)
    response = await gateway.execute(
        GraphQLRequest("{ products(first: 2) { id related { id } } }"),
        RequestContext(include_cost=True),
    )
    assert response.status == 200
    # estimated 2 * (1 + 4); the answer holds two products and one related product
    assert response.body["extensions"]["cost"] == {"estimated": 10, "actual": 3, "mode": "measure"}


async def test_the_cost_is_reported_only_when_asked_for_and_allowed() -> None:
    gateway, _ = engine(expose_cost=False)
    response = await gateway.execute(GraphQLRequest("{ tags }"), RequestContext(include_cost=True))
    assert "extensions" not in response.body
