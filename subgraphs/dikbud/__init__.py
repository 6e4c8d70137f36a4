"""Dinas Pendidikan dan Kebudayaan's subgraph: schools from a Dapodik-style web service.

``legacy/`` simulates the web service (bearer token, paginated JSON, Dapodik's field names and
region codes); ``source.py`` configures the adapter; ``schema.py`` maps Dapodik's records to
the graph's ``Sekolah`` and adds ``sekolah`` to ``Kelurahan``; ``serve.py`` runs both.
"""
