"""The demand-control spec (``https://specs.apollo.dev/cost/v0.1``): ``@cost`` and
``@listSize``.

``@cost(weight:)`` sets what an element costs (objects, interfaces and unions cost 1 by
default, scalars and enums 0); ``@listSize`` says how many items a list field returns:
``assumedSize``, or the value of one of its ``slicingArguments`` (``first: 20``), or, with
``sizedFields``, the size of those child fields of a connection. Subgraphs import both
from federation v2.9. The composer reads an element's applications into a :class:`Demand`
(:func:`demand_of`), merges them across subgraphs (:func:`merge_demands`) and prints them
(:func:`demand_text`, :func:`supergraph_texts`); the gateway reads them back with
:func:`weight_from_arguments` and :func:`list_size_from_arguments`, under the names
:func:`directive_names` finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .link import (
    ANY_VALUE,
    FederationDirective,
    arguments_of,
    import_names,
    imports_of,
    strings_text,
)

__all__ = [
    "DEFAULT_NAMES",
    "DEFINITIONS",
    "FEDERATION",
    "NAME",
    "URL",
    "Demand",
    "ListSize",
    "arguments_of",
    "demand_of",
    "demand_text",
    "directive_names",
    "list_size_from_arguments",
    "merge_demands",
    "supergraph_texts",
    "weight_from_arguments",
]

NAME = "cost"
URL = f"https://specs.apollo.dev/{NAME}/v0.1"
DEFINITIONS = """
directive @{cost}(
  weight: Int!
) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR

directive @{list_size}(
  assumedSize: Int
  slicingArguments: [String!]
  sizedFields: [String!]
  requireOneSlicingArgument: Boolean = true
) on FIELD_DEFINITION
""".strip()
"""The definitions, with ``{cost}`` and ``{list_size}`` the directive names to print."""
FEDERATION: Mapping[str, FederationDirective] = {
    "cost": FederationDirective(
        (2, 9),
        "(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION"
        " | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    ),
    "listSize": FederationDirective(
        (2, 9),
        f"(assumedSize: Int, slicingArguments: {ANY_VALUE}, sizedFields: {ANY_VALUE},"
        " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
    ),
}
DEFAULT_NAMES: Mapping[str, str] = {name: name for name in FEDERATION}
"""The spec's directives by their own names, which a supergraph uses unless a subgraph
imported them under others."""


@dataclass(frozen=True, slots=True)
class ListSize:
    """``@listSize``: how many items a list field returns, for demand control."""

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] | None = None
    sized_fields: tuple[str, ...] | None = None
    require_one_slicing_argument: bool = True


@dataclass(frozen=True, slots=True)
class Demand:
    """What ``@cost`` and ``@listSize`` say of one element (nothing when neither is applied)."""

    weight: int | None = None
    list_size: ListSize | None = None


def weight_from_arguments(args: Mapping[str, object]) -> int | None:
    """``@cost``'s weight."""
    value = args.get("weight")
    return int(value) if isinstance(value, int | str) else None


def list_size_from_arguments(args: Mapping[str, object]) -> ListSize:
    """``@listSize``'s arguments as a :class:`ListSize`."""
    assumed = args.get("assumedSize")
    slicing, sized = args.get("slicingArguments"), args.get("sizedFields")
    return ListSize(
        assumed_size=int(assumed) if isinstance(assumed, int | str) else None,
        slicing_arguments=tuple(map(str, slicing)) if isinstance(slicing, list) else None,
        sized_fields=tuple(map(str, sized)) if isinstance(sized, list) else None,
        require_one_slicing_argument=args.get("requireOneSlicingArgument") is not False,
    )


def demand_of(applied: Mapping[str, Mapping[str, object]]) -> Demand:
    """An element's :class:`Demand` from the arguments of the spec's directives applied to
    it, by their names in :data:`FEDERATION`."""
    weight, list_size = applied.get("cost"), applied.get("listSize")
    return Demand(
        weight=None if weight is None else weight_from_arguments(weight),
        list_size=None if list_size is None else list_size_from_arguments(list_size),
    )


def merge_demands(first: Demand, second: Demand) -> Demand:
    """One element's demand from two declarations: the higher weight, the larger sizes."""
    return Demand(
        weight=_larger(first.weight, second.weight),
        list_size=_merge_list_sizes(first.list_size, second.list_size),
    )


def _merge_list_sizes(first: ListSize | None, second: ListSize | None) -> ListSize | None:
    """One field's ``@listSize`` from two subgraphs: the larger assumed size, every slicing
    argument and sized field of either, one slicing argument required only if both do."""
    if first is None or second is None:
        return first or second
    return ListSize(
        assumed_size=_larger(first.assumed_size, second.assumed_size),
        slicing_arguments=_union(first.slicing_arguments, second.slicing_arguments),
        sized_fields=_union(first.sized_fields, second.sized_fields),
        require_one_slicing_argument=(
            first.require_one_slicing_argument and second.require_one_slicing_argument
        ),
    )


def _larger(first: int | None, second: int | None) -> int | None:
    if first is None or second is None:
        return second if first is None else first
    return max(first, second)


def _union(first: Sequence[str] | None, second: Sequence[str] | None) -> tuple[str, ...] | None:
    if first is None and second is None:
        return None
    return tuple(dict.fromkeys([*(first or ()), *(second or ())]))


def _list_size_text(list_size: ListSize) -> str:
    """``@listSize``'s arguments as the supergraph prints them (``(assumedSize: 10)``)."""
    args = []
    if not list_size.require_one_slicing_argument:
        args.append("requireOneSlicingArgument: false")
    if list_size.assumed_size is not None:
        args.append(f"assumedSize: {list_size.assumed_size}")
    if list_size.slicing_arguments is not None:
        args.append(f"slicingArguments: {strings_text(list_size.slicing_arguments)}")
    if list_size.sized_fields is not None:
        args.append(f"sizedFields: {strings_text(list_size.sized_fields)}")
    return f"({', '.join(args)})" if args else ""


def demand_text(demand: Demand, names: Mapping[str, str]) -> list[str]:
    """The applications printing ``demand`` on an element of the supergraph, the
    directives under ``names`` (the spec's name to the supergraph's)."""
    found = []
    if demand.weight is not None:
        found.append(f"@{names['cost']}(weight: {demand.weight})")
    if demand.list_size is not None:
        found.append(f"@{names['listSize']}{_list_size_text(demand.list_size)}")
    return found


def supergraph_texts(names: Mapping[str, str], demands: Iterable[Demand]) -> tuple[str, str] | None:
    """The spec's ``@link`` and definitions in a supergraph whose elements make
    ``demands``; ``None`` when none applies a directive of the spec."""
    uses_cost = uses_list_size = False
    for demand in demands:
        uses_cost = uses_cost or demand.weight is not None
        uses_list_size = uses_list_size or demand.list_size is not None
    if not (uses_cost or uses_list_size):
        return None
    definitions = DEFINITIONS.format(cost=names["cost"], list_size=names["listSize"])
    return _link_text(names, uses_cost, uses_list_size), definitions


def _link_text(names: Mapping[str, str], cost: bool, list_size: bool) -> str:
    """The spec's ``@link`` in a supergraph: ``@cost`` is the spec's own directive, imported
    only to rename it; ``@listSize`` is imported whenever used."""
    imports = []
    if cost and names["cost"] != "cost":
        imports.append(f'{{name: "@cost", as: "@{names["cost"]}"}}')
    if list_size:
        name = names["listSize"]
        imports.append(
            '"@listSize"' if name == "listSize" else f'{{name: "@listSize", as: "@{name}"}}'
        )
    url = f'@link(url: "{URL}"'
    return url + (f", import: [{', '.join(imports)}])" if imports else ")")


def directive_names(link_arguments: Mapping[str, object]) -> dict[str, str]:
    """The names ``@cost`` and ``@listSize`` go by under one ``@link`` of the spec: the
    spec's own directive by the link's name (``as``), ``@listSize`` by its import (or
    ``<name>__listSize`` when not imported)."""
    namespace = str(link_arguments.get("as") or "cost")
    names = {"cost": namespace, "listSize": f"{namespace}__listSize"}
    for item in imports_of(link_arguments):
        name, alias = import_names(item)
        if name in ("@cost", "@listSize") and alias:
            names[name[1:]] = alias[1:]
    return names
