"""Deep fan-out: accounts, products, inventory and reviews, the shape of the common
federation benchmarks, with our own schemas and deterministic data (a market of Pontianak
goods and the people who review them).

The query (``query.graphql``) runs seven subgraph fetches in two branches:
accounts → reviews → products → inventory (``shippingEstimate`` requires ``price`` and
``weight``) and products → reviews → accounts (``author`` provides ``username``; ``name``
and ``joinedOn`` come from accounts), answering about 70 KB.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.federation import Monolith, Subgraph
from bench.scenarios import Scenario

FOLDER = Path(__file__).parent
SUBGRAPHS = ("accounts", "products", "inventory", "reviews")

USERS = 60
PRODUCTS = 40

_FIRST = (
    *("Ahmad", "Rizki", "Siti", "Nurhaliza", "Budi", "Dewi", "Hendra", "Rina", "Yusuf"),
    *("Lestari", "Agus", "Maya", "Fajar", "Indah", "Joko", "Wulan", "Andi", "Fitri", "Bayu"),
    "Sari",
)
_LAST = (
    *("Pratama", "Saputra", "Wijaya", "Halim", "Kurniawan", "Santoso", "Hidayat", "Lim", "Tan"),
    *("Syahrial", "Ramadhan"),
)
_KELURAHAN = (
    "Sungai Bangkong",
    "Darat Sekip",
    "Tengah",
    "Mariana",
    "Benua Melayu Darat",
    "Benua Melayu Laut",
    "Akcaya",
    "Parit Tokaya",
    "Bansir Laut",
    "Siantan Hulu",
    "Siantan Tengah",
    "Batu Layang",
    "Sungai Jawi",
    "Kota Baru",
    "Tanjung Hulu",
    "Dalam Bugis",
    "Tambelan Sampit",
    "Banjar Serasan",
)
_GOODS = (
    ("Kue Bingke", "FOOD"),
    ("Lidah Buaya Olahan", "FOOD"),
    ("Kopi Aming", "FOOD"),
    ("Choi Pan", "FOOD"),
    ("Kerupuk Basah", "FOOD"),
    ("Tenun Sambas", "TEXTILE"),
    ("Kain Corak Insang", "TEXTILE"),
    ("Manik Dayak", "CRAFT"),
    ("Tikar Pandan", "HOUSEHOLD"),
    ("Pengki Rotan", "HOUSEHOLD"),
)
_SIZES = ("kecil", "sedang", "besar", "keluarga")
_WAREHOUSES = ("Gudang Siantan", "Gudang Kota Baru", "Gudang Sungai Raya")
_OPENINGS = (
    "Barangnya sampai cepat dan dikemas rapi",
    "Rasanya mengingatkan saya pada pasar pagi di Kapuas",
    "Kualitasnya sesuai dengan harga yang dibayar",
    "Penjualnya ramah dan cepat membalas pertanyaan",
    "Warnanya sedikit berbeda dari foto tetapi tetap bagus",
    "Sudah tiga kali saya membeli di sini",
)
_MIDDLES = (
    "dan ukurannya pas untuk dibawa sebagai oleh-oleh ke Jakarta",
    "walaupun pengirimannya tertunda satu hari karena hujan deras",
    "dan keluarga saya di Singkawang juga menyukainya",
    "tetapi kemasannya bisa dibuat lebih kuat untuk perjalanan jauh",
    "dan bahannya terasa awet setelah beberapa minggu dipakai",
)
_ENDINGS = (
    "Saya akan membeli lagi bulan depan.",
    "Sangat direkomendasikan untuk tamu dari luar kota.",
    "Semoga stoknya selalu tersedia.",
    "Terima kasih, pelayanan yang memuaskan.",
)


def _users() -> list[dict[str, Any]]:
    users = []
    for i in range(1, USERS + 1):
        first = _FIRST[(i * 7) % len(_FIRST)]
        last = _LAST[(i * 5) % len(_LAST)]
        users.append(
            {
                "__typename": "User",
                "id": f"u{i}",
                "name": f"{first} {last}",
                "username": f"{first.lower()}.{last.lower()}{i}",
                "kelurahan": _KELURAHAN[(i * 11) % len(_KELURAHAN)],
                "joinedOn": f"20{18 + i % 7}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}",
                "reviews": [],
            }
        )
    return users


def _products() -> list[dict[str, Any]]:
    products = []
    for i in range(1, PRODUCTS + 1):
        name, category = _GOODS[i % len(_GOODS)]
        price = 15_000 + (i * 7_919) % 240_000
        weight = 100 + (i * 373) % 4_900
        stock = (i * 37) % 45
        products.append(
            {
                "__typename": "Product",
                "upc": f"899{i:010d}",
                "name": f"{name} {_SIZES[i % len(_SIZES)]}",
                "price": price,
                "weight": weight,
                "category": category,
                "stock": stock,
                "inStock": stock > 0,
                "warehouse": _WAREHOUSES[i % len(_WAREHOUSES)],
                "reviews": [],
            }
        )
    return products


def shipping_estimate(price: int, weight: int) -> int:
    """Shipping cost in rupiah: 9 rupiah a gram, free over 200,000 rupiah."""
    return 0 if price > 200_000 else weight * 9


class Data:
    """The market: users, products and reviews, linked both ways."""

    def __init__(self) -> None:
        self.users = _users()
        self.products = _products()
        self.reviews: list[dict[str, Any]] = []
        for index, user in enumerate(self.users, start=1):
            for k in range(3 + index % 5):
                product = self.products[(index * 13 + k * 7) % PRODUCTS]
                number = len(self.reviews) + 1
                review = {
                    "__typename": "Review",
                    "id": f"r{number}",
                    "body": (
                        f"{_OPENINGS[number % len(_OPENINGS)]} {_MIDDLES[number % len(_MIDDLES)]}. "
                        f"{_ENDINGS[number % len(_ENDINGS)]}"
                    ),
                    "rating": 1 + (number * 3) % 5,
                    "author": user,
                    "product": product,
                }
                self.reviews.append(review)
                user["reviews"].append(review)
                product["reviews"].append(review)
        for product in self.products:
            product["shippingEstimate"] = shipping_estimate(product["price"], product["weight"])
        self.users_by_id = {user["id"]: user for user in self.users}
        self.products_by_upc = {product["upc"]: product for product in self.products}
        self.reviews_by_id = {review["id"]: review for review in self.reviews}
        self.ranked_users = sorted(self.users, key=lambda u: (-len(u["reviews"]), u["id"]))
        self.ranked_products = sorted(self.products, key=lambda p: (-len(p["reviews"]), p["upc"]))

    def users_field(self, _root: Any, _info: Any, first: int = 10) -> list[dict[str, Any]]:
        return self.ranked_users[: max(first, 0)]

    def user_field(self, _root: Any, _info: Any, id: str) -> dict[str, Any] | None:
        return self.users_by_id.get(id)

    def top_products_field(self, _root: Any, _info: Any, first: int = 5) -> list[dict[str, Any]]:
        return self.ranked_products[: max(first, 0)]

    def product_field(self, _root: Any, _info: Any, upc: str) -> dict[str, Any] | None:
        return self.products_by_upc.get(upc)


def _inventory_product(data: Data, representation: Mapping[str, Any]) -> dict[str, Any] | None:
    product = data.products_by_upc.get(representation.get("upc", ""))
    if product is None:
        return None
    # The required fields come from the gateway, as @requires promises, and only when
    # shippingEstimate is asked for: graphql-core calls a callable value to resolve a field.
    return {
        "__typename": "Product",
        "upc": product["upc"],
        "inStock": product["inStock"],
        "stock": product["stock"],
        "warehouse": product["warehouse"],
        "shippingEstimate": lambda _info: shipping_estimate(
            representation["price"], representation["weight"]
        ),
    }


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
            {"users": data.users_field, "user": data.user_field},
            {"User": by_key(data.users_by_id, "id")},
        ),
        "products": Subgraph(
            "products",
            sdl["products"],
            {"topProducts": data.top_products_field, "product": data.product_field},
            {"Product": by_key(data.products_by_upc, "upc")},
        ),
        "inventory": Subgraph(
            "inventory",
            sdl["inventory"],
            {},
            {"Product": lambda representation: _inventory_product(data, representation)},
        ),
        "reviews": Subgraph(
            "reviews",
            sdl["reviews"],
            {},
            {
                "Review": by_key(data.reviews_by_id, "id"),
                "User": by_key(data.users_by_id, "id"),
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
            "users": data.users_field,
            "user": data.user_field,
            "topProducts": data.top_products_field,
            "product": data.product_field,
        },
    )


SCENARIO = Scenario(
    name="deep_fanout",
    title="Deep fan-out",
    folder=FOLDER,
    subgraph_names=SUBGRAPHS,
    build_subgraphs=build_subgraphs,
    build_monolith=build_monolith,
)
