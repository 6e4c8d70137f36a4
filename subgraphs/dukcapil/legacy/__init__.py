"""The SIAK-style population registry Disdukcapil's subgraph reads: tables, synthetic
seed and installer (the "simulator" is the database itself; ``serve`` adds a status
endpoint standing for the registry's host)."""

from .registry import Installed, drop_tables, install, installed_seed
from .seed import SEED_VERSION, data_semester, seed_key, setup_rows, siak_numbers, warga
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
    "HIDUP",
    "KEPALA_KELUARGA",
    "LAKI_LAKI",
    "PEREMPUAN",
    "SEED_VERSION",
    "Installed",
    "SiakTables",
    "check_prefix",
    "data_semester",
    "drop_tables",
    "install",
    "installed_seed",
    "seed_key",
    "setup_rows",
    "siak_numbers",
    "siak_tables",
    "warga",
]
