"""The SIPD-style budget database Badan Keuangan Daerah's subgraph reads: tables, seed,
installer, and a small status service standing for SIPD's export host."""

from .sipd import SNAPSHOT, TABLES, TAHUN, Seed, drop_tables, install, seed, table_names

__all__ = ["SNAPSHOT", "TABLES", "TAHUN", "Seed", "drop_tables", "install", "seed", "table_names"]
