"""The seed: about 300 schools, every kelurahan with an SD, reference codes and names, the
same on every run."""

from __future__ import annotations

from collections import Counter

from subgraphs.dikbud.legacy import seed
from subgraphs.reference import NPSN_RE, dapodik_to_kemendagri, kelurahan_list


def test_every_kelurahan_has_schools_and_an_sd() -> None:
    data = seed.dataset()
    assert 250 <= len(data.sekolah) <= 350
    per_kelurahan: dict[str, Counter[str]] = {}
    for school in data.sekolah:
        kode = dapodik_to_kemendagri(school.row["kode_wilayah"].strip())
        per_kelurahan.setdefault(kode, Counter())[school.row["bentuk_pendidikan"]] += 1
    assert set(per_kelurahan) == {k.kode for k in kelurahan_list()}
    assert all(bentuk["SD"] >= 1 for bentuk in per_kelurahan.values())
    every = Counter(school.row["bentuk_pendidikan"] for school in data.sekolah)
    assert set(every) == {"SD", "SMP", "SMA", "SMK", "MI", "MTs", "MA"}
    assert every["SD"] > every["SMP"] > every["MA"]
    assert {school.row["status_sekolah"] for school in data.sekolah} == {"Negeri", "Swasta"}


def test_identifiers_are_unique_and_well_formed() -> None:
    data = seed.dataset()
    npsns = [school.npsn for school in data.sekolah]
    assert len(set(npsns)) == len(npsns) and all(NPSN_RE.match(n) for n in npsns)
    madrasah = [s for s in data.sekolah if s.row["bentuk_pendidikan"] in seed.MADRASAH]
    assert madrasah and all(s.npsn.startswith("607") for s in madrasah)
    names = [school.row["nama"] for school in data.sekolah]
    assert len(set(names)) == len(names)
    ids = {school.sekolah_id for school in data.sekolah}
    assert len(ids) == len(data.sekolah)


def test_counts_fit_the_bentuk() -> None:
    for school in seed.dataset().sekolah:
        bentuk = school.row["bentuk_pendidikan"]
        assert tuple(t for t, _, _ in school.peserta_didik) == seed.TINGKAT[bentuk]
        rekap = school.rekap_peserta_didik()
        maks = seed.ROMBEL_MAKS[bentuk]
        for tingkat in rekap["tingkat"]:
            assert tingkat["jumlah_rombel"] * maks >= tingkat["jumlah"] > 0
        assert school.guru >= 6 and school.tendik >= 1


def test_seed_is_deterministic() -> None:
    first = seed.dataset()
    seed.dataset.cache_clear()
    again = seed.dataset()
    assert first == again and first is not again
