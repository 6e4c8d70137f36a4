"""Access control for one engine: who calls, what the operation may reach, at what rate.

:class:`AccessControl` joins the pieces for the engine: it authenticates a request
(:mod:`.identity`), decides per operation what the caller may reach (:mod:`.authorization`
over :mod:`.rules`), holds personal data to its grants' limits (:mod:`.limits`) and signs
subgraph calls (:mod:`.call_token`). Its :class:`Decision` is what planning and execution
then use: the operation to plan, the errors for what was removed, and the elements of
personal data the answer will carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode, ValueNode

from ..errors import ErrorCode, RequestError, graphql_error
from ..supergraph.model import Supergraph
from .authorization import OperationAccess, OperationTooComplex, Use
from .call_token import CallClaims, CallSigner
from .caller import Caller
from .identity import AuthenticationFailed, Authenticator, BadIdentityClaim
from .limits import LimiterUnavailable, MemoryLimiter, RateLimiter
from .rules import AccessRules, Need
from .visibility import pruned_schema

if TYPE_CHECKING:  # the document cache's module imports the executor, which signs calls
    from ..operation import PreparedDocument

__all__ = ["AccessControl", "AccessOptions", "AccessRefused", "Decision"]

MODES = ("filter", "reject")
INTROSPECTION = ("filtered", "authenticated", "off")


@dataclass(frozen=True, slots=True)
class AccessOptions:
    """How access is controlled; what the supergraph marks comes from the supergraph."""

    authenticator: Authenticator = field(default_factory=Authenticator)
    limiter: RateLimiter = field(default_factory=MemoryLimiter)
    mode: str = "filter"
    """``filter``: unauthorized fields answer null with an error; ``reject``: the whole
    operation is refused."""
    introspection: str = "filtered"
    """``filtered``: a caller sees only what it may query; ``authenticated``: the same, for
    authenticated callers only; ``off``: no introspection."""
    personal_rate_per_minute: int = 30
    """Personal-data fields a client may reach per minute, unless its grant says otherwise."""
    public: tuple[str, ...] = ("*",)
    """The fields anonymous callers may reach (``Type.field``, ``Type.*``, ``*``), unless an
    access mark says otherwise; every other field needs an authenticated caller."""
    signer: CallSigner | None = None
    """Signs every subgraph call; ``None``: calls go unsigned."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What one request may run."""

    operation: OperationDefinitionNode
    fragments: Mapping[str, FragmentDefinitionNode]
    denied: frozenset[str] = frozenset()
    """The removed elements: part of the plan's cache key."""
    errors: tuple[dict[str, Any], ...] = ()
    personal: tuple[Use, ...] = ()
    """The personal-data elements the operation still reaches."""
    refused: tuple[tuple[str, str], ...] = ()
    """The personal-data elements removed, with the code saying why."""
    subject_arguments: tuple[ValueNode, ...] = ()
    """What identifies the data subjects among the arguments (variables unresolved)."""
    subject_paths: tuple[tuple[str, ...], ...] = ()
    """Where the answer carries what identifies the data subjects."""
    legal_basis: tuple[str, ...] = ()
    """The legal bases of the grants that open the personal data reached."""
    recorded: bool = False
    """Whether the access log gets an entry: personal data reached, or refused to an
    authenticated client."""


class AccessRefused(RequestError):
    """The whole operation is refused (``reject`` mode); ``decision`` says what of personal
    data was refused, for the access log."""

    def __init__(self, errors: list[dict[str, Any]], status: int, decision: Decision) -> None:
        super().__init__(errors, status=status)
        self.decision = decision


class AccessControl:
    """The access rules of one supergraph, enforced with one set of options."""

    def __init__(
        self,
        supergraph: Supergraph,
        api_schema: GraphQLSchema,
        options: AccessOptions,
        recorded: bool = False,
    ) -> None:
        """``recorded``: an access log is kept. Without one, personal data is refused to
        every caller: its processing must be on record."""
        if options.mode not in MODES:
            raise ValueError(f"access mode must be one of {', '.join(MODES)}")
        self.options = options
        self.rules = AccessRules(supergraph, api_schema, options.public)
        self.schema = api_schema
        options.authenticator.policies = self.rules.policies
        self.signer = options.signer
        self.recorded = recorded
        self._visible: dict[tuple[object, ...], GraphQLSchema | None] = {}

    async def authenticate(self, headers: Mapping[str, str]) -> Caller:
        """The caller; :class:`RequestError` (401 or 400) for a credential that fails."""
        try:
            return await self.options.authenticator.authenticate(headers)
        except AuthenticationFailed as failure:
            challenge = f'Bearer error="{failure.error}"'
            raise RequestError(
                [graphql_error(failure.message, ErrorCode.UNAUTHENTICATED)],
                status=401,
                headers={"WWW-Authenticate": challenge},
            ) from None
        except BadIdentityClaim as error:
            raise RequestError([graphql_error(str(error), ErrorCode.BAD_REQUEST)]) from None

    async def decide(
        self, prepared: PreparedDocument, operation: OperationDefinitionNode, caller: Caller
    ) -> Decision:
        """What ``caller`` may run of ``operation``; raises :class:`RequestError` when the
        whole operation is refused."""
        if not self.rules:
            return Decision(operation, prepared.fragments)
        name = operation.name.value if operation.name else None
        access = prepared.access_cache.get(name)
        if access is None:
            try:
                access = OperationAccess(self.rules, self.schema, operation, prepared.fragments)
            except OperationTooComplex:
                access = _TOO_COMPLEX
            prepared.access_cache[name] = access
        if access is _TOO_COMPLEX:
            raise RequestError(
                [
                    graphql_error(
                        "the operation reaches protected fields through too many selections "
                        "to check; select them fewer times",
                        ErrorCode.OPERATION_TOO_COMPLEX,
                    )
                ]
            )
        assert isinstance(access, OperationAccess)
        if not access.uses:
            return Decision(operation, prepared.fragments)
        reasons: dict[str, tuple[ErrorCode, str, dict[str, Any]]] = {
            coordinate: (
                ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE,
                _why(coordinate, use.need, caller),
                {},
            )
            for coordinate in access.denied(caller)
            for use in (access.uses[coordinate],)
        }
        if not reasons or self.options.mode == "filter":
            for use in access.uses.values():
                if use.need.personal is None or use.coordinate in reasons:
                    continue
                refusal = await self._limit(caller, use) if self.recorded else _unrecorded(use)
                if refusal is not None:
                    reasons[use.coordinate] = refusal
        filtered = access.filtered(frozenset(reasons))
        personal = tuple(u for u in filtered.kept.values() if u.need.personal is not None)
        refused = tuple(
            (coordinate, code.value)
            for coordinate, (code, _, _) in reasons.items()
            if access.uses[coordinate].need.personal is not None
        )
        decision = Decision(
            filtered.operation,
            filtered.fragments,
            frozenset(reasons),
            tuple(self._errors(access, reasons)) if reasons else (),
            personal,
            refused,
            filtered.subject_arguments,
            filtered.subject_paths,
            _legal_basis(caller, personal),
            recorded=self.recorded and (bool(personal) or (bool(refused) and caller.authenticated)),
        )
        if reasons and self.options.mode == "reject":
            raise AccessRefused(
                list(decision.errors), 403 if caller.authenticated else 401, decision
            )
        return decision

    def introspection_schema(self, caller: Caller) -> GraphQLSchema | None:
        """The schema introspection shows ``caller``; ``None`` when introspection is off
        (or the caller may query nothing at all)."""
        mode = self.options.introspection
        if mode == "off" or (mode == "authenticated" and not caller.authenticated):
            return None
        if not self.rules:
            return self.schema
        key = (
            caller.authenticated,
            caller.scopes & self.rules.scopes,
            frozenset(caller.policies) & self.rules.policies,
            caller.purpose is not None,
        )
        if key not in self._visible:
            hidden_types, hidden_fields = [], []
            for type_ in self.schema.type_map.values():
                if type_.name.startswith("__"):
                    continue
                need = self.rules.type_need(type_.name)
                if need is not None and not need.met_by(caller):
                    hidden_types.append(type_.name)
                for name in getattr(type_, "fields", {}) if hasattr(type_, "interfaces") else ():
                    need = self.rules.field_need(type_.name, name)
                    if need is not None and not need.met_by(caller):
                        hidden_fields.append((type_.name, name))
            self._visible[key] = pruned_schema(self.schema, hidden_types, hidden_fields)
        return self._visible[key]

    def claims(self, caller: Caller, request_id: str | None) -> CallClaims:
        """What the signed subgraph calls of one request say about it."""
        return CallClaims(request_id or "", caller.client, caller.officer, caller.purpose)

    async def close(self) -> None:
        await self.options.limiter.close()

    def _errors(
        self,
        access: OperationAccess,
        reasons: Mapping[str, tuple[ErrorCode, str, dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        filtered = access.filtered(frozenset(reasons))
        errors = []
        for coordinate, (code, message, extensions) in reasons.items():
            # an element inside one removed before it is never reached: no error of its own
            for path in filtered.paths.get(coordinate, ()):
                errors.append(graphql_error(message, code, path=list(path), **extensions))
        return errors

    async def _limit(
        self, caller: Caller, use: Use
    ) -> tuple[ErrorCode, str, dict[str, Any]] | None:
        """Whether one personal-data element stays within the caller's grant."""
        grants = [
            caller.policies[name]
            for clause in use.need.requirement.policies
            for need in clause
            for name in need
            if name in caller.policies
        ]
        per_operation = max((g.per_operation for g in grants), default=1)
        if use.count > per_operation:
            return (
                ErrorCode.PERSONAL_DATA_LIMIT_EXCEEDED,
                f"{use.coordinate} is personal data: one operation may select it at most "
                f"{per_operation} time(s), this one selects it {use.count} times",
                {},
            )
        rates = [g.rate_per_minute for g in grants if g.rate_per_minute is not None]
        limit = max(rates) if rates else self.options.personal_rate_per_minute
        try:
            verdict = await self.options.limiter.hit(
                f"{caller.client}:{use.coordinate}", use.count, limit
            )
        except LimiterUnavailable:
            return (
                ErrorCode.RATE_LIMIT_UNAVAILABLE,
                f"{use.coordinate} is personal data and its use cannot be counted right now; "
                "try again later",
                {},
            )
        if not verdict.allowed:
            return (
                ErrorCode.RATE_LIMITED,
                f"{use.coordinate} is personal data: this client may reach it {limit} times "
                f"a minute; try again in {verdict.retry_after} s",
                {"retryAfter": verdict.retry_after},
            )
        return None


_TOO_COMPLEX = object()


def _unrecorded(use: Use) -> tuple[ErrorCode, str, dict[str, Any]]:
    return (
        ErrorCode.AUDIT_UNAVAILABLE,
        f"{use.coordinate} is personal data, served only when its processing is recorded; "
        "this gateway keeps no access log ([audit] store)",
        {},
    )


def _legal_basis(caller: Caller, uses: tuple[Use, ...]) -> tuple[str, ...]:
    """The legal bases of the caller's grants that open ``uses``."""
    bases = [
        caller.policies[name].legal_basis
        for use in uses
        for clause in use.need.requirement.policies
        for need in clause
        for name in need
        if name in caller.policies and caller.policies[name].legal_basis
    ]
    return tuple(dict.fromkeys(bases))


def _why(coordinate: str, need: Need, caller: Caller) -> str:
    """Why ``caller`` may not reach ``coordinate``: enough for its developers to act."""
    if need.closed:
        return f"{coordinate} is personal data that no grant opens"
    if not caller.authenticated:
        return f"{coordinate} needs an authenticated client application"
    if need.personal is not None and caller.purpose is None:
        return f"{coordinate} is personal data: state the purpose of the request"
    requirement = need.requirement
    if any(not any(n <= caller.scopes for n in clause) for clause in requirement.scopes):
        return f"{coordinate} needs a scope this client does not hold"
    return f"{coordinate} needs a grant this client does not hold for this purpose"
