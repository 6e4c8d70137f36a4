"""Serving with one process or several (``server.workers``), each draining on SIGTERM.

With several workers, uvicorn binds one socket in the parent and every worker accepts from
it: whichever event loop wakes first takes a whole batch of waiting connections, and a
kept-alive connection stays with the worker that took it, so under keep-alive load one
worker does most of the work while the other idles. Here each worker binds its own socket on
the same address with ``SO_REUSEPORT``: the kernel gives every worker its own accept queue
and spreads new connections across them by a hash of their addresses.

The parent supervises the workers:

- it binds the address first (also ``SO_REUSEPORT``, never listening, so it receives no
  connection): a port in use stops the command before any worker starts, port 0 picks the
  port all workers share, and the port stays held while a worker restarts;
- a worker that dies, or stops answering the parent's health pings, is replaced; one that
  fails at startup (its app or socket cannot work) stops the gateway, as it would fail
  again;
- SIGHUP replaces the workers one by one, each new one serving before the old one stops;
- SIGTERM is passed on, so every worker drains (:mod:`gateway.server.drain`) and the parent
  exits 0 when all have stopped; SIGINT is passed on too, and stops them without a drain.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Process

from .drain import DrainingServer
from .embedded import bind_socket

__all__ = ["serve"]

logger = logging.getLogger("uvicorn.error")

_STOPPING = (signal.SIGINT, signal.SIGTERM)
# A new worker imports the gateway and starts serving in a few seconds, many more on a busy
# machine: uvicorn's 5 s would give up replacing workers there.
_STARTUP_SECONDS = 60.0


def serve(config: uvicorn.Config, workers: int, drain_seconds: float) -> int:
    """Serve ``config``'s app with ``workers`` processes until stopped; the exit status
    (0 stopped, 1 the server could not start). With several workers the app must be an
    import string (each worker imports it)."""
    if workers == 1:
        server = DrainingServer(config, drain_seconds)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C during startup
            server.run()
        return 0 if server.started else 1
    return _Supervisor(config, workers, drain_seconds).run()


class _Worker(Process):
    """uvicorn's worker process (health pings, readiness), with its own socket and a
    draining server."""

    def __init__(self, config: uvicorn.Config, port: int, drain_seconds: float) -> None:
        self.port = port
        self.drain_seconds = drain_seconds
        self.stopped = False
        """Whether it has been told to stop."""
        super().__init__(config, [])

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = DrainingServer(self.config, self.drain_seconds)
        return self._server

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        # runs in the worker process
        threading.Thread(target=self.always_pong, daemon=True).start()
        try:
            sock = bind_socket(self.config.host, self.port, reuse_port=True)
        except OSError as error:
            logger.error("cannot listen on %s:%d: %s", self.config.host, self.port, error)
            raise SystemExit(STARTUP_FAILURE) from None
        self.server.run([sock])

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the worker, if it still runs."""
        self.stopped = True
        if self.process.exitcode is None and self.process.pid is not None:
            os.kill(self.process.pid, sig)


class _Supervisor:
    """The parent of several workers."""

    def __init__(self, config: uvicorn.Config, count: int, drain_seconds: float) -> None:
        self.config = config
        self.count = count
        self.drain_seconds = drain_seconds
        self.workers: list[_Worker] = []
        self.received: list[int] = []
        self.stopping = threading.Event()
        self.stop_signal: int = signal.SIGINT
        self.status = 0

    def run(self) -> int:
        for sig in (*_STOPPING, signal.SIGHUP):
            signal.signal(sig, self._receive)
        try:
            holder = bind_socket(self.config.host, self.config.port, reuse_port=True)
        except OSError as error:
            logger.error("cannot listen on %s:%d: %s", self.config.host, self.config.port, error)
            return 1
        port: int = holder.getsockname()[1]
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, port)
        logger.info("Started parent process [%d], %d workers", os.getpid(), self.count)
        try:
            self.workers = [self._start(port) for _ in range(self.count)]
            while not self.stopping.wait(0.5):
                self._handle_signals(port)
                self._replace_dead(port)
            for worker in self.workers:
                # a worker started as the signal came has not had it
                if not worker.stopped:
                    worker.signal(self.stop_signal)
                worker.join()
        finally:
            holder.close()
        logger.info("Stopping parent process [%d]", os.getpid())
        return self.status

    def _receive(self, sig: int, frame: FrameType | None) -> None:
        self.received.append(sig)
        if sig in _STOPPING:
            # passed on at once, not at the next tick: a drain starts when the parent's does
            self._stop_all(sig)

    def _start(self, port: int) -> _Worker:
        worker = _Worker(self.config, port, self.drain_seconds)
        worker.start()
        return worker

    def _handle_signals(self, port: int) -> None:
        while self.received:
            if self.received.pop(0) == signal.SIGHUP:
                logger.info("SIGHUP: replacing the workers one by one")
                self._replace_all(port)

    def _replace_all(self, port: int) -> None:
        for index, old in enumerate(self.workers):
            new = self._start(port)
            if not new.wait_until_ready(_STARTUP_SECONDS, self.stopping):
                new.kill()
                new.join()
                if not self.stopping.is_set():
                    logger.error("a new worker was not ready in time: keeping the others")
                return
            # SIGINT: the old worker finishes its requests in flight without failing
            # readiness (the replica stays in service)
            old.signal(signal.SIGINT)
            old.join()
            self.workers[index] = new

    def _replace_dead(self, port: int) -> None:
        for index, worker in enumerate(self.workers):
            if worker.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            worker.kill()  # hung, or already gone
            worker.join()
            if self.stopping.is_set():
                return
            if worker.exitcode == STARTUP_FAILURE:
                logger.error("worker [%s] failed to start: stopping the gateway", worker.pid)
                self.status = 1
                self._stop_all(signal.SIGINT)
                return
            logger.info("worker [%s] died: starting another", worker.pid)
            self.workers[index] = self._start(port)

    def _stop_all(self, sig: int) -> None:
        # every time, not once: a second SIGTERM ends what is left of the workers' drain
        self.stop_signal = sig
        self.stopping.set()
        for worker in self.workers:
            worker.signal(sig)
