"""The OPD registry: kode SKPD format, urusan, the six OPDs of the project, the kecamatan."""

from __future__ import annotations

import pytest

from subgraphs.reference import (
    KODE_SKPD_RE,
    PROJECT_SUBGRAPHS,
    UnknownCodeError,
    kecamatan_list,
    opd_by_code,
    opd_for_subgraph,
    opd_list,
    parse_kode_skpd,
    project_opds,
    urusan_by_code,
    urusan_list,
)

PROJECT = {
    "dikbud": ("1.01", "Dinas Pendidikan dan Kebudayaan"),
    "dinkes": ("1.02", "Dinas Kesehatan"),
    "dukcapil": ("2.12", "Dinas Kependudukan dan Pencatatan Sipil"),
    "kominfo": ("2.16", "Dinas Komunikasi dan Informatika"),
    "dpmptsp": ("2.18", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    "keuangan": ("5.02", "Badan Keuangan Daerah"),
}


def test_codes_are_well_formed_and_unique() -> None:
    opds = opd_list()
    assert len(opds) >= 24
    assert all(KODE_SKPD_RE.match(o.kode) for o in opds)
    assert len({o.kode for o in opds}) == len(opds)
    assert len({o.singkatan for o in opds}) == len(opds)
    assert len({o.nama for o in opds}) == len(opds)


def test_every_opd_names_known_urusan() -> None:
    for opd in opd_list():
        assert urusan_by_code(opd.urusan_kode).nama == opd.urusan_nama
        assert opd.kode.startswith(opd.urusan_kode + ".")
        for other in opd.urusan_lain:
            urusan_by_code(other)
        assert opd.sub_unit == 0


def test_the_six_project_opds() -> None:
    assert {o.subgraph for o in opd_list() if o.is_project_opd} == set(PROJECT)
    assert tuple(o.subgraph for o in project_opds()) == PROJECT_SUBGRAPHS
    for subgraph, (urusan, nama) in PROJECT.items():
        opd = opd_for_subgraph(subgraph)
        assert (opd.urusan_kode, opd.nama) == (urusan, nama)
    assert opd_for_subgraph("dikbud").urusan_lain == ("2.22",)
    with pytest.raises(UnknownCodeError):
        opd_for_subgraph("gateway")


def test_typical_kota_opds_are_present() -> None:
    abbreviations = {o.singkatan for o in opd_list()}
    for expected in ("Setda", "Bappeda", "Inspektorat", "PUPR", "Dishub", "Dinsos", "Satpol PP"):
        assert expected in abbreviations
    for expected in ("DLH", "Disperkim", "Diskumdag", "DKP3", "Disporapar"):
        assert expected in abbreviations


def test_one_kecamatan_office_per_kecamatan() -> None:
    offices = [o for o in opd_list() if o.jenis == "kecamatan"]
    assert sorted(o.kode_wilayah or "" for o in offices) == [k.kode for k in kecamatan_list()]
    for office in offices:
        kecamatan = next(k for k in kecamatan_list() if k.kode == office.kode_wilayah)
        assert office.nama == f"Kecamatan {kecamatan.nama}"
        assert office.urusan_kode == "7.01"
    assert all(o.kode_wilayah is None for o in opd_list() if o.jenis != "kecamatan")


def test_lookup_by_code() -> None:
    assert opd_by_code("2.16.2.20.2.21.01.0000").singkatan == "Diskominfo"
    with pytest.raises(UnknownCodeError, match="unknown SKPD code"):
        opd_by_code("2.16")


def test_parse_kode_skpd() -> None:
    parts = parse_kode_skpd("2.09.3.27.3.25.01.0000")
    assert parts.urusan == ("2.09", "3.27", "3.25")
    assert (parts.unit, parts.sub_unit) == (1, 0)
    assert parse_kode_skpd("7.01.0.00.0.00.06.0003").urusan == ("7.01",)
    for bad in ("1.01", "1.01.2.19.0.00.1.0000", "0.00.0.00.0.00.01.0000", "x"):
        with pytest.raises(ValueError):
            parse_kode_skpd(bad)


def test_urusan() -> None:
    codes = [u.kode for u in urusan_list()]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert urusan_by_code("2.16").nama == "Komunikasi dan Informatika"
    assert urusan_by_code("2.18").nama == "Penanaman Modal"
    assert urusan_by_code("3.26").kelompok_nama == "Urusan Pemerintahan Pilihan"
    assert urusan_by_code("5.02").kelompok == 5
    with pytest.raises(UnknownCodeError):
        urusan_by_code("9.99")
