"""OpenTelemetry traces: spans exported over OTLP/HTTP, W3C trace context in and out.

With ``[telemetry] otlp_endpoint`` set, the engine makes a ``graphql.request`` span for each
client request (continuing the client's ``traceparent``), a ``graphql.plan`` span for its
planning and a ``subgraph NAME`` span for each call to a subgraph, whose ``traceparent``
goes to the subgraph with the call; subgraphs built with the toolkit continue the trace
(:mod:`subgraphs.toolkit.tracing`). Without an endpoint no tracer exists and no span object
is made: the request path only tests ``tracer is None``.

Spans never carry a query's text, its variables or answers: personal data (a NIK, a name)
travels in them, and traces are kept by systems the access log does not cover. Operation
names and types, subgraph names, hosts and statuses are all a span says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Tracer, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from .config import TelemetrySettings

__all__ = [
    "TRACEPARENT",
    "Tracing",
    "continued",
    "current_trace_id",
    "propagate",
    "trace_id_of",
    "tracer_provider",
]

TRACEPARENT = "traceparent"
_W3C = TraceContextTextMapPropagator()
# version-traceid-parentid-flags; an all-zero trace id is invalid (W3C Trace Context)
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")


def tracer_provider(endpoint: str, service_name: str, sample_ratio: float) -> TracerProvider:
    """A provider exporting in batches to the OTLP/HTTP receiver at ``endpoint`` (its base
    URL: spans go to ``/v1/traces``), sampling ``sample_ratio`` of the traces it starts and
    following the caller's decision for the traces it continues."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        sampler=ParentBased(TraceIdRatioBased(sample_ratio)),
    )
    exporter = OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


class Tracing:
    """The gateway's tracer (``None`` when telemetry is off) and its provider's lifetime."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self.provider = provider
        self.tracer: Tracer | None = (
            provider.get_tracer("simpul.gateway") if provider is not None else None
        )

    @classmethod
    def from_settings(cls, settings: TelemetrySettings) -> Tracing:
        """Tracing as ``[telemetry]`` says: off without an ``otlp_endpoint``."""
        if not settings.otlp_endpoint:
            return cls()
        return cls(
            tracer_provider(settings.otlp_endpoint, settings.service_name, settings.sample_ratio)
        )

    def shutdown(self) -> None:
        """Export the spans still buffered, then stop exporting."""
        if self.provider is not None:
            self.provider.shutdown()


def continued(headers: Mapping[str, str]) -> Context | None:
    """The trace context a request's ``traceparent`` and ``tracestate`` carry (names
    lower-cased); ``None`` when it carries none, and the span starts a trace."""
    if TRACEPARENT not in headers:
        return None
    return _W3C.extract(headers)


def propagate(headers: MutableMapping[str, str]) -> None:
    """Add the current span's ``traceparent`` (and ``tracestate``) to outgoing ``headers``."""
    _W3C.inject(headers)


def current_trace_id() -> str | None:
    """The current span's trace id in hex, ``None`` outside a valid span."""
    context = get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def trace_id_of(headers: Mapping[str, str]) -> str | None:
    """The trace id of a well-formed ``traceparent`` in ``headers`` (for the logs when the
    gateway makes no spans itself)."""
    found = _TRACEPARENT.fullmatch(headers.get(TRACEPARENT, "").strip().lower())
    if found is None or found.group(1) == "0" * 32:
        return None
    return found.group(1)
