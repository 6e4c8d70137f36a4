"""The access log as one writer uses it: entries in, durable hashes out.

:class:`AuditTrail` joins the recorder (the chain, group commit and seals) with the subject
key, so that every writer (the gateway, an OPD subgraph through the toolkit) names the same
resident with the same keyed hash.
"""

from __future__ import annotations

import base64
import binascii
import re
import socket

from ..access.call_token import CallKeyError, read_key_file
from .entries import Entry, subject_hash
from .recorder import AuditRecorder
from .records import Sealer
from .stores import open_store

__all__ = ["AuditSetupError", "AuditTrail", "SubjectKeyError", "open_trail", "parse_subject_key"]

SUBJECT_KEY_BYTES = 32


class SubjectKeyError(ValueError):
    """The subject key is missing or malformed."""


class AuditSetupError(ValueError):
    """The access log cannot be opened as configured; the message says which setting."""


def parse_subject_key(text: str) -> bytes:
    """The subject key a key file holds (base64 of 32 random bytes)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SubjectKeyError("the subject key is not base64") from None
    if len(key) < SUBJECT_KEY_BYTES:
        raise SubjectKeyError(f"the subject key must hold at least {SUBJECT_KEY_BYTES} bytes")
    return key


class AuditTrail:
    """Writes entries of one source to the access log."""

    def __init__(self, recorder: AuditRecorder, subject_key: bytes, location: str = "") -> None:
        if len(subject_key) < SUBJECT_KEY_BYTES:
            raise SubjectKeyError(f"the subject key must hold at least {SUBJECT_KEY_BYTES} bytes")
        self.recorder = recorder
        self.location = location
        """Where the log is kept (what :func:`~.stores.open_store` opens to read it)."""
        self._subject_key = subject_key

    def subject(self, identifier: str) -> str:
        """The keyed hash naming the data subject ``identifier`` (a NIK) in entries."""
        return subject_hash(self._subject_key, identifier)

    async def start(self) -> None:
        """Open this writer's chain (a store that cannot be reached is told now)."""
        await self.recorder.start()

    async def write(self, entry: Entry) -> str:
        """Append ``entry``; its hash once durable. Raises
        :class:`~.recorder.AuditUnavailable` if it cannot be made durable: the processing
        must then not be answered."""
        return await self.recorder.record(entry.body())

    async def close(self) -> None:
        await self.recorder.close()


def open_trail(
    store: str,
    *,
    replica: str,
    seal_key_file: str,
    subject_key_file: str,
    seal_every: int = 256,
    seal_interval: float = 10.0,
    rotate_interval: float = 86400.0,
) -> AuditTrail:
    """The trail writing to ``store`` (a folder or a PostgreSQL URL) under ``replica`` (or
    the host name), sealed with the key in ``seal_key_file``, subjects hashed with the key in
    ``subject_key_file``. Raises :class:`AuditSetupError` naming the setting at fault."""
    if not seal_key_file:
        raise AuditSetupError(
            "seal_key_file is not set: the access log is sealed with an Ed25519 key "
            "(make one with `simpul audit key seal --out FILE`)"
        )
    if not subject_key_file:
        raise AuditSetupError(
            "subject_key_file is not set: data subjects are named by a keyed hash "
            "(make the key with `simpul audit key subject --out FILE`)"
        )
    try:
        sealer = Sealer.from_pem(read_key_file(seal_key_file))
    except (CallKeyError, ValueError) as error:
        raise AuditSetupError(f"seal_key_file: {error}") from None
    try:
        subject_key = parse_subject_key(read_key_file(subject_key_file))
    except (CallKeyError, SubjectKeyError) as error:
        raise AuditSetupError(f"subject_key_file: {error}") from None
    name = replica or re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname())[:48] or "gateway"
    try:
        opened = open_store(store)
    except ValueError as error:
        raise AuditSetupError(f"store: {error}") from None
    recorder = AuditRecorder(
        opened,
        name,
        sealer,
        seal_every=seal_every,
        seal_interval=seal_interval,
        rotate_interval=rotate_interval,
        claim=True,
    )
    return AuditTrail(recorder, subject_key, store)
