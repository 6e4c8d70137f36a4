"""Identifier generators: deterministic, and always in the real formats."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date

import pytest

from gateway.access.grants import CLIENT_NAME
from subgraphs.reference import (
    FASYANKES_RE,
    KELURAHAN_KODE_RE,
    KODE_SKPD_RE,
    LAPOR_ID_RE,
    NIB_RE,
    NIK_RE,
    NIP_RE,
    NOMOR_IZIN_RE,
    NPSN_RE,
    fasyankes_code,
    kecamatan_list,
    lapor_tracking_id,
    nib,
    nik,
    nip,
    nomor_izin,
    npsn,
    parse_nik,
    seeded_rng,
)
from subgraphs.satudata.source import FQ_VALUE_RE

DRAWS = 500


def birthdays(rng: random.Random) -> date:
    return date(rng.randint(1930, 2024), rng.randint(1, 12), rng.randint(1, 28))


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "npsn": lambda r: npsn(r),
    "npsn-madrasah": lambda r: npsn(r, madrasah=True),
    "nib": lambda r: nib(r, birthdays(r)),
    "nik": lambda r: nik(r, "61.71.02", birthdays(r), perempuan=r.random() < 0.5),
    "nip": lambda r: nip(r, birthdays(r), date(2010, 3, 1), perempuan=r.random() < 0.5),
    "lapor": lapor_tracking_id,
    "puskesmas": lambda r: fasyankes_code(r, "puskesmas", "61.71.05"),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_identifiers(name: str) -> None:
    make = GENERATORS[name]
    first = seeded_rng("test", name)
    again = seeded_rng("test", name)
    other = seeded_rng("test", name, "other")
    values = [make(first) for _ in range(50)]
    assert values == [make(again) for _ in range(50)]
    assert values != [make(other) for _ in range(50)]


def test_npsn_is_eight_digits() -> None:
    rng = seeded_rng("test:npsn")
    for _ in range(DRAWS):
        assert NPSN_RE.match(npsn(rng))
        assert NPSN_RE.match(value := npsn(rng, madrasah=True))
        assert value.startswith("607")


def test_nib_is_thirteen_digits() -> None:
    rng = seeded_rng("test:nib")
    for _ in range(DRAWS):
        terbit = birthdays(rng)
        value = nib(rng, terbit)
        assert NIB_RE.match(value)
    assert nib(rng, date(2023, 3, 9)).startswith("1090323")


def test_nik_starts_with_the_kecamatan_code() -> None:
    rng = seeded_rng("test:nik")
    for kecamatan in kecamatan_list():
        for _ in range(DRAWS // 5):
            born = birthdays(rng)
            perempuan = rng.random() < 0.5
            value = nik(rng, kecamatan.kode, born, perempuan=perempuan)
            assert NIK_RE.match(value)
            assert len(value) == 16
            assert value.startswith(kecamatan.digits)
            assert value.startswith("6171")
            parts = parse_nik(value, today=date(2025, 1, 1))
            assert parts.kecamatan_kode == kecamatan.kode
            assert parts.tanggal_lahir == born
            assert parts.perempuan is perempuan
            assert 1 <= parts.nomor_urut <= 9999


def test_nik_encodes_women_by_adding_forty_to_the_day() -> None:
    rng = seeded_rng("test:nik-sex")
    assert nik(rng, "61.71.01", date(1990, 5, 17), perempuan=True)[6:12] == "570590"
    assert nik(rng, "61.71.01", date(1990, 5, 7), perempuan=False)[6:12] == "070590"


def test_parse_nik_rejects_malformed_values_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="not a well-formed NIK") as raised:
        parse_nik("6171013202900001")  # day 32
    assert "6171013202900001" not in str(raised.value)
    for bad in ("617101170590000", "6171011705900000", "617101310290001x", "6171013102900001"):
        with pytest.raises(ValueError):
            parse_nik(bad)
    with pytest.raises(ValueError):
        nik(seeded_rng("x"), "6171", date(2000, 1, 1), perempuan=False)


def test_nip_is_eighteen_digits() -> None:
    rng = seeded_rng("test:nip")
    value = nip(rng, date(1985, 1, 2), date(2010, 3, 1), perempuan=True)
    assert NIP_RE.match(value)
    assert value.startswith("19850102201003" + "2")


def test_permit_numbers() -> None:
    value = nomor_izin("PBG", 42, 2024)
    assert value == "503/0042/PBG/DPMPTSP/2024"
    assert NOMOR_IZIN_RE.match(value)
    assert NOMOR_IZIN_RE.match(nomor_izin("SIP-DOKTER", 12345, 2023))
    for jenis, seq in (("pbg", 1), ("PBG/X", 1), ("PBG", 0)):
        with pytest.raises(ValueError):
            nomor_izin(jenis, seq, 2024)


def test_lapor_and_facility_codes() -> None:
    rng = seeded_rng("test:codes")
    for _ in range(DRAWS):
        assert LAPOR_ID_RE.match(lapor_tracking_id(rng))
    puskesmas = fasyankes_code(rng, "puskesmas", "61.71.04")
    rumah_sakit = fasyankes_code(rng, "rumah_sakit", "61.71.04")
    klinik = fasyankes_code(rng, "klinik", "61.71.04")
    assert all(FASYANKES_RE.match(c) for c in (puskesmas, rumah_sakit, klinik))
    assert puskesmas.startswith("P617104")
    assert klinik.startswith("K617104")
    assert rumah_sakit.startswith("6171")
    with pytest.raises(ValueError):
        fasyankes_code(rng, "klinik", "617104")


FULL_WIDTH = {ord("0") + digit: 0xFF10 + digit for digit in range(10)}
"""ASCII digits to their full-width forms (U+FF10..U+FF19), which a plain \\d matches too."""


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        (NIK_RE, "6171010101900001"),
        (NIP_RE, "198709152010011003"),
        (NPSN_RE, "30105020"),
        (NIB_RE, "9120001234567"),
        (NOMOR_IZIN_RE, "503/0042/PBG/DPMPTSP/2026"),
        (LAPOR_ID_RE, "4123456"),
        (FASYANKES_RE, "P6171010101"),
        (KODE_SKPD_RE, "1.01.0.00.0.00.01.0000"),
        (KELURAHAN_KODE_RE, "61.71.01.1001"),
        (FQ_VALUE_RE, "dinas-kesehatan"),
        (CLIENT_NAME, "PNK/GOV/1.06.01/siks"),
    ],
)
def test_a_code_is_whole_and_in_ascii_digits(pattern: re.Pattern[str], valid: str) -> None:
    # "$" lets a trailing newline through and "\d" any script's digits: a NIK that passes
    # the check must be the one the registry and the access log key hash know
    assert pattern.match(valid)
    assert not pattern.match(valid + "\n")
    full_width = valid.translate(FULL_WIDTH)
    assert full_width == valid or not pattern.match(full_width)
