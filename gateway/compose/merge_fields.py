"""Merging object and interface types: fields by union, with the join metadata saying which
subgraph resolves what.

For every field this decides the supergraph type (the most general of the subgraphs'
types), the ``@join__field`` of each declaring subgraph (``external``, ``requires``,
``provides``, ``override``, the subgraph's own type when it differs), and checks the
rules that need all subgraphs at once: ``INVALID_FIELD_SHARING``, ``FIELD_TYPE_MISMATCH``,
``EXTERNAL_MISSING_ON_BASE``, ``OVERRIDE_SOURCE_HAS_OVERRIDE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..supergraph.model import TypeKind
from .declarations import Declarations
from .descriptions import merge_descriptions
from .errors import CompositionError, CompositionErrorCode, and_list
from .marks import merge_marks
from .merge_inputs import as_merged, merge_arguments
from .merged import JoinField, JoinType, MergedField, MergedType
from .subgraph import Field, SubgraphSchema, TypeDef
from .type_refs import is_subtype, most_general

__all__ = ["merge_composite"]


@dataclass(frozen=True, slots=True)
class _Declared:
    """One subgraph's declaration of the field being merged."""

    subgraph: SubgraphSchema
    type: TypeDef
    field: Field
    as_key: bool
    """Selected at the top of one of the type's keys in this subgraph."""
    in_key: bool
    """Selected by a key at any depth (key fields are shareable)."""
    required: bool
    provided: bool

    @property
    def graph(self) -> str:
        return self.subgraph.name

    @property
    def external(self) -> bool:
        """``external`` on the ``@join__field``: key fields of extensions were never
        considered external, for compatibility with Federation 1."""
        if not self.field.external:
            return False
        if self.provided:
            return True
        return not (self.as_key and self.type.extended)


def merge_composite(
    name: str,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    declarations: Declarations,
    errors: list[CompositionError],
) -> MergedType:
    """Merge object or interface type ``name`` from its declarations."""
    interface = any(declarations.is_interface_like(t) for _, t in declared)
    if name == "Query":
        # Every subgraph answers `_entities` and `_service` on Query.
        joins = tuple(JoinType(graph=s.name) for s in declarations.subgraphs)
    else:
        joins = tuple(_join_types(declared))
    member_graphs = {j.graph for j in joins}
    interfaces = tuple(
        dict.fromkeys(i for _, t in declared if not t.interface_object for i in t.interfaces)
    )
    fields: list[MergedField] = []
    field_names = list(dict.fromkeys(f for _, t in declared for f in t.fields))
    for field_name in field_names:
        merged = _merge_field(
            name, field_name, declared, declarations, member_graphs, interface, errors
        )
        if merged is not None:
            fields.append(merged)
    if not interface:
        fields += _interface_object_fields(interfaces, set(field_names), declarations)
    return MergedType(
        name=name,
        kind=TypeKind.INTERFACE if interface else TypeKind.OBJECT,
        description=merge_descriptions(t.description for _, t in declared),
        marks=merge_marks(t.marks for _, t in declared),
        joins=joins,
        fields=tuple(fields),
        interfaces=interfaces,
        implements=tuple(
            (s.name, i) for s, t in declared if not t.interface_object for i in t.interfaces
        ),
        contexts=tuple(context_name(s.name, c) for s, t in declared for c in t.contexts),
    )


def _join_types(declared: list[tuple[SubgraphSchema, TypeDef]]) -> list[JoinType]:
    joins: list[JoinType] = []
    for subgraph, type_def in declared:
        if not type_def.keys:
            joins.append(JoinType(subgraph.name, interface_object=type_def.interface_object))
        for key in type_def.keys:
            joins.append(
                JoinType(
                    graph=subgraph.name,
                    key=key.fields,
                    extension=type_def.extension,
                    resolvable=key.resolvable,
                    interface_object=type_def.interface_object,
                )
            )
    return joins


def _declared(
    type_name: str,
    field_name: str,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    declarations: Declarations,
) -> list[_Declared]:
    found = []
    coordinate = (type_name, field_name)
    for subgraph, type_def in declared:
        field = type_def.fields.get(field_name)
        if field is None:
            continue
        usage = declarations.usage(subgraph.name)
        entry = _Declared(
            subgraph=subgraph,
            type=type_def,
            field=field,
            as_key=coordinate in usage.top_key_fields,
            in_key=coordinate in usage.key_fields,
            required=coordinate in usage.required,
            provided=coordinate in usage.provided,
        )
        unused = not (entry.as_key or entry.required or entry.provided)
        if subgraph.is_fed1 and field.external and unused:
            # Federation 1 subgraphs declared such fields for nothing; they are dropped.
            continue
        found.append(entry)
    return found


def _merge_field(
    type_name: str,
    field_name: str,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    declarations: Declarations,
    member_graphs: set[str],
    interface: bool,
    errors: list[CompositionError],
) -> MergedField | None:
    entries = _declared(type_name, field_name, declared, declarations)
    if not entries:
        return None
    coordinate = f"{type_name}.{field_name}"
    field_type = _field_type(coordinate, entries, declarations, errors)
    if not interface:
        _check_sharing(type_name, field_name, entries, declarations, errors)
        _check_external_on_base(coordinate, entries, errors)
    _check_override_chain(coordinate, entries, errors)
    joins = _join_fields(type_name, field_name, entries, field_type, declarations)
    plain = all(j == JoinField(graph=j.graph) for j in joins)
    if plain and {j.graph for j in joins} == member_graphs:
        joins = []
    return MergedField(
        name=field_name,
        type=field_type,
        description=merge_descriptions(e.field.description for e in entries),
        marks=merge_marks(e.field.marks for e in entries),
        arguments=merge_arguments(
            coordinate, [(e.graph, list(e.field.arguments.values())) for e in entries], errors
        ),
        joins=tuple(joins),
    )


def _field_type(
    coordinate: str,
    entries: list[_Declared],
    declarations: Declarations,
    errors: list[CompositionError],
) -> str:
    # @external declarations repeat a type; the resolving subgraphs decide it.
    deciding = [
        e.field.type
        for e in entries
        if not (e.field.external and (not e.subgraph.is_fed1 or e.type.extension))
    ] or [entries[0].field.type]
    merged = most_general(deciding, declarations.possible)
    compatible = merged is not None and all(
        is_subtype(e.field.type, merged, declarations.possible)
        or is_subtype(merged, e.field.type, declarations.possible)
        for e in entries
    )
    if merged is None or not compatible:
        groups: dict[str, list[str]] = {}
        for entry in entries:
            groups.setdefault(entry.field.type, []).append(entry.graph)
        described = [
            f'type "{t}" in subgraph{"s" if len(g) > 1 else ""} ' + ", ".join(f'"{n}"' for n in g)
            for t, g in groups.items()
        ]
        errors.append(
            CompositionError(
                CompositionErrorCode.FIELD_TYPE_MISMATCH,
                f'Type of field "{coordinate}" is incompatible across subgraphs: it has '
                + " but ".join(described),
            )
        )
        return merged or entries[0].field.type
    return merged


def _implements_field(entry: _Declared, field_name: str) -> bool:
    return any(
        field_name in entry.subgraph.types[i].fields
        for i in entry.type.interfaces
        if i in entry.subgraph.types
    )


def _join_fields(
    type_name: str,
    field_name: str,
    entries: list[_Declared],
    field_type: str,
    declarations: Declarations,
) -> list[JoinField]:
    graphs = {e.graph for e in entries}
    # Graph overridden by another declaration, with the progressive-override label if any.
    overridden: dict[str, str | None] = {
        e.field.override: e.field.override_label
        for e in entries
        if e.field.override is not None and e.field.override in graphs
    }
    typed = any(e.field.type != field_type for e in entries)
    joins = []
    for entry in entries:
        used_overridden = False
        label = entry.field.override_label
        if entry.graph in overridden:
            label = label or overridden[entry.graph]
            used_overridden = (
                (entry.as_key and not entry.field.external)
                or (entry.required and not entry.external)
                or _implements_field(entry, field_name)
            )
            if label is None and not used_overridden:
                continue  # fully overridden: the subgraph no longer resolves it
        joins.append(
            JoinField(
                graph=entry.graph,
                type=entry.field.type if typed else None,
                external=entry.external,
                requires=entry.field.requires,
                provides=entry.field.provides,
                override=entry.field.override,
                override_label=label,
                used_overridden=used_overridden,
                context_arguments=tuple(
                    (a.name, a.type, context_name(entry.graph, a.context), a.selection)
                    for a in entry.field.contextual
                ),
            )
        )
    return joins


def context_name(graph: str, context: str) -> str:
    """A subgraph's context as the supergraph names it: two subgraphs' contexts of one
    name stay apart."""
    return f"{graph}__{context}"


def _check_sharing(
    type_name: str,
    field_name: str,
    entries: list[_Declared],
    declarations: Declarations,
    errors: list[CompositionError],
) -> None:
    coordinate = f"{type_name}.{field_name}"
    subscription = any(
        s.root_types.get("subscription") == type_name for s in declarations.subgraphs
    )
    if subscription:
        if len(entries) > 1:
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_FIELD_SHARING,
                    f"Fields on root level subscription object cannot be marked as shareable: "
                    f'"{coordinate}" is declared in subgraphs {and_list(e.graph for e in entries)}',
                )
            )
        return
    if all(e.as_key for e in entries):
        return
    graphs = {e.graph for e in entries}
    entity = any(t.keys for _, t in declarations.of_type(type_name))
    resolving: list[str] = []
    not_shareable: list[str] = []
    for entry in entries:
        if entry.field.external:
            continue
        if entry.field.override is not None and entry.field.override in graphs:
            continue
        shareable = (
            entry.field.shareable
            or entry.in_key
            or (entity and entry.subgraph.is_fed1 and entry.field.in_extension)
        )
        resolving.append(f'"{entry.graph}"')
        if not shareable:
            not_shareable.append(entry.graph)
    for interface in {i for e in entries for i in e.type.interfaces}:
        for subgraph, type_def in declarations.of_type(interface):
            field = type_def.fields.get(field_name)
            if not type_def.interface_object or field is None or field.external:
                continue
            resolving.append(
                f'"{subgraph.name}" (through @interfaceObject field "{interface}.{field_name}")'
            )
            key = (interface, field_name) in declarations.usage(subgraph.name).key_fields
            if not (field.shareable or key):
                not_shareable.append(subgraph.name)
    if not_shareable and len(resolving) > 1:
        where = (
            "all of them"
            if len(not_shareable) == len(resolving)
            else ("subgraphs " if len(not_shareable) > 1 else "subgraph ") + and_list(not_shareable)
        )
        listed = ", ".join(resolving[:-1]) + " and " + resolving[-1]
        errors.append(
            CompositionError(
                CompositionErrorCode.INVALID_FIELD_SHARING,
                f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is '
                f"resolved from subgraphs {listed} and defined as non-shareable in {where}",
            )
        )


def _check_external_on_base(
    coordinate: str, entries: list[_Declared], errors: list[CompositionError]
) -> None:
    def external(entry: _Declared) -> bool:
        if entry.as_key:
            return entry.field.external and not entry.type.extended
        return entry.field.external

    if all(external(e) for e in entries):
        plural = "subgraphs" if len(entries) > 1 else "subgraph"
        errors.append(
            CompositionError(
                CompositionErrorCode.EXTERNAL_MISSING_ON_BASE,
                f'Field "{coordinate}" is marked @external on all the subgraphs in which it is '
                f"listed ({plural} {and_list(e.graph for e in entries)}).",
            )
        )


def _check_override_chain(
    coordinate: str, entries: list[_Declared], errors: list[CompositionError]
) -> None:
    by_graph = {e.graph: e for e in entries}
    for entry in entries:
        source = by_graph.get(entry.field.override or "")
        if source is not None and source.field.override is not None:
            errors.append(
                CompositionError(
                    CompositionErrorCode.OVERRIDE_SOURCE_HAS_OVERRIDE,
                    f'Field "{coordinate}" on subgraph "{entry.graph}" is also marked with '
                    f'directive @override in subgraph "{source.graph}". Only one @override '
                    "directive is allowed per field.",
                )
            )


def _interface_object_fields(
    interfaces: tuple[str, ...], present: set[str], declarations: Declarations
) -> list[MergedField]:
    """Fields an ``@interfaceObject`` adds to each implementation of its interface."""
    added: dict[str, MergedField] = {}
    for interface in interfaces:
        for _, type_def in declarations.of_type(interface):
            if not type_def.interface_object:
                continue
            for field in type_def.fields.values():
                if field.name in present or field.name in added:
                    continue
                added[field.name] = MergedField(
                    name=field.name,
                    type=field.type,
                    description=field.description,
                    marks=field.marks,
                    arguments=tuple(as_merged(a) for a in field.arguments.values()),
                    joins=(JoinField(graph=None),),
                )
    return list(added.values())
