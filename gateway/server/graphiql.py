"""GraphiQL, the GraphQL IDE a browser gets on ``GET /graphql``.

The gateway serves it whole: the page, GraphiQL's and React's prebuilt bundles (vendored in
``gateway/server/static/graphiql/``, see its README) and the few lines that start it, so it works
on a network without internet. The page's Content-Security-Policy lets it load nothing but
the gateway's own files and talk to nothing but the gateway; its Docs explorer reads the API
schema by introspection through the gateway like any client.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

__all__ = ["GRAPHIQL_ASSETS", "GRAPHIQL_CSP", "GRAPHIQL_HTML", "STATIC_PATH", "static_mount"]

STATIC_PATH = "/graphql/static"
"""Where the gateway serves its static files: GraphiQL's under ``graphiql/``."""

_STATIC_DIR = Path(__file__).parent / "static"

GRAPHIQL_ASSETS = (
    "graphiql/graphiql.min.css",
    "graphiql/react.production.min.js",
    "graphiql/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
    "graphiql/start.js",
)
"""The files the page loads, relative to :data:`STATIC_PATH`, in the order it loads them."""

GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: scripts and styles from the gateway only, and calls to
it only. GraphiQL sets inline styles (``unsafe-inline`` for styles, never for scripts); its
stylesheet carries its fonts and icons as ``data:`` URLs."""


def _page() -> str:
    tags = []
    for asset in GRAPHIQL_ASSETS:
        url = f"{STATIC_PATH}/{asset}"
        if asset.endswith(".css"):
            tags.append(f'<link rel="stylesheet" href="{url}">')
        else:
            tags.append(f'<script src="{url}" defer></script>')
    head = "\n".join(tags)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simpul GraphiQL</title>
<link rel="icon" href="data:,">
{head}
</head>
<body style="margin: 0">
<div id="graphiql" style="height: 100vh">Loading GraphiQL…</div>
</body>
</html>
"""


GRAPHIQL_HTML = _page()
"""The page: GraphiQL's stylesheet and scripts, then ``start.js``, which renders GraphiQL."""


def static_mount() -> Mount:
    """The route serving :data:`GRAPHIQL_ASSETS` (and their licences) under :data:`STATIC_PATH`."""
    return Mount(STATIC_PATH, StaticFiles(directory=_STATIC_DIR), name="static")
