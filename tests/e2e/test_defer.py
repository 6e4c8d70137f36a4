"""@defer: the initial answer first, each deferred fragment's objects after, in the two
forms clients take (``pending``/``completed``, and Apollo Client's ``deferSpec=20220824``).

The deferred fragment's subgraph is held until the initial payload has been read: the test
shows the order without timing anything.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.transport import ASGIApp
from tests.e2e import test_abstract_types, test_context
from tests.e2e.harness import Federation, Scope

QUERY = 'query Ringkasan { opd { nama ... @defer(label: "anggaran") { programs { pagu } } } }'

INITIAL = {"opd": [{"nama": "Dinas Pendidikan dan Kebudayaan"}, {"nama": "Dinas Kesehatan"}]}
PROGRAMS = [
    {"programs": [{"pagu": 12_500}, {"pagu": 2_000}]},
    {"programs": [{"pagu": 3_500}, {"pagu": 4_750}]},
]


def held(app: ASGIApp, gate: asyncio.Event) -> ASGIApp:
    """``app``, answering only once ``gate`` is set."""

    async def waiting(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await gate.wait()
        await app(scope, receive, send)

    return waiting


async def run(
    federation: Federation, query: str, form: str | None, **variables: Any
) -> GraphQLResponse:
    return await federation.engine.execute(
        GraphQLRequest(query, variables=variables or None), RequestContext(incremental=form)
    )


async def rest(response: GraphQLResponse) -> list[dict[str, Any]]:
    assert response.subsequent is not None
    return [payload async for payload in response.subsequent]


async def test_the_initial_answer_comes_before_the_deferred_fragment() -> None:
    gate = asyncio.Event()
    apps = {**test_context.APPS, "anggaran": held(test_context.APPS["anggaran"], gate)}
    async with Federation(test_context.SUPERGRAPH, apps) as federation:
        response = await run(federation, QUERY, "draft")
        # the budget subgraph has not answered: the initial payload is already here
        assert response.body == {
            "data": INITIAL,
            "hasNext": True,
            "pending": [
                {"id": "0", "path": ["opd", 0], "label": "anggaran"},
                {"id": "1", "path": ["opd", 1], "label": "anggaran"},
            ],
        }
        gate.set()
        assert await rest(response) == [
            {
                "incremental": [{"id": "0", "data": PROGRAMS[0]}, {"id": "1", "data": PROGRAMS[1]}],
                "completed": [{"id": "0"}, {"id": "1"}],
                "hasNext": False,
            }
        ]


async def test_apollo_clients_form() -> None:
    async with Federation(test_context.SUPERGRAPH, test_context.APPS) as federation:
        response = await run(federation, QUERY, "20220824")
        assert response.body == {"data": INITIAL, "hasNext": True}
        assert await rest(response) == [
            {
                "incremental": [
                    {"data": PROGRAMS[0], "path": ["opd", 0], "label": "anggaran"},
                    {"data": PROGRAMS[1], "path": ["opd", 1], "label": "anggaran"},
                ],
                "hasNext": False,
            }
        ]


async def test_a_client_that_takes_no_parts_gets_everything_at_once() -> None:
    async with Federation(test_context.SUPERGRAPH, test_context.APPS) as federation:
        response = await run(federation, QUERY, None)
        assert response.subsequent is None
        assert response.body == {
            "data": {"opd": [{**o, **p} for o, p in zip(INITIAL["opd"], PROGRAMS, strict=True)]}
        }


async def test_defer_if_false_and_mutations_are_answered_at_once() -> None:
    async with Federation(test_context.SUPERGRAPH, test_context.APPS) as federation:
        query = "query ($d: Boolean!) { opd { nama ... @defer(if: $d) { programs { pagu } } } }"
        response = await run(federation, query, "draft", d=False)
        assert response.subsequent is None
        assert response.body["data"]["opd"][0]["programs"] == PROGRAMS[0]["programs"]
        response = await run(federation, query, "draft", d=True)
        assert response.body["hasNext"] is True
        assert len(await rest(response)) == 1


async def test_a_fragment_on_one_type_is_pending_only_for_objects_of_it() -> None:
    async with Federation(test_abstract_types.SUPERGRAPH, test_abstract_types.APPS) as federation:
        query = "{ search { title ... on Book @defer { copies } } }"
        response = await run(federation, query, "draft")
        assert response.body == {
            "data": {
                "search": [
                    {"title": "Sejarah Pontianak"},
                    {"title": "Tugu Khatulistiwa"},
                    {"title": "Kapuas"},
                ]
            },
            "hasNext": True,
            "pending": [{"id": "0", "path": ["search", 0]}, {"id": "1", "path": ["search", 2]}],
        }
        assert await rest(response) == [
            {
                "incremental": [
                    {"id": "0", "data": {"copies": 4}},
                    {"id": "1", "data": {"copies": 0}},
                ],
                "completed": [{"id": "0"}, {"id": "1"}],
                "hasNext": False,
            }
        ]


async def test_an_error_inside_a_deferred_fragment_stays_in_it() -> None:
    apps = {**test_context.APPS, "anggaran": _failing()}
    async with Federation(test_context.SUPERGRAPH, apps) as federation:
        response = await run(federation, QUERY, "draft")
        assert response.body["data"] == INITIAL
        assert "errors" not in response.body
        [payload] = await rest(response)
        assert payload["hasNext"] is False
        # the programs are answered from the registry; their ceilings fail, each with its path
        item = payload["incremental"][0]
        assert item["data"] == {"programs": [{"pagu": None}, {"pagu": None}]}
        assert {tuple(e["path"][:2]) for e in item["errors"]} == {("opd", 0)}


def _failing() -> ASGIApp:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        raise ConnectionRefusedError("anggaran is down")

    return app


async def test_a_refused_initial_operation_is_the_whole_answer() -> None:
    async with Federation(test_context.SUPERGRAPH, test_context.APPS) as federation:
        response = await run(federation, "{ opd { ... @defer { tidakAda } } }", "draft")
        assert response.status == 400
        assert response.subsequent is None
