"""The SIPD-style database as the subgraph reads it: the toolkit's SQL adapter.

``KEUANGAN_DB_URL`` picks the database (``mariadb://user:pass@host/sipd``; by default the
SQLite file ``.cache/keuangan-sipd.sqlite`` in the repository) and ``KEUANGAN_TABLE_PREFIX``
a table prefix; :func:`connect` takes them from arguments first, for tests and ``serve``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, text

from subgraphs.toolkit import RetryPolicy
from subgraphs.toolkit.adapters import Row, SqlSource, sqlite_url

from .legacy.sipd import check_prefix, table_names

__all__ = ["DEFAULT_DB", "SipdDatabase", "connect", "default_url"]

DEFAULT_DB = Path(__file__).resolve().parents[2] / ".cache" / "keuangan-sipd.sqlite"


def default_url() -> str:
    """``KEUANGAN_DB_URL``, or the local SQLite file."""
    return os.environ.get("KEUANGAN_DB_URL") or sqlite_url(DEFAULT_DB)


@dataclass(frozen=True, slots=True)
class SipdDatabase:
    """The queries the graph needs, in SIPD's terms."""

    source: SqlSource
    prefix: str = ""

    async def anggaran(self, kode_skpd: Sequence[str], tahun: Sequence[int]) -> list[Row]:
        """One row per sub-kegiatan and month (``bulan`` null when nothing was realised)
        of the given SKPDs and years: one query."""
        t = table_names(self.prefix)
        query = text(
            f"""SELECT s.kode_skpd, a.tahun, pr.kode_program, pr.nama_program,
                       g.kode_giat, g.nama_giat, sg.kode_sub_giat, sg.nama_sub_giat,
                       a.pagu, a.tgl_update, r.bulan, r.realisasi
                FROM {t["d_anggaran_sub_giat"]} a
                JOIN {t["ref_skpd"]} s ON s.id_skpd = a.id_skpd
                JOIN {t["ref_sub_giat"]} sg ON sg.kode_sub_giat = a.kode_sub_giat
                JOIN {t["ref_giat"]} g ON g.kode_giat = sg.kode_giat
                JOIN {t["ref_program"]} pr ON pr.kode_program = g.kode_program
                LEFT JOIN {t["d_realisasi_bulan"]} r
                  ON r.tahun = a.tahun AND r.id_skpd = a.id_skpd
                 AND r.kode_sub_giat = a.kode_sub_giat
                WHERE s.kode_skpd IN :kode_skpd AND a.tahun IN :tahun
                ORDER BY s.kode_skpd, a.tahun, sg.kode_sub_giat, r.bulan"""
        ).bindparams(bindparam("kode_skpd", expanding=True), bindparam("tahun", expanding=True))
        return await self.source.fetch_all(
            query, {"kode_skpd": list(kode_skpd), "tahun": list(tahun)}
        )

    async def tahun(self) -> list[int]:
        """The budget years on record."""
        t = table_names(self.prefix)
        rows = await self.source.fetch_all(
            f"SELECT DISTINCT tahun FROM {t['d_anggaran_sub_giat']} ORDER BY tahun"
        )
        return [int(row["tahun"]) for row in rows]

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.source.aclose()


def connect(
    url: str | None = None,
    *,
    prefix: str | None = None,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
) -> SipdDatabase:
    """The adapter to the database at ``url`` (else :func:`default_url`), its tables named
    with ``prefix`` (else :func:`table_prefix`), to serve with ``make_app``."""
    return SipdDatabase(
        SqlSource("sipd", url or default_url(), timeout=timeout, retry=retry),
        table_prefix(prefix),
    )


def table_prefix(prefix: str | None = None) -> str:
    """``prefix``, else ``KEUANGAN_TABLE_PREFIX``, else none."""
    return check_prefix(
        prefix if prefix is not None else os.environ.get("KEUANGAN_TABLE_PREFIX", "")
    )
