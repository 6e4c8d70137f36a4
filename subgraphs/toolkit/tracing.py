"""OpenTelemetry traces of a subgraph: its requests and its calls to the legacy system.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` names an OTLP/HTTP receiver (the variable every
OpenTelemetry SDK reads; spans go to its ``/v1/traces``), or :func:`configure` is called.
Then :func:`~.app.create_app` makes a ``subgraph.request`` span for each call of
``/graphql``, continuing the gateway's ``traceparent``, and the adapters make a
``legacy NAME`` span for each try of each call to the legacy system, HTTP adapters sending
``traceparent`` on. The service is named by ``OTEL_SERVICE_NAME`` (``simpul-subgraph``
by default). Off, no span object is made: each call only finds that there is no tracer.

Like the gateway's spans, these carry no query text, variables, answers, SQL parameters or
URL paths and query strings (a legacy URL may hold a NIK): names, hosts and statuses only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager, contextmanager, nullcontext

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from gateway.tracing import continued, propagate, tracer_provider

__all__ = [
    "DEFAULT_SERVICE_NAME",
    "configure",
    "legacy_call",
    "request_span",
    "shutdown",
    "traced_headers",
    "tracer",
]

DEFAULT_SERVICE_NAME = "simpul-subgraph"
_OFF: AbstractContextManager[None] = nullcontext()


class _State:
    """The process's tracer, made from the environment on first use."""

    provider: TracerProvider | None = None
    tracer: Tracer | None = None
    configured = False


def configure(endpoint: str, service_name: str | None = None) -> None:
    """Export the toolkit's spans to the OTLP/HTTP receiver at ``endpoint`` (its base URL);
    an empty ``endpoint`` turns tracing off. Replaces what the environment said."""
    shutdown()
    _State.configured = True
    if not endpoint:
        return
    name = service_name or os.environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME
    _State.provider = tracer_provider(endpoint, name, 1.0)
    _State.tracer = _State.provider.get_tracer("simpul.subgraph")


def tracer() -> Tracer | None:
    """The toolkit's tracer; ``None`` when tracing is off."""
    if not _State.configured:
        configure(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", ""))
    return _State.tracer


def shutdown() -> None:
    """Export the spans still buffered and stop; the next :func:`tracer` reads the
    environment again."""
    if _State.provider is not None:
        _State.provider.shutdown()
    _State.provider = None
    _State.tracer = None
    _State.configured = False


def request_span(
    headers: Mapping[str, str], attributes: Mapping[str, str]
) -> AbstractContextManager[Span | None]:
    """The span of one request to the subgraph, continuing the caller's trace from
    ``headers`` (names lower-cased); nothing when tracing is off."""
    found = tracer()
    if found is None:
        return _OFF
    return _span(found, "subgraph.request", SpanKind.SERVER, attributes, headers)


def legacy_call(
    source: str, attributes: Mapping[str, str | int]
) -> AbstractContextManager[Span | None]:
    """The span of one try of one call to the legacy system ``source``; nothing when
    tracing is off."""
    found = tracer()
    if found is None:
        return _OFF
    return _span(
        found, f"legacy {source}", SpanKind.CLIENT, {"simpul.source": source, **attributes}
    )


@contextmanager
def _span(
    found: Tracer,
    name: str,
    kind: SpanKind,
    attributes: Mapping[str, str | int],
    headers: Mapping[str, str] | None = None,
) -> Iterator[Span]:
    # an exception's message may quote a legacy path or a value: only its class is kept
    with found.start_as_current_span(
        name,
        continued(headers) if headers is not None else None,
        kind,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except BaseException as error:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise


def traced_headers(headers: Mapping[str, str] | None) -> MutableMapping[str, str]:
    """``headers`` with the current span's ``traceparent`` added."""
    given = dict(headers or {})
    propagate(given)
    return given
