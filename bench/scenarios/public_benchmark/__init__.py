"""The public gateway benchmark's scenario: its four subgraphs, its query, our own data.

The schema (``accounts``, ``inventory``, ``products``, ``reviews``: the same types, fields,
keys, ``@requires``, ``@provides`` and nullability) and the query (``TestQuery``:
``users`` and ``topProducts``, each down to reviews of products of reviews' authors) are
those of graphql-hive/graphql-gateways-benchmark, so every gateway plans what it plans
there. The data have the same shape and sizes: 6 members, 9 products (the first 5 are the
top products), 11 reviews on products 1, 1, 1, 1, 2, 2, 2, 2, 3, 4 and 4, with bodies of
the same lengths. The relations are that benchmark's too, odd as they are: every review's
author is the first member, and every member's ``reviews`` are the first two reviews (its
reviews subgraph answers so for any member). The values are ours: a Pontianak market (see
``deep_fanout``), not a string of theirs.

Simpul's demand control estimates the query at 24,420 (no ``@listSize`` in these SDLs:
every list is assumed 10 long), over its default maximum of 5,000, so Simpul is started
with ``SIMPUL_MAX_COST=30000``: the estimate is still made and enforced.

One difference in kind: there the shipping estimate comes out null (its inventory resolver
ignores the required fields it is sent); here it is computed from them, so the answer
check also proves that each gateway sends ``price`` and ``weight`` to inventory.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.federation import Monolith, Subgraph
from bench.scenarios import Scenario
from bench.scenarios.deep_fanout import shipping_estimate

FOLDER = Path(__file__).parent
SUBGRAPHS = ("accounts", "inventory", "products", "reviews")

_MEMBERS = (
    ("Siti Rahmawati", "sitir"),
    ("Yusuf Hamid", "yusufhamid"),
    ("Nurul Hidayah", "nurulhidayah"),
    ("Fajar Ramadhan", "fajarrm"),
    ("Indah Puspa", "indahpuspa"),
    ("Bayu Saputra", "bayusp"),
)
_BIRTHDAYS = (631_152_000, 725_846_400, 820_454_400, 567_993_600, 883_612_800, 694_224_000)
_GOODS = (
    # name, price in rupiah, weight in grams, in stock
    ("Bingke", 85_000, 250, True),
    ("Tikar", 250_000, 1_200, False),
    ("Kopi", 18_000, 200, False),
    ("Tenun", 65_000, 150, False),
    ("Manik", 320_000, 900, True),
    ("Pengki", 450_000, 350, True),
    ("Lempok", 275_000, 1_800, True),
    ("Kerupuk", 1_500_000, 5_000, False),
    ("Sarung", 950_000, 700, True),
)
_REVIEWED = (1, 1, 1, 1, 2, 2, 2, 2, 3, 4, 4)
"""The product (its number) each review is on, in review order."""
_BODY_LENGTHS = (445, 289, 275, 143, 445, 289, 275, 143, 143, 143, 844)
_SENTENCES = (
    "Bingke ini saya beli di pasar Flamboyan pagi-pagi sebelum hujan turun.",
    "Penjualnya menimbang dengan teliti dan membungkusnya dengan daun pisang.",
    "Rasanya manis, harum pandan, dan tidak terlalu berminyak seperti di tempat lain.",
    "Kiriman sampai ke Siantan dalam satu hari, masih hangat ketika dibuka.",
    "Anak-anak di rumah langsung menghabiskannya sebelum makan malam.",
    "Harganya wajar untuk kualitas yang sebaik ini di tepian Sungai Kapuas.",
    "Kemasannya rapi walaupun kardusnya sedikit basah terkena gerimis.",
    "Saya sudah berlangganan sejak pasar ini pindah ke dekat Tugu Khatulistiwa.",
    "Pelayanan di lapak ini ramah dan pertanyaan dibalas dengan cepat.",
    "Semoga stoknya tetap ada menjelang Imlek dan Cap Go Meh tahun depan.",
)


def _body(number: int, length: int) -> str:
    """A review body of ``length`` characters, its sentences starting at ``number``."""
    text = ""
    index = number
    while len(text) < length:
        text += _SENTENCES[index % len(_SENTENCES)] + " "
        index += 1
    cut = text[: length - 1].rstrip()
    return cut + "." * (length - len(cut))


class Data:
    """Members, products and reviews, related as in the public benchmark."""

    def __init__(self) -> None:
        self.users: list[dict[str, Any]] = [
            {
                "__typename": "User",
                "id": str(number),
                "name": name,
                "username": username,
                "birthday": _BIRTHDAYS[number - 1],
            }
            for number, (name, username) in enumerate(_MEMBERS, start=1)
        ]
        self.products: list[dict[str, Any]] = [
            {
                "__typename": "Product",
                "upc": str(number),
                "name": name,
                "price": price,
                "weight": weight,
                "inStock": in_stock,
                "shippingEstimate": shipping_estimate(price, weight),
                "reviews": [],
            }
            for number, (name, price, weight, in_stock) in enumerate(_GOODS, start=1)
        ]
        self.reviews: list[dict[str, Any]] = [
            {
                "__typename": "Review",
                "id": str(number),
                "body": _body(number, length),
                "product": self.products[product - 1],
                "author": self.users[0],
            }
            for number, (product, length) in enumerate(
                zip(_REVIEWED, _BODY_LENGTHS, strict=True), start=1
            )
        ]
        for review in self.reviews:
            review["product"]["reviews"].append(review)
        for user in self.users:
            user["reviews"] = self.reviews[:2]
        self.users_by_id = {user["id"]: user for user in self.users}
        self.products_by_upc = {product["upc"]: product for product in self.products}
        self.reviews_by_id = {review["id"]: review for review in self.reviews}

    def me_field(self, _root: Any, _info: Any) -> dict[str, Any]:
        return self.users[0]

    def user_field(self, _root: Any, _info: Any, id: str) -> dict[str, Any] | None:
        return self.users_by_id.get(id)

    def users_field(self, _root: Any, _info: Any) -> list[dict[str, Any]]:
        return self.users

    def top_products_field(self, _root: Any, _info: Any, first: int = 5) -> list[dict[str, Any]]:
        return self.products[: max(first, 0)]


def _inventory_product(data: Data, representation: Mapping[str, Any]) -> dict[str, Any] | None:
    product = data.products_by_upc.get(representation.get("upc", ""))
    if product is None:
        return None
    price, weight = representation.get("price"), representation.get("weight")
    # From the fields the gateway sends, as @requires promises (null when they are null).
    estimate = None if price is None or weight is None else shipping_estimate(price, weight)
    return {
        "__typename": "Product",
        "upc": product["upc"],
        "inStock": product["inStock"],
        "shippingEstimate": estimate,
    }


def _reviews_user(data: Data, representation: Mapping[str, Any]) -> dict[str, Any]:
    # The public benchmark's reviews subgraph answers any member, known or not, with the
    # first two reviews.
    return {"__typename": "User", "id": representation["id"], "reviews": data.reviews[:2]}


def build_subgraphs() -> dict[str, Subgraph]:
    """The four subgraphs over one copy of the data."""
    data = Data()

    def by_key(table: Mapping[str, Any], key: str) -> Any:
        return lambda representation: table.get(representation.get(key, ""))

    sdl = {name: (FOLDER / f"{name}.graphql").read_text() for name in SUBGRAPHS}
    return {
        "accounts": Subgraph(
            "accounts",
            sdl["accounts"],
            {"me": data.me_field, "user": data.user_field, "users": data.users_field},
            {"User": by_key(data.users_by_id, "id")},
        ),
        "inventory": Subgraph(
            "inventory",
            sdl["inventory"],
            {},
            {"Product": lambda representation: _inventory_product(data, representation)},
        ),
        "products": Subgraph(
            "products",
            sdl["products"],
            {"topProducts": data.top_products_field},
            {"Product": by_key(data.products_by_upc, "upc")},
        ),
        "reviews": Subgraph(
            "reviews",
            sdl["reviews"],
            {},
            {
                "Review": by_key(data.reviews_by_id, "id"),
                "User": lambda representation: _reviews_user(data, representation),
                "Product": by_key(data.products_by_upc, "upc"),
            },
        ),
    }


def build_monolith() -> Monolith:
    """The same graph in one plain schema (``monolith.graphql``): the reference answer."""
    data = Data()
    return Monolith(
        (FOLDER / "monolith.graphql").read_text(),
        {
            "me": data.me_field,
            "user": data.user_field,
            "users": data.users_field,
            "topProducts": data.top_products_field,
        },
    )


SCENARIO = Scenario(
    name="public_benchmark",
    title="The public gateway benchmark's scenario",
    folder=FOLDER,
    subgraph_names=SUBGRAPHS,
    build_subgraphs=build_subgraphs,
    build_monolith=build_monolith,
    simpul_env={"SIMPUL_MAX_COST": "30000"},
)
