"""The demo ``products`` subgraph: Pontianak's specialties, owner of ``Product``."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation import Schema

__all__ = ["PRODUCTS", "Product", "app", "schema"]


@strawberry.federation.type(keys=["upc"])
class Product:
    """Something sold in Pontianak."""

    upc: strawberry.ID
    name: str
    price: int = strawberry.field(description="Price in rupiah.")

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        """The product with ``upc``; ``None`` fills the entity's slot when it is unknown."""
        return PRODUCTS.get(str(upc))


PRODUCTS: dict[str, Product] = {
    str(p.upc): p
    for p in (
        Product(upc=strawberry.ID("1"), name="Lidah buaya segar", price=15000),
        Product(upc=strawberry.ID("2"), name="Kopi Aming", price=12000),
        Product(upc=strawberry.ID("3"), name="Choi pan", price=20000),
        Product(upc=strawberry.ID("4"), name="Bingke berendam", price=35000),
    )
}


@strawberry.type
class Query:
    @strawberry.field
    def top_products(self, first: int = 5) -> list[Product]:
        """The first ``first`` products."""
        return list(PRODUCTS.values())[: max(first, 0)]

    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return PRODUCTS.get(str(upc))


schema = Schema(query=Query, federation_version="2.3")
app = GraphQL(schema, graphql_ide=None)
