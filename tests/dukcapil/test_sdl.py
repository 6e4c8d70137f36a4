"""No output field of dukcapil's schema could carry a resident's identity (that the
exported SDL is current: tests/city/test_registry.py)."""

from __future__ import annotations

import re

from graphql import GraphQLObjectType

from subgraphs.dukcapil.schema import schema

PERSONAL = re.compile(r"nik|nokk|kk$|lahir|lengkap|alamat|ibu|ayah|agama|kawin|nip", re.I)


def test_no_output_field_carries_personal_data() -> None:
    built = schema._schema
    fields = [
        (type_.name, name)
        for type_ in built.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("_")
        for name in type_.fields
    ]
    assert ("Kelurahan", "penduduk") in fields
    assert [f for f in fields if PERSONAL.search(f[1])] == []
    # Personal data goes in, as the arguments of one check, and never comes out
    assert built.mutation_type is not None
    verifikasi = built.mutation_type.fields["verifikasiPenduduk"]
    assert set(verifikasi.args) == {"nik", "nama", "tanggalLahir"}
    assert str(verifikasi.type) == "VerifikasiPenduduk"
    result = built.type_map["VerifikasiPenduduk"]
    assert isinstance(result, GraphQLObjectType)
    assert set(result.fields) == {"hasil", "diperiksa", "sumber"}
