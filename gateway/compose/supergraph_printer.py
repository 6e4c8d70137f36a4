"""Printing the merged types as a supergraph SDL: ``@link`` v1.0 and join v0.5, with every
directive definition, laid out like the standard composers print it.

The specs of the directives elements keep (``tag``, ``inaccessible``, ``cost``, ``policy``,
``requiresScopes``, ``authenticated``) are linked and defined only when something applies
them, then the specs of composed directives, in the order the reference composer uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from graphql.language.block_string import print_block_string
from graphql.language.print_string import print_string

from ..specs import access_control, context, cost, inaccessible, join, link, tag
from ..supergraph.model import TypeKind
from .composed_directives import DirectiveDefinition, SpecLink
from .marks import Marks
from .merged import MergedArgument, MergedField, MergedType
from .subgraph import SubgraphSchema

__all__ = ["graph_enum_values", "print_supergraph"]

_KEYWORDS = {
    TypeKind.OBJECT: "type",
    TypeKind.INTERFACE: "interface",
    TypeKind.UNION: "union",
    TypeKind.ENUM: "enum",
    TypeKind.INPUT: "input",
    TypeKind.SCALAR: "scalar",
}


def graph_enum_values(names: Sequence[str]) -> dict[str, str]:
    """Subgraph name to ``join__Graph`` value: upper-cased, non-word characters as ``_``,
    a leading digit prefixed with ``_``, duplicates numbered ``_1``, ``_2``, ..."""
    proposed: dict[str, str] = {}
    for name in names:
        value = re.sub(r"\W", "_", name).upper()
        proposed[name] = f"_{value}" if value[:1].isdigit() else value
    counts: dict[str, int] = {}
    for value in proposed.values():
        counts[value] = counts.get(value, 0) + 1
    seen: dict[str, int] = {}
    result = {}
    for name, value in proposed.items():
        if counts[value] > 1:
            seen[value] = seen.get(value, 0) + 1
            value = f"{value}_{seen[value]}"
        result[name] = value
    return result


def print_supergraph(
    subgraphs: Sequence[SubgraphSchema],
    types: Sequence[MergedType],
    spec_links: Sequence[SpecLink] = (),
    composed: Sequence[DirectiveDefinition] = (),
) -> str:
    """The supergraph SDL for ``types`` merged from ``subgraphs`` (in graph order), with the
    linked specs and composed directive definitions of :mod:`.composed_directives`."""
    graphs = graph_enum_values([s.name for s in subgraphs])
    demand_names = dict(cost.DEFAULT_NAMES)
    for subgraph in subgraphs:
        demand_names.update(subgraph.demand_names)
    printer = _Printer(graphs, demand_names, {d.name for d in composed if not d.repeatable})
    links = [
        f'@link(url: "{link.URL}")',
        f'@link(url: "{join.URL}", for: EXECUTION)',
    ]
    definitions = [join.DEFINITIONS + "\n\n" + link.DEFINITION]

    def used(test: Callable[[Marks], bool]) -> bool:
        return any(printer.marks_in(t, test) for t in types)

    if used(lambda m: bool(m.tags)):
        links.append(f'@link(url: "{tag.URL}")')
        definitions.append(tag.DEFINITION)
    demand = cost.supergraph_texts(
        demand_names, (m.demand for t in types for m in _Printer.all_marks(t))
    )
    if demand is not None:
        links.append(demand[0])
        definitions.append(demand[1])
    if used(lambda m: m.inaccessible):
        links.append(f'@link(url: "{inaccessible.URL}", for: SECURITY)')
        definitions.append(inaccessible.DEFINITION)
    for access_link, access_definitions in access_control.supergraph_texts(
        m.access for t in types for m in _Printer.all_marks(t)
    ):
        links.append(access_link)
        definitions.append(access_definitions)
    if any(t.contexts for t in types):
        # contextual arguments are the gateway's to fill, never a client's
        links.append(f'@link(url: "{context.URL}", for: SECURITY)')
        definitions.append(context.DEFINITIONS)
    links += [_spec_link(spec) for spec in spec_links]
    definitions += [_directive_definition(d) for d in composed]
    names = {t.name for t in types}
    roots = [
        f"  {kind}: {name}"
        for kind, name in (
            ("query", "Query"),
            ("mutation", "Mutation"),
            ("subscription", "Subscription"),
        )
        if name in names
    ]
    graph_enum = "\n".join(
        f"  {value} @join__graph(name: {print_string(s.name)}, url: {print_string(s.url)})"
        for s, value in ((s, graphs[s.name]) for s in subgraphs)
    )
    blocks = [
        "schema\n  " + "\n  ".join(links) + "\n{\n" + "\n".join(roots) + "\n}",
        *definitions,
        join.TYPES,
        "enum join__Graph {\n" + graph_enum + "\n}",
        link.TYPES,
        *(printer.type(t) for t in types),
    ]
    return "\n\n".join(blocks) + "\n"


def _spec_link(link: SpecLink) -> str:
    imports = [
        print_string(name)
        if alias is None
        else f"{{name: {print_string(name)}, as: {print_string(alias)}}}"
        for name, alias in link.imports
    ]
    return f"@link(url: {print_string(link.url)}, import: [{', '.join(imports)}])"


def _directive_definition(definition: DirectiveDefinition) -> str:
    arguments = [
        f"{a.name}: {a.type}" + (f" = {a.default}" if a.default is not None else "")
        for a in definition.arguments
    ]
    return (
        f"directive @{definition.name}"
        + (f"({', '.join(arguments)})" if arguments else "")
        + (" repeatable" if definition.repeatable else "")
        + " on "
        + " | ".join(definition.locations)
    )


class _Printer:
    def __init__(
        self, graphs: Mapping[str, str], demand_names: Mapping[str, str], single: set[str]
    ):
        self.graphs = graphs
        self.demand_names = demand_names
        self.single = single
        """Composed directives that are not repeatable: the first application is kept."""

    @staticmethod
    def all_marks(merged: MergedType) -> list[Marks]:
        """The marks of ``merged`` and of its fields, arguments and values."""
        marks: list[Marks] = [merged.marks]
        for field in merged.fields:
            marks.append(field.marks)
            marks += [a.marks for a in field.arguments]
        marks += [a.marks for a in merged.input_fields]
        marks += [v.marks for v in merged.values]
        return marks

    @staticmethod
    def marks_in(merged: MergedType, test: Callable[[Marks], bool]) -> bool:
        return any(test(m) for m in _Printer.all_marks(merged))

    def marks(self, marks: Marks) -> list[str]:
        found: list[str] = [f"@tag(name: {print_string(t)})" for t in marks.tags]
        if marks.inaccessible:
            found.append("@inaccessible")
        found += access_control.access_marks_text(marks.access)
        found += cost.demand_text(marks.demand, self.demand_names)
        if marks.deprecated is not None:
            found.append(marks.deprecated)
        seen: set[str] = set()
        for name, application in marks.composed:
            if name not in seen or name not in self.single:
                found.append(application)
            seen.add(name)
        return found

    def type(self, merged: MergedType) -> str:
        head = _description(merged.description, "")
        head += f"{_KEYWORDS[merged.kind]} {merged.name}"
        if merged.interfaces:
            head += " implements " + " & ".join(merged.interfaces)
        directives = [join.join_type_text(j, self.graphs) for j in merged.joins]
        directives += [
            f"@join__implements(graph: {self.graphs[g]}, interface: {print_string(i)})"
            for g, i in merged.implements
        ]
        directives += [
            f"@join__unionMember(graph: {self.graphs[g]}, member: {print_string(m)})"
            for g, m in merged.union_members
        ]
        directives += self.marks(merged.marks)
        directives += [f"@context(name: {print_string(c)})" for c in merged.contexts]
        if merged.specified_by is not None:
            directives.append(f"@specifiedBy(url: {print_string(merged.specified_by)})")
        head += "".join(f" {d}" for d in directives)
        if merged.kind is TypeKind.UNION:
            return head + (" = " + " | ".join(merged.members) if merged.members else "")
        if merged.kind is TypeKind.SCALAR:
            return head
        if merged.kind is TypeKind.ENUM:
            lines = [
                _description(v.description, "  ")
                + f"  {v.name}"
                + "".join(f" @join__enumValue(graph: {self.graphs[g]})" for g in v.graphs)
                + "".join(f" {d}" for d in self.marks(v.marks))
                for v in merged.values
            ]
        elif merged.kind is TypeKind.INPUT:
            lines = [self.argument(a, "  ") for a in merged.input_fields]
        else:
            lines = [self.field(f) for f in merged.fields]
        return head + " {\n" + "\n".join(lines) + "\n}"

    def field(self, field: MergedField) -> str:
        text = _description(field.description, "  ") + f"  {field.name}"
        if field.arguments:
            text += "(" + ", ".join(self.argument(a, "") for a in field.arguments) + ")"
        text += f": {field.type}"
        directives = [join.join_field_text(j, self.graphs) for j in field.joins]
        directives += self.marks(field.marks)
        return text + "".join(f" {d}" for d in directives)

    def argument(self, argument: MergedArgument, indent: str) -> str:
        # Descriptions of arguments are printed inline to keep one field on one line.
        text = ""
        if argument.description:
            text = print_string(argument.description) + " "
        text = f"{indent}{text}{argument.name}: {argument.type}"
        if argument.default is not None:
            text += f" = {argument.default}"
        return text + "".join(f" {d}" for d in self.marks(argument.marks))


def _description(text: str | None, indent: str) -> str:
    if not text:
        return ""
    block = print_block_string(text)
    return "\n".join(indent + line if line else line for line in block.split("\n")) + "\n"
