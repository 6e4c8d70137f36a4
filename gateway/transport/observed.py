"""A transport that measures every subgraph call, and traces it when telemetry is on.

The engine puts it between the executor and the real transport, so that every attempt of
every call (retries included) is timed into ``simpul_subgraph_request_duration_seconds``
and, with a tracer, is a ``subgraph NAME`` span whose ``traceparent`` the subgraph gets.
The header is added after the executor signed the call: the signature covers the body.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from prometheus_client import Histogram

from ..errors import ErrorCode, TransportError
from ..metrics import Metrics
from ..supergraph.model import SubgraphName
from ..tracing import propagate
from .base import Transport

__all__ = ["ObservedTransport"]


class ObservedTransport:
    """``transport``, each call timed in ``metrics`` and traced by ``tracer`` if any."""

    def __init__(self, transport: Transport, metrics: Metrics, tracer: Tracer | None) -> None:
        self.transport = transport
        self.metrics = metrics
        self.tracer = tracer
        self._names: dict[str, SubgraphName] = {}
        self._series: dict[tuple[str, str], Histogram] = {}

    def name_urls(self, urls: Mapping[SubgraphName, str]) -> None:
        """Learn which subgraph each URL is (``urls``: by subgraph name)."""
        self._names = {url: name for name, url in urls.items()}

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """Send as the wrapped transport does; time it, and trace it with a tracer."""
        subgraph = self._names.get(url, "unknown")
        if self.tracer is None:
            started = time.perf_counter()
            try:
                answer = await self.transport.post(url, body, headers, timeout)
            except BaseException as error:
                self._observe(subgraph, _outcome(error), started)
                raise
            self._observe(subgraph, "ok", started)
            return answer
        return await self._traced(self.tracer, subgraph, url, body, headers, timeout)

    async def _traced(
        self,
        tracer: Tracer,
        subgraph: str,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        timeout: float,
    ) -> bytes:
        address = urlsplit(url)
        attributes: dict[str, str | int] = {
            "simpul.subgraph": subgraph,
            "http.request.method": "POST",
            "server.address": address.hostname or "",
        }
        if address.port is not None:
            attributes["server.port"] = address.port
        # the exception's message names the subgraph's URL and nothing of the request; the
        # status and outcome say enough, so it is not recorded
        with tracer.start_as_current_span(
            f"subgraph {subgraph}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            traced = dict(headers)
            propagate(traced)
            started = time.perf_counter()
            try:
                answer = await self.transport.post(url, body, traced, timeout)
            except BaseException as error:
                outcome = _outcome(error)
                self._observe(subgraph, outcome, started)
                span.set_attribute("simpul.outcome", outcome)
                if isinstance(error, TransportError) and error.status is not None:
                    span.set_attribute("http.response.status_code", error.status)
                span.set_status(Status(StatusCode.ERROR, outcome))
                raise
            self._observe(subgraph, "ok", started)
            span.set_attribute("simpul.outcome", "ok")
            return answer

    def _observe(self, subgraph: str, outcome: str, started: float) -> None:
        elapsed = time.perf_counter() - started
        # the labelled series looked up once: labels() takes a lock and builds a key per call
        series = self._series.get((subgraph, outcome))
        if series is None:
            series = self._series[subgraph, outcome] = self.metrics.subgraph_duration.labels(
                subgraph, outcome
            )
        series.observe(elapsed)

    async def close(self) -> None:
        """Close the wrapped transport."""
        await self.transport.close()


def _outcome(error: BaseException) -> str:
    if isinstance(error, TimeoutError) or (
        isinstance(error, TransportError) and error.code is ErrorCode.SUBREQUEST_TIMEOUT
    ):
        return "timeout"
    return "error"
