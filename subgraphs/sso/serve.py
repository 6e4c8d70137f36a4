"""Run the simulated identity provider, as ``make up`` does.

    python -m subgraphs.sso.serve [--host 127.0.0.1] [--port 4100] --clients FILE

``FILE`` lists the realm's confidential clients (TOML, kept out of the repository: it holds
their secrets)::

    [[client]]
    id = "dinsos-siks"
    secret = "..."
    scopes = []

The realm is ``pontianak``: tokens at ``/realms/pontianak/protocol/openid-connect/token``,
keys at ``.../certs``. Its signing key is made at start, so tokens do not outlive a restart.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tomllib
from collections.abc import Sequence

from subgraphs.toolkit.serve import serve_app

from .keycloak import KeycloakSimulator, SsoClient

__all__ = ["PORT", "main", "read_clients"]

PORT = 4100


def read_clients(path: str) -> list[SsoClient]:
    """The clients listed in ``path``."""
    with open(path, "rb") as handle:
        document = tomllib.load(handle)
    return [
        SsoClient(str(entry["id"]), str(entry["secret"]), tuple(entry.get("scopes", ())))
        for entry in document.get("client", [])
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m subgraphs.sso.serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--clients", required=True, metavar="FILE")
    args = parser.parse_args(argv)
    try:
        clients = read_clients(args.clients)
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        print(f"sso: cannot read the clients file {args.clients}: {error}", file=sys.stderr)
        return 1
    simulator = KeycloakSimulator(clients, base_url=f"http://{args.host}:{args.port}")
    asyncio.run(serve_app(simulator.app, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
