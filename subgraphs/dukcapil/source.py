"""The SIAK-style registry as the subgraph reads it: the toolkit's SQL adapter and the
queries the graph needs, in SIAK's terms.

``DUKCAPIL_DB_URL`` picks the database (``postgresql://user@host/siak``; by default the
SQLite file ``.cache/dukcapil-siak.sqlite`` in the repository) and ``DUKCAPIL_TABLE_PREFIX``
a table prefix; :func:`connect` takes them from arguments first, for tests and ``serve``.
Each verification is recorded in the city's access log (:mod:`subgraphs.toolkit.access_record`),
not in the registry. Ages are counted on the data's semester day, the one the registry
seeded on the same day holds (:func:`~.legacy.seed.data_semester`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Date, literal, select

from subgraphs.reference import clock
from subgraphs.toolkit import RetryPolicy, UpstreamError
from subgraphs.toolkit.adapters import Row, SqlSource, sqlite_url

from .legacy.agregat import counted_penduduk
from .legacy.seed import data_semester
from .legacy.siak import HIDUP, NO_KAB, NO_PROP, check_prefix, siak_tables

__all__ = [
    "DEFAULT_DB",
    "SiakDatabase",
    "connect",
    "default_url",
]

DEFAULT_DB = Path(__file__).resolve().parents[2] / ".cache" / "dukcapil-siak.sqlite"


def default_url() -> str:
    """``DUKCAPIL_DB_URL``, or the local SQLite file."""
    return os.environ.get("DUKCAPIL_DB_URL") or sqlite_url(DEFAULT_DB)


@dataclass(frozen=True, slots=True)
class SiakDatabase:
    """The registry's queries. Only this class sees individual records, and only to check
    one identity; everything else leaves the database already counted. ``tanggal_data``
    is the data's semester day: ages are counted on it."""

    source: SqlSource
    tanggal_data: date
    prefix: str = ""
    _summary: list[bool] = field(default_factory=list, compare=False, repr=False)
    """Not empty once the summary is known to count on ``tanggal_data``."""
    _looking: asyncio.Lock = field(default_factory=asyncio.Lock, compare=False, repr=False)

    async def wilayah(self) -> list[Row]:
        """Every kelurahan of the city with its kecamatan: ``NO_KEC``, ``NAMA_KEC``,
        ``NO_KEL``, ``NAMA_KEL``. One query (a kecamatan without a kelurahan has
        ``NO_KEL`` null)."""
        t = siak_tables(self.prefix)
        kec, kel = t.setup_kec, t.setup_kel
        query = (
            select(kec.c.NO_KEC, kec.c.NAMA_KEC, kel.c.NO_KEL, kel.c.NAMA_KEL)
            .select_from(
                kec.outerjoin(
                    kel,
                    (kel.c.NO_PROP == kec.c.NO_PROP)
                    & (kel.c.NO_KAB == kec.c.NO_KAB)
                    & (kel.c.NO_KEC == kec.c.NO_KEC),
                )
            )
            .where(kec.c.NO_PROP == NO_PROP, kec.c.NO_KAB == NO_KAB)
            .order_by(kec.c.NO_KEC, kel.c.NO_KEL)
        )
        return await self.source.fetch_all(query)

    async def penduduk(
        self, no_kec: Sequence[int] | None = None, no_kel: Sequence[int] | None = None
    ) -> list[Row]:
        """Living residents counted per ``NO_KEC``, ``NO_KEL``, ``JENIS_KLMIN`` and age
        group (``KELOMPOK``, the index in :data:`~.penduduk.KELOMPOK_UMUR`), with
        ``JUMLAH``, ``KEPALA`` (heads of family) and ``DIPERBARUI`` (latest update).
        ``no_kec``/``no_kel`` narrow the wilayah (``None``: the whole city). One query: of
        the registry's summary when it counts on the data's day (:mod:`.legacy.agregat`),
        else of the registry itself."""
        if not await self._summarised():
            return await self.source.fetch_all(
                counted_penduduk(self.prefix, self.tanggal_data, no_kec, no_kel)
            )
        a = siak_tables(self.prefix).agregat_penduduk
        query = select(
            a.c.NO_KEC,
            a.c.NO_KEL,
            a.c.JENIS_KLMIN,
            a.c.KELOMPOK,
            a.c.JUMLAH,
            a.c.KEPALA,
            a.c.DIPERBARUI,
        ).where(a.c["TANGGAL_DATA"] == literal(self.tanggal_data, Date))
        if no_kec is not None:
            query = query.where(a.c.NO_KEC.in_(sorted(set(no_kec))))
        if no_kel is not None:
            query = query.where(a.c.NO_KEL.in_(sorted(set(no_kel))))
        return await self.source.fetch_all(query)

    async def _summarised(self) -> bool:
        """Whether the summary counts on the data's day; once it does, it is not asked
        again (a refresh for a new semester comes with a new seed, and a restart)."""
        if self._summary:
            return True
        async with self._looking:  # batches loading at once look once
            if self._summary:
                return True
            summary = siak_tables(self.prefix).agregat_penduduk
            try:
                row = await self.source.fetch_one(select(summary.c.TANGGAL_DATA).limit(1))
            except UpstreamError:
                return False  # a registry installed before the summary: count it
            day = str(row["TANGGAL_DATA"])[:10] if row is not None else None
            if day == self.tanggal_data.isoformat():
                self._summary.append(True)
            return bool(self._summary)

    async def nama_terdaftar(self, nik: str, tanggal_lahir: date) -> list[str]:
        """The registered full name(s) of the living resident with this NIK and birth
        date: at most one. Used only to answer a verification, never returned."""
        b = siak_tables(self.prefix).biodata_wni
        query = select(b.c.NAMA_LGKP).where(
            b.c["NIK"] == nik, b.c["TGL_LHR"] == tanggal_lahir, b.c.STAT_HIDUP == HIDUP
        )
        return [str(row["NAMA_LGKP"]) for row in await self.source.fetch_all(query)]

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.source.aclose()


def connect(
    url: str | None = None,
    *,
    prefix: str | None = None,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    today: date | None = None,
) -> SiakDatabase:
    """The adapter to the registry at ``url`` (else :func:`default_url`), its tables named
    with ``prefix`` (else :func:`table_prefix`), to serve with ``make_app``; the data is
    taken to be the registry seeded on ``today`` (by default the simulators' clock)."""
    return SiakDatabase(
        SqlSource("siak", url or default_url(), timeout=timeout, retry=retry),
        data_semester(today if today is not None else clock.today()),
        table_prefix(prefix),
    )


def table_prefix(prefix: str | None = None) -> str:
    """``prefix``, else ``DUKCAPIL_TABLE_PREFIX``, else none."""
    return check_prefix(
        prefix if prefix is not None else os.environ.get("DUKCAPIL_TABLE_PREFIX", "")
    )
