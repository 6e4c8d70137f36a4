"""The toolkit OPD teams use to expose a system as a Federation v2 subgraph.

- :func:`subgraph_schema` and :func:`create_app`: a strawberry federation schema served as
  an ASGI app with ``/graphql`` and ``/health``, errors as JSON without tracebacks, the
  OPD's adapter in every request's context (:func:`source_of`);
- :class:`BatchLoader`: ``resolve_reference`` through a per-request DataLoader, one upstream
  call per batch of keys, a per-key error in its own slot of ``_entities``;
- :mod:`subgraphs.toolkit.adapters`: REST-JSON, REST-XML, SQL and file-export sources with
  timeouts, retries for reads and one error hierarchy (:mod:`subgraphs.toolkit.errors`);
- :func:`subgraph_sdl` and ``python -m subgraphs.toolkit.export_sdl``: the SDL to compose;
- :class:`SubgraphLimits`: what one call may ask (depth, aliases, tokens, estimated cost),
  checked by :func:`create_app` before a document runs;
- :func:`cache_control` and :func:`entity_cache_control`: how long answers hold, for the
  gateway's cache to keep them and stand in while the OPD cannot answer;
- :class:`AccessRecord` and :func:`record_processing`: a subgraph's own entries in the
  city's access log of personal-data processing.
- :mod:`subgraphs.toolkit.tracing`: OpenTelemetry spans of each request and each call to
  the legacy system, in the gateway's traces, once ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

How to write a subgraph with it: ``docs/opd-teams.md``.
"""

from __future__ import annotations

from .access_record import AccessRecord, RecordNotConfigured, record_processing
from .app import Closeable, SubgraphView, create_app, error_response, format_error
from .cache_control import CacheHint, cache_control, entity_cache_control
from .context import SubgraphContext, source_of
from .errors import (
    SubgraphErrorCode,
    UpstreamBadResponse,
    UpstreamError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from .limits import SubgraphLimits
from .loaders import BatchFetch, BatchLoader
from .retry import NO_RETRY, RetryPolicy, with_retries
from .schema import (
    FEDERATION_VERSION,
    FederationVersion,
    bad_input,
    data_subject,
    described,
    personal_data,
    subgraph_schema,
)
from .sdl import load_schema, subgraph_sdl
from .secrets import SecretNotConfigured, secret_from_environment
from .trust import GatewayTrust, TrustNotConfigured

__all__ = [
    "FEDERATION_VERSION",
    "NO_RETRY",
    "AccessRecord",
    "BatchFetch",
    "BatchLoader",
    "CacheHint",
    "Closeable",
    "FederationVersion",
    "GatewayTrust",
    "RecordNotConfigured",
    "RetryPolicy",
    "SecretNotConfigured",
    "SubgraphContext",
    "SubgraphErrorCode",
    "SubgraphLimits",
    "SubgraphView",
    "TrustNotConfigured",
    "UpstreamBadResponse",
    "UpstreamError",
    "UpstreamRejected",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "bad_input",
    "cache_control",
    "create_app",
    "data_subject",
    "described",
    "entity_cache_control",
    "error_response",
    "format_error",
    "load_schema",
    "personal_data",
    "record_processing",
    "secret_from_environment",
    "source_of",
    "subgraph_schema",
    "subgraph_sdl",
    "with_retries",
]
