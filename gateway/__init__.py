"""Simpul: an Apollo Federation v2 gateway."""

__version__ = "0.1.0"
