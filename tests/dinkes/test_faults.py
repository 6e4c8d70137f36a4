"""Broken exports fail the facility fields only, each error with an ``extensions.code``,
the export's name and no filesystem path; a fixed or changed file is picked up without a
restart. A broken replacement of a good export is not papered over with the old copy."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from subgraphs.dinkes.legacy import fasilitas, write_exports
from subgraphs.dinkes.legacy.exports import CSV_COLUMNS
from tests.support.clock import TODAY

from .conftest import CSV_EXPORT, JSON_EXPORT, Wired

MIXED = """query ($r: [_Any!]!) {
  daftarFasilitasKesehatan { kode }
  _entities(representations: $r) {
    ... on Kelurahan { kode fasilitasKesehatan { nama } }
    ... on FasilitasKesehatan { nama } } }"""

KELURAHAN = {"__typename": "Kelurahan", "kode": "61.71.01.1001"}


def _representations() -> list[dict[str, str]]:
    return [KELURAHAN, {"__typename": "FasilitasKesehatan", "kode": fasilitas(TODAY)[0].kode}]


def _bundle_with(wired: Wired, change: Any) -> bytes:
    bundle = json.loads(wired.read(JSON_EXPORT))
    change(bundle)
    return json.dumps(bundle).encode()


async def _assert_broken(wired: Wired, code: str, upstream: str) -> None:
    """Facility fields are null with the error; the kelurahan's key still answers."""
    body = await wired.query(MIXED, {"r": _representations()})
    data = body["data"]
    assert data["daftarFasilitasKesehatan"] is None
    assert data["_entities"][0] == {"kode": "61.71.01.1001", "fasilitasKesehatan": None}
    assert data["_entities"][1] is None
    paths = sorted(tuple(map(str, error["path"])) for error in body["errors"])
    assert paths == [
        ("_entities", "0", "fasilitasKesehatan"),
        ("_entities", "1"),
        ("daftarFasilitasKesehatan",),
    ]
    for error in body["errors"]:
        assert error["extensions"] == {"code": code, "upstream": upstream}
        assert error["message"].startswith(f"Upstream system '{upstream}' ")
    text = json.dumps(body)
    assert str(wired.folder) not in text and "/" not in json.dumps(body["errors"])
    assert ".json" not in text and ".csv" not in text and "Traceback" not in text


async def test_missing_folder(wired: Wired) -> None:
    shutil.rmtree(wired.folder)
    await _assert_broken(wired, "UPSTREAM_UNAVAILABLE", "satusehat")


@pytest.mark.parametrize(
    ("filename", "upstream"), [(JSON_EXPORT, "satusehat"), (CSV_EXPORT, "registri-faskes")]
)
async def test_missing_file(wired: Wired, filename: str, upstream: str) -> None:
    (wired.folder / filename).unlink()
    await _assert_broken(wired, "UPSTREAM_UNAVAILABLE", upstream)


@pytest.mark.parametrize(
    ("filename", "content", "upstream"),
    [
        (JSON_EXPORT, b"<html>502 Bad Gateway</html>", "satusehat"),
        (JSON_EXPORT, b'{"resourceType": "Bundle", "type": "collection"}', "satusehat"),
        (JSON_EXPORT, b'{"resourceType": "Bundle", "entry": "none"}', "satusehat"),
        (CSV_EXPORT, b"\xff\xfe\x00k\x00o\x00d\x00e", "registri-faskes"),
        (CSV_EXPORT, b"kode_faskes;nama_faskes\nP6171010001;A;extra\n", "registri-faskes"),
        (CSV_EXPORT, b'kode_faskes;nama_faskes\n"P6171010001;unterminated\n', "registri-faskes"),
    ],
    ids=[
        "json-not-json",
        "json-no-entries",
        "json-wrong-shape",
        "csv-utf16",
        "csv-ragged",
        "csv-quote",
    ],
)
async def test_malformed_file(wired: Wired, filename: str, content: bytes, upstream: str) -> None:
    wired.replace(filename, content)
    await _assert_broken(wired, "UPSTREAM_BAD_RESPONSE", upstream)


@pytest.mark.parametrize(
    ("filename", "upstream"), [(JSON_EXPORT, "satusehat"), (CSV_EXPORT, "registri-faskes")]
)
async def test_half_written_file(wired: Wired, filename: str, upstream: str) -> None:
    content = wired.read(filename)
    # Cut mid-record, as a copy interrupted half-way leaves it
    wired.replace(filename, content[: len(content) // 2])
    await _assert_broken(wired, "UPSTREAM_BAD_RESPONSE", upstream)


def _drop_identifier(bundle: dict[str, Any]) -> None:
    location = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Location")
    del location["resource"]["identifier"]


def _drop_name(bundle: dict[str, Any]) -> None:
    location = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Location")
    del location["resource"]["name"]


def _unknown_type(bundle: dict[str, Any]) -> None:
    location = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Location")
    location["resource"]["type"][0]["coding"][0]["code"] = "apotek"


def _entry_without_resource(bundle: dict[str, Any]) -> None:
    bundle["entry"].append({"fullUrl": "urn:uuid:0"})


def _odd_shapes(bundle: dict[str, Any]) -> None:
    location = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Location")
    location["resource"]["address"]["extension"] = ["village"]


def _odd_identifier(bundle: dict[str, Any]) -> None:
    organization = next(
        e for e in bundle["entry"] if e["resource"]["resourceType"] == "Organization"
    )
    organization["resource"]["identifier"] = 6171


@pytest.mark.parametrize(
    "change",
    [
        _drop_identifier,
        _drop_name,
        _unknown_type,
        _entry_without_resource,
        _odd_shapes,
        _odd_identifier,
    ],
)
async def test_bundle_records_lacking_fields(wired: Wired, change: Any) -> None:
    wired.replace(JSON_EXPORT, _bundle_with(wired, change))
    await _assert_broken(wired, "UPSTREAM_BAD_RESPONSE", "satusehat")


@pytest.mark.parametrize(
    "row",
    [
        ";Klinik Tanpa Kode;Klinik Pratama",
        "K6171019999;;Klinik Pratama",
        "K6171019999;Apotek Sehat;Apotek",
        "K6171019999;Klinik Baru;Klinik Pratama;Swasta;;Akcaya;;;;;;31/02/2026",
    ],
    ids=["no-code", "no-name", "unknown-kind", "bad-date"],
)
async def test_registry_rows_lacking_fields(wired: Wired, row: str) -> None:
    cells = row.split(";")
    cells += [""] * (len(CSV_COLUMNS) - len(cells))
    content = wired.read(CSV_EXPORT) + ";".join(cells).encode() + b"\r\n"
    wired.replace(CSV_EXPORT, content)
    await _assert_broken(wired, "UPSTREAM_BAD_RESPONSE", "registri-faskes")


async def test_registry_without_a_required_column(wired: Wired) -> None:
    lines = wired.read(CSV_EXPORT).decode("utf-8-sig").splitlines()
    without_kind = [";".join(line.split(";")[:2]) for line in lines]
    wired.replace(CSV_EXPORT, "\n".join(without_kind).encode())
    await _assert_broken(wired, "UPSTREAM_BAD_RESPONSE", "registri-faskes")


async def test_optional_fields_missing_are_nulls_not_errors(wired: Wired) -> None:
    def strip_optional(bundle: dict[str, Any]) -> None:
        for entry in bundle["entry"]:
            for name in ("address", "position", "meta", "telecom"):
                entry["resource"].pop(name, None)

    wired.replace(JSON_EXPORT, _bundle_with(wired, strip_optional))
    only_satusehat = next(item for item in fasilitas(TODAY) if not item.di_registri)
    body = await wired.query(
        """query ($k: String!) { fasilitasKesehatan(kode: $k) {
             nama alamat lintang telepon kelurahan { kode } diperbarui } }""",
        {"k": only_satusehat.kode},
    )
    assert body == {
        "data": {
            "fasilitasKesehatan": {
                "nama": only_satusehat.nama,
                "alamat": None,
                "lintang": None,
                "telepon": None,
                "kelurahan": None,
                "diperbarui": None,
            }
        }
    }


async def test_a_broken_replacement_fails_until_fixed(wired: Wired) -> None:
    query = "{ daftarFasilitasKesehatan(jenis: PUSKESMAS) { nama } }"
    good = wired.read(CSV_EXPORT)
    assert len((await wired.query(query))["data"]["daftarFasilitasKesehatan"]) == 23
    # The valid export is replaced by a malformed one: no stale answer, a clear error
    wired.replace(CSV_EXPORT, good[: len(good) // 3])
    for _ in range(2):  # parsed once, and still failing on the next request
        body = await wired.query(query)
        assert body["data"] == {"daftarFasilitasKesehatan": None}
        assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_BAD_RESPONSE"
    assert wired.parses[CSV_EXPORT] == 2
    # A good file again: answered again, without a restart
    wired.replace(CSV_EXPORT, good)
    body = await wired.query(query)
    assert "errors" not in body and len(body["data"]["daftarFasilitasKesehatan"]) == 23


async def test_a_changed_export_is_picked_up_without_restart(wired: Wired) -> None:
    target = fasilitas(TODAY)[0]
    query = """query ($k: String!) { fasilitasKesehatan(kode: $k) { nama telepon layanan } }"""
    before = await wired.query(query, {"k": target.kode})
    assert before["data"]["fasilitasKesehatan"]["telepon"] == target.telepon
    csv_text = wired.read(CSV_EXPORT).decode("utf-8-sig")
    changed = csv_text.replace(target.telepon, "(0561) 700001").replace(
        "Konseling Remaja", "Konseling Remaja, Vaksinasi Influenza", 1
    )

    def renamed(bundle: dict[str, Any]) -> None:
        for entry in bundle["entry"]:
            if entry["resource"].get("name") == target.nama:
                entry["resource"]["name"] = f"UPT {target.nama}"

    wired.replace(CSV_EXPORT, changed.encode())
    wired.replace(JSON_EXPORT, _bundle_with(wired, renamed))
    after = (await wired.query(query, {"k": target.kode}))["data"]["fasilitasKesehatan"]
    assert after["telepon"] == "(0561) 700001"
    assert after["nama"] == f"UPT {target.nama}"
    assert wired.parses == {JSON_EXPORT: 2, CSV_EXPORT: 2}


async def test_per_key_slots_in_entities(wired: Wired) -> None:
    (wired.folder / CSV_EXPORT).unlink()
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on FasilitasKesehatan { nama } ... on Kelurahan { kode } } }""",
        {"r": [{"__typename": "FasilitasKesehatan", "kode": fasilitas(TODAY)[0].kode}, KELURAHAN]},
    )
    assert body["data"]["_entities"] == [None, {"kode": "61.71.01.1001"}]
    assert [error["path"] for error in body["errors"]] == [["_entities", 0]]
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


async def test_a_fresh_drop_from_the_exporter_is_picked_up(wired: Wired) -> None:
    target = fasilitas(TODAY)[2]
    query = "query ($k: String!) { fasilitasKesehatan(kode: $k) { diperbarui } }"
    before = await wired.query(query, {"k": target.kode})
    assert before["data"]["fasilitasKesehatan"]["diperbarui"] == target.diperbarui.isoformat()
    # Drop 3 moves the third facility's update date; written and renamed atomically, at
    # once, in the same second as the first drop
    write_exports(wired.folder, TODAY, revision=3)
    after = await wired.query(query, {"k": target.kode})
    assert after["data"]["fasilitasKesehatan"]["diperbarui"] == TODAY.isoformat()
