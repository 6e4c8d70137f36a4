"""The linked specifications a supergraph carries, one module per spec: their names,
versions, definitions and typed argument readers, read alike by the composer (which
prints them), the supergraph loader and the gateway's enforcement.

- :mod:`.access_control`: ``@authenticated``, ``@requiresScopes`` and ``@policy``
  (``for: SECURITY``).
"""
