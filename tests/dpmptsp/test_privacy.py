"""No applicant or person in charge (name, NIK, phone, address) crosses the graph: the
SDL has no field for one, answers contain none, and the mapping never reads one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from subgraphs.dpmptsp import records
from subgraphs.dpmptsp.legacy import perizinan
from subgraphs.dpmptsp.schema import schema
from subgraphs.dpmptsp.source import connect
from tests.support.clock import TODAY

from .conftest import HEAVY, Wired

PERSONAL = ("nik", "pemohon", "penanggung_jawab", "telp", "no_hp", "alamat")


class Guarded(dict[str, Any]):
    """A record that fails the test when a personal field is read."""

    def _check(self, key: str) -> None:
        if any(word in key for word in PERSONAL):
            pytest.fail(f"the mapping read personal field {key!r}")

    def __getitem__(self, key: str) -> Any:
        self._check(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._check(key)
        return super().get(key, default)


def test_mapping_never_reads_personal_fields() -> None:
    data = perizinan(TODAY)
    for row in data.permohonan:
        records.izin_from_sicantik(Guarded(row))
    for row in data.izin_usaha:
        records.izin_from_oss(Guarded(row))
    for row in data.usaha:
        records.usaha_from_oss(Guarded(row))
    # the guard itself works
    with pytest.raises(pytest.fail.Exception):
        Guarded(data.usaha[0])["nik_penanggung_jawab"]


EVERYTHING = """
fragment I on Izin { nomor nomorPermohonan kodeJenis jenis status tanggalPermohonan
  tanggalTerbit berlakuSampai kbli { kode judul } sumber diperbarui kelurahan { kode } }
fragment U on Usaha { nib nama bentuk skala kbli { kode judul } tanggalTerbitNib sumber
  diperbarui kelurahan { kode } izin { ...I } }
query ($r: [_Any!]!) {
  daftarIzin(kecamatan: "61.71.05") { ...I usaha { ...U } }
  _entities(representations: $r) { ... on Kelurahan { izin { ...I } usaha { ...U } } }
}"""


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_no_personal_data_in_any_answer(wired: Wired) -> None:
    body = await wired.query(
        EVERYTHING, {"r": [{"__typename": "Kelurahan", "kode": "61.71.02.1003"}]}
    )
    assert "errors" not in body
    assert len(body["data"]["daftarIzin"]) > 300
    text = json.dumps(body)
    data = wired.simulator.data
    for row in data.permohonan:
        for field in ("nik_pemohon", "n_pemohon", "no_hp_pemohon", "alamat_pemohon"):
            assert f'"{row[field]}"' not in text
        assert row["nik_pemohon"] not in text
    for row in data.usaha:
        assert row["nik_penanggung_jawab"] not in text
        assert f'"{row["nama_penanggung_jawab"]}"' not in text
        assert row["no_telp_penanggung_jawab"] not in text


def test_schema_has_no_personal_fields() -> None:
    sdl = schema.as_str().lower()
    for word in ("nik", "pemohon", "penanggungjawab", "pemilik", "telepon", "telp", "alamat", "hp"):
        assert f" {word}:" not in sdl and f" {word}(" not in sdl
    assert "pemohon" not in sdl.replace("nomorpermohonan", "").replace("tanggalpermohonan", "")


def test_adapter_configuration_hides_the_key() -> None:
    source = connect("http://dpmptsp.invalid", api_key="s3cret-key")
    assert "s3cret-key" not in repr(source)
