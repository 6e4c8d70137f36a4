"""The seed covers every kelurahan and every year, with codes from the reference data, up to
the day before the export, the same for the same day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from subgraphs.dpmptsp.legacy import seed
from subgraphs.dpmptsp.perizinan import JENIS_IZIN, jenis_by_kd_izin, jenis_by_kode
from subgraphs.dpmptsp.wilayah import kelurahan_from_oss, kelurahan_from_sicantik
from subgraphs.reference import NIB_RE, NOMOR_IZIN_RE, kbli_by_code, kelurahan_list
from tests.support.clock import TODAY

KELURAHAN = {k.kode for k in kelurahan_list()}


def test_every_kelurahan_has_permits_each_year() -> None:
    data = seed.perizinan(TODAY)
    per_place_year = Counter(
        (kelurahan_from_sicantik(row["kd_kelurahan"]), row["d_terima_berkas"][:4])
        for row in data.permohonan
    )
    for kode in KELURAHAN:
        for tahun in range(seed.first_year(TODAY), TODAY.year + 1):
            assert per_place_year[(kode, str(tahun))] >= 2
    assert {row["kd_perizinan"] for row in data.permohonan} == {
        j.kode for j in JENIS_IZIN if j.sistem == "SiCantik"
    }
    statuses = Counter(row["status"] for row in data.permohonan)
    assert statuses["Terbit"] > statuses["Ditolak"] > 0 and statuses["Verifikasi Berkas"] > 0


def test_every_kelurahan_has_businesses_with_permits() -> None:
    data = seed.perizinan(TODAY)
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
    data = seed.perizinan(TODAY)
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
    first = seed.perizinan(TODAY)
    seed.perizinan.cache_clear()
    again = seed.perizinan(TODAY)
    assert first == again and first is not again


def test_both_systems_run_up_to_the_day_before() -> None:
    data = seed.perizinan(date(2027, 3, 15))
    received = [row["d_terima_berkas"][:10] for row in data.permohonan]
    assert min(received) >= "2023-01-01" and max(received) == "2027-03-14"
    assert {r[:4] for r in received} == {"2023", "2024", "2025", "2026", "2027"}
    assert max(row["tgl_terbit_nib"] for row in data.usaha) <= "2027-03-14"
    stamps = [row["d_update"] for row in data.permohonan]
    stamps += [row["tgl_update"] for row in data.izin_usaha]
    stamps += [row["tgl_perubahan"] for row in data.usaha]
    assert max(stamps) < "2027-03-15 06:00:00"  # exported that morning
    # last month's permits are there: issued through the end of February
    issued = Counter(row["d_terbit"][:7] for row in data.permohonan if row["d_terbit"])
    assert issued["2027-02"] > 20 and issued["2027-03"] > 0


def test_a_later_day_keeps_the_records_and_adds_new_ones() -> None:
    earlier = seed.perizinan(date(2026, 11, 2))
    later = seed.perizinan(date(2026, 12, 1))
    before = {row["pendaftaran_id"]: row for row in earlier.permohonan}
    after = {row["pendaftaran_id"]: row for row in later.permohonan}
    assert set(before) < set(after)
    for key, row in before.items():
        assert after[key]["d_terima_berkas"] == row["d_terima_berkas"]
        assert after[key]["n_pemohon"] == row["n_pemohon"]
    assert {row["nib"] for row in earlier.usaha} <= {row["nib"] for row in later.usaha}
    november = [r for r in later.permohonan if (r["d_terbit"] or "").startswith("2026-11")]
    assert len(november) > 20  # this year's chart is not empty for the month just gone
