"""Where subgraph SDLs come from: files, or a running subgraph's ``_service { sdl }``.

The subgraphs of a supergraph are listed in a TOML file (``schema/subgraphs.toml``)::

    [subgraphs.products]
    url = "http://127.0.0.1:4001/graphql"   # where the gateway sends its requests
    schema = "products.graphql"             # optional: the SDL file, relative to this file;
                                            # without it the SDL is fetched from `url`

and ``--subgraph NAME=URL_OR_SDL_FILE`` adds a subgraph or replaces one's SDL: a URL is
both routed to and asked for its SDL; a file keeps the configured URL, or routes to
``http://NAME/graphql`` when the subgraph is not configured.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import orjson

from ..access.call_token import CALL_HEADER, CallClaims, CallSigner
from .composition import SubgraphSDL

__all__ = ["SourceError", "SubgraphSource", "load_sdls", "read_sources", "with_flags"]

SDL_QUERY = "query SubgraphSdl { _service { sdl } }"


class SourceError(Exception):
    """A subgraph's SDL cannot be read or fetched, or the list of subgraphs is invalid."""


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    name: str
    url: str
    """The routing URL written into the supergraph."""
    schema: Path | None = None
    """The SDL file; ``None`` to fetch the SDL from ``url``."""


def read_sources(path: str | Path) -> list[SubgraphSource]:
    """The subgraphs listed in a TOML file, in the file's order."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"{path}: {error}") from error
    table = data.get("subgraphs")
    if not isinstance(table, dict) or not table:
        raise SourceError(f"{path}: no [subgraphs.NAME] tables")
    sources = []
    for name, entry in table.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise SourceError(f'{path}: [subgraphs.{name}] needs url = "http://..."')
        schema = entry.get("schema")
        if schema is not None and not isinstance(schema, str):
            raise SourceError(f"{path}: [subgraphs.{name}] schema must be a file name")
        sources.append(
            SubgraphSource(
                name=name,
                url=entry["url"],
                schema=path.parent / schema if schema is not None else None,
            )
        )
    return sources


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def with_flags(sources: Sequence[SubgraphSource], flags: Iterable[str]) -> list[SubgraphSource]:
    """Apply ``NAME=URL_OR_SDL_FILE`` flags to the configured ``sources``."""
    result = {s.name: s for s in sources}
    for flag in flags:
        name, separator, value = flag.partition("=")
        if not separator or not name or not value:
            raise SourceError(f"--subgraph {flag!r}: expected NAME=URL_OR_SDL_FILE")
        if _is_url(value):
            result[name] = SubgraphSource(name=name, url=value)
        elif name in result:
            result[name] = replace(result[name], schema=Path(value))
        else:
            result[name] = SubgraphSource(
                name=name, url=f"http://{name}/graphql", schema=Path(value)
            )
    return list(result.values())


def load_sdls(
    sources: Sequence[SubgraphSource],
    transport: httpx.BaseTransport | None = None,
    timeout: float = 10.0,
    signer: CallSigner | None = None,
) -> list[SubgraphSDL]:
    """Read or fetch every subgraph's SDL; ``transport`` replaces the network in tests.
    Fetches are signed with ``signer``, as subgraphs that serve only the gateway need."""
    loaded = []
    with httpx.Client(transport=transport, timeout=timeout) as client:
        for source in sources:
            if source.schema is not None:
                try:
                    sdl = source.schema.read_text(encoding="utf-8")
                except OSError as error:
                    raise SourceError(
                        f"subgraph {source.name}: cannot read {source.schema}: {error.strerror}"
                    ) from error
            else:
                sdl = fetch_sdl(source.name, source.url, client, signer)
            loaded.append(SubgraphSDL(name=source.name, url=source.url, sdl=sdl))
    return loaded


def fetch_sdl(name: str, url: str, client: httpx.Client, signer: CallSigner | None = None) -> str:
    """Ask the subgraph at ``url`` for its SDL (``_service { sdl }``)."""
    body = orjson.dumps({"query": SDL_QUERY})
    headers = {"content-type": "application/json"}
    if signer is not None:
        headers[CALL_HEADER] = signer.token(name, body, CallClaims("compose"))
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise SourceError(f"subgraph {name}: cannot fetch its SDL from {url}: {error}") from error
    if response.status_code == 401:
        raise SourceError(
            f"subgraph {name}: {url} serves only calls the gateway signs: set "
            "SIMPUL_CALL_KEY_FILE to the gateway's call-signing key, or compose from its "
            "exported SDL file"
        )
    if response.status_code != 200:
        raise SourceError(
            f"subgraph {name}: {url} answered HTTP {response.status_code} to _service {{ sdl }}"
        )
    try:
        body = response.json()
        sdl = body["data"]["_service"]["sdl"]
    except (ValueError, KeyError, TypeError) as error:
        raise SourceError(
            f"subgraph {name}: {url} did not answer _service {{ sdl }} "
            "(is it a federation subgraph?)"
        ) from error
    if not isinstance(sdl, str):
        raise SourceError(f"subgraph {name}: {url} answered no SDL")
    return sdl
