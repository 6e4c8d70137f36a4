"""No answer carries a resident's NIK, family card number, name or birth date, whatever is
asked: the graph gets counts and place names only."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from subgraphs.dukcapil.legacy import siak_tables
from subgraphs.reference import kelurahan_list
from subgraphs.toolkit.adapters import SqlSource

from .conftest import Wired

EVERYTHING = """query ($r: [_Any!]!) {
  pendudukKota { ...P }
  daftarKecamatan { kode nama kodeBps penduduk { ...P }
    kelurahan { kode nama kodeBps kecamatan { nama } penduduk { ...P } } }
  _entities(representations: $r) { ... on Kelurahan { nama penduduk { ...P } } }
  _service { sdl } }
fragment P on Penduduk { jumlah lakiLaki perempuan jumlahKepalaKeluarga tanggalData sumber
  diperbarui perKelompokUmur { kelompok umurMin umurMaks lakiLaki perempuan jumlah } }"""


def without_stamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: without_stamps(item)
            for key, item in value.items()
            if key not in ("tanggalData", "diperbarui")
        }
    if isinstance(value, list):
        return [without_stamps(item) for item in value]
    return value


async def test_no_answer_carries_personal_data(wired: Wired, sqlite_db: str) -> None:
    body = await wired.query(
        EVERYTHING,
        {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]},
    )
    assert "errors" not in body
    text = json.dumps(body)
    assert not re.search(r"\d{16}", text)
    b = siak_tables().biodata_wni
    async with SqlSource("siak", sqlite_db) as source:
        people = await source.fetch_all(select(b.c.NIK, b.c.NAMA_LGKP, b.c.TGL_LHR))
    upper = text.upper()
    # Dates appear only as the data's cut-off and last-update stamps, never anywhere else
    assert not re.search(r"\d{4}-\d{2}-\d{2}", json.dumps(without_stamps(body)))
    # Names with more than one word cannot be a kelurahan's by chance
    assert [
        p["NAMA_LGKP"] for p in people if " " in p["NAMA_LGKP"] and p["NAMA_LGKP"] in upper
    ] == []
