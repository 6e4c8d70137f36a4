"""A broken upstream fails only the fields it feeds, each error with an ``extensions.code``."""

from __future__ import annotations

import pytest

from .conftest import Wired

MODES = [
    ("down", "UPSTREAM_UNAVAILABLE"),
    ("slow", "UPSTREAM_TIMEOUT"),
    ("500", "UPSTREAM_UNAVAILABLE"),
    ("malformed", "UPSTREAM_BAD_RESPONSE"),
    ("shape", "UPSTREAM_BAD_RESPONSE"),
]


@pytest.mark.parametrize(("mode", "code"), MODES)
async def test_broken_lapor_fails_complaint_fields_only(wired: Wired, mode: str, code: str) -> None:
    wired.break_upstream(mode, "/api/lapor")
    body = await wired.query(
        """{ opd(kode: "1.02.0.00.0.00.01.0000") { nama aplikasi { nama } aduan { trackingId } }
             daftarAduan { trackingId } daftarInovasi { id } }"""
    )
    data = body["data"]
    assert data["opd"]["nama"] == "Dinas Kesehatan"
    assert data["opd"]["aplikasi"] and data["daftarInovasi"]
    assert data["opd"]["aduan"] is None and data["daftarAduan"] is None
    paths = sorted(tuple(map(str, error["path"])) for error in body["errors"])
    assert paths == [("daftarAduan",), ("opd", "aduan")]
    for error in body["errors"]:
        assert error["extensions"] == {"code": code, "upstream": "lapor"}
        assert "http://" not in error["message"] and "token" not in error["message"]


@pytest.mark.parametrize(("mode", "code"), MODES)
async def test_broken_catalogue_fails_catalogue_fields_only(
    wired: Wired, mode: str, code: str
) -> None:
    wired.break_upstream(mode, "/api/v1")
    body = await wired.query(
        """query ($r: [_Any!]!) { daftarAplikasi { id }
             kelurahan: _entities(representations: $r) {
               ... on Kelurahan { aduan { topik } } } }""",
        {"r": [{"__typename": "Kelurahan", "kode": "61.71.05.1001"}]},
    )
    assert body["data"]["daftarAplikasi"] is None
    assert body["data"]["kelurahan"][0]["aduan"]
    assert [error["path"] for error in body["errors"]] == [["daftarAplikasi"]]
    assert body["errors"][0]["extensions"] == {"code": code, "upstream": "kominfo-katalog"}


async def test_broken_entity_batch_errors_in_its_slots(wired: Wired) -> None:
    wired.break_upstream("500", "/api/v1")
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Opd { nama } ... on Kelurahan { kode } } }""",
        {
            "r": [
                {"__typename": "Opd", "kode": "1.02.0.00.0.00.01.0000"},
                {"__typename": "Kelurahan", "kode": "61.71.05.1001"},
            ]
        },
    )
    assert body["data"]["_entities"] == [None, {"kode": "61.71.05.1001"}]
    assert body["errors"][0]["path"] == ["_entities", 0]
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


async def test_wrong_credentials_are_rejected_upstream(wired: Wired) -> None:
    wired.simulator.api_keys = ("rotated",)
    body = await wired.query("{ daftarOpd { kode } }")
    assert body["data"] == {"daftarOpd": None}
    assert body["errors"][0]["extensions"] == {
        "code": "UPSTREAM_REJECTED",
        "upstream": "kominfo-katalog",
    }
