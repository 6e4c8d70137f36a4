"""Client documents: several operations and fragments per file, fragments shared across
files and folders, each operation validated on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema

from gateway.check import OperationsError, load_operations
from gateway.check.operations import used_coordinates, validate_operation

SCHEMA = build_schema(
    "type Query { kecamatan: [Kecamatan!]! } type Kecamatan { kode: ID! nama: String! }"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_by_name(folder: Path) -> dict[str | None, tuple[str, ...]]:
    return {op.name: validate_operation(op, SCHEMA) for op in load_operations(folder)}


def test_fragments_are_shared_across_files_and_folders(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.graphql",
        "query A { kecamatan { ...Wilayah } }\nquery B { kecamatan { kode } }",
    )
    write(tmp_path, "shared/wilayah.gql", "fragment Wilayah on Kecamatan { kode ...Nama }")
    write(tmp_path, "shared/nama.graphql", "fragment Nama on Kecamatan { nama }")
    write(tmp_path, "notes.txt", "query Ignored { nope }")
    assert errors_by_name(tmp_path) == {"A": (), "B": ()}


def test_each_operation_is_validated_on_its_own(tmp_path: Path) -> None:
    # B's error is B's alone; the fragment nobody in A spreads does not make A invalid.
    write(tmp_path, "a.graphql", "query A { kecamatan { kode } }\nquery B { kecamatan { luas } }")
    write(tmp_path, "unused.graphql", "fragment Unused on Kecamatan { kode }")
    assert errors_by_name(tmp_path) == {
        "A": (),
        "B": ("Cannot query field 'luas' on type 'Kecamatan'. (line 2, column 23)",),
    }


def test_an_error_in_a_fragment_of_another_file_says_which_file(tmp_path: Path) -> None:
    write(tmp_path, "a.graphql", "query A { kecamatan { ...K } }")
    fragment = write(tmp_path, "k.graphql", "fragment K on Kecamatan {\n  luas\n}")
    (errors,) = errors_by_name(tmp_path).values()
    assert errors == (
        f"Cannot query field 'luas' on type 'Kecamatan'. ({fragment}, line 2, column 3)",
    )


def test_a_missing_or_twice_defined_fragment_is_an_error_of_its_operations(tmp_path: Path) -> None:
    write(
        tmp_path, "a.graphql", "query A { kecamatan { ...Missing } } query B { kecamatan { ...K } }"
    )
    write(tmp_path, "k1.graphql", "fragment K on Kecamatan { kode }")
    write(tmp_path, "k2.graphql", "fragment K on Kecamatan { nama }")
    found = errors_by_name(tmp_path)
    assert found["A"][0].startswith("Unknown fragment 'Missing'.")
    assert found["B"][0].startswith("There can be only one fragment named 'K'.")


def test_a_file_that_does_not_parse_is_one_invalid_entry(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.graphql", "query Broken { kecamatan { kode }")
    write(tmp_path, "ok.graphql", "{ kecamatan { kode } }")
    operations = load_operations(tmp_path)
    assert [(op.name, op.file) for op in operations] == [
        (None, str(broken)),
        (None, str(tmp_path / "ok.graphql")),
    ]
    assert validate_operation(operations[0], SCHEMA)[0].startswith("Syntax Error: Expected Name")
    assert validate_operation(operations[1], SCHEMA) == ()


def test_recursive_fragments_terminate(tmp_path: Path) -> None:
    write(tmp_path, "a.graphql", "query A { kecamatan { ...X } } fragment X on Kecamatan { ...X }")
    assert errors_by_name(tmp_path)["A"][0].startswith("Cannot spread fragment 'X' within itself.")


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(OperationsError, match="not a folder"):
        load_operations(tmp_path / "missing")


def test_what_an_operation_uses(tmp_path: Path) -> None:
    schema = build_schema(
        "type Query { izin(filter: Filter, status: Status): [Izin!]! other: Int }"
        "type Izin { nomor: ID! status: Status! usaha: Usaha } type Usaha { nib: ID! }"
        "enum Status { TERBIT DICABUT } input Filter { tahun: Int }"
    )
    write(
        tmp_path,
        "a.graphql",
        "query A($f: Filter, $raw: Boolean!) { izin(filter: $f, status: TERBIT) "
        "{ nomor ... on Izin { usaha @include(if: $raw) { nib } } } }",
    )
    (operation,) = load_operations(tmp_path)
    assert used_coordinates(operation, schema) == {
        "Query.izin",
        "Izin.nomor",
        "Izin.usaha",
        "Usaha.nib",
        "@include",
        *("Query", "Izin", "Usaha", "ID", "Filter", "Status", "Boolean"),
    }
