"""The simulated portal answers as CKAN 2.10's action API does: envelope, paging, Solr
filters, facets, errors; and its catalogue follows the day it is built for."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import httpx

from subgraphs.satudata.legacy import CkanSimulator, catalogue
from subgraphs.satudata.legacy.seed import published_until
from tests.support.clock import TODAY

SEARCH = "/api/3/action/package_search"


async def test_search_pages_through_every_data_set_once(portal: httpx.AsyncClient) -> None:
    first = (await portal.get(SEARCH, params={"rows": 0})).json()
    assert first["success"] is True and first["help"].endswith("name=package_search")
    total = first["result"]["count"]
    assert total == len(catalogue(TODAY).packages) > 300
    names: list[str] = []
    for start in range(0, total, 150):
        page = await portal.get(SEARCH, params={"rows": 150, "start": start, "sort": "name asc"})
        names += [p["name"] for p in page.json()["result"]["results"]]
    assert len(names) == total == len(set(names))
    assert names == sorted(names)


async def test_every_opd_publishes_tens_of_data_sets(portal: httpx.AsyncClient) -> None:
    body = (await portal.get(SEARCH, params={"rows": 0, "facet.field": '["organization"]'})).json()[
        "result"
    ]
    counts = {
        item["name"]: item["count"] for item in body["search_facets"]["organization"]["items"]
    }
    assert len(counts) == 31
    assert min(counts.values()) >= 10
    assert counts["disdukcapil"] == body["facets"]["organization"]["disdukcapil"] >= 15


async def test_filters_combine_as_solr_terms(portal: httpx.AsyncClient) -> None:
    body = (
        await portal.get(
            SEARCH,
            params={
                "q": "penduduk",
                "fq": 'organization:disdukcapil res_format:("CSV" OR "JSON")',
                "rows": 100,
            },
        )
    ).json()["result"]
    assert body["count"] == len(body["results"]) > 3
    for package in body["results"]:
        assert package["organization"]["name"] == "disdukcapil"
        assert "penduduk" in (package["title"] + package["notes"]).lower()
        assert {r["format"] for r in package["resources"]} & {"CSV", "JSON"}


async def test_package_show_by_name_or_id_with_absolute_file_urls(
    portal: httpx.AsyncClient,
) -> None:
    shown = (
        await portal.get(
            "/api/3/action/package_show", params={"id": "jumlah-penduduk-menurut-kelurahan"}
        )
    ).json()["result"]
    again = (await portal.get("/api/3/action/package_show", params={"id": shown["id"]})).json()
    assert again["result"]["name"] == shown["name"]
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras["kode_data"] == "penduduk-kelurahan"
    assert extras["tingkat_penyajian"] == "Kelurahan"
    assert shown["num_resources"] == len(shown["resources"])
    csv_files = [r for r in shown["resources"] if r["format"] == "CSV"]
    url = csv_files[-1]["url"]
    assert url.startswith("http://data.test/dataset/")
    download = await portal.get(url.removeprefix("http://data.test"))
    assert download.status_code == 200
    lines = download.text.splitlines()
    assert lines[0] == "tahun,kode_wilayah,nama_wilayah,nilai,satuan"
    assert len(lines) == 1 + 29  # one row per kelurahan


async def test_errors_come_in_ckans_envelope(portal: httpx.AsyncClient) -> None:
    missing = await portal.get("/api/3/action/package_show", params={"id": "tidak-ada"})
    assert missing.status_code == 404
    assert missing.json()["error"] == {"__type": "Not Found Error", "message": "Not found"}
    too_many = await portal.get(SEARCH, params={"rows": 5000})
    assert too_many.status_code == 409
    assert too_many.json()["error"]["rows"] == ["Must be less than or equal to 1000"]
    bad_field = await portal.get(SEARCH, params={"fq": "secret_field:x"})
    assert bad_field.status_code == 409
    assert bad_field.json()["error"]["__type"] == "Search Query Error"
    unclosed = await portal.get(SEARCH, params={"fq": "organization:(a OR"})
    assert unclosed.status_code == 409


async def test_search_words_are_read_as_solr_reads_them(portal: httpx.AsyncClient) -> None:
    async def count(q: str) -> int:
        answer = await portal.get(SEARCH, params={"q": q, "rows": 0})
        assert answer.status_code == 200, answer.text
        return int(answer.json()["result"]["count"])

    assert await count("*:*") == len(catalogue(TODAY).packages)
    assert await count(r"\*\:\*") == 0  # escaped: the characters themselves
    assert await count(r"SP4N\-LAPOR\!") == await count("SP4N-LAPOR!") == 1
    local = await portal.get(SEARCH, params={"q": "{!lucene}*:*"})
    assert local.status_code == 409
    assert local.json()["error"]["__type"] == "Search Error"


async def test_organizations_page_by_25_with_their_kode_skpd(portal: httpx.AsyncClient) -> None:
    action = "/api/3/action/organization_list"
    refused = await portal.get(action, params={"all_fields": "true", "limit": 100})
    assert refused.status_code == 409
    pages = [
        (
            await portal.get(
                action,
                params={"all_fields": "true", "include_extras": "true", "offset": o, "limit": 25},
            )
        ).json()["result"]
        for o in (0, 25)
    ]
    organizations = pages[0] + pages[1]
    assert [len(p) for p in pages] == [25, 6]
    kodes = {e["value"] for org in organizations for e in org["extras"] if e["key"] == "kode_skpd"}
    assert "2.12.0.00.0.00.01.0000" in kodes and len(kodes) == 31
    names = (await portal.get(action)).json()["result"]
    assert names == sorted(org["name"] for org in organizations)


def test_the_catalogue_follows_the_day_it_is_built_for() -> None:
    assert catalogue(date(2027, 3, 15)) == catalogue(date(2027, 3, 15))
    assert published_until("Tahunan", date(2027, 3, 15)) == date(2025, 12, 31)
    assert published_until("Tahunan", date(2027, 4, 1)) == date(2026, 12, 31)
    assert published_until("Bulanan", date(2027, 3, 15)) == date(2027, 1, 31)
    assert published_until("Bulanan", date(2027, 3, 25)) == date(2027, 2, 28)
    assert published_until("Semesteran", date(2027, 3, 15)) == date(2026, 12, 31)
    later = catalogue(date(2027, 4, 1))
    latest = max(p["metadata_modified"] for p in later.packages)
    assert "2027-03-01" <= latest <= "2027-04-01"
    years = Counter(max(r["tahun"] for r in p["resources"]) for p in later.packages)
    assert set(years) == {2026, 2027}
    earlier = {p["name"]: p for p in catalogue(date(2027, 3, 15)).packages}
    assert all(
        len(p["resources"]) >= len(earlier[p["name"]]["resources"])
        for p in later.packages
        if p["name"] in earlier
    )


async def test_health_and_calls_are_counted() -> None:
    simulator = CkanSimulator(today=TODAY)
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://d") as client:
        assert (await client.get("/health")).json()["status"] == "ok"
        await client.get(SEARCH)
        await client.get(SEARCH)
    assert simulator.calls["package_search"] == 2
    assert json.dumps(simulator.data.groups[0]).count("package_count") == 1
