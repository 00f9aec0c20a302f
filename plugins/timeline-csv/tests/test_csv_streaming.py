"""CSV event by event: the importer's ``read_events`` gives the events and
the problems that ``load`` gives, row by row, and the exporter's
``event_writer`` writes the bytes that ``dump`` writes, in memory that does
not grow with the events (but for the ids the importer checks)."""

from __future__ import annotations

import io
import tracemalloc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

import pytest
import timeline
from hypothesis import given, settings
from timeline.testing import check_exporter, sample_timeline, synthetic_timeline, timelines

GOLDEN = Path(__file__).parent / "golden" / "sample.csv"


def importer() -> timeline.Importer:
    return timeline.importers()["csv"]


def exporter() -> timeline.Exporter:
    return timeline.exporters()["csv"]


def streamed(text: str | Path, **options: Any) -> tuple[list[timeline.Event], Any]:
    """The events ``read_events`` gives before it ends, and the error it ends with, if any."""
    events: list[timeline.Event] = []
    source = io.StringIO(text) if isinstance(text, str) else text
    with timeline.read_events(source, "csv", **options) as read:
        assert read.header == timeline.Timeline(language=read.header.language)
        try:
            for event in read.events:
                events.append(event)
        except timeline.ValidationError as exc:
            return events, exc
    return events, None


def loaded(text: str | Path, **options: Any) -> tuple[list[timeline.Event], Any]:
    try:
        if isinstance(text, Path):
            return list(timeline.load(text, "csv", **options).events), None
        return list(timeline.loads(text, "csv", **options).events), None
    except timeline.ValidationError as exc:
        return [], exc


def same_error(one: Any, other: Any) -> bool:
    """Whether two errors list the same problems (a stream is named
    ``<stream>`` by read_events, a string ``<string>`` by loads)."""
    if one is None or other is None:
        return one is other
    return (one.problems, one.omitted) == (other.problems, other.omitted)


def to_csv(t: timeline.Timeline, **options: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        return timeline.dumps(t, "csv", **options)


# -- reading ------------------------------------------------------------------------------


def test_the_golden_file_reads_as_load_reads_it() -> None:
    with timeline.read_events(GOLDEN) as read:
        assert read.header.language == "en"
        events = list(read.events)
    assert events == list(timeline.load(GOLDEN).events) == list(sample_timeline().events)


@pytest.mark.parametrize("options", [{}, {"delimiter": ";"}, {"formulas": "keep"}])
def test_generated_files_read_as_load_reads_them(options: dict[str, Any]) -> None:
    t = synthetic_timeline(700, seed=2)
    text = to_csv(t, **options)
    read = {k: v for k, v in options.items() if k != "bom"}
    events, error = streamed(text, **read)
    assert error is None
    assert events == loaded(text, **read)[0] == list(t.events)


@settings(max_examples=30)
@given(timelines(max_events=8))
def test_any_timeline_written_reads_back_the_same_both_ways(t: timeline.Timeline) -> None:
    text = to_csv(t)
    language = t.language
    events, error = streamed(text, language=language)
    expected, expected_error = loaded(text, language=language)
    assert same_error(error, expected_error)
    assert events == expected


def test_the_language_option_is_the_headers() -> None:
    with timeline.read_events(io.StringIO("title,start,title@en\nA,2001,B\n"), "csv",
                              language="RU") as read:  # fmt: skip
        assert read.header.language == "ru"
        assert [e.translations.lookup("en", "title") for e in read.events] == ["B"]


BAD = {
    "every kind of bad row": (
        "kind,id,title,start,end,place_name,place_latitude,sources,organisation,host\n"
        "event,a,Fine,2001,,,,,,\n"
        "summit,b,Bad date,2001-13,,,,,SCO,\n"
        "event,c,,2001,,,,,,\n"
        "event,d,Host on an event,2001,,,,,,CN\n"
        "event,e,Latitude,2001,,Here,north,,,\n"
        "dragon,g,Kind,2001,,,,,,\n"
        "event,a,Duplicate,2002,,,,,,\n"
        "event,i,Too few cells,2001\n"
        "event,k,Ends before it starts,2001,2000,,,,,\n"
        "event,z,Fine too,2003,,,,,,\n",
        ["a", "z"],
    ),
    "a derived id twice": ("title,start\nA,2001\nB,2002\nA,2001\nC,2003\n", ["2001-a", "2002-b",
                                                                           "2003-c"]),
    "a derived id twice, then a row refused": (
        # read() lists no duplicate of a derived id once a row is refused
        "title,start\nA,2001\nA,2001\nB,20xx\nC,2003\n", ["2001-a", "2003-c"],
    ),
    "a given id that a derived one repeats": ("id,title,start\n2001-a,X,2002\n,A,2001\n",
                                              ["2001-a"]),
    "an unclosed quote": ('title,start\nA,2001\n"B\nC,2003\n', ["2001-a"]),
    "a quote inside a quoted cell": ('title,start\nA,2001\n"B "q" C",2002\nD,2003\n', ["2001-a"]),
    "a value without a column": ("title,start,\nA,2001,x\nB,2002,\n", ["2002-b"]),
    "more problems than are kept": (
        # a row of one cell in 7, and derived ids given again from row 702 on
        "title,start\n" + "".join(f"T{i % 700},2001\n" if i % 7 else "X\n" for i in range(3000)),
        None,
    ),
}  # fmt: skip


PROBLEMS = {
    "a derived id twice": [("row 4, column 'id'", "duplicate id '2001-a' (also row 2)")],
    "a derived id twice, then a row refused": [
        ("row 4, column 'start'", "cannot read date '20xx': not a date (write it as 2001-06-15, "
         "15 June 2001, June 2001 or 2001)"),
    ],
    "a given id that a derived one repeats": [
        ("row 3, column 'id'", "duplicate id '2001-a' (also row 2)"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_gives_the_good_rows_then_every_problem_as_load(
    name: str, tmp_path: Path
) -> None:
    text, good = BAD[name]
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    events, error = streamed(path)
    _, expected = loaded(path)
    assert error is not None
    assert str(error) == str(expected)
    assert error.source == expected.source == str(path)
    assert same_error(error, expected)
    if good is not None:
        assert [e.id for e in events] == good
        if name in PROBLEMS:
            assert [(p.path, p.message) for p in error.problems] == PROBLEMS[name]
    else:
        assert error.omitted > 0
        assert len(error.problems) == 1000


def test_a_bad_header_is_an_error_before_any_event() -> None:
    with (
        pytest.raises(timeline.ValidationError, match="there is no column 'start'"),
        timeline.read_events(io.StringIO("title\nA\n"), "csv"),
    ):
        raise AssertionError("read_events gave a header")


class Lines:
    """The lines of a text, counting how many have been read."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.read += 1
            yield line


def test_each_event_is_given_as_its_row_is_read() -> None:
    stream = Lines(to_csv(synthetic_timeline(50)))
    read = importer().read_events(cast(TextIO, stream), importer().resolve_options({}), "x.csv")
    assert read is not None
    assert stream.read == 1  # the header
    events = iter(read.events)
    next(events)
    assert stream.read == 2
    next(events)
    assert stream.read == 3
    assert len(list(events)) == 48


def test_convert_reads_and_writes_csv_event_by_event(tmp_path: Path) -> None:
    t = synthetic_timeline(400)
    text = to_csv(t)
    (tmp_path / "in.csv").write_bytes(text.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        done = timeline.convert(tmp_path / "in.csv", [tmp_path / "out.csv", tmp_path / "out.md"])
    assert done == timeline.streaming.Converted(events=400, read=400, streamed=True, sorted=False)
    assert (tmp_path / "out.csv").read_bytes().decode("utf-8") == text
    assert (tmp_path / "out.md").read_text("utf-8") == timeline.dumps(
        timeline.Timeline(events=t.events), "markdown"
    )


def test_convert_of_a_file_with_a_bad_row_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("title,start\nA,2001\nB,20xx\n", "utf-8")
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.convert(tmp_path / "in.csv", [tmp_path / "out.csv"])
    assert caught.value.problems == loaded(tmp_path / "in.csv")[1].problems
    assert [p.path for p in caught.value.problems] == ["row 3, column 'start'"]
    assert not (tmp_path / "out.csv").exists()


def rows(count: int) -> str:
    return "title,start,place_name,tags\n" + "".join(
        f"Event {i},{1900 + i % 130}-0{1 + i % 9}-1{i % 10},City {i % 50},a; b\n"
        for i in range(count)
    )


def reading_peak(text: str) -> int:
    stream = io.StringIO(text)
    tracemalloc.start()
    try:
        read = importer().read_events(stream, importer().resolve_options({}), "x")
        assert read is not None
        for _ in read.events:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_holds_only_the_table_of_ids() -> None:
    """What grows is the check of the ids, a table of 32 bytes a slot, at
    most half full, and nothing else: the 16,000 ids take 32,768 slots (1
    MiB, and the 16,384 slots of before while it grows: 1.5 MiB in all),
    the 2,000 ids 4,096 (192 KiB while it grows)."""
    few, many = rows(2_000), rows(16_000)
    reading_peak(many)  # what is loaded once for the program, and bounded caches filled
    grown = reading_peak(many) - reading_peak(few)
    assert grown < (1_536 - 192) * 1024 + 8 * 14_000, grown  # the tables, and 8 bytes an event


# -- writing ------------------------------------------------------------------------------


def test_the_writer_keeps_the_exporter_contract() -> None:
    check_exporter(exporter())
    check_exporter(exporter(), timeline.example("sco"))


def written(t: timeline.Timeline, **options: Any) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    header = timeline.Timeline(
        title=t.title, description=t.description, url=t.url, language=t.language,
        translations=t.translations,
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer = exporter().event_writer(header, out, exporter().resolve_options(options))
        assert writer is not None
        assert out.getvalue() == ""
        for event in t.events:
            writer.write(event)
        assert out.getvalue() == ""  # the columns are known at the end
        writer.close()
    return out.getvalue(), [str(w.message) for w in caught]


def whole(t: timeline.Timeline, **options: Any) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporter().write(t, out, exporter().resolve_options(options))
    return out.getvalue(), [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "options",
    [{}, {"delimiter": ";", "bom": True}, {"formulas": "keep"}],
)
def test_the_writer_writes_and_warns_as_write(options: dict[str, Any]) -> None:
    for t in (sample_timeline(), synthetic_timeline(300), timeline.example("sco")):
        assert written(t, **options) == whole(t, **options)
    assert written(sample_timeline())[0] == GOLDEN.read_bytes().decode("utf-8")


def test_the_writer_warns_about_a_cell_too_long_and_an_empty_text() -> None:
    t = timeline.Timeline(language="ru", events=[
        timeline.Event(id="long", title="Long", start="2001", description="x" * 140_000),
        timeline.Event(id="src", title="Src", start="2002", sources=(
            timeline.Source(url="https://a.example", title=""),
            timeline.Source(url="https://b.example", title="B"),
        )),
    ])  # fmt: skip
    text, warned = written(t)
    assert (text, warned) == whole(t)
    assert len(warned) == 3


@settings(max_examples=30)
@given(timelines(max_events=8))
def test_the_writer_writes_any_timeline_as_write(t: timeline.Timeline) -> None:
    assert written(t) == whole(t)


class Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def writing_peak(count: int) -> int:
    t = synthetic_timeline(count)
    events, header = list(t.events), timeline.Timeline(title=t.title)
    del t
    options = exporter().resolve_options({})

    def write() -> None:
        writer = exporter().event_writer(header, cast(TextIO, Discard()), options)
        assert writer is not None
        for event in events:
            writer.write(event)
        writer.close()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        write()  # what the events work out once for themselves, and the program's caches
        tracemalloc.start()
        try:
            write()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_the_writers_memory_does_not_grow_with_the_events() -> None:
    writing_peak(100)
    few, many = writing_peak(2_000), writing_peak(16_000)
    assert many < 2 * few, (few, many)
