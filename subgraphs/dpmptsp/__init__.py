"""DPMPTSP's subgraph: permits and the businesses holding them, over the two systems the
one-stop service runs: the regional permit app SiCantik and the national OSS-RBA, both
answering XML behind an API key.

- :mod:`.legacy`: a simulator of those services (paths, field names, auth, paging);
- :mod:`.perizinan`: the permit types each system issues, and their codes;
- :mod:`.wilayah`: the systems' region codes to the graph's Kemendagri codes and back;
- :mod:`.source`: the adapters configured for them;
- :mod:`.schema`: the graph's types (``Izin``, ``Usaha``, ``Kelurahan.izin``, the monthly
  recap) and resolvers;
- :mod:`.serve`: run the simulator and the subgraph.
"""
