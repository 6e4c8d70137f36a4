"""Which :mod:`subgraphs.toolkit.errors` class a database failure becomes.

PostgreSQL and MariaDB report a SQLSTATE, SQLite (Python 3.11+) a result code; both are
steadier than driver exception classes, which disagree (pymysql calls an unknown column an
OperationalError, sqlite3 a syntax error). Detail strings carry codes and class names but
never parameters, which may hold personal data.
"""

from __future__ import annotations

from sqlalchemy import exc

from ..errors import (
    UpstreamBadResponse,
    UpstreamError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)

__all__ = ["upstream_error"]

# SQLSTATE classes: connection (08), resources (53), operator intervention (57), system (58),
# transaction rollback such as deadlocks (40), authorization (28), unknown database (3D)
UNAVAILABLE_CLASSES = frozenset({"08", "53", "57", "58", "40", "28", "3D", "HY"})
# data exception (22), integrity constraint (23), check option (44)
REJECTED_CLASSES = frozenset({"22", "23", "44"})

SQLITE_ERROR = 1  # a SQL error or missing table/column: the query does not fit the database
SQLITE_CORRUPT = 11
SQLITE_CONSTRAINT = 19
SQLITE_MISMATCH = 20
SQLITE_RANGE = 25
SQLITE_NOTADB = 26


def upstream_error(upstream: str, error: BaseException) -> UpstreamError | None:
    """The toolkit error for a failed database call, or ``None`` if it is a bug to raise."""
    if isinstance(error, TimeoutError):
        return UpstreamTimeout(upstream, "no answer within the timeout")
    if isinstance(error, OSError):
        # asyncpg lets a refused connection through as a plain OSError
        return UpstreamUnavailable(upstream, type(error).__name__)
    if not isinstance(error, exc.DBAPIError):
        return None
    original = error.orig
    detail = type(original).__name__ if original is not None else type(error).__name__
    if error.connection_invalidated:
        return UpstreamUnavailable(upstream, f"{detail}: connection lost")
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str) and len(sqlstate) == 5:
        return _by_sqlstate(upstream, sqlstate, f"{detail} SQLSTATE {sqlstate}")
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        return _by_sqlite_code(upstream, sqlite_code, f"{detail} {original}")
    return _by_class(upstream, error, detail)


def _by_sqlstate(upstream: str, sqlstate: str, detail: str) -> UpstreamError:
    category = sqlstate[:2]
    if category in UNAVAILABLE_CLASSES:
        return UpstreamUnavailable(upstream, detail)
    if category in REJECTED_CLASSES:
        return UpstreamRejected(upstream, detail)
    return UpstreamBadResponse(upstream, detail)


def _by_sqlite_code(upstream: str, code: int, detail: str) -> UpstreamError:
    # SQLite's own messages name tables and columns, never bound values, so they may be logged
    primary = code & 0xFF
    if primary in (SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE):
        return UpstreamRejected(upstream, detail)
    if primary in (SQLITE_ERROR, SQLITE_CORRUPT, SQLITE_NOTADB):
        return UpstreamBadResponse(upstream, detail)
    return UpstreamUnavailable(upstream, detail)  # busy, locked, cannot open, I/O error, ...


def _by_class(upstream: str, error: exc.DBAPIError, detail: str) -> UpstreamError:
    if isinstance(error, exc.IntegrityError | exc.DataError):
        return UpstreamRejected(upstream, detail)
    if isinstance(error, exc.OperationalError | exc.InterfaceError | exc.InternalError):
        return UpstreamUnavailable(upstream, detail)
    return UpstreamBadResponse(upstream, detail)
