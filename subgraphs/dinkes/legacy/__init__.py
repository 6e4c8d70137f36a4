"""Dinkes' facility exports as they arrive in the shared folder: the seed, both formats
and the exporter process that drops them."""

from .app import DinkesExporter
from .exports import CSV_EXPORT, JSON_EXPORT, write_exports
from .seed import Faskes, fasilitas

__all__ = ["CSV_EXPORT", "JSON_EXPORT", "DinkesExporter", "Faskes", "fasilitas", "write_exports"]
