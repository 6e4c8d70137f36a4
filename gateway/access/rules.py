"""What the supergraph says a caller needs, element by element.

Owners mark types and fields with ``@authenticated``, ``@requiresScopes`` and ``@policy``
(:mod:`gateway.specs.access_control`), and personal data with ``@tag(name: "pdp:...")``
(``pdp:pribadi`` personal data, ``pdp:spesifik`` specific personal data under UU 27/2022),
and what identifies a data subject with ``@tag(name: "pdp:subjek")`` on an argument or a
field (a NIK): the access record names the subjects of each processing by it.
:class:`AccessRules` reads the marks once and answers, for a field as a client selects it,
the :class:`Need` a caller must meet. The answer is strict where the schema is abstract: a
field selected on an interface needs what every implementation's field needs, and a field
returning an interface or union needs what every possible type needs, so no protected
object can be reached through a wider type.

Personal data is closed by default: a field marked personal must also carry a scope or a
policy that some grant can open; one that carries none is refused to every caller.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graphql import (
    ConstDirectiveNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_abstract_type,
    value_from_ast_untyped,
)

from ..specs.access_control import SPECS, Requirement, requirement_of
from ..supergraph.model import Supergraph
from .caller import Caller

__all__ = ["PERSONAL_TAG_PREFIX", "SUBJECT_TAG", "AccessRules", "Need"]

log = logging.getLogger("gateway.access")

PERSONAL_TAG_PREFIX = "pdp:"
"""``@tag(name: "pdp:<category>")`` marks personal data of that category."""

SUBJECT_TAG = "pdp:subjek"
"""Marks an argument or field whose value identifies a data subject (not a category)."""


@dataclass(frozen=True, slots=True)
class Need:
    """What a caller must meet to reach one element as the operation selects it."""

    requirement: Requirement
    personal: str | None = None
    """The personal-data category (``pribadi``, ``spesifik``), if the element is one."""
    closed: bool = False
    """Personal data that no grant can open: no scope or policy guards it."""

    def met_by(self, caller: Caller) -> bool:
        """Whether ``caller`` may reach the element."""
        if self.closed:
            return False
        if self.personal is not None and caller.purpose is None:
            # UU 27/2022: no processing of personal data without a stated purpose
            return False
        return self.requirement.satisfied(
            caller.authenticated, caller.scopes, frozenset(caller.policies)
        )


@dataclass(frozen=True, slots=True)
class _Marks:
    requirement: Requirement
    personal: str | None


_NONE = _Marks(Requirement(), None)
_AUTHENTICATED = Requirement(authenticated=True)


class AccessRules:
    """The access marks of one supergraph, answered per element of its API schema."""

    def __init__(
        self,
        supergraph: Supergraph,
        api_schema: GraphQLSchema,
        public: Sequence[str] = ("*",),
    ) -> None:
        self._api = api_schema
        self._public = tuple(public)
        """Field coordinates (``Type.field``, ``Type.*``, ``*``) anonymous callers may reach
        when nothing else guards them; any other field needs an authenticated caller."""
        names = {
            spec: supergraph.spec_names[spec] for spec in SPECS if spec in supergraph.spec_names
        }
        tag = supergraph.spec_names.get("tag", "tag")
        self._types: dict[str, _Marks] = {}
        self._fields: dict[tuple[str, str], _Marks] = {}
        self._subject_arguments: dict[tuple[str, str], tuple[str, ...]] = {}
        self._subject_fields: dict[str, tuple[str, ...]] = {}
        for type_ in supergraph.schema.type_map.values():
            nodes = [type_.ast_node, *type_.extension_ast_nodes] if type_.ast_node else []
            directives = [d for node in nodes for d in getattr(node, "directives", None) or ()]
            marks = _marks(directives, names, tag)
            if marks is not _NONE:
                self._types[type_.name] = marks
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                for field_name, field in type_.fields.items():
                    if field.ast_node is None:
                        continue
                    marks = _marks(field.ast_node.directives or (), names, tag)
                    if marks is not _NONE:
                        self._fields[type_.name, field_name] = marks
                    if _tagged(field.ast_node.directives or (), tag, SUBJECT_TAG):
                        self._subject_fields.setdefault(type_.name, ())
                        self._subject_fields[type_.name] += (field_name,)
                    arguments = tuple(
                        argument.name.value
                        for argument in field.ast_node.arguments or ()
                        if _tagged(argument.directives or (), tag, SUBJECT_TAG)
                    )
                    if arguments:
                        self._subject_arguments[type_.name, field_name] = arguments
        self.scopes, self.policies = _names(
            m.requirement for m in (*self._types.values(), *self._fields.values())
        )
        """Every scope and every policy the supergraph names."""
        self._needs: dict[tuple[str, str | None], Need | None] = {}
        closed = sorted(
            f"{t}.{f}" if f else t
            for (t, f) in {(t, None) for t in self._types} | set(self._fields)
            if (need := self._need_of(t, f)) is not None and need.closed
        )
        if closed:
            log.warning(
                "personal data without a scope or policy is refused to every caller: %s",
                ", ".join(closed),
            )

    def __bool__(self) -> bool:
        """Whether the supergraph marks anything at all."""
        return bool(self._types or self._fields) or self._public != ("*",)

    def subject_arguments(self, parent: str, field_name: str) -> tuple[str, ...]:
        """The arguments of ``parent.field_name`` that identify a data subject."""
        found = self._subject_arguments.get((parent, field_name), ())
        for possible in self._possible_names(parent):
            found += self._subject_arguments.get((possible, field_name), ())
        return tuple(dict.fromkeys(found))

    def subject_fields(self, type_name: str) -> tuple[str, ...]:
        """The fields of ``type_name`` whose values identify a data subject (present on
        every possible type, when ``type_name`` is abstract)."""
        possible = self._possible_names(type_name)
        if not possible:
            return self._subject_fields.get(type_name, ())
        shared = [set(self._subject_fields.get(p, ())) for p in possible]
        return tuple(sorted(set.intersection(*shared))) if shared else ()

    def _possible_names(self, type_name: str) -> list[str]:
        type_ = self._api.get_type(type_name)
        return self._possible(type_) if type_ is not None else []

    def type_need(self, type_name: str) -> Need | None:
        """What reaching an object of ``type_name`` needs (a fragment on it); ``None``: open."""
        key = (type_name, None)
        if key not in self._needs:
            self._needs[key] = self._need_of(type_name, None)
        return self._needs[key]

    def field_need(self, parent: str, field_name: str) -> Need | None:
        """What selecting ``field_name`` on the API type ``parent`` needs; ``None``: open."""
        key = (parent, field_name)
        if key not in self._needs:
            self._needs[key] = self._need_of(parent, field_name)
        return self._needs[key]

    def _need_of(self, parent_name: str, field_name: str | None) -> Need | None:
        parent = self._api.get_type(parent_name)
        if parent is None:
            return None
        marks = [self._types.get(parent_name, _NONE)]
        for possible in self._possible(parent):
            marks.append(self._types.get(possible, _NONE))
            if field_name is not None:
                marks.append(self._fields.get((possible, field_name), _NONE))
        if field_name is not None:
            marks.append(self._fields.get((parent_name, field_name), _NONE))
            field = getattr(parent, "fields", {}).get(field_name)
            if field is not None:
                returned = get_named_type(field.type)
                marks.append(self._types.get(returned.name, _NONE))
                marks += [self._types.get(p, _NONE) for p in self._possible(returned)]
        requirement = Requirement()
        if field_name is not None and not self._is_public(parent_name, field_name):
            requirement = _AUTHENTICATED
        personal = None
        for mark in marks:
            requirement &= mark.requirement
            personal = personal or mark.personal
        if not requirement and personal is None:
            return None
        closed = personal is not None and not (requirement.scopes or requirement.policies)
        return Need(requirement, personal, closed)

    def _is_public(self, type_name: str, field_name: str) -> bool:
        if field_name.startswith("__") or self._public == ("*",):
            return True
        coordinate = f"{type_name}.{field_name}"
        return any(fnmatch.fnmatchcase(coordinate, pattern) for pattern in self._public)

    def _possible(self, type_: GraphQLNamedType) -> list[str]:
        if is_abstract_type(type_):
            assert isinstance(type_, GraphQLInterfaceType | GraphQLUnionType)
            return [t.name for t in self._api.get_possible_types(type_)]
        return []


def _marks(directives: Iterable[ConstDirectiveNode], names: Mapping[str, str], tag: str) -> _Marks:
    directives = list(directives)
    requirement = requirement_of(directives, names)
    personal = None
    for directive in directives:
        if directive.name.value != tag:
            continue
        for argument in directive.arguments or ():
            value = value_from_ast_untyped(argument.value)
            named = argument.name.value == "name" and isinstance(value, str)
            if named and value != SUBJECT_TAG and str(value).startswith(PERSONAL_TAG_PREFIX):
                personal = value[len(PERSONAL_TAG_PREFIX) :] or "pribadi"
    if not requirement and personal is None:
        return _NONE
    return _Marks(requirement, personal)


def _tagged(directives: Iterable[ConstDirectiveNode], tag: str, name: str) -> bool:
    return any(
        directive.name.value == tag
        and any(
            argument.name.value == "name" and value_from_ast_untyped(argument.value) == name
            for argument in directive.arguments or ()
        )
        for directive in directives
    )


def _names(requirements: Iterable[Requirement]) -> tuple[frozenset[str], frozenset[str]]:
    scopes: set[str] = set()
    policies: set[str] = set()
    for requirement in requirements:
        found_scopes, found_policies = requirement.names()
        scopes |= found_scopes
        policies |= found_policies
    return frozenset(scopes), frozenset(policies)
