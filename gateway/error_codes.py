"""Every error code a client, an OPD team or an operator can meet, in one place.

Three families, each an enum whose members carry what the documentation says of them:

- :class:`ErrorCode`: the gateway's, in ``extensions.code`` of its answers;
- :class:`SubgraphErrorCode`: the toolkit's, answered by the OPD subgraphs and passed on
  by the gateway with ``extensions.service``;
- :class:`CompositionErrorCode`: ``simpul compose`` and ``simpul check``'s, the standard
  Apollo Federation composition codes.

``docs/errors.md``'s tables are generated from them (``python -m gateway.error_codes
docs/errors.md`` rewrites them; a test keeps them current).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Self

__all__ = [
    "CompositionErrorCode",
    "ErrorCode",
    "SubgraphErrorCode",
    "code_table",
    "write_tables",
]


class _AnsweredCode(StrEnum):
    """A code answered over HTTP: the status it comes with, and when."""

    _value_: str
    status: str
    """The HTTP status with ``application/graphql-response+json`` ("partial": the rest of
    the answer arrives)."""
    description: str

    def __new__(cls, value: str, status: str, description: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.description = description
        return member


class ErrorCode(_AnsweredCode):
    """The gateway's codes."""

    BAD_REQUEST = (
        "BAD_REQUEST",
        "400; 406, 413, 415",
        "the HTTP request is not a GraphQL request: malformed JSON, missing `query`, "
        "wrong types (400); also an unacceptable `Accept` (406), a body over the size "
        "limit (413), a `Content-Type` other than JSON (415), a `simpul-officer` that is "
        "not an 18-digit NIP or a `simpul-purpose` that is empty or too long (400)",
    )

    GRAPHQL_PARSE_FAILED = (
        "GRAPHQL_PARSE_FAILED",
        "400",
        "the document has a syntax error",
    )

    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        "400",
        "the document does not validate against the API schema (unknown fields, ...); "
        'also a subscription, which the gateway does not serve over HTTP ("subscriptions '
        'are not supported over HTTP")',
    )

    BAD_USER_INPUT = (
        "BAD_USER_INPUT",
        "400",
        "a variable is missing or has the wrong type",
    )

    OPERATION_RESOLUTION_FAILURE = (
        "OPERATION_RESOLUTION_FAILURE",
        "400",
        "`operationName` names no operation, or several operations and no name",
    )

    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        "405",
        "a mutation sent with `GET`, or a method other than `GET` and `POST` (405)",
    )

    QUERY_TOO_LARGE = (
        "QUERY_TOO_LARGE",
        "400",
        "the document is longer than `engine.max_query_bytes`",
    )

    QUERY_TOO_DEEP = (
        "QUERY_TOO_DEEP",
        "400",
        "the document nests deeper than `engine.max_depth`; checked before validation, "
        "and a document too deep for the parser itself is `QUERY_TOO_DEEP` too",
    )

    MAX_TOKENS_LIMIT = (
        "MAX_TOKENS_LIMIT",
        "400",
        "the document has more tokens, or more comments, than `limits.max_tokens` (the "
        "parser stops there)",
    )

    MAX_ALIASES_LIMIT = (
        "MAX_ALIASES_LIMIT",
        "400",
        "an operation has more aliases than `limits.max_aliases`; checked before "
        "validation, without running it",
    )

    MAX_ROOT_FIELDS_LIMIT = (
        "MAX_ROOT_FIELDS_LIMIT",
        "400",
        "an operation selects more root fields than `limits.max_root_fields`; checked "
        "before validation, without running it",
    )

    MAX_FIELDS_LIMIT = (
        "MAX_FIELDS_LIMIT",
        "400",
        "an operation has more field selections than `limits.max_fields`, fragments "
        "counted each time they are spread; checked before validation, without running it",
    )

    MAX_HEIGHT_LIMIT = (
        "MAX_HEIGHT_LIMIT",
        "400",
        "an operation has more field selections as written than `limits.max_height`, each"
        " fragment counted once; checked before validation, without running it",
    )

    MAX_DIRECTIVES_LIMIT = (
        "MAX_DIRECTIVES_LIMIT",
        "400",
        "one field carries more directives than `limits.max_directives`; checked before "
        "validation, without running it",
    )

    PERSISTED_QUERY_NOT_FOUND = (
        "PERSISTED_QUERY_NOT_FOUND",
        "200",
        "an APQ hash the gateway has not seen: send the query text with the hash once "
        "(200, message `PersistedQueryNotFound`, as APQ clients expect)",
    )

    PERSISTED_QUERY_NOT_ALLOWED = (
        "PERSISTED_QUERY_NOT_ALLOWED",
        "400",
        'the gateway runs only its trusted documents (`documents.mode = "safelist"`) and '
        "this is not one of them (400)",
    )

    PERSISTED_QUERY_HASH_MISMATCH = (
        "PERSISTED_QUERY_HASH_MISMATCH",
        "400",
        "the query text's SHA-256 is not the hash the request names (400)",
    )

    PERSISTED_QUERY_NOT_SUPPORTED = (
        "PERSISTED_QUERY_NOT_SUPPORTED",
        "400",
        'persisted documents are off (`documents.mode = "off"`), or an APQ version other '
        "than 1 (400)",
    )

    COST_ESTIMATED_TOO_EXPENSIVE = (
        "COST_ESTIMATED_TOO_EXPENSIVE",
        "400",
        "demand control: the operation's estimated cost is over `limits.max_cost` (or the"
        " client's `max_cost` in the grants file); `extensions.cost` and "
        "`extensions.maxCost` say by how much (400). Nothing was sent to any subgraph",
    )

    SUBREQUEST_HTTP_ERROR = (
        "SUBREQUEST_HTTP_ERROR",
        "200, partial",
        "a subgraph was down, answered a non-2xx status, or a body that is not JSON",
    )

    SUBREQUEST_TIMEOUT = (
        "SUBREQUEST_TIMEOUT",
        "200, partial",
        "a subgraph did not answer in time",
    )

    SUBGRAPH_CIRCUIT_OPEN = (
        "SUBGRAPH_CIRCUIT_OPEN",
        "200, partial",
        "a subgraph failed `breaker_failures` calls in a row (`[traffic]`): it is not "
        "called until `breaker_cooldown` seconds have passed and a probe call is answered; "
        "its fields fail at once meanwhile",
    )

    SUBGRAPH_BUSY = (
        "SUBGRAPH_BUSY",
        "200, partial",
        "a subgraph already had `max_concurrent` calls in flight (`[traffic]`): the call "
        "was not made, rather than queued on a server that is struggling",
    )

    DOWNSTREAM_SERVICE_ERROR = (
        "DOWNSTREAM_SERVICE_ERROR",
        "200, partial",
        "a subgraph answered a GraphQL error without a code of its own",
    )

    QUERY_PLANNING_FAILED = (
        "QUERY_PLANNING_FAILED",
        "200",
        "the operation is valid but the supergraph offers no way to resolve it: a key or "
        "a requirement that cannot be planned, a field under a type condition, or nothing "
        "the client asked for left to answer (otherwise a field alone is given up with "
        "`UNRESOLVABLE_FIELD`)",
    )

    UNRESOLVABLE_FIELD = (
        "UNRESOLVABLE_FIELD",
        "200, partial",
        "no subgraph can resolve this field where the operation reaches it (for example a "
        "type's field only another subgraph resolves, with no key to get there); it answers "
        '`null` at `path` (`"@"` for each list level) and was asked of no subgraph; the '
        "rest of the operation is answered",
    )

    INVALID_SUBGRAPH_RESPONSE = (
        "INVALID_SUBGRAPH_RESPONSE",
        "200, partial",
        "a subgraph's answer does not have the shape the gateway asked for; when a subgraph "
        "answered null for an entity another subgraph referred to, and a non-null field of "
        "it is left null, the message names the subgraph and the entity's key "
        "(`subgraph 'dinkes' has no Kelurahan with kode \"61.71.99.9999\": ...`)",
    )

    NOT_READY = (
        "NOT_READY",
        "503",
        "no supergraph is loaded yet",
    )

    TOO_MANY_REQUESTS = (
        "TOO_MANY_REQUESTS",
        "429",
        "one client address has `server.max_requests_per_client` requests in flight "
        "already (429, `Retry-After`)",
    )

    RESPONSE_TOO_LARGE = (
        "RESPONSE_TOO_LARGE",
        "500",
        "the answer is larger than `server.max_response_bytes`: ask for a page "
        "(`batas`/`lewati`) or fewer fields (200 with `application/json`, 500 with "
        "`application/graphql-response+json`)",
    )

    CORS_REFUSED = (
        "CORS_REFUSED",
        "403",
        "a browser's preflight from an origin not in `[cors]`, or for a method or header "
        "it does not allow (403)",
    )

    CSRF_PREVENTION = (
        "CSRF_PREVENTION",
        "400",
        "a `GET` without a preflight-forcing header (`apollo-require-preflight`, ...) "
        "while CSRF prevention is on (400)",
    )

    UNAUTHENTICATED = (
        "UNAUTHENTICATED",
        "401",
        "a bearer token or API key was sent and is not valid (expired, forged, for "
        "another audience or issuer, unknown key), or none was sent where "
        "`access.anonymous` is off; 401 with `WWW-Authenticate`",
    )

    UNAUTHORIZED_FIELD_OR_TYPE = (
        "UNAUTHORIZED_FIELD_OR_TYPE",
        "200, partial; 401/403 rejected",
        "the caller may not reach this field or type (`@authenticated`, "
        "`@requiresScopes`, `@policy`, personal data without a granted purpose); it "
        "answers `null` at `path` and was asked of no subgraph; in `access.mode = "
        '"reject"` the whole operation is refused (401 anonymous, 403 otherwise). The '
        "message says what is missing",
    )

    PERSONAL_DATA_LIMIT_EXCEEDED = (
        "PERSONAL_DATA_LIMIT_EXCEEDED",
        "200, partial",
        "one operation selects a personal-data field more often than its grant allows "
        "(once by default): every selection of it answers `null`",
    )

    RATE_LIMITED = (
        "RATE_LIMITED",
        "200, partial",
        "the client application has reached its personal-data allowance for this minute; "
        "`extensions.retryAfter` says in how many seconds it renews",
    )

    RATE_LIMIT_UNAVAILABLE = (
        "RATE_LIMIT_UNAVAILABLE",
        "200, partial",
        "the shared counters (Redis) cannot be reached: personal data is refused rather "
        "than served without a limit",
    )

    AUDIT_UNAVAILABLE = (
        "AUDIT_UNAVAILABLE",
        "200, partial; 503",
        "personal data cannot be recorded: the gateway has no access record (`[audit]` "
        "unset: every personal field answers `null` with this code), or the record could "
        "not be made durable for this request (the whole operation is answered 503 with "
        "`data: null`; nothing it read is sent). Try again later",
    )

    INTROSPECTION_DISABLED = (
        "INTROSPECTION_DISABLED",
        "200",
        'introspection is turned off (`access.introspection = "off"`)',
    )

    OPERATION_TOO_COMPLEX = (
        "OPERATION_TOO_COMPLEX",
        "400",
        "the operation reaches protected fields through more selections than "
        "authorization walks (20,000, fragments counted where spread)",
    )

    INTERNAL_SERVER_ERROR = (
        "INTERNAL_SERVER_ERROR",
        "500",
        "a bug in the gateway; the response says so instead of a traceback",
    )


class SubgraphErrorCode(_AnsweredCode):
    """The codes a toolkit subgraph answers with."""

    UPSTREAM_UNAVAILABLE = (
        "UPSTREAM_UNAVAILABLE",
        "200, partial",
        "the system refused the connection, answered HTTP 5xx (or 408/429) after retries,"
        " or its export file is missing",
    )

    UPSTREAM_TIMEOUT = (
        "UPSTREAM_TIMEOUT",
        "200, partial",
        "the system did not answer within the subgraph's timeout, after retries",
    )

    UPSTREAM_BAD_RESPONSE = (
        "UPSTREAM_BAD_RESPONSE",
        "200, partial",
        "malformed JSON or XML, hostile XML (external entities, entity expansion), "
        "records of the wrong shape, a broken export file",
    )

    UPSTREAM_REJECTED = (
        "UPSTREAM_REJECTED",
        "200, partial",
        "the system refused the subgraph's credentials or request (HTTP 4xx, a database "
        "constraint)",
    )

    INTERNAL_SERVER_ERROR = (
        "INTERNAL_SERVER_ERROR",
        "200, partial",
        "a bug in the subgraph; the message says so, never a traceback",
    )

    BAD_REQUEST = (
        "BAD_REQUEST",
        "400",
        "the HTTP request is not a GraphQL request (malformed JSON, no `query`)",
    )

    BAD_USER_INPUT = (
        "BAD_USER_INPUT",
        "200, partial",
        "an argument is not a well-formed code (kode wilayah, NPSN (8 digits), NIB (13 "
        "digits), NIK (16 digits), ...) or is out of range (a page's `batas` or `lewati`, "
        "a year); `extensions.pesan` says it in Indonesian for the person who typed it. A "
        "well-formed but unknown code answers `null` instead",
    )

    NOT_FOUND = (
        "NOT_FOUND",
        "404",
        "a path the subgraph does not serve",
    )

    DEADLINE_EXCEEDED = (
        "DEADLINE_EXCEEDED",
        "504",
        "the call was not answered within the time the gateway said it would wait "
        "(`simpul-deadline-ms`): its work, upstream calls included, was cancelled",
    )

    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        "405",
        "a method other than `POST` on `/graphql`",
    )

    UNAUTHENTICATED = (
        "UNAUTHENTICATED",
        "401; 200, partial",
        "a call that does not carry the gateway's valid signature (HTTP 401, answered "
        "before any resolver runs), or a personal-data field reached through a call that "
        "names no client application and purpose",
    )

    QUERY_TOO_DEEP = (
        "QUERY_TOO_DEEP",
        "200",
        "the operation nests deeper than `SubgraphLimits.max_depth` (12): refused before "
        "it runs (no `data`). The caller is not the gateway, or the gateway let through "
        "an operation too heavy for this OPD",
    )

    MAX_ALIASES_LIMIT = (
        "MAX_ALIASES_LIMIT",
        "200",
        "the operation has more aliases than `SubgraphLimits.max_aliases` (30): refused "
        "before it runs (no `data`). The caller is not the gateway, or the gateway let "
        "through an operation too heavy for this OPD",
    )

    MAX_TOKENS_LIMIT = (
        "MAX_TOKENS_LIMIT",
        "200",
        "the operation has more tokens than `SubgraphLimits.max_tokens` (15,000): refused"
        " before it runs (no `data`). The caller is not the gateway, or the gateway let "
        "through an operation too heavy for this OPD",
    )

    COST_ESTIMATED_TOO_EXPENSIVE = (
        "COST_ESTIMATED_TOO_EXPENSIVE",
        "200",
        "the operation costs more, estimated over the subgraph's own SDL, than "
        "`SubgraphLimits.max_cost` (10,000): refused before it runs (no `data`). The "
        "caller is not the gateway, or the gateway let through an operation too heavy for"
        " this OPD",
    )

    AUDIT_UNAVAILABLE = (
        "AUDIT_UNAVAILABLE",
        "200, partial",
        "the subgraph processes personal data on its own (Disdukcapil's verification) and"
        " could not record it in the access record: it does not answer that field "
        "(`null`) rather than process unrecorded",
    )


class CompositionErrorCode(StrEnum):
    """Composition's codes: the ones Apollo's composer, The Guild's composer and the
    federation docs use, so that an error can be looked up by its code."""

    _value_: str
    description: str

    def __new__(cls, value: str, description: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    INVALID_GRAPHQL = (
        "INVALID_GRAPHQL",
        "a subgraph SDL does not parse or is not a valid GraphQL schema",
    )

    INVALID_SUBGRAPH_NAME = (
        "INVALID_SUBGRAPH_NAME",
        "a subgraph has no name, is named `_`, or has the name of another",
    )

    INVALID_LINK_DIRECTIVE_USAGE = (
        "INVALID_LINK_DIRECTIVE_USAGE",
        "a `@link` imports something its spec does not define, or has no usable url",
    )

    UNKNOWN_FEDERATION_LINK_VERSION = (
        "UNKNOWN_FEDERATION_LINK_VERSION",
        "a subgraph links a federation version that does not exist",
    )

    NO_QUERIES = (
        "NO_QUERIES",
        "no subgraph defines a field on the query root",
    )

    TYPE_KIND_MISMATCH = (
        "TYPE_KIND_MISMATCH",
        "one type name is an object in a subgraph and, say, an enum in another",
    )

    INVALID_FIELD_SHARING = (
        "INVALID_FIELD_SHARING",
        "a field resolved by several subgraphs is not `@shareable` in all of them",
    )

    FIELD_TYPE_MISMATCH = (
        "FIELD_TYPE_MISMATCH",
        "a field's type differs between subgraphs in a way no merge can reconcile",
    )

    FIELD_ARGUMENT_TYPE_MISMATCH = (
        "FIELD_ARGUMENT_TYPE_MISMATCH",
        "an argument of a shared field has incompatible types in two subgraphs",
    )

    FIELD_ARGUMENT_DEFAULT_MISMATCH = (
        "FIELD_ARGUMENT_DEFAULT_MISMATCH",
        "an argument of a shared field has different default values in two subgraphs",
    )

    INPUT_FIELD_DEFAULT_MISMATCH = (
        "INPUT_FIELD_DEFAULT_MISMATCH",
        "an input field has different default values in two subgraphs",
    )

    EXTERNAL_MISSING_ON_BASE = (
        "EXTERNAL_MISSING_ON_BASE",
        "an `@external` field that no subgraph actually resolves",
    )

    EXTERNAL_UNUSED = (
        "EXTERNAL_UNUSED",
        "an `@external` field no `@key`, `@requires` or `@provides` uses",
    )

    KEY_FIELDS_SELECT_INVALID_TYPE = (
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        "a `@key` selects a field whose type is a list, an interface or a union",
    )

    KEY_FIELDS_HAS_ARGS = (
        "KEY_FIELDS_HAS_ARGS",
        "a `@key` selects a field that takes arguments",
    )

    KEY_INVALID_FIELDS = (
        "KEY_INVALID_FIELDS",
        "a `@key`'s fields do not parse, or name fields the type does not have",
    )

    KEY_DIRECTIVE_IN_FIELDS_ARG = (
        "KEY_DIRECTIVE_IN_FIELDS_ARG",
        "a `@key`'s field set carries directives",
    )

    REQUIRES_INVALID_FIELDS = (
        "REQUIRES_INVALID_FIELDS",
        "a `@requires`'s fields do not parse, or name fields the type does not have",
    )

    REQUIRES_FIELDS_MISSING_EXTERNAL = (
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        "a `@requires` names a field the subgraph does not mark `@external`",
    )

    PROVIDES_INVALID_FIELDS = (
        "PROVIDES_INVALID_FIELDS",
        "a `@provides`'s fields do not parse, or name fields the returned type does not have",
    )

    PROVIDES_FIELDS_MISSING_EXTERNAL = (
        "PROVIDES_FIELDS_MISSING_EXTERNAL",
        "a `@provides` names a field the subgraph does not mark `@external`",
    )

    PROVIDES_ON_NON_OBJECT_FIELD = (
        "PROVIDES_ON_NON_OBJECT_FIELD",
        "a `@provides` on a field that does not return an object, interface or union",
    )

    ENUM_VALUE_MISMATCH = (
        "ENUM_VALUE_MISMATCH",
        "an enum used for both input and output differs between subgraphs",
    )

    EMPTY_MERGED_ENUM_TYPE = (
        "EMPTY_MERGED_ENUM_TYPE",
        "an enum used as input keeps no value every subgraph defines",
    )

    EMPTY_MERGED_INPUT_TYPE = (
        "EMPTY_MERGED_INPUT_TYPE",
        "an input type keeps no field every subgraph defines",
    )

    REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH = (
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        "an argument required in one subgraph is missing from the same field in another",
    )

    REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH = (
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        "an input field required in one subgraph is missing from the same type in another",
    )

    OVERRIDE_FROM_SELF_ERROR = (
        "OVERRIDE_FROM_SELF_ERROR",
        "an `@override(from:)` names the subgraph it is in",
    )

    OVERRIDE_SOURCE_HAS_OVERRIDE = (
        "OVERRIDE_SOURCE_HAS_OVERRIDE",
        "a field is overridden from a subgraph that itself overrides it",
    )

    OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE = (
        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
        "an `@override` on an `@external` field, or taking over a field that is `@external` or "
        "has `@provides` or `@requires`",
    )

    CONTEXT_NOT_SET = (
        "CONTEXT_NOT_SET",
        "an argument reads a context (`@fromContext`) no type of its subgraph sets (`@context`)",
    )

    OVERRIDE_LABEL_INVALID = (
        "OVERRIDE_LABEL_INVALID",
        "an `@override` label is neither `percent(N)` nor a valid name",
    )

    DIRECTIVE_COMPOSITION_ERROR = (
        "DIRECTIVE_COMPOSITION_ERROR",
        "a `@composeDirective` names a directive not defined or not linked, or linked "
        "differently in other subgraphs",
    )

    AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE = (
        "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
        "`@authenticated`, `@requiresScopes` or `@policy` on an interface or its field "
        "(put it on the implementations)",
    )

    COST_APPLIED_TO_INTERFACE_FIELD = (
        "COST_APPLIED_TO_INTERFACE_FIELD",
        "`@cost` on an interface field (put it on the implementations)",
    )

    LIST_SIZE_APPLIED_TO_NON_LIST = (
        "LIST_SIZE_APPLIED_TO_NON_LIST",
        "`@listSize` on a field that returns no list (and names no `sizedFields`)",
    )

    LIST_SIZE_INVALID_ASSUMED_SIZE = (
        "LIST_SIZE_INVALID_ASSUMED_SIZE",
        "a negative `@listSize(assumedSize:)`",
    )

    LIST_SIZE_INVALID_SIZED_FIELD = (
        "LIST_SIZE_INVALID_SIZED_FIELD",
        "`@listSize(sizedFields:)` names a field that is not a list of the returned type",
    )

    LIST_SIZE_INVALID_SLICING_ARGUMENT = (
        "LIST_SIZE_INVALID_SLICING_ARGUMENT",
        "`@listSize(slicingArguments:)` names an argument that is not an `Int`",
    )

    SATISFIABILITY_ERROR = (
        "SATISFIABILITY_ERROR",
        "a field clients can ask for that no query plan can reach",
    )


_TABLES: dict[str, type[_AnsweredCode] | type[CompositionErrorCode]] = {
    "gateway": ErrorCode,
    "subgraph": SubgraphErrorCode,
    "composition": CompositionErrorCode,
}


def code_table(codes: type[_AnsweredCode] | type[CompositionErrorCode]) -> str:
    """The Markdown table of one family of codes."""
    if issubclass(codes, _AnsweredCode):
        lines = ["| code | status | when |", "|---|---|---|"]
        lines += [f"| `{code}` | {code.status} | {code.description} |" for code in codes]
    else:
        lines = ["| code | when |", "|---|---|"]
        lines += [f"| `{code}` | {code.description} |" for code in codes]
    return "\n".join(lines) + "\n"


def write_tables(text: str) -> str:
    """``text`` (a Markdown document) with each ``<!-- codes:NAME -->`` ...
    ``<!-- /codes -->`` section holding the table of that family."""
    for name, codes in _TABLES.items():
        start, end = f"<!-- codes:{name} -->", "<!-- /codes -->"
        if start not in text:
            raise ValueError(f"no {start} section")
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{code_table(codes)}{end}{tail}"
    return text


def main(argv: list[str]) -> int:
    """``python -m gateway.error_codes FILE``: rewrite the code tables of ``FILE``."""
    if len(argv) != 1:
        print("usage: python -m gateway.error_codes docs/errors.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(write_tables(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
