"""The gateway's configuration: typed, with defaults and environment variables side by side.

A value comes from, in rising precedence: the default written here, the TOML file given
with ``--config``, the environment variable named next to the field, and the command-line
flag. :func:`render_toml` prints a configuration as a commented TOML file; the fully
defaulted one is the reference in ``docs/operators.md`` and in a golden test.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .traffic import RESERVED_HEADERS

__all__ = [
    "AccessSettings",
    "AuditSettings",
    "CacheSettings",
    "ConfigError",
    "CorsSettings",
    "DocumentSettings",
    "EngineSettings",
    "GatewayConfig",
    "LimitSettings",
    "ServerSettings",
    "SubgraphTraffic",
    "TelemetrySettings",
    "TrafficSettings",
    "config_document",
    "config_from_mapping",
    "load_config",
    "render_toml",
]

MIB = 1024 * 1024
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and its source."""


def setting(default: Any, env: str, doc: str) -> Any:
    """A configuration field: its default, the environment variable overriding it, its doc."""
    return field(default=default, metadata={"env": env, "doc": doc})


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """``[server]``: how the gateway listens and what it accepts over HTTP."""

    host: str = setting("127.0.0.1", "SIMPUL_HOST", "Address to listen on.")
    port: int = setting(4000, "SIMPUL_PORT", "TCP port to listen on.")
    workers: int = setting(1, "SIMPUL_WORKERS", "Worker processes (each loads the supergraph).")
    drain_seconds: float = setting(
        10.0,
        "SIMPUL_DRAIN_SECONDS",
        "On SIGTERM, seconds of not ready but still serving (Connection: close) before the "
        "server stops; longer than a load balancer's readiness period. 0: stop at once.",
    )
    log_level: str = setting(
        "info", "SIMPUL_LOG_LEVEL", "One of critical, error, warning, info, debug, trace."
    )
    log_format: str = setting(
        "text",
        "SIMPUL_LOG_FORMAT",
        "text (for development) or json: one object a line, with request_id and trace_id.",
    )
    graphiql: bool = setting(True, "SIMPUL_GRAPHIQL", "Serve GraphiQL to browsers on GET /graphql.")
    max_request_bytes: int = setting(
        2 * MIB, "SIMPUL_MAX_REQUEST_BYTES", "Largest accepted request body; larger get 413."
    )
    max_response_bytes: int = setting(
        32 * MIB,
        "SIMPUL_MAX_RESPONSE_BYTES",
        "Largest answer sent; a larger one is replaced by a RESPONSE_TOO_LARGE error.",
    )
    header_timeout: float = setting(
        10.0, "SIMPUL_HEADER_TIMEOUT", "Seconds a request's headers have to arrive."
    )
    body_timeout: float = setting(
        30.0, "SIMPUL_BODY_TIMEOUT", "Seconds a request's body has to arrive after its headers."
    )
    write_timeout: float = setting(
        30.0,
        "SIMPUL_WRITE_TIMEOUT",
        "Seconds a client may leave its answer unread before the connection is dropped.",
    )
    max_connections: int = setting(
        2048,
        "SIMPUL_MAX_CONNECTIONS",
        "Open connections (and requests) at once, per worker; beyond, 503.",
    )
    max_connections_per_client: int = setting(
        64,
        "SIMPUL_MAX_CONNECTIONS_PER_CLIENT",
        "Open connections from one client address (0: no cap; raise it behind a proxy).",
    )
    max_requests_per_client: int = setting(
        32,
        "SIMPUL_MAX_REQUESTS_PER_CLIENT",
        "Requests in flight from one client address; beyond, 429 (0: no cap).",
    )
    portal: str = setting(
        "",
        "SIMPUL_PORTAL",
        "Directory of the city portal to serve at /portal/ (empty: no portal).",
    )
    profile: str = setting(
        "development",
        "SIMPUL_PROFILE",
        "production: no GraphiQL, no query plans or costs in answers, no field suggestions, "
        "introspection for authenticated callers only, CSRF prevention on.",
    )
    startup_wait: float = setting(
        10.0,
        "SIMPUL_STARTUP_WAIT",
        "Seconds a request arriving while the supergraph loads waits for it before the "
        "answer 503 NOT_READY (a worker started beside ready ones takes connections at once).",
    )
    supergraph_poll: float = setting(
        10.0,
        "SIMPUL_SUPERGRAPH_POLL",
        "Seconds between looks for a new supergraph (a file's content, a URL's ETag), taken "
        "without a restart; also on SIGHUP. 0: on SIGHUP only.",
    )
    metrics: bool = setting(
        True,
        "SIMPUL_METRICS",
        "Serve Prometheus metrics at GET /metrics (restrict it to the monitoring network).",
    )
    csrf_prevention: bool = setting(
        False,
        "SIMPUL_CSRF_PREVENTION",
        "Execute a GET only with a preflight-forcing header (csrf_headers); on in production.",
    )
    csrf_headers: tuple[str, ...] = setting(
        ("apollo-require-preflight", "x-apollo-operation-name", "simpul-require-preflight"),
        "SIMPUL_CSRF_HEADERS",
        "Headers that force a browser's preflight, any one of which lets a GET through.",
    )


@dataclass(frozen=True, slots=True)
class CorsSettings:
    """``[cors]``: which web applications of other origins may call the graph from a browser."""

    origins: tuple[str, ...] = setting(
        (),
        "SIMPUL_CORS_ORIGINS",
        "Origins allowed exactly (https://sipd.pontianak.go.id); empty: same origin only.",
    )
    origin_patterns: tuple[str, ...] = setting(
        (),
        "SIMPUL_CORS_ORIGIN_PATTERNS",
        "Regular expressions an allowed origin matches whole (https://[a-z0-9-]+\\.pontianak\\.go\\.id).",
    )
    allow_credentials: bool = setting(
        False, "SIMPUL_CORS_ALLOW_CREDENTIALS", "Let browsers send cookies and HTTP auth."
    )
    allow_headers: tuple[str, ...] = setting(
        (
            "content-type",
            "authorization",
            "x-api-key",
            "x-request-id",
            "simpul-purpose",
            "simpul-officer",
            "apollo-require-preflight",
            "simpul-require-preflight",
        ),
        "SIMPUL_CORS_ALLOW_HEADERS",
        "Request headers a browser may send.",
    )
    expose_headers: tuple[str, ...] = setting(
        ("x-request-id",), "SIMPUL_CORS_EXPOSE_HEADERS", "Answer headers a page may read."
    )
    max_age: int = setting(
        600, "SIMPUL_CORS_MAX_AGE", "Seconds a browser may keep a preflight's answer."
    )


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """``[engine]``: how queries are checked and executed."""

    subgraph_timeout: float = setting(
        30.0, "SIMPUL_SUBGRAPH_TIMEOUT", "Seconds a subgraph has to answer one call."
    )
    expose_query_plan: bool = setting(
        False,
        "SIMPUL_EXPOSE_QUERY_PLAN",
        "Allow the simpul-include-query-plan request header to return the plan.",
    )
    max_depth: int = setting(100, "SIMPUL_MAX_DEPTH", "Deepest selection nesting accepted.")
    field_suggestions: bool = setting(
        True,
        "SIMPUL_FIELD_SUGGESTIONS",
        "Validation errors suggest field names (Did you mean ...?); off in production.",
    )
    max_query_bytes: int = setting(
        MIB, "SIMPUL_MAX_QUERY_BYTES", "Longest query text accepted, in UTF-8 bytes."
    )
    forward_headers: tuple[str, ...] = setting(
        (),
        "SIMPUL_FORWARD_HEADERS",
        "Client request headers copied onto every subgraph call (comma-separated in env).",
    )
    batch_entity_fetches: bool = setting(
        True,
        "SIMPUL_BATCH_ENTITY_FETCHES",
        "Entity fetches to one subgraph that become ready at the same stage of a query's plan "
        "go as one call; a branch then waits for the slowest at each stage (off: each goes "
        "as soon as its own inputs are there).",
    )
    dedup_subgraph_requests: bool = setting(
        False,
        "SIMPUL_DEDUP_SUBGRAPH_REQUESTS",
        "Identical query calls to a subgraph in flight at once share one call (same body and "
        "forwarded headers); never mutations.",
    )
    dedup_client_requests: bool = setting(
        False,
        "SIMPUL_DEDUP_CLIENT_REQUESTS",
        "Identical query requests from clients in flight at once share one execution and its "
        "answer (same query, variables and forwarded headers); never mutations.",
    )
    adaptive_concurrency: bool = setting(
        True,
        "SIMPUL_ADAPTIVE_CONCURRENCY",
        "Start no more executions at once than keep the CPU busy (a limit that grows while the "
        "CPU idles with requests waiting); off: every request starts at once.",
    )
    override_labels: tuple[str, ...] = setting(
        (),
        "SIMPUL_OVERRIDE_LABELS",
        "Progressive @override labels switched on (comma-separated in env).",
    )
    document_cache_size: int = setting(
        1000, "SIMPUL_DOCUMENT_CACHE_SIZE", "Parsed and validated documents kept in memory."
    )
    plan_cache_size: int = setting(1000, "SIMPUL_PLAN_CACHE_SIZE", "Query plans kept in memory.")


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """``[limits]``: what one operation may ask for, and what it may cost."""

    max_tokens: int = setting(
        5_000, "SIMPUL_MAX_TOKENS", "Tokens the parser reads; it stops there, unread the rest."
    )
    max_aliases: int = setting(
        30, "SIMPUL_MAX_ALIASES", "Aliased fields in one operation (fragments counted as spread)."
    )
    max_root_fields: int = setting(20, "SIMPUL_MAX_ROOT_FIELDS", "Root fields of one operation.")
    max_fields: int = setting(
        2000, "SIMPUL_MAX_FIELDS", "Field selections in one operation (fragments as spread)."
    )
    max_height: int = setting(
        200,
        "SIMPUL_MAX_HEIGHT",
        "Field selections as written, each fragment counted once (Apollo Router's height).",
    )
    max_directives: int = setting(
        5, "SIMPUL_MAX_DIRECTIVES", "Directives on one field or fragment."
    )
    max_deferred: int = setting(
        8,
        "SIMPUL_MAX_DEFERRED",
        "Fragments of one operation deferred at most (@defer): each is an operation of its "
        "own; the others come with the initial part.",
    )
    document_cache_bytes: int = setting(
        64 * MIB, "SIMPUL_DOCUMENT_CACHE_BYTES", "Text of the cached documents, at most."
    )
    parse_off_loop_bytes: int = setting(
        64 * 1024,
        "SIMPUL_PARSE_OFF_LOOP_BYTES",
        "Documents longer than this are parsed in a worker thread, not on the event loop.",
    )
    cost_mode: str = setting(
        "enforce",
        "SIMPUL_COST_MODE",
        "Demand control: enforce (refuse over max_cost), measure (only report), or off.",
    )
    max_cost: int = setting(
        5_000, "SIMPUL_MAX_COST", "The estimated cost above which an operation is refused."
    )
    list_size: int = setting(
        10, "SIMPUL_COST_LIST_SIZE", "Items assumed in a list field without @listSize."
    )
    actual_cost_sample: float = setting(
        0.05,
        "SIMPUL_ACTUAL_COST_SAMPLE",
        "Share of answers whose actual cost is measured for /metrics (0 to 1).",
    )
    expose_cost: bool = setting(
        False,
        "SIMPUL_EXPOSE_COST",
        "Allow the simpul-include-cost request header to return the estimated and actual cost.",
    )


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    """``[documents]``: trusted documents and automatic persisted queries (APQ)."""

    mode: str = setting(
        "apq",
        "SIMPUL_DOCUMENTS_MODE",
        "off: query text only; apq: text, manifest ids and APQ; safelist: only the manifest's "
        "documents; safelist-anonymous: the safelist for anonymous callers only.",
    )
    manifest: str = setting(
        "",
        "SIMPUL_DOCUMENTS_MANIFEST",
        "The trusted documents (an apollo-persisted-query-manifest JSON file).",
    )
    redis_url: str = setting(
        "",
        "SIMPUL_DOCUMENTS_REDIS_URL",
        "Redis for APQ documents shared by replicas (redis://host:6379/0); empty: in memory.",
    )
    apq_max_bytes: int = setting(
        16 * MIB, "SIMPUL_APQ_MAX_BYTES", "Text of the APQ documents kept in memory, at most."
    )


@dataclass(frozen=True, slots=True)
class AccessSettings:
    """``[access]``: who may call, what they may reach, and how subgraphs know the gateway."""

    mode: str = setting(
        "filter",
        "SIMPUL_ACCESS_MODE",
        "filter: fields a caller may not reach answer null with UNAUTHORIZED_FIELD_OR_TYPE; "
        "reject: the whole operation is refused (401 or 403).",
    )
    anonymous: bool = setting(
        True,
        "SIMPUL_ACCESS_ANONYMOUS",
        "Serve callers without a credential (they reach only fields without access marks).",
    )
    public: tuple[str, ...] = setting(
        ("*",),
        "SIMPUL_ACCESS_PUBLIC",
        "Fields anonymous callers may reach unless marked otherwise: Type.field, Type.* or * "
        "(comma-separated in env); any other field needs an authenticated caller.",
    )
    introspection: str = setting(
        "filtered",
        "SIMPUL_INTROSPECTION",
        "filtered: introspection shows a caller only what it may query; authenticated: the "
        "same, anonymous callers refused; off: refused to all.",
    )
    grants_file: str = setting(
        "",
        "SIMPUL_GRANTS_FILE",
        "TOML file of client applications and their grants (policies, purposes, legal bases).",
    )
    api_keys_file: str = setting(
        "", "SIMPUL_API_KEYS_FILE", "TOML file of API key hashes and their client applications."
    )
    api_key_header: str = setting(
        "x-api-key", "SIMPUL_API_KEY_HEADER", "Request header carrying an API key."
    )
    jwks_url: str = setting(
        "",
        "SIMPUL_JWKS_URL",
        "The identity provider's JWKS (https URL or file path); empty: no bearer tokens.",
    )
    jwt_issuer: str = setting(
        "", "SIMPUL_JWT_ISSUER", "The iss every token must carry (required with jwks_url)."
    )
    jwt_audience: str = setting(
        "", "SIMPUL_JWT_AUDIENCE", "The aud every token must carry (required with jwks_url)."
    )
    jwt_algorithms: tuple[str, ...] = setting(
        ("RS256", "ES256", "EdDSA"),
        "SIMPUL_JWT_ALGORITHMS",
        "Token signature algorithms accepted (comma-separated in env).",
    )
    jwt_leeway: float = setting(
        30.0, "SIMPUL_JWT_LEEWAY", "Seconds of clock difference allowed on exp, nbf and iat."
    )
    jwt_client_claim: str = setting(
        "azp", "SIMPUL_JWT_CLIENT_CLAIM", "The token claim naming the client application."
    )
    officer_header: str = setting(
        "simpul-officer", "SIMPUL_OFFICER_HEADER", "Request header with the acting officer's NIP."
    )
    purpose_header: str = setting(
        "simpul-purpose", "SIMPUL_PURPOSE_HEADER", "Request header with the request's purpose."
    )
    policy_hook: str = setting(
        "",
        "SIMPUL_POLICY_HOOK",
        "module:function deciding @policy policies the grants file does not grant.",
    )
    redis_url: str = setting(
        "",
        "SIMPUL_REDIS_URL",
        "Redis for counters shared by replicas (redis://host:6379/0); empty: in the process.",
    )
    personal_rate_per_minute: int = setting(
        30,
        "SIMPUL_PERSONAL_RATE_PER_MINUTE",
        "Personal-data fields one client may reach per minute, unless its grant says otherwise.",
    )
    call_signing: str = setting(
        "hmac",
        "SIMPUL_CALL_SIGNING",
        "How subgraph calls are signed: hmac, ed25519, or none (development only).",
    )
    call_key_file: str = setting(
        "",
        "SIMPUL_CALL_KEY_FILE",
        "The signing key (mode 600): an HMAC master key or an Ed25519 PEM private key.",
    )
    call_token_ttl: float = setting(
        30.0, "SIMPUL_CALL_TOKEN_TTL", "Seconds a subgraph call's signature stays valid."
    )


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """``[audit]``: the access log of personal-data processing (UU 27/2022)."""

    store: str = setting(
        "",
        "SIMPUL_AUDIT_STORE",
        "Where the access log is kept: a folder (append-only files) or a postgresql:// URL; "
        "empty: no log, and personal data is refused to every caller.",
    )
    replica: str = setting(
        "",
        "SIMPUL_AUDIT_REPLICA",
        "The name this gateway's chains are written under (each process takes "
        "<replica>-<n>); empty: the host name.",
    )
    seal_key_file: str = setting(
        "",
        "SIMPUL_AUDIT_SEAL_KEY_FILE",
        "Ed25519 private key (PEM, mode 600) the chains are sealed with (simpul audit key seal).",
    )
    seal_public_keys: str = setting(
        "",
        "SIMPUL_AUDIT_SEAL_PUBLIC_KEYS",
        "File of the seal public keys verification accepts (PEM blocks: the current key and "
        "every retired one).",
    )
    subject_key_file: str = setting(
        "",
        "SIMPUL_AUDIT_SUBJECT_KEY_FILE",
        "The key (mode 600) data subjects' identifiers are hashed with "
        "(simpul audit key subject); shared by every writer of one log.",
    )
    seal_every: int = setting(256, "SIMPUL_AUDIT_SEAL_EVERY", "Entries between two seals, at most.")
    seal_interval: float = setting(
        10.0,
        "SIMPUL_AUDIT_SEAL_INTERVAL",
        "Seconds an entry waits for its seal, at most.",
    )
    rotate_interval: float = setting(
        86400.0,
        "SIMPUL_AUDIT_ROTATE_INTERVAL",
        "Seconds before a writer closes its chain and opens the next (whole chains are archived).",
    )
    retention_days: int = setting(
        0,
        "SIMPUL_AUDIT_RETENTION_DAYS",
        "Days chains stay in the store; older whole chains are moved to the archive by "
        "simpul audit archive. 0: kept in the store.",
    )
    archive: str = setting(
        "",
        "SIMPUL_AUDIT_ARCHIVE",
        "Folder archived chains are moved to, with their seals (required with retention_days).",
    )


@dataclass(frozen=True, slots=True)
class SubgraphTraffic:
    """``[traffic.subgraphs.NAME]``: one subgraph's own policy; a key left out follows
    ``[traffic]`` (and the timeout ``engine.subgraph_timeout``)."""

    name: str
    url: str = ""
    timeout: float | None = None
    retries: int | None = None
    breaker_failures: int | None = None
    breaker_cooldown: float | None = None
    max_concurrent: int | None = None
    propagate_headers: tuple[str, ...] = ()
    rename_headers: tuple[str, ...] = ()
    insert_headers: tuple[str, ...] = ()
    remove_headers: tuple[str, ...] = ()


HEADER_RULES = ("propagate_headers", "rename_headers", "insert_headers", "remove_headers")
"""The header-rule keys of ``[traffic]`` and ``[traffic.subgraphs.NAME]``."""

_SUBGRAPH_TRAFFIC_DOCS: Mapping[str, str] = {
    "url": "Where the subgraph is called, instead of the supergraph's routing URL.",
    "timeout": "Seconds one call may take (instead of engine.subgraph_timeout).",
    "retries": "Times a query is sent again when the subgraph did not handle it.",
    "breaker_failures": "Failed calls in a row that open its circuit (0: no breaker).",
    "breaker_cooldown": "Seconds its circuit stays open before a probe call.",
    "max_concurrent": "Calls in flight at once; beyond, SUBGRAPH_BUSY (0: no cap).",
    "propagate_headers": "Client headers copied onto its calls, besides [traffic]'s.",
    "rename_headers": 'Client headers sent under another name ("from=to"), besides [traffic]\'s.',
    "insert_headers": 'Static headers ("name=value", "name=env:VAR"), besides [traffic]\'s.',
    "remove_headers": "Headers never sent to it.",
}


@dataclass(frozen=True, slots=True)
class TrafficSettings:
    """``[traffic]``: how every subgraph's calls are made, unless
    ``[traffic.subgraphs.NAME]`` says otherwise for one (docs/operators.md)."""

    retries: int = setting(
        1,
        "SIMPUL_SUBGRAPH_RETRIES",
        "Times a query is sent again when the subgraph did not handle it (connection lost "
        "before an answer, 502, 503, 504); never a mutation, never after a timeout.",
    )
    retry_backoff: float = setting(
        0.05,
        "SIMPUL_SUBGRAPH_RETRY_BACKOFF",
        "Seconds before the first retry after a 502/503/504, doubling, jittered by half.",
    )
    retry_max_backoff: float = setting(
        1.0, "SIMPUL_SUBGRAPH_RETRY_MAX_BACKOFF", "The longest pause before a retry (s)."
    )
    breaker_failures: int = setting(
        5,
        "SIMPUL_BREAKER_FAILURES",
        "Failed calls in a row that open a subgraph's circuit: its fields then fail at once "
        "(SUBGRAPH_CIRCUIT_OPEN); 0: no breaker.",
    )
    breaker_cooldown: float = setting(
        10.0,
        "SIMPUL_BREAKER_COOLDOWN",
        "Seconds an open circuit waits before one probe call; an answer closes it.",
    )
    max_concurrent: int = setting(
        0,
        "SIMPUL_SUBGRAPH_MAX_CONCURRENT",
        "Calls in flight at once to one subgraph; beyond, the call fails at once "
        "(SUBGRAPH_BUSY) rather than queue (0: no cap).",
    )
    propagate_headers: tuple[str, ...] = setting(
        (),
        "SIMPUL_SUBGRAPH_PROPAGATE_HEADERS",
        "Client request headers copied onto every subgraph's calls (a subgraph's own table "
        "adds to these).",
    )
    rename_headers: tuple[str, ...] = setting(
        (),
        "SIMPUL_SUBGRAPH_RENAME_HEADERS",
        'Client request headers sent under another name: "from=to".',
    )
    insert_headers: tuple[str, ...] = setting(
        (),
        "SIMPUL_SUBGRAPH_INSERT_HEADERS",
        'Static headers on every call: "name=value", or "name=env:VAR" for a secret read '
        "from the environment variable VAR (or the file VAR_FILE names), never written here.",
    )
    remove_headers: tuple[str, ...] = setting(
        (),
        "SIMPUL_SUBGRAPH_REMOVE_HEADERS",
        "Headers never sent to a subgraph, whatever rule put them in (forward_headers too).",
    )
    probe_interval: float = setting(
        10.0,
        "SIMPUL_SUBGRAPH_PROBE_INTERVAL",
        "Seconds between { __typename } calls to a subgraph whose last call failed, through "
        "its breaker: /ready shows it back, and its circuit closes, without a client. 0: none.",
    )
    request_timeout: float = setting(
        60.0,
        "SIMPUL_REQUEST_TIMEOUT",
        "Seconds all of one request's subgraph calls may take; each call gets what is left "
        "and tells its subgraph (simpul-deadline-ms). 0: no deadline.",
    )
    subgraphs: tuple[SubgraphTraffic, ...] = field(default=(), metadata={"table": True})
    """The per-subgraph tables, by name."""


@dataclass(frozen=True, slots=True)
class TelemetrySettings:
    """``[telemetry]``: OpenTelemetry traces of the requests and their subgraph calls."""

    otlp_endpoint: str = setting(
        "",
        "SIMPUL_OTLP_ENDPOINT",
        "Base URL of an OTLP/HTTP receiver (spans go to /v1/traces); empty: no traces.",
    )
    service_name: str = setting(
        "simpul-gateway", "SIMPUL_SERVICE_NAME", "The service.name of the gateway's spans."
    )
    sample_ratio: float = setting(
        1.0,
        "SIMPUL_TRACE_SAMPLE_RATIO",
        "Share of new traces recorded (0 to 1); a client's traceparent decides for its own.",
    )


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """``[cache]``: subgraph answers kept as their Cache-Control allows, and served stale
    when their subgraph fails (docs/operators.md, "Cache")."""

    enabled: bool = setting(
        True,
        "SIMPUL_CACHE",
        "Keep subgraph answers their Cache-Control allows (nothing without one; never "
        "personal data), and serve them stale within stale-if-error when a subgraph fails.",
    )
    redis_url: str = setting(
        "",
        "SIMPUL_CACHE_REDIS_URL",
        "Redis shared by replicas (redis://host:6379/0); empty: in each gateway process.",
    )
    max_bytes: int = setting(
        64 * MIB, "SIMPUL_CACHE_MAX_BYTES", "Answers kept in memory, at most (without Redis)."
    )
    prefix: str = setting(
        "simpul:cache:", "SIMPUL_CACHE_PREFIX", "Prefix of the cache's keys in Redis."
    )
    invalidate_key_file: str = setting(
        "",
        "SIMPUL_CACHE_INVALIDATE_KEY_FILE",
        "File holding the key POST /cache/invalidate requires (Bearer); empty: no endpoint.",
    )


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    """The whole configuration of one gateway."""

    supergraph: str = setting(
        "",
        "SIMPUL_SUPERGRAPH",
        "Path or http(s) URL of the supergraph SDL to serve (required).",
    )
    server: ServerSettings = field(default_factory=ServerSettings)
    cors: CorsSettings = field(default_factory=CorsSettings)
    engine: EngineSettings = field(default_factory=EngineSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    access: AccessSettings = field(default_factory=AccessSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    traffic: TrafficSettings = field(default_factory=TrafficSettings)
    telemetry: TelemetrySettings = field(default_factory=TelemetrySettings)
    cache: CacheSettings = field(default_factory=CacheSettings)


# Which dataclass each TOML table reads into.
_SECTIONS: Mapping[str, type[Any]] = {
    "server": ServerSettings,
    "cors": CorsSettings,
    "engine": EngineSettings,
    "limits": LimitSettings,
    "documents": DocumentSettings,
    "access": AccessSettings,
    "audit": AuditSettings,
    "traffic": TrafficSettings,
    "telemetry": TelemetrySettings,
    "cache": CacheSettings,
}
_MINIMUMS: Mapping[str, float] = {
    "port": 0,
    "workers": 1,
    "max_request_bytes": 1,
    "max_response_bytes": 1,
    "header_timeout": 0.1,
    "body_timeout": 0.1,
    "write_timeout": 0.1,
    "max_connections": 1,
    "max_connections_per_client": 0,
    "max_requests_per_client": 0,
    "subgraph_timeout": 0.001,
    "max_depth": 1,
    "max_query_bytes": 1,
    "document_cache_size": 1,
    "plan_cache_size": 1,
    "jwt_leeway": 0,
    "max_tokens": 1,
    "max_aliases": 0,
    "max_root_fields": 1,
    "max_fields": 1,
    "max_directives": 0,
    "max_deferred": 0,
    "max_height": 1,
    "document_cache_bytes": 1,
    "parse_off_loop_bytes": 0,
    "max_cost": 0,
    "apq_max_bytes": 1,
    "max_bytes": 1,
    "actual_cost_sample": 0,
    "sample_ratio": 0,
    "list_size": 0,
    "personal_rate_per_minute": 0,
    "call_token_ttl": 1,
    "seal_every": 1,
    "seal_interval": 0.01,
    "rotate_interval": 0,
    "retention_days": 0,
    "supergraph_poll": 0,
    "drain_seconds": 0,
    "retries": 0,
    "retry_backoff": 0,
    "retry_max_backoff": 0,
    "breaker_failures": 0,
    "breaker_cooldown": 0,
    "max_concurrent": 0,
    "request_timeout": 0,
    "timeout": 0.001,
}
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "log_level": LOG_LEVELS,
    "log_format": ("text", "json"),
    "access.mode": ("filter", "reject"),
    "documents.mode": ("off", "apq", "safelist", "safelist-anonymous"),
    "introspection": ("filtered", "authenticated", "off"),
    "call_signing": ("hmac", "ed25519", "none"),
    "cost_mode": ("enforce", "measure", "off"),
    "profile": ("development", "production"),
}


def load_config(
    path: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> GatewayConfig:
    """Build the configuration from the TOML file at ``path``, ``environ`` and ``overrides``.

    ``overrides`` holds command-line values by dotted key (``"server.port"``); ``None``
    values are ignored, so unset flags leave the lower layers alone.
    """
    document = _read_toml(path) if path else {}
    return config_from_mapping(document, environ or {}, overrides or {}, source=path or "")


def config_from_mapping(
    document: Mapping[str, Any],
    environ: Mapping[str, str],
    overrides: Mapping[str, Any],
    source: str = "",
) -> GatewayConfig:
    """Build the configuration from an already parsed TOML ``document``; see :func:`load_config`."""
    where = source or "configuration"
    unknown = set(document) - {f.name for f in dataclasses.fields(GatewayConfig)}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{name}] must be a table")
        nested = {"subgraphs": _subgraph_traffic(table, where)} if cls is TrafficSettings else None
        sections[name] = _build(cls, name, table, environ, overrides, where, nested)
    top = {k: v for k, v in document.items() if k not in _SECTIONS}
    root: GatewayConfig = _build(GatewayConfig, "", top, environ, overrides, where, sections)
    return _profiled(root)


def _profiled(config: GatewayConfig) -> GatewayConfig:
    """The production profile's settings, whatever the layers below said: one switch for
    what a public deployment must not show."""
    if config.server.profile != "production":
        return config
    introspection = "off" if config.access.introspection == "off" else "authenticated"
    return dataclasses.replace(
        config,
        server=dataclasses.replace(config.server, graphiql=False, csrf_prevention=True),
        engine=dataclasses.replace(config.engine, expose_query_plan=False, field_suggestions=False),
        limits=dataclasses.replace(config.limits, expose_cost=False),
        access=dataclasses.replace(config.access, introspection=introspection),
    )


def _build(
    cls: type[Any],
    prefix: str,
    table: Mapping[str, Any],
    environ: Mapping[str, str],
    overrides: Mapping[str, Any],
    where: str,
    nested: Mapping[str, Any] | None = None,
) -> Any:
    values: dict[str, Any] = dict(nested or {})
    for spec in dataclasses.fields(cls):
        if spec.name in values:
            continue
        key = f"{prefix}.{spec.name}" if prefix else spec.name
        expected = _field_type(spec)
        value: Any = spec.default
        if spec.name in table:
            value = _check_type(table[spec.name], expected, f"{where}: {key}")
        env = spec.metadata.get("env")
        if env and environ.get(env) is not None:
            value = _parse_env(environ[env], expected, env)
        if overrides.get(key) is not None:
            value = _check_type(overrides[key], expected, key)
        values[spec.name] = _check_value(spec.name, value, key)
    if prefix:
        unknown = set(table) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"{where}: unknown key {prefix}.{sorted(unknown)[0]}")
    return cls(**values)


def _subgraph_traffic(table: Mapping[str, Any], where: str) -> tuple[SubgraphTraffic, ...]:
    """The ``[traffic.subgraphs.NAME]`` tables, checked like every other key."""
    subgraphs = table.get("subgraphs", {})
    if not isinstance(subgraphs, dict):
        raise ConfigError(f"{where}: [traffic.subgraphs] must hold one table per subgraph")
    found = []
    for name, overrides in subgraphs.items():
        prefix = f"traffic.subgraphs.{name}"
        if not isinstance(overrides, dict):
            raise ConfigError(f"{where}: [{prefix}] must be a table")
        unknown = set(overrides) - set(_SUBGRAPH_TRAFFIC_DOCS)
        if unknown:
            raise ConfigError(f"{where}: unknown key {prefix}.{sorted(unknown)[0]}")
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(SubgraphTraffic):
            if spec.name == "name" or spec.name not in overrides:
                continue
            expected = {"url": str, "timeout": float, "breaker_cooldown": float}.get(spec.name, int)
            if spec.name in HEADER_RULES:
                expected = tuple
            key = f"{prefix}.{spec.name}"
            value = _check_type(overrides[spec.name], expected, f"{where}: {key}")
            values[spec.name] = _check_value(spec.name, value, key)
        found.append(SubgraphTraffic(name=name, **values))
    return tuple(found)


def _field_type(spec: dataclasses.Field[Any]) -> type:
    # The annotations are strings (``from __future__ import annotations``).
    types = {"str": str, "int": int, "float": float, "bool": bool, "tuple[str, ...]": tuple}
    return types[str(spec.type)]


def _check_type(value: Any, expected: type, what: str) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is tuple:
        if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            return tuple(value)
    # bool is a subclass of int: an int field must not take true/false.
    elif type(value) is expected:
        return value
    raise ConfigError(f"{what} must be {_type_name(expected)}, not {value!r}")


def _check_value(name: str, value: Any, key: str) -> Any:
    minimum = _MINIMUMS.get(name)
    if minimum is not None and (not math.isfinite(value) or value < minimum):
        raise ConfigError(f"{key} must be at least {minimum:g}, not {value!r}")
    if name in ("actual_cost_sample", "sample_ratio") and value > 1:
        raise ConfigError(f"{key} must be at most 1, not {value!r}")
    if name == "port" and value > 65535:
        raise ConfigError(f"{key} must be at most 65535, not {value!r}")
    choices = _CHOICES.get(key, _CHOICES.get(name))
    if choices is not None and value not in choices:
        raise ConfigError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    if name == "portal" and value and not os.path.isdir(value):
        raise ConfigError(f"{key} must be a directory, not {value!r}")
    if name in HEADER_RULES:
        return tuple(_header_rule(name, entry, key) for entry in value)
    if name in ("forward_headers", "csrf_headers", "allow_headers", "expose_headers"):
        # HTTP header names are case-insensitive; the server hands them on lower-cased.
        return tuple(header.lower() for header in value)
    if name == "origins" and "*" in value:
        raise ConfigError(
            f"{key}: '*' would let every web page call the graph; list the origins, or "
            "use origin_patterns"
        )
    if name == "origin_patterns":
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ConfigError(
                    f"{key}: {pattern!r} is not a regular expression: {error}"
                ) from None
    return value


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9a-z-]+\Z")


def _header_rule(rule: str, entry: str, key: str) -> str:
    """One entry of a header rule, its names lower-cased; :class:`ConfigError` for a name
    HTTP does not allow, a missing ``=``, or a header the gateway sets itself."""
    name, separator, value = entry.partition("=")
    pair = rule in ("rename_headers", "insert_headers")
    if pair != bool(separator) or (pair and not value.strip()):
        form = '"from=to"' if rule == "rename_headers" else '"name=value"'
        raise ConfigError(f"{key}: {entry!r} must be {form if pair else 'a header name'}")
    names = [name.strip().lower()]
    if rule == "rename_headers":
        names.append(value.strip().lower())
    for header in names:
        if not _HEADER_NAME.match(header):
            raise ConfigError(f"{key}: {header!r} is not a header name")
        if header in RESERVED_HEADERS:
            raise ConfigError(f"{key}: {header!r} is set by the gateway itself")
    if rule == "rename_headers":
        return f"{names[0]}={names[1]}"
    if rule == "insert_headers":
        return f"{names[0]}={value.strip()}"
    return names[0]


def _parse_env(text: str, expected: type, name: str) -> Any:
    try:
        if expected is bool:
            lowered = text.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        if expected is int:
            return int(text)
        if expected is float:
            return float(text)
        if expected is tuple:
            return tuple(item.strip() for item in text.split(",") if item.strip())
    except ValueError:
        raise ConfigError(
            f"environment variable {name} must be {_type_name(expected)}, not {text!r}"
        ) from None
    return text


def _type_name(expected: type) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        tuple: "a list of strings",
    }
    return names[expected]


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error


def config_document(config: GatewayConfig) -> dict[str, Any]:
    """``config`` as the document :func:`config_from_mapping` reads back (the TOML file's
    shape), for handing a resolved configuration to worker processes."""
    document = dataclasses.asdict(config)
    document["traffic"]["subgraphs"] = {
        own.name: {
            key: value
            for key in _SUBGRAPH_TRAFFIC_DOCS
            if (value := getattr(own, key)) is not None and value != ""
        }
        for own in config.traffic.subgraphs
    }
    return document


def render_toml(config: GatewayConfig) -> str:
    """Print ``config`` as a TOML file, each key with its doc and environment variable."""
    lines = ["# Simpul gateway configuration (simpul gateway --config FILE)."]
    lines += _render_fields(config)
    for name in _SECTIONS:
        lines += ["", f"[{name}]"]
        lines += _render_fields(getattr(config, name))
    return "\n".join(lines) + "\n"


def _render_fields(section: Any) -> list[str]:
    lines: list[str] = []
    tables: list[str] = []
    for spec in dataclasses.fields(section):
        if spec.name in _SECTIONS:
            continue
        if spec.metadata.get("table"):
            tables += _render_subgraph_traffic(getattr(section, spec.name))
            continue
        lines.append(f"# {spec.metadata['doc']}")
        lines.append(f"# env: {spec.metadata['env']}")
        lines.append(f"{spec.name} = {_toml_value(getattr(section, spec.name))}")
    return lines + tables


def _render_subgraph_traffic(subgraphs: tuple[SubgraphTraffic, ...]) -> list[str]:
    lines: list[str] = []
    for subgraph in subgraphs:
        lines += ["", f"[traffic.subgraphs.{subgraph.name}]"]
        for key, doc in _SUBGRAPH_TRAFFIC_DOCS.items():
            value = getattr(subgraph, key)
            if value is not None and value != "":
                lines += [f"# {doc}", f"{key} = {_toml_value(value)}"]
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | tuple):
        # JSON strings and arrays of strings are valid TOML.
        return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
    return repr(value)
