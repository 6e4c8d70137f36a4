"""A simulator of DPMPTSP's XML services: SiCantik's list API and an OSS-RBA connector."""

from .app import MAX_NIB, MAX_PAGE, DpmptspSimulator
from .seed import Perizinan, perizinan

__all__ = ["MAX_NIB", "MAX_PAGE", "DpmptspSimulator", "Perizinan", "perizinan"]
