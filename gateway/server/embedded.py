"""Running uvicorn servers inside a program: several on one event loop, on sockets we bind.

uvicorn's own ``Server.serve`` installs process-wide signal handlers, which only works for one
server per process. :class:`EmbeddedServer` leaves signals to its owner instead, and
:func:`bind_socket` binds before serving so that a busy port is a clear error (and port 0 a
free one) rather than uvicorn exiting the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Callable, Generator, Sequence
from typing import Any

import uvicorn

__all__ = ["EmbeddedServer", "bind_socket", "serve_together"]


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that does not touch signal handlers."""

    def __init__(self, app: Any, sock: socket.socket, **config: Any) -> None:
        config.setdefault("log_level", "warning")
        config.setdefault("server_header", False)
        super().__init__(uvicorn.Config(app, **config))
        self.socket = sock

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield

    @property
    def port(self) -> int:
        """The port the server's socket is bound to."""
        return int(self.socket.getsockname()[1])

    async def run_on_socket(self) -> None:
        """Serve on the bound socket until ``should_exit`` is set."""
        await self.serve(sockets=[self.socket])


def bind_socket(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    """A TCP socket bound to ``host:port`` (port 0: a free one); raises ``OSError``.
    With ``reuse_port``, other sockets with ``SO_REUSEPORT`` may bind the same address, and
    the kernel spreads new connections across those listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


async def serve_together(
    servers: Sequence[EmbeddedServer], on_started: Callable[[], None] | None = None
) -> bool:
    """Serve until SIGINT or SIGTERM, or until one server stops; stop them all.

    Returns whether every server started.
    """
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            # A second Ctrl-C skips waiting for open connections.
            server.force_exit = server.should_exit
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(server.run_on_socket()) for server in servers]
    started = False
    try:
        while not started and not any(task.done() for task in tasks):
            started = all(server.started for server in servers)
            if not started:
                await asyncio.sleep(0.02)
        if started and on_started is not None:
            on_started()
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        stop()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        for server in servers:
            server.socket.close()
    return started
