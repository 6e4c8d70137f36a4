"""The targets a path led to, kept for the next entity fetch at that path.

A kept walk must give what walking again would give: the same objects, in the same order,
with representations built from their fields as they are now; and a merge that changes
where a path leads must make the next fetch walk again.
"""

from __future__ import annotations

from typing import Any

from gateway.executor.representations import gatherer
from gateway.executor.walks import Walks, crossed
from gateway.planner.plan import InputField, InputFragment

UPC = (
    InputFragment(
        type_condition="Product",
        possible_types=frozenset({"Product"}),
        selections=(InputField("upc", "upc"),),
    ),
)
UPC_PRICE = (
    InputFragment(
        type_condition="Product",
        possible_types=frozenset({"Product"}),
        selections=(InputField("upc", "upc"), InputField("price", "price")),
    ),
)
PRODUCTS = ("users", "@", "reviews", "@", "product")


def _data() -> dict[str, Any]:
    return {
        "users": [
            {
                "id": "1",
                "reviews": [
                    {"product": {"__typename": "Product", "upc": "1"}},
                    {"product": {"__typename": "Product", "upc": "2"}},
                ],
            },
            {"id": "2", "reviews": [{"product": {"__typename": "Product", "upc": "1"}}]},
        ]
    }


def test_a_second_fetch_at_a_path_takes_the_same_objects_with_their_new_fields() -> None:
    data = _data()
    walks = Walks()
    found, reps, positions = walks.gather(data, PRODUCTS, UPC)
    assert reps == [{"__typename": "Product", "upc": "1"}, {"__typename": "Product", "upc": "2"}]
    assert positions == [[0, 2], [1]]
    # the first fetch's answer merged into its targets: their own fields, not the path's
    prices = [{"price": 10}, {"price": 20}]
    for index, entity in enumerate(prices):
        for number in positions[index]:
            found[number].update(entity)
    walks.merged(PRODUCTS, prices)
    again = walks.gather(data, PRODUCTS, UPC_PRICE)
    assert all(a is b for a, b in zip(again[0], found, strict=True))
    assert again == gatherer(PRODUCTS, UPC_PRICE)(data)
    assert again[1] == [
        {"__typename": "Product", "upc": "1", "price": 10},
        {"__typename": "Product", "upc": "2", "price": 20},
    ]


def test_a_merge_bringing_a_field_the_path_goes_through_makes_it_walk_again() -> None:
    data: dict[str, Any] = {"users": [{"id": "1"}, {"id": "2"}]}
    walks = Walks()
    assert walks.gather(data, PRODUCTS, UPC)[0] == []  # no reviews yet
    # the reviews arrive at users.@: the products path goes through "reviews"
    answers = [
        {"reviews": [{"product": {"__typename": "Product", "upc": "7"}}]},
        {"reviews": []},
    ]
    for user, answer in zip(data["users"], answers, strict=True):
        user.update(answer)
    walks.merged(("users", "@"), answers)
    found, reps, _ = walks.gather(data, PRODUCTS, UPC)
    assert found == [{"__typename": "Product", "upc": "7"}]
    assert reps == [{"__typename": "Product", "upc": "7"}]


def test_a_merge_of_other_fields_above_the_path_keeps_the_walk() -> None:
    data = _data()
    walks = Walks()
    first = walks.gather(data, PRODUCTS, UPC)[0]
    names = [{"name": "Siti"}, {"name": "Budi"}]
    for user, answer in zip(data["users"], names, strict=True):
        user.update(answer)
    walks.merged(("users", "@"), names)
    # kept: the same list object comes back, nothing walked again
    assert walks.gather(data, PRODUCTS, UPC)[0] is first


def test_a_root_fetch_merging_the_path_s_first_field_makes_it_walk_again() -> None:
    data: dict[str, Any] = {}
    walks = Walks()
    assert walks.gather(data, PRODUCTS, UPC)[0] == []
    root = _data()
    data.update(root)
    walks.merged((), (root,))
    assert len(walks.gather(data, PRODUCTS, UPC)[0]) == 3


def test_which_fields_a_walk_reads_of_the_objects_merged_into() -> None:
    assert crossed(("users", "@"), PRODUCTS) == frozenset({"reviews"})
    assert crossed((), PRODUCTS) == frozenset({"users"})
    assert crossed(PRODUCTS, PRODUCTS) == frozenset()  # the walk ends at them
    assert crossed(("users", "@", "reviews", "@", "product", "reviews"), PRODUCTS) == frozenset()
    assert crossed(("topProducts", "@"), PRODUCTS) == frozenset()
    # a type condition tells the merged objects apart by their __typename, then goes on
    typed = ("items", "@", "|[Book]", "author")
    assert crossed(("items", "@"), typed) == frozenset({"__typename", "author"})
    # a condition on the merged path narrows what was merged into, not where walks lead
    assert crossed(("items", "@", "|[Book]"), ("items", "@", "author")) == {"author"}
    assert crossed(("items", "@"), ("items", "@", "@")) == frozenset({"@"})


def test_a_merge_changing_the_type_a_walk_tells_apart_makes_it_walk_again() -> None:
    typed = ("items", "@", "|[Book]")
    data: dict[str, Any] = {"items": [{"id": "1"}]}
    walks = Walks()
    book = (
        InputFragment(
            type_condition="Book",
            possible_types=frozenset({"Book"}),
            selections=(InputField("id", "id"),),
        ),
    )
    assert walks.gather(data, typed, book)[0] == []
    answer = [{"__typename": "Book"}]
    data["items"][0].update(answer[0])
    walks.merged(("items", "@"), answer)
    assert walks.gather(data, typed, book)[1] == [{"__typename": "Book", "id": "1"}]
