"""Which federation directives a subgraph uses, and under which names.

A Federation 2 subgraph links the federation spec with
``@link(url: "https://specs.apollo.dev/federation/v2.x", import: [...])``: an imported
directive keeps its name or takes the one in ``{name: "@key", as: "@primaryKey"}``, and any
other federation directive is spelled with the link's prefix, ``@federation__shareable`` by
default. A subgraph with no federation link is a Federation 1 subgraph, where every
federation directive goes by its bare name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graphql import ConstDirectiveNode, DocumentNode

from ..specs import federation, link
from ..specs.link import arguments_of, import_names, imports_of, link_name, parse_url
from .errors import CompositionError, CompositionErrorCode

__all__ = ["FederationLink", "read_federation_link"]


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


def _schema_links(document: DocumentNode, name: str) -> Iterator[ConstDirectiveNode]:
    for directive in link.schema_directives(document):
        if directive.name.value == name:
            yield directive


def read_federation_link(
    subgraph: str, document: DocumentNode
) -> tuple[FederationLink, list[CompositionError]]:
    """Read the subgraph's ``@link``s into the names it gives the federation directives."""
    errors: list[CompositionError] = []
    own_name = link_name(document)
    prefixes = {"link", own_name}
    linked: dict[str, object] | None = None
    version = (1, 0)
    for directive in _schema_links(document, own_name):
        args = arguments_of(directive)
        url = args.get("url")
        spec = parse_url(url)
        if spec is None:
            errors.append(
                CompositionError(
                    CompositionErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                    f'[{subgraph}] Invalid @link url "{url}": expected "<spec url>/vX.Y"',
                )
            )
            continue
        alias = args.get("as")
        name = alias if isinstance(alias, str) else spec.name
        if spec.identity != link.IDENTITY:
            prefixes.add(name)
        if spec.identity == federation.IDENTITY:
            linked = args
            version = spec.version
            if not (2, 0) <= version <= federation.LATEST:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.UNKNOWN_FEDERATION_LINK_VERSION,
                        f"[{subgraph}] Invalid version v{version[0]}.{version[1]} "
                        "for the federation feature in @link direction on schema",
                    )
                )
    link_types = frozenset(f"{own_name}__{t}" for t in link.TYPE_NAMES)
    if linked is None:
        # Federation 1: every directive by its bare name, and the old `_FieldSet` scalar.
        return (
            FederationLink(
                version=(1, 0),
                directives={name: name for name in federation.DIRECTIVES},
                link_name=own_name,
                spec_types=link_types | set(federation.FED1_TYPES),
                prefixes=frozenset(prefixes),
            ),
            errors,
        )
    alias = linked.get("as")
    prefix = alias if isinstance(alias, str) else "federation"
    directives = {
        f"{prefix}__{name}": name
        for name, directive in federation.DIRECTIVES.items()
        if directive.since <= version or directive.since < (2, 0)
    }
    spec_types = set(link_types) | {f"{prefix}__{t}" for t in federation.TYPES}
    for item in imports_of(linked):
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
            known = federation.DIRECTIVES.get(name)
            if known is None or known.since > version:
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
        elif imported in federation.TYPES:
            spec_types.discard(f"{prefix}__{imported}")
            spec_types.add(local)
    return (
        FederationLink(
            version=version,
            directives=directives,
            link_name=own_name,
            spec_types=frozenset(spec_types),
            prefixes=frozenset(prefixes),
        ),
        errors,
    )
