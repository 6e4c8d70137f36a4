"""The linked specifications a supergraph carries, one module per spec: their names,
versions, definitions and typed argument readers, read alike by the composer (which
prints them), the supergraph loader, the API schema and the gateway's enforcement.

- :mod:`.link`: ``@link`` itself, spec URLs and imports.
- :mod:`.federation`: the directives subgraphs import, ``@key`` and ``@override``.
- :mod:`.join`: the ``@join__*`` directives the planner reads.
- :mod:`.tag`, :mod:`.inaccessible`, :mod:`.context`: ``@tag``, ``@inaccessible``,
  ``@context``/``@fromContext``.
- :mod:`.cost`: ``@cost`` and ``@listSize``.
- :mod:`.access_control`: ``@authenticated``, ``@requiresScopes`` and ``@policy``
  (``for: SECURITY``).
"""
