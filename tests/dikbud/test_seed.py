"""The seed: about 300 schools, every kelurahan with an SD, reference codes and names, the
semester under way on the day, the same for the same day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from subgraphs.dikbud.legacy import seed
from subgraphs.reference import NPSN_RE, dapodik_to_kemendagri, kelurahan_list
from tests.support.clock import TODAY


def test_every_kelurahan_has_schools_and_an_sd() -> None:
    data = seed.dataset(TODAY)
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
    data = seed.dataset(TODAY)
    npsns = [school.npsn for school in data.sekolah]
    assert len(set(npsns)) == len(npsns) and all(NPSN_RE.match(n) for n in npsns)
    madrasah = [s for s in data.sekolah if s.row["bentuk_pendidikan"] in seed.MADRASAH]
    assert madrasah and all(s.npsn.startswith("607") for s in madrasah)
    names = [school.row["nama"] for school in data.sekolah]
    assert len(set(names)) == len(names)
    ids = {school.sekolah_id for school in data.sekolah}
    assert len(ids) == len(data.sekolah)


def test_counts_fit_the_bentuk() -> None:
    for school in seed.dataset(TODAY).sekolah:
        bentuk = school.row["bentuk_pendidikan"]
        assert tuple(t for t, _, _ in school.peserta_didik) == seed.TINGKAT[bentuk]
        rekap = school.rekap_peserta_didik()
        maks = seed.ROMBEL_MAKS[bentuk]
        for tingkat in rekap["tingkat"]:
            assert tingkat["jumlah_rombel"] * maks >= tingkat["jumlah"] > 0
        assert school.guru >= 6 and school.tendik >= 1


def test_seed_is_deterministic() -> None:
    first = seed.dataset(TODAY)
    seed.dataset.cache_clear()
    again = seed.dataset(TODAY)
    assert first == again and first is not again


def test_the_semester_follows_the_day() -> None:
    assert seed.semester(date(2026, 11, 2)) == seed.Semester("20261", date(2026, 7, 14), 111)
    assert seed.semester(date(2027, 3, 15)).semester_id == "20262"  # 2026/2027 genap
    assert seed.semester(date(2027, 1, 14)).semester_id == "20261"  # before genap's first sync
    assert seed.semester(date(2026, 7, 15)) == seed.Semester("20261", date(2026, 7, 14), 1)
    later = seed.dataset(date(2027, 3, 15))
    assert {s.semester_id for s in later.sekolah} == {"20262"}
    synced = [s.row["last_update"][:10] for s in later.sekolah]
    assert min(synced) >= "2027-01-14" and max(synced) <= "2027-03-14"
    # the same schools and counts, whatever the day
    assert [(s.npsn, s.peserta_didik) for s in later.sekolah] == [
        (s.npsn, s.peserta_didik) for s in seed.dataset(TODAY).sekolah
    ]
