"""The access-control specs: ``@authenticated`` (v0.1), ``@requiresScopes`` (v0.1) and
``@policy`` (v0.1), linked ``for: SECURITY``.

Each marks a type or a field with what a caller needs to reach it: being authenticated,
holding all the scopes of one of the listed sets, holding all the policies of one of the
listed sets. Several marks on one element (and on the element's type) must all hold. The
composer reads an element's marks into :class:`AccessMarks` (subgraphs import the
directives from federation, :data:`FEDERATION`), merges them across subgraphs and prints
them with the definitions below; the gateway reads the marks back with
:func:`requirement_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from graphql import ConstDirectiveNode, value_from_ast_untyped

from .link import ANY_VALUE, FederationDirective, strings_text

__all__ = [
    "AUTHENTICATED",
    "FEDERATION",
    "POLICY",
    "REQUIRES_SCOPES",
    "SPECS",
    "AccessMarks",
    "AccessSpec",
    "Alternatives",
    "Requirement",
    "Requirements",
    "access_marks_of",
    "access_marks_text",
    "merge_access_marks",
    "merge_requirements",
    "requirement_of",
    "supergraph_texts",
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

Requirements = tuple[tuple[str, ...], ...]
"""``@requiresScopes(scopes:)`` or ``@policy(policies:)`` as the composer keeps them: any
one inner list suffices, and all of its items must hold."""


@dataclass(frozen=True, slots=True)
class AccessMarks:
    """An element's access-control marks, as the composer merges and prints them."""

    authenticated: bool = False
    scopes: Requirements = ()
    policies: Requirements = ()

    def names(self) -> Iterator[str]:
        """The directives applied, by their spec's name."""
        applied = (self.authenticated, bool(self.scopes), bool(self.policies))
        specs = (AUTHENTICATED, REQUIRES_SCOPES, POLICY)
        return (spec.name for spec, on in zip(specs, applied, strict=True) if on)


def access_marks_of(applied: Mapping[str, Mapping[str, object]]) -> AccessMarks:
    """An element's :class:`AccessMarks` from the arguments of the directives applied to
    it, by their names in :data:`FEDERATION`."""
    scopes, policies = applied.get(REQUIRES_SCOPES.name), applied.get(POLICY.name)
    return AccessMarks(
        authenticated=AUTHENTICATED.name in applied,
        scopes=() if scopes is None else _requirements(scopes.get("scopes")),
        policies=() if policies is None else _requirements(policies.get("policies")),
    )


def _requirements(value: object) -> Requirements:
    if not isinstance(value, list):
        return ()
    return tuple(tuple(map(str, g)) for g in value if isinstance(g, list))


def merge_access_marks(first: AccessMarks, second: AccessMarks) -> AccessMarks:
    """One element's marks from two declarations: ``@authenticated`` if either says so,
    the requirements of both."""
    return AccessMarks(
        first.authenticated or second.authenticated,
        merge_requirements(first.scopes, second.scopes),
        merge_requirements(first.policies, second.policies),
    )


def merge_requirements(first: Requirements, second: Requirements) -> Requirements:
    """Both requirements at once: every pair of alternatives joined, then the alternatives
    another one already implies dropped (a subgraph with none adds none)."""
    if not first or not second:
        return first or second
    joined = {tuple(sorted(set(a) | set(b))) for a in first for b in second}
    kept: list[tuple[str, ...]] = []
    for candidate in sorted(joined, key=len):
        if not any(set(existing) <= set(candidate) for existing in kept):
            kept.append(candidate)
    return tuple(sorted(kept, key=lambda group: (len(group), ",".join(group))))


def access_marks_text(marks: AccessMarks) -> list[str]:
    """The applications printing ``marks`` on an element of the supergraph."""
    found = []
    if marks.authenticated:
        found.append(f"@{AUTHENTICATED.name}")
    if marks.policies:
        found.append(f"@{POLICY.name}(policies: {_requirements_text(marks.policies)})")
    if marks.scopes:
        found.append(f"@{REQUIRES_SCOPES.name}(scopes: {_requirements_text(marks.scopes)})")
    return found


def _requirements_text(requirements: Requirements) -> str:
    return "[" + ", ".join(strings_text(group) for group in requirements) + "]"


def supergraph_texts(marks: Iterable[AccessMarks]) -> list[tuple[str, str]]:
    """The ``@link`` and definitions of each spec some of ``marks`` apply, in the order
    the reference composer prints them."""
    used: set[str] = set()
    for element in marks:
        used.update(element.names())
    return [
        (f'@link(url: "{spec.url}", for: SECURITY)', spec.definitions)
        for spec in (POLICY, REQUIRES_SCOPES, AUTHENTICATED)
        if spec.name in used
    ]


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
