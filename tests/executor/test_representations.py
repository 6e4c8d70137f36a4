"""Gathering an entity fetch's targets and representations.

Leaf-only keys get a generated gatherer; it must find the same targets in the same order,
the same distinct representations and the same positions as the general one, on any data.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from gateway.executor.representations import (
    _gather_general,
    gatherer,
    representation,
    target_paths,
    targets,
)
from gateway.planner.plan import InputField, InputFragment

SEKOLAH = InputFragment(
    type_condition="Sekolah",
    possible_types=frozenset({"Sekolah"}),
    selections=(InputField("npsn", "npsn"), InputField("tahun", "t")),
)
OPD = InputFragment(
    type_condition="Unit",
    typename="Unit",  # an @interfaceObject: sent as the interface
    possible_types=frozenset({"Opd", "Badan"}),
    selections=(InputField("kode", "kode"),),
)
REQUIRES = (SEKOLAH, OPD)
NPSN_ONLY = (
    InputFragment(
        type_condition="Sekolah",
        possible_types=frozenset({"Sekolah"}),
        selections=(InputField("npsn", "npsn"),),
    ),
)
REQUIREMENTS = {"two types": REQUIRES, "one type, two fields": (SEKOLAH,), "one field": NPSN_ONLY}
PATHS = [
    ("items", "@"),
    ("items", "@", "owner"),
    ("items", "@", "|[Sekolah,Opd]"),
    ("items", "@", "children", "@"),
    ("one",),
]


def gather(data: Any, path: tuple[str, ...]) -> Any:
    return gatherer(path, REQUIRES)(data)


def test_leaf_keys_are_compiled_and_nested_ones_are_not() -> None:
    nested = (
        InputFragment(
            type_condition="Izin",
            possible_types=frozenset({"Izin"}),
            selections=(InputField("usaha", "usaha", (InputField("nib", "nib"),)),),
        ),
    )
    assert gatherer(("a",), REQUIRES).__name__ == "gather"
    assert not hasattr(gatherer(("a",), nested), "__name__")  # the general one, bound


def test_representations_are_sent_once_per_entity() -> None:
    data = {
        "items": [
            {"__typename": "Sekolah", "npsn": "1", "t": 2025, "nama": "SD 1"},
            {"__typename": "Opd", "kode": "1.01"},
            {"__typename": "Sekolah", "npsn": "1", "t": 2025, "nama": "again"},
            {"__typename": "Badan", "kode": "1.01"},
            {"__typename": "Sekolah", "npsn": "2"},  # lacks a required field
            {"__typename": "Other", "npsn": "3", "t": 1},
        ]
    }
    found, reps, positions = gather(data, ("items", "@"))
    assert found == data["items"]
    assert reps == [
        {"__typename": "Sekolah", "npsn": "1", "tahun": 2025},
        {"__typename": "Unit", "kode": "1.01"},
    ]
    assert [list(r) for r in reps] == [["__typename", "npsn", "tahun"], ["__typename", "kode"]]
    assert positions == [[0, 2], [1, 3]]


def test_identity_tells_values_of_different_types_apart() -> None:
    items = [
        {"__typename": "Sekolah", "npsn": "1", "t": 1},
        {"__typename": "Sekolah", "npsn": "1", "t": True},
        {"__typename": "Sekolah", "npsn": "1", "t": 1.0},
        {"__typename": "Sekolah", "npsn": "1", "t": 1, "other": "x"},
        {"__typename": "Sekolah", "npsn": "1", "t": [1, 2]},
        {"__typename": "Sekolah", "npsn": "1", "t": [1, 2]},
        {"__typename": "Sekolah", "npsn": "1", "t": "1"},
    ]
    _, reps, positions = gather({"items": items}, ("items", "@"))
    assert [r["tahun"] for r in reps] == [1, True, 1.0, [1, 2], "1"]
    assert positions == [[0, 3], [1], [2], [4, 5], [6]]


def _value(rng: random.Random) -> Any:
    return rng.choice(["1", "2", 1, 1.0, True, None, [1], {"a": 1}])


def _obj(rng: random.Random, depth: int) -> Any:
    if rng.random() < 0.1:
        return rng.choice([None, "text", 3, [], {}])
    obj: dict[str, Any] = {}
    if rng.random() < 0.95:  # an object without its typename has no representation
        obj["__typename"] = rng.choice(["Sekolah", "Opd", "Badan", "Other"])
    for key in ("npsn", "t", "kode"):
        if rng.random() < 0.85:
            obj[key] = _value(rng)
    if depth < 2:
        if rng.random() < 0.7:
            obj["owner"] = _obj(rng, depth + 1)
        if rng.random() < 0.7:
            obj["children"] = [_obj(rng, depth + 1) for _ in range(rng.randrange(4))]
            if rng.random() < 0.05:  # an unmarked nested list
                obj["children"] = [obj["children"]]
    return obj


@pytest.mark.parametrize("requires", REQUIREMENTS.values(), ids=REQUIREMENTS.keys())
@pytest.mark.parametrize("path", PATHS, ids="/".join)
def test_compiled_gatherer_agrees_with_the_general_one(
    path: tuple[str, ...], requires: tuple[InputFragment, ...]
) -> None:
    rng = random.Random(len(path) * 31 + len(requires))
    for _ in range(400):
        data: dict[str, Any] = {
            "items": rng.choice([[_obj(rng, 0) for _ in range(rng.randrange(8))], None, {}]),
            "one": _obj(rng, 0),
        }
        compiled = gatherer(path, requires)(data)
        general = _gather_general(data, path, requires)
        assert compiled[0] == general[0]
        assert all(a is b for a, b in zip(compiled[0], general[0], strict=True))
        assert compiled[1] == general[1]
        assert compiled[2] == general[2]
        assert len(target_paths(data, path)) == len(targets(data, path)) == len(compiled[0])


def test_one_field_identity_tells_values_of_different_types_apart() -> None:
    items = [
        {"__typename": "Sekolah", "npsn": value}
        for value in ("1", 1, 1.0, True, "1", [1], [1], None, None)
    ]
    _, reps, positions = gatherer(("items", "@"), NPSN_ONLY)({"items": items})
    assert [r["npsn"] for r in reps] == ["1", 1, 1.0, True, [1], None]
    assert positions == [[0, 4], [1], [2], [3], [5, 6], [7, 8]]
    assert all(r["__typename"] == "Sekolah" for r in reps)


def test_general_builder_for_nested_requirements() -> None:
    nested = (
        InputFragment(
            type_condition="Izin",
            possible_types=frozenset({"Izin"}),
            selections=(InputField("usaha", "usaha", (InputField("nib", "nib"),)),),
        ),
    )
    obj = {"__typename": "Izin", "usaha": {"nib": "9", "nama": "x"}}
    assert representation(obj, nested) == {"__typename": "Izin", "usaha": {"nib": "9"}}
    assert representation({"__typename": "Izin", "usaha": {}}, nested) is None


def test_objects_of_one_entity_in_a_row_are_one_representation() -> None:
    price = 85_000  # one entity answer merged into every object: the same int object
    other = int("85000")  # equal, but another object
    items = [
        {"__typename": "Sekolah", "npsn": "1", "t": price},
        {"__typename": "Sekolah", "npsn": "1", "t": price},
        {"__typename": "Sekolah", "npsn": "".join("1"), "t": price},  # an equal string
        {"__typename": "Sekolah", "npsn": "1", "t": other},
        {"__typename": "Sekolah", "npsn": "1", "t": True},
        {"__typename": "Sekolah", "npsn": "1", "t": 1},
        {"__typename": "Sekolah", "npsn": "1", "t": 1.0},
        {"__typename": "Opd", "kode": "1"},
        {"__typename": "Sekolah", "npsn": "1", "t": price},
    ]
    compiled = gatherer(("items", "@"), REQUIRES)({"items": items})
    assert compiled == _gather_general({"items": items}, ("items", "@"), REQUIRES)
    _, reps, positions = compiled
    assert [r.get("tahun") for r in reps] == [85_000, True, 1, 1.0, None]
    assert positions == [[0, 1, 2, 3, 8], [4], [5], [6], [7]]
