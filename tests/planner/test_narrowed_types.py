"""A subgraph declaring a field with a narrower type than the supergraph's (an object where
the supergraph has a union): the fetch is planned against the subgraph's type and still
selects ``__typename``, which the client's abstract selection is shaped by.

Composed by Simpul's composer: the reference composer (0.27) leaves out the
``@join__field(type:)`` that says so, which Apollo's composer writes.
"""

import textwrap

from gateway.compose import SubgraphSDL, compose
from gateway.supergraph import load_supergraph
from tests.planner.harness import assert_plan

NARROWING = {  # not SUBGRAPHS: no reference fixture set (see above)
    "shelf": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { featured: Book @shareable }
        type Book @key(fields: "id") { id: ID! title: String @shareable pages: Int }
    """,
    "media": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { featured: Media @shareable }
        union Media = Book | Film
        type Book @key(fields: "id") { id: ID! title: String @shareable }
        type Film @key(fields: "id") { id: ID! title: String }
    """,
}

SUPERGRAPH = load_supergraph(
    compose(
        [
            SubgraphSDL(name, f"http://{name}/graphql", textwrap.dedent(sdl))
            for name, sdl in NARROWING.items()
        ]
    )
)


def test_the_narrowed_field_still_answers_its_type() -> None:
    # found by the fuzzer: without `__typename` the union could not be shaped
    assert_plan(
        SUPERGRAPH,
        """
        { featured { ... on Book { pages } } }
        """,
        """
        QueryPlan {
          Fetch(service: "shelf") {
            {
              featured {
                pages
                __typename
              }
            }
          },
        }
        """,
    )
