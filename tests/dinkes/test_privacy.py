"""No patient data exists anywhere, and the one person the exports name (a facility's
head, SATUSEHAT's Organization ``contact``) never reaches the graph."""

from __future__ import annotations

import json
import re

from subgraphs.dinkes.legacy import JSON_EXPORT, fasilitas
from subgraphs.dinkes.schema import schema
from subgraphs.reference import kelurahan_list
from tests.support.clock import TODAY

from .conftest import Wired

EVERYTHING = """
fragment F on FasilitasKesehatan { kode nama jenis kepemilikan alamat kelurahan { kode }
  layanan jamBuka rawatInap telepon lintang bujur sumber diperbarui }
query ($r: [_Any!]!) {
  daftarFasilitasKesehatan { ...F }
  _entities(representations: $r) {
    ... on FasilitasKesehatan { ...F } ... on Kelurahan { fasilitasKesehatan { ...F } } }
}"""

PERSONAL: tuple[str, ...] = ("nik", "pasien", "patient", "kepala", "contact", "kontak")
PERSONAL += ("pemilik", "dokter", "tanggallahir", "lahir", "diagnosa", "rekammedis", "nip")


def test_schema_has_no_personal_fields() -> None:
    sdl = schema.as_str().lower()
    words = set(re.findall(r"(\w+)\s*[(:]", sdl))
    assert not words & set(PERSONAL), words & set(PERSONAL)
    types = set(re.findall(r"(?:type|enum|union|input) (\w+)", sdl))
    people = ("pasien", "patient", "penduduk", "dokter", "pegawai", "person", "orang")
    assert not any(word in name for name in types for word in people), types


def test_the_exports_hold_no_patient_records(wired: Wired) -> None:
    bundle = json.loads(wired.read(JSON_EXPORT))
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert kinds == {"Organization", "Location"}  # no Patient, Encounter, Observation...


async def test_no_person_in_any_answer(wired: Wired) -> None:
    representations = [
        *({"__typename": "FasilitasKesehatan", "kode": f.kode} for f in fasilitas(TODAY)),
        *({"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()),
    ]
    body = await wired.query(EVERYTHING, {"r": representations})
    assert "errors" not in body
    text = json.dumps(body)
    assert len(body["data"]["daftarFasilitasKesehatan"]) == len(fasilitas(TODAY))
    for item in fasilitas(TODAY):
        # The head's name is in the export (SATUSEHAT lists a contact), never in the graph
        assert item.kepala in wired.read(JSON_EXPORT).decode() or not item.di_satusehat
        assert f'"{item.kepala}"' not in text
        if " " in item.kepala:  # a one-word name may also be a street's
            assert item.kepala not in text
    # Every telephone answered is a facility's landline from the exports
    phones = {f["telepon"] for f in body["data"]["daftarFasilitasKesehatan"]}
    assert phones == {item.telepon for item in fasilitas(TODAY)}
    assert not re.search(r"\b\d{16}\b", text)  # nothing shaped like a NIK
