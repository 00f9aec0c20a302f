"""The data folders of the tests (``helpers/data.py``): a file by name, the
files of a pattern, and a name that is not there failing with the folder named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.data import TESTS, DataFolder, MissingDataFile


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    (tmp_path / "golden").mkdir()
    (tmp_path / "golden" / "b.ics").write_bytes(b"B\r\n")
    (tmp_path / "golden" / "a.ics").write_bytes(b"A\r\n")
    (tmp_path / "golden" / "a.md").write_bytes(b"# A\n")
    (tmp_path / "data.json").write_text('{"texts": ["x"]}', encoding="utf-8")
    return DataFolder(tmp_path)


def test_a_file_by_its_name(folder: DataFolder) -> None:
    assert folder.path("golden/a.ics") == folder.root / "golden" / "a.ics"
    assert folder["golden/a.ics"] == folder.path("golden/a.ics")
    assert folder.read_bytes("golden/a.ics") == b"A\r\n"
    assert folder.read_text("golden/a.ics") == "A\n"  # as Path.read_text reads it
    assert folder.read_json("data.json") == {"texts": ["x"]}
    assert (folder / "golden").read_bytes("b.ics") == b"B\r\n"


def test_the_files_of_a_pattern(folder: DataFolder) -> None:
    assert folder.names("golden/*.ics") == ["golden/a.ics", "golden/b.ics"]
    assert (folder / "golden").names("*.ics") == ["a.ics", "b.ics"]
    assert folder.names() == ["data.json"]  # files only, not the folder golden/
    assert folder.paths("*/*.md") == [folder.root / "golden" / "a.md"]


def test_a_name_that_is_not_there_names_the_folder_and_what_it_holds(folder: DataFolder) -> None:
    with pytest.raises(MissingDataFile) as caught:
        folder.path("golden/c.ics")
    assert str(caught.value) == (
        f"no data file 'golden/c.ics' in {folder.root} "
        "(it holds golden/a.ics, golden/a.md, golden/b.ics)"
    )
    with pytest.raises(MissingDataFile, match="there is no folder 'samples'"):
        folder.read_text("samples/google.ics")
    with pytest.raises(MissingDataFile, match=r"it holds data\.json, golden/\)$"):
        folder.read_bytes("golden")  # a folder is not a file
    with pytest.raises(MissingDataFile, match=r"matches 'golden/\*\.csv' \(it holds data"):
        folder.paths("golden/*.csv")
    with pytest.raises(MissingDataFile, match=r"\(the folder does not exist\)$"):
        (folder / "nowhere").names()


def test_the_fixtures_name_the_folders_below_tests(hostile_files: DataFolder) -> None:
    assert hostile_files.root == TESTS / "corpus" / "hostile"
    with pytest.raises(
        MissingDataFile, match=r"^no data file .nope\.ics. in tests/corpus/hostile/ics \(it holds "
    ):
        (hostile_files / "ics").path("nope.ics")


def test_writing_makes_the_folder_and_keeps_line_endings(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path) / "golden"
    path = folder.write("x.md", "a\r\nb\n")
    assert path.read_bytes() == b"a\r\nb\n"
    assert folder.write("y.ics", b"\xff") == tmp_path / "golden" / "y.ics"


class _Metafunc:
    """What :meth:`DataFolder.parametrize` uses of a :class:`pytest.Metafunc`."""

    def __init__(self, argname: str, mark: pytest.Mark | None) -> None:
        self.fixturenames = [argname]
        self.definition = self
        self.nodeid = "test_x.py::test_x"
        self.mark = mark
        self.calls: list[tuple[str, list[Path], list[str]]] = []

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        assert name == "data_files"
        return self.mark

    def parametrize(self, argname: str, values: list[Path], ids: list[str]) -> None:
        self.calls.append((argname, values, ids))


def _mark(*args: Any) -> pytest.Mark:
    return pytest.mark.data_files(*args).mark


def test_a_test_runs_once_per_file_of_its_mark(folder: DataFolder) -> None:
    meta: Any = _Metafunc("x_file", _mark("golden/*.ics"))
    folder.parametrize(meta, "x_file")
    paths = [folder.root / "golden" / "a.ics", folder.root / "golden" / "b.ics"]
    assert meta.calls == [("x_file", paths, ["a.ics", "b.ics"])]  # ids below golden/
    meta = _Metafunc("x_file", _mark("*/*.md"))
    folder.parametrize(meta, "x_file")
    assert meta.calls[0][2] == ["golden/a.md"]
    meta = _Metafunc("other", None)
    folder.parametrize(meta, "x_file")  # a test that does not ask for x_file
    assert meta.calls == []


@pytest.mark.parametrize(
    "mark", [None, _mark(), _mark("a", "b")], ids=["no-mark", "no-pattern", "two-patterns"]
)
def test_a_test_without_its_pattern_fails_to_collect(folder: DataFolder, mark: Any) -> None:
    meta: Any = _Metafunc("x_file", mark)
    with pytest.raises(pytest.fail.Exception, match=r"@pytest\.mark\.data_files\('pattern'\)"):
        folder.parametrize(meta, "x_file")


@pytest.mark.data_files("json/hostile-titles.json")
def test_the_mark_drives_the_fixture(
    hostile_file: Path, hostile_files: DataFolder, request: pytest.FixtureRequest
) -> None:
    assert hostile_files.name(hostile_file) == "json/hostile-titles.json"
    assert request.node.callspec.id == "hostile-titles.json"
