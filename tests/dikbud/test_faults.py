"""A broken Dapodik endpoint fails only the fields it feeds: a broken rekap nulls the
counts while names arrive; a broken getSekolah nulls schools while the rest arrives. Every
error carries ``extensions.code`` and ``extensions.upstream`` and leaks no URL or token."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import TOKEN, Wired

MODES = [
    ("down", "UPSTREAM_UNAVAILABLE"),
    ("slow", "UPSTREAM_TIMEOUT"),
    ("500", "UPSTREAM_UNAVAILABLE"),
    ("malformed", "UPSTREAM_BAD_RESPONSE"),
    ("shape", "UPSTREAM_BAD_RESPONSE"),
]
# Dapodik's envelope with rows of the wrong shape, besides the generic wrong envelope
DAPODIK_SHAPE = (200, b'{"results": 1, "id": null, "start": 0, "limit": 100, "rows": [{"x": 1}]}')

COUNTS = """query ($npsn: String!, $r: [_Any!]!) {
  sekolah(npsn: $npsn) { nama pesertaDidik { jumlah } gtk { guru } }
  _entities(representations: $r) { ... on Sekolah { nama pesertaDidik { jumlah } gtk { guru } } }
}"""


def _assert_clean(errors: list[dict[str, Any]], code: str) -> None:
    for error in errors:
        assert error["extensions"] == {"code": code, "upstream": "dapodik"}
        message = error["message"]
        for leak in ("http", "WebService", TOKEN, "Bearer", "Traceback"):
            assert leak not in message, message


def _npsns(wired: Wired, count: int) -> list[str]:
    return [school.npsn for school in wired.simulator.data.sekolah[:count]]


@pytest.mark.parametrize(
    ("mode", "code", "shape_body"),
    [
        *((mode, code, None) for mode, code in MODES),
        pytest.param("shape", "UPSTREAM_BAD_RESPONSE", DAPODIK_SHAPE, id="shape-rows"),
    ],
)
async def test_broken_rekap_nulls_the_counts_only(
    wired: Wired, mode: str, code: str, shape_body: tuple[int, bytes] | None
) -> None:
    if shape_body is not None:
        wired.faulty.bodies["shape"] = shape_body
    wired.break_upstream(mode, "/WebService/getRekapPesertaDidik")
    npsns = _npsns(wired, 3)
    body = await wired.query(
        COUNTS, {"npsn": npsns[0], "r": [{"__typename": "Sekolah", "npsn": n} for n in npsns]}
    )
    data = body["data"]
    names = {s.npsn: s.row["nama"] for s in wired.simulator.data.sekolah[:3]}
    assert data["sekolah"]["nama"] == names[npsns[0]]
    assert data["sekolah"]["pesertaDidik"] is None and data["sekolah"]["gtk"]["guru"] > 0
    for npsn, school in zip(npsns, data["_entities"], strict=True):
        assert school["nama"] == names[npsn]
        assert school["pesertaDidik"] is None and school["gtk"]["guru"] > 0
    paths = sorted(error["path"] for error in body["errors"])
    assert paths == [
        ["_entities", 0, "pesertaDidik"],
        ["_entities", 1, "pesertaDidik"],
        ["_entities", 2, "pesertaDidik"],
        ["sekolah", "pesertaDidik"],
    ]
    _assert_clean(body["errors"], code)


@pytest.mark.parametrize(("mode", "code"), MODES)
async def test_broken_get_sekolah_nulls_the_schools_only(
    wired: Wired, mode: str, code: str
) -> None:
    wired.break_upstream(mode, "/WebService/getSekolah")
    npsn = _npsns(wired, 1)[0]
    body = await wired.query(
        """query ($npsn: String!, $r: [_Any!]!) {
             sekolah(npsn: $npsn) { nama }
             daftarSekolah { npsn }
             _entities(representations: $r) { ... on Kelurahan { kode sekolah { npsn }
               ringkasanPendidikan { jumlahSekolah } } } }""",
        {"npsn": npsn, "r": [{"__typename": "Kelurahan", "kode": "61.71.05.1001"}]},
    )
    assert body["data"] == {
        "sekolah": None,
        "daftarSekolah": None,
        "_entities": [{"kode": "61.71.05.1001", "sekolah": None, "ringkasanPendidikan": None}],
    }
    paths = sorted(error["path"] for error in body["errors"])
    assert paths == [
        ["_entities", 0, "ringkasanPendidikan"],
        ["_entities", 0, "sekolah"],
        ["daftarSekolah"],
        ["sekolah"],
    ]
    _assert_clean(body["errors"], code)


async def test_broken_school_batch_errors_in_its_slots(wired: Wired) -> None:
    wired.break_upstream("500", "/WebService/getSekolah")
    npsn = _npsns(wired, 1)[0]
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Sekolah { nama } ... on Kelurahan { kode } } }""",
        {
            "r": [
                {"__typename": "Sekolah", "npsn": npsn},
                {"__typename": "Kelurahan", "kode": "61.71.05.1001"},
            ]
        },
    )
    assert body["data"]["_entities"] == [None, {"kode": "61.71.05.1001"}]
    assert [error["path"] for error in body["errors"]] == [["_entities", 0]]
    _assert_clean(body["errors"], "UPSTREAM_UNAVAILABLE")


async def test_one_bad_rekap_row_fails_its_school_only(wired: Wired) -> None:
    npsns = _npsns(wired, 3)
    rows = wired.simulator.peserta_didik
    index = next(i for i, row in enumerate(rows) if row["npsn"] == npsns[1])
    rows[index] = {key: value for key, value in rows[index].items() if key != "jumlah"}
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Sekolah { npsn pesertaDidik { jumlah } } } }""",
        {"r": [{"__typename": "Sekolah", "npsn": n} for n in npsns]},
    )
    found = body["data"]["_entities"]
    assert found[0]["pesertaDidik"]["jumlah"] > 0 and found[2]["pesertaDidik"]["jumlah"] > 0
    assert found[1] == {"npsn": npsns[1], "pesertaDidik": None}
    assert [error["path"] for error in body["errors"]] == [["_entities", 1, "pesertaDidik"]]
    _assert_clean(body["errors"], "UPSTREAM_BAD_RESPONSE")


async def test_a_rotated_token_is_rejected_without_leaking_it(wired: Wired) -> None:
    wired.simulator.tokens = ("rotated-token",)
    body = await wired.query("{ daftarSekolah { npsn } }")
    assert body["data"] == {"daftarSekolah": None}
    _assert_clean(body["errors"], "UPSTREAM_REJECTED")
    assert TOKEN not in json.dumps(body) and "rotated-token" not in json.dumps(body)
    # Rejections are not retried: the service saw one request
    assert wired.simulator.calls["/WebService/getSekolah"] == 1
