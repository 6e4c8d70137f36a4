"""The demand-control spec (``https://specs.apollo.dev/cost/v0.1``): ``@cost`` and
``@listSize``.

``@cost(weight:)`` sets what an element costs (objects, interfaces and unions cost 1 by
default, scalars and enums 0); ``@listSize`` says how many items a list field returns:
``assumedSize``, or the value of one of its ``slicingArguments`` (``first: 20``), or, with
``sizedFields``, the size of those child fields of a connection. The composer prints the
definitions below; the gateway reads the marks back with :func:`weight_from_arguments` and
:func:`list_size_from_arguments`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import ConstDirectiveNode, value_from_ast_untyped

__all__ = [
    "DEFINITIONS",
    "URL",
    "ListSize",
    "directive_names",
    "list_size_from_arguments",
    "weight_from_arguments",
]

URL = "https://specs.apollo.dev/cost/v0.1"
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


@dataclass(frozen=True, slots=True)
class ListSize:
    """``@listSize``: how many items a list field returns, for demand control."""

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] | None = None
    sized_fields: tuple[str, ...] | None = None
    require_one_slicing_argument: bool = True


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


def directive_names(link_arguments: Mapping[str, object]) -> dict[str, str]:
    """The names ``@cost`` and ``@listSize`` go by under one ``@link`` of the spec: the
    spec's own directive by the link's name (``as``), ``@listSize`` by its import (or
    ``<name>__listSize`` when not imported)."""
    namespace = str(link_arguments.get("as") or "cost")
    names = {"cost": namespace, "listSize": f"{namespace}__listSize"}
    for item in _imports(link_arguments.get("import")):
        name, alias = item
        if name in ("@cost", "@listSize"):
            names[name[1:]] = alias[1:]
    return names


def _imports(value: object) -> Iterable[tuple[str, str]]:
    for item in value if isinstance(value, list) else ():
        if isinstance(item, str):
            yield item, item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            yield str(item["name"]), str(item.get("as") or item["name"])


def arguments_of(directive: ConstDirectiveNode) -> dict[str, object]:
    """A directive application's arguments as plain values."""
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}
