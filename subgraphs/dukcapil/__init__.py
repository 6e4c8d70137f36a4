"""Disdukcapil's subgraph: Kota Pontianak's wilayah (owner of ``Kecamatan`` and
``Kelurahan``), population aggregates per kelurahan, kecamatan and city, and a yes/no
verification of a resident's identity, over a SIAK-style population registry (SQLite by
default, PostgreSQL by URL).

- :mod:`.legacy`: the SIAK-style tables, their synthetic seed and installer;
- :mod:`.source`: the SQL adapter configured for the registry, with the queries the graph
  needs;
- :mod:`.wilayah`, :mod:`.penduduk`, :mod:`.verifikasi`: SIAK's codes and rows in the
  graph's terms;
- :mod:`.schema`: the graph's types and resolvers;
- :mod:`.serve`: prepare the registry and run the subgraph.

No personal data leaves this package: the graph gets counts, names of places, and
SESUAI / TIDAK_SESUAI.
"""
