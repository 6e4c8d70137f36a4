"""The core spec, ``@link`` (``https://specs.apollo.dev/link/v1.0``): how a schema names
the specs it uses and the directives it imports from them.

A link's URL is ``<identity>/v<major>.<minor>``; its directives go by the link's name
(``as``, else the last segment of the identity) prefixed ``name__``, or by the name an
``import`` gives them. Subgraphs, the supergraph printer, the supergraph loader and the API
schema all read links with the helpers here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    value_from_ast_untyped,
)
from graphql.language.print_string import print_string

__all__ = [
    "ANY_VALUE",
    "DEFINITION",
    "IDENTITY",
    "TYPES",
    "TYPE_NAMES",
    "URL",
    "FederationDirective",
    "SpecUrl",
    "apollo_spec",
    "arguments_of",
    "import_names",
    "imports_of",
    "link_name",
    "parse_url",
    "schema_directives",
    "strings_text",
    "subgraph_definition",
]

IDENTITY = "https://specs.apollo.dev/link"
URL = f"{IDENTITY}/v1.0"
TYPE_NAMES = ("Import", "Purpose")
"""The spec's types, ``link__Import`` and ``link__Purpose`` under the default name."""
DEFINITION = """
directive @link(
  url: String
  as: String
  for: link__Purpose
  import: [link__Import]
) repeatable on SCHEMA
""".strip()
TYPES = '''
scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}
'''.strip()
"""What a supergraph defines for the spec: the directive, then its types."""

ANY_VALUE = "_Simpul_Any"
"""The one scalar every argument of a linked directive takes when a subgraph is validated:
SDL validation checks no argument values, so their real types would only add definitions."""

_URL = re.compile(r"^(?P<identity>.+)/v(?P<major>\d+)\.(?P<minor>\d+)/?\Z", re.ASCII)
_APOLLO_SPEC = re.compile(r"^https://specs\.apollo\.dev/(\w+)/v(\d+\.\d+)\Z", re.ASCII)


@dataclass(frozen=True, slots=True)
class SpecUrl:
    """A link's URL: the spec's identity and version."""

    identity: str
    version: tuple[int, int]

    @property
    def name(self) -> str:
        """The spec's default name, the last segment of its identity."""
        return self.identity.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class FederationDirective:
    """A directive a subgraph imports from the federation spec, though another spec may
    define it in the supergraph (``@tag``, ``@cost``)."""

    since: tuple[int, int]
    """The federation version that brought it."""
    validation: str
    """Its arguments and locations as subgraph validation defines it (every argument
    value an :data:`ANY_VALUE`)."""


def parse_url(url: object) -> SpecUrl | None:
    """``<identity>/vX.Y`` as a :class:`SpecUrl`; ``None`` for anything else."""
    match = _URL.match(url) if isinstance(url, str) else None
    if match is None:
        return None
    return SpecUrl(match["identity"], (int(match["major"]), int(match["minor"])))


def apollo_spec(url: object) -> tuple[str, str] | None:
    """The name and version (``("join", "0.5")``) of a spec published under
    ``https://specs.apollo.dev``, the only ones a supergraph's readers know."""
    match = _APOLLO_SPEC.match(url) if isinstance(url, str) else None
    return None if match is None else (match[1], match[2])


def arguments_of(directive: ConstDirectiveNode) -> dict[str, object]:
    """A directive application's arguments as plain values."""
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}


def schema_directives(document: DocumentNode) -> Iterator[ConstDirectiveNode]:
    """The directives applied to the schema (definitions and extensions)."""
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            yield from definition.directives or ()


def link_name(document: DocumentNode) -> str:
    """The name ``@link`` itself goes by: ``@link(url: ".../link/v1.0", as: "mylink")``
    renames it."""
    for directive in schema_directives(document):
        url = arguments_of(directive).get("url")
        if isinstance(url, str) and url.startswith(IDENTITY + "/"):
            alias = arguments_of(directive).get("as")
            return alias if isinstance(alias, str) else directive.name.value
    return "link"


def imports_of(arguments: Mapping[str, object]) -> list[object]:
    """A link's ``import`` list (one import written without the list is one item)."""
    imports = arguments.get("import") or []
    return imports if isinstance(imports, list) else [imports]


def import_names(item: object) -> tuple[str | None, str]:
    """``"@key"`` or ``{name: "@key", as: "@primaryKey"}``: the imported and local names."""
    if isinstance(item, str):
        return item, item
    if isinstance(item, dict):
        name, alias = item.get("name"), item.get("as")
        if isinstance(name, str):
            return name, alias if isinstance(alias, str) else name
    return None, ""


def subgraph_definition(name: str) -> str:
    """``@link`` (named ``name``) as subgraph validation defines it."""
    return (
        f"directive @{name}(url: String, as: String, for: {ANY_VALUE},"
        f" import: [{ANY_VALUE}]) repeatable on SCHEMA"
    )


def strings_text(values: Sequence[str]) -> str:
    """A list of strings as an argument value in SDL: ``["a", "b"]``."""
    return "[" + ", ".join(map(print_string, values)) + "]"
