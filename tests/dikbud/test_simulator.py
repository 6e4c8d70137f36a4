"""The simulated Dapodik web service speaks its protocol: bearer token, ExtJS paging
(``start``/``limit``, capped), comma-separated filters and Dapodik's field names."""

from __future__ import annotations

import httpx

from subgraphs.dikbud.legacy import DEFAULT_LIMIT, MAX_LIMIT, DapodikSimulator
from subgraphs.reference import DAPODIK_KODE_RE, NPSN_RE
from tests.support.clock import TODAY

from .conftest import TOKEN

BEARER = {"Authorization": f"Bearer {TOKEN}"}
SEKOLAH = "/WebService/getSekolah"
REKAP_PD = "/WebService/getRekapPesertaDidik"
REKAP_GTK = "/WebService/getRekapGtk"


async def test_every_endpoint_needs_the_bearer_token(sim_client: httpx.AsyncClient) -> None:
    for path in (SEKOLAH, REKAP_PD, REKAP_GTK):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "dapodik"}):
            response = await sim_client.get(path, headers=headers)
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.json() == {"success": False, "message": "Token tidak valid"}
        assert (await sim_client.get(path, headers=BEARER)).status_code == 200
    assert (await sim_client.get("/health")).json() == {"status": "ok"}


async def test_extjs_paging(sim_client: httpx.AsyncClient, simulator: DapodikSimulator) -> None:
    first = (await sim_client.get(SEKOLAH, headers=BEARER)).json()
    assert set(first) == {"results", "id", "start", "limit", "rows"}
    assert first["start"] == 0 and first["limit"] == DEFAULT_LIMIT
    assert len(first["rows"]) == DEFAULT_LIMIT
    total = first["results"]
    assert total == len(simulator.data.sekolah)
    rows = []
    for start in range(0, total, 70):
        page = await sim_client.get(SEKOLAH, params={"start": start, "limit": 70}, headers=BEARER)
        rows.extend(page.json()["rows"])
    assert [row["npsn"] for row in rows] == [s.npsn for s in simulator.data.sekolah]
    capped = (await sim_client.get(SEKOLAH, params={"limit": 1000}, headers=BEARER)).json()
    assert capped["limit"] == MAX_LIMIT and len(capped["rows"]) == MAX_LIMIT
    for bad in ({"start": "nol"}, {"limit": 0}, {"start": -1}):
        assert (await sim_client.get(SEKOLAH, params=bad, headers=BEARER)).status_code == 400


async def test_a_smaller_page_cap() -> None:
    simulator = DapodikSimulator(tokens=(TOKEN,), max_limit=25, today=TODAY)
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        body = (await client.get(SEKOLAH, params={"limit": 100}, headers=BEARER)).json()
    assert body["limit"] == 25 and len(body["rows"]) == 25


async def test_school_fields_are_dapodiks(sim_client: httpx.AsyncClient) -> None:
    body = (await sim_client.get(SEKOLAH, params={"limit": 100}, headers=BEARER)).json()
    for row in body["rows"]:
        assert set(row) >= {
            "sekolah_id",
            "npsn",
            "nama",
            "bentuk_pendidikan",
            "status_sekolah",
            "alamat_jalan",
            "kode_wilayah",
            "desa_kelurahan",
            "kecamatan",
            "akreditasi",
            "lintang",
            "bujur",
            "last_update",
        }
        assert NPSN_RE.match(row["npsn"])
        # Dapodik's own region code, stored as char(8), not Kemendagri's
        assert len(row["kode_wilayah"]) == 8 and DAPODIK_KODE_RE.match(row["kode_wilayah"].strip())
        assert row["status_sekolah"] in {"Negeri", "Swasta"}
        assert isinstance(row["lintang"], str) and float(row["lintang"]) < 0


async def test_filters(sim_client: httpx.AsyncClient, simulator: DapodikSimulator) -> None:
    npsns = [s.npsn for s in simulator.data.sekolah[5:9]]
    body = (await sim_client.get(SEKOLAH, params={"npsn": ",".join(npsns)}, headers=BEARER)).json()
    assert sorted(row["npsn"] for row in body["rows"]) == sorted(npsns)
    wilayah = (
        await sim_client.get(
            SEKOLAH,
            params={"kode_wilayah": "136101,136205", "bentuk_pendidikan": "SD", "limit": 100},
            headers=BEARER,
        )
    ).json()["rows"]
    assert wilayah and {row["kode_wilayah"].strip() for row in wilayah} == {"136101", "136205"}
    assert {row["bentuk_pendidikan"] for row in wilayah} == {"SD"}
    swasta = (
        await sim_client.get(
            SEKOLAH, params={"status_sekolah": "Swasta", "limit": 100}, headers=BEARER
        )
    ).json()
    assert swasta["results"] < len(simulator.data.sekolah)
    assert {row["status_sekolah"] for row in swasta["rows"]} == {"Swasta"}
    none = (await sim_client.get(SEKOLAH, params={"npsn": "99999999"}, headers=BEARER)).json()
    assert none["results"] == 0 and none["rows"] == []


async def test_rekap_rows_are_counts_per_school(
    sim_client: httpx.AsyncClient, simulator: DapodikSimulator
) -> None:
    npsns = [s.npsn for s in simulator.data.sekolah[:30]]
    params = {"npsn": ",".join(npsns), "limit": 100}
    pd = (await sim_client.get(REKAP_PD, params=params, headers=BEARER)).json()
    assert [row["npsn"] for row in pd["rows"]] == npsns  # one row per school
    for row in pd["rows"]:
        assert set(row) == {
            "sekolah_id",
            "npsn",
            "semester_id",
            "jumlah_rombel",
            "laki_laki",
            "perempuan",
            "jumlah",
            "tingkat",
        }
        assert row["jumlah"] == row["laki_laki"] + row["perempuan"] > 0
        assert row["jumlah"] == sum(t["jumlah"] for t in row["tingkat"])
        assert row["jumlah_rombel"] == sum(t["jumlah_rombel"] for t in row["tingkat"])
    gtk = (await sim_client.get(REKAP_GTK, params=params, headers=BEARER)).json()
    assert [row["npsn"] for row in gtk["rows"]] == npsns
    assert all(row["jumlah"] == row["guru"] + row["tendik"] for row in gtk["rows"])


async def test_calls_are_counted_per_path(
    sim_client: httpx.AsyncClient, simulator: DapodikSimulator
) -> None:
    await sim_client.get(SEKOLAH, headers=BEARER)
    await sim_client.get(SEKOLAH)
    await sim_client.get(REKAP_GTK, headers=BEARER)
    assert simulator.calls == {SEKOLAH: 2, REKAP_GTK: 1}
