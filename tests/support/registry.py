"""A small population registry subgraph marking its personal data as an OPD team would:
``Penduduk.nik`` (personal, and what identifies the data subject) and ``Penduduk.nama``
under the policy ``dukcapil.biodata``, a verification under ``dukcapil.verifikasi``, and
the ``nik`` arguments marked as identifying the subject."""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry.federation

from subgraphs.toolkit import data_subject, personal_data

__all__ = ["WARGA", "Penduduk", "registry"]

WARGA = {
    "6171010101900001": ("Ahmad", "61.71.01.1001"),
    "6171010101900002": ("Siti", "61.71.01.1001"),
    "6171020202900003": ("Budi", "61.71.02.1002"),
}


@strawberry.federation.type(keys=["nik"])
class Penduduk:
    nik: str = strawberry.federation.field(**personal_data("dukcapil.biodata", subject=True))
    nama: str = strawberry.federation.field(**personal_data("dukcapil.biodata"))
    kelurahan: str


def _penduduk(nik: str) -> Penduduk:
    nama, kelurahan = WARGA[nik]
    return Penduduk(nik=nik, nama=nama, kelurahan=kelurahan)


@strawberry.type
class RegistryQuery:
    @strawberry.field
    def penduduk(self, nik: Annotated[str, data_subject()]) -> Penduduk | None:
        return _penduduk(nik) if nik in WARGA else None

    @strawberry.field
    def warga(self, kelurahan: str) -> list[Penduduk]:
        return [_penduduk(n) for n, (_, k) in WARGA.items() if k == kelurahan]

    @strawberry.field
    def jumlah_warga(self) -> int:
        return len(WARGA)


@strawberry.type
class RegistryMutation:
    @strawberry.federation.field(**personal_data("dukcapil.verifikasi"))
    def verifikasi(self, nik: Annotated[str, data_subject()], nama: str) -> bool:
        return WARGA.get(nik, ("",))[0] == nama


registry = strawberry.federation.Schema(
    query=RegistryQuery, mutation=RegistryMutation, types=[Penduduk], federation_version="2.6"
)
