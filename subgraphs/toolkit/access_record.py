"""An OPD subgraph's own entries in the city's access log.

The gateway records every operation that reaches personal data. A subgraph that processes
personal data on its own account (dukcapil checks a NIK, a name and a birth date against
the registry) records that processing too, in the same log, with the request id the
gateway's signed call carries: the two entries are one story, told by both sides.

From the environment (:meth:`AccessRecord.from_environment`), the same variables as the
gateway's ``[audit]`` section:

- ``SIMPUL_AUDIT_STORE``: the log (a folder, or a ``postgresql://`` URL);
- ``SIMPUL_AUDIT_SEAL_KEY_FILE``: this subgraph's Ed25519 seal key (its public key goes in
  the seal public keys file the log is verified with);
- ``SIMPUL_AUDIT_SUBJECT_KEY_FILE``: the subject key every writer of the log shares;
- ``SIMPUL_AUDIT_REPLICA``: the name its chains are written under (default: the
  subgraph's name);
- ``SIMPUL_AUDIT_ARCHIVE``: the folder retention moves old chains to, read by
  :meth:`AccessRecord.history` (optional).

Nothing set is an error naming them: a subgraph that processes personal data does not run
without its record. A resolver records with :func:`record_processing`; when the entry
cannot be made durable, that raises a GraphQL error and the resolver answers nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from graphql import GraphQLError
from strawberry import Info

from gateway.audit import AuditTrail, AuditUnavailable, Entry, FieldUse, now
from gateway.audit.entries import ANSWERED
from gateway.audit.history import Processing, subject_history
from gateway.audit.stores import reading
from gateway.audit.trail import AuditSetupError, open_trail

from .errors import SubgraphErrorCode

__all__ = ["AccessRecord", "RecordNotConfigured", "record_processing"]


class RecordNotConfigured(Exception):
    """The subgraph was not told where its access record goes; the message says how."""


class AccessRecord:
    """Writes one subgraph's entries to the access log."""

    def __init__(self, trail: AuditTrail, source: str, archive: str = "") -> None:
        self.trail = trail
        self.source = source
        self.archive = archive

    async def history(self, identifier: str, *, refused: bool = False) -> list[Processing]:
        """Every processing on record of the data subject ``identifier`` (a NIK), in the
        log and its archive (the data-protection officer's view; filter it by caller)."""
        async with reading(self.trail.location, self.archive) as stores:
            return await subject_history(stores, self.trail.subject(identifier), refused=refused)

    @classmethod
    def from_environment(
        cls, source: str, environ: Mapping[str, str] | None = None
    ) -> AccessRecord:
        """The record the environment configures for the subgraph named ``source``."""
        env = os.environ if environ is None else environ
        store = env.get("SIMPUL_AUDIT_STORE", "")
        if not store:
            raise RecordNotConfigured(
                f"SIMPUL_AUDIT_STORE is not set: {source} processes personal data and "
                "records each processing in the city's access log (a folder or a "
                "postgresql:// URL), with SIMPUL_AUDIT_SEAL_KEY_FILE and "
                "SIMPUL_AUDIT_SUBJECT_KEY_FILE; `make up` makes development keys"
            )
        try:
            trail = open_trail(
                store,
                replica=env.get("SIMPUL_AUDIT_REPLICA", "") or source,
                seal_key_file=env.get("SIMPUL_AUDIT_SEAL_KEY_FILE", ""),
                subject_key_file=env.get("SIMPUL_AUDIT_SUBJECT_KEY_FILE", ""),
            )
        except AuditSetupError as error:
            raise RecordNotConfigured(f"SIMPUL_AUDIT_*: {error}") from None
        return cls(trail, source, env.get("SIMPUL_AUDIT_ARCHIVE", ""))

    async def aclose(self) -> None:
        """Seal what is left and close the log (the app does it on shutdown)."""
        await self.trail.close()


async def record_processing(
    info: Info,
    *,
    fields: Sequence[str],
    subjects: Sequence[str],
    category: str = "pribadi",
    detail: Mapping[str, str] | None = None,
) -> None:
    """Record that this resolver processed the personal data ``fields`` (``Type.field``) of
    the data subjects identified by ``subjects`` (NIKs, hashed with the subject key before
    they are written), for the caller the gateway's signed call names. Returns once the
    entry is durable; raises a GraphQL error (``AUDIT_UNAVAILABLE``) if it cannot be: no
    record, no answer."""
    record: AccessRecord | None = getattr(info.context, "access_record", None)
    call = info.context.call
    if record is None:
        raise GraphQLError(
            "This subgraph keeps no access record, so it processes no personal data.",
            extensions={"code": SubgraphErrorCode.AUDIT_UNAVAILABLE.value},
        )
    entry = Entry(
        source=record.source,
        request=call.request_id if call is not None else "",
        time=now(),
        outcome=ANSWERED,
        client=call.client if call is not None else None,
        officer=call.officer if call is not None else None,
        purpose=call.purpose if call is not None else None,
        kind=info.operation.operation.value,
        fields=tuple(FieldUse(field, category) for field in fields),
        subjects=tuple(dict.fromkeys(record.trail.subject(s) for s in subjects)),
        subgraphs=(record.source,),
        owners=(record.source,),
        detail=dict(detail or {}),
    )
    try:
        await record.trail.write(entry)
    except AuditUnavailable:
        raise GraphQLError(
            "The processing cannot be recorded right now, so it is not answered.",
            extensions={"code": SubgraphErrorCode.AUDIT_UNAVAILABLE.value},
        ) from None
