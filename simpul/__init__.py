"""Simpul's command line and launchers: what runs the gateway and the OPD subgraphs together.

It imports both ``gateway`` and ``subgraphs``; neither imports it, and ``gateway`` imports
nothing of ``subgraphs``.
"""
