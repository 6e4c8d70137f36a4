"""The access-control specs: ``@authenticated`` (v0.1), ``@requiresScopes`` (v0.1) and
``@policy`` (v0.1), linked ``for: SECURITY``.

Each marks a type or a field with what a caller needs to reach it: being authenticated,
holding all the scopes of one of the listed sets, holding all the policies of one of the
listed sets. Several marks on one element (and on the element's type) must all hold. The
composer prints the definitions below into the supergraph (subgraphs import the directives
from federation, :data:`FEDERATION`); the gateway reads the marks back with
:func:`requirement_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import ConstDirectiveNode, value_from_ast_untyped

from .link import ANY_VALUE, FederationDirective

__all__ = [
    "AUTHENTICATED",
    "FEDERATION",
    "POLICY",
    "REQUIRES_SCOPES",
    "SPECS",
    "AccessSpec",
    "Alternatives",
    "Requirement",
    "requirement_of",
]

Alternatives = tuple[frozenset[str], ...]
"""One mark's argument: satisfied when the caller holds every name of one of the sets."""


@dataclass(frozen=True, slots=True)
class AccessSpec:
    """One access-control spec as the supergraph links it."""

    name: str
    """The spec's name in its URL, which is also its directive's default name."""
    version: str
    definitions: str
    """The directive (and scalar) definitions a supergraph carries when it uses the spec."""

    @property
    def url(self) -> str:
        return f"https://specs.apollo.dev/{self.name}/v{self.version}"


AUTHENTICATED = AccessSpec(
    "authenticated",
    "0.1",
    "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
)
REQUIRES_SCOPES = AccessSpec(
    "requiresScopes",
    "0.1",
    """
directive @requiresScopes(
  scopes: [[requiresScopes__Scope!]!]!
) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM

scalar requiresScopes__Scope
""".strip(),
)
POLICY = AccessSpec(
    "policy",
    "0.1",
    """
directive @policy(
  policies: [[policy__Policy!]!]!
) on ENUM | FIELD_DEFINITION | INTERFACE | OBJECT | SCALAR

scalar policy__Policy
""".strip(),
)
SPECS: Mapping[str, AccessSpec] = {
    spec.name: spec for spec in (AUTHENTICATED, REQUIRES_SCOPES, POLICY)
}
"""The ``for: SECURITY`` specs the gateway enforces, by name."""
_MARKED = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
FEDERATION: Mapping[str, FederationDirective] = {
    "authenticated": FederationDirective((2, 5), f"on {_MARKED}"),
    "requiresScopes": FederationDirective((2, 5), f"(scopes: {ANY_VALUE}!) on {_MARKED}"),
    "policy": FederationDirective((2, 6), f"(policies: {ANY_VALUE}!) on {_MARKED}"),
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a caller needs to reach one element: every clause must hold."""

    authenticated: bool = False
    scopes: tuple[Alternatives, ...] = ()
    policies: tuple[Alternatives, ...] = ()

    def __bool__(self) -> bool:
        return self.authenticated or bool(self.scopes) or bool(self.policies)

    def __and__(self, other: Requirement) -> Requirement:
        if not other:
            return self
        if not self:
            return other
        return Requirement(
            self.authenticated or other.authenticated,
            _merged(self.scopes, other.scopes),
            _merged(self.policies, other.policies),
        )

    def satisfied(
        self, authenticated: bool, scopes: frozenset[str], policies: frozenset[str]
    ) -> bool:
        """Whether a caller with these credentials meets every clause."""
        if (self.authenticated or self.scopes or self.policies) and not authenticated:
            # scopes and policies belong to an identity: an anonymous caller has none
            return False
        return all(any(need <= scopes for need in clause) for clause in self.scopes) and all(
            any(need <= policies for need in clause) for clause in self.policies
        )

    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Every scope and every policy named by the clauses."""
        return (
            frozenset(name for clause in self.scopes for need in clause for name in need),
            frozenset(name for clause in self.policies for need in clause for name in need),
        )


def _merged(
    first: tuple[Alternatives, ...], second: tuple[Alternatives, ...]
) -> tuple[Alternatives, ...]:
    return first + tuple(clause for clause in second if clause not in first)


def requirement_of(
    directives: Iterable[ConstDirectiveNode], names: Mapping[str, str]
) -> Requirement:
    """The requirement the access marks among ``directives`` make.

    ``names`` maps a spec's name (``authenticated``, ``requiresScopes``, ``policy``) to its
    directive's name in this supergraph (``@link(as:)`` may rename it); specs not linked
    are absent and their directives ignored.
    """
    by_name = {directive_name: spec for spec, directive_name in names.items()}
    authenticated = False
    scopes: list[Alternatives] = []
    policies: list[Alternatives] = []
    for directive in directives:
        spec = by_name.get(directive.name.value)
        if spec is None:
            continue
        if spec == AUTHENTICATED.name:
            authenticated = True
            continue
        argument = "scopes" if spec == REQUIRES_SCOPES.name else "policies"
        clause = _alternatives(directive, argument)
        (scopes if spec == REQUIRES_SCOPES.name else policies).append(clause)
    return Requirement(authenticated, tuple(scopes), tuple(policies))


def _alternatives(directive: ConstDirectiveNode, argument: str) -> Alternatives:
    for node in directive.arguments or ():
        if node.name.value == argument:
            value = value_from_ast_untyped(node.value)
            if isinstance(value, list):
                return tuple(
                    frozenset(str(name) for name in group)
                    for group in value
                    if isinstance(group, list)
                )
    # a mark without alternatives can never be met: the element stays closed
    return (frozenset({"\0unsatisfiable"}),)
