"""Paged list fields (:mod:`subgraphs.toolkit.pages`): the page, its refusals, the
``@listSize`` a field carries, and what the gateway makes of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import strawberry
from graphql import GraphQLError, OperationDefinitionNode, parse

from gateway.api_schema import build_api_schema
from gateway.demand_control import CostModel
from gateway.supergraph import load_supergraph
from subgraphs.toolkit import described, subgraph_schema, subgraph_sdl
from subgraphs.toolkit.pages import (
    BATAS,
    LEWATI,
    PAGE_SIZE,
    check_page,
    page,
    paged,
    sized,
)
from tests.support.pages import BAD_BATAS, BAD_LEWATI

ROOT = Path(__file__).resolve().parents[2]
ITEMS = list(range(1, 12))


def test_a_page_is_a_slice_of_the_list_in_order() -> None:
    assert page(ITEMS, PAGE_SIZE, 0) == ITEMS
    assert page(ITEMS, 4, 0) == [1, 2, 3, 4]
    assert page(ITEMS, 4, 8) == [9, 10, 11]
    assert page(ITEMS, 4, 11) == [] and page(ITEMS, 1, 99) == []
    assert page((), 5, 0) == []
    walked = [item for lewati in range(0, len(ITEMS), 3) for item in page(ITEMS, 3, lewati)]
    assert walked == ITEMS  # none lost, none repeated


@pytest.mark.parametrize(
    ("batas", "lewati", "refusal"),
    [(0, 0, BAD_BATAS), (-3, 0, BAD_BATAS), (501, 0, BAD_BATAS), (10, -1, BAD_LEWATI)],
)
def test_a_page_out_of_range_is_the_clients_error(
    batas: int, lewati: int, refusal: tuple[str, str]
) -> None:
    message, pesan = refusal
    for call in (lambda: check_page(batas, lewati), lambda: page(ITEMS, batas, lewati)):
        with pytest.raises(GraphQLError) as caught:
            call()
        assert caught.value.message == message
        assert caught.value.extensions == {"code": "BAD_USER_INPUT", "pesan": pesan}


def test_the_bounds_are_accepted() -> None:
    check_page(1, 0)
    check_page(PAGE_SIZE, 10**6)
    assert PAGE_SIZE == 500


def test_paged_and_sized_directives() -> None:
    (list_size,) = paged(30)
    assert list_size.assumed_size == 30  # type: ignore[attr-defined]
    assert list_size.slicing_arguments == ["batas"]  # type: ignore[attr-defined]
    assert list_size.require_one_slicing_argument is False  # type: ignore[attr-defined]
    assert paged()[0].assumed_size == PAGE_SIZE  # type: ignore[attr-defined]
    assert sized(6)[0].assumed_size == 6  # type: ignore[attr-defined]
    for wrong in (-1, PAGE_SIZE + 1):
        with pytest.raises(ValueError, match="assumed must be"):
            paged(wrong)
    with pytest.raises(ValueError, match="must not be negative"):
        sized(-1)


@strawberry.type
class Query:
    @described("Numbers, in pages.", directives=paged(11))
    def angka(
        self,
        genap: bool = False,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[int] | None:
        return page([n for n in ITEMS if not genap or n % 2 == 0], batas, lewati)

    @described("The months.", directives=sized(12))
    def bulan(self) -> list[int]:
        return list(range(1, 13))


SCHEMA = subgraph_schema(Query)


def test_the_sdl_carries_the_page_arguments_and_list_sizes() -> None:
    sdl = subgraph_sdl(SCHEMA)
    assert 'import: ["@listSize"]' in sdl
    assert '"""Items per page, at most 500 (default 500)."""\n    batas: Int! = 500' in sdl
    assert '"""Items to skip before the page (default 0)."""\n    lewati: Int! = 0' in sdl
    assert (
        '): [Int!] @listSize(assumedSize: 11, slicingArguments: ["batas"], '
        "requireOneSlicingArgument: false)"
    ) in sdl
    assert "bulan: [Int!]! @listSize(assumedSize: 12)\n" in sdl


def test_a_field_pages_after_filtering() -> None:
    result = SCHEMA.execute_sync("{ angka(genap: true, batas: 2, lewati: 1) bulan }")
    assert result.errors is None and result.data == {"angka": [4, 6], "bulan": list(range(1, 13))}
    result = SCHEMA.execute_sync("{ angka(batas: 501) }")
    assert result.data == {"angka": None}
    assert result.errors and result.errors[0].message == BAD_BATAS[0]


def test_the_city_gateway_prices_a_page_by_batas() -> None:
    """The composed city graph carries the sizes: a list asked without ``batas`` costs its
    assumed size, with ``batas`` at most that many items."""
    supergraph = load_supergraph((ROOT / "schema" / "supergraph.graphql").read_text())
    model = CostModel(supergraph, build_api_schema(supergraph), 10)

    def cost(query: str) -> int:
        document = parse(query)
        operation = document.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        return model.estimate(operation, {}, {}, {})

    assert cost("{ daftarSekolah { npsn } }") == 300
    assert cost("{ daftarSekolah(batas: 20) { npsn } }") == 20
    assert cost("{ daftarIzin { nomor } }") == 500
    assert cost("{ daftarKelurahan { sekolah { npsn } } }") == 29 + 29 * 15
    assert cost("{ daftarKelurahan { sekolah(batas: 2) { npsn } } }") == 29 + 29 * 2
