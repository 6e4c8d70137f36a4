"""Custom directives a subgraph keeps in the supergraph with ``@composeDirective``.

A subgraph links its own spec, ``@link(url: "https://example.dev/hello/v1.0", import:
["@hello"])``, defines ``directive @hello``, and asks for it with
``@composeDirective(name: "@hello")``. The supergraph then links the spec (the highest
version any subgraph links), defines the directive (locations and arguments of every
subgraph that composes it) and keeps its applications from those subgraphs.

As the reference composer does, every linked spec that imports a directive reaches the
supergraph's ``@link``s, composed or not, and must be linked alike everywhere: one major
version, one name per directive, one spec per directive name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphql import DirectiveDefinitionNode, DocumentNode, print_ast

from ..specs import federation
from ..specs.link import (
    IDENTITY,
    arguments_of,
    import_names,
    imports_of,
    parse_url,
    schema_directives,
)
from .errors import CompositionError, CompositionErrorCode, and_list
from .links import FederationLink

__all__ = [
    "ComposedDirectives",
    "DirectiveArgument",
    "DirectiveDefinition",
    "SpecLink",
    "merge_composed_directives",
    "read_composed_directives",
]


@dataclass(frozen=True, slots=True)
class SpecLink:
    """A subgraph's ``@link`` to a spec other than federation's, with its directive
    imports as ``(name, alias)`` (``("@hello", None)``, ``("@hello", "@hi")``)."""

    identity: str
    version: tuple[int, int]
    imports: tuple[tuple[str, str | None], ...]

    @property
    def url(self) -> str:
        return f"{self.identity}/v{self.version[0]}.{self.version[1]}"


@dataclass(frozen=True, slots=True)
class DirectiveArgument:
    name: str
    type: str
    default: str | None


@dataclass(frozen=True, slots=True)
class DirectiveDefinition:
    name: str
    arguments: tuple[DirectiveArgument, ...]
    repeatable: bool
    locations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComposedDirectives:
    """One subgraph's linked specs and the definitions of the directives it composes."""

    links: tuple[SpecLink, ...] = ()
    definitions: Mapping[str, DirectiveDefinition] = field(default_factory=dict)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.definitions)


def _spec_links(document: DocumentNode, link: FederationLink) -> tuple[SpecLink, ...]:
    found = []
    for directive in schema_directives(document):
        if directive.name.value != link.link_name:
            continue
        args = arguments_of(directive)
        spec = parse_url(args.get("url"))
        if spec is None or spec.identity in (federation.IDENTITY, IDENTITY):
            continue  # a malformed url is reported with the federation link
        directives = []
        for item in imports_of(args):
            name, local = import_names(item)
            if name is not None and name.startswith("@"):
                directives.append((name, local if local != name else None))
        if directives:
            found.append(SpecLink(spec.identity, spec.version, tuple(directives)))
    return tuple(found)


def _definition(node: DirectiveDefinitionNode) -> DirectiveDefinition:
    return DirectiveDefinition(
        name=node.name.value,
        arguments=tuple(
            DirectiveArgument(
                a.name.value,
                print_ast(a.type),
                print_ast(a.default_value) if a.default_value is not None else None,
            )
            for a in node.arguments or ()
        ),
        repeatable=node.repeatable,
        locations=tuple(location.value for location in node.locations),
    )


def read_composed_directives(
    subgraph: str, document: DocumentNode, link: FederationLink
) -> tuple[ComposedDirectives, list[CompositionError]]:
    """The subgraph's spec links and composed directives; a composed directive must be
    defined here and imported from a linked spec (``DIRECTIVE_COMPOSITION_ERROR``)."""
    links = _spec_links(document, link)
    defined = {
        d.name.value: d for d in document.definitions if isinstance(d, DirectiveDefinitionNode)
    }
    imported = {(alias or name).lstrip("@") for spec in links for name, alias in spec.imports}
    compose_names = {local for local, name in link.directives.items() if name == "composeDirective"}
    errors: list[CompositionError] = []
    definitions: dict[str, DirectiveDefinition] = {}
    for directive in schema_directives(document):
        value = arguments_of(directive).get("name")
        if directive.name.value not in compose_names or not isinstance(value, str):
            continue
        name = value.lstrip("@")
        if name not in defined:
            message = (
                "Could not find matching directive definition for argument to "
                f'@composeDirective "@{name}" in subgraph "{subgraph}".'
            )
        elif name not in imported:
            message = (
                f'Directive "@{name}" in subgraph "{subgraph}" cannot be composed because '
                "it is not a member of a core feature"
            )
        else:
            definitions[name] = _definition(defined[name])
            continue
        errors.append(CompositionError(CompositionErrorCode.DIRECTIVE_COMPOSITION_ERROR, message))
    return ComposedDirectives(links, definitions), errors


def merge_composed_directives(
    subgraphs: Sequence[tuple[str, ComposedDirectives]],
) -> tuple[list[SpecLink], list[DirectiveDefinition], list[CompositionError]]:
    """The supergraph's spec links and composed directive definitions, from every
    subgraph's (in graph order), or why they cannot be merged."""
    errors = _link_errors(subgraphs)
    links: dict[str, SpecLink] = {}
    for _, composed in subgraphs:
        for spec in composed.links:
            known = links.get(spec.identity)
            if known is None:
                links[spec.identity] = spec
                continue
            names = {name for name, _ in known.imports}
            links[spec.identity] = SpecLink(
                spec.identity,
                max(known.version, spec.version),
                known.imports + tuple(i for i in spec.imports if i[0] not in names),
            )
    definitions: dict[str, list[tuple[str, DirectiveDefinition]]] = {}
    for subgraph, composed in subgraphs:
        for name, definition in composed.definitions.items():
            definitions.setdefault(name, []).append((subgraph, definition))
    merged = []
    for name, declared in definitions.items():
        definition, error = _merge_definition(name, declared)
        merged.append(definition)
        errors += error
    return list(links.values()), merged, errors


def _link_errors(subgraphs: Sequence[tuple[str, ComposedDirectives]]) -> list[CompositionError]:
    majors: dict[str, int] = {}
    local_names: dict[str, dict[str, list[str]]] = {}
    identities: dict[str, set[str]] = {}
    errors: list[CompositionError] = []
    for subgraph, composed in subgraphs:
        for spec in composed.links:
            major = majors.setdefault(spec.identity, spec.version[0])
            if major != spec.version[0]:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.DIRECTIVE_COMPOSITION_ERROR,
                        f'Core feature "{spec.identity}" requested to be merged has major '
                        "version mismatch across subgraphs",
                    )
                )
            for name, alias in spec.imports:
                by_name = local_names.setdefault(name, {})
                by_name.setdefault(alias or name, []).append(subgraph)
                identities.setdefault(alias or name, set()).add(spec.identity)
    for name, by_local in local_names.items():
        if len(by_local) > 1:
            groups = [
                f"name {and_list([local])} in subgraph{'s' if len(graphs) > 1 else ''} "
                + '"'
                + '", "'.join(graphs)
                + '"'
                for local, graphs in by_local.items()
            ]
            errors.append(
                CompositionError(
                    CompositionErrorCode.DIRECTIVE_COMPOSITION_ERROR,
                    f'Composed directive "{name}" has incompatible name across subgraphs: it '
                    f"has {groups[0]} but {' and '.join(groups[1:])}. Composed directive must "
                    "have the same name across all subgraphs.",
                )
            )
    for local, specs in identities.items():
        if len(specs) > 1:
            errors.append(
                CompositionError(
                    CompositionErrorCode.DIRECTIVE_COMPOSITION_ERROR,
                    f'Composed directive "{local}" is not linked by the same core feature in '
                    "every subgraph",
                )
            )
    return errors


def _merge_definition(
    name: str, declared: Sequence[tuple[str, DirectiveDefinition]]
) -> tuple[DirectiveDefinition, list[CompositionError]]:
    """Locations and arguments add up; an argument's type must be the same everywhere."""
    locations: dict[str, None] = {}
    arguments: dict[str, DirectiveArgument] = {}
    types: dict[str, dict[str, list[str]]] = {}
    for subgraph, definition in declared:
        locations.update(dict.fromkeys(definition.locations))
        for argument in definition.arguments:
            known = arguments.get(argument.name)
            arguments[argument.name] = DirectiveArgument(
                argument.name,
                argument.type if known is None or argument.type.endswith("!") else known.type,
                argument.default
                if argument.default is not None or known is None
                else known.default,
            )
            types.setdefault(argument.name, {}).setdefault(argument.type, []).append(subgraph)
    errors = [
        # The reference composer keeps one of the types and prints a supergraph whose
        # applications may not match it; refusing is the safer answer.
        CompositionError(
            CompositionErrorCode.DIRECTIVE_COMPOSITION_ERROR,
            f'Composed directive "@{name}" has incompatible definitions: argument '
            f'"{argument}" has type '
            + " but ".join(f'"{type_}" in {and_list(graphs)}' for type_, graphs in by_type.items()),
        )
        for argument, by_type in types.items()
        if len(by_type) > 1
    ]
    merged = DirectiveDefinition(
        name=name,
        arguments=tuple(arguments.values()),
        repeatable=any(d.repeatable for _, d in declared),
        locations=tuple(locations),
    )
    return merged, errors
