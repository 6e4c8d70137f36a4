"""The city's OPD subgraphs as ``schema/subgraphs.toml`` lists them: the one registry that
``make up``, ``make schema``, the serve commands' default ports and the tests read."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from gateway.compose.sources import SourceError, read_sources

__all__ = ["REGISTRY", "CityOpd", "city_opd", "city_opds"]

REGISTRY = Path(__file__).resolve().parents[1] / "schema" / "subgraphs.toml"


@dataclass(frozen=True, slots=True)
class CityOpd:
    """One OPD of the city graph."""

    name: str
    package: str
    """Its code: ``<package>.serve`` runs it, ``<package>.schema:schema`` is what it serves."""
    url: str
    """Where the gateway routes it."""
    schema: Path
    """The SDL file it is composed from."""
    simulator: str
    """Where its simulated legacy system runs under ``make up``."""

    @property
    def subgraph_port(self) -> int:
        return _port(self.url, self.name)

    @property
    def simulator_port(self) -> int:
        return _port(self.simulator, self.name)


def city_opds(path: Path = REGISTRY) -> tuple[CityOpd, ...]:
    """Every OPD the registry lists with its code, in its order."""
    return _read(path)


def city_opd(name: str, path: Path = REGISTRY) -> CityOpd:
    """The OPD called ``name``."""
    for opd in _read(path):
        if opd.name == name:
            return opd
    raise SourceError(f"{path}: no [subgraphs.{name}] table with a package")


@cache
def _read(path: Path) -> tuple[CityOpd, ...]:
    tables = tomllib.loads(path.read_text(encoding="utf-8"))["subgraphs"]
    found = []
    for source in read_sources(path):
        entry = tables[source.name]
        package, simulator = entry.get("package"), entry.get("simulator")
        if package is None:
            continue  # composed, but not run by make up
        if not isinstance(package, str) or not isinstance(simulator, str):
            raise SourceError(
                f'{path}: [subgraphs.{source.name}] needs package = "subgraphs.<opd>" and '
                'simulator = "http://127.0.0.1:PORT"'
            )
        if source.schema is None:
            raise SourceError(f"{path}: [subgraphs.{source.name}] needs schema = FILE")
        found.append(CityOpd(source.name, package, source.url, source.schema, simulator))
    return tuple(found)


def _port(url: str, name: str) -> int:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1" or parts.port is None:
        raise SourceError(f"{REGISTRY}: {name} must be at 127.0.0.1:PORT, not {url}")
    return parts.port
