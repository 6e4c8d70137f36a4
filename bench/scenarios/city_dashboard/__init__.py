"""City dashboard scenario: pending the city graph (issue 3).

When the six OPD subgraphs exist under ``subgraphs/``, this scenario runs the portal's real
queries over them (the kelurahan profile; the OPD list with budgets and applications): its
SDLs, query, composed supergraph and expected answer go in this folder like
``deep_fanout``'s, ``SCENARIO`` is defined here and the entry in
``bench.scenarios.PENDING`` is removed. Until then the benchmark reports it as pending.
"""
