"""Badan Keuangan Daerah's subgraph: budgets (pagu) and their realisation per OPD, year,
month and program, read from a SIPD-style database (SQLite by default, MariaDB by URL).

- :mod:`.legacy`: the SIPD-style tables, their deterministic seed and installer;
- :mod:`.source`: the SQL adapter configured for that database;
- :mod:`.schema`: ``Opd.anggaran(tahun:)`` and its types;
- :mod:`.serve`: prepare the database and run the subgraph.
"""
