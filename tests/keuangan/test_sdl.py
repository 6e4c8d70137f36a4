"""Nothing personal in ``schema/keuangan.graphql`` (that the file is current:
tests/city/test_registry.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_opd_is_extended_with_its_key_and_budget_only() -> None:
    sdl = (ROOT / "schema" / "keuangan.graphql").read_text()
    opd = sdl.split('type Opd @key(fields: "kode") {', 1)[1].split("}", 1)[0]
    fields = [line.split("(")[0].split(":")[0].strip() for line in opd.splitlines()]
    assert [f for f in fields if f and not f.startswith('"')] == ["kode", "anggaran"]
    for word in ("nik", "nip", "pegawai", "nama_pegawai"):
        assert f" {word}:" not in sdl.lower()
