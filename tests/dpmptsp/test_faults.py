"""A broken SiCantik or OSS-RBA fails only the fields it feeds, each error with an
``extensions.code`` and the upstream's name, and nothing internal in the message."""

from __future__ import annotations

import json

import pytest

from .conftest import KEY, Wired

MODES = [
    ("down", "UPSTREAM_UNAVAILABLE"),
    ("slow", "UPSTREAM_TIMEOUT"),
    ("500", "UPSTREAM_UNAVAILABLE"),
    ("malformed", "UPSTREAM_BAD_RESPONSE"),
    ("shape", "UPSTREAM_BAD_RESPONSE"),
]

QUERY = """query ($nib: String!, $nomor: String!) {
  usaha(nib: $nib) { nama izin { nomor } }
  pbg: daftarIzin(jenis: "PBG", kelurahan: "61.71.05.1001") { nomor }
  izin(nomor: $nomor) { nomor }
  daftarJenisIzin { kode }
}"""


def _clean(error: dict[str, object]) -> None:
    message = str(error["message"])
    assert "http" not in message and KEY not in message and "Traceback" not in message


def _variables(wired: Wired) -> dict[str, str]:
    data = wired.simulator.data
    nomor = next(r["no_surat"] for r in data.permohonan if r["no_surat"])
    return {"nib": data.usaha[0]["nib"], "nomor": nomor}


@pytest.mark.parametrize(("mode", "code"), MODES)
async def test_broken_oss_fails_business_fields_only(wired: Wired, mode: str, code: str) -> None:
    wired.break_upstream(mode, "/oss")
    body = await wired.query(QUERY, _variables(wired))
    data = body["data"]
    assert data["usaha"] is None
    assert data["pbg"] and data["izin"] and data["daftarJenisIzin"]
    assert [e["path"] for e in body["errors"]] == [["usaha"]]
    assert body["errors"][0]["extensions"] == {"code": code, "upstream": "oss-rba"}
    _clean(body["errors"][0])


@pytest.mark.parametrize(("mode", "code"), MODES)
async def test_broken_sicantik_fails_regional_permits_only(
    wired: Wired, mode: str, code: str
) -> None:
    wired.break_upstream(mode, "/sicantik")
    body = await wired.query(QUERY, _variables(wired))
    data = body["data"]
    assert data["usaha"]["nama"] and data["usaha"]["izin"] and data["daftarJenisIzin"]
    assert data["pbg"] is None and data["izin"] is None
    assert sorted(e["path"][0] for e in body["errors"]) == ["izin", "pbg"]
    for error in body["errors"]:
        assert error["extensions"] == {"code": code, "upstream": "sicantik"}
        _clean(error)


async def test_broken_system_errors_in_its_entity_slots(wired: Wired) -> None:
    data = wired.simulator.data
    sicantik = next(r["no_surat"] for r in data.permohonan if r["no_surat"])
    oss = next(r["nomor_izin"] for r in data.izin_usaha if r["nomor_izin"])
    wired.break_upstream("500", "/sicantik")
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Izin { nomor } ... on Kelurahan { kode } } }""",
        {
            "r": [
                {"__typename": "Izin", "nomor": oss},
                {"__typename": "Izin", "nomor": sicantik},
                {"__typename": "Kelurahan", "kode": "61.71.05.1001"},
            ]
        },
    )
    assert body["data"]["_entities"] == [{"nomor": oss}, None, {"kode": "61.71.05.1001"}]
    assert [e["path"] for e in body["errors"]] == [["_entities", 1]]
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


async def test_wrong_api_key_is_rejected_upstream_without_leaking_it(wired: Wired) -> None:
    wired.simulator.api_keys = ("rotated-key",)
    body = await wired.query(QUERY, _variables(wired))
    assert body["data"]["usaha"] is None and body["data"]["pbg"] is None
    assert body["data"]["daftarJenisIzin"]
    upstreams = sorted(e["extensions"]["upstream"] for e in body["errors"])
    assert upstreams == ["oss-rba", "sicantik", "sicantik"]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UPSTREAM_REJECTED"}
    assert KEY not in json.dumps(body)
