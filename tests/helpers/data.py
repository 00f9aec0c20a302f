"""Test data in folders beside the tests that read it, reached in one way.

A folder of tests with data files makes its fixtures in its ``conftest.py``
with :func:`data_fixtures`::

    ics_files, pytest_generate_tests = data_fixtures(__file__, "ics")

``ics_files`` is a :class:`DataFolder` of that folder (so are ``json_files``
and ``markdown_files``, and ``hostile_files``, the hostile corpus, made in
``tests/conftest.py`` because tests of several folders read it). A test asks
for a file by its name below the folder::

    def test_a_google_export(ics_files):
        text = ics_files.read_text("samples/google.ics")

and runs once per file of a pattern with the ``data_files`` mark and the
fixture's singular name (``ics_file``, ...), which is each file's path::

    @pytest.mark.data_files("producers/*.ics")
    def test_a_producers_file(ics_file):
        ...

A name or a pattern that is not there fails, naming the folder and what it
holds. This is icalendar's ``calendars`` fixture, without the parsing: the
tests here read the same file as text, bytes and a path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent.parent
"""The repository's ``tests/``."""

MARK = "data_files"
"""The mark that names the files a test runs over: ``@pytest.mark.data_files("golden/*.md")``."""

_GLOB = frozenset("*?[")
_LISTED = 20
"""How many names a message lists at most."""


class MissingDataFile(LookupError):
    """A data file (or a pattern's files) that a test asks for is not there."""


class DataFolder:
    """The data files of one folder of tests: paths, text, bytes and JSON by
    name (``"golden/sco.ics"``, below the folder), and the files of a pattern."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def beside(cls, file: str, *parts: str) -> DataFolder:
        """The folder of ``file`` (a conftest's ``__file__``), or one below it."""
        return cls(Path(file).resolve().parent.joinpath(*parts))

    def __repr__(self) -> str:
        return f"DataFolder({self.where!r})"

    def __truediv__(self, name: str) -> DataFolder:
        """The folder below: ``ics_files / "golden"``. It need not exist yet
        (regenerating golden files writes it)."""
        return DataFolder(self.root / name)

    @property
    def where(self) -> str:
        """The folder as messages name it: ``tests/formats/ics``."""
        try:
            return self.root.relative_to(TESTS.parent).as_posix()
        except ValueError:
            return str(self.root)

    # -- one file ----------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        """The path of the file ``name``, which must be there."""
        path = self.root / name
        if not path.is_file():
            raise MissingDataFile(self._missing(name))
        return path

    __getitem__ = path

    def read_bytes(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def read_text(self, name: str) -> str:
        """The file as UTF-8 text, its line endings read as :meth:`Path.read_text` reads them."""
        return self.path(name).read_text(encoding="utf-8")

    def read_json(self, name: str) -> Any:
        return json.loads(self.read_text(name))

    def write(self, name: str, data: str | bytes) -> Path:
        """Write the file (a golden file being regenerated) exactly: text as
        UTF-8, its line endings as they are."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    # -- the files of a pattern --------------------------------------------------------------

    def paths(self, pattern: str = "*") -> list[Path]:
        """The files (not folders) that match the glob ``pattern``, sorted; at least one."""
        found = sorted(p for p in self.root.glob(pattern) if p.is_file())
        if not found:
            raise MissingDataFile(f"no file in {self.where} matches {pattern!r}{self._holds()}")
        return found

    def names(self, pattern: str = "*") -> list[str]:
        """The names below the folder of the files that match ``pattern``: ``golden/sco.ics``."""
        return [self.name(path) for path in self.paths(pattern)]

    def name(self, path: Path) -> str:
        """The name of ``path`` below the folder."""
        return path.relative_to(self.root).as_posix()

    def parametrize(self, metafunc: pytest.Metafunc, argname: str) -> None:
        """For a ``pytest_generate_tests`` hook: a test that asks for ``argname``
        runs once per file of its ``data_files`` mark, with the file's path.
        Each run's id is the name below the pattern's folder (``producers/*.ics``
        gives ``google-events.ics``)."""
        if argname not in metafunc.fixturenames:
            return
        mark = metafunc.definition.get_closest_marker(MARK)
        if mark is None or len(mark.args) != 1 or mark.kwargs:
            pytest.fail(
                f"{metafunc.definition.nodeid} asks for {argname!r}: say which files of "
                f"{self.where} with @pytest.mark.{MARK}('pattern')",
                pytrace=False,
            )
        (pattern,) = mark.args
        base = self.root.joinpath(*_folder_of(pattern))
        paths = self.paths(pattern)
        metafunc.parametrize(argname, paths, ids=[p.relative_to(base).as_posix() for p in paths])

    # -- messages ----------------------------------------------------------------------------

    def _missing(self, name: str) -> str:
        folder = (self.root / name).parent
        if not folder.is_dir():
            return (
                f"no data file {name!r} in {self.where}: there is no folder {self.name(folder)!r}"
            )
        return f"no data file {name!r} in {self.where}{DataFolder(folder)._holds(self.root)}"

    def _holds(self, root: Path | None = None) -> str:
        if not self.root.is_dir():
            return " (the folder does not exist)"
        names = sorted(
            p.relative_to(root or self.root).as_posix() + ("/" if p.is_dir() else "")
            for p in self.root.iterdir()
        )
        if not names:
            return " (the folder is empty)"
        more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
        return f" (it holds {', '.join(names[:_LISTED])}{more})"


def data_fixtures(
    conftest: str, name: str, *parts: str
) -> tuple[Any, Callable[[pytest.Metafunc], None]]:
    """For a ``conftest.py``: the fixture ``<name>_files``, the
    :class:`DataFolder` of the conftest's folder (or of the folder ``parts``
    below it), and the ``pytest_generate_tests`` hook that runs a test asking
    for ``<name>_file`` once per file of its ``data_files`` mark."""
    folder = DataFolder.beside(conftest, *parts)

    def files() -> DataFolder:
        return folder

    files.__doc__ = f"The data files of {folder.where}/ (tests/helpers/data.py)."

    def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
        folder.parametrize(metafunc, f"{name}_file")

    return pytest.fixture(files, scope="session", name=f"{name}_files"), pytest_generate_tests


def _folder_of(pattern: str) -> list[str]:
    """The parts of ``pattern`` before its first wildcard: its folder."""
    parts = pattern.split("/")[:-1]
    fixed = []
    for part in parts:
        if _GLOB & set(part):
            break
        fixed.append(part)
    return fixed
