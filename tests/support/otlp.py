"""An OTLP/HTTP receiver in process: what a collector would get, as plain spans to assert on.

It accepts ``POST /v1/traces`` in protobuf (the exporter's default encoding) and keeps
every span with the ``service.name`` of the resource it came with, and each export whole
(resources, scopes, spans with their events, links, status and trace state): what anyone
reading the tracing backend could read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["Received", "Receiver"]


@dataclass(frozen=True)
class Received:
    """One exported span."""

    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int
    attributes: dict[str, Any]


@dataclass
class Receiver:
    """The receiver's ``app``, the ``spans`` it got and every export's body."""

    spans: list[Received] = field(default_factory=list)
    exports: list[bytes] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/traces", self.traces, methods=["POST"])])

    async def traces(self, request: Request) -> Response:
        body = await request.body()
        self.exports.append(body)
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for resource_spans in export.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        Received(
                            service=str(resource.get("service.name", "")),
                            name=span.name,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_id=span.parent_span_id.hex(),
                            kind=span.kind,
                            attributes={a.key: _value(a.value) for a in span.attributes},
                        )
                    )
        body = ExportTraceServiceResponse().SerializeToString()
        return Response(body, media_type="application/x-protobuf")

    @property
    def text(self) -> str:
        """Everything received, as text: protobuf keeps each string as it is in UTF-8, so
        every name, attribute, event and status message shows as sent."""
        return "\n".join(body.decode("utf-8", "replace") for body in self.exports)

    def named(self, name: str) -> list[Received]:
        """The spans called ``name``."""
        return [span for span in self.spans if span.name == name]


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind is not None else None
