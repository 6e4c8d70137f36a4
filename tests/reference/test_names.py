"""Synthetic names: deterministic for a seed, in the expected shapes."""

from __future__ import annotations

import random
import re
from typing import get_args

import pytest

from subgraphs.reference import (
    RSUD_KOTA,
    BentukSekolah,
    business_name,
    clinic_name,
    hospital_name,
    kbli_list,
    kecamatan_list,
    kelurahan_by_code,
    person_name,
    puskesmas_name,
    school_name,
    seeded_rng,
    street_address,
)

BENTUK: tuple[BentukSekolah, ...] = get_args(BentukSekolah)


def a_city_of_names(rng: random.Random) -> list[str]:
    names: list[str] = []
    for kecamatan in kecamatan_list():
        for nomor, bentuk in enumerate(BENTUK, start=1):
            names.append(school_name(rng, bentuk, negeri=False, nomor=nomor, kecamatan=kecamatan))
        names.append(street_address(rng, kecamatan.kode))
    names += [hospital_name(rng), clinic_name(rng)]
    names += [business_name(rng, kbli).nama for kbli in kbli_list()]
    names += [person_name(rng, perempuan=i % 2 == 0) for i in range(20)]
    return names


def test_same_seed_same_names() -> None:
    names = a_city_of_names(seeded_rng("test:names"))
    assert names == a_city_of_names(seeded_rng("test:names"))
    assert names != a_city_of_names(seeded_rng("test:names:other"))


def test_public_schools_are_numbered() -> None:
    rng = seeded_rng("test:negeri")
    barat = next(k for k in kecamatan_list() if k.nama == "Pontianak Barat")
    assert school_name(rng, "SD", negeri=True, nomor=1, kecamatan=barat) == (
        "SD Negeri 01 Pontianak Barat"
    )
    assert school_name(rng, "SMP", negeri=True, nomor=3) == "SMP Negeri 3 Pontianak"
    assert school_name(rng, "MTs", negeri=True, nomor=1) == "MTs Negeri 1 Pontianak"
    with pytest.raises(ValueError):
        school_name(rng, "SD", negeri=True, nomor=1)
    with pytest.raises(ValueError):
        school_name(rng, "SMA", negeri=True, nomor=0)


@pytest.mark.parametrize("bentuk", BENTUK)
def test_private_schools_carry_a_foundation_name(bentuk: BentukSekolah) -> None:
    rng = seeded_rng("test:swasta", bentuk)
    for nomor in range(1, 30):
        name = school_name(rng, bentuk, negeri=False, nomor=nomor)
        assert name.startswith(f"{bentuk} ")
        assert "Negeri" not in name
        assert re.fullmatch(rf"{bentuk} (Swasta .+|.+ {nomor} Pontianak)", name)


def test_health_facilities() -> None:
    rng = seeded_rng("test:faskes")
    assert puskesmas_name(kelurahan_by_code("61.71.04.1003")) == "Puskesmas Siantan Hilir"
    assert RSUD_KOTA == "RSUD Sultan Syarif Mohamad Alkadrie"
    assert re.fullmatch(r"(RS|RSIA|RS Islam) .+", hospital_name(rng))
    assert clinic_name(rng).startswith("Klinik Pratama ")


def test_business_names_fit_their_sector() -> None:
    rng = seeded_rng("test:usaha")
    for kbli in kbli_list():
        for _ in range(10):
            usaha = business_name(rng, kbli)
            assert usaha.bentuk in kbli.bentuk
            if usaha.bentuk == "Perorangan":
                assert usaha.nama.startswith(kbli.sebutan + " ")
            else:
                assert usaha.nama.startswith(usaha.bentuk + " ")
            words = usaha.nama.split()
            assert len(words) == len(set(words)) or usaha.bentuk == "Perorangan"
    assert business_name(rng).nama.startswith("Toko ")


def test_people_and_addresses() -> None:
    rng = seeded_rng("test:orang")
    assert all(person_name(rng, perempuan=True) for _ in range(50))
    for kecamatan in kecamatan_list():
        address = street_address(rng, kecamatan.kode)
        assert re.fullmatch(r"Jl\. .+ No\. \d{1,3}", address)
    with pytest.raises(ValueError):
        street_address(rng, "61.71.09")
