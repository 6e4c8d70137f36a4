"""Representations for leaf-only keys are built and de-duplicated like the general ones."""

from __future__ import annotations

from gateway.executor.fetching import _flat_representation, _flat_requires, _representation
from gateway.planner.plan import InputField, InputFragment

REQUIRES = (
    InputFragment(
        type_condition="Sekolah",
        possible_types=frozenset({"Sekolah"}),
        selections=(InputField("npsn", "npsn"), InputField("tahun", "t")),
    ),
)


def flat(obj: dict[str, object]) -> tuple[dict[str, object], bytes] | None:
    compiled = _flat_requires(REQUIRES)
    assert compiled is not None
    return _flat_representation(obj, compiled)


def test_same_representation_as_the_general_builder() -> None:
    obj = {"__typename": "Sekolah", "npsn": "30193121", "t": 2025, "nama": "SD 1"}
    found = flat(obj)
    assert found is not None
    assert found[0] == _representation(obj, REQUIRES)
    assert list(found[0]) == ["__typename", "npsn", "tahun"]


def test_missing_field_or_other_type_gives_none() -> None:
    assert flat({"__typename": "Sekolah", "npsn": "1"}) is None
    assert flat({"__typename": "Opd", "npsn": "1", "t": 1}) is None


def test_identity_tells_values_of_different_types_apart() -> None:
    one = flat({"__typename": "Sekolah", "npsn": "1", "t": 1})
    true = flat({"__typename": "Sekolah", "npsn": "1", "t": True})
    again = flat({"__typename": "Sekolah", "npsn": "1", "t": 1, "other": "x"})
    assert one is not None and true is not None and again is not None
    assert one[1] != true[1]
    assert one[1] == again[1]


def test_list_values_are_identified_too() -> None:
    a = flat({"__typename": "Sekolah", "npsn": "1", "t": [1, 2]})
    b = flat({"__typename": "Sekolah", "npsn": "1", "t": [1, 2]})
    c = flat({"__typename": "Sekolah", "npsn": "1", "t": [2, 1]})
    assert a is not None and b is not None and c is not None
    assert a[1] == b[1] != c[1]


def test_nested_requirements_are_not_flat() -> None:
    nested = (
        InputFragment(
            type_condition="Izin",
            possible_types=frozenset({"Izin"}),
            selections=(InputField("usaha", "usaha", (InputField("nib", "nib"),)),),
        ),
    )
    assert _flat_requires(nested) is None
