"""The simulated Diskominfo service speaks its own protocol: keys, paging, field names."""

from __future__ import annotations

import httpx

from subgraphs.reference import LAPOR_ID_RE, opd_list

from .conftest import API_KEY, LAPOR_TOKEN

KEY = {"X-API-Key": API_KEY}
BEARER = {"Authorization": f"Bearer {LAPOR_TOKEN}"}


async def test_catalogue_needs_an_api_key(sim_client: httpx.AsyncClient) -> None:
    for headers in ({}, {"X-API-Key": "wrong"}, BEARER):
        response = await sim_client.get("/api/v1/perangkat-daerah", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"status": "error", "message": "API key tidak valid"}
    assert (await sim_client.get("/api/v1/aplikasi", headers=KEY)).status_code == 200


async def test_lapor_needs_a_bearer_token(sim_client: httpx.AsyncClient) -> None:
    for headers in ({}, KEY, {"Authorization": "Bearer wrong"}, {"Authorization": "lapor"}):
        response = await sim_client.get("/api/lapor/laporan", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert (await sim_client.get("/api/lapor/laporan", headers=BEARER)).status_code == 200


async def test_catalogue_pages(sim_client: httpx.AsyncClient) -> None:
    first = (await sim_client.get("/api/v1/aplikasi", headers=KEY)).json()
    assert first["status"] == "success"
    assert first["meta"]["page"] == 1 and first["meta"]["per_page"] == 20
    total = first["meta"]["total"]
    collected = []
    for page in range(1, first["meta"]["total_pages"] + 1):
        body = (
            await sim_client.get(
                "/api/v1/aplikasi", params={"page": page, "per_page": 30}, headers=KEY
            )
        ).json()
        collected.extend(body["data"])
    assert len(collected) == total
    assert len({row["id_aplikasi"] for row in collected}) == total
    capped = await sim_client.get("/api/v1/aplikasi", params={"per_page": 500}, headers=KEY)
    assert capped.json()["meta"]["per_page"] == 100
    bad = await sim_client.get("/api/v1/aplikasi", params={"page": "dua"}, headers=KEY)
    assert bad.status_code == 400


async def test_catalogue_field_names(sim_client: httpx.AsyncClient) -> None:
    opd = await sim_client.get("/api/v1/perangkat-daerah/2.16.2.20.2.21.01.0000", headers=KEY)
    assert opd.json()["data"]["nama_skpd"] == "Dinas Komunikasi dan Informatika"
    assert set(opd.json()["data"]) >= {
        "kode_skpd",
        "nama_skpd",
        "singkatan",
        "jenis_perangkat",
        "kode_urusan",
        "urusan_tambahan",
        "alamat_kantor",
        "website",
        "updated_at",
    }
    apps = await sim_client.get(
        "/api/v1/aplikasi", params={"kode_skpd": "2.16.2.20.2.21.01.0000"}, headers=KEY
    )
    row = apps.json()["data"][0]
    assert set(row) >= {
        "id_aplikasi",
        "nama_aplikasi",
        "jenis_aplikasi",
        "kode_skpd_pemilik",
        "status_integrasi",
    }
    assert {r["kode_skpd_pemilik"] for r in apps.json()["data"]} == {"2.16.2.20.2.21.01.0000"}
    inovasi = (await sim_client.get("/api/v1/inovasi", headers=KEY)).json()["data"][0]
    assert set(inovasi) >= {"bentuk_inovasi", "jenis_inovasi", "inisiator", "tahapan"}
    missing = await sim_client.get("/api/v1/perangkat-daerah/9.99.0.00.0.00.01.0000", headers=KEY)
    assert missing.status_code == 404


async def test_lapor_offset_paging_and_fields(sim_client: httpx.AsyncClient) -> None:
    first = (await sim_client.get("/api/lapor/laporan", headers=BEARER)).json()
    assert first["success"] is True and len(first["data"]) == 10
    total = first["results"]
    rows = []
    for offset in range(0, total, 100):
        page = await sim_client.get(
            "/api/lapor/laporan", params={"offset": offset, "limit": 100}, headers=BEARER
        )
        rows.extend(page.json()["data"])
    assert len(rows) == total
    for row in rows:
        assert set(row) >= {
            "tracking_id",
            "judul",
            "kategori",
            "status",
            "instansi_tujuan",
            "kode_wilayah",
            "tanggal_lapor",
            "tanggal_tindak_lanjut",
        }
        assert LAPOR_ID_RE.match(row["tracking_id"])


async def test_lapor_filters(sim_client: httpx.AsyncClient) -> None:
    names = "Dinas Kesehatan Kota Pontianak;Kecamatan Pontianak Timur"
    body = (
        await sim_client.get(
            "/api/lapor/laporan",
            params={"instansi_tujuan": names, "limit": 100},
            headers=BEARER,
        )
    ).json()
    assert body["data"] and {row["instansi_tujuan"] for row in body["data"]} <= set(
        names.split(";")
    )
    one = body["data"][0]["tracking_id"]
    by_id = await sim_client.get(f"/api/lapor/laporan/{one}", headers=BEARER)
    assert by_id.json()["data"]["tracking_id"] == one
    wilayah = await sim_client.get(
        "/api/lapor/laporan",
        params={"kode_wilayah": "61.71.01.1002,61.71.02.1001", "limit": 100},
        headers=BEARER,
    )
    assert {row["kode_wilayah"] for row in wilayah.json()["data"]} == {
        "61.71.01.1002",
        "61.71.02.1001",
    }


async def test_calls_are_counted(sim_client: httpx.AsyncClient, simulator: object) -> None:
    await sim_client.get("/api/v1/inovasi", headers=KEY)
    await sim_client.get("/api/v1/inovasi", headers=KEY)
    assert simulator.calls["/api/v1/inovasi"] == 2  # type: ignore[attr-defined]
    assert len(opd_list()) == 31
