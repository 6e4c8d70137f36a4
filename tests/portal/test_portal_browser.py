"""The city portal in a real browser (Debian's Chromium, driven by Playwright) over the city
graph that ``make up`` runs: every page shows the figures the graph answers for the page's
own operation (the test asks the gateway the same operation and compares), the catalogue's
search and filters work, and with one OPD's subgraph stopped the pages keep showing what the
gateway kept of its answers, each part the answer marks stale saying how old it is and which
OPD cannot be reached, and once that is dropped every page still renders and names the OPD
whose data is missing. Screenshots of each page at desktop and phone width go to
``.cache/portal-screenshots/``.

The launcher's fixed OPD ports (schema/subgraphs.toml) are shared with ``tests/city``; the
two modules run one after the other and each stops its city completely. Set
``SIMPUL_SKIP_BROWSER=1`` to skip these tests where no browser can run.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

if os.environ.get("SIMPUL_SKIP_BROWSER") == "1":
    pytest.skip("SIMPUL_SKIP_BROWSER=1", allow_module_level=True)

from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from tests.support.city import RunningCity, busy, running_city

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "portal" / "operations"
SCREENSHOTS = ROOT / ".cache" / "portal-screenshots"
CHROMIUM = "/usr/bin/chromium"
GATEWAY_PORT = 4951
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

DISKOMINFO = "2.16.2.20.2.21.01.0000"
KELURAHAN = "61.71.05.1001"  # Sungai Bangkong, Pontianak Kota
KECAMATAN = "61.71.02"


class PortalCity:
    """The running city, asked the portal's own operations."""

    def __init__(self, running: RunningCity) -> None:
        self.running = running
        self.base = running.base

    def ask(self, operation: str, variables: dict[str, Any] | None = None) -> Any:
        """The portal's own operation, asked of the gateway directly."""
        query = (OPERATIONS / f"{operation}.graphql").read_text(encoding="utf-8")
        return self.running.query(query, variables, operation_name=operation)

    def child_pid(self, *argv_part: str) -> int:
        return self.running.child_pid(*argv_part)

    def forget(self, subgraph: str) -> None:
        """Drop what the gateway kept of ``subgraph``'s answers, as its OPD team may."""
        response = httpx.post(
            f"{self.base}/cache/invalidate",
            json={"subgraph": subgraph},
            headers={"authorization": f"Bearer {INVALIDATE_KEY}"},
            timeout=30,
        )
        assert response.status_code == 200 and response.json()["removed"] > 0, response.text


# The portal as the city deploys it: the gateway runs the portal's trusted documents only.
SAFELIST = {
    "SIMPUL_PORTAL": str(ROOT / "portal"),
    "SIMPUL_DOCUMENTS_MODE": "safelist",
    "SIMPUL_DOCUMENTS_MANIFEST": str(ROOT / "portal" / "persisted-documents.json"),
}


INVALIDATE_KEY = "portal-test-invalidate-0123456789abcdef"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalCity]:
    # the key an OPD team drops what the gateway kept of its answers with
    key_file = tmp_path_factory.mktemp("cache") / "invalidate.key"
    key_file.write_text(INVALIDATE_KEY + "\n", encoding="ascii")
    key_file.chmod(0o600)
    env = {**SAFELIST, "SIMPUL_CACHE_INVALIDATE_KEY_FILE": str(key_file)}
    # an OPD stopped by the last test stays down for the rest of the module
    with running_city(GATEWAY_PORT, env, "--no-restart") as running:
        yield PortalCity(running)


def test_the_gateway_runs_the_portal_s_documents_only(city: PortalCity) -> None:
    answer = httpx.post(
        city.running.url, json={"query": "{ daftarKecamatan { nama } }"}, timeout=30
    )
    assert answer.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    # nor through @defer: the operations the gateway makes of a document's deferred
    # fragments are made only from a document allowed to run
    answer = httpx.post(
        city.running.url,
        json={"query": "{ daftarKecamatan { kode ... @defer { nama } } }"},
        headers={"accept": "multipart/mixed"},
        timeout=30,
    )
    [part] = [
        json.loads(p.partition(b"\r\n\r\n")[2])
        for p in answer.content[: -len(b"\r\n-----\r\n")].split(b"\r\n---\r\n")[1:]
    ]
    assert part["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    assert "data" not in part
    known = city.ask("PilihanWilayah")
    assert "errors" not in known and known["data"]["daftarKecamatan"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


class Portal:
    """Opens portal pages, keeps the browser's complaints, takes screenshots."""

    def __init__(self, browser: Browser, city: PortalCity) -> None:
        self.browser = browser
        self.city = city
        self.problems: list[str] = []

    def open(
        self,
        path: str,
        viewport: dict[str, int] = DESKTOP,
        before: Callable[[Page], None] | None = None,
    ) -> Page:
        """Open ``path`` and wait until it is drawn; ``before`` gets the page first, to watch
        or change what it asks."""
        context = self.browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        if before is not None:
            before(page)
        page.goto(f"{self.city.base}/portal/{path}")
        ready(page)
        return page

    def shoot(self, page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(400)  # chart animations settle
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def both_widths(self, path: str, name: str) -> None:
        """Screenshots at desktop and phone width; at phone width nothing overflows."""
        for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page = self.open(path, viewport)
            if suffix == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path}: {overflow}px wider than a phone screen"
            self.shoot(page, f"{name}-{suffix}")
            page.context.close()


@pytest.fixture
def portal(browser: Browser, city: PortalCity) -> Iterator[Portal]:
    portal = Portal(browser, city)
    yield portal
    assert portal.problems == [], portal.problems


def ready(page: Page) -> None:
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').first.inner_text().replace("\u00a0", " ")


def angka(value: int) -> str:
    """Intl.NumberFormat('id-ID')."""
    return f"{value:,}".replace(",", ".")


def rupiah(value: float) -> str:
    return f"Rp {angka(round(value))}"


def persen(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


def chart_data(page: Page, canvas: str) -> list[list[float]]:
    return page.evaluate(
        "(id) => Chart.getChart(document.getElementById(id)).data.datasets.map(d => d.data)",
        canvas,
    )


def is_open(aduan: dict[str, Any]) -> bool:
    return aduan["status"] not in ("SELESAI", "DIARSIPKAN")


def budget_year() -> int:
    """The year the budget page is checked for: realisation runs to the end of last month,
    so in January this year has none yet."""
    today = datetime.date.today()
    return today.year if today.month > 1 else today.year - 1


def card(page: Page, name: str) -> Locator:
    """The Beranda's card of the figure ``name``."""
    return page.locator("section.figure-card").filter(
        has=page.locator(f'.big[data-figure="{name}"]')
    )


def no_stale_note(page: Page) -> None:
    """Fresh answers: no part of the page says its data is old."""
    notes = page.locator("[data-stale]")
    assert notes.count() == 0, notes.all_inner_texts()


AGO = r"(kurang dari 1 menit|\d+ menit|\d+ jam|\d+ hari) lalu"


def stale_note(opd: str) -> re.Pattern[str]:
    """A note on data the gateway answered from its cache, of any age, because ``opd`` (as
    the portal names it) could not answer."""
    return re.compile(rf"^Data dari {AGO} — {re.escape(opd)} sedang tidak dapat dihubungi\.$")


DISKOMINFO_NAME = "Diskominfo (Dinas Komunikasi dan Informatika)"


def test_beranda_shows_the_graphs_figures(portal: Portal, city: PortalCity) -> None:
    tahun = datetime.date.today().year
    body = city.ask("Beranda", {"tahun": tahun})
    assert "errors" not in body, body["errors"]
    data = body["data"]
    page = portal.open("")
    aplikasi, inovasi = data["daftarAplikasi"], data["daftarInovasi"]
    expected = {
        "opd": len(data["daftarOpd"]),
        "aplikasi": len(aplikasi),
        "aplikasi-umum": sum(a["jenis"] == "UMUM" for a in aplikasi),
        "aplikasi-khusus": sum(a["jenis"] == "KHUSUS" for a in aplikasi),
        "aplikasi-terintegrasi": sum(a["terintegrasi"] for a in aplikasi),
        "aplikasi-belum-terintegrasi": sum(not a["terintegrasi"] for a in aplikasi),
        "inovasi": len(inovasi),
        "inovasi-digital": sum(i["jenis"] == "DIGITAL" for i in inovasi),
        "inovasi-non-digital": sum(i["jenis"] == "NON_DIGITAL" for i in inovasi),
        "penduduk": data["pendudukKota"]["jumlah"],
        "kecamatan": len(data["daftarKecamatan"]),
        "kelurahan": sum(len(k["kelurahan"]) for k in data["daftarKecamatan"]),
        "sekolah": len(data["daftarSekolah"]),
        "faskes": len(data["daftarFasilitasKesehatan"]),
        "izin-terbit": sum(r["terbit"] for r in data["rekapIzin"]),
        "aduan-terbuka": sum(is_open(a) for a in data["daftarAduan"]),
    }
    # permits issued this year may be none in the first days of January
    assert expected["aplikasi"] > 0 and expected["sekolah"] > 0
    assert {name: figure(page, name) for name in expected} == {
        name: angka(value) for name, value in expected.items()
    }
    no_stale_note(page)
    # each number links to its page
    assert page.locator('a[data-figure="aplikasi-khusus"]').get_attribute("href") == (
        "katalog.html?jenis=KHUSUS"
    )
    assert page.locator('a[data-figure="opd"]').get_attribute("href") == "opd.html"
    # the chart of permits per month holds the graph's monthly sums
    months = max((r["bulan"] for r in data["rekapIzin"]), default=0)
    per_month = [0] * months
    for row in data["rekapIzin"]:
        per_month[row["bulan"] - 1] += row["terbit"]
    assert chart_data(page, "grafik-izin") == [per_month]
    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Lewati ke konten utama"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "konten"
    page.locator('a[data-figure="aplikasi-khusus"]').click()
    ready(page)
    assert page.locator("#saring-jenis").input_value() == "KHUSUS"
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(expected["aplikasi-khusus"]))
    page.context.close()
    portal.both_widths("", "beranda")


def test_katalog_search_and_filters(portal: Portal, city: PortalCity) -> None:
    body = city.ask("KatalogAplikasi")
    assert "errors" not in body, body["errors"]
    aplikasi, inovasi = body["data"]["daftarAplikasi"], body["data"]["daftarInovasi"]
    page = portal.open("katalog.html")
    total = len(aplikasi) + len(inovasi)
    assert figure(page, "hasil") == angka(total)
    no_stale_note(page)
    assert page.locator("#hasil > li").count() == 12
    pages = -(-total // 12)
    expect(page.locator("#halaman")).to_contain_text(f"Halaman 1 dari {pages}")
    page.get_by_role("button", name="Berikutnya").click()
    expect(page.locator("#halaman")).to_contain_text(f"Halaman 2 dari {pages}")

    # filter: one OPD
    page.get_by_label("OPD", exact=True).select_option(DISKOMINFO)
    mine = [a["nama"] for a in aplikasi if (a["opd"] or {}).get("kode") == DISKOMINFO]
    mine += [i["nama"] for i in inovasi if (i["opd"] or {}).get("kode") == DISKOMINFO]
    assert 0 < len(mine) <= 12
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(len(mine)))
    names = page.locator("#hasil > li h3").all_inner_texts()
    assert sorted(names) == sorted(mine)

    # filter: jenis, then a search on top of it
    page.get_by_label("OPD", exact=True).select_option("")
    page.get_by_label("Jenis", exact=True).select_option("KHUSUS")
    khusus = [a for a in aplikasi if a["jenis"] == "KHUSUS"]
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(len(khusus)))
    page.get_by_label("Cari", exact=True).fill("dasbor")

    def found(a: dict[str, Any]) -> bool:
        text = " ".join([a["nama"], a["deskripsi"] or "", a["opd"]["nama"], a["opd"]["singkatan"]])
        return "dasbor" in text.lower()

    wanted = sorted(a["nama"] for a in khusus if found(a))
    assert 0 < len(wanted) <= 12
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(len(wanted)))
    assert sorted(page.locator("#hasil > li h3").all_inner_texts()) == wanted
    assert "q=dasbor" in page.url and "jenis=KHUSUS" in page.url

    # nothing found: a plain empty state
    page.get_by_label("Cari", exact=True).fill("tidak ada aplikasi seperti ini")
    expect(page.locator('[data-figure="hasil"]')).to_have_text("0")
    expect(page.locator("#katalog .empty")).to_be_visible()
    page.get_by_role("button", name="Atur ulang").click()
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(total))
    page.context.close()
    portal.both_widths("katalog.html", "katalog")


def test_profil_opd_shows_budget_by_month(portal: Portal, city: PortalCity) -> None:
    tahun = budget_year()
    body = city.ask("ProfilOpd", {"kode": DISKOMINFO, "tahun": tahun})
    assert "errors" not in body, body["errors"]
    anggaran, opd = body["data"]["anggaranOpd"], body["data"]["opd"]
    page = portal.open(f"opd.html?kode={DISKOMINFO}&tahun={tahun}")
    expect(page.locator("h1")).to_have_text(opd["nama"])
    assert figure(page, "pagu") == rupiah(anggaran["pagu"])
    assert figure(page, "realisasi") == rupiah(anggaran["realisasi"])
    assert figure(page, "sisa") == rupiah(anggaran["sisa"])
    assert figure(page, "persentase") == persen(anggaran["persentase"])
    months = sorted(anggaran["perBulan"], key=lambda m: m["bulan"])
    assert months, "no realisation this year"
    bars, cumulative, pagu = chart_data(page, "grafik-anggaran")
    assert bars == [m["realisasi"] for m in months]
    assert cumulative == [m["realisasiKumulatif"] for m in months]
    assert pagu == [anggaran["pagu"]] * len(months)
    assert figure(page, "jumlah-aplikasi") == angka(len(opd["aplikasi"]))
    assert figure(page, "jumlah-inovasi") == angka(len(opd["inovasi"]))
    assert figure(page, "jumlah-aduan") == angka(len(opd["aduan"]))
    assert page.locator("#aplikasi tbody tr").count() == len(opd["aplikasi"])
    no_stale_note(page)

    # another OPD from the picker
    pilihan = city.ask("PilihanOpd")["data"]
    other = next(o for o in pilihan["daftarOpd"] if o["singkatan"] == "Dinkes")
    page.get_by_label("Perangkat daerah", exact=True).select_option(other["kode"])
    ready(page)
    expect(page.locator("h1")).to_have_text(other["nama"])
    theirs = city.ask("ProfilOpd", {"kode": other["kode"], "tahun": tahun})["data"]
    assert figure(page, "pagu") == rupiah(theirs["anggaranOpd"]["pagu"])
    page.context.close()
    portal.both_widths(f"opd.html?kode={DISKOMINFO}&tahun={tahun}", "opd")


DINKES = "1.02.0.00.0.00.01.0000"


def test_katalog_data_search_filters_and_one_data_set(portal: Portal, city: PortalCity) -> None:
    everything = city.ask("KatalogData", {"lewati": 0})
    assert "errors" not in everything, everything["errors"]
    total = everything["data"]["cariDataset"]["jumlah"]
    page = portal.open("data.html")
    assert figure(page, "hasil") == angka(total) and total > 300
    no_stale_note(page)
    assert page.locator("#hasil > li").count() == 10
    expect(page.locator("#halaman")).to_contain_text(f"Halaman 1 dari {-(-total // 10)}")
    page.get_by_role("button", name="Berikutnya").click()
    expect(page.locator("#halaman")).to_contain_text("Halaman 2 dari")
    second = city.ask("KatalogData", {"lewati": 10})["data"]["cariDataset"]["dataset"]
    expect(page.locator("#hasil > li h3")).to_have_text([d["judul"] for d in second])

    # filters: one OPD's CSV files, as the graph answers them; the state is in the address
    page.get_by_label("OPD", exact=True).select_option(DINKES)
    page.get_by_label("Format", exact=True).select_option("CSV")
    theirs = city.ask("KatalogData", {"opd": DINKES, "format": "CSV", "lewati": 0})
    found = theirs["data"]["cariDataset"]
    expect(page.locator('[data-figure="hasil"]')).to_have_text(angka(found["jumlah"]))
    expect(page.locator("#hasil > li h3")).to_have_text([d["judul"] for d in found["dataset"]])
    assert f"opd={DINKES}" in page.url and "format=CSV" in page.url
    shared = portal.open(page.url.split("/portal/")[1])
    assert shared.get_by_label("OPD", exact=True).input_value() == DINKES
    expect(shared.locator('[data-figure="hasil"]')).to_have_text(angka(found["jumlah"]))
    shared.context.close()

    # a search, then one data set whose figures the graph holds live
    page.get_by_role("button", name="Atur ulang").click()
    page.get_by_label("Cari", exact=True).fill("penduduk menurut kelurahan")
    searched = city.ask("KatalogData", {"kata": "penduduk menurut kelurahan", "lewati": 0})
    expect(page.locator('[data-figure="hasil"]')).to_have_text(
        angka(searched["data"]["cariDataset"]["jumlah"])
    )
    page.get_by_role("link", name="Jumlah Penduduk Menurut Kelurahan").click()
    ready(page)
    tahun = datetime.date.today().year
    rinci = city.ask("DatasetRinci", {"id": "jumlah-penduduk-menurut-kelurahan", "tahun": tahun})
    assert "errors" not in rinci, rinci["errors"]
    dataset = rinci["data"]["dataset"]
    expect(page.locator("h1")).to_have_text(dataset["judul"])
    assert page.locator("#tabel-berkas tbody tr").count() == len(dataset["sumberDaya"])
    kelurahan = dataset["dataTerkini"]["kelurahan"]
    penduduk = city.ask("Beranda", {"tahun": tahun})["data"]["pendudukKota"]["jumlah"]
    assert figure(page, "terkini-total") == angka(penduduk)
    assert sum(k["penduduk"]["jumlah"] for k in kelurahan) == penduduk
    assert page.locator("#tabel-terkini tbody tr").count() == 29
    no_stale_note(page)

    # every table downloads as CSV, with the raw figures
    with page.expect_download() as download:
        page.locator("#terkini [data-csv]").click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "Kelurahan,Kecamatan,Laki-laki,Perempuan,Jumlah"
    assert len(rows) == 30
    assert sum(int(row.rsplit(",", 1)[1]) for row in rows[1:]) == penduduk
    page.context.close()
    portal.both_widths("data.html", "katalog-data")
    portal.both_widths("data.html?id=jumlah-penduduk-menurut-kelurahan", "data-set")


def test_katalog_data_shows_budgets_schools_and_permits_live(
    portal: Portal, city: PortalCity
) -> None:
    tahun = datetime.date.today().year
    page = portal.open("data.html?id=realisasi-anggaran-dinkes")
    anggaran = city.ask("ProfilOpd", {"kode": DINKES, "tahun": tahun})["data"]["anggaranOpd"]
    assert figure(page, "terkini-total") == rupiah(anggaran["realisasi"])
    page.context.close()

    page = portal.open("data.html?id=jumlah-sekolah-menurut-kecamatan")
    sekolah = city.ask("Beranda", {"tahun": tahun})["data"]["daftarSekolah"]
    assert figure(page, "terkini-total") == angka(len(sekolah))
    assert page.locator("#tabel-terkini tbody tr").count() == 6
    page.context.close()

    page = portal.open("data.html?id=jumlah-izin-terbit-per-tahun")
    latest = int(page.locator("#tabel-terkini tbody tr td").first.inner_text())
    rekap = city.ask("IzinTerbitTahunan", {"tahun": latest})["data"]["rekapIzin"]
    assert figure(page, "terkini-total") == angka(sum(r["terbit"] for r in rekap))
    page.context.close()

    page = portal.open("data.html?id=volume-sampah-terangkut-ke-tpa")
    expect(page.locator("#terkini .empty")).to_contain_text("tidak tersedia langsung")
    page.context.close()

    page = portal.open("data.html?id=tidak-ada")
    expect(page.locator("h1")).to_have_text("Data set tidak ditemukan")
    page.context.close()


def _check_wilayah(page: Page, data: dict[str, Any], place: dict[str, Any]) -> None:
    penduduk = place["penduduk"]
    assert figure(page, "penduduk") == angka(penduduk["jumlah"])
    assert figure(page, "laki-laki") == angka(penduduk["lakiLaki"])
    assert figure(page, "perempuan") == angka(penduduk["perempuan"])
    assert figure(page, "kepala-keluarga") == angka(penduduk["jumlahKepalaKeluarga"])
    groups = sorted(penduduk["perKelompokUmur"], key=lambda g: -g["umurMin"])
    male, female = chart_data(page, "grafik-penduduk")
    assert male == [-g["lakiLaki"] for g in groups]
    assert female == [g["perempuan"] for g in groups]
    assert figure(page, "jumlah-sekolah") == angka(len(data["daftarSekolah"]))
    assert figure(page, "jumlah-faskes") == angka(len(data["daftarFasilitasKesehatan"]))
    izin = data["daftarIzin"]
    assert figure(page, "jumlah-izin") == angka(len(izin))
    assert figure(page, "izin-terbit") == angka(sum(i["status"] == "TERBIT" for i in izin))
    assert figure(page, "izin-proses") == angka(sum(i["status"] == "PROSES" for i in izin))


def test_profil_wilayah_kelurahan_and_kecamatan(portal: Portal, city: PortalCity) -> None:
    tahun = datetime.date.today().year
    body = city.ask("ProfilKelurahan", {"kelurahan": KELURAHAN, "tahun": tahun})
    assert "errors" not in body, body["errors"]
    data = body["data"]
    page = portal.open(f"wilayah.html?kelurahan={KELURAHAN}")
    expect(page.locator("h1")).to_have_text("Kelurahan Sungai Bangkong")
    assert page.get_by_label("Kecamatan", exact=True).input_value() == "61.71.05"
    _check_wilayah(page, data, data["kelurahan"])
    aduan = data["daftarAduan"]
    assert figure(page, "jumlah-aduan") == angka(len(aduan))
    assert figure(page, "aduan-terbuka") == angka(sum(is_open(a) for a in aduan))
    no_stale_note(page)

    # a whole kecamatan, chosen with the picker
    page.get_by_label("Kecamatan", exact=True).select_option(KECAMATAN)
    ready(page)
    body = city.ask("ProfilKecamatan", {"kecamatan": KECAMATAN, "tahun": tahun})
    assert "errors" not in body, body["errors"]
    data = body["data"]
    expect(page.locator("h1")).to_have_text(f"Kecamatan {data['kecamatan']['nama']}")
    _check_wilayah(page, data, data["kecamatan"])
    aduan = [a for a in data["daftarAduan"] if a["kelurahan"]["kode"].startswith(KECAMATAN + ".")]
    assert figure(page, "jumlah-aduan") == angka(len(aduan))
    no_stale_note(page)
    page.context.close()
    portal.both_widths(f"wilayah.html?kelurahan={KELURAHAN}", "wilayah")


def test_profil_wilayah_gets_the_population_in_a_later_part(
    browser: Browser, city: PortalCity
) -> None:
    # the page asks with @defer over multipart/mixed: the first part has every section but
    # the population, computed over the whole registry; the second brings it
    answers: list[tuple[str, bytes]] = []

    def keep(route: Route) -> None:
        # kept on its way to the page: Chromium may let go of a multipart body once drawn
        response = route.fetch()
        if "ProfilKelurahan" in (route.request.post_data or ""):
            answers.append((response.headers["content-type"], response.body()))
        route.fulfill(response=response)

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    page.route("**/graphql", keep)
    page.goto(f"{city.base}/portal/wilayah.html?kelurahan={KELURAHAN}")
    ready(page)
    [(content_type, body)] = answers
    assert content_type == 'multipart/mixed; boundary="-"'
    parts = [
        json.loads(part.partition(b"\r\n\r\n")[2])
        for part in body[: -len(b"\r\n-----\r\n")].split(b"\r\n---\r\n")[1:]
    ]
    first, second = parts
    assert "penduduk" not in first["data"]["kelurahan"] and first["data"]["daftarSekolah"]
    assert first["pending"] == [{"id": "0", "path": ["kelurahan"], "label": "penduduk"}]
    [item] = second["incremental"]
    jumlah = item["data"]["penduduk"]["jumlah"]
    assert figure(page, "penduduk") == angka(jumlah) and second["hasNext"] is False
    context.close()


def stale_services(body: dict[str, Any]) -> set[str]:
    """The subgraphs an answer says parts of it come from the gateway's cache, stale."""
    return {mark["service"] for mark in body.get("extensions", {}).get("stale", [])}


def test_stale_notes_say_how_old_and_whose_data(portal: Portal) -> None:
    page = portal.open("")
    marks = [
        mark(["opd"], "kominfo", 420),
        mark(["daftarAplikasi", 3, "opd"], "kominfo", 90),
        mark(["daftarAplikasi", 7, "opd"], "kominfo", 200),
        mark(["anggaranOpd"], "keuangan", 30),
    ]
    found = page.evaluate(
        """async (marks) => {
          const { staleNotice, staleServices, waktuLalu } = await import("/portal/js/portal.js");
          const note = staleNotice(staleServices(marks, [["opd", "aplikasi"], ["anggaranOpd"]]));
          return {
            ages: [0, 59, 60, 420, 3599, 3600, 7260, 86399, 86400, 3 * 86400].map(waktuLalu),
            identitas: staleServices(marks, [["opd", "nama"], ["opd", "urusan"]]),
            anggaran: staleServices(marks, [["anggaranOpd"]]),
            katalog: staleServices(marks, [["daftarAplikasi"]]),
            inovasi: staleServices(marks, [["daftarInovasi"]]),
            note: {
              text: note.textContent,
              role: note.getAttribute("role"),
              services: note.dataset.stale,
              className: note.className,
            },
          };
        }""",
        marks,
    )
    assert found["ages"] == [
        "kurang dari 1 menit lalu",
        "kurang dari 1 menit lalu",
        "1 menit lalu",
        "7 menit lalu",
        "59 menit lalu",
        "1 jam lalu",
        "2 jam lalu",
        "23 jam lalu",
        "1 hari lalu",
        "3 hari lalu",
    ]
    # a mark on the object a part belongs to counts for it, one on an entity in its list
    # too (the oldest per OPD); one elsewhere does not
    assert found["identitas"] == [{"service": "kominfo", "age": 420}]
    assert found["anggaran"] == [{"service": "keuangan", "age": 30}]
    assert found["katalog"] == [{"service": "kominfo", "age": 200}]
    assert found["inovasi"] == []
    assert found["note"] == {
        "text": "Data dari kurang dari 1 menit lalu — BKD (Badan Keuangan Daerah) sedang tidak "
        f"dapat dihubungi. Data dari 7 menit lalu — {DISKOMINFO_NAME} sedang tidak dapat "
        "dihubungi.",
        "role": "status",
        "services": "keuangan kominfo",
        "className": "notice notice-stale",
    }
    page.context.close()


def mark(path: list[str | int], service: str, age: int) -> dict[str, Any]:
    """One ``extensions.stale`` entry, as the gateway writes it."""
    return {"path": path, "service": service, "age": age, "code": "SUBREQUEST_HTTP_ERROR"}


def with_marks(body: bytes, content_type: str, stale: list[dict[str, Any]]) -> bytes:
    """``body`` with ``stale`` as its ``extensions.stale``; an answer in parts (multipart)
    carries it in its first part."""

    def marked(part: bytes) -> bytes:
        answer = json.loads(part)
        answer.setdefault("extensions", {})["stale"] = stale
        return json.dumps(answer).encode()

    if not content_type.startswith("multipart/mixed"):
        return marked(body)
    start, delimiter, rest = body.partition(b"\r\n---\r\n")
    headers, blank, rest = rest.partition(b"\r\n\r\n")
    first, after, rest = rest.partition(b"\r\n---")
    return b"".join((start, delimiter, headers, blank, marked(first), after, rest))


def marking(
    marks: Mapping[str, list[dict[str, Any]]], seen: dict[str, Any] | None = None
) -> Callable[[Page], None]:
    """For Portal.open: the gateway's answers to the operations in ``marks`` reach the page
    with those ``extensions.stale``, as if the OPDs named could not answer; ``seen`` keeps
    the other answers the page gets whole (not in parts), by operation."""

    def answer(route: Route) -> None:
        response = route.fetch()
        name = json.loads(route.request.post_data or "{}").get("operationName")
        content_type = response.headers["content-type"]
        if name in marks:
            body = with_marks(response.body(), content_type, marks[name])
            route.fulfill(response=response, body=body)
            return
        if seen is not None and not content_type.startswith("multipart/mixed"):
            seen[name] = response.json()
        route.fulfill(response=response)

    def watch(page: Page) -> None:
        page.route("**/graphql", answer)

    return watch


def test_each_page_notes_what_its_answer_marks_stale(portal: Portal, city: PortalCity) -> None:
    # The gateway marks parts stale only while their OPD is down and after they outlived
    # their freshness, which the last test reaches for Diskominfo's profiles; here marks are
    # added to the gateway's real answers, to check each page's parts
    tahun = datetime.date.today().year
    page = portal.open(
        "",
        before=marking(
            {
                "Beranda": [
                    mark(["daftarAduan"], "kominfo", 420),
                    mark(["rekapIzin"], "dpmptsp", 7260),
                ]
            }
        ),
    )
    expect(card(page, "aduan-terbuka").locator('[data-stale="kominfo"]')).to_have_text(
        f"Data dari 7 menit lalu — {DISKOMINFO_NAME} sedang tidak dapat dihubungi."
    )
    dpmptsp = "DPMPTSP (Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu)"
    for where in (card(page, "izin-terbit"), page.locator("#izin-bulanan")):
        expect(where.locator('[data-stale="dpmptsp"]')).to_have_text(
            f"Data dari 2 jam lalu — {dpmptsp} sedang tidak dapat dihubungi."
        )
    assert page.locator("[data-stale]").count() == 3
    # the figures show as usual
    beranda = city.ask("Beranda", {"tahun": tahun})["data"]
    assert figure(page, "aduan-terbuka") == angka(sum(is_open(a) for a in beranda["daftarAduan"]))
    assert page.locator("[data-unavailable]").count() == 0
    portal.shoot(page, "beranda-data-lama")
    page.context.close()

    # a stale entity inside a list: the section showing the list
    page = portal.open(
        "katalog.html",
        before=marking(
            {"KatalogAplikasi": [mark(["daftarAplikasi", 4, "opd"], "kominfo", 3 * 86_400)]}
        ),
    )
    expect(page.locator('#katalog [data-stale="kominfo"]')).to_have_text(
        f"Data dari 3 hari lalu — {DISKOMINFO_NAME} sedang tidak dapat dihubungi."
    )
    assert page.locator("[data-stale]").count() == 1
    page.context.close()

    # live figures of another OPD inside a data set: their section, not the metadata's
    page = portal.open(
        "data.html?id=jumlah-penduduk-menurut-kelurahan",
        before=marking(
            {"DatasetRinci": [mark(["dataset", "dataTerkini", "kelurahan", 2], "dukcapil", 45)]}
        ),
    )
    expect(page.locator('#terkini [data-stale="dukcapil"]')).to_have_text(
        "Data dari kurang dari 1 menit lalu — Disdukcapil (Dinas Kependudukan dan Pencatatan "
        "Sipil) sedang tidak dapat dihubungi."
    )
    assert page.locator("[data-stale]").count() == 1
    page.context.close()

    # an answer in parts (@defer): the marks of its first part
    page = portal.open(
        f"wilayah.html?kelurahan={KELURAHAN}",
        before=marking(
            {
                "ProfilKelurahan": [
                    mark(["daftarSekolah"], "dikbud", 600),
                    mark(["daftarAduan"], "kominfo", 90),
                ]
            }
        ),
    )
    expect(page.locator('#sekolah [data-stale="dikbud"]')).to_have_text(
        "Data dari 10 menit lalu — Dinas Pendidikan dan Kebudayaan sedang tidak dapat dihubungi."
    )
    expect(page.locator('#aduan [data-stale="kominfo"]')).to_have_text(
        f"Data dari 1 menit lalu — {DISKOMINFO_NAME} sedang tidak dapat dihubungi."
    )
    assert page.locator("[data-stale]").count() == 2
    page.context.close()


def stale_answer(
    city: PortalCity, operation: str, variables: dict[str, Any], service: str
) -> dict[str, Any]:
    """The gateway's answer to ``operation`` once it marks ``service``'s part stale: when
    what it kept has outlived its freshness (a minute for Diskominfo's complaints)."""
    deadline = time.monotonic() + 75
    while True:
        body: dict[str, Any] = city.ask(operation, variables)
        if service in stale_services(body):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(1)


BERANDA_CARDS = {
    "opd": {"daftarOpd"},
    "aplikasi": {"daftarAplikasi"},
    "inovasi": {"daftarInovasi"},
    "penduduk": {"pendudukKota", "daftarKecamatan"},
    "sekolah": {"daftarSekolah"},
    "faskes": {"daftarFasilitasKesehatan"},
    "izin-terbit": {"rekapIzin"},
    "aduan-terbuka": {"daftarAduan"},
}
"""The Beranda's cards, by figure, and the root fields each shows."""


def stop(city: PortalCity, opd: str, port: int) -> None:
    """Stop ``opd``'s subgraph (the launcher does not start it again here)."""
    os.kill(city.child_pid(f"subgraphs.{opd}.serve", "subgraph"), signal.SIGTERM)
    deadline = time.monotonic() + 20
    while busy(port):
        assert time.monotonic() < deadline, f"{opd}'s subgraph did not stop"
        time.sleep(0.1)


def test_pages_keep_then_name_the_opd_whose_subgraph_is_down(
    portal: Portal, city: PortalCity
) -> None:
    """Runs last: it stops Diskominfo's subgraph for the rest of the module."""
    tahun = datetime.date.today().year
    before = city.ask("Beranda", {"tahun": tahun})
    assert "errors" not in before
    stop(city, "kominfo", 4012)

    # what Diskominfo answered lately, the gateway kept (its subgraph says for how long):
    # the figures stay, marked stale in the answer once older than that, and no page is
    # told Diskominfo is missing; the cards whose fields the page's answer marks stale say
    # how old they are, the others nothing
    kept = city.ask("Beranda", {"tahun": tahun})
    assert kept["data"] == before["data"] and "errors" not in kept
    assert stale_services(kept) <= {"kominfo"}
    seen: dict[str, Any] = {}
    page = portal.open("", before=marking({}, seen))
    assert page.locator("[data-unavailable]").count() == 0
    assert figure(page, "aplikasi") == angka(len(before["data"]["daftarAplikasi"]))
    marked = {m["path"][0] for m in seen["Beranda"].get("extensions", {}).get("stale", [])}
    for name, fields in BERANDA_CARDS.items():
        note = card(page, name).locator("[data-stale]")
        if fields & marked:
            expect(note).to_have_text(stale_note(DISKOMINFO_NAME))
        else:
            expect(note).to_have_count(0)
    expect(page.locator("#izin-bulanan [data-stale]")).to_have_count(0)
    page.context.close()

    # Diskominfo's profile, last asked minutes ago, has outlived its minute: the gateway
    # answers it stale, and each section it fills says so; the budget (BKD's) and the
    # pickers (from a registry kept a day) are fresh
    year = budget_year()
    profil = stale_answer(city, "ProfilOpd", {"kode": DISKOMINFO, "tahun": year}, "kominfo")
    assert [(m["path"], m["service"]) for m in profil["extensions"]["stale"]] == [
        (["opd"], "kominfo")
    ]
    page = portal.open(f"opd.html?kode={DISKOMINFO}&tahun={year}")
    expect(page.locator("h1")).to_have_text(profil["data"]["opd"]["nama"])
    for section in ("identitas", "aplikasi", "inovasi", "aduan"):
        expect(page.locator(f'#{section} [data-stale="kominfo"]')).to_have_text(
            stale_note(DISKOMINFO_NAME)
        )
    assert page.locator("[data-stale]").count() == 4
    assert page.locator("[data-unavailable]").count() == 0
    assert figure(page, "jumlah-aplikasi") == angka(len(profil["data"]["opd"]["aplikasi"]))
    assert figure(page, "pagu") == rupiah(profil["data"]["anggaranOpd"]["pagu"])
    portal.shoot(page, "opd-data-lama")
    page.context.close()

    # once Diskominfo's team drops what the gateway kept, its data is missing
    city.forget("kominfo")
    page = portal.open("")
    data = city.ask("Beranda", {"tahun": tahun})["data"]
    assert data["daftarAplikasi"] is None and data["pendudukKota"] is not None
    notices = page.locator('[data-unavailable="kominfo"]')
    expect(notices.first).to_contain_text(DISKOMINFO_NAME)
    assert figure(page, "aplikasi") == "\u2013"  # an en dash: no figure
    assert figure(page, "penduduk") == angka(data["pendudukKota"]["jumlah"])
    assert figure(page, "sekolah") == angka(len(data["daftarSekolah"]))
    no_stale_note(page)
    portal.shoot(page, "beranda-tanpa-diskominfo")
    page.context.close()

    page = portal.open("katalog.html")
    expect(page.locator('#katalog [data-unavailable="kominfo"]')).to_contain_text(DISKOMINFO_NAME)
    page.context.close()

    page = portal.open(f"opd.html?kode={DISKOMINFO}&tahun={tahun}")
    anggaran = city.ask("ProfilOpd", {"kode": DISKOMINFO, "tahun": tahun})["data"]["anggaranOpd"]
    assert figure(page, "pagu") == rupiah(anggaran["pagu"])  # the budget still arrives
    for section in ("pilih", "aplikasi", "inovasi", "aduan"):
        expect(page.locator(f'#{section} [data-unavailable="kominfo"]')).to_contain_text(
            DISKOMINFO_NAME
        )
    portal.shoot(page, "opd-tanpa-diskominfo")
    page.context.close()

    page = portal.open(f"wilayah.html?kelurahan={KELURAHAN}")
    expect(page.locator('#aduan [data-unavailable="kominfo"]')).to_contain_text(DISKOMINFO_NAME)
    assert page.locator("#penduduk [data-unavailable]").count() == 0
    data = city.ask("ProfilKelurahan", {"kelurahan": KELURAHAN, "tahun": tahun})["data"]
    assert figure(page, "penduduk") == angka(data["kelurahan"]["penduduk"]["jumlah"])
    assert figure(page, "jumlah-sekolah") == angka(len(data["daftarSekolah"]))
    portal.shoot(page, "wilayah-tanpa-diskominfo")
    page.context.close()

    # the catalogue without Diskominfo's registry: its own OPD names stand in the picker
    page = portal.open("data.html")
    assert page.locator("#saring-opd option").count() == 32
    assert int(figure(page, "hasil").replace(".", "")) > 300
    page.context.close()

    # and with the open-data portal's subgraph down too: the catalogue it answered lately
    # stays; once that is dropped, the page says so and the rest of the portal is untouched
    catalogue = city.ask("KatalogData", {"lewati": 0})
    stop(city, "satudata", 4017)
    kept = city.ask("KatalogData", {"lewati": 0})
    assert kept["data"]["cariDataset"] == catalogue["data"]["cariDataset"]
    assert stale_services(kept) <= {"satudata"}
    page = portal.open("data.html")
    assert page.locator('#katalog [data-unavailable~="satudata"]').count() == 0
    assert page.locator("#katalog [data-stale]").count() == len(stale_services(kept))
    assert figure(page, "hasil") == angka(catalogue["data"]["cariDataset"]["jumlah"])
    page.context.close()
    city.forget("satudata")
    page = portal.open("data.html")
    expect(page.locator('#katalog [data-unavailable~="satudata"]')).to_contain_text(
        "Satu Data Kota Pontianak"
    )
    assert figure(page, "hasil") == "\u2013"
    portal.shoot(page, "katalog-data-tanpa-satudata")
    page.context.close()
    page = portal.open("data.html?id=jumlah-penduduk-menurut-kelurahan")
    expect(page.locator('#rincian [data-unavailable~="satudata"]')).to_be_visible()
    page.context.close()
    page = portal.open("")
    beranda = city.ask("Beranda", {"tahun": tahun})["data"]
    assert figure(page, "penduduk") == angka(beranda["pendudukKota"]["jumlah"])
    page.context.close()
