"""The simulated SiCantik and OSS-RBA services speak their own protocol: XML, API keys in
their own headers, limit/offset paging, filters and field names."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import httpx
import pytest

from subgraphs.dpmptsp.legacy import MAX_NIB, DpmptspSimulator

from .conftest import OSS, SICANTIK

TERBIT = "/sicantik/api/listpermohonanterbit"
PROSES = "/sicantik/api/listpermohonanproses"
NIB = "/oss/api/inqueryNIB"
IZIN = "/oss/api/izin"


@pytest.mark.parametrize(
    ("path", "good", "other"),
    [(TERBIT, SICANTIK, OSS), (PROSES, SICANTIK, OSS), (NIB, OSS, SICANTIK), (IZIN, OSS, SICANTIK)],
)
async def test_api_key_required(
    sim_client: httpx.AsyncClient, path: str, good: dict[str, str], other: dict[str, str]
) -> None:
    for headers, status in ((other, 401), ({}, 401), ({k: "wrong" for k in good}, 403)):
        response = await sim_client.get(path, headers=headers)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/xml")
        root = fromstring(response.content)
        assert root.findtext("status") == "error" and root.findtext("message")
    assert (await sim_client.get(path, headers=good)).status_code == 200


async def test_sicantik_pages_by_limit_and_offset(sim_client: httpx.AsyncClient) -> None:
    first = fromstring((await sim_client.get(PROSES, headers=SICANTIK)).content)
    assert first.tag == "response" and first.findtext("limit") == "10"
    assert len(first.findall("./data/permohonan")) == 10
    total = int(first.findtext("total") or 0)
    ids: list[str] = []
    for offset in range(0, total, 100):
        page = await sim_client.get(
            PROSES, params={"offset": offset, "limit": 500}, headers=SICANTIK
        )
        root = fromstring(page.content)
        assert root.findtext("limit") == "100"
        ids.extend(e.findtext("pendaftaran_id") or "" for e in root.findall("./data/permohonan"))
    assert len(ids) == len(set(ids)) == total
    bad = await sim_client.get(TERBIT, params={"offset": "nol"}, headers=SICANTIK)
    assert bad.status_code == 400 and fromstring(bad.content).findtext("status") == "error"


async def test_sicantik_fields_and_filters(sim_client: httpx.AsyncClient) -> None:
    params = {"tahun": 2024, "kelurahan": "6171010002,6171020001", "jenis": "PBG", "limit": 100}
    root = fromstring((await sim_client.get(TERBIT, params=params, headers=SICANTIK)).content)
    rows = root.findall("./data/permohonan")
    assert rows
    for row in rows:
        fields = {child.tag for child in row}
        assert fields >= {
            "pendaftaran_id",
            "n_perizinan",
            "no_surat",
            "d_terima_berkas",
            "d_terbit",
            "status",
            "kd_kelurahan",
        }
        assert (row.findtext("d_terbit") or "").startswith("2024-")
        assert row.findtext("kd_kelurahan") in {"6171010002", "6171020001"}
        assert row.findtext("n_perizinan") == "Persetujuan Bangunan Gedung"
        assert row.findtext("status") in {"Terbit", "Dicabut"}
    one = rows[0].findtext("no_surat")
    by_number = fromstring(
        (await sim_client.get(TERBIT, params={"no_surat": one}, headers=SICANTIK)).content
    )
    assert [e.findtext("no_surat") for e in by_number.findall("./data/permohonan")] == [one]
    kecamatan = fromstring(
        (
            await sim_client.get(
                PROSES, params={"kecamatan": "6171010", "limit": 100}, headers=SICANTIK
            )
        ).content
    )
    assert all(
        (e.findtext("kd_kelurahan") or "").startswith("6171010")
        for e in kecamatan.findall("./data/permohonan")
    )


async def test_oss_takes_a_list_of_nibs(
    sim_client: httpx.AsyncClient, simulator: DpmptspSimulator
) -> None:
    nibs = [row["nib"] for row in simulator.data.usaha[:MAX_NIB]]
    response = await sim_client.get(NIB, params={"nib": ",".join(nibs), "limit": 100}, headers=OSS)
    root = fromstring(response.content)
    assert root.tag == "responinqueryNIB" and root.findtext("kode") == "200"
    found = root.findall("./dataNIB/nib_data")
    assert [e.findtext("nib") for e in found] == nibs
    assert {child.tag for child in found[0]} >= {
        "nib",
        "nama_perusahaan",
        "skala_usaha",
        "kd_daerah",
        "data_kbli",
    }
    assert found[0].findall("./data_kbli/kbli/kode_kbli")
    too_many = [row["nib"] for row in simulator.data.usaha[: MAX_NIB + 1]]
    refused = await sim_client.get(NIB, params={"nib": ",".join(too_many)}, headers=OSS)
    assert refused.status_code == 400


async def test_oss_permits_fields_and_filters(
    sim_client: httpx.AsyncClient, simulator: DpmptspSimulator
) -> None:
    nib = simulator.data.izin_usaha[0]["nib"]
    root = fromstring((await sim_client.get(IZIN, params={"nib": nib}, headers=OSS)).content)
    rows = root.findall("./dataIzin/izin")
    assert rows and {e.findtext("nib") for e in rows} == {nib}
    assert {child.tag for child in rows[0]} >= {
        "nib",
        "id_izin",
        "kd_izin",
        "kd_daerah",
        "kbli",
        "nomor_izin",
        "tgl_terbit_izin",
        "tgl_berlaku_izin",
        "status_izin",
    }
    daerah = fromstring(
        (
            await sim_client.get(
                IZIN, params={"kd_daerah": "6171051001", "tahun": 2025, "limit": 100}, headers=OSS
            )
        ).content
    )
    for row in daerah.findall("./dataIzin/izin"):
        assert row.findtext("kd_daerah") == "6171051001"
        assert (row.findtext("tgl_terbit_izin") or row.findtext("tgl_permohonan") or "")[
            :4
        ] == "2025"


async def test_calls_are_counted(
    sim_client: httpx.AsyncClient, simulator: DpmptspSimulator
) -> None:
    await sim_client.get(IZIN, headers=OSS)
    await sim_client.get(IZIN)
    assert simulator.calls[IZIN] == 2
    assert (await sim_client.get("/health")).status_code == 200
