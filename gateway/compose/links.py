"""Which federation directives a subgraph uses, and under which names.

A Federation 2 subgraph links the federation spec with
``@link(url: "https://specs.apollo.dev/federation/v2.x", import: [...])``: an imported
directive keeps its name or takes the one in ``{name: "@key", as: "@primaryKey"}``, and any
other federation directive is spelled with the link's prefix, ``@federation__shareable`` by
default. A subgraph with no federation link is a Federation 1 subgraph, where every
federation directive goes by its bare name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    value_from_ast_untyped,
)

from .errors import CompositionError, CompositionErrorCode

__all__ = [
    "FEDERATION_DIRECTIVES",
    "FEDERATION_TYPES",
    "FederationLink",
    "import_names",
    "read_federation_link",
]

FEDERATION_URL = "https://specs.apollo.dev/federation"
LINK_URL = "https://specs.apollo.dev/link"
_URL = re.compile(r"^(?P<identity>.+)/v(?P<major>\d+)\.(?P<minor>\d+)/?$")

# Each directive with the federation version that introduced it.
FEDERATION_DIRECTIVES: Mapping[str, tuple[int, int]] = {
    "key": (1, 0),
    "requires": (1, 0),
    "provides": (1, 0),
    "external": (1, 0),
    "extends": (1, 0),
    "tag": (1, 0),
    "shareable": (2, 0),
    "inaccessible": (2, 0),
    "override": (2, 0),
    "composeDirective": (2, 1),
    "interfaceObject": (2, 3),
    "authenticated": (2, 5),
    "requiresScopes": (2, 5),
    "policy": (2, 6),
    "context": (2, 8),
    "fromContext": (2, 8),
    "cost": (2, 9),
    "listSize": (2, 9),
}
# The spec's own types, which never reach the supergraph.
FEDERATION_TYPES = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
_LATEST = (2, 12)


@dataclass(frozen=True, slots=True)
class FederationLink:
    """How one subgraph spells the federation directives."""

    version: tuple[int, int]
    """``(1, 0)`` for a Federation 1 subgraph (no federation ``@link``)."""
    directives: Mapping[str, str]
    """Local directive name to federation directive name (``primaryKey`` to ``key``)."""
    link_name: str
    """The local name of ``@link`` itself."""
    spec_types: frozenset[str]
    """Local names of the federation and link specs' types (``FieldSet``, ``link__Import``)."""
    prefixes: frozenset[str]
    """Namespaces of linked specs (``federation``, ``link``): ``prefix__name`` is machinery."""

    @property
    def is_fed1(self) -> bool:
        return self.version < (2, 0)


def _schema_links(document: DocumentNode, link_name: str) -> Iterator[ConstDirectiveNode]:
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for directive in definition.directives or ():
                if directive.name.value == link_name:
                    yield directive


def _args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}


def _link_name(document: DocumentNode) -> str:
    # `@link(url: ".../link/v1.0", as: "mylink")` renames @link itself.
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for directive in definition.directives or ():
                url = _args(directive).get("url")
                if isinstance(url, str) and url.startswith(LINK_URL + "/"):
                    alias = _args(directive).get("as")
                    return alias if isinstance(alias, str) else directive.name.value
    return "link"


def read_federation_link(
    subgraph: str, document: DocumentNode
) -> tuple[FederationLink, list[CompositionError]]:
    """Read the subgraph's ``@link``s into the names it gives the federation directives."""
    errors: list[CompositionError] = []
    link_name = _link_name(document)
    prefixes = {"link", link_name}
    federation: dict[str, object] | None = None
    version = (1, 0)
    for directive in _schema_links(document, link_name):
        args = _args(directive)
        url = args.get("url")
        match = _URL.match(url) if isinstance(url, str) else None
        if match is None:
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                    f'[{subgraph}] Invalid @link url "{url}": expected "<spec url>/vX.Y"',
                )
            )
            continue
        identity = match["identity"]
        alias = args.get("as")
        name = alias if isinstance(alias, str) else identity.rsplit("/", 1)[-1]
        if identity != LINK_URL:
            prefixes.add(name)
        if identity == FEDERATION_URL:
            federation = args
            version = (int(match["major"]), int(match["minor"]))
            if not (2, 0) <= version <= _LATEST:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.UNKNOWN_FEDERATION_LINK_VERSION,
                        f"[{subgraph}] Invalid version v{version[0]}.{version[1]} "
                        "for the federation feature in @link direction on schema",
                    )
                )
    link_types = frozenset(f"{link_name}__{t}" for t in ("Import", "Purpose"))
    if federation is None:
        # Federation 1: every directive by its bare name, and the old `_FieldSet` scalar.
        return (
            FederationLink(
                version=(1, 0),
                directives={name: name for name in FEDERATION_DIRECTIVES},
                link_name=link_name,
                spec_types=link_types | {"_FieldSet", "FieldSet"},
                prefixes=frozenset(prefixes),
            ),
            errors,
        )
    alias = federation.get("as")
    prefix = alias if isinstance(alias, str) else "federation"
    directives = {
        f"{prefix}__{name}": name
        for name, since in FEDERATION_DIRECTIVES.items()
        if since <= version or since < (2, 0)
    }
    spec_types = set(link_types) | {f"{prefix}__{t}" for t in FEDERATION_TYPES}
    imports = federation.get("import") or []
    for item in imports if isinstance(imports, list) else [imports]:
        imported, local = import_names(item)
        if imported is None:
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                    f"[{subgraph}] Invalid import {item!r} in the federation @link",
                )
            )
            continue
        if imported.startswith("@"):
            name = imported[1:]
            since = FEDERATION_DIRECTIVES.get(name)
            if since is None or since > version:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                        f'[{subgraph}] Cannot import unknown element "{imported}" from '
                        f"federation v{version[0]}.{version[1]}",
                    )
                )
                continue
            # The prefixed name stays usable next to the imported one.
            directives[local.lstrip("@")] = name
        elif imported in FEDERATION_TYPES:
            spec_types.discard(f"{prefix}__{imported}")
            spec_types.add(local)
    return (
        FederationLink(
            version=version,
            directives=directives,
            link_name=link_name,
            spec_types=frozenset(spec_types),
            prefixes=frozenset(prefixes),
        ),
        errors,
    )


def import_names(item: object) -> tuple[str | None, str]:
    """``"@key"`` or ``{name: "@key", as: "@primaryKey"}``: the imported and local names."""
    if isinstance(item, str):
        return item, item
    if isinstance(item, dict):
        name, alias = item.get("name"), item.get("as")
        if isinstance(name, str):
            return name, alias if isinstance(alias, str) else name
    return None, ""
