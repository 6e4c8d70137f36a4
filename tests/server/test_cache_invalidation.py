"""The gateway app's ``POST /cache/invalidate``: absent unless a key file is configured,
refused a key file others can read, and answering with the running engine's cache."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from gateway.cache import MemoryCacheStore, SubgraphCache
from gateway.config import CacheSettings, ConfigError, GatewayConfig
from gateway.server import create_app
from tests.support.schema_engine import SchemaEngine

KEY = "kunci-invalidasi-0123456789abcdef"


def _key_file(tmp_path: Path, mode: int = 0o600) -> str:
    path = tmp_path / "cache-invalidate.key"
    path.write_text(KEY + "\n", encoding="ascii")
    path.chmod(mode)
    return str(path)


async def _post(engine: object, config: GatewayConfig, **headers: str) -> httpx.Response:
    app = create_app(engine, config)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.post(
            "/cache/invalidate", json={"subgraph": "dukcapil"}, headers=headers
        )


async def test_without_a_key_file_there_is_no_endpoint() -> None:
    response = await _post(SchemaEngine(), GatewayConfig())
    assert response.status_code == 404


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    config = GatewayConfig(cache=CacheSettings(invalidate_key_file=_key_file(tmp_path, 0o644)))
    with pytest.raises(ConfigError, match=r"cache\.invalidate_key_file"):
        create_app(SchemaEngine(), config)


async def test_the_running_engine_s_cache_is_invalidated(tmp_path: Path) -> None:
    cache = SubgraphCache(MemoryCacheStore(1 << 20))
    await cache.store.put({"simpul:cache:dukcapil:Query:abc": b"{}"}, 60)
    engine = SchemaEngine()
    engine.executor = SimpleNamespace(cache=cache)  # type: ignore[attr-defined]
    config = GatewayConfig(cache=CacheSettings(invalidate_key_file=_key_file(tmp_path)))
    refused = await _post(engine, config)
    assert refused.status_code == 401
    response = await _post(engine, config, authorization=f"Bearer {KEY}")
    assert response.status_code == 200 and response.json() == {"removed": 1}


async def test_with_the_cache_off_the_endpoint_says_so(tmp_path: Path) -> None:
    config = GatewayConfig(cache=CacheSettings(invalidate_key_file=_key_file(tmp_path)))
    response = await _post(SchemaEngine(), config, authorization=f"Bearer {KEY}")
    assert response.status_code == 503
