"""An ASGI wrapper that records the JSON body and the headers of every HTTP request an app
receives."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import orjson

from gateway.transport import ASGIApp

__all__ = ["RecordingApp"]

Message = MutableMapping[str, Any]


class RecordingApp:
    """Passes every request on to ``app`` after noting its body in :attr:`requests`.

    A body that is not JSON is recorded as the raw bytes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[Any] = []
        self.headers: list[dict[str, str]] = []
        """Each request's headers, names lower-cased."""

    @property
    def count(self) -> int:
        """How many HTTP requests the app received."""
        return len(self.requests)

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.headers.append(
            {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in scope["headers"]
            }
        )
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            self.requests.append(orjson.loads(body))
        except orjson.JSONDecodeError:
            self.requests.append(body)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # type: ignore[no-any-return]
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
