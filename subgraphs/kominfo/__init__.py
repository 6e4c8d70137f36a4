"""Diskominfo's subgraph: the OPD registry, the SPBE application catalogue, the regional
innovation catalogue and SP4N-LAPOR! complaints, over Diskominfo's REST-JSON service.

- :mod:`.legacy`: a simulator of that service (its paths, field names, auth and paging);
- :mod:`.source`: the adapters configured for it;
- :mod:`.schema`: the graph's types (``Opd`` owner, ``Aplikasi``, ``Inovasi``, ``Aduan``,
  ``Kelurahan.aduan``) and resolvers;
- :mod:`.serve`: run the simulator and the subgraph.
"""
