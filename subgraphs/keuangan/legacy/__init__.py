"""The SIPD-style budget database Badan Keuangan Daerah's subgraph reads: tables, seed,
installer, and a small status service standing for SIPD's export host."""

from .sipd import (
    TABLES,
    Seed,
    drop_tables,
    install,
    installed_seed,
    seed,
    seed_key,
    snapshot,
    table_names,
    tahun_anggaran,
)

__all__ = [
    "TABLES",
    "Seed",
    "drop_tables",
    "install",
    "installed_seed",
    "seed",
    "seed_key",
    "snapshot",
    "table_names",
    "tahun_anggaran",
]
