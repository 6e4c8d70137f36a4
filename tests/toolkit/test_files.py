"""The file-export adapter: CSV and JSON exports, reloaded when they change, the last good
copy kept when a new one is broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from subgraphs.toolkit import UpstreamBadResponse, UpstreamUnavailable
from subgraphs.toolkit.adapters import FileExportSource

FASILITAS = (
    "kode,nama,jenis,kode_kelurahan\n"
    "P6171010101,Puskesmas Pal Lima,puskesmas,61.71.01.1001\n"
    "R6171020201,RSUD Sultan Syarif Mohamad Alkadrie,rumah_sakit,\n"
)


def write(path: Path, content: str | bytes, tick: int) -> None:
    """Write ``content`` with modification time ``tick`` seconds after a fixed instant,
    so that a change is seen even within the filesystem's time resolution."""
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    stamp = (1_700_000_000 + tick) * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path / "fasilitas.csv", FASILITAS, tick=0)
    return tmp_path


async def test_csv_records(folder: Path) -> None:
    dinkes = FileExportSource("dinkes", folder)
    records = await dinkes.records("fasilitas.csv")
    assert records == [
        {
            "kode": "P6171010101",
            "nama": "Puskesmas Pal Lima",
            "jenis": "puskesmas",
            "kode_kelurahan": "61.71.01.1001",
        },
        {
            "kode": "R6171020201",
            "nama": "RSUD Sultan Syarif Mohamad Alkadrie",
            "jenis": "rumah_sakit",
            "kode_kelurahan": None,
        },
    ]
    assert await dinkes.records("fasilitas.csv") is records  # unchanged: not parsed again


async def test_a_changed_file_is_reloaded(folder: Path) -> None:
    dinkes = FileExportSource("dinkes", folder)
    assert len(await dinkes.records("fasilitas.csv")) == 2
    write(folder / "fasilitas.csv", FASILITAS + "K6171030301,Klinik Pratama Tengah,klinik,\n", 1)
    assert [r["kode"] for r in await dinkes.records("fasilitas.csv")][-1] == "K6171030301"


async def test_a_broken_file_keeps_the_last_good_copy(folder: Path) -> None:
    dinkes = FileExportSource("dinkes", folder)
    good = await dinkes.records("fasilitas.csv")
    # a half-copied export: the last line stops mid-record
    write(folder / "fasilitas.csv", FASILITAS + "K6171030301,Klinik Pra", tick=1)
    with pytest.raises(UpstreamBadResponse, match="line 4") as caught:
        await dinkes.records("fasilitas.csv")
    assert caught.value.code == "UPSTREAM_BAD_RESPONSE"
    assert dinkes.last_good("fasilitas.csv") is good
    with pytest.raises(UpstreamBadResponse):  # same broken version: the same answer
        await dinkes.records("fasilitas.csv")
    write(folder / "fasilitas.csv", FASILITAS.replace("Pal Lima", "Kampung Bali"), tick=2)
    assert (await dinkes.records("fasilitas.csv"))[0]["nama"] == "Puskesmas Kampung Bali"


async def test_serve_stale_answers_with_the_last_good_copy(folder: Path) -> None:
    dinkes = FileExportSource("dinkes", folder, serve_stale=True)
    good = await dinkes.records("fasilitas.csv")
    write(folder / "fasilitas.csv", b"kode,nama\n\xff\xfe,rusak\n", tick=1)
    assert await dinkes.records("fasilitas.csv") is good


async def test_a_broken_file_with_no_good_copy_fails(folder: Path) -> None:
    write(folder / "rusak.csv", 'kode,nama\n"P1,tanpa tutup kutip\n', tick=0)
    dinkes = FileExportSource("dinkes", folder, serve_stale=True)
    with pytest.raises(UpstreamBadResponse):
        await dinkes.records("rusak.csv")
    assert dinkes.last_good("rusak.csv") is None


async def test_json_exports(folder: Path) -> None:
    data = {"data": {"fasilitas": [{"kode": "P6171010101", "tempat_tidur": 12}]}}
    write(folder / "fasilitas.json", json.dumps(data), tick=0)
    dinkes = FileExportSource("dinkes", folder, json_items="data.fasilitas")
    assert await dinkes.records("fasilitas.json") == [{"kode": "P6171010101", "tempat_tidur": 12}]
    write(folder / "fasilitas.json", '{"data": {"fasilitas": [{"kode": "P61', tick=1)
    with pytest.raises(UpstreamBadResponse):
        await dinkes.records("fasilitas.json")
    write(folder / "fasilitas.json", '{"data": {"fasilitas": {"kode": "x"}}}', tick=2)
    with pytest.raises(UpstreamBadResponse, match="list of objects"):
        await dinkes.records("fasilitas.json")
    assert dinkes.last_good("fasilitas.json") == [{"kode": "P6171010101", "tempat_tidur": 12}]


async def test_excel_csv_with_bom_and_semicolons(folder: Path) -> None:
    write(folder / "excel.csv", "\ufeffkode;nama\r\nP1;Puskesmas Siantan Hilir\r\n".encode(), 0)
    dinkes = FileExportSource("dinkes", folder, csv_delimiter=";")
    assert await dinkes.records("excel.csv") == [{"kode": "P1", "nama": "Puskesmas Siantan Hilir"}]


async def test_records_by_key(folder: Path) -> None:
    dinkes = FileExportSource("dinkes", folder)
    found = await dinkes.records_by_key("fasilitas.csv", "kode", ["R6171020201", "X"])
    assert list(found) == ["R6171020201"]
    assert found["R6171020201"]["jenis"] == "rumah_sakit"


async def test_a_missing_export_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(UpstreamUnavailable, match="is unavailable"):
        await FileExportSource("dinkes", tmp_path).records("belum_ada.csv")
    with pytest.raises(UpstreamUnavailable):
        await FileExportSource("dinkes", tmp_path / "tidak_ada").records("fasilitas.csv")


@pytest.mark.parametrize("name", ["../fasilitas.csv", "sub/fasilitas.csv", "fasilitas.xlsx"])
async def test_only_plain_csv_and_json_names(folder: Path, name: str) -> None:
    with pytest.raises(ValueError):
        await FileExportSource("dinkes", folder).records(name)
