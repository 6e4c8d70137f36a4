"""``riwayatPemrosesan``: a resident's history from the access log, as Diskominfo's
data-protection officer sees it (everything) and as an OPD's officer sees it (the
processing of its own data), for calls the gateway signed only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from gateway.access.call_token import (
    CALL_HEADER,
    CallClaims,
    CallSigner,
    CallVerifier,
    generate_master_key,
)
from gateway.audit import Entry, FieldUse
from subgraphs.kominfo.schema import make_app
from subgraphs.toolkit import AccessRecord, GatewayTrust
from tests.support.audit import AuditFiles

from .conftest import Wired

GATEWAY = CallSigner.from_key_text("hmac", generate_master_key())
NIK = "6171010101900001"
DPO = "PNK/GOV/2.16.2.20.2.21.01.0000/layanan-pdp"
DUKCAPIL = "PNK/GOV/2.12.0.00.0.00.01.0000/siak-pdp"
DINKES = "PNK/GOV/1.02.0.00.0.00.01.0000/simpus"
DINSOS = "PNK/GOV/1.06.0.00.0.00.01.0000/siks-ng"  # no subgraph of its own
PURPOSE = "Pemenuhan hak subjek data pribadi"
QUERY = """query ($nik: String!) { riwayatPemrosesan(nik: $nik) {
  waktu hasil pencatat aplikasi petugas keperluan dasarHukum data permintaan catatan } }"""


@pytest.fixture
async def kominfo(wired: Wired, audit: AuditFiles) -> AsyncIterator[httpx.AsyncClient]:
    """The subgraph reading the test's access log, serving signed calls only."""
    gateway = audit.trail("gateway")
    subject = gateway.subject(NIK)
    base = {
        "time": "2026-12-07T10:00:00.000000Z",
        "outcome": "answered",
        "client": DINSOS,
        "officer": "198709152010011003",
        "purpose": "Verifikasi calon penerima bantuan sosial",
        "legal_basis": ("PKS 470/112/2026",),
        "subjects": (subject,),
    }
    verifikasi = FieldUse("Mutation.verifikasiPenduduk", "pribadi")
    rekam = FieldUse("Pasien.rekamMedis", "spesifik")
    await gateway.write(
        Entry(source="gateway", request="r-1", fields=(verifikasi,), owners=("dukcapil",), **base)
    )
    await gateway.write(
        Entry(source="gateway", request="r-2", fields=(rekam,), owners=("dinkes",), **base)
    )
    await gateway.close()
    record = AccessRecord(audit.trail("kominfo"), "kominfo")
    trust = GatewayTrust(CallVerifier.from_texts("kominfo", GATEWAY.verification_key("kominfo")))
    app = make_app(wired.source, trust=trust, access_record=record)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k") as client,
    ):
        yield client


async def post(
    client: httpx.AsyncClient, caller: str | None, nik: str = NIK, query: str = QUERY
) -> httpx.Response:
    """``query`` for ``nik``, signed as the gateway does for ``caller`` (``None``: unsigned)."""
    body = orjson.dumps({"query": query, "variables": {"nik": nik}})
    headers = {"content-type": "application/json"}
    if caller is not None:
        claims = CallClaims("dpo-1", caller, "197001012000011001", PURPOSE)
        headers[CALL_HEADER] = GATEWAY.token("kominfo", body, claims)
    return await client.post("/graphql", content=body, headers=headers)


async def ask(client: httpx.AsyncClient, caller: str | None, nik: str = NIK) -> Any:
    response = await post(client, caller, nik)
    return response.status_code, response.json()


async def test_the_data_protection_officer_sees_every_processing(
    kominfo: httpx.AsyncClient,
) -> None:
    status, body = await ask(kominfo, DPO)
    assert status == 200 and "errors" not in body, body
    history = body["data"]["riwayatPemrosesan"]
    assert [(h["permintaan"], h["data"]) for h in history] == [
        ("r-1", ["Mutation.verifikasiPenduduk"]),
        ("r-2", ["Pasien.rekamMedis"]),
    ]
    first = history[0]
    assert first["hasil"] == "DIPROSES" and first["pencatat"] == "gateway"
    assert first["aplikasi"] == DINSOS and first["keperluan"].startswith("Verifikasi")
    assert first["dasarHukum"] == ["PKS 470/112/2026"]
    assert first["catatan"] == "gateway-0.000000 #1"
    assert NIK not in orjson.dumps(body).decode()


async def test_an_opd_sees_only_the_processing_of_its_own_data(
    kominfo: httpx.AsyncClient,
) -> None:
    _, dukcapil = await ask(kominfo, DUKCAPIL)
    assert [h["permintaan"] for h in dukcapil["data"]["riwayatPemrosesan"]] == ["r-1"]
    _, dinkes = await ask(kominfo, DINKES)
    assert [h["permintaan"] for h in dinkes["data"]["riwayatPemrosesan"]] == ["r-2"]
    _, dinsos = await ask(kominfo, DINSOS)
    assert dinsos["data"]["riwayatPemrosesan"] == []


async def test_only_signed_calls_with_a_well_formed_nik_are_answered(
    kominfo: httpx.AsyncClient,
) -> None:
    status, _ = await ask(kominfo, None)
    assert status == 401
    _, malformed = await ask(kominfo, DPO, nik="61710101019")
    assert malformed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    _, nobody = await ask(kominfo, DPO, nik="6171999999999999")
    assert nobody["data"]["riwayatPemrosesan"] == []


async def test_a_history_is_never_kept(kominfo: httpx.AsyncClient) -> None:
    # complaints alone are kept a minute; beside a resident's history, nothing is
    query = """query ($nik: String!) { riwayatPemrosesan(nik: $nik) { permintaan }
      daftarAduan(batas: 1) { status } }"""
    response = await post(kominfo, DPO, query=query)
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.json()["data"]["riwayatPemrosesan"]
    assert "cache-control" not in response.headers
    alone = await post(kominfo, DPO, query="{ daftarAduan { status } }")
    assert alone.headers["cache-control"] == "public, max-age=60, stale-if-error=86400"
