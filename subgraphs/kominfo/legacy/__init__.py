"""A simulator of Diskominfo's REST-JSON service (catalogue API and LAPOR! connector)."""

from .app import KominfoSimulator
from .seed import Catalogue, catalogue

__all__ = ["Catalogue", "KominfoSimulator", "catalogue"]
