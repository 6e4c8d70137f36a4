"""What a subgraph writes to its log when a request fails: codes and paths, not documents.

strawberry logs every error with its message, which for a GraphQL error quotes the lines of
the document around it: a verification's NIK, name and birth date, sent inline, would land
in the log. A toolkit subgraph logs instead, per error, its code and response path; for an
upstream failure the upstream and the adapter's detail (which never carries parameters);
for a bug the exception's class and traceback frames, without its message, which may
hold values. Bad input is an info line, not an error; so is a document refused by a limit
(:mod:`.limits`), logged by its code alone.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from graphql import GraphQLError

from .errors import SubgraphErrorCode, UpstreamError

__all__ = ["bug_report", "log_errors", "log_refusal"]

log = logging.getLogger("simpul.subgraph")


def bug_report(error: BaseException) -> str:
    """An exception as a log can keep it: its class and where it was raised, no message."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__module__}.{type(error).__qualname__}\n{frames}".rstrip()


def log_refusal(code: str) -> None:
    """Log a document refused by a limit (:mod:`.limits`) before it ran: its code only."""
    log.info("%s: refused before execution", code)


def log_errors(errors: Iterable[GraphQLError]) -> None:
    """Log the errors of one request, each without the document or its values."""
    for error in errors:
        path = ".".join(str(part) for part in error.path or ()) or "-"
        original = error.original_error
        if isinstance(original, UpstreamError):
            log.warning(
                "%s at %s: upstream %s (%s)",
                original.code.value,
                path,
                original.upstream,
                original.detail or original.summary,
            )
        elif original is None or isinstance(original, GraphQLError):
            code = (error.extensions or {}).get("code") or (
                "GRAPHQL_VALIDATION_FAILED" if original is None and not error.path else "ERROR"
            )
            log.info("%s at %s", code, path)
        else:
            log.error(
                "%s at %s: %s",
                SubgraphErrorCode.INTERNAL_SERVER_ERROR.value,
                path,
                bug_report(original),
            )
