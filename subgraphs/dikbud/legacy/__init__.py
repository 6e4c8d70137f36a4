"""A simulator of a Dapodik-style web service for Kota Pontianak's schools."""

from .app import DEFAULT_LIMIT, MAX_LIMIT, DapodikSimulator
from .seed import Dataset, Sekolah, dataset

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "DapodikSimulator",
    "Dataset",
    "Sekolah",
    "dataset",
]
