"""@interfaceObject: one subgraph owns an entity interface and its implementations,
another adds fields to the interface without knowing the implementations."""

from __future__ import annotations

import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, down, supergraph_of

# media: the Media interface entity and its two implementations


@strawberry.federation.interface(keys=["id"])
class Media:
    id: strawberry.ID
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Media | None:
        return MEDIA.get(id)


@strawberry.federation.type(keys=["id"])
class Book(Media):
    pages: int


@strawberry.federation.type(keys=["id"])
class Movie(Media):
    minutes: int


MEDIA: dict[strawberry.ID, Media] = {
    m.id: m
    for m in (
        Book(id=strawberry.ID("b1"), title="Sejarah Pontianak", pages=320),
        Movie(id=strawberry.ID("m1"), title="Tugu Khatulistiwa", minutes=95),
        Book(id=strawberry.ID("b2"), title="Kapuas", pages=150),
    )
}


@strawberry.type
class MediaQuery:
    @strawberry.field
    def media(self) -> list[Media]:
        return list(MEDIA.values())


media = strawberry.federation.Schema(
    query=MediaQuery, types=[Book, Movie], federation_version="2.3"
)

# ratings: sees only the interface, as an object type


@strawberry.federation.interface_object(keys=["id"], name="Media")
class RatedMedia:
    id: strawberry.ID
    rating: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RatedMedia | None:
        rating = RATINGS.get(id)
        return None if rating is None else RatedMedia(id=id, rating=rating)


RATINGS = {strawberry.ID("b1"): 4, strawberry.ID("m1"): 5, strawberry.ID("b2"): 3}


@strawberry.type
class RatingsQuery:
    @strawberry.field
    def top_rated(self) -> list[RatedMedia]:
        best = sorted(RATINGS, key=lambda id: -RATINGS[id])[:2]
        return [RatedMedia(id=id, rating=RATINGS[id]) for id in best]


ratings = strawberry.federation.Schema(query=RatingsQuery, federation_version="2.3")

SCHEMAS = {"media": media, "ratings": ratings}
SUPERGRAPH = supergraph_of("interface_object", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def representations(federation: Federation, subgraph: str) -> list[object]:
    [request] = federation.requests(subgraph)
    return list(request["variables"]["representations"])


async def test_interface_object_field_through_the_interface(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ media { title rating } }")
    assert body == {
        "data": {
            "media": [
                {"title": "Sejarah Pontianak", "rating": 4},
                {"title": "Tugu Khatulistiwa", "rating": 5},
                {"title": "Kapuas", "rating": 3},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"media": 1, "ratings": 1}
    assert representations(federation, "ratings") == [
        {"__typename": "Media", "id": "b1"},
        {"__typename": "Media", "id": "m1"},
        {"__typename": "Media", "id": "b2"},
    ]


async def test_interface_object_field_through_concrete_fragments(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ media { __typename ... on Book { pages rating } ... on Movie { minutes } } }"
    )
    assert body == {
        "data": {
            "media": [
                {"__typename": "Book", "pages": 320, "rating": 4},
                {"__typename": "Movie", "minutes": 95},
                {"__typename": "Book", "pages": 150, "rating": 3},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"media": 1, "ratings": 1}
    assert representations(federation, "ratings") == [
        {"__typename": "Media", "id": "b1"},
        {"__typename": "Media", "id": "b2"},
    ]


async def test_interface_object_root_field_needs_no_owner_for_its_own_fields(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ topRated { id rating } }")
    assert body == {"data": {"topRated": [{"id": "m1", "rating": 5}, {"id": "b1", "rating": 4}]}}, (
        federation.plan
    )
    assert federation.counts() == {"media": 0, "ratings": 1}


async def test_concrete_fields_from_the_interface_object_root_field(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ topRated { rating title ... on Book { pages } ... on Movie { minutes } } }"
    )
    assert body == {
        "data": {
            "topRated": [
                {"rating": 5, "title": "Tugu Khatulistiwa", "minutes": 95},
                {"rating": 4, "title": "Sejarah Pontianak", "pages": 320},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"media": 1, "ratings": 1}
    assert representations(federation, "media") == [
        {"__typename": "Media", "id": "m1"},
        {"__typename": "Media", "id": "b1"},
    ]


async def test_typename_from_the_interface_object_is_the_concrete_type(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ topRated { __typename rating } }")
    assert body == {
        "data": {
            "topRated": [
                {"__typename": "Movie", "rating": 5},
                {"__typename": "Book", "rating": 4},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"media": 1, "ratings": 1}


async def test_a_conditional_fragment_around_a_concrete_type(federate: Federate) -> None:
    # found by the differential fuzzer: the condition's fragment hid `... on Movie`
    federation = federate(SUPERGRAPH, APPS)
    query = "query ($v: Boolean!) { topRated { ... @skip(if: $v) { ... on Movie { id } } } }"
    body = await federation.run(query, v=False)
    assert body == {"data": {"topRated": [{"id": "m1"}, {}]}}, federation.plan
    body = await federation.run(query, v=True)
    assert body == {"data": {"topRated": [{}, {}]}}, federation.plan


async def test_objects_whose_type_cannot_be_told_are_null(federate: Federate) -> None:
    # the owner of the implementations is down: the interface object's answer names the
    # interface, which is no object type a client may be told (`topRated` is `[Media!]!`:
    # the nulls reach the root); found by the fuzzer
    federation = federate(SUPERGRAPH, {**APPS, "media": down()})
    body = await federation.run("{ topRated { rating ... on Movie { minutes } } }")
    assert body["data"] is None, federation.plan
    assert {e["extensions"]["code"] for e in body["errors"]} == {"SUBREQUEST_HTTP_ERROR"}
    body = await federation.run("{ topRated { rating } }")
    assert body == {"data": {"topRated": [{"rating": 5}, {"rating": 4}]}}, federation.plan


async def test_a_fragment_on_an_implementation_below_the_interface_object(
    federate: Federate,
) -> None:
    # `topRated` comes from the interface object's subgraph: the fragment applies to the
    # objects that are movies (GraphQL spec 6.3.2), so their type is asked of the owner;
    # Hive Gateway 2.15 fails here and Apollo Gateway 2.14 answers `{}` (docs/architecture.md)
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ topRated { ... on Movie { rating __typename } } }")
    assert body == {"data": {"topRated": [{"rating": 5, "__typename": "Movie"}, {}]}}
