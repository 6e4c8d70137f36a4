"""Two tiny subgraphs written with the toolkit, as an OPD team would write theirs.

``dapodik`` owns ``Sekolah`` (key ``npsn``) and resolves it through a :class:`BatchLoader`
over the :class:`FakeDapodik` its app is given (``create_app(dapodik, source=...)``), a
stand-in legacy system that counts its calls; ``registry`` only lists schools by key, so
the gateway must jump to ``dapodik`` for their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from strawberry import Info

from subgraphs.toolkit import (
    BatchLoader,
    SubgraphContext,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
    bad_input,
    source_of,
    subgraph_schema,
)

__all__ = ["FakeDapodik", "dapodik", "npsn_list", "registry"]


def npsn_list(count: int) -> list[str]:
    """``count`` NPSNs in the real 8-digit format (Kota Pontianak's start with 3010)."""
    return [f"3010{number:04d}" for number in range(1, count + 1)]


@dataclass
class FakeDapodik:
    """A legacy school registry: every NPSN in ``known`` has a name; counts batch calls."""

    known: set[str] = field(default_factory=lambda: set(npsn_list(150)))
    failing: set[str] = field(default_factory=set)
    down: bool = False
    calls: list[list[str]] = field(default_factory=list)
    closed: bool = False

    async def sekolah_by_npsn(self, keys: list[str]) -> dict[str, Sekolah | Exception]:
        """One upstream call for many keys."""
        self.calls.append(list(keys))
        if self.down:
            raise UpstreamUnavailable("dapodik", "connection refused")
        found: dict[str, Sekolah | Exception] = {}
        for npsn in keys:
            if npsn in self.failing:
                found[npsn] = UpstreamBadResponse("dapodik", f"record {npsn} is corrupt")
            elif npsn in self.known:
                found[npsn] = Sekolah(npsn=npsn, nama=f"SD Negeri {int(npsn[4:])} Pontianak")
        return found

    async def aclose(self) -> None:
        """Nothing held open; says it was closed."""
        self.closed = True


@BatchLoader
async def sekolah_loader(
    context: SubgraphContext, keys: list[str]
) -> dict[str, Sekolah | Exception]:
    return await source_of(context, FakeDapodik).sekolah_by_npsn(keys)


@strawberry.federation.type(keys=["npsn"])
class Sekolah:
    """A school, from Dapodik."""

    npsn: str
    nama: str

    @classmethod
    async def resolve_reference(cls, info: Info, npsn: str) -> Sekolah | None:
        return await sekolah_loader.load(info, npsn)


@strawberry.type
class DapodikQuery:
    @strawberry.field
    async def sekolah(self, info: Info, npsn: str) -> Sekolah | None:
        return await sekolah_loader.load(info, npsn)

    @strawberry.field
    def lambat(self) -> str:
        raise UpstreamTimeout("dapodik", "GET /getSekolah: no answer in 5.0s")

    @strawberry.field
    def rusak(self) -> str:
        raise RuntimeError("password=rahasia host=10.0.0.5")

    @strawberry.field
    def tidak_valid(self) -> str:
        raise bad_input("The NPSN must be 8 digits.", pesan="NPSN harus 8 digit.")


dapodik = subgraph_schema(DapodikQuery, types=[Sekolah])


@strawberry.federation.type(keys=["npsn"], name="Sekolah")
class SekolahRef:
    """A school as the registry knows it: its key."""

    npsn: str


@strawberry.type
class RegistryQuery:
    @strawberry.field
    def sekolah_terdaftar(self, jumlah: int = 100) -> list[SekolahRef | None]:
        """Nullable items, so that one school the gateway cannot complete nulls only itself."""
        return [SekolahRef(npsn=npsn) for npsn in npsn_list(jumlah)]


registry = subgraph_schema(RegistryQuery, types=[SekolahRef])
