"""Data files that contradict themselves fail loudly when first loaded."""

from __future__ import annotations

import pytest

from subgraphs.reference import ReferenceDataError, datafiles, wilayah


def test_comment_lines_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# where it comes from\n# more\na,b\n1,2\n"
    monkeypatch.setattr(datafiles, "read_text", lambda name, package="": text)
    assert datafiles.read_csv("x.csv", ("a", "b")) == [{"a": "1", "b": "2"}]


@pytest.mark.parametrize("text", ["a,c\n1,2\n", "a,b\n1,2,3\n", "a,b\n1\n"])
def test_wrong_header_or_field_count(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(datafiles, "read_text", lambda name, package="": text)
    with pytest.raises(ReferenceDataError, match=r"x\.csv"):
        datafiles.read_csv("x.csv", ("a", "b"))


def test_a_crosswalk_that_repeats_a_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = datafiles.read_text

    def broken(name: str, package: str = datafiles.PACKAGE) -> str:
        text = real(name, package)
        if name == "crosswalk_dapodik.csv":
            return text.replace("kelurahan,136102,", "kelurahan,136101,")
        return text

    monkeypatch.setattr(datafiles, "read_text", broken)
    with pytest.raises(ReferenceDataError, match=r"crosswalk_dapodik\.csv"):
        wilayah._wilayah.__wrapped__()


def test_a_kelurahan_under_the_wrong_kecamatan_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = datafiles.read_text

    def broken(name: str, package: str = datafiles.PACKAGE) -> str:
        text = real(name, package)
        if name == "kelurahan.csv":
            return text.replace("61.71.01.1002,61.71.01,", "61.71.01.1002,61.71.02,")
        return text

    monkeypatch.setattr(datafiles, "read_text", broken)
    with pytest.raises(ReferenceDataError, match=r"61\.71\.01\.1002"):
        wilayah._wilayah.__wrapped__()
