"""``POST /cache/invalidate``: OPD teams drop what the gateway cached of their subgraph.

Closed unless ``cache.invalidate_key_file`` names a key (there is no default key); a
request without ``Authorization: Bearer <that key>`` gets 401. The body names what to drop:
``{"subgraph": "dukcapil", "type": "Kelurahan", "key": {"kode": "61.71.01.1001"}}``
(``type`` and ``key`` optional); the answer says how many entries went.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..cache import SubgraphCache
from ..cache.invalidation import InvalidationError, parse_invalidation

__all__ = ["invalidation_route"]

_MAX_BODY = 64 * 1024


def invalidation_route(key: str, cache_of: Callable[[], SubgraphCache | None]) -> Route:
    """The endpoint, allowing callers that present ``key``; ``cache_of`` gives the running
    engine's cache (``None``: off, or no engine yet)."""
    expected = f"Bearer {key}".encode()

    async def invalidate(request: Request) -> Response:
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return _refusal(401, "a valid Authorization: Bearer key is required")
        body = await request.body()
        if len(body) > _MAX_BODY:
            return _refusal(413, "the request is too large")
        try:
            document = orjson.loads(body)
            if not isinstance(document, dict):
                raise InvalidationError("the body is a JSON object")
            invalidation = parse_invalidation(
                document.get("subgraph"), document.get("type"), document.get("key")
            )
        except (orjson.JSONDecodeError, InvalidationError) as error:
            return _refusal(400, str(error) if isinstance(error, InvalidationError) else "not JSON")
        cache = cache_of()
        if cache is None:
            return _refusal(503, "the cache is off or the gateway is not ready")
        removed = await invalidation.apply(cache)
        return JSONResponse({"removed": removed})

    return Route("/cache/invalidate", invalidate, methods=["POST"])


def _refusal(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)
