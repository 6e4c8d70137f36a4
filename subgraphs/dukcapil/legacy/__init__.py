"""The SIAK-style population registry Disdukcapil's subgraph reads: tables, synthetic
seed and installer (the "simulator" is the database itself; ``serve`` adds a status
endpoint standing for the registry's host)."""

from .registry import Installed, drop_tables, install, installed_seed
from .seed import DATA_SEMESTER, SEED_VERSION, setup_rows, siak_numbers, warga
from .siak import (
    HIDUP,
    KEPALA_KELUARGA,
    LAKI_LAKI,
    PEREMPUAN,
    SiakTables,
    check_prefix,
    siak_tables,
)

__all__ = [
    "DATA_SEMESTER",
    "HIDUP",
    "KEPALA_KELUARGA",
    "LAKI_LAKI",
    "PEREMPUAN",
    "SEED_VERSION",
    "Installed",
    "SiakTables",
    "check_prefix",
    "drop_tables",
    "install",
    "installed_seed",
    "setup_rows",
    "siak_numbers",
    "siak_tables",
    "warga",
]
