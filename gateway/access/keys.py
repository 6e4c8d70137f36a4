"""Making and handing out keys: the ``simpul keys`` commands.

::

    simpul keys generate [--method hmac|ed25519] --out FILE    a new call-signing key (0600)
    simpul keys subgraph --key-file FILE [--method M] NAME     what subgraph NAME verifies with
                                                               (SIMPUL_CALL_KEY, or the public
                                                               key for ed25519)
    simpul keys api-key --client NAME                          a new API key and its entry

A key file is written only if it does not exist yet, readable by its owner alone.
"""

from __future__ import annotations

import argparse
import os
import sys

from .call_token import (
    CallKeyError,
    CallSigner,
    generate_ed25519_key,
    generate_master_key,
    read_key_file,
)
from .grants import CLIENT_NAME, generate_api_key, hash_api_key

__all__ = ["add_keys_commands", "write_secret_file"]


def write_secret_file(path: str, text: str) -> None:
    """Create ``path`` holding ``text``, mode 0600; refuses to replace an existing file."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")


def write_new_key_file(path: str, text: str) -> str | None:
    """:func:`write_secret_file`, for a command: why the key could not be written, or
    ``None``."""
    try:
        write_secret_file(path, text)
    except FileExistsError:
        return f"{path} exists already; keys are not overwritten"
    except OSError as error:
        return f"cannot write {path}: {error.strerror}"
    return None


def add_keys_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``simpul keys ...`` to the command line."""
    keys = commands.add_parser(
        "keys",
        help="make call-signing keys and API keys",
        description="Make the keys the gateway signs subgraph calls with, the keys subgraphs "
        "verify them with, and API keys for legacy clients.",
    )
    sub = keys.add_subparsers(title="commands", required=True, metavar="COMMAND")
    generate = sub.add_parser("generate", help="write a new call-signing key file (mode 600)")
    generate.add_argument("--method", choices=("hmac", "ed25519"), default="hmac")
    generate.add_argument("--out", required=True, metavar="FILE")
    generate.set_defaults(command=_run_generate)
    derive = sub.add_parser("subgraph", help="print what one subgraph verifies calls with")
    derive.add_argument("--key-file", required=True, metavar="FILE")
    derive.add_argument("--method", choices=("hmac", "ed25519"), default="hmac")
    derive.add_argument("name", metavar="NAME", help="the subgraph's name in the supergraph")
    derive.set_defaults(command=_run_subgraph)
    api_key = sub.add_parser("api-key", help="print a new API key and its API keys file entry")
    api_key.add_argument("--client", required=True, metavar="PNK/GOV/KODE/APLIKASI")
    api_key.set_defaults(command=_run_api_key)


def _run_generate(args: argparse.Namespace) -> int:
    text = generate_master_key() if args.method == "hmac" else generate_ed25519_key()
    problem = write_new_key_file(args.out, text)
    if problem:
        return _fail(problem)
    print(f"wrote a new {args.method} call-signing key to {args.out} (mode 600)")
    return 0


def _run_subgraph(args: argparse.Namespace) -> int:
    try:
        signer = CallSigner.from_key_text(args.method, read_key_file(args.key_file))
        print(signer.verification_key(args.name))
    except CallKeyError as error:
        return _fail(str(error))
    return 0


def _run_api_key(args: argparse.Namespace) -> int:
    if not CLIENT_NAME.match(args.client):
        return _fail(
            f"the client must look like PNK/GOV/<kode SKPD>/<aplikasi>, not {args.client!r}"
        )
    key = generate_api_key()
    print(f"API key (give it to the client, it is shown once): {key}")
    print("Entry for the API keys file:")
    print(f'[[key]]\nclient = "{args.client}"\nsha256 = "{hash_api_key(key)}"')
    return 0


def _fail(message: str) -> int:
    print(f"simpul: {message}", file=sys.stderr)
    return 1
