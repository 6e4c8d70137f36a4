"""Children's and teachers' data stay in Dapodik: the graph has no field that could carry a
person's identifier or name, and no answer carries one (not even the principal's name,
which Dapodik's school rows include)."""

from __future__ import annotations

import json
import re

import pytest

from subgraphs.dikbud.schema import schema
from subgraphs.dikbud.source import connect
from subgraphs.reference import kelurahan_list

from .conftest import HEAVY, Wired

EVERYTHING = """
fragment S on Sekolah { npsn nama bentukPendidikan status alamat akreditasi lintang bujur
  sumber diperbarui kelurahan { kode }
  pesertaDidik { jumlah lakiLaki perempuan rombel semester
                 perTingkat { tingkat jumlah lakiLaki perempuan rombel } }
  gtk { guru tendik jumlah semester } }
query ($r: [_Any!]!) {
  daftarSekolah { ...S }
  _entities(representations: $r) {
    ... on Kelurahan { sekolah { ...S } ringkasanPendidikan { jumlahSekolah pesertaDidik guru } }
    ... on Sekolah { ...S } }
}"""

PERSONAL = ("nik", "nisn", "nuptk", "nip", "siswa", "guru_nama", "kepala", "operator", "email")
PERSONAL += ("telepon", "hp", "alamat_rumah", "tanggal_lahir", "tempat_lahir", "ibu", "ayah")


def test_schema_has_no_personal_fields() -> None:
    fields = re.findall(r"^\s+(\w+)\s*[(:]", schema.as_str(), flags=re.MULTILINE)
    assert fields, "no field found"
    for field in fields:
        words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", field)}
        assert not words & set(PERSONAL), field
        assert field.lower() not in {"nama_siswa", "namaguru", "namakepalasekolah"}


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_no_personal_data_in_any_answer(wired: Wired) -> None:
    schools = wired.simulator.data.sekolah
    representations = [
        *({"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()),
        *({"__typename": "Sekolah", "npsn": s.npsn} for s in schools[:50]),
    ]
    body = await wired.query(EVERYTHING, {"r": representations})
    assert "errors" not in body
    assert len(body["data"]["daftarSekolah"]) == len(schools)
    text = json.dumps(body)
    for school in schools:
        kepala = school.row["kepala_sekolah"]
        # A one-word name may well be part of a school's name: then no whole value may be it
        assert (kepala if " " in kepala else f'"{kepala}"') not in text
        assert school.sekolah_id not in text  # Dapodik's internal id stays internal too


def test_adapter_configuration_hides_the_token() -> None:
    source = connect("http://dapodik.invalid", token="s3cret-token")
    assert "s3cret-token" not in repr(source)
    assert "s3cret-token" not in repr(source.web_service._client.auth)
