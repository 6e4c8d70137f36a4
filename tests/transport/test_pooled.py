"""The pooled HTTP/1.1 transport against a raw HTTP server that misbehaves on request.

The common outcomes (2xx, non-2xx, refused, timeout) are covered for every transport in
test_transports.py; these are the wire-level cases a hand-written client must get right:
connection reuse and limits, chunked and close-delimited bodies, servers that close,
garbage, oversized answers, cancelled calls, header injection and TLS.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from gateway.errors import ErrorCode, TransportError
from gateway.transport.base import cache_control_of
from gateway.transport.pooled import PooledTransport

Reply = Callable[[str, bytes], Awaitable[bytes | None]]
"""Given the path and body of a request, the raw bytes to answer (``None``: close)."""


def _answer(
    body: bytes, *, status: str = "200 OK", extra: str = "", content_type: str = "application/json"
) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


@dataclass
class RawServer:
    """An HTTP/1.1 server answering each request with what ``reply`` gives for its path."""

    reply: Reply
    connections: int = 0
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    open_now: int = 0
    most_open: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append((path, headers, body))
                raw = await self.reply(path, body)
                if raw is None:
                    break
                writer.write(raw)
                await writer.drain()
                if b"Connection: close" in raw.split(b"\r\n\r\n", 1)[0]:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[tuple[RawServer, str]]]]:
    servers: list[asyncio.Server] = []

    async def start(reply: Reply, tls: ssl.SSLContext | None = None) -> tuple[RawServer, str]:
        raw = RawServer(reply)
        server = await asyncio.start_server(raw.handle, "127.0.0.1", 0, ssl=tls)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return raw, f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.close()


async def _echo(path: str, body: bytes) -> bytes:
    return _answer(orjson.dumps({"data": {"path": path, "got": orjson.loads(body or b"null")}}))


async def test_sequential_calls_share_one_connection(serve) -> None:
    server, url = await serve(_echo)
    transport = PooledTransport()
    for number in range(20):
        body = await transport.post(f"{url}/graphql", b'{"n":%d}' % number, {}, 5)
        assert orjson.loads(body)["data"] == {"path": "/graphql", "got": {"n": number}}
    await transport.close()
    assert server.connections == 1


async def test_concurrent_calls_stay_within_the_limit_per_host(serve) -> None:
    async def slow_echo(path: str, body: bytes) -> bytes:
        await asyncio.sleep(0.01)
        return await _echo(path, body)

    server, url = await serve(slow_echo)
    transport = PooledTransport(limit_per_host=3)
    bodies = await asyncio.gather(
        *(transport.post(f"{url}/graphql", b'{"n":%d}' % n, {}, 5) for n in range(30))
    )
    await transport.close()
    assert [orjson.loads(b)["data"]["got"]["n"] for b in bodies] == list(range(30))
    assert server.most_open <= 3
    assert server.connections <= 3


async def test_request_line_host_and_headers(serve) -> None:
    server, url = await serve(_echo)
    transport = PooledTransport()
    await transport.post(
        f"{url}/sub/graphql?x=1", b"{}", {"x-request-id": "r1", "Accept": "application/json"}, 5
    )
    await transport.close()
    path, headers, body = server.requests[0]
    assert path == "/sub/graphql?x=1"
    assert headers["host"] == url.removeprefix("http://")
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"  # replaced by name, not sent twice
    assert headers["x-request-id"] == "r1"
    assert body == b"{}"


async def test_chunked_answer(serve) -> None:
    payload = orjson.dumps({"data": {"items": list(range(2000))}})

    async def chunked(path: str, body: bytes) -> bytes:
        chunks = [payload[i : i + 1000] for i in range(0, len(payload), 1000)]
        encoded = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + encoded
        )

    server, url = await serve(chunked)
    transport = PooledTransport()
    assert await transport.post(url, b"{}", {}, 5) == payload
    assert await transport.post(url, b"{}", {}, 5) == payload
    await transport.close()
    assert server.connections == 1


async def test_cache_control_over_several_lines_is_one_list(
    serve: Callable[..., Awaitable[tuple[RawServer, str]]],
) -> None:
    async def two_lines(path: str, body: bytes) -> bytes:
        # the subgraph's line, then one a proxy in front of it adds
        lines = "Cache-Control: private, max-age=60\r\ncache-control: max-age=600\r\n"
        return _answer(b'{"data":{"a":1}}', extra=lines)

    _, url = await serve(two_lines)
    transport = PooledTransport()
    answer = await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert cache_control_of(answer) == "private, max-age=60, max-age=600"


async def test_answer_delimited_by_close(serve) -> None:
    async def until_close(path: str, body: bytes) -> bytes:
        return b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"data":{"a":1}}'

    server, url = await serve(until_close)
    transport = PooledTransport()
    assert orjson.loads(await transport.post(url, b"{}", {}, 5)) == {"data": {"a": 1}}
    assert orjson.loads(await transport.post(url, b"{}", {}, 5)) == {"data": {"a": 1}}
    await transport.close()
    assert server.connections == 2  # a closed connection is not reused


async def test_server_closing_an_idle_connection_is_not_reused(serve) -> None:
    async def close_after(path: str, body: bytes) -> bytes:
        return _answer(b'{"data":{}}', extra="Connection: close\r\n")

    server, url = await serve(close_after)
    transport = PooledTransport()
    for _ in range(3):
        assert await transport.post(url, b"{}", {}, 5) == b'{"data":{}}'
        await asyncio.sleep(0.01)
    await transport.close()
    assert server.connections == 3


async def test_idle_connection_older_than_keepalive_is_replaced(serve) -> None:
    server, url = await serve(_echo)
    transport = PooledTransport(keepalive_timeout=0.05)
    await transport.post(url, b"{}", {}, 5)
    await asyncio.sleep(0.1)
    await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert server.connections == 2


async def test_connection_dropped_before_the_answer(serve) -> None:
    async def hang_up(path: str, body: bytes) -> None:
        return None

    _, url = await serve(hang_up)
    transport = PooledTransport()
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert caught.value.code is ErrorCode.SUBREQUEST_HTTP_ERROR
    assert caught.value.status is None  # the executor may retry a query after this
    assert "could not be reached" in caught.value.message


async def test_answer_cut_short(serve) -> None:
    async def cut(path: str, body: bytes) -> bytes:
        return b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"data"'

    _, url = await serve(cut)
    transport = PooledTransport()
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert caught.value.status is None


async def test_garbage_instead_of_http(serve) -> None:
    async def garbage(path: str, body: bytes) -> bytes:
        return b"\x00\x01 this is not HTTP\r\n\r\n"

    _, url = await serve(garbage)
    transport = PooledTransport()
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert caught.value.code is ErrorCode.SUBREQUEST_HTTP_ERROR
    assert "invalid HTTP" in caught.value.message


async def test_oversized_answer_is_refused(serve) -> None:
    async def huge(path: str, body: bytes) -> bytes:
        return _answer(b'{"data":"' + b"x" * 5000 + b'"}')

    _, url = await serve(huge)
    transport = PooledTransport(max_response_bytes=1000)
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert "more than 1000 bytes" in caught.value.message


async def test_cancelled_call_does_not_leave_its_answer_to_the_next(serve) -> None:
    async def slow_then_echo(path: str, body: bytes) -> bytes:
        if path == "/slow":
            await asyncio.sleep(0.3)
        return await _echo(path, body)

    server, url = await serve(slow_then_echo)
    transport = PooledTransport(limit_per_host=1)
    with pytest.raises(TransportError) as caught:
        await transport.post(f"{url}/slow", b'{"n":1}', {}, 0.05)
    assert caught.value.code is ErrorCode.SUBREQUEST_TIMEOUT
    body = await transport.post(f"{url}/fast", b'{"n":2}', {}, 5)
    await transport.close()
    assert orjson.loads(body)["data"] == {"path": "/fast", "got": {"n": 2}}
    assert server.connections == 2


async def test_header_values_cannot_split_the_request(serve) -> None:
    server, url = await serve(_echo)
    transport = PooledTransport()
    with pytest.raises(ValueError):
        await transport.post(url, b"{}", {"x-a": "1\r\nx-injected: yes"}, 5)
    await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert all("x-injected" not in headers for _, headers, _ in server.requests)


async def test_not_an_http_url() -> None:
    transport = PooledTransport()
    with pytest.raises(TransportError) as caught:
        await transport.post("ftp://127.0.0.1/graphql", b"{}", {}, 5)
    assert "not an http(s) URL" in caught.value.message


async def test_pool_starts_over_in_another_event_loop(serve) -> None:
    server, url = await serve(_echo)
    transport = PooledTransport()
    await transport.post(url, b"{}", {}, 5)

    async def call() -> bytes:
        try:
            return await transport.post(url, b'{"n":1}', {}, 5)
        finally:
            await transport.close()

    def in_another_loop() -> bytes:
        return asyncio.run(call())

    body = await asyncio.to_thread(in_another_loop)
    assert orjson.loads(body)["data"]["got"] == {"n": 1}
    body = await transport.post(url, b'{"n":2}', {}, 5)
    assert orjson.loads(body)["data"]["got"] == {"n": 2}
    await transport.close()
    assert server.connections == 3


@pytest.fixture
def tls_contexts(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: the server's context and a client trusting it."""
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is needed to make a test certificate"
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


async def test_https(serve, tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_context, client_context = tls_contexts
    server, url = await serve(_echo, server_context)
    transport = PooledTransport(ssl_context=client_context)
    for number in range(3):
        body = await transport.post(f"{url}/graphql", b'{"n":%d}' % number, {}, 5)
        assert orjson.loads(body)["data"]["got"] == {"n": number}
    await transport.close()
    assert server.connections == 1


async def test_https_refuses_an_untrusted_certificate(
    serve, tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    server_context, _ = tls_contexts
    _, url = await serve(_echo, server_context)
    transport = PooledTransport()  # the system's trust store does not know the certificate
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, 5)
    await transport.close()
    assert "could not be reached" in caught.value.message
    assert "certificate" in caught.value.message.lower()


async def test_a_second_answer_to_one_request_closes_the_connection(serve) -> None:
    async def twice(path: str, body: bytes) -> bytes:
        one = _answer(b'{"data":{"n":1}}')
        return one + _answer(b'{"data":{"n":666}}')

    server, url = await serve(twice)
    transport = PooledTransport()
    assert await transport.post(url, b"{}", {}, 5) == b'{"data":{"n":1}}'
    assert await transport.post(url, b"{}", {}, 5) == b'{"data":{"n":1}}'
    await transport.close()
    assert server.connections == 2
