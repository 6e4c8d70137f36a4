"""A simulator of the city's open-data portal (CKAN's action API over the Daftar Data)."""

from .ckan import CkanSimulator
from .seed import Catalogue, catalogue

__all__ = ["Catalogue", "CkanSimulator", "catalogue"]
