"""``simpul compose`` against the reference composer (``@theguild/federation-composition``).

For every valid set the two supergraphs must give the same API schema, the same join
metadata as the gateway loads it, and the same query plans for an operation per root
field; every invalid set must be rejected by both, with the same error codes.
"""

from __future__ import annotations

import textwrap

import pytest

from gateway.compose import CompositionFailed, SubgraphSDL, compose
from gateway.supergraph import Supergraph, load_supergraph
from tests.compose.equivalence import api_schema, join_metadata, operations, plan
from tests.compose.reference import Reference
from tests.compose.sets import FIXTURE_SETS, INVALID_SETS, VALID_SETS, fixture_supergraph


def compose_set(subgraphs: dict[str, str]) -> str:
    return compose(
        [SubgraphSDL(n, f"http://{n}/graphql", textwrap.dedent(s)) for n, s in subgraphs.items()]
    )


def assert_equivalent(ours: Supergraph, reference: Supergraph) -> None:
    assert api_schema(ours) == api_schema(reference)
    assert join_metadata(ours) == join_metadata(reference)
    for operation in operations(reference):
        assert plan(ours, operation) == plan(reference, operation), operation


@pytest.mark.parametrize("name", sorted(FIXTURE_SETS))
def test_fixture_set_composes_like_the_reference(name: str) -> None:
    ours = load_supergraph(compose_set(FIXTURE_SETS[name]))
    assert_equivalent(ours, load_supergraph(fixture_supergraph(name)))


@pytest.mark.parametrize("name", sorted(VALID_SETS))
def test_set_composes_like_the_reference(name: str, references: dict[str, Reference]) -> None:
    reference = references[name]
    assert reference.sdl is not None, reference.errors
    ours = load_supergraph(compose_set(VALID_SETS[name]))
    assert_equivalent(ours, load_supergraph(reference.sdl))


@pytest.mark.parametrize("name", sorted(INVALID_SETS))
def test_invalid_set_is_rejected_like_the_reference(
    name: str, references: dict[str, Reference]
) -> None:
    subgraphs, expected = INVALID_SETS[name]
    with pytest.raises(CompositionFailed) as failure:
        compose_set(subgraphs)
    assert {e.code.value for e in failure.value.errors} == expected
    assert references[name].sdl is None
    assert references[name].codes == expected


def test_every_reference_message_of_an_invalid_set_is_ours(
    references: dict[str, Reference],
) -> None:
    # Where both composers name the same problem they say it in the same words.
    same = [
        "invalid_field_sharing",
        "field_type_mismatch",
        "enum_value_mismatch",
        "no_queries",
        "auth_requirements_applied_on_interface",
        "cost_applied_to_interface_field",
        "list_size_invalid",
        "compose_directive_undefined",
        "compose_directive_not_linked",
        "compose_directive_linked_differently",
    ]
    for name in same:
        with pytest.raises(CompositionFailed) as failure:
            compose_set(INVALID_SETS[name][0])
        ours = {(e.code.value, e.message) for e in failure.value.errors}
        assert set(references[name].errors) == ours, name
