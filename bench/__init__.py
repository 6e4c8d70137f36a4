"""The gateway benchmark: Simpul against Hive Gateway and Apollo Gateway (``make bench``).

See ``docs/performance.md`` for the method and the latest results.
"""
