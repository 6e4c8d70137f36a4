"""Wiring one gateway from its configuration: engine settings, transport, engine, app."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import importlib
import os
from collections.abc import Mapping

import orjson
from starlette.applications import Starlette

from .access import AccessOptions
from .access.call_token import CallKeyError, CallSigner, read_key_file
from .access.grants import ApiKeys, Grants, GrantsError
from .access.identity import Authenticator, JwtSettings, PolicyHook
from .access.limits import MemoryLimiter, RateLimiter, RedisLimiter
from .audit import AuditTrail
from .audit.trail import AuditSetupError, open_trail
from .cache import CacheStore, MemoryCacheStore, RedisCacheStore, SubgraphCache
from .config import (
    AccessSettings,
    AuditSettings,
    CacheSettings,
    ConfigError,
    DocumentSettings,
    EngineSettings,
    GatewayConfig,
    SubgraphTraffic,
    TrafficSettings,
    config_from_mapping,
)
from .engine import Engine
from .persisted import (
    ApqStore,
    ManifestError,
    MemoryApqStore,
    PersistedDocuments,
    RedisApqStore,
    load_manifest,
)
from .reload import read_supergraph
from .secrets import SecretNotConfigured, secret_from_environment
from .server import ExecutesGraphQL, create_app
from .server.connections import install as install_connection_limits
from .supergraph import load_supergraph
from .supergraph.model import Supergraph
from .tracing import Tracing
from .traffic import HeaderRules, Traffic, TrafficPolicy
from .transport import Transport
from .transport.pooled import PooledTransport

__all__ = [
    "RESOLVED_CONFIG_ENV",
    "access_options",
    "audit_trail",
    "build_engine",
    "call_signer",
    "persisted_documents",
    "settle_heap",
    "traffic",
    "worker_app",
]

RESOLVED_CONFIG_ENV = "SIMPUL_RESOLVED_CONFIG"
"""Carries the parent's resolved configuration (JSON) to uvicorn's worker processes."""


def build_engine(config: GatewayConfig, transport: Transport | None = None) -> Engine:
    """Load ``config.supergraph`` into an engine; raises ``SupergraphError`` when invalid
    and :class:`ConfigError` when the access settings cannot be used."""
    # a bad supergraph is told first
    supergraph = load_supergraph(read_supergraph(config.supergraph))
    access = access_options(config.access)
    persisted = persisted_documents(config.documents)
    return Engine(
        supergraph,
        transport or PooledTransport(),
        config.engine,
        access,
        config.limits,
        persisted,
        audit_trail(config.audit),
        traffic(supergraph, config.engine, config.traffic),
        tracing=Tracing.from_settings(config.telemetry),
        cache=subgraph_cache(config.cache),
    )


def subgraph_cache(settings: CacheSettings) -> SubgraphCache | None:
    """The cache of subgraph answers the ``[cache]`` section describes; ``None`` when off."""
    if not settings.enabled:
        return None
    store: CacheStore = (
        RedisCacheStore(settings.redis_url)
        if settings.redis_url
        else MemoryCacheStore(settings.max_bytes)
    )
    return SubgraphCache(store, settings.prefix)


def traffic(supergraph: Supergraph, engine: EngineSettings, settings: TrafficSettings) -> Traffic:
    """Every subgraph's traffic policy: ``[traffic]`` with the timeout of ``[engine]``,
    and each ``[traffic.subgraphs.NAME]`` over it; :class:`ConfigError` for a table naming
    no subgraph of the supergraph (a typo would otherwise leave the policy unapplied)."""
    default = TrafficPolicy(
        timeout=engine.subgraph_timeout,
        retries=settings.retries,
        backoff=settings.retry_backoff,
        max_backoff=settings.retry_max_backoff,
        breaker_failures=settings.breaker_failures,
        breaker_cooldown=settings.breaker_cooldown,
        max_concurrent=settings.max_concurrent,
        headers=header_rules((settings,), "traffic"),
    )
    overrides: dict[str, TrafficPolicy] = {}
    for own in settings.subgraphs:
        if own.name not in supergraph.subgraphs:
            known = ", ".join(sorted(supergraph.subgraphs))
            raise ConfigError(
                f"[traffic.subgraphs.{own.name}]: the supergraph has no subgraph "
                f"{own.name!r} (it has {known})"
            )
        changes = {
            key: value
            for key in (
                "url",
                "timeout",
                "retries",
                "breaker_failures",
                "breaker_cooldown",
                "max_concurrent",
            )
            if (value := getattr(own, key)) is not None and value != ""
        }
        changes["headers"] = header_rules((settings, own), f"traffic.subgraphs.{own.name}")
        overrides[own.name] = dataclasses.replace(default, **changes)
    return Traffic(default, overrides, settings.request_timeout)


def header_rules(
    tables: tuple[TrafficSettings | SubgraphTraffic, ...],
    where: str,
    environ: Mapping[str, str] | None = None,
) -> HeaderRules:
    """The header rules of ``tables`` (``[traffic]``, then a subgraph's own adding to it),
    an inserted ``env:VAR`` value read from the environment (:mod:`gateway.secrets`)."""
    inserted: dict[str, str] = {}
    for table in tables:
        for entry in table.insert_headers:
            name, _, value = entry.partition("=")
            if value.startswith("env:"):
                variable = value.removeprefix("env:")
                try:
                    value = secret_from_environment(
                        variable, f"the {name} header of [{where}]", environ
                    )
                except SecretNotConfigured as error:
                    raise ConfigError(f"[{where}] insert_headers: {error}") from None
            inserted[name] = value
    return HeaderRules(
        propagate=tuple(name for table in tables for name in table.propagate_headers),
        rename=tuple(
            (source, target)
            for table in tables
            for source, _, target in (entry.partition("=") for entry in table.rename_headers)
        ),
        insert=tuple(inserted.items()),
        remove=frozenset(name for table in tables for name in table.remove_headers),
    )


def audit_trail(settings: AuditSettings) -> AuditTrail | None:
    """The access log the ``[audit]`` section describes; ``None`` without a store."""
    if not settings.store:
        return None
    if settings.retention_days and not settings.archive:
        raise ConfigError(
            "audit.retention_days is set, so audit.archive must be too: chains past "
            "retention are moved to the archive, never deleted"
        )
    try:
        return open_trail(
            settings.store,
            replica=settings.replica,
            seal_key_file=settings.seal_key_file,
            subject_key_file=settings.subject_key_file,
            seal_every=settings.seal_every,
            seal_interval=settings.seal_interval,
            rotate_interval=settings.rotate_interval,
        )
    except AuditSetupError as error:
        raise ConfigError(f"audit.{error}") from None


def persisted_documents(settings: DocumentSettings) -> PersistedDocuments:
    """The trusted documents and APQ store the ``[documents]`` section describes."""
    if settings.mode.startswith("safelist") and not settings.manifest:
        raise ConfigError(
            f"documents.mode = {settings.mode!r} runs only the manifest's documents: set "
            "documents.manifest (SIMPUL_DOCUMENTS_MANIFEST) to the manifest file"
        )
    try:
        manifest = load_manifest(settings.manifest) if settings.manifest else {}
    except ManifestError as error:
        raise ConfigError(f"documents.manifest: {error}") from None
    store: ApqStore = (
        RedisApqStore(settings.redis_url)
        if settings.redis_url
        else MemoryApqStore(settings.apq_max_bytes)
    )
    return PersistedDocuments(settings.mode, manifest, store)


def access_options(settings: AccessSettings) -> AccessOptions:
    """The access options the ``[access]`` section describes, its files read and checked."""
    try:
        grants = Grants.from_file(settings.grants_file) if settings.grants_file else None
        api_keys = ApiKeys.from_file(settings.api_keys_file) if settings.api_keys_file else None
    except GrantsError as error:
        raise ConfigError(str(error)) from None
    jwt_settings = None
    if settings.jwks_url:
        missing = [k for k in ("jwt_issuer", "jwt_audience") if not getattr(settings, k)]
        if missing:
            raise ConfigError(
                f"access.jwks_url is set, so access.{missing[0]} must be too: tokens are "
                "checked for the issuer and audience the city's identity provider gives them"
            )
        jwt_settings = JwtSettings(
            jwks_url=settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=settings.jwt_algorithms,
            leeway=settings.jwt_leeway,
            client_claim=settings.jwt_client_claim,
        )
    authenticator = Authenticator(
        grants=grants,
        api_keys=api_keys,
        jwt_settings=jwt_settings,
        anonymous=settings.anonymous,
        api_key_header=settings.api_key_header,
        officer_header=settings.officer_header,
        purpose_header=settings.purpose_header,
        policy_hook=_policy_hook(settings.policy_hook) if settings.policy_hook else None,
    )
    limiter: RateLimiter = (
        RedisLimiter(settings.redis_url) if settings.redis_url else MemoryLimiter()
    )
    return AccessOptions(
        authenticator=authenticator,
        limiter=limiter,
        mode=settings.mode,
        introspection=settings.introspection,
        personal_rate_per_minute=settings.personal_rate_per_minute,
        public=settings.public,
        signer=call_signer(settings),
    )


def call_signer(settings: AccessSettings, required: bool = True) -> CallSigner | None:
    """The signer of subgraph calls the settings configure; ``None`` when calls go unsigned
    (or, unless ``required``, when no key is configured: how ``simpul compose`` fetches)."""
    if settings.call_signing == "none" or (not required and not settings.call_key_file):
        return None
    if not settings.call_key_file:
        raise ConfigError(
            "access.call_key_file (SIMPUL_CALL_KEY_FILE) is not set: subgraphs accept only "
            "calls the gateway signs. Make a key with `simpul keys generate --out FILE`, or "
            'set access.call_signing = "none" (SIMPUL_CALL_SIGNING=none) to call subgraphs '
            "unsigned, in development only"
        )
    try:
        text = read_key_file(settings.call_key_file)
        return CallSigner.from_key_text(settings.call_signing, text, settings.call_token_ttl)
    except CallKeyError as error:
        raise ConfigError(f"access.call_key_file: {error}") from None


def _policy_hook(reference: str) -> PolicyHook:
    module_name, _, function_name = reference.partition(":")
    try:
        hook = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise ConfigError(f"access.policy_hook: cannot load {reference!r}: {error}") from None
    if not callable(hook):
        raise ConfigError(f"access.policy_hook: {reference!r} is not a function")
    return hook  # type: ignore[no-any-return]


def settle_heap() -> None:
    """Keep the cyclic garbage collector off the long-lived heap, once an engine is loaded.

    A request allocates thousands of short-lived dicts and lists (subgraph answers, the
    merged tree, the response); with the default thresholds the collector runs every few
    hundred allocations and its older generations re-walk the supergraph, the API schema and
    the caches each time, about a tenth of a request's CPU. Frozen objects are never walked
    again (they are still freed by reference counting), and a larger first threshold lets
    most request garbage go by reference counting before a collection starts.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def worker_app() -> Starlette:
    """The app of one uvicorn worker process, configured by :data:`RESOLVED_CONFIG_ENV`.

    The parent process has already validated the supergraph; the worker loads it in the
    background, so it reports not ready until then.
    """
    config = config_from_mapping(orjson.loads(os.environ[RESOLVED_CONFIG_ENV]), {}, {})
    install_connection_limits(config.server)

    async def load() -> ExecutesGraphQL:
        engine = await asyncio.to_thread(build_engine, config)
        settle_heap()
        return engine

    return create_app(load, config)
