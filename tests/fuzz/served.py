"""The project's end-to-end subgraphs served over real HTTP, for gateways in other processes.

Each end-to-end test module composes its strawberry subgraphs into a checked-in supergraph
routing ``<name>`` to ``http://<name>/graphql``. Here one uvicorn server, on a free port
of this process, answers ``/<name>/graphql`` with each subgraph's app, and the supergraph is
rewritten to name those URLs. The argument values the module's own operations use (every
string constant in it that is a valid operation) seed the operations drawn over it.
"""

from __future__ import annotations

import ast
import importlib
import logging
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gateway.api_schema import build_api_schema
from gateway.supergraph import load_supergraph
from tests.e2e.harness import FIXTURES, app_of
from tests.fuzz.operations import ArgumentExamples, argument_examples
from tests.support.threaded_server import serving_in_thread

__all__ = ["GRAPHS", "ServedGraph", "served_graph"]

GRAPHS: Mapping[str, str] = {
    "abstract_types": "tests.e2e.test_abstract_types",
    "entities": "tests.e2e.test_entities",
    "interface_object": "tests.e2e.test_interface_object",
    "introspection": "tests.e2e.test_introspection",
    "operations": "tests.e2e.test_operations",
    "override": "tests.e2e.test_override",
    "requires_provides": "tests.e2e.test_requires_provides",
}
"""The end-to-end supergraphs fuzzed, by fixture name: the module holding ``SCHEMAS``."""


@dataclass(frozen=True)
class ServedGraph:
    """A supergraph whose subgraphs answer over HTTP, and argument values for it."""

    supergraph: Path
    examples: ArgumentExamples


def module_operations(module: object) -> list[tuple[str, None]]:
    """Every string constant in ``module``'s source that reads as an operation."""
    source = Path(str(getattr(module, "__file__", ""))).read_text()
    texts = []
    for node in ast.walk(ast.parse(source)):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and re.match(r"\s*(query\b|\{)", text):
            texts.append((text, None))
    return texts


@contextmanager
def served_graph(name: str) -> Iterator[ServedGraph]:
    """The end-to-end supergraph ``name`` (``tests/e2e/test_<name>.py``'s) with its
    subgraphs served over HTTP."""
    # the peers' invalid subgraph documents (Apollo Gateway's conflicting arguments, say)
    # and the subgraphs' own errors are part of the answers compared, not news for stderr
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)
    module = importlib.import_module(GRAPHS.get(name, f"tests.e2e.test_{name}"))
    schemas = module.SCHEMAS
    text = (FIXTURES / f"{name}.graphql").read_text()
    apps = {subgraph: app_of(schema) for subgraph, schema in schemas.items()}
    with serving_in_thread(apps) as base, tempfile.TemporaryDirectory() as folder:
        for subgraph in schemas:
            text = text.replace(f'"http://{subgraph}/graphql"', f'"{base}/{subgraph}/graphql"')
        path = Path(folder) / f"{name}.graphql"
        path.write_text(text)
        schema = build_api_schema(load_supergraph(text))
        yield ServedGraph(path, argument_examples(schema, module_operations(module)))
