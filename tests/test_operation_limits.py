"""Operation limits and the document cache's bounds: what one document may ask for, refused
before validation, never kept; and a cache that holds a bounded amount of text."""

from __future__ import annotations

import asyncio
import threading

import pytest

from gateway.errors import ErrorCode, RequestError
from gateway.operation import DocumentCache
from gateway.operation_limits import OperationLimits
from tests.test_operation import API_SCHEMA


def refusal(cache: DocumentCache, query: str) -> dict[str, object]:
    with pytest.raises(RequestError) as refused:
        cache.get(query)
    [error] = refused.value.errors
    return error


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "{ person(id: 1) { name } people { name } __typename a: __typename }",
            ErrorCode.MAX_ROOT_FIELDS_LIMIT,
            "the operation has more than 3 root fields",
        ),
        (
            "{ person(id: 1) { " + " ".join(f"n{i}: name" for i in range(3)) + " } }",
            ErrorCode.MAX_ALIASES_LIMIT,
            "the operation has more than 2 aliases",
        ),
        (
            "query { person(id: 1) { ...A ...A ...A } } fragment A on Person { a: name b: name }",
            ErrorCode.MAX_ALIASES_LIMIT,  # fragments count each time they are spread
            "the operation has more than 2 aliases",
        ),
        (
            "{ person(id: 1) { name @include(if: true) @skip(if: false) @include(if: true) } }",
            ErrorCode.MAX_DIRECTIVES_LIMIT,
            "the operation has more than 2 directives on one field",
        ),
        (
            "{ person(id: 1) { " + "friends { " * 4 + "name" + " }" * 4 + " } }",
            ErrorCode.MAX_FIELDS_LIMIT,
            "the operation has more than 5 field selections",
        ),
    ],
)
def test_each_limit_refuses_and_names_itself(query: str, code: ErrorCode, message: str) -> None:
    limits = OperationLimits(max_aliases=2, max_root_fields=3, max_fields=5, max_directives=2)
    cache = DocumentCache(API_SCHEMA, limits=limits)
    error = refusal(cache, query)
    assert error == {"message": message, "extensions": {"code": code}}
    assert len(cache) == 0 and cache.size_in_bytes == 0


def test_a_fragment_bomb_is_counted_without_being_expanded() -> None:
    fragments = "\n".join(
        f"fragment F{i} on Person {{ friends {{ ...F{i + 1} ...F{i + 1} }} }}" for i in range(60)
    )
    query = "{ person(id: 1) { ...F0 } }\n" + fragments + "\nfragment F60 on Person { name }"
    error = refusal(DocumentCache(API_SCHEMA), query)
    assert error["extensions"] == {"code": ErrorCode.MAX_FIELDS_LIMIT}


def test_the_cache_keeps_a_bounded_amount_of_text() -> None:
    cache = DocumentCache(API_SCHEMA, max_cache_bytes=1000)
    queries = [f"{{ person(id: {i}) {{ name }} }}" + " " * 200 for i in range(20)]
    for query in queries:
        cache.get(query)
    assert cache.size_in_bytes <= 1000
    assert len(cache) == 1000 // len(queries[0])
    # the most recent stay
    assert cache.get(queries[-1]) is cache.get(queries[-1])


async def test_a_large_document_is_prepared_off_the_event_loop() -> None:
    cache = DocumentCache(API_SCHEMA, off_loop_bytes=100)
    threads: list[str] = []
    prepare = cache._prepare

    def spy(query: str) -> object:
        threads.append(threading.current_thread().name)
        return prepare(query)

    cache._prepare = spy  # type: ignore[method-assign]
    small = "{ people { name } }"
    large = "{ people { name } }" + " " * 200
    await cache.prepare(small)
    await cache.prepare(large)
    await cache.prepare(large)  # cached: not prepared again
    main = threading.current_thread().name
    assert threads[0] == main and threads[1] != main and len(threads) == 2
    # other requests are answered while a large document is parsed
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        ticks += 1

    await asyncio.gather(cache.prepare(large + " "), tick())
    assert ticks == 1


def test_height_counts_each_fragment_once() -> None:
    limits = OperationLimits(max_height=5, max_fields=1000)
    cache = DocumentCache(API_SCHEMA, limits=limits)
    # three fields as written, the fragment spread ten times: height 3, not 21
    spread = " ".join(["...F"] * 10)
    ok = f"query {{ person(id: 1) {{ {spread} }} }} fragment F on Person {{ name role }}"
    assert len(cache.get(ok).fragments) == 1
    error = refusal(cache, "{ person(id: 1) { name role friends { name role id } } }")
    assert error == {
        "message": "the operation has more than 5 distinct field selections",
        "extensions": {"code": ErrorCode.MAX_HEIGHT_LIMIT},
    }
