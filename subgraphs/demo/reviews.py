"""The demo ``reviews`` subgraph: reviews of products, extending ``Product``."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation import Schema

__all__ = ["REVIEWS", "Product", "Review", "app", "schema"]


@strawberry.federation.type(keys=["upc"])
class Product:
    """A product, as far as reviews know it: its key."""

    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [review for review in REVIEWS if review.upc == self.upc]

    @strawberry.field
    def average_rating(self) -> float | None:
        """The mean rating, or null when nobody has reviewed the product."""
        ratings = [review.rating for review in REVIEWS if review.upc == self.upc]
        return round(sum(ratings) / len(ratings), 2) if ratings else None

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product:
        return cls(upc=upc)


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    rating: int
    upc: strawberry.Private[str]

    @strawberry.field
    def product(self) -> Product:
        return Product(upc=strawberry.ID(self.upc))


REVIEWS = (
    Review(id=strawberry.ID("r1"), body="Segar, manisnya pas.", rating=5, upc="1"),
    Review(
        id=strawberry.ID("r2"), body="Kopi pagi terbaik di Jalan Gajah Mada.", rating=5, upc="2"
    ),
    Review(id=strawberry.ID("r3"), body="Ramai, tapi layak ditunggu.", rating=4, upc="2"),
    Review(id=strawberry.ID("r4"), body="Kulitnya tipis, isinya banyak.", rating=4, upc="3"),
)


@strawberry.type
class Query:
    @strawberry.field
    def latest_reviews(self, first: int = 10) -> list[Review]:
        """The newest reviews first."""
        return list(reversed(REVIEWS))[: max(first, 0)]


schema = Schema(query=Query, types=[Product], federation_version="2.3")
app = GraphQL(schema, graphql_ide=None)
