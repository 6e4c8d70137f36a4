"""The access log of personal-data processing (UU 27/2022): hash-chained, sealed entries.

:mod:`.entries` says what one entry holds, :mod:`.records` how it is chained and sealed,
:mod:`.stores` where it is kept (files or PostgreSQL), :mod:`.recorder` how it is written
(group commit, durable before the answer), :mod:`.verify` how the log is checked,
:mod:`.processing` how the gateway makes its entry for a request, and :mod:`.trail` what a
writer holds.
"""

from .entries import Entry, FieldUse, Refusal, document_hash, subject_hash
from .processing import gateway_entry
from .recorder import AuditRecorder, AuditUnavailable, now
from .records import Sealer
from .stores import AuditStore, FileStore, PostgresStore, open_store
from .trail import AuditTrail, SubjectKeyError, parse_subject_key
from .verify import Problem, Report, verify

__all__ = [
    "AuditRecorder",
    "AuditStore",
    "AuditTrail",
    "AuditUnavailable",
    "Entry",
    "FieldUse",
    "FileStore",
    "PostgresStore",
    "Problem",
    "Refusal",
    "Report",
    "Sealer",
    "SubjectKeyError",
    "document_hash",
    "gateway_entry",
    "now",
    "open_store",
    "parse_subject_key",
    "subject_hash",
    "verify",
]
