"""Satu Data Kota Pontianak: the city's open-data portal (CKAN), run by Diskominfo as
walidata, and its subgraph: the OPDs' published data sets in the city graph."""
