"""The seed covers every OPD and kelurahan, with codes from the reference data, dated from
the day it is exported, the same for the same day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from subgraphs.kominfo.instansi import kode_skpd_for_instansi
from subgraphs.kominfo.legacy import seed
from subgraphs.reference import LAPOR_ID_RE, kelurahan_list, opd_by_code, opd_list
from tests.support.clock import TODAY


def test_every_opd_is_registered_and_has_an_application() -> None:
    data = seed.catalogue(TODAY)
    assert [row["kode_skpd"] for row in data.perangkat_daerah] == [o.kode for o in opd_list()]
    owners = Counter(row["kode_skpd_pemilik"] for row in data.aplikasi)
    assert all(owners[opd.kode] >= 1 for opd in opd_list())
    assert {row["jenis_aplikasi"] for row in data.aplikasi} == {"Aplikasi Umum", "Aplikasi Khusus"}


def test_every_kelurahan_has_complaints_to_known_opds() -> None:
    data = seed.catalogue(TODAY)
    per_kelurahan = Counter(row["kode_wilayah"] for row in data.laporan)
    assert set(per_kelurahan) == {k.kode for k in kelurahan_list()}
    assert min(per_kelurahan.values()) >= 2
    ids = [row["tracking_id"] for row in data.laporan]
    assert len(set(ids)) == len(ids) and all(LAPOR_ID_RE.match(i) for i in ids)
    for row in data.laporan:
        kode = kode_skpd_for_instansi(row["instansi_tujuan"])
        assert kode is not None
        opd_by_code(kode)


def test_innovations_use_registry_codes() -> None:
    data = seed.catalogue(TODAY)
    assert {row["kode_skpd"] for row in data.inovasi} <= {o.kode for o in opd_list()}
    project = {o.kode for o in opd_list() if o.is_project_opd}
    assert project <= {row["kode_skpd"] for row in data.inovasi}
    assert {row["jenis_inovasi"] for row in data.inovasi} == {"Digital", "Non Digital"}


def test_seed_is_deterministic() -> None:
    first = seed.catalogue(TODAY)
    seed.catalogue.cache_clear()
    again = seed.catalogue(TODAY)
    assert first == again and first is not again


def test_complaints_run_up_to_the_day_before() -> None:
    data = seed.catalogue(date(2027, 3, 15))
    filed = [row["tanggal_lapor"][:10] for row in data.laporan]
    assert min(filed) >= "2026-01-01" and max(filed) == "2027-03-14"
    stamps = [row["updated_at"] for row in data.laporan]
    stamps += [row["tgl_update"] for row in (*data.aplikasi, *data.inovasi)]
    assert max(stamps) < "2027-03-15 06:00:00"  # exported that morning
    assert {row["status"] for row in data.laporan if row["tanggal_lapor"] >= "2027-03-14"} <= {
        "Belum Diverifikasi",
        "Diverifikasi",
    }


def test_a_later_day_keeps_the_complaints_and_adds_new_ones() -> None:
    earlier = {row["tracking_id"]: row for row in seed.catalogue(date(2027, 3, 15)).laporan}
    later = {row["tracking_id"]: row for row in seed.catalogue(date(2027, 4, 15)).laporan}
    assert set(earlier) < set(later)
    for tracking_id, row in earlier.items():
        assert later[tracking_id]["tanggal_lapor"] == row["tanggal_lapor"]
        assert later[tracking_id]["judul"] == row["judul"]
    assert {row["tanggal_lapor"][:7] for row in later.values()} >= {"2027-03", "2027-04"}
