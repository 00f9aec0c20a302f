"""The errors of the library (``timeline.errors``): what each failure raises.

Query methods raise :class:`~timeline.QueryError` (``tests/test_timelines.py``
checks each message); here, that every failure of the file system is a
:class:`~timeline.FileError` whose message names the file as it was given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import timeline
from timeline import FileError, QueryError, TimelineError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a-folder.json").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d, t: timeline.load(d / "missing.json"),
         "{d}/missing.json: cannot read: No such file or directory"),
        (lambda d, t: timeline.load(d / "a-folder.json"),
         "{d}/a-folder.json: cannot read: Is a directory"),
        (lambda d, t: timeline.dump(t, d / "nowhere" / "out.json"),
         "{d}/nowhere/out.json: the folder '{d}/nowhere' does not exist"),
        (lambda d, t: timeline.dump(t, d / "a-folder.json"), "{d}/a-folder.json: is a folder"),
        (lambda d, t: timeline.dump(t, ""), "the name of the file to write is empty"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_or_written_is_a_file_error(folder, call, message):
    with pytest.raises(FileError) as caught:
        call(folder, timeline.example("sco"))
    assert str(caught.value) == message.format(d=folder)
    assert isinstance(caught.value, TimelineError)
    assert list(folder.iterdir()) == [folder / "a-folder.json"]


def test_a_query_error_is_a_timeline_error_and_a_value_error():
    assert issubclass(QueryError, TimelineError)
    assert issubclass(QueryError, ValueError)
    assert not issubclass(FileError, ValueError)
