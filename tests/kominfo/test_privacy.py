"""No complainant (name, NIK, phone) and no complaint text is reachable through the graph."""

from __future__ import annotations

import json

from graphql import GraphQLObjectType

from subgraphs.kominfo.schema import schema
from subgraphs.kominfo.source import connect

from .conftest import Wired

EVERYTHING = """
fragment A on Aduan { trackingId topik status tanggalLapor tanggalDisposisi
  tanggalTindakLanjut disposisiTepatWaktu tindakLanjutTepatWaktu sumber diperbarui
  opd { kode nama } kelurahan { kode } }
query ($r: [_Any!]!) {
  daftarAduan { ...A }
  daftarOpd { kode aduan { ...A } }
  _entities(representations: $r) { ... on Kelurahan { aduan { ...A } } ... on Aduan { ...A } }
}"""


async def test_no_personal_data_in_any_answer(wired: Wired) -> None:
    laporan = wired.simulator.data.laporan
    representations = [
        {"__typename": "Kelurahan", "kode": "61.71.05.1001"},
        *({"__typename": "Aduan", "trackingId": row["tracking_id"]} for row in laporan),
    ]
    body = await wired.query(EVERYTHING, {"r": representations})
    assert "errors" not in body
    text = json.dumps(body)
    assert len(body["data"]["daftarAduan"]) == len(laporan)
    for row in laporan:
        pelapor = row["pelapor"]
        for secret in (pelapor["nik"], pelapor["nama"], pelapor["no_hp"], row["isi_laporan"]):
            assert secret not in text
        assert f'"{row["judul"]}"' not in text


def test_schema_has_no_personal_fields() -> None:
    # a NIK goes in (the data-protection officer's lookup) and never comes out
    fields = {
        name.lower()
        for type_ in schema._schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("_")
        for name in type_.fields
    }
    for word in ("nik", "pelapor", "telepon", "isi", "judul", "namapelapor", "hp"):
        assert word not in fields


def test_adapter_configuration_hides_credentials() -> None:
    source = connect("http://kominfo.invalid", api_key="s3cret", lapor_token="t0ken")
    assert "s3cret" not in repr(source) and "t0ken" not in repr(source)
