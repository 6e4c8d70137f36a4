"""Personal data: an integrator lists a social-assistance programme's recipients with their
names and birth dates, the kind of operation the access record exists for.

Two subgraphs: ``bansos`` answers the recipients (programme, amount, the resident's NIK)
and ``kependudukan`` the residents, whose ``nik``, ``nama`` and ``tanggalLahir`` are
personal data under the policy ``dukcapil.biodata`` (``@policy`` and ``@tag(name:
"pdp:pribadi")``, the NIK marked as identifying the data subject). The query is one root
fetch and one entity fetch for 25 residents: each answer names 25 data subjects, so every
record entry carries 25 keyed hashes.

Only Simpul is measured (the peers have no access record): once over the supergraph with
the personal-data marks removed (no access check, no record), and with the record kept in
files and in PostgreSQL (:mod:`bench.access_record`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.federation import Monolith, Subgraph
from bench.scenarios import Scenario

FOLDER = Path(__file__).parent
SUBGRAPHS = ("bansos", "kependudukan")
RECIPIENTS = 25

_NAMES = (
    *("Ahmad Fauzi", "Siti Aminah", "Budi Santoso", "Dewi Lestari", "Hendra Wijaya"),
    *("Rina Marlina", "Yusuf Ramadhan", "Nurhaliza", "Agus Salim", "Maya Sari"),
    *("Fajar Pratama", "Indah Permata", "Joko Susilo", "Wulan Dari", "Andi Saputra"),
)
_KELURAHAN = ("Darat Sekip", "Tengah", "Mariana", "Benua Melayu Darat", "Sungai Bangkong")


def residents() -> list[dict[str, Any]]:
    """The programme's recipients as the registry holds them (deterministic)."""
    found = []
    for number in range(1, RECIPIENTS + 1):
        day, month, year = 1 + number % 28, 1 + number % 12, 1960 + number % 40
        # a NIK: kode wilayah, birth date (day + 40 for women), serial number
        birth_day = day + (40 if number % 2 else 0)
        nik = f"617101{birth_day:02d}{month:02d}{year % 100:02d}{number:04d}"
        found.append(
            {
                "__typename": "Penduduk",
                "nik": nik,
                "nama": _NAMES[number % len(_NAMES)],
                "tanggalLahir": f"{year:04d}-{month:02d}-{day:02d}",
                "kelurahan": _KELURAHAN[number % len(_KELURAHAN)],
            }
        )
    return found


def _recipients(people: list[dict[str, Any]], reference: bool) -> list[dict[str, Any]]:
    return [
        {
            "program": "PKH",
            "nominal": 750_000 if index % 3 else 900_000,
            "penduduk": {"__typename": "Penduduk", "nik": person["nik"]} if reference else person,
        }
        for index, person in enumerate(people)
    ]


def _programme(recipients: list[dict[str, Any]]) -> Any:
    def penerima(_root: Any, _info: Any, program: str) -> list[dict[str, Any]]:
        return recipients if program == "PKH" else []

    return penerima


def _registry(people: list[dict[str, Any]]) -> Callable[..., dict[str, Any] | None]:
    """``Query.penduduk``: one resident by NIK."""
    by_nik = {person["nik"]: person for person in people}

    def penduduk(_root: Any, _info: Any, nik: str) -> dict[str, Any] | None:
        return by_nik.get(nik)

    return penduduk


def build_subgraphs() -> dict[str, Subgraph]:
    """``bansos`` with the recipients' NIKs, ``kependudukan`` with the residents."""
    people = residents()
    penduduk = _registry(people)

    return {
        "bansos": Subgraph(
            "bansos",
            SCENARIO.sdl("bansos"),
            {"penerima": _programme(_recipients(people, reference=True))},
            {},
        ),
        "kependudukan": Subgraph(
            "kependudukan",
            SCENARIO.sdl("kependudukan"),
            {"penduduk": penduduk},
            {"Penduduk": lambda representation: penduduk(None, None, representation["nik"])},
        ),
    }


def build_monolith() -> Monolith:
    """The recipients with the residents inline, over the composed supergraph's types."""
    people = residents()
    roots = {
        "penerima": _programme(_recipients(people, reference=False)),
        "penduduk": _registry(people),
    }
    return Monolith(SCENARIO.supergraph_text(), roots)


SCENARIO = Scenario(
    name="personal_data",
    title="Personal data and the access record",
    folder=FOLDER,
    subgraph_names=SUBGRAPHS,
    build_subgraphs=build_subgraphs,
    build_monolith=build_monolith,
    personal=True,
)
