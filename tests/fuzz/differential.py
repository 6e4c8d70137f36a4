"""Sending one operation to several gateways and judging whether their answers agree.

Simpul agrees with the reference gateways when its ``data`` equals Hive Gateway's, or, where
Hive Gateway's differs, Apollo Gateway's. Objects are compared without regard to key
order (the order is compared apart, as its own kind of difference); error messages are
not compared, only whether each gateway reported errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
)

from tests.fuzz.operations import Operation

__all__ = ["FAILED_REFERENCES", "Answer", "Order", "Verdict", "ask", "first_difference", "judge"]

FAILED_REFERENCES = "none (every reference erred)"
PIECEWISE = "each where they differ (piecewise)"
"""The reference Simpul agrees with when the references answer differently from each other
and Simpul's answer is one of theirs at each position they differ."""
"""The reference Simpul agrees with when it answers a valid operation no reference could."""


@dataclass(frozen=True)
class Answer:
    """What one gateway answered."""

    status: int
    data: Any
    errors: tuple[Mapping[str, Any], ...]
    text: str

    @property
    def summary(self) -> str:
        """The status and the errors' codes and messages, on one line."""
        parts = [str(self.status)]
        for error in self.errors[:3]:
            code = (error.get("extensions") or {}).get("code", "")
            parts.append(f"{code} {str(error.get('message'))[:160]}".strip())
        return "; ".join(parts)


@dataclass(frozen=True)
class Verdict:
    """Whether Simpul's answer agrees, and if not, how it differs."""

    agrees: bool
    reference: str
    """The gateway Simpul was found equal to, or the one it was compared with."""
    difference: str = ""
    order_only: bool = False
    """The data are equal except for the order of an object's keys."""


async def ask(client: httpx.AsyncClient, url: str, operation: Operation) -> Answer:
    """POST ``operation`` to ``url``; a failure to answer becomes status 0."""
    try:
        response = await client.post(url, json=operation.body(), timeout=30)
    except (TimeoutError, httpx.HTTPError) as error:
        return Answer(0, None, ({"message": repr(error)},), "")
    try:
        body = response.json()
    except ValueError:
        return Answer(response.status_code, None, ({"message": "not JSON"},), response.text)
    if not isinstance(body, dict):
        return Answer(response.status_code, None, ({"message": "not an object"},), response.text)
    errors = tuple(e for e in body.get("errors") or () if isinstance(e, dict))
    return Answer(response.status_code, body.get("data"), errors, response.text)


def first_difference(got: Any, expected: Any, path: str = "", ordered: bool = False) -> str | None:
    """Where ``got`` first differs from ``expected``, as a path and both values."""
    if isinstance(got, dict) and isinstance(expected, dict):
        if ordered and list(got) != list(expected) and set(got) == set(expected):
            return f"{path or '.'}: keys in order {list(got)}, expected {list(expected)}"
        for key in expected:
            if key not in got:
                return f"{path}.{key}: missing"
            found = first_difference(got[key], expected[key], f"{path}.{key}", ordered)
            if found:
                return found
        extra = [key for key in got if key not in expected]
        return f"{path}.{extra[0]}: not expected" if extra else None
    if isinstance(got, list) and isinstance(expected, list):
        if len(got) != len(expected):
            return f"{path}: {len(got)} items, expected {len(expected)}"
        for index, (a, b) in enumerate(zip(got, expected, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]", ordered)
            if found:
                return found
        return None
    if _number(got) and _number(expected):
        # JSON has one kind of number: 1.0 and 1 are the same answer
        return None if got == expected else f"{path or '.'}: {got}, expected {expected}"
    if got != expected or type(got) is not type(expected):
        return f"{path or '.'}: {_short(got)}, expected {_short(expected)}"
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."


def judge(
    simpul: Answer, references: Sequence[tuple[str, Answer]], spec_order: Order | None = None
) -> Verdict:
    """Simpul's answer against the references', in order of preference. Where the data
    differ only in key order, Simpul agrees if its order is the spec's (``spec_order``)."""
    for name, answer in references:
        if first_difference(simpul.data, answer.data) is None:
            ordered = first_difference(simpul.data, answer.data, ordered=True)
            if ordered is not None and not (spec_order and spec_order.follows(simpul.data)):
                return Verdict(False, name, ordered, order_only=True)
            return Verdict(True, name)
    if simpul.data is not None and not simpul.errors and all(_erred(a) for _, a in references):
        # a valid operation every reference answered with errors over subgraphs that answer
        # Simpul's calls without any: the references' calls were wrong
        return Verdict(True, FAILED_REFERENCES)
    answered = [a.data for _, a in references if not _failed(a)]
    if len(answered) > 1 and _within(simpul.data, answered):
        # the references differ from each other, and Simpul takes one side wherever they do
        return Verdict(True, PIECEWISE)
    name, answer = references[0]
    return Verdict(False, name, first_difference(simpul.data, answer.data) or "")


def _within(got: Any, answers: list[Any]) -> bool:
    """Whether ``got`` equals one of ``answers`` at every position where they differ from
    each other, and all of them where they agree."""
    if all(isinstance(a, dict) for a in answers) and isinstance(got, dict):
        keys = set(got)
        if any(set(a) != keys for a in answers):
            return any(first_difference(got, a) is None for a in answers)
        return all(_within(got[k], [a[k] for a in answers]) for k in keys)
    if all(isinstance(a, list) for a in answers) and isinstance(got, list):
        if any(len(a) != len(got) for a in answers):
            return any(first_difference(got, a) is None for a in answers)
        return all(_within(item, [a[i] for a in answers]) for i, item in enumerate(got))
    return any(first_difference(got, a) is None for a in answers)


def _erred(answer: Answer) -> bool:
    return answer.status != 200 or bool(answer.errors)


def _failed(answer: Answer) -> bool:
    return answer.status != 200 or (answer.data is None and bool(answer.errors))


class Order:
    """The order of response keys the spec gives (CollectFields, section 6.3.2), to check
    an answer's objects against. An object's runtime type is not always in the answer: it
    follows the spec if its keys are in the order of one runtime type giving those keys."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.operation = next(
            d for d in document.definitions if isinstance(d, OperationDefinitionNode)
        )

    def follows(self, data: Any) -> bool:
        """Whether every object in ``data`` has its keys in the spec's order."""
        root = self.schema.query_type
        if not isinstance(data, dict) or root is None:
            return True
        return self._object(data, [root], list(self.operation.selection_set.selections))

    def _object(
        self, value: dict[str, Any], types: list[GraphQLObjectType], selections: list[Any]
    ) -> bool:
        for runtime in types:
            fields: dict[str, list[FieldNode]] = {}
            self._collect(runtime, selections, fields)
            if list(fields) == list(value) and all(
                self._value(value[key], runtime, nodes) for key, nodes in fields.items()
            ):
                return True
        return False

    def _value(self, value: Any, parent: GraphQLObjectType, nodes: list[FieldNode]) -> bool:
        if isinstance(value, list):
            return all(self._value(item, parent, nodes) for item in value)
        if not isinstance(value, dict):
            return True
        name = nodes[0].name.value
        if name not in parent.fields:
            return True
        named: GraphQLNamedType = get_named_type(parent.fields[name].type)
        types: list[GraphQLObjectType]
        if is_abstract_type(named):
            types = list(self.schema.get_possible_types(named))  # type: ignore[arg-type]
        else:
            types = [named] if isinstance(named, GraphQLObjectType) else []
        inner = [s for node in nodes if node.selection_set for s in node.selection_set.selections]
        return self._object(value, types, inner)

    def _collect(
        self,
        runtime: GraphQLObjectType,
        selections: list[SelectionNode],
        fields: dict[str, list[FieldNode]],
    ) -> None:
        for selection in selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, runtime):
                    self._collect(runtime, list(selection.selection_set.selections), fields)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if self._applies(fragment.type_condition.name.value, runtime):
                    self._collect(runtime, list(fragment.selection_set.selections), fields)

    def _applies(self, condition: str, runtime: GraphQLObjectType) -> bool:
        named = self.schema.get_type(condition)
        if named is runtime:
            return True
        return is_abstract_type(named) and self.schema.is_sub_type(named, runtime)  # type: ignore[arg-type]

    def _included(self, selection: SelectionNode) -> bool:
        for directive in selection.directives or ():
            if directive.name.value not in ("skip", "include"):
                continue
            argument = next(a.value for a in directive.arguments if a.name.value == "if")
            if isinstance(argument, VariableNode):
                condition = bool(self.variables.get(argument.name.value))
            else:
                condition = isinstance(argument, BooleanValueNode) and argument.value
            if condition == (directive.name.value == "skip"):
                return False
        return True
