"""The seed: plausible for Pontianak, every kelurahan covered, codes in the reference
formats, a few facilities known to one export only, dated from the export's day, the same
for the same day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from subgraphs.dinkes.legacy import seed
from subgraphs.reference import (
    FASYANKES_RE,
    NIK_RE,
    RSUD_KOTA,
    kelurahan_by_code,
    kelurahan_list,
    puskesmas_name,
)
from tests.support.clock import TODAY


def test_every_kelurahan_has_a_facility() -> None:
    per_kelurahan = Counter(item.kelurahan.kode for item in seed.fasilitas(TODAY))
    assert set(per_kelurahan) == {k.kode for k in kelurahan_list()}


def test_puskesmas_are_named_after_their_kelurahan_and_pustu_fill_the_gaps() -> None:
    faskes = seed.fasilitas(TODAY)
    puskesmas = [item for item in faskes if item.jenis == "puskesmas"]
    assert len(puskesmas) == seed.JUMLAH_PUSKESMAS == 23
    assert all(item.nama == puskesmas_name(item.kelurahan) for item in puskesmas)
    assert all(item.kepemilikan == "Pemerintah Kota" for item in puskesmas)
    with_puskesmas = {item.kelurahan.kode for item in puskesmas}
    pustu = {item.kelurahan.kode for item in faskes if item.jenis == "pustu"}
    assert {k.kode for k in kelurahan_list()} - with_puskesmas <= pustu
    assert any(item.rawat_inap for item in puskesmas)


def test_hospitals_clinics_and_laboratories() -> None:
    faskes = seed.fasilitas(TODAY)
    by_name = {item.nama: item for item in faskes}
    assert by_name[RSUD_KOTA].kepemilikan == "Pemerintah Kota"
    assert by_name["RSUD dr. Soedarso"].kepemilikan == "Pemerintah Provinsi"
    kinds = Counter(item.jenis for item in faskes)
    assert kinds["rumah_sakit"] >= 8 and kinds["klinik"] >= 12 and kinds["laboratorium"] >= 1
    swasta = [
        item for item in faskes if item.jenis == "rumah_sakit" and item.kepemilikan == "Swasta"
    ]
    assert len(swasta) >= 5


def test_codes_are_unique_and_in_the_reference_formats() -> None:
    faskes = seed.fasilitas(TODAY)
    kodes = [item.kode for item in faskes]
    assert len(set(kodes)) == len(kodes) and all(FASYANKES_RE.match(k) for k in kodes)
    for item in faskes:
        assert kelurahan_by_code(item.kelurahan.kode) == item.kelurahan
        digits = item.kelurahan.kecamatan_kode.replace(".", "")
        expected = digits[:4] if item.jenis == "rumah_sakit" else digits
        assert item.kode.lstrip("PK").startswith(expected)
        assert item.telepon.startswith("(0561) ")
        assert not NIK_RE.match(item.telepon.replace("(0561) ", ""))


def test_some_facilities_are_in_one_export_only() -> None:
    faskes = seed.fasilitas(TODAY)
    assert [i.jenis for i in faskes if not i.di_satusehat] == ["klinik", "klinik"]
    assert [i.jenis for i in faskes if not i.di_registri] == ["rumah_sakit"]
    assert all(i.di_satusehat or i.di_registri for i in faskes)


def test_seed_is_deterministic() -> None:
    first = seed.fasilitas(TODAY)
    seed.fasilitas.cache_clear()
    again = seed.fasilitas(TODAY)
    assert first == again and first is not again


def test_records_were_updated_in_the_year_before_the_export() -> None:
    day = date(2027, 3, 15)
    updated = [item.diperbarui for item in seed.fasilitas(day)]
    assert date(2026, 3, 15) <= min(updated) and date(2027, 2, 15) <= max(updated) < day
    # the same facilities, whatever the day
    assert [i.kode for i in seed.fasilitas(day)] == [i.kode for i in seed.fasilitas(TODAY)]
