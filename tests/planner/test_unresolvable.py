"""A client field the planner finds no way to resolve where the operation reaches it is
given up alone: it answers null with an error, and the rest of the operation is planned."""

# ruff: noqa: E501 -- a golden plan's lines are as long as they print

import pytest

from gateway.planner import PlanningError
from tests.planner.harness import assert_plan, plan_text, supergraph_fixture

SUBGRAPHS = {
    "pages": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { pages: [Page] node(id: ID!): Node }
        interface Node @key(fields: "id") { id: ID! }
        type Page { id: ID! title: String }
    """,
    "notes": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@interfaceObject"])
        type Query { pinned: Node }
        type Node @key(fields: "id", resolvable: false) @interfaceObject {
          id: ID!
          note: String
        }
    """,
}

SUPERGRAPH = supergraph_fixture("unresolvable", SUBGRAPHS)


def test_the_field_alone_is_given_up() -> None:
    # `pages` knows no implementation of Node, and `notes` cannot be entered (its key is
    # not resolvable): nothing can tell a node's note, the rest is still planned
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) {
          pages { title } node(id: "p1") { id note @include(if: $v) }
        }
        """,
        """
        QueryPlan {
          Fetch(service: "pages") {
            {
              pages {
                title
              }
              node(id: "p1") {
                __typename
                id
              }
            }
          },
        }
        Unresolvable(path: "node.note") @include(if: $v): no subgraph can resolve Node.note from pages
        """,
    )


def test_an_operation_of_nothing_but_such_fields_fails_whole() -> None:
    # no value the client asked for could be planned: there is no partial answer to give
    with pytest.raises(PlanningError, match=r"no subgraph can resolve Node\.note from pages"):
        plan_text(SUPERGRAPH, '{ node(id: "p1") { note } }')
