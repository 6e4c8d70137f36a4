"""The Cache-Control a toolkit subgraph's answer carries: the most restrictive of the hints
of the fields it selects, none when a root or entity field has no hint, none for errors
and mutations."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import strawberry
from strawberry.asgi import GraphQL

from subgraphs.toolkit import cache_control, entity_cache_control, subgraph_schema


@entity_cache_control(max_age=86_400, stale_if_error=604_800)
@strawberry.federation.type(keys=["kode"])
class Wilayah:
    kode: strawberry.ID
    nama: str

    @strawberry.field(metadata=cache_control(max_age=600, stale_if_error=3600))
    def penduduk(self) -> int:
        return 1200

    @classmethod
    def resolve_reference(cls, kode: strawberry.ID) -> Wilayah:
        return Wilayah(kode=kode, nama=f"Wilayah {kode}")


@strawberry.federation.type(keys=["nomor"])
class Aduan:
    nomor: strawberry.ID

    @classmethod
    def resolve_reference(cls, nomor: strawberry.ID) -> Aduan:
        return Aduan(nomor=nomor)


@strawberry.type
class Query:
    @strawberry.field(metadata=cache_control(max_age=3600, stale_if_error=86_400))
    def wilayah(self) -> Wilayah:
        return Wilayah(kode=strawberry.ID("1"), nama="Pontianak")

    @strawberry.field(metadata=cache_control(max_age=60, stale_if_error=600))
    def anggaran(self) -> int:
        return 5

    @strawberry.field
    def terbaru(self) -> int:
        return 1

    @strawberry.field(metadata=cache_control(max_age=300, private=True))
    def milik_saya(self) -> int:
        return 2

    @strawberry.field(metadata=cache_control(no_store=True))
    def biodata(self) -> str:
        return "rahasia"

    @strawberry.field(metadata=cache_control(max_age=60))
    def gagal(self) -> int:
        raise RuntimeError("upstream down")


@strawberry.type
class Mutation:
    @strawberry.mutation(metadata=cache_control(max_age=60))
    def catat(self) -> int:
        return 1


SCHEMA = subgraph_schema(Query, mutation=Mutation, types=[Aduan])


async def cache_header(query: str, variables: dict[str, Any] | None = None) -> str | None:
    transport = httpx.ASGITransport(app=GraphQL(SCHEMA, graphql_ide=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://dukcapil") as client:
        answer = await client.post("/graphql", json={"query": query, "variables": variables})
    assert answer.status_code == 200
    return answer.headers.get("cache-control")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ wilayah { kode nama } }", "public, max-age=3600, stale-if-error=86400"),
        ("{ wilayah { nama penduduk } }", "public, max-age=600, stale-if-error=3600"),
        ("{ wilayah { nama } anggaran }", "public, max-age=60, stale-if-error=600"),
        ("{ wilayah { nama } terbaru }", None),
        ("{ anggaran milikSaya }", "private, max-age=60"),
        ("{ anggaran biodata }", "no-store"),
        ("{ anggaran gagal }", None),
        ("mutation { catat }", None),
        ("{ _service { sdl } }", None),
    ],
)
async def test_the_answer_carries_the_most_restrictive_hint(query: str, expected: str) -> None:
    assert await cache_header(query) == expected


ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on %s } }"


async def test_entities_follow_their_type_or_their_fields() -> None:
    wilayah = [{"__typename": "Wilayah", "kode": "1"}]
    assert await cache_header(ENTITIES % "Wilayah { nama }", {"r": wilayah}) == (
        "public, max-age=86400, stale-if-error=604800"
    )
    assert await cache_header(ENTITIES % "Wilayah { nama penduduk }", {"r": wilayah}) == (
        "public, max-age=600, stale-if-error=3600"
    )
    aduan = [{"__typename": "Aduan", "nomor": "7"}]
    assert await cache_header(ENTITIES % "Aduan { nomor }", {"r": aduan}) is None


def test_a_hint_is_in_seconds() -> None:
    with pytest.raises(ValueError, match="seconds"):
        cache_control(max_age=-1)
