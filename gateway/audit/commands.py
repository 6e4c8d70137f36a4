"""The ``simpul audit`` commands: keys, verification, a subject's history, retention.

::

    simpul audit key seal --out FILE [--public FILE]   a new seal key (0600); its public key
                                                       appended to FILE
    simpul audit key subject --out FILE                a new subject key (0600)
    simpul audit verify [--config F] [--chain GLOB]    check the log (and its archive)
    simpul audit subject NIK [--config F] [--refused] [--json]
                                                       every processing of one person's data
    simpul audit archive [--config F] [--before TIME]  move chains past retention to the archive

The store, the archive and the keys come from the gateway's configuration (``[audit]`` in
``--config``, or the ``SIMPUL_AUDIT_*`` environment variables).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..access.call_token import CallKeyError, generate_ed25519_key, read_key_file
from ..access.keys import write_new_key_file
from ..config import AuditSettings, ConfigError, load_config
from .entries import subject_hash
from .history import subject_history
from .records import Sealer, load_seal_keys
from .retention import archive
from .stores import open_store, reading
from .trail import SUBJECT_KEY_BYTES, SubjectKeyError, parse_subject_key
from .verify import verify

__all__ = ["add_audit_commands"]


def add_audit_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``simpul audit ...`` to the command line."""
    audit = commands.add_parser(
        "audit",
        help="the access log of personal-data processing",
        description="Make the access log's keys, verify it, answer a data subject's request "
        "and archive chains past retention.",
    )
    sub = audit.add_subparsers(title="commands", required=True, metavar="COMMAND")

    key = sub.add_parser("key", help="make a seal key or a subject key")
    kinds = key.add_subparsers(title="keys", required=True, metavar="KIND")
    seal = kinds.add_parser("seal", help="a new Ed25519 seal key (mode 600)")
    seal.add_argument("--out", required=True, metavar="FILE")
    seal.add_argument(
        "--public", metavar="FILE", help="append its public key to this seal public keys file"
    )
    seal.set_defaults(command=_run_key_seal)
    subject = kinds.add_parser("subject", help="a new subject key (mode 600)")
    subject.add_argument("--out", required=True, metavar="FILE")
    subject.set_defaults(command=_run_key_subject)

    check = sub.add_parser("verify", help="check the log and its archive; exit 1 on a problem")
    _config_flag(check)
    check.add_argument("--chain", metavar="GLOB", help="only the chains matching, e.g. gw-0.*")
    check.set_defaults(command=_run_verify)

    history = sub.add_parser("subject", help="every processing of one data subject's personal data")
    history.add_argument("nik", metavar="NIK", help="the subject's NIK; - reads it from stdin")
    _config_flag(history)
    history.add_argument("--refused", action="store_true", help="list refused attempts too")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(command=_run_subject)

    move = sub.add_parser("archive", help="move whole chains past retention to the archive")
    _config_flag(move)
    move.add_argument(
        "--before", metavar="TIME", help="ISO time; default: now minus audit.retention_days"
    )
    move.set_defaults(command=_run_archive)


def _config_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="the gateway's TOML configuration")


def _run_key_seal(args: argparse.Namespace) -> int:
    text = generate_ed25519_key()
    problem = write_new_key_file(args.out, text)
    if problem:
        return _fail(problem)
    sealer = Sealer.from_pem(text)
    if args.public:
        with open(args.public, "a", encoding="ascii") as handle:
            handle.write(sealer.public_pem())
    print(f"wrote a new seal key {sealer.key_id} to {args.out} (mode 600)")
    if args.public:
        print(f"appended its public key to {args.public}: keep every retired key there too")
    else:
        print(sealer.public_pem(), end="")
    return 0


def _run_key_subject(args: argparse.Namespace) -> int:
    text = base64.b64encode(os.urandom(SUBJECT_KEY_BYTES)).decode("ascii")
    problem = write_new_key_file(args.out, text)
    if problem:
        return _fail(problem)
    print(f"wrote a new subject key to {args.out} (mode 600); every writer of one log shares it")
    return 0


def _run_verify(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        keys = _public_keys(settings)
    except ConfigError as error:
        return _fail(str(error))

    async def run() -> int:
        async with reading(settings.store, settings.archive) as stores:
            report = await verify(stores, keys, args.chain)
        print(
            f"{report.chains} chains, {report.entries} entries, {report.seals} seals"
            f" ({report.unsealed} entries after the last seal of their chain)"
        )
        for problem in report.problems:
            print(f"PROBLEM {problem}")
        if report.ok:
            print("the log is intact")
            return 0
        return 1

    return asyncio.run(run())


def _run_subject(args: argparse.Namespace) -> int:
    nik = sys.stdin.readline() if args.nik == "-" else args.nik
    nik = nik.strip()
    try:
        settings = _settings(args)
        if not settings.subject_key_file:
            raise ConfigError("audit.subject_key_file is not set: subjects cannot be named")
        key = parse_subject_key(read_key_file(settings.subject_key_file))
    except (ConfigError, CallKeyError, SubjectKeyError) as error:
        return _fail(str(error))
    subject = subject_hash(key, nik)

    async def run() -> int:
        async with reading(settings.store, settings.archive) as stores:
            history = await subject_history(stores, subject, refused=args.refused)
        if args.json:
            rows = [
                {**p.entry.body(), "record": {"chain": p.chain, "seq": p.seq, "hash": p.hash}}
                for p in history
            ]
            sys.stdout.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
            return 0
        print(f"data subject {subject[:16]}: {len(history)} processing(s) on record")
        for p in history:
            entry = p.entry
            fields = ", ".join(f.field for f in entry.fields) or "-"
            refused = ", ".join(f"{r.field} ({r.code})" for r in entry.refused)
            print(f"{entry.time}  {entry.outcome:<8}  by {entry.source}")
            print(f"    application: {entry.client or 'anonymous'}")
            print(f"    officer:     {entry.officer or '-'}")
            print(f"    purpose:     {entry.purpose or '-'}")
            print(f"    legal basis: {'; '.join(entry.legal_basis) or '-'}")
            print(f"    fields:      {fields}")
            if refused:
                print(f"    refused:     {refused}")
            for name, value in sorted(entry.detail.items()):
                print(f"    {name + ':':<13}{value}")
            print(f"    request {entry.request}, record {p.chain} #{p.seq}")
        return 0

    return asyncio.run(run())


def _run_archive(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        keys = _public_keys(settings)
        if not settings.archive:
            raise ConfigError("audit.archive is not set: there is nowhere to move chains to")
        if args.before:
            cutoff = datetime.fromisoformat(args.before.replace("Z", "+00:00"))
            if cutoff.tzinfo is None:
                cutoff = cutoff.replace(tzinfo=UTC)
        elif settings.retention_days:
            cutoff = datetime.now(UTC) - timedelta(days=settings.retention_days)
        else:
            raise ConfigError("audit.retention_days is 0 (keep everything) and no --before given")
    except ValueError as error:
        return _fail(f"--before: {error}")
    except ConfigError as error:
        return _fail(str(error))

    async def run() -> int:
        store, destination = open_store(settings.store), open_store(settings.archive)
        try:
            done = await archive(store, destination, cutoff, keys)
        finally:
            await store.close()
            await destination.close()
        print(f"moved {len(done.moved)} chain(s) to {settings.archive}")
        for name in done.moved:
            print(f"  {name}")
        for name in done.kept_with_problems:
            print(f"KEPT {name}: it does not verify (simpul audit verify --chain {name})")
        return 1 if done.kept_with_problems else 0

    return asyncio.run(run())


def _settings(args: argparse.Namespace) -> AuditSettings:
    settings = load_config(args.config, os.environ).audit
    if not settings.store:
        raise ConfigError(
            "audit.store is not set: pass --config with an [audit] section, or set "
            "SIMPUL_AUDIT_STORE"
        )
    return settings


def _public_keys(settings: AuditSettings) -> Mapping[str, Ed25519PublicKey]:
    """The seal keys verification accepts: the public keys file, and the seal key's own."""
    keys: dict[str, Ed25519PublicKey] = {}
    try:
        if settings.seal_public_keys:
            with open(settings.seal_public_keys, encoding="ascii") as handle:
                keys.update(load_seal_keys(handle.read()))
        if settings.seal_key_file and os.access(settings.seal_key_file, os.R_OK):
            private = Sealer.from_pem(read_key_file(settings.seal_key_file))
            keys[private.key_id] = _public_of(private)
    except (OSError, ValueError, CallKeyError) as error:
        raise ConfigError(f"audit seal keys: {error}") from None
    if not keys:
        raise ConfigError(
            "no seal public keys: set audit.seal_public_keys (SIMPUL_AUDIT_SEAL_PUBLIC_KEYS)"
        )
    return keys


def _public_of(sealer: Sealer) -> Ed25519PublicKey:
    return next(iter(load_seal_keys(sealer.public_pem()).values()))


def _fail(message: str) -> int:
    print(f"simpul audit: {message}", file=sys.stderr)
    return 1
