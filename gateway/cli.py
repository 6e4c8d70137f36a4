"""The ``simpul`` command.

::

    simpul gateway --supergraph PATH [--host 127.0.0.1] [--port 4000] [--config FILE]
                   [--workers N] [--log-level LEVEL]
    simpul config [--config FILE] [--supergraph PATH] ...   print the effective configuration
    simpul compose [--config schema/subgraphs.toml] [--subgraph NAME=URL_OR_SDL_FILE ...]
                   [-o OUT] [--api-schema OUT]              compose subgraphs into a supergraph
    simpul check [--subgraph NAME=URL_OR_SDL_FILE ...] [--config FILE] [--against SUPERGRAPH]
                 [--operations DIR] [--format text|json]  what a subgraph change does to clients
    simpul keys generate|subgraph|api-key ...             call-signing keys and API keys
    simpul documents manifest DIR [-o OUT] [--check]     the trusted documents of a folder
    simpul cache invalidate --subgraph NAME [--type T] [--key JSON] [--config FILE]
                                                          drop cached answers (in Redis)

Each subcommand is one argparse subparser and one ``_run_<name>`` function. Exit status:
0 done, 1 the configuration or the supergraph cannot be used, 2 wrong usage. ``check`` has
its own: 0 safe (dangerous changes are warnings), 1 breaking, 2 composition failed or an
input cannot be read.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson
import uvicorn
from uvicorn.config import LOGGING_CONFIG

from . import __version__
from .access.call_token import CallSigner
from .access.keys import add_keys_commands
from .audit.commands import add_audit_commands
from .config import ConfigError, GatewayConfig, config_document, load_config, render_toml

__all__ = ["main"]

Command = Callable[[argparse.Namespace], int]

# What `simpul check` compares with when run from a checkout of the city graph.
_CHECK_CONFIG = "schema/subgraphs.toml"
_CHECK_AGAINST = "schema/supergraph.graphql"


if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gateway's commands with ``argv`` (default: the process arguments); return
    the exit status. ``simpul`` (:mod:`simpul.cli`) adds the subgraphs' commands."""
    return run(argv)


def run(argv: Sequence[str] | None, *more: Callable[[Commands], None]) -> int:
    """Run ``simpul`` with the gateway's commands and those ``more`` adds."""
    parser, commands = _parser()
    for add in more:
        add(commands)
    args = parser.parse_args(argv)
    command: Command = args.command
    return command(args)


def _parser() -> tuple[argparse.ArgumentParser, Commands]:
    parser = argparse.ArgumentParser(
        prog="simpul", description="Simpul: a GraphQL federation gateway (Apollo Federation v2)."
    )
    parser.add_argument("--version", action="version", version=f"simpul {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    gateway = commands.add_parser(
        "gateway", help="serve a supergraph", description="Serve a supergraph over HTTP."
    )
    _add_config_flags(gateway)
    gateway.set_defaults(command=_run_gateway)

    config = commands.add_parser(
        "config",
        help="print the effective configuration",
        description="Print the configuration the gateway would run with, as TOML.",
    )
    _add_config_flags(config)
    config.set_defaults(command=_run_config)

    compose = commands.add_parser(
        "compose",
        help="compose subgraphs into a supergraph",
        description="Compose subgraph SDLs (files, or fetched from running subgraphs) into a "
        "supergraph SDL; on failure, list every composition error and exit 1.",
    )
    compose.add_argument(
        "--config", metavar="FILE", help="TOML file listing the subgraphs ([subgraphs.NAME])"
    )
    compose.add_argument(
        "--subgraph",
        metavar="NAME=URL_OR_SDL_FILE",
        action="append",
        default=[],
        help="a subgraph to add, or whose SDL replaces the configured one (repeatable)",
    )
    compose.add_argument("-o", "--output", metavar="OUT", help="write the supergraph here")
    compose.add_argument(
        "--api-schema",
        metavar="OUT",
        help="also write the client-facing API schema (for frontend codegen) here",
    )
    compose.set_defaults(command=_run_compose)

    check = commands.add_parser(
        "check",
        help="check what a subgraph change does to the graph's clients",
        description="Compose the proposed subgraph SDLs with the others, list the changes to "
        "the client-facing API schema as breaking, dangerous or safe, and name the client "
        "operations the change breaks. Exit 0 safe (dangerous changes are warnings), "
        "1 breaking, 2 composition failed or an input cannot be read.",
    )
    check.add_argument(
        "--subgraph",
        metavar="NAME=URL_OR_SDL_FILE",
        action="append",
        default=[],
        help="the proposed SDL of a subgraph, added or replacing the configured one (repeatable)",
    )
    check.add_argument(
        "--config",
        metavar="FILE",
        help=f"TOML file listing the other subgraphs (default {_CHECK_CONFIG} when it exists)",
    )
    check.add_argument(
        "--against",
        metavar="SUPERGRAPH",
        help=f"the current supergraph (default {_CHECK_AGAINST} when it exists and --config "
        "is not given; otherwise the configured subgraphs, composed unmodified)",
    )
    check.add_argument(
        "--operations",
        metavar="DIR",
        help="folder of client .graphql documents (searched recursively) to validate",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.set_defaults(command=_run_check)

    add_keys_commands(commands)
    add_audit_commands(commands)

    documents = commands.add_parser(
        "documents", help="trusted documents", description="Trusted documents (safelisting)."
    )
    documents_commands = documents.add_subparsers(
        title="commands", required=True, metavar="COMMAND"
    )
    manifest = documents_commands.add_parser(
        "manifest",
        help="write the manifest of a folder of .graphql operations, or check it is current",
        description="Write the persisted-query manifest (Apollo's format) of the .graphql files "
        "under DIR, one named operation each; with --check, write nothing and exit 1 when "
        "OUT differs.",
    )
    manifest.add_argument("folder", metavar="DIR", help="e.g. portal/operations")
    manifest.add_argument(
        "-o", "--output", metavar="OUT", help="e.g. portal/persisted-documents.json"
    )
    manifest.add_argument("--check", action="store_true", help="only compare with OUT")
    manifest.set_defaults(command=_run_documents_manifest)

    cache = commands.add_parser(
        "cache", help="the cache of subgraph answers", description="The cache of answers."
    )
    cache_commands = cache.add_subparsers(title="commands", required=True, metavar="COMMAND")
    invalidate = cache_commands.add_parser(
        "invalidate",
        help="drop a subgraph's cached answers from the Redis the configuration names",
        description="Drop cached answers of a subgraph (all, of one type, or one entity) from "
        "cache.redis_url, which every replica shares. A cache in each gateway's memory is "
        "dropped through POST /cache/invalidate instead.",
    )
    invalidate.add_argument("--subgraph", required=True, metavar="NAME", help="e.g. dukcapil")
    invalidate.add_argument("--type", metavar="T", help="e.g. Kelurahan; Query: root answers")
    invalidate.add_argument(
        "--key", metavar="JSON", help='one entity\'s key fields, e.g. \'{"kode": "1"}\''
    )
    invalidate.add_argument("--config", metavar="FILE", help="TOML configuration file")
    invalidate.set_defaults(command=_run_cache_invalidate)
    return parser, commands


def _run_cache_invalidate(args: argparse.Namespace) -> int:
    import asyncio

    from redis.exceptions import RedisError

    from .cache import RedisCacheStore, SubgraphCache
    from .cache.invalidation import InvalidationError, parse_invalidation

    try:
        settings = load_config(args.config, os.environ).cache
        invalidation = parse_invalidation(args.subgraph, args.type, args.key)
    except (ConfigError, InvalidationError) as error:
        return _fail(str(error), 2 if isinstance(error, InvalidationError) else 1)
    if not settings.redis_url:
        return _fail(
            "cache.redis_url is not set: each gateway keeps its cache in memory; drop "
            "entries there with POST /cache/invalidate (cache.invalidate_key_file)"
        )
    cache = SubgraphCache(RedisCacheStore(settings.redis_url), settings.prefix)

    async def run() -> int:
        try:
            return await invalidation.apply(cache)
        finally:
            await cache.close()

    try:
        removed = asyncio.run(run())
    except (RedisError, OSError) as error:
        return _fail(f"cache.redis_url cannot be reached: {error}")
    print(f"removed {removed} cached answers of {args.subgraph}")
    return 0


def _run_documents_manifest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .persisted import ManifestError, build_manifest

    try:
        manifest = build_manifest(Path(args.folder))
    except ManifestError as error:
        return _fail(str(error))
    text = orjson.dumps(manifest, option=orjson.OPT_INDENT_2).decode() + "\n"
    if args.check:
        if not args.output:
            return _fail("--check needs -o OUT, the manifest to compare", 2)
        try:
            current = Path(args.output).read_text(encoding="utf-8")
        except OSError as error:
            return _fail(f"cannot read {args.output}: {error.strerror}")
        if current != text:
            return _fail(f"{args.output} is out of date: run without --check to write it")
        return 0
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    # Flags default to None so that an absent flag leaves the file's and env's values.
    parser.add_argument("--supergraph", metavar="PATH", help="supergraph SDL file to serve")
    parser.add_argument("--config", metavar="FILE", help="TOML configuration file")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port to listen on (default 4000)")
    parser.add_argument("--workers", type=int, metavar="N", help="worker processes (default 1)")
    parser.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="log level (default info)",
    )


def _config(args: argparse.Namespace) -> GatewayConfig:
    return load_config(
        args.config,
        os.environ,
        {
            "supergraph": args.supergraph,
            "server.host": args.host,
            "server.port": args.port,
            "server.workers": args.workers,
            "server.log_level": args.log_level,
        },
    )


def _fetch_signer() -> CallSigner | None:
    """How ``compose`` and ``check`` sign their ``_service { sdl }`` fetches: with the
    gateway's key when ``SIMPUL_CALL_KEY_FILE`` names it (subgraphs serve only signed
    calls), else unsigned."""
    from .bootstrap import call_signer

    return call_signer(load_config(None, os.environ, {}).access, required=False)


def _fail(message: str, status: int = 1) -> int:
    print(f"simpul: {message}", file=sys.stderr)
    return status


def _run_config(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
    except ConfigError as error:
        return _fail(str(error))
    sys.stdout.write(render_toml(config))
    return 0


def _run_gateway(args: argparse.Namespace) -> int:
    # Imported here so that `simpul config` and `--help` stay fast.
    from .bootstrap import RESOLVED_CONFIG_ENV, build_engine, settle_heap
    from .server import create_app
    from .server.connections import GuardedHttpToolsProtocol
    from .server.connections import install as install_connection_limits
    from .server.log_format import with_format
    from .server.workers import serve
    from .supergraph import SupergraphError

    try:
        config = _config(args)
    except ConfigError as error:
        return _fail(str(error))
    if not config.supergraph:
        return _fail("no supergraph: pass --supergraph PATH or set SIMPUL_SUPERGRAPH")
    try:
        # Loading first means a bad supergraph stops the command before it listens.
        engine = build_engine(config)
    except SupergraphError as error:
        return _fail(f"{config.supergraph}: {error}")
    except ConfigError as error:
        return _fail(str(error))
    settle_heap()

    server = config.server
    options: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "log_level": server.log_level,
        "log_config": with_format(_log_config(server.log_level), server.log_format),
        "loop": "auto",  # uvloop when installed
        # httptools, with deadlines for slow clients and a cap per client address
        "http": GuardedHttpToolsProtocol,
        "limit_concurrency": server.max_connections,
        "server_header": False,
    }
    install_connection_limits(server)
    if server.workers == 1:
        app = uvicorn.Config(create_app(engine, config), **options)
    else:
        # Each worker process imports the app and loads the supergraph itself.
        os.environ[RESOLVED_CONFIG_ENV] = orjson.dumps(config_document(config)).decode()
        app = uvicorn.Config("gateway.bootstrap:worker_app", factory=True, **options)
    return serve(app, server.workers, server.drain_seconds)


def _run_compose(args: argparse.Namespace) -> int:
    from .compose import CompositionFailed, compose
    from .compose.sources import SourceError, load_sdls, read_sources, with_flags
    from .supergraph import SupergraphError

    try:
        sources = read_sources(args.config) if args.config else []
        sources = with_flags(sources, args.subgraph)
        if not sources:
            return _fail("no subgraphs: pass --config FILE or --subgraph NAME=URL_OR_SDL_FILE")
        sdl = compose(load_sdls(sources, signer=_fetch_signer()))
    except SourceError as error:
        return _fail(str(error))
    except CompositionFailed as failure:
        for problem in failure.errors:
            print(problem, file=sys.stderr)
        count = len(failure.errors)
        return _fail(f"composition failed with {count} error{'s' if count > 1 else ''}")
    except SupergraphError as error:
        # The composer checks its output with the gateway's loader: this is a composer bug.
        return _fail(f"the composed supergraph does not load, please report it: {error}")
    if args.output:
        _write(args.output, sdl)
    else:
        sys.stdout.write(sdl)
    if args.api_schema:
        from .api_schema import build_api_schema, print_api_schema
        from .supergraph import load_supergraph

        _write(args.api_schema, print_api_schema(build_api_schema(load_supergraph(sdl))))
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from .check import (
        CheckInputError,
        OperationsError,
        check,
        current_composed_api_schema,
        load_operations,
        supergraph_api_schema,
    )
    from .check.report import render_json, render_text
    from .compose.sources import SourceError, load_sdls, read_sources, with_flags
    from .supergraph import SupergraphError

    config = args.config or (_CHECK_CONFIG if os.path.exists(_CHECK_CONFIG) else None)
    against = args.against
    if against is None and args.config is None and os.path.exists(_CHECK_AGAINST):
        # An explicit --config names another graph than the one the default file holds.
        against = _CHECK_AGAINST
    try:
        configured = read_sources(config) if config else []
        proposed = with_flags(configured, args.subgraph)
        if not proposed:
            return _fail("no subgraphs: pass --config FILE or --subgraph NAME=URL_OR_SDL_FILE", 2)
        if against is not None:
            current = supergraph_api_schema(against)
        elif configured:
            current = current_composed_api_schema(load_sdls(configured, signer=_fetch_signer()))
        else:
            return _fail("nothing to compare with: pass --against SUPERGRAPH or --config FILE", 2)
        operations = load_operations(args.operations) if args.operations else ()
        result = check(current, load_sdls(proposed, signer=_fetch_signer()), operations)
    except (SourceError, CheckInputError, OperationsError) as error:
        return _fail(str(error), 2)
    except SupergraphError as error:
        # The composer checks its output with the gateway's loader: this is a composer bug.
        return _fail(f"the composed supergraph does not load, please report it: {error}", 2)
    sys.stdout.write(render_json(result) if args.format == "json" else render_text(result))
    return result.exit_code


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _log_config(level: str) -> dict[str, Any]:
    # uvicorn's logging setup, with the gateway's own loggers on the same handler.
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    python_level = "DEBUG" if level == "trace" else level.upper()
    config["loggers"]["gateway"] = {
        "handlers": ["default"],
        "level": python_level,
        "propagate": False,
    }
    # a GET query's variables are in its URL: the access line must not quote them
    config.setdefault("filters", {})["no_query"] = {
        "()": "gateway.server.log_privacy.WithoutQueryString"
    }
    config["handlers"]["access"]["filters"] = ["no_query"]
    return config


if __name__ == "__main__":
    sys.exit(main())
