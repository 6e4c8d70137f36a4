"""``verifikasiPenduduk``: SESUAI or TIDAK_SESUAI and nothing else, every check recorded
in the access log with a keyed hash of the NIK, never the NIK, and with the application,
officer, purpose and request id the gateway verified and signed."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from gateway.access.call_token import CallClaims
from subgraphs.dukcapil.legacy import HIDUP, siak_tables
from subgraphs.toolkit.adapters import Row, SqlSource
from tests.support.audit import AuditFiles

from .conftest import CLIENT, PURPOSE, SIGNED, Wired

QUERY = """mutation ($nik: String!, $nama: String!, $lahir: String!) {
  verifikasiPenduduk(nik: $nik, nama: $nama, tanggalLahir: $lahir) {
    hasil diperiksa sumber } }"""


async def residents(url: str, hidup: int = HIDUP, limit: int = 3) -> list[Row]:
    b = siak_tables().biodata_wni
    async with SqlSource("siak", url) as source:
        return await source.fetch_all(
            select(b.c.NIK, b.c.NAMA_LGKP, b.c.TGL_LHR)
            .where(b.c["STAT_HIDUP"] == hidup)
            .order_by(b.c.NIK)
            .limit(limit)
        )


async def check(wired: Wired, nik: str, nama: str, lahir: str, claims: CallClaims = SIGNED) -> Any:
    return await wired.query(QUERY, {"nik": nik, "nama": nama, "lahir": lahir}, claims)


PORTAL = "PNK/GOV/2.16.01/portal-bansos"


def hasil(body: Any) -> str:
    assert "errors" not in body, body
    return str(body["data"]["verifikasiPenduduk"]["hasil"])


async def test_answers_and_the_log(wired: Wired, sqlite_db: str, audit: AuditFiles) -> None:
    person = (await residents(sqlite_db))[0]
    nik, nama, lahir = person["NIK"], person["NAMA_LGKP"], person["TGL_LHR"].isoformat()
    other = (await residents(sqlite_db))[1]
    unknown = nik[:-4] + ("0001" if nik[-4:] != "0001" else "0002")
    answers = [
        await check(wired, nik, nama, lahir, CallClaims("r", PORTAL, None, PURPOSE)),
        await check(wired, f"  {nik} ", f"  {nama.lower()}   ", lahir),
        await check(wired, nik, nama + " X", lahir),
        await check(wired, nik, nama, (person["TGL_LHR"] + timedelta(days=1)).isoformat()),
        await check(wired, unknown, nama, lahir),
        await check(wired, nik, other["NAMA_LGKP"], other["TGL_LHR"].isoformat()),
    ]
    results = [hasil(a) for a in answers]
    assert results == ["SESUAI", "SESUAI"] + ["TIDAK_SESUAI"] * 4
    answer = answers[0]["data"]["verifikasiPenduduk"]
    assert answer["diperiksa"].endswith("Z") and answer["sumber"].startswith("Disdukcapil")
    text = json.dumps(answers)
    for secret in (nik, nama, lahir, nama.lower()):
        assert secret not in text

    await wired.record.trail.recorder.seal()
    log = audit.entries()
    assert [entry["detail"]["hasil"] for entry in log] == results
    assert [entry["client"] for entry in log] == [PORTAL] + [CLIENT] * 5
    assert [entry["officer"] for entry in log] == [None] + [SIGNED.officer] * 5
    assert [entry["request"] for entry in log] == ["r"] + [SIGNED.request_id] * 5
    assert {entry["purpose"] for entry in log} == {PURPOSE}
    assert {entry["source"] for entry in log} == {"dukcapil"}
    assert {tuple(f["field"] for f in entry["fields"]) for entry in log} == {
        ("Mutation.verifikasiPenduduk",)
    }
    assert log[0]["subjects"] == [audit.subject(nik)] == log[1]["subjects"]
    assert log[4]["subjects"] == [audit.subject(unknown)]
    stored = "".join(p.read_text() for p in audit.store.glob("*.jsonl"))
    for secret in (nik, unknown, nama, lahir):
        assert secret not in stored
    assert hashlib.sha256(nik.encode()).hexdigest() not in stored  # keyed, not a bare hash
    assert (await audit.verify()).ok


async def test_a_deceased_resident_does_not_verify(wired: Wired, sqlite_db: str) -> None:
    person = (await residents(sqlite_db, hidup=2, limit=1))[0]
    body = await check(wired, person["NIK"], person["NAMA_LGKP"], person["TGL_LHR"].isoformat())
    assert hasil(body) == "TIDAK_SESUAI"


async def test_malformed_requests_are_refused_and_not_logged(
    wired: Wired, sqlite_db: str, audit: AuditFiles
) -> None:
    person = (await residents(sqlite_db))[0]
    nik, nama = person["NIK"], person["NAMA_LGKP"]
    lahir = person["TGL_LHR"].isoformat()
    for args, purpose in (
        ((nik[:15], nama, lahir), PURPOSE),
        ((nik + "1", nama, lahir), PURPOSE),
        (("61710A" + nik[6:], nama, lahir), PURPOSE),
        ((nik, "", lahir), PURPOSE),
        ((nik, nama, "17-08-1990"), PURPOSE),
        ((nik, nama, "1990-02-30"), PURPOSE),
        ((nik, nama, lahir), "x" * 201),
    ):
        body = await wired.query(
            QUERY,
            {"nik": args[0], "nama": args[1], "lahir": args[2]},
            CallClaims("r", CLIENT, None, purpose),
        )
        assert body["data"] == {"verifikasiPenduduk": None}
        [error] = body["errors"]
        assert set(error["extensions"]) == {"code", "pesan"}
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        for secret in (nik, nama, lahir, args[0]):
            assert secret not in error["message"] and secret not in error["extensions"]["pesan"]
    assert audit.entries() == []


async def test_only_the_gateways_calls_for_a_client_and_purpose_verify(
    wired: Wired, sqlite_db: str, audit: AuditFiles
) -> None:
    person = (await residents(sqlite_db))[0]
    variables = {
        "nik": person["NIK"],
        "nama": person["NAMA_LGKP"],
        "lahir": person["TGL_LHR"].isoformat(),
    }
    unsigned = await wired.post(QUERY, variables, claims=None)
    assert unsigned.status_code == 401
    assert unsigned.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for claims in (CallClaims("r"), CallClaims("r", CLIENT), CallClaims("r", None, None, PURPOSE)):
        body = await wired.query(QUERY, variables, claims)
        assert body["data"] == {"verifikasiPenduduk": None}
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert audit.entries() == []


async def test_birth_dates_before_1970_compare_as_dates(wired: Wired, sqlite_db: str) -> None:
    b = siak_tables().biodata_wni
    async with SqlSource("siak", sqlite_db) as source:
        row = await source.fetch_one(
            select(b.c.NIK, b.c.NAMA_LGKP, b.c.TGL_LHR)
            .where(b.c.STAT_HIDUP == HIDUP, b.c["TGL_LHR"] < date(1960, 1, 1))
            .limit(1)
        )
    assert row is not None
    assert hasil(await check(wired, row["NIK"], row["NAMA_LGKP"], row["TGL_LHR"].isoformat())) == (
        "SESUAI"
    )
