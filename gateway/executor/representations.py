"""What an entity fetch sends: the objects at its ``Flatten`` path and their representations.

:func:`gatherer` gives, per (path, requirements), the function that finds the objects
(``targets``, in response order), builds each one's representation, and keeps each
distinct representation once with the targets it stands for. Two identical
representations are one entity: they are sent once and the answer is merged into both.

Keys made of leaf fields (nearly all of them) get a generated function: the path walked by
nested loops, the fields read straight into the representation, and the identity the
values themselves when they are all strings (the one string of a one-type, one-field key;
else a tuple with the typename). Other requirements take the general builders.
Both visit the targets in the order of :func:`target_paths`, which finds their response
paths when errors need them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import orjson

from ..planner.plan import ContextRead, InputField, InputFragment
from .paths import Path, listed

__all__ = ["Gathered", "context_batches", "gatherer", "target_paths", "targets"]

Gathered: TypeAlias = tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[int]]]
"""(targets, distinct representations, for each representation the indexes of the targets
it stands for)."""

_MISSING = object()


def targets(data: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects at a ``Flatten`` path, in response order (the order of
    :func:`target_paths`), walked level by level without their response paths."""
    level: list[Any] = [data]
    for element in path:
        below: list[Any] = []
        if element == "@":
            for node in level:
                if isinstance(node, list):
                    below.extend(node)
        elif element.startswith("|["):
            types = element[2:-1].split(",")
            below = [n for n in level if isinstance(n, dict) and n.get("__typename") in types]
        else:
            for node in level:
                if isinstance(node, dict) and element in node:
                    below.append(node[element])
        level = below
    found: list[dict[str, Any]] = []
    _flattened(level, found)
    return found


def _flattened(nodes: list[Any], out: list[dict[str, Any]]) -> None:
    for node in nodes:
        if isinstance(node, dict):
            out.append(node)
        elif isinstance(node, list):  # a list the plan did not mark (should not happen)
            _flattened(node, out)


def _dicts(nodes: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    _flattened(nodes, found)
    return found


def target_paths(data: Any, path: tuple[str, ...]) -> list[Path]:
    """The response path of each object :func:`targets` finds, in the same order."""
    found: list[tuple[dict[str, Any], Path]] = []
    _collect(data, path, 0, None, found)
    return [at for _, at in found]


def _collect(
    node: Any, path: tuple[str, ...], index: int, at: Path, out: list[tuple[dict[str, Any], Path]]
) -> None:
    if index == len(path):
        if isinstance(node, dict):
            out.append((node, at))
        elif isinstance(node, list):  # a list the plan did not mark (should not happen)
            for position, item in enumerate(node):
                _collect(item, path, index, (at, position), out)
        return
    element = path[index]
    if element == "@":
        if isinstance(node, list):
            for position, item in enumerate(node):
                _collect(item, path, index + 1, (at, position), out)
    elif element.startswith("|["):
        if isinstance(node, dict) and node.get("__typename") in element[2:-1].split(","):
            _collect(node, path, index + 1, at, out)
    elif isinstance(node, dict) and element in node:
        _collect(node[element], path, index + 1, (at, element), out)


def _project(value: Any, selections: tuple[InputField | InputFragment, ...]) -> Any:
    """Copy the required part of a value into a representation (``_MISSING`` if absent)."""
    if value is None:
        return None
    if isinstance(value, list):
        items = [_project(item, selections) for item in value]
        return _MISSING if any(i is _MISSING for i in items) else items
    if not isinstance(value, dict):
        return _MISSING
    result: dict[str, Any] = {}
    if not _fill(result, value, selections):
        return _MISSING
    return result


def _fill(
    target: dict[str, Any],
    source: Mapping[str, Any],
    selections: tuple[InputField | InputFragment, ...],
) -> bool:
    for selection in selections:
        if isinstance(selection, InputFragment):
            if source.get("__typename") in selection.possible_types and not _fill(
                target, source, selection.selections
            ):
                return False
            continue
        if selection.data_key not in source:
            return False
        value = source[selection.data_key]
        if selection.selections is not None:
            value = _project(value, selection.selections)
            if value is _MISSING:
                return False
        target[selection.name] = value
    return True


def representation(
    obj: Mapping[str, Any], requires: tuple[InputFragment, ...]
) -> dict[str, Any] | None:
    """The representation of ``obj`` for the first requirement its type matches, or
    ``None`` if it matches none or lacks a required field."""
    typename = obj.get("__typename")
    for fragment in requires:
        if typename not in fragment.possible_types:
            continue
        built: dict[str, Any] = {"__typename": fragment.typename or typename}
        if _fill(built, obj, fragment.selections):
            return built
        return None
    return None


def _gather_general(
    data: Any, path: tuple[str, ...], requires: tuple[InputFragment, ...]
) -> Gathered:
    return _build_general(targets(data, path), requires)


def _build_general(found: list[dict[str, Any]], requires: tuple[InputFragment, ...]) -> Gathered:
    representations: list[dict[str, Any]] = []
    positions: list[list[int]] = []
    seen: dict[bytes, int] = {}
    for number, obj in enumerate(found):
        built = representation(obj, requires)
        if built is None:
            continue
        key = orjson.dumps(built, option=orjson.OPT_SORT_KEYS)
        index = seen.get(key)
        if index is None:
            index = seen[key] = len(representations)
            representations.append(built)
            positions.append([number])
        else:
            positions[index].append(number)
    return found, representations, positions


def _flat(requires: tuple[InputFragment, ...]) -> bool:
    return all(
        isinstance(selection, InputField) and selection.selections is None
        for fragment in requires
        for selection in fragment.selections
    )


@functools.lru_cache(maxsize=4096)
def gatherer(
    path: tuple[str, ...], requires: tuple[InputFragment, ...]
) -> Callable[[Any], Gathered]:
    """The function gathering an entity fetch's targets and representations from the data."""
    if not _flat(requires):
        return functools.partial(_gather_general, path=path, requires=requires)
    return _compiled(requires, path)


@functools.lru_cache(maxsize=4096)
def builder(requires: tuple[InputFragment, ...]) -> Callable[[list[dict[str, Any]]], Gathered]:
    """The function building the representations of targets already found (as
    :func:`gatherer` does once it has walked to them)."""
    if not _flat(requires):
        return functools.partial(_build_general, requires=requires)
    return _compiled(requires, None)


def _compiled(
    requires: tuple[InputFragment, ...], path: tuple[str, ...] | None
) -> Callable[[Any], Gathered]:
    """The generated gatherer walking ``path`` from the data, or (``None``) the builder
    taking the targets found."""
    namespace: dict[str, Any] = {"dumps": orjson.dumps, "dicts": _dicts}
    if path is None:
        lines = [
            "def build(found):",
            "    reps = []; positions = []; seen = {}; number = -1",
            _previous_line(requires),
            "    for obj in found:",
        ]
        indent = "        "
    else:
        lines = [
            "def gather(data):",
            "    found = []; reps = []; positions = []; seen = {}; number = -1",
            _previous_line(requires),
        ]
        indent, node = _walk_lines(path, lines, namespace)
        # an unmarked list at the end is flattened (should not happen), as targets() does
        lines.append(
            f"{indent}for obj in (({node},) if {node}.__class__ is dict else "
            f"dicts({node}) if {node}.__class__ is list else ()):"
        )
        indent += "    "
        lines.append(f"{indent}found.append(obj)")
    # fields are read by subscript, cheaper than by ``get``; an object lacking its typename
    # or a key field gets no representation, as in the general builders
    lines += [f"{indent}number += 1", f"{indent}try:", f"{indent}    t = obj['__typename']"]
    lines += [f"{indent}except KeyError:", f"{indent}    continue"]
    for number, fragment in enumerate(requires):
        namespace[f"P{number}"] = fragment.possible_types
        keyword = "if" if number == 0 else "elif"
        lines.append(f"{indent}{keyword} t in P{number}:")
        lines += _representation_lines(fragment, number, len(requires), indent + "    ")
    lines.append("    return found, reps, positions")
    exec("\n".join(lines), namespace)
    generated: Callable[[Any], Gathered] = namespace["build" if path is None else "gather"]
    return generated


def _walk_lines(
    path: tuple[str, ...], lines: list[str], namespace: dict[str, Any]
) -> tuple[str, str]:
    """Nested loops walking ``path`` from ``data``: the indentation inside them, and the
    variable holding what the path ends at."""
    indent = "    "
    node = "data"
    for depth, element in enumerate(path):
        if element == "@":
            lines.append(f"{indent}if {node}.__class__ is list:")
            lines.append(f"{indent}    for n{depth} in {node}:")
            indent += "        "
            node = f"n{depth}"
        elif element.startswith("|["):
            namespace[f"T{depth}"] = frozenset(element[2:-1].split(","))
            lines.append(
                f"{indent}if {node}.__class__ is dict and {node}.get('__typename') in T{depth}:"
            )
            indent += "    "
        else:
            lines.append(f"{indent}if {node}.__class__ is dict and {element!r} in {node}:")
            lines.append(f"{indent}    n{depth} = {node}[{element!r}]")
            indent += "    "
            node = f"n{depth}"
    return indent, node


def _previous_line(requires: tuple[InputFragment, ...]) -> str:
    """The line starting the previous object's key as none: its typename ``pt``, values
    ``p0``, ``p1``... and representation index ``pi``."""
    values = max(len(fragment.selections) for fragment in requires)
    return "    pt = pi = " + "".join(f"p{position} = " for position in range(values)) + "None"


def _representation_lines(
    fragment: InputFragment, number: int, fragments: int, indent: str
) -> list[str]:
    """The lines building the representation of ``obj`` (of a type of ``fragment``, the
    ``number``-th of ``fragments``) and placing it among the distinct ones.

    Objects of one entity often come one after another (a list of reviews of the same
    product): an object whose typename and key values are those of the previous one is
    that entity again, and costs no identity. Values are the same when they are the same
    objects (an entity answer merged into each of them) or equal strings; anything else
    takes the identity below."""
    lines: list[str] = []
    # one possible type: its name is what is sent, and the values alone identify
    single = len(fragment.possible_types) == 1 and fragments == 1
    if fragment.typename:
        sent = repr(fragment.typename)
    elif single:
        sent = repr(next(iter(fragment.possible_types)))
    else:
        sent = "t"
    values = []
    lines.append(f"{indent}try:")
    for position, selection in enumerate(fragment.selections):
        assert isinstance(selection, InputField)  # _flat() checked it
        lines.append(f"{indent}    a{position} = obj[{selection.data_key!r}]")
        values.append(f"a{position}")
    lines += [f"{indent}except KeyError:", f"{indent}    continue"]
    same = "".join(
        f" and ({v} is p{p} or {v}.__class__ is str and {v} == p{p})" for p, v in enumerate(values)
    )
    lines += [f"{indent}if t == pt{same}:", f"{indent}    positions[pi].append(number)"]
    lines.append(f"{indent}    continue")
    strings = " and ".join(f"{v}.__class__ is str" for v in values) or "True"
    # strings identify themselves; any other value by its JSON (1, 1.0, true differ)
    identity = f"({number}, {sent}, {''.join(v + ', ' for v in values)})"
    fast = values[0] if single and len(values) == 1 else identity
    lines.append(f"{indent}key = {fast} if {strings} else dumps({identity})")
    fields = "".join(
        f", {selection.name!r}: a{p}"
        for p, selection in enumerate(fragment.selections)
        if isinstance(selection, InputField)
    )
    # the representation is built only for an entity not seen yet
    lines += [
        f"{indent}if key in seen:",
        f"{indent}    index = seen[key]",
        f"{indent}    positions[index].append(number)",
        f"{indent}else:",
        f"{indent}    index = seen[key] = len(reps)",
        f"{indent}    reps.append({{'__typename': {sent}{fields}}})",
        f"{indent}    positions.append([number])",
        f"{indent}pt = t; pi = index" + "".join(f"; p{p} = {v}" for p, v in enumerate(values)),
    ]
    return lines


Batch: TypeAlias = tuple[dict[str, Any], list[dict[str, Any]], list[list[int]]]
"""(context variables, representations, for each the indexes of its targets)."""


def context_batches(
    data: Any,
    path: tuple[str, ...],
    contexts: tuple[ContextRead, ...],
    representations: list[dict[str, Any]],
    positions: list[list[int]],
) -> list[Batch]:
    """The representations of an entity fetch with contextual arguments, split by the
    values their targets' ancestors give: one representation is sent once per distinct
    set of values among the targets it stands for."""
    paths = [listed(at) for at in target_paths(data, path)]
    batches: dict[bytes, Batch] = {}
    for index, numbers in enumerate(positions):
        for number in numbers:
            values = {c.variable: _context_value(data, paths[number], c) for c in contexts}
            key = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
            batch = batches.get(key)
            if batch is None:
                batch = batches[key] = (values, [], [])
            _, reps, where = batch
            if reps and reps[-1] is representations[index]:
                where[-1].append(number)
            else:
                reps.append(representations[index])
                where.append([number])
    return list(batches.values())


def _context_value(data: Any, at: tuple[str | int, ...], context: ContextRead) -> Any:
    """The value a context gives the object at ``at``: read on its ancestor, down the
    single field (or fragment) the context's selection names to its leaf."""
    node = data
    for key in at[: context.depth]:
        node = node[key]
    value = _project(node, context.selections)
    while isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return None if value is _MISSING or isinstance(value, dict) else value
