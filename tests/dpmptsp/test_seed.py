"""The seed covers every kelurahan and every year, with codes from the reference data, the
same on every run."""

from __future__ import annotations

from collections import Counter

from subgraphs.dpmptsp.legacy import seed
from subgraphs.dpmptsp.perizinan import JENIS_IZIN, jenis_by_kd_izin, jenis_by_kode
from subgraphs.dpmptsp.wilayah import kelurahan_from_oss, kelurahan_from_sicantik
from subgraphs.reference import NIB_RE, NOMOR_IZIN_RE, kbli_by_code, kelurahan_list

KELURAHAN = {k.kode for k in kelurahan_list()}


def test_every_kelurahan_has_permits_each_year() -> None:
    data = seed.perizinan()
    per_place_year = Counter(
        (kelurahan_from_sicantik(row["kd_kelurahan"]), row["d_terima_berkas"][:4])
        for row in data.permohonan
    )
    for kode in KELURAHAN:
        for tahun in range(seed.FIRST_YEAR, seed.SNAPSHOT.year + 1):
            assert per_place_year[(kode, str(tahun))] >= 2
    assert {row["kd_perizinan"] for row in data.permohonan} == {
        j.kode for j in JENIS_IZIN if j.sistem == "SiCantik"
    }
    statuses = Counter(row["status"] for row in data.permohonan)
    assert statuses["Terbit"] > statuses["Ditolak"] > 0 and statuses["Verifikasi Berkas"] > 0


def test_every_kelurahan_has_businesses_with_permits() -> None:
    data = seed.perizinan()
    assert {kelurahan_from_oss(row["kd_daerah"]) for row in data.usaha} == KELURAHAN
    assert {kelurahan_from_oss(row["kd_daerah"]) for row in data.izin_usaha} == KELURAHAN
    nibs = [row["nib"] for row in data.usaha]
    assert len(set(nibs)) == len(nibs) and all(NIB_RE.match(n) for n in nibs)
    assert {row["nib"] for row in data.izin_usaha} == set(nibs)
    for row in data.usaha:
        for sector in row["kbli"]:
            assert kbli_by_code(sector["kode_kbli"]).judul == sector["judul_kbli"]
    assert {row["skala_usaha"] for row in data.usaha} == {
        "Usaha Mikro",
        "Usaha Kecil",
        "Usaha Menengah",
        "Usaha Besar",
    }
    assert all(jenis_by_kd_izin(row["kd_izin"]) for row in data.izin_usaha)


def test_permit_numbers_are_unique_and_well_formed() -> None:
    data = seed.perizinan()
    numbers = [row["no_surat"] for row in data.permohonan if row["no_surat"]]
    numbers += [row["nomor_izin"] for row in data.izin_usaha if row["nomor_izin"]]
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert NOMOR_IZIN_RE.match(number)
        assert jenis_by_kode(number.split("/")[2]) is not None
    ids = [row["id_izin"] for row in data.izin_usaha]
    assert len(ids) == len(set(ids))
    for row in data.permohonan:
        assert (row["no_surat"] is None) == (row["status"] not in {"Terbit", "Dicabut"})


def test_seed_is_deterministic() -> None:
    first = seed.perizinan()
    seed.perizinan.cache_clear()
    again = seed.perizinan()
    assert first == again and first is not again
