"""A toolkit subgraph's own limits: depth, aliases, tokens and estimated cost, checked before
a document runs, each refusal with the gateway's code; the gateway's ``_service`` and
``_entities`` calls pass."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import strawberry
from graphql import get_introspection_query
from strawberry.federation.schema_directives import Cost

from subgraphs.toolkit import (
    GatewayTrust,
    SubgraphErrorCode,
    SubgraphLimits,
    create_app,
    described,
    subgraph_schema,
)
from subgraphs.toolkit.limits import OperationGuard
from subgraphs.toolkit.pages import sized

CALLS: list[str] = []
"""The resolvers that ran, by name: a refused document must leave it empty."""


@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: str
    nama: str
    kode_bps: str
    luas_km2: float

    @strawberry.field
    def kecamatan(self) -> Kecamatan:
        CALLS.append("kecamatan")
        return Kecamatan(kode=self.kode[:8], nama="Pontianak Kota")

    @described("Counted by the registry: expensive.", directives=[Cost(weight=40)])
    def penduduk(self) -> Penduduk:
        CALLS.append("penduduk")
        return Penduduk(jumlah=12_345)

    @classmethod
    def resolve_reference(cls, kode: str) -> Kelurahan:
        CALLS.append("resolve_reference")
        return kelurahan(kode)


@strawberry.federation.type(keys=["kode"])
class Kecamatan:
    kode: str
    nama: str

    @described("Its 7 kelurahan.", directives=sized(7))
    def kelurahan(self) -> list[Kelurahan]:
        CALLS.append("kelurahan")
        return [kelurahan(f"{self.kode}.100{i}") for i in range(1, 8)]


@strawberry.type
class Penduduk:
    jumlah: int


def kelurahan(kode: str) -> Kelurahan:
    return Kelurahan(kode=kode, nama=f"Kelurahan {kode}", kode_bps="6171010001", luas_km2=2.5)


@strawberry.type
class Query:
    @described("The city's 6 kecamatan.", directives=sized(6))
    def daftar_kecamatan(self) -> list[Kecamatan]:
        CALLS.append("daftarKecamatan")
        return [Kecamatan(kode=f"61.71.0{i}", nama=f"Kecamatan {i}") for i in range(1, 7)]

    @strawberry.field
    def daftar_kelurahan(self) -> list[Kelurahan]:
        """No @listSize: the estimate counts it as list_size items."""
        CALLS.append("daftarKelurahan")
        return [kelurahan(f"61.71.01.100{i}") for i in range(1, 30)]


schema = subgraph_schema(Query, types=[Kelurahan, Kecamatan])

NESTED = (
    "{ daftarKecamatan { kelurahan { kecamatan { kelurahan { kecamatan { kelurahan { "
    "kecamatan { kelurahan { kecamatan { kelurahan { kecamatan { kelurahan { kecamatan "
    "{ nama } } } } } } } } } } } } } }"
)
"""13 levels deep: dukcapil's attack, in the toy schema."""

WIDE = (
    "{ daftarKecamatan { kelurahan { penduduk { jumlah } "
    "kecamatan { kelurahan { penduduk { jumlah } } } } } }"
)
"""Estimated at 6 kecamatan x (1 + 7 kelurahan x (1 + 40 for penduduk + 1 for kecamatan
+ 7 x (1 + 40))) = 13,824."""

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Kelurahan { kode nama kodeBps luasKm2 kecamatan { nama } }
  }
}
"""
"""A gateway's entity fetch: five fields of each Kelurahan (one an object)."""


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[str]]:
    CALLS.clear()
    yield CALLS
    CALLS.clear()


async def serve(limits: SubgraphLimits | None = None) -> httpx.AsyncClient:
    options: dict[str, Any] = {} if limits is None else {"limits": limits}
    app = create_app(schema, trust=GatewayTrust.unsigned(), **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://opd")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with await serve() as client:
        yield client


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def representations(count: int) -> list[dict[str, str]]:
    return [{"__typename": "Kelurahan", "kode": f"61.71.01.{1000 + i}"} for i in range(count)]


def test_the_defaults() -> None:
    limits = SubgraphLimits()
    assert (limits.max_depth, limits.max_aliases, limits.max_tokens) == (12, 30, 5_000)
    assert (limits.max_cost, limits.list_size) == (10_000, 10)
    with pytest.raises(ValueError, match="max_depth"):
        SubgraphLimits(max_depth=-1)


@pytest.mark.parametrize(
    ("query", "limits", "code", "message"),
    [
        (
            NESTED,
            SubgraphLimits(),
            SubgraphErrorCode.QUERY_TOO_DEEP,
            "the operation is 13 levels deep; the limit is 12",
        ),
        (
            "{ daftarKecamatan { " + " ".join(f"n{i}: nama" for i in range(31)) + " } }",
            SubgraphLimits(),
            SubgraphErrorCode.MAX_ALIASES_LIMIT,
            "the operation has more than 30 aliases",
        ),
        (
            # fragments count each time they are spread
            "{ daftarKecamatan { ...A ...A ...A } } fragment A on Kecamatan { a: nama b: kode }",
            SubgraphLimits(max_aliases=5),
            SubgraphErrorCode.MAX_ALIASES_LIMIT,
            "the operation has more than 5 aliases",
        ),
        (
            "{ daftarKecamatan { " + " ".join(["nama"] * 5_000) + " } }",
            SubgraphLimits(),
            SubgraphErrorCode.MAX_TOKENS_LIMIT,
            "the document has more than 5000 tokens",
        ),
        (
            WIDE,
            SubgraphLimits(),
            SubgraphErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
            "the operation's estimated cost is 13824, over the maximum of 10000",
        ),
        (
            "{ daftarKelurahan { penduduk { jumlah } } }",
            SubgraphLimits(max_cost=400),
            SubgraphErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
            # list_size (10) x (1 + @cost(weight: 40))
            "the operation's estimated cost is 410, over the maximum of 400",
        ),
    ],
)
async def test_each_limit_refuses_with_its_code(
    query: str,
    limits: SubgraphLimits,
    code: SubgraphErrorCode,
    message: str,
    calls: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="simpul.subgraph")
    async with await serve(limits) as client:
        body = await post(client, query)
    [error] = body["errors"]
    assert "data" not in body
    assert error["message"] == message
    assert error["extensions"]["code"] == code.value
    assert calls == []
    # logged by its code, never with the document
    [record] = [r for r in caplog.records if r.name == "simpul.subgraph"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == f"{code.value}: refused before execution"


async def test_a_cost_refusal_says_the_cost_and_the_maximum(client: httpx.AsyncClient) -> None:
    body = await post(client, "{ daftarKelurahan { penduduk { jumlah } } }")
    assert "errors" not in body  # 410: within the default maximum
    limited = SubgraphLimits(max_cost=100)
    async with await serve(limited) as small:
        body = await post(small, "{ daftarKelurahan { penduduk { jumlah } } }")
    assert body == {
        "errors": [
            {
                "message": "the operation's estimated cost is 410, over the maximum of 100",
                "extensions": {
                    "code": "COST_ESTIMATED_TOO_EXPENSIVE",
                    "cost": 410,
                    "maxCost": 100,
                },
            }
        ]
    }


@pytest.mark.parametrize(
    ("bomb", "code"),
    [
        # each fragment nests the next twice: 2^60 paths, 61 levels
        (
            "fragment F{i} on Kecamatan {{ kelurahan {{ kecamatan {{ ...F{j} ...F{j} }} }} }}",
            SubgraphErrorCode.QUERY_TOO_DEEP,
        ),
        # flat: one level, but 2^60 spreads of a list
        (
            "fragment F{i} on Kecamatan {{ kelurahan {{ nama }} ...F{j} ...F{j} }}",
            SubgraphErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
        ),
        # flat, aliased: 2^60 aliases
        (
            "fragment F{i} on Kecamatan {{ n{i}: nama ...F{j} ...F{j} }}",
            SubgraphErrorCode.MAX_ALIASES_LIMIT,
        ),
    ],
)
async def test_a_fragment_bomb_is_refused_promptly(
    client: httpx.AsyncClient, bomb: str, code: SubgraphErrorCode, calls: list[str]
) -> None:
    fragments = "\n".join(bomb.format(i=i, j=i + 1) for i in range(60))
    query = "{ daftarKecamatan { ...F0 } }\n" + fragments + "\nfragment F60 on Kecamatan { nama }"
    started = time.perf_counter()
    body = await post(client, query)
    assert time.perf_counter() - started < 1.0
    assert body["errors"][0]["extensions"]["code"] == code.value
    assert calls == []


async def test_an_invalid_document_is_left_to_validation(
    client: httpx.AsyncClient, calls: list[str]
) -> None:
    # checked before validation, a fragment cycle or an unknown field must not trip the check
    for query in (
        "{ daftarKecamatan { ...A } } fragment A on Kecamatan { nama ...A }",
        "{ daftarKecamatan { tidakAda { nama } } }",
        "{ daftarKecamatan { nama }",
    ):
        body = await post(client, query)
        [error] = body["errors"]
        assert "extensions" not in error or error["extensions"].get("code") not in (
            code.value for code in SubgraphErrorCode
        )
    assert calls == []


@pytest.mark.parametrize("name", [[1], {"a": 1}, 5])
async def test_an_operation_name_of_any_shape_is_left_to_strawberry(
    client: httpx.AsyncClient, name: object
) -> None:
    payload = {"query": "query A { daftarKecamatan { nama } }", "operationName": name}
    response = await client.post("/graphql", json=payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


@pytest.mark.parametrize("value", [{"a": 1}, "banyak", True, 2.5, [[{"a": 1}]], None])
def test_variables_are_read_whatever_their_shape(value: object) -> None:
    # read before strawberry coerces them: a variable may hold anything a client sends
    guard = OperationGuard(schema, SubgraphLimits())
    guard.check(ENTITIES, {"representations": value})


@pytest.mark.parametrize(
    ("query", "operation_name"),
    [
        ("{ daftarKecamatan { kode nama kelurahan { kode nama kecamatan { nama } } } }", None),
        ("{ daftarKelurahan { nama penduduk { jumlah } } }", None),
        (
            "query Ringan { daftarKecamatan { nama } } query Berat { daftarKecamatan { "
            "kelurahan { kecamatan { kelurahan { kecamatan { kelurahan { nama } } } } } } }",
            "Ringan",  # only the operation that runs is priced
        ),
        (
            "{ ...Wilayah } "
            "fragment Wilayah on Query { daftarKecamatan { kode kelurahan { nama } } }",
            None,
        ),
    ],
)
async def test_ordinary_queries_pass(
    client: httpx.AsyncClient, query: str, operation_name: str | None
) -> None:
    payload = {"query": query, "operationName": operation_name}
    body = (await client.post("/graphql", json=payload)).json()
    assert "errors" not in body, body
    assert body["data"]


async def test_depth_is_counted_to_the_limit_itself() -> None:
    async with await serve(SubgraphLimits(max_depth=3)) as client:
        body = await post(client, "{ daftarKecamatan { kelurahan { kecamatan { nama } } } }")
        assert "errors" not in body
        body = await post(
            client, "{ daftarKecamatan { kelurahan { kecamatan { kelurahan { nama } } } } }"
        )
        assert body["errors"][0]["message"] == "the operation is 4 levels deep; the limit is 3"


async def test_service_sdl_passes(client: httpx.AsyncClient) -> None:
    body = await post(client, "{ _service { sdl } }")
    assert "@listSize(assumedSize: 7)" in body["data"]["_service"]["sdl"]


async def test_a_gateway_entity_fetch_of_500_passes(
    client: httpx.AsyncClient, calls: list[str]
) -> None:
    body = await post(client, ENTITIES, {"representations": representations(500)})
    assert "errors" not in body
    assert len(body["data"]["_entities"]) == 500
    assert body["data"]["_entities"][7] == {
        "kode": "61.71.01.1007",
        "nama": "Kelurahan 61.71.01.1007",
        "kodeBps": "6171010001",
        "luasKm2": 2.5,
        "kecamatan": {"nama": "Pontianak Kota"},
    }
    assert calls.count("resolve_reference") == 500


async def test_entities_are_priced_by_the_representations_passed() -> None:
    # each item: the entity (1) and its kecamatan (1); penduduk costs 40 more
    heavy = ENTITIES.replace("kecamatan { nama }", "kecamatan { nama } penduduk { jumlah }")
    async with await serve(SubgraphLimits(max_cost=1000)) as client:
        assert "errors" not in await post(
            client, ENTITIES, {"representations": representations(500)}
        )
        body = await post(client, heavy, {"representations": representations(20)})
        assert "errors" not in body  # 20 x 42 = 840
        body = await post(client, heavy, {"representations": representations(25)})
        assert body["errors"][0]["extensions"]["cost"] == 25 * 42
        # a literal list is counted the same way
        literal = ", ".join(f'{{__typename: "Kelurahan", kode: "k{i}"}}' for i in range(25))
        body = await post(
            client,
            f"{{ _entities(representations: [{literal}]) "
            "{ ... on Kelurahan { nama penduduk { jumlah } } } }",
        )
        assert body["errors"][0]["extensions"]["cost"] == 25 * 41


async def test_introspection_passes_and_its_bombs_do_not(client: httpx.AsyncClient) -> None:
    # GraphiQL's query is 14 levels deep, in lists of at most 1 level
    body = await post(client, get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    bomb = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    body = await post(client, bomb)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "data" not in body


async def test_an_opd_can_raise_its_limits(calls: list[str]) -> None:
    deeper = SubgraphLimits(max_depth=13)
    async with await serve(deeper) as client:
        body = await post(client, NESTED)
    # deep enough now, but 6 x 7^6 kelurahan are still too many
    assert body["errors"][0]["extensions"]["code"] == "COST_ESTIMATED_TOO_EXPENSIVE"
    async with await serve(SubgraphLimits(max_cost=20_000)) as client:
        body = await post(client, WIDE)
    assert "errors" not in body
    assert len(body["data"]["daftarKecamatan"][5]["kelurahan"][6]["kecamatan"]["kelurahan"]) == 7
