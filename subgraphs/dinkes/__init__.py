"""Dinas Kesehatan's subgraph: the city's health facilities, over the facility exports
Dinkes drops in a shared folder.

- :mod:`.legacy`: the deterministic seed and the exporter that writes both exports (a
  SATUSEHAT-style FHIR R4 Bundle and the Dinkes facility registry's CSV);
- :mod:`.source`: the two file-export adapters on that folder;
- :mod:`.katalog`: the join of the two exports into one record per facility;
- :mod:`.schema`: the graph's types (``FasilitasKesehatan`` owner, ``Kelurahan
  .fasilitasKesehatan``) and resolvers;
- :mod:`.serve`: run the exporter and the subgraph.
"""
