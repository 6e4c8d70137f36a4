"""The seed covers every OPD and kelurahan, with codes from the reference data, the same
on every run."""

from __future__ import annotations

from collections import Counter

from subgraphs.kominfo.instansi import kode_skpd_for_instansi
from subgraphs.kominfo.legacy import seed
from subgraphs.reference import LAPOR_ID_RE, kelurahan_list, opd_by_code, opd_list


def test_every_opd_is_registered_and_has_an_application() -> None:
    data = seed.catalogue()
    assert [row["kode_skpd"] for row in data.perangkat_daerah] == [o.kode for o in opd_list()]
    owners = Counter(row["kode_skpd_pemilik"] for row in data.aplikasi)
    assert all(owners[opd.kode] >= 1 for opd in opd_list())
    assert {row["jenis_aplikasi"] for row in data.aplikasi} == {"Aplikasi Umum", "Aplikasi Khusus"}


def test_every_kelurahan_has_complaints_to_known_opds() -> None:
    data = seed.catalogue()
    per_kelurahan = Counter(row["kode_wilayah"] for row in data.laporan)
    assert set(per_kelurahan) == {k.kode for k in kelurahan_list()}
    assert min(per_kelurahan.values()) >= 4
    ids = [row["tracking_id"] for row in data.laporan]
    assert len(set(ids)) == len(ids) and all(LAPOR_ID_RE.match(i) for i in ids)
    for row in data.laporan:
        kode = kode_skpd_for_instansi(row["instansi_tujuan"])
        assert kode is not None
        opd_by_code(kode)


def test_innovations_use_registry_codes() -> None:
    data = seed.catalogue()
    assert {row["kode_skpd"] for row in data.inovasi} <= {o.kode for o in opd_list()}
    project = {o.kode for o in opd_list() if o.is_project_opd}
    assert project <= {row["kode_skpd"] for row in data.inovasi}
    assert {row["jenis_inovasi"] for row in data.inovasi} == {"Digital", "Non Digital"}


def test_seed_is_deterministic() -> None:
    first = seed.catalogue()
    seed.catalogue.cache_clear()
    again = seed.catalogue()
    assert first == again and first is not again
