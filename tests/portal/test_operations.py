"""The portal's operations (``portal/operations/*.graphql``) are valid against the client
schema ``schema/api.graphql``: one named operation per file, named after the file, so that a
schema change that would break a page fails here first."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = sorted((ROOT / "portal" / "operations").glob("*.graphql"))
API_SCHEMA = build_schema((ROOT / "schema" / "api.graphql").read_text(encoding="utf-8"))


def test_the_portal_has_its_operations() -> None:
    names = {path.stem for path in OPERATIONS}
    assert {"Beranda", "KatalogAplikasi", "ProfilOpd", "ProfilKelurahan"} <= names


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda path: path.stem)
def test_operation_is_valid_against_the_api_schema(path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))
    errors = validate(API_SCHEMA, document)
    assert not errors, [error.message for error in errors]
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, "one operation per file"
    assert operations[0].name is not None and operations[0].name.value == path.stem
    assert operations[0].operation.value == "query", "the portal only reads"


def test_the_trusted_documents_manifest_is_current() -> None:
    from gateway import cli

    manifest = ROOT / "portal" / "persisted-documents.json"
    operations = str(ROOT / "portal" / "operations")
    assert cli.main(["documents", "manifest", operations, "-o", str(manifest), "--check"]) == 0, (
        "run: simpul documents manifest portal/operations -o portal/persisted-documents.json"
    )
