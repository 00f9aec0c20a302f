"""Nothing lost: an export of a built-in format that fails halfway, with a
bug or Ctrl-C, leaves no partial file and the previous file as it was, from
the library and from the command line; ``validate`` reports every problem of
a file in one pass, whatever its format; the types the API takes, what
``dump_many`` and ``progress=`` do, and file system failures as ``FileError``.

The failure is injected into something each exporter calls once per event as
it writes (``tests/test_plugins.py`` does the same for a plugin's exporter).
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers.plugins import csv_plugin

import timeline
from timeline import atomic, cli, files
from timeline.default_plugins import json_format, markdown_format
from timeline.default_plugins.ics import export as ics_export
from timeline.testing import synthetic_timeline

AFTER = 10
"""The injected failure comes with the 11th event of the SCO example's 33."""

# (module or class, name): a function the exporter calls once per event it writes.
PER_EVENT: dict[str, tuple[Any, str]] = {
    "json": (json_format.JSONEventWriter, "write"),
    "ics": (ics_export, "write_vevent"),
    "markdown": (markdown_format, "span_words"),
}
SUFFIX = {"json": ".json", "ics": ".ics", "markdown": ".md"}


class Bug(Exception):
    """The injected failure."""


@contextmanager
def failing(format: str, error: type[BaseException]) -> Iterator[list[int]]:
    """Make the exporter of ``format`` raise ``error`` after AFTER events;
    yields the number of events it had got to (to show that it was halfway)."""
    module, name = PER_EVENT[format]
    original = getattr(module, name)
    seen = [0]

    def fail() -> None:
        seen[0] += 1
        if seen[0] > AFTER:
            raise error("injected halfway")

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fail()
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, name, wrapper)
        yield seen


def test_the_injection_hits_each_exporter_halfway(sco, tmp_path):
    for format in PER_EVENT:
        with failing(format, Bug) as seen, pytest.raises(Bug):
            timeline.dumps(
                sco, format, **({"dtstamp": "2026-01-01T00:00:00Z"} if format == "ics" else {})
            )
        assert seen[0] == AFTER + 1, format


ERRORS = [Bug, KeyboardInterrupt, MemoryError]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("format", PER_EVENT)
def test_a_failed_export_leaves_the_previous_file(sco, tmp_path, format, error):
    target = tmp_path / f"sco{SUFFIX[format]}"
    target.write_text("the previous export\n", encoding="utf-8")
    target.chmod(0o640)
    with failing(format, error), pytest.raises(error):
        timeline.dump(sco, target)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("format", PER_EVENT)
def test_a_failed_export_creates_no_file(sco, tmp_path, format, error):
    with failing(format, error), pytest.raises(error):
        timeline.dump(sco, tmp_path / f"new{SUFFIX[format]}")
    assert list(tmp_path.iterdir()) == []


def test_the_same_export_without_the_failure_replaces_the_file(sco, tmp_path):
    for format, suffix in SUFFIX.items():
        target = tmp_path / f"sco{suffix}"
        target.write_text("the previous export\n", encoding="utf-8")
        timeline.dump(
            sco, target, **({"dtstamp": "2026-01-01T00:00:00Z"} if format == "ics" else {})
        )
        assert target.read_text(encoding="utf-8") != "the previous export\n"


def test_a_link_stays_a_link_and_the_file_it_points_to_is_replaced(sco, tmp_path):
    real = tmp_path / "exports" / "sco.json"
    real.parent.mkdir()
    real.write_text("the previous export\n", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    timeline.dump(sco, link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == timeline.dumps(sco)
    assert sorted(p.name for p in real.parent.iterdir()) == ["sco.json"]
    with failing("json", Bug), pytest.raises(Bug):
        timeline.dump(sco.of_kind("summit"), link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == timeline.dumps(sco)
    assert sorted(p.name for p in real.parent.iterdir()) == ["sco.json"]


def test_a_device_is_written_to_not_replaced(sco):
    """``-o /dev/null`` (run as root, a rename would put a file in its place)."""
    before = os.stat(os.devnull)
    timeline.dump(sco, os.devnull, format="json")
    after = os.stat(os.devnull)
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode, before.st_rdev, before.st_ino,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_written_to(sco, tmp_path):
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    timeline.dump(sco, pipe, format="json")
    reader.join(timeout=30)
    assert got == [timeline.dumps(sco)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_link_into_a_missing_folder_says_which(sco, tmp_path):
    link = tmp_path / "dangling.json"
    link.symlink_to(tmp_path / "nope" / "sco.json")
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(sco, link)
    assert str(info.value) == (
        f"{link}: links to {str(tmp_path / 'nope' / 'sco.json')!r}, whose folder does not exist"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_reader_that_goes_away_is_an_error_naming_the_pipe(tmp_path):
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def read_a_little() -> None:
        with pipe.open("rb") as reader:
            reader.read(10)

    reader = threading.Thread(target=read_a_little)
    reader.start()
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(synthetic_timeline(3000), pipe, format="json")
    reader.join(timeout=30)
    assert str(info.value) == f"{pipe}: the reader closed the pipe"


def test_a_folder_is_not_a_target(sco, tmp_path):
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(sco, tmp_path, format="json")
    assert str(info.value) == f"{tmp_path}: is a folder"


# -- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outputs", "broken", "error", "status", "message"),
    [
        (["a.json", "b.ics"], "ics", Bug, 1, "error: b.ics: Bug: injected halfway\n"),
        (["b.ics", "a.json"], "json", Bug, 1, "error: a.json: Bug: injected halfway\n"),
        (["a.json", "b.ics", "c.md"], "markdown", KeyboardInterrupt, 130, "error: interrupted\n"),
        (["c.md", "b.ics"], "ics", KeyboardInterrupt, 130, "error: interrupted\n"),
    ],
)
def test_when_one_output_fails_every_file_is_left_as_it_was(
    tmp_path, capsys, outputs, broken, error, status, message
):
    for name in ("a.json", "b.ics", "c.md"):
        (tmp_path / name).write_text(f"the previous {name}\n", encoding="utf-8")
    args = ["export", "example:sco", "--option", "dtstamp=2026-01-01T00:00:00Z"]
    for name in outputs:
        args += ["-o", name]
    with chdir(tmp_path), failing(broken, error):
        assert cli.main(args) == status
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    for name in ("a.json", "b.ics", "c.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == f"the previous {name}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.ics", "c.md"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's")
def test_a_full_device_is_an_error_and_stays_a_device(tmp_path, capsys):
    before = os.stat("/dev/full")
    with chdir(tmp_path):
        assert cli.main(["export", "example:sco", "-f", "json", "-o", "/dev/full"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "error: /dev/full: No space left on device\n")
    after = os.stat("/dev/full")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_written_after_the_files(tmp_path, capsys):
    """A pipe cannot wait for the other exports like a temporary file: it is
    written last, so that an export that fails sends nothing down it."""
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with chdir(tmp_path), failing("markdown", Bug):
            args = ["export", "example:sco", "-o", "pipe.json", "-o", "c.md"]
            assert cli.main(args) == 1
        assert os.read(reader, 100) == b""
    finally:
        os.close(reader)
    assert capsys.readouterr().err.startswith("error: c.md: Bug: injected halfway\n")


def test_standard_output_named_by_a_path_keeps_what_others_write(tmp_path):
    """``-o /dev/stdout`` with standard output going to a file: written through
    the descriptor the command was given, not by truncating the file."""
    script = (f"{{ echo header; {shlex.quote(sys.executable)} -m timeline export example:sco "
              "-f json -o /dev/stdout -q; echo trailer; } > out.txt")  # fmt: skip
    subprocess.run(["bash", "-c", script], cwd=tmp_path, check=True, timeout=120)
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert text == "header\n" + timeline.dumps(timeline.example("sco")) + "trailer\n"


# -- the API: the types it takes, dump_many, progress, file errors -------------------------------


def test_loads_of_bytes_says_that_it_reads_text():
    with pytest.raises(TypeError) as info:
        timeline.loads(b'{"format": "timeline-events", "version": 1, "events": []}')
    assert str(info.value) == (
        "loads() reads text (str), not bytes; decode it first, "
        "or give load() a binary stream such as io.BytesIO(data)"
    )


def test_dump_to_a_binary_stream_says_what_it_writes_to():
    with pytest.raises(TypeError) as info:
        timeline.dump(timeline.example("sco"), io.BytesIO())  # type: ignore[arg-type]
    assert str(info.value) == (
        "dump() writes to a path or to a text stream opened for writing, not a binary "
        "stream (BytesIO); wrap it: io.TextIOWrapper(stream, encoding='utf-8')"
    )


def test_dump_to_a_stream_opened_for_reading_or_to_something_else(tmp_path):
    (tmp_path / "in.json").write_text("", encoding="utf-8")
    with (tmp_path / "in.json").open(encoding="utf-8") as reading, pytest.raises(TypeError) as info:
        timeline.dump(timeline.example("sco"), reading)
    assert str(info.value) == (
        "dump() writes to a path or to a text stream opened for writing, "
        "not a stream opened for reading only"
    )
    with pytest.raises(TypeError) as info:
        timeline.dump(timeline.example("sco"), 42)  # type: ignore[arg-type]
    assert (
        str(info.value) == "dump() writes to a path or to a text stream opened for writing, not int"
    )


def test_file_system_failures_are_file_errors(tmp_path):
    """A file that cannot be read or written is a ``timeline.FileError`` (a
    ``TimelineError``) that names it as it was given."""
    with pytest.raises(timeline.FileError) as info:
        timeline.load(tmp_path / "missing.json")
    assert str(info.value) == f"{tmp_path / 'missing.json'}: cannot read: No such file or directory"
    with pytest.raises(timeline.FileError) as info:
        timeline.dump(timeline.Timeline(), tmp_path / "no" / "a.json")
    assert (
        str(info.value)
        == f"{tmp_path / 'no' / 'a.json'}: the folder '{tmp_path / 'no'}' does not exist"
    )
    assert isinstance(info.value, timeline.TimelineError)
    assert issubclass(atomic.OutputError, timeline.FileError)


def test_atomic_outputs_is_still_importable_from_files():
    """Its home is :mod:`timeline.atomic`; ``timeline.files.AtomicOutputs``
    was documented first, and stays."""
    assert files.AtomicOutputs is atomic.AtomicOutputs
    assert "AtomicOutputs" in files.__all__


def test_dump_many_writes_every_output_with_its_format_options_and_name(tmp_path):
    """docs/cli.md, Writing from Python: formats, options and names per output;
    progress names each output before its warnings."""
    steps: list[files.Progress] = []
    stream = io.StringIO()
    files.dump_many(
        timeline.example("sco"),
        [tmp_path / "a.md", files.Output(stream, "json", {"compact": True}, name="copy")],
        progress=steps.append,
    )
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("# ")
    assert timeline.loads(stream.getvalue()) == timeline.example("sco")
    assert stream.getvalue().count("\n") <= 40  # compact: an event a line
    starts = [(s.name, s.total) for s in steps if s.done == 0]
    assert starts == [(str(tmp_path / "a.md"), 33), ("copy", 33)]


def test_dump_many_names_the_output_whose_exporter_failed(tmp_path):
    class Failing(timeline.Exporter):
        name = "failing"
        suffixes = (".fail",)
        media_type = "text/plain"

        def write(self, timeline_, stream, options):
            raise RuntimeError("gave up")

    from timeline.testing import register_plugin

    class Plugin:
        @timeline.hookimpl
        def register_exporters(self, register):
            register(Failing())

    outputs = [tmp_path / "a.json", tmp_path / "b.fail"]
    with (
        register_plugin(Plugin(), name="failing-plugin"),
        pytest.raises(files.ExportError) as raised,
    ):
        files.dump_many(timeline.example("sco"), outputs)
    assert raised.value.name == str(tmp_path / "b.fail")
    assert isinstance(raised.value.__cause__, RuntimeError)
    assert not (tmp_path / "a.json").exists()


def test_load_reports_progress_in_bytes(tmp_path):
    path = tmp_path / "sco.json"
    timeline.dump(timeline.example("sco"), path)
    steps: list[files.Progress] = []
    timeline.load(path, progress=steps.append)
    size = path.stat().st_size
    assert {(s.action, s.unit, s.total) for s in steps} == {("reading", "bytes", size)}
    assert steps[-1].done == size


# -- validate: every problem in one pass -----------------------------------------------------------

BAD_ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN",
    "BEGIN:VEVENT", "UID:one", "DTSTAMP:20260101T000000Z", "SUMMARY:No date", "END:VEVENT",
    "BEGIN:VEVENT", "UID:two", "DTSTAMP:20260101T000000Z", "SUMMARY:Leap",
    "DTSTART;VALUE=DATE:20240230", "END:VEVENT",
    "BEGIN:VEVENT", "UID:three", "DTSTAMP:20260101T000000Z", "SUMMARY:Back",
    "DTSTART;VALUE=DATE:20240705", "DTEND;VALUE=DATE:20240703", "END:VEVENT",
    "BEGIN:VEVENT", "UID:four", "DTSTAMP:20260101T000000Z", "SUMMARY:Rule",
    "DTSTART;VALUE=DATE:20240705", "RRULE:FREQ=SOMETIMES", "END:VEVENT",
    "END:VCALENDAR", "",
])  # fmt: skip
BAD_CSV = (
    "id,title,start,end,place_latitude\r\n"
    "a,Leap,2024-02-30,,\r\n"
    "b,Back,2024-07-05,2024-07-03,\r\n"
    "c,Pole,2001,,91\r\n"
    "a,Again,2002,,\r\n"
    "d,Ragged\r\n"
)
BAD_JSON = (
    '{"format": "timeline-events", "version": 1, "events": ['
    '{"id": "a", "title": "Leap", "start": "2024-02-30"},'
    '{"id": "b", "title": "Back", "start": "2024-07-05", "end": "2024-07-03"},'
    '{"id": "c", "title": "Pole", "start": "2001", "place": {"name": "N", "latitude": 91}},'
    '{"id": "a", "title": "Again", "start": "2002"},'
    '{"id": "d", "kind": "comet", "title": "Halley", "start": "1986"}]}'
)
VALIDATE: dict[str, tuple[str, str, Callable[[], Any] | None]] = {
    "bad.ics": (BAD_ICS, """\
error: bad.ics: 4 problems
  line 4: VEVENT 'one' left out: no DTSTART, and an event needs a date (an iTIP message such as a CANCEL or REPLY has none)
  line 13: VEVENT 'two' left out: DTSTART: '20240230' is not a date (the day 30 is out of range for February 2024)
  line 20: VEVENT 'three': DTEND left out: it is before DTSTART
  line 27: VEVENT 'four': RRULE left out: FREQ=SOMETIMES is not a frequency
""", None),
    "bad.csv": (BAD_CSV, """\
error: bad.csv: 6 problems
  row 2, column 'start': cannot read date '2024-02-30': day 30 is out of range for February 2024
  row 3, column 'end': 2024-07-03 is before the start 2024-07-05
  row 4, column 'place_name': required, but the cell is empty
  row 4, column 'place_latitude': 91.0 is out of range -90..90
  row 5, column 'id': duplicate id 'a' (also row 2)
  row 6: has 2 cells, but the header has 5
""", csv_plugin),
    "bad.json": (BAD_JSON, """\
error: bad.json: 5 problems
  $.events[0].start: cannot read date '2024-02-30': day 30 is out of range for February 2024
  $.events[1].end: 2024-07-03 is before the start 2024-07-05
  $.events[2].place.latitude: 91.0 is out of range -90..90
  $.events[3].id: duplicate id 'a' (also $.events[0])
  $.events[4].kind: unknown kind 'comet'; known kinds are accession, event, founding, summit (a plugin may add others)
""", None),
}  # fmt: skip


@pytest.mark.parametrize("name", VALIDATE)
def test_validate_reports_every_problem_in_one_pass(tmp_path, capsys, name):
    text, expected, plugin = VALIDATE[name]
    (tmp_path / name).write_bytes(text.encode("utf-8"))
    # Other people's calendars are read leniently; strict reading reports all.
    strict = ["--input-option", "strict=true"] if name.endswith(".ics") else []
    with chdir(tmp_path), plugin() if plugin else _nothing():
        assert cli.main(["validate", name, *strict]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", expected)


def test_validate_reads_a_calendar_leniently_and_warns_about_every_part_left_out(tmp_path, capsys):
    (tmp_path / "bad.ics").write_bytes(BAD_ICS.encode("utf-8"))
    with chdir(tmp_path):
        assert cli.main(["validate", "bad.ics"]) == 0
    captured = capsys.readouterr()
    problems = VALIDATE["bad.ics"][1].splitlines()[1:]
    assert captured.out == "ok: bad.ics: 2 events\n"
    assert captured.err.splitlines() == ["warning: bad.ics: " + line.strip() for line in problems]


@contextmanager
def _nothing() -> Iterator[None]:
    yield
