"""The dukcapil subgraph defends itself: the nesting query that once cost it 41 s of CPU
and 913 MB is refused before the registry is asked anything; the gateway's entity fetches
still pass."""

from __future__ import annotations

from subgraphs.reference import kelurahan_list

from .conftest import Wired

NESTED = (
    "{ daftarKecamatan { kelurahan { kecamatan { kelurahan { kecamatan { kelurahan { "
    "kecamatan { kelurahan { kecamatan { kelurahan { kecamatan { kelurahan { kecamatan "
    "{ nama } } } } } } } } } } } } } }"
)

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Kelurahan { kode nama kodeBps kecamatan { nama } penduduk { jumlah } }
  }
}
"""


async def test_the_nesting_query_is_refused_unread(wired: Wired) -> None:
    before = len(wired.statements)
    body = await wired.query(NESTED)
    assert "data" not in body
    assert body["errors"] == [
        {
            "message": "the operation is 13 levels deep; the limit is 12",
            "extensions": {"code": "QUERY_TOO_DEEP"},
        }
    ]
    assert wired.statements[before:] == []


async def test_a_gateway_entity_fetch_of_500_kelurahan_passes(wired: Wired) -> None:
    codes = [k.kode for k in kelurahan_list()]
    keys = [codes[i % len(codes)] for i in range(500)]
    representations = [{"__typename": "Kelurahan", "kode": kode} for kode in keys]
    body = await wired.query(ENTITIES, {"representations": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [entity["kode"] for entity in entities] == keys
    assert all(entity["penduduk"]["jumlah"] > 0 for entity in entities)
