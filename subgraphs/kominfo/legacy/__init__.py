"""A simulator of Diskominfo's REST-JSON service (catalogue API and LAPOR! connector)."""

from .app import DEFAULT_API_KEY, DEFAULT_LAPOR_TOKEN, KominfoSimulator
from .seed import Catalogue, catalogue

__all__ = ["DEFAULT_API_KEY", "DEFAULT_LAPOR_TOKEN", "Catalogue", "KominfoSimulator", "catalogue"]
