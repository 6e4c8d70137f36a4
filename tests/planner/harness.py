"""Golden query-plan tests: inline subgraph SDLs, one operation, the expected printed plan.

Supergraphs are composed once by the reference composer and checked in under
``supergraphs/`` with a hash of their inputs, so tests never need a composer; a fixture
whose subgraphs changed fails until ``make fixtures`` composes it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import textwrap
from pathlib import Path

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    validate,
)

from gateway.api_schema import build_api_schema
from gateway.planner import (
    Batch,
    Condition,
    Fetch,
    Flatten,
    InputField,
    InputFragment,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
    build_query_plan,
    print_plan,
)
from gateway.planner.normalize import conditions_text
from gateway.supergraph import Supergraph, load_supergraph

ResponsePath = tuple[str, ...]

FIXTURES = Path(__file__).parent / "supergraphs"
ROOT = Path(__file__).resolve().parents[2]
COMPOSER = ROOT / ".cache" / "composer"
HEADER = "# simpul-fixture-inputs: "


def _digest(subgraphs: dict[str, str]) -> str:
    canonical = json.dumps(
        {name: textwrap.dedent(sdl).strip() for name, sdl in sorted(subgraphs.items())},
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _compose(subgraphs: dict[str, str]) -> str:
    if not (COMPOSER / "node_modules" / "@theguild" / "federation-composition").exists():
        COMPOSER.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(COMPOSER),
                "--no-audit",
                "--no-fund",
                "@theguild/federation-composition",
                "graphql",
            ],
            check=True,
        )
    services = [
        {"name": name, "url": f"http://{name}/graphql", "sdl": textwrap.dedent(sdl)}
        for name, sdl in subgraphs.items()
    ]
    # ES modules resolve packages next to the script, so it runs from the install folder
    script = COMPOSER / "compose.mjs"
    script.write_text((ROOT / "scripts" / "compose.mjs").read_text())
    result = subprocess.run(
        ["node", str(script)],
        input=json.dumps(services),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"composition failed:\n{result.stderr}")
    return result.stdout


def supergraph_fixture(name: str, subgraphs: dict[str, str]) -> Supergraph:
    """Load the checked-in supergraph composed from ``subgraphs``."""
    path = FIXTURES / f"{name}.graphql"
    digest = _digest(subgraphs)
    if os.environ.get("SIMPUL_WRITE_FIXTURES"):
        current = path.read_text() if path.exists() else ""
        if not current.startswith(HEADER + digest):
            path.write_text(f"{HEADER}{digest}\n{_compose(subgraphs)}\n")
    text = path.read_text() if path.exists() else ""
    assert text.startswith(HEADER + digest), (
        f"fixture {path.name} is missing or stale: run `make fixtures`"
    )
    return load_supergraph(text.split("\n", 1)[1])


def plan_text(
    supergraph: Supergraph,
    operation: str,
    labels: frozenset[str] = frozenset(),
    unfetched: frozenset[ResponsePath] = frozenset(),
) -> str:
    """Validate ``operation`` against the API schema and print its plan."""
    document = parse(operation)
    errors = validate(build_api_schema(supergraph), document)
    assert not errors, errors
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    plan = build_query_plan(supergraph, operations[0], fragments, labels)
    given_up = frozenset(tuple(p for p in f.path if p != "@") for f in plan.unresolvable)
    check_invariants(plan, operations[0], fragments, unfetched | given_up)
    # the fields given up answer null with an error: shown after the plan, one a line
    given_up_lines = [
        f'Unresolvable(path: "{".".join(f.path)}"){conditions_text(f.conditions)}: {f.reason}'
        for f in plan.unresolvable
    ]
    return "\n".join([print_plan(plan), *given_up_lines])


def _paths(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    base: ResponsePath,
) -> set[ResponsePath]:
    """Every response path a selection set asks for (fragments looked through)."""
    found: set[ResponsePath] = set()
    for selection in selection_set.selections if selection_set else ():
        if _excluded(selection):
            continue
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            found.add((*base, key))
            found |= _paths(selection.selection_set, fragments, (*base, key))
        elif isinstance(selection, InlineFragmentNode):
            found |= _paths(selection.selection_set, fragments, base)
        elif isinstance(selection, FragmentSpreadNode):
            found |= _paths(fragments[selection.name.value].selection_set, fragments, base)
    return found


def _excluded(selection: object) -> bool:
    """Excluded by ``@skip(if: true)`` or ``@include(if: false)``."""
    for directive in getattr(selection, "directives", None) or ():
        for argument in directive.arguments or ():
            value = getattr(argument.value, "value", None)
            if isinstance(value, bool) and value == (directive.name.value == "skip"):
                return True
    return False


def _fetched(fetch: Fetch, base: ResponsePath) -> set[ResponsePath]:
    document = parse(fetch.operation)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    selection = operation.selection_set
    if fetch.requires is not None:
        entities = selection.selections[0]
        assert isinstance(entities, FieldNode) and entities.name.value == "_entities"
        selection = entities.selection_set  # type: ignore[assignment]
    return _paths(selection, {}, base)


def _inputs(items: tuple[InputField | InputFragment, ...], base: ResponsePath) -> set[ResponsePath]:
    found: set[ResponsePath] = set()
    for item in items:
        if isinstance(item, InputFragment):
            found |= _inputs(item.selections, base)
        else:
            found.add((*base, item.data_key))
            found |= _inputs(item.selections or (), (*base, item.data_key))
    return found


def _walk(node: PlanNode, before: set[ResponsePath]) -> set[ResponsePath]:
    """The paths known after ``node`` runs, checking what each entity fetch reads."""
    if isinstance(node, Sequence):
        known = set(before)
        for child in node.nodes:
            known |= _walk(child, known)
        return known
    if isinstance(node, Parallel | Batch):
        if isinstance(node, Batch):
            # the one document the parts go in parses, each part under its own alias
            everything = tuple(range(len(node.parts)))
            fields = parse(node.document(everything)).definitions[0].selection_set.selections  # type: ignore[attr-defined]
            assert [f.alias.value for f in fields] == [f"_{i}" for i in everything]
        known = set(before)
        for child in node.nodes if isinstance(node, Parallel) else node.parts:
            known |= _walk(child, before)
        return known
    if isinstance(node, Condition):
        known = set(before)
        for clause in (node.if_clause, node.else_clause):
            if clause is not None:
                known |= _walk(clause, before)
        return known
    if isinstance(node, Flatten):
        base = tuple(p for p in node.path if p != "@" and not p.startswith("|"))
        assert not base or base in before, f"Flatten path {base} is fetched by no earlier fetch"
        assert node.node.requires is not None
        missing = _inputs(node.node.requires, base) - before
        assert not missing, f"entity fetch reads {sorted(missing)} no earlier fetch selects"
        return before | _fetched(node.node, base)
    return before | _fetched(node, ())


def check_invariants(
    plan: QueryPlan,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    unfetched: frozenset[ResponsePath] = frozenset(),
) -> None:
    """Every Flatten path and representation input is fetched before it is read, and
    every field the client asked for, except ``unfetched``, is fetched by some fetch."""
    known = _walk(plan.node, set()) if plan.node is not None else set()
    asked = {
        p
        for p in _paths(operation.selection_set, fragments, ())
        if p[-1] != "__typename" and not p[0].startswith("__")
    }
    missing = asked - known - unfetched
    assert not missing, f"fields asked but fetched by no fetch: {sorted(missing)}"


def assert_plan(
    supergraph: Supergraph,
    operation: str,
    expected: str,
    labels: frozenset[str] = frozenset(),
    unfetched: frozenset[ResponsePath] = frozenset(),
) -> None:
    """``unfetched``: response paths the plan deliberately leaves out (they answer null)."""
    plan = plan_text(supergraph, operation, labels, unfetched)
    assert plan == textwrap.dedent(expected).strip()
