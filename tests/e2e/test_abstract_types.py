"""Interfaces and unions whose implementations are completed by other subgraphs."""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, supergraph_of

# catalog: the interface, the union, and the shared fields of every item


@strawberry.interface
class Item:
    id: strawberry.ID
    title: str


@strawberry.federation.type(keys=["id"])
class Book(Item):
    pages: int


@strawberry.federation.type(keys=["id"])
class Film(Item):
    pass


Highlight = Annotated[Book | Film, strawberry.union("Highlight")]


@strawberry.type
class Author:
    name: str
    works: list[Item]


SEJARAH = Book(id=strawberry.ID("b1"), title="Sejarah Pontianak", pages=320)
KAPUAS = Book(id=strawberry.ID("b2"), title="Kapuas", pages=150)
TUGU = Film(id=strawberry.ID("f1"), title="Tugu Khatulistiwa")
CAP_GO_MEH = Film(id=strawberry.ID("f2"), title="Cap Go Meh")


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def search(self) -> list[Item]:
        return [SEJARAH, TUGU, KAPUAS]

    @strawberry.field
    def highlights(self) -> list[Highlight]:
        return [TUGU, KAPUAS, CAP_GO_MEH]

    @strawberry.field
    def authors(self) -> list[Author]:
        return [
            Author(name="Ani", works=[SEJARAH, TUGU]),
            Author(name="Budi", works=[CAP_GO_MEH]),
        ]


catalog = strawberry.federation.Schema(
    query=CatalogQuery, types=[Book, Film], federation_version="2.3"
)

# films: running times and directors, and a poster made from the catalog's title


@strawberry.federation.type(keys=["id"], name="Film")
class FilmDetails:
    id: strawberry.ID
    minutes: int
    director: str
    title: str = strawberry.federation.field(external=True)

    @strawberry.federation.field(requires=["title"])
    def poster(self) -> str:
        return f"{self.title.upper()} ({self.minutes} menit)"

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, title: str = "") -> FilmDetails | None:
        found = FILMS.get(id)
        return found and FilmDetails(
            id=id, minutes=found.minutes, director=found.director, title=title
        )


FILMS = {
    strawberry.ID("f1"): FilmDetails(id=strawberry.ID("f1"), minutes=95, director="Rudi", title=""),
    strawberry.ID("f2"): FilmDetails(id=strawberry.ID("f2"), minutes=80, director="Lina", title=""),
}

films = strawberry.federation.Schema(types=[FilmDetails], federation_version="2.3")

# library: how many copies of each book can be borrowed


@strawberry.federation.type(keys=["id"], name="Book")
class LibraryBook:
    id: strawberry.ID
    copies: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LibraryBook | None:
        copies = COPIES.get(id)
        return None if copies is None else LibraryBook(id=id, copies=copies)


COPIES = {strawberry.ID("b1"): 4, strawberry.ID("b2"): 0}

library = strawberry.federation.Schema(types=[LibraryBook], federation_version="2.3")

SCHEMAS = {"catalog": catalog, "films": films, "library": library}
SUPERGRAPH = supergraph_of("abstract_types", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def representations(federation: Federation, subgraph: str) -> list[object]:
    [request] = federation.requests(subgraph)
    return list(request["variables"]["representations"])


async def test_interface_fields_and_typename_come_from_one_subgraph(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ search { __typename id title } }")
    assert body == {
        "data": {
            "search": [
                {"__typename": "Book", "id": "b1", "title": "Sejarah Pontianak"},
                {"__typename": "Film", "id": "f1", "title": "Tugu Khatulistiwa"},
                {"__typename": "Book", "id": "b2", "title": "Kapuas"},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 0, "library": 0}


async def test_each_implementation_jumps_to_its_own_subgraph(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ search { title ... on Book { pages copies } ... on Film { minutes } } }"
    )
    assert body == {
        "data": {
            "search": [
                {"title": "Sejarah Pontianak", "pages": 320, "copies": 4},
                {"title": "Tugu Khatulistiwa", "minutes": 95},
                {"title": "Kapuas", "pages": 150, "copies": 0},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 1, "library": 1}
    assert representations(federation, "library") == [
        {"__typename": "Book", "id": "b1"},
        {"__typename": "Book", "id": "b2"},
    ]
    assert representations(federation, "films") == [{"__typename": "Film", "id": "f1"}]


async def test_union_members_complete_in_their_subgraphs(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ highlights { __typename ... on Film { title director } ... on Book { copies } } }"
    )
    assert body == {
        "data": {
            "highlights": [
                {"__typename": "Film", "title": "Tugu Khatulistiwa", "director": "Rudi"},
                {"__typename": "Book", "copies": 0},
                {"__typename": "Film", "title": "Cap Go Meh", "director": "Lina"},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 1, "library": 1}


async def test_typename_alone_on_a_union_needs_no_jump(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ highlights { __typename } }")
    assert body == {
        "data": {
            "highlights": [{"__typename": "Film"}, {"__typename": "Book"}, {"__typename": "Film"}]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 0, "library": 0}


async def test_interface_fragment_inside_a_union_selection(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ highlights { ... on Item { id title } } }")
    assert body == {
        "data": {
            "highlights": [
                {"id": "f1", "title": "Tugu Khatulistiwa"},
                {"id": "b2", "title": "Kapuas"},
                {"id": "f2", "title": "Cap Go Meh"},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 0, "library": 0}


async def test_concrete_fragments_reached_through_an_interface_field(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        { authors { name works { ... on Book { copies } ...FilmFacts } } }
        fragment FilmFacts on Film { minutes director }
        """
    )
    assert body == {
        "data": {
            "authors": [
                {"name": "Ani", "works": [{"copies": 4}, {"minutes": 95, "director": "Rudi"}]},
                {"name": "Budi", "works": [{"minutes": 80, "director": "Lina"}]},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 1, "library": 1}
    assert representations(federation, "films") == [
        {"__typename": "Film", "id": "f1"},
        {"__typename": "Film", "id": "f2"},
    ]


async def test_requires_on_an_interface_implementation(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ search { id ... on Film { poster } } }")
    assert body == {
        "data": {
            "search": [
                {"id": "b1"},
                {"id": "f1", "poster": "TUGU KHATULISTIWA (95 menit)"},
                {"id": "b2"},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 1, "library": 0}
    assert representations(federation, "films") == [
        {"__typename": "Film", "id": "f1", "title": "Tugu Khatulistiwa"}
    ]


async def test_requires_on_a_union_member(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ highlights { ... on Film { poster } ... on Book { title copies } } }"
    )
    assert body == {
        "data": {
            "highlights": [
                {"poster": "TUGU KHATULISTIWA (95 menit)"},
                {"title": "Kapuas", "copies": 0},
                {"poster": "CAP GO MEH (80 menit)"},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "films": 1, "library": 1}


async def test_objects_whose_every_field_is_excluded_are_answered_empty(
    federate: Federate,
) -> None:
    # found by the differential fuzzer: `search {}` was sent and the subgraph's syntax
    # error nulled the whole branch
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ search { ... on Book { title @include(if: false) } } authors { name @skip(if: true) } }"
    )
    assert body == {"data": {"search": [{}, {}, {}], "authors": [{}, {}]}}, federation.plan
    assert "errors" not in body
