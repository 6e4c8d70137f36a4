"""City dashboard: the portal's questions over the six OPD subgraphs of the city graph.

One operation (``query.graphql``) asks what the portal's dashboard shows: the profile of
every kelurahan of one kecamatan (Pontianak Kota: residents from dukcapil, schools from
dikbud, health facilities from dinkes, 2025 permits from dpmptsp, complaints from kominfo)
and the list of OPDs with their 2025 budget (keuangan), applications and innovations
(kominfo). The gateways plan it as two root fetches (dukcapil, kominfo) and five entity
fetches (four on the kelurahan, one on the OPDs): seven subgraph calls, a 43,566-byte
answer.

The SDLs are the real ones, read from ``schema/<opd>.graphql`` so they cannot drift. The
real subgraphs read SQL registries and export files, far too slowly to stay out of the
measurement, so the benchmark's subgraphs answer from ``snapshot.json``: what each real
subgraph answered, directly, to the questions the dashboard needs (taken by
:mod:`.snapshot`, refreshed by ``python -m bench.compose city_dashboard --snapshot``).
The monolith giving ``expected.json`` joins the same records by entity key, over the
schema of the reference composer's supergraph, without any query planning.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    FieldDefinitionNode,
    ObjectTypeDefinitionNode,
    StringValueNode,
    parse,
    value_from_ast_untyped,
)

from bench.federation import Monolith, Subgraph
from bench.scenarios import Scenario

FOLDER = Path(__file__).parent
SCHEMA = FOLDER.parents[2] / "schema"
SNAPSHOT = FOLDER / "snapshot.json"
SUBGRAPHS = ("dukcapil", "kominfo", "keuangan", "dikbud", "dinkes", "dpmptsp")


class NotInSnapshot(Exception):
    """A question the snapshot holds no answer to."""


def entity_keys(sdl: str) -> dict[str, str]:
    """Each entity type of ``sdl`` and its (single-field) key."""
    keys = {}
    for definition in parse(sdl).definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "key":
                continue
            for argument in directive.arguments:
                if argument.name.value == "fields":
                    assert isinstance(argument.value, StringValueNode)
                    key = argument.value.value.strip()
                    assert key.isidentifier(), f"{definition.name.value}: compound key {key}"
                    keys[definition.name.value] = key
    return keys


@cache
def graph_entity_keys() -> dict[str, str]:
    """The entity types of the six subgraphs, with their keys."""
    keys: dict[str, str] = {}
    for name in SUBGRAPHS:
        keys.update(entity_keys(SCENARIO.sdl(name)))
    return keys


class Records:
    """The snapshot's records from some subgraphs, one object per entity (type and key).

    Every entity record, at the top of an answer or nested in one, is merged into its
    entity's one object, and references point to that object: over one subgraph these
    are its own records; over all six, the graph joined by key, as a monolith holds it.
    """

    def __init__(self, snapshot: Mapping[str, Any], subgraphs: Iterable[str]) -> None:
        self.keys = graph_entity_keys()
        self.entities: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in self.keys}
        self.roots: dict[str, Any] = {}
        for name in subgraphs:
            part = snapshot["subgraphs"][name]
            for field_name, value in part["roots"].items():
                self.roots[field_name] = self._collect(value)
            for record in part["entities"]:
                self._collect(record)

    def _collect(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._collect(item) for item in value]
        if not isinstance(value, dict):
            return value
        fields = {name: self._collect(item) for name, item in value.items()}
        typename = value.get("__typename")
        if typename not in self.keys:
            return fields
        entity = self.entities[typename].setdefault(fields[self.keys[typename]], {})
        for name, item in fields.items():
            if name in entity and entity[name] is not item and entity[name] != item:
                raise ValueError(f"{typename}.{name}: the subgraphs disagree")
            entity[name] = item
        return entity

    def reference(self, typename: str) -> Callable[[Mapping[str, Any]], Any]:
        table, key = self.entities[typename], self.keys[typename]

        def resolve(representation: Mapping[str, Any]) -> Any:
            found = table.get(representation.get(key, ""))
            if found is None:
                raise NotInSnapshot(f"{typename} {representation.get(key)!r}: not in the snapshot")
            return found

        return resolve


def _defaults(field_node: FieldDefinitionNode) -> dict[str, Any]:
    """The field's arguments that have a default, with it (``batas: Int! = 500``)."""
    return {
        argument.name.value: value_from_ast_untyped(argument.default_value)
        for argument in field_node.arguments or ()
        if argument.default_value is not None
    }


def _arguments_checked(
    path: str,
    expected: Mapping[str, Any],
    value: Callable[[Any], Any],
    defaults: Mapping[str, Any],
) -> Callable[..., Any]:
    """A resolver answering with ``value(parent)`` when asked with the snapshot's arguments;
    an argument left at its default (a page's ``batas`` and ``lewati``) counts as not given,
    as the snapshot was asked without it."""

    def resolve(parent: Any, _info: Any, **arguments: Any) -> Any:
        given = {
            name: v
            for name, v in arguments.items()
            if v is not None and (name not in defaults or v != defaults[name])
        }
        if given != expected:
            raise NotInSnapshot(f"{path}{given}: the snapshot holds {path}{dict(expected)}")
        return value(parent)

    return resolve


def _resolvers(
    sdls: Iterable[str], records: Records, arguments: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Root resolvers and argument-checking field resolvers for the types of ``sdls``."""
    roots: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for sdl in sdls:
        for definition in parse(sdl).definitions:
            if not isinstance(definition, ObjectTypeDefinitionNode):
                continue
            type_name = definition.name.value
            for field_node in definition.fields or ():
                name = field_node.name.value
                path = f"{type_name}.{name}"
                expected = arguments.get(path, {})
                defaults = _defaults(field_node)
                if type_name == "Query" and not name.startswith("_"):
                    root = records.roots.get(name, NotInSnapshot)
                    roots[name] = _arguments_checked(
                        path, expected, _constant(path, root), defaults
                    )
                elif type_name != "Query" and field_node.arguments:
                    fields[path] = _arguments_checked(path, expected, _key(name), defaults)
    return roots, fields


def _constant(path: str, value: Any) -> Callable[[Any], Any]:
    def resolve(_parent: Any) -> Any:
        if value is NotInSnapshot:
            raise NotInSnapshot(f"{path}: not in the snapshot")
        return value

    return resolve


def _key(name: str) -> Callable[[Any], Any]:
    return lambda parent: parent[name]


@cache
def recorded() -> dict[str, Any]:
    """The checked-in snapshot."""
    loaded: dict[str, Any] = json.loads(SNAPSHOT.read_text())
    return loaded


def build_subgraphs() -> dict[str, Subgraph]:
    """The six subgraphs, each over its own records of the snapshot."""
    built = {}
    for name in SUBGRAPHS:
        sdl = SCENARIO.sdl(name)
        records = Records(recorded(), [name])
        roots, fields = _resolvers([sdl], records, recorded()["arguments"])
        references = {t: records.reference(t) for t in entity_keys(sdl)}
        built[name] = Subgraph(name, sdl, roots, references, fields)
    return built


def build_monolith() -> Monolith:
    """The six subgraphs' records joined by key, over the composed supergraph's types."""
    records = Records(recorded(), SUBGRAPHS)
    sdls = [SCENARIO.sdl(name) for name in SUBGRAPHS]
    roots, fields = _resolvers(sdls, records, recorded()["arguments"])
    return Monolith(SCENARIO.supergraph_text(), roots, fields)


def prepare(refresh: bool) -> None:
    """Take the snapshot again when asked, or when the SDLs changed since it was taken."""
    digest = SCENARIO.inputs_digest()
    if not refresh and SNAPSHOT.exists() and recorded()["sdl_digest"] == digest:
        return
    from bench.scenarios.city_dashboard import snapshot as taker

    taker.write(SNAPSHOT, digest)
    recorded.cache_clear()


SCENARIO = Scenario(
    name="city_dashboard",
    title="City dashboard",
    folder=FOLDER,
    subgraph_names=SUBGRAPHS,
    build_subgraphs=build_subgraphs,
    build_monolith=build_monolith,
    sdl_folder=SCHEMA,
    prepare=prepare,
)
