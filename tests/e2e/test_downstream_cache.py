"""A caching proxy in front of the gateway, as a city puts a CDN or an nginx before it,
configured carelessly: it keeps every 200 answer for ten minutes unless the answer says
otherwise, keyed by the URL alone (not by who asked). Attacked as an outsider would: an
officer's application reads a resident's name over GET, then anyone asks the proxy for the
same URL.

The gateway's answers say how they may be kept (docs/operators.md, "The gateway's own
answers"): the officer's is ``no-store``, so the proxy hands it to nobody, while a public
figure asked anonymously is kept and served from the proxy's cache (which is what makes the
refusal mean something).

Debian's nginx is the proxy (tests/support/caching_proxy.py). tests/city/test_attacks.py runs
the same attack on the running city.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from gateway.access import AccessOptions
from gateway.config import GatewayConfig
from gateway.server import create_app
from tests.e2e import test_access_record
from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, with_cache_control
from tests.e2e.test_access_record import DINSOS, as_client
from tests.support.caching_proxy import caching_proxy
from tests.support.registry import registry
from tests.support.serving import serving

PERSONAL = '{ penduduk(nik: "6171010101900001") { nama } }'
PUBLIC = "{ jumlahWarga }"
GET_HEADERS = {"apollo-require-preflight": "true"}
"""A GET runs only with a header a foreign page cannot send (CSRF prevention)."""


@asynccontextmanager
async def behind_a_proxy(federate: Federate, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The registry subgraph (its answers cacheable for ten minutes), the gateway on a real
    socket, and nginx in front of it: a client of the proxy."""
    federation = federate(
        test_access_record.SUPERGRAPH,
        {"registry": with_cache_control(app_of(registry), "max-age=600")},
        access=AccessOptions(authenticator=test_access_record.options().authenticator),
    )
    async with serving(create_app(federation.engine, GatewayConfig())) as gateway:
        with caching_proxy(gateway, tmp_path) as proxy:
            assert urlsplit(proxy).port != urlsplit(gateway).port
            async with httpx.AsyncClient(base_url=proxy, timeout=10) as client:
                yield client


async def test_a_proxy_never_hands_one_callers_personal_data_to_another(
    federate: Federate, tmp_path: Path
) -> None:
    async with behind_a_proxy(federate, tmp_path) as proxy:
        # the proxy does keep what the gateway allows: a public figure, asked anonymously
        first = await proxy.get("/graphql", params={"query": PUBLIC}, headers=GET_HEADERS)
        again = await proxy.get("/graphql", params={"query": PUBLIC}, headers=GET_HEADERS)
        assert first.json() == again.json() == {"data": {"jumlahWarga": 3}}
        assert (first.headers["x-cache-status"], again.headers["x-cache-status"]) == (
            "MISS",
            "HIT",
        )

        officer = await proxy.get(
            "/graphql", params={"query": PERSONAL}, headers={**GET_HEADERS, **as_client(DINSOS)}
        )
        assert officer.json() == {"data": {"penduduk": {"nama": "Ahmad"}}}
        assert officer.headers["cache-control"] == "no-store"

        for attempt in range(3):
            outsider = await proxy.get("/graphql", params={"query": PERSONAL}, headers=GET_HEADERS)
            assert "Ahmad" not in outsider.text, attempt
            assert outsider.headers["x-cache-status"] != "HIT"
            # the gateway itself answered, as to any anonymous caller
            assert outsider.json()["data"] == {"penduduk": None}
            [refusal] = outsider.json()["errors"]
            assert refusal["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
