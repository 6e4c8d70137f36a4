"""The city's identity provider (the Keycloak simulator) served over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from gateway.server.embedded import EmbeddedServer, bind_socket
from subgraphs.sso import KeycloakSimulator, SsoClient

SIKS = SsoClient("dinsos-siks", "siks-secret-0123456789abcdef", ("penduduk:baca",))
PORTAL = SsoClient("portal-kota", "portal-secret-0123456789abcdef")


@pytest.fixture
async def idp() -> AsyncIterator[KeycloakSimulator]:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    simulator = KeycloakSimulator([SIKS, PORTAL], base_url=f"http://127.0.0.1:{port}")
    server = EmbeddedServer(simulator.app, sock, lifespan="off")
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield simulator
    finally:
        server.should_exit = True
        await task
