"""timeline.streaming: events from file to file one at a time, checked on
the way as a timeline checks them, and the same bytes as the whole
timeline's way, with a format of the test's own that keeps the streaming
contract (``lines``), and one that does not."""

from __future__ import annotations

import gc
import io
import tracemalloc
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import Event, Exporter, Importer, Option, Timeline, ValidationError
from timeline.files import ExportError, Output
from timeline.formats import EventSource, EventWriter
from timeline.streaming import (
    SEEN_IN_MEMORY,
    STREAM_DATE_CACHE_SIZE,
    OrderWarning,
    SeenIds,
    Selection,
    convert,
    read_events,
    sorted_events,
)
from timeline.testing import register_plugin, synthetic_timeline

LOG: list[str] = []
"""What the ``lines`` format did, in order: ``read ID`` and ``write ID``."""


def _line(event: Event) -> str:
    return f"{event.start}\t{event.id}\t{event.title}\n"


class LinesWriter(EventWriter):
    def __init__(self, header: Timeline, out: TextIO, fail_at: str, warn_at: str = "") -> None:
        self.header, self.out, self.fail_at, self.started = header, out, fail_at, False
        self.warn_at = warn_at

    def start(self) -> None:
        if not self.started:
            self.out.write(f"# {self.header.title}\n")
            self.started = True

    def write(self, event: Event) -> None:
        self.start()
        if event.id == self.fail_at:
            raise RuntimeError(f"cannot write {event.id}")
        if event.id == self.warn_at:
            warnings.warn(f"event {event.id!r}: written plain", timeline.ExportWarning,
                          stacklevel=2)  # fmt: skip
        LOG.append(f"write {event.id}")
        self.out.write(_line(event))

    def close(self) -> None:
        self.start()
        self.out.write("# end\n")


class LinesExporter(Exporter):
    name = "lines"
    suffixes = (".lines",)
    description = "an event a line, for the tests"
    options = (
        Option("whole", bool, default=False, help="need the whole timeline"),
        Option("fail_at", str, default="", help="the id of an event that fails"),
        Option("warn_at", str, default="", help="the id of an event that is warned about"),
    )

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        writer = LinesWriter(timeline, out, options["fail_at"], options["warn_at"])
        for event in timeline.events:
            writer.write(event)
        writer.close()

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> EventWriter | None:
        if options["whole"]:
            return None
        return LinesWriter(header, out, options["fail_at"], options["warn_at"])


class LinesImporter(Importer):
    name = "lines"
    suffixes = (".lines",)
    description = "an event a line, for the tests"
    starts_with = ("#",)
    options = (Option("lenient", bool, default=False, help="leave a second id out"),)

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        found = self.read_events(stream, options, source)
        assert found is not None
        return Timeline(title=found.header.title, events=list(found.events))

    def read_events(
        self, stream: TextIO, options: Mapping[str, Any], source: str
    ) -> EventSource | None:
        title = stream.readline()[2:].rstrip("\n")

        def events() -> Iterator[Event]:
            for line in stream:
                if line.startswith("#"):
                    continue
                start, event_id, title = line.rstrip("\n").split("\t")
                LOG.append(f"read {event_id}")
                yield Event(id=event_id, title=title, start=start)

        return EventSource(Timeline(title=title), events(), lenient=options["lenient"])


class Plugin:
    @timeline.hookimpl
    def register_exporters(self, register: Any) -> None:
        register(LinesExporter())

    @timeline.hookimpl
    def register_importers(self, register: Any) -> None:
        register(LinesImporter())


@pytest.fixture(autouse=True)
def lines() -> Iterator[None]:
    LOG.clear()
    with register_plugin(Plugin(), name="lines"):
        yield


def _text(events: list[tuple[str, str]], title: str = "Story") -> str:
    return f"# {title}\n" + "".join(f"{start}\t{i}\tEvent {i}\n" for start, i in events) + "# end\n"


IN_ORDER = [("2001", "a"), ("2001-06-15", "b"), ("2002", "c"), ("2002", "d")]


def test_each_event_is_written_before_the_next_is_read(tmp_path: Path) -> None:
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    done = convert(tmp_path / "in.lines", [tmp_path / "out.lines"])
    assert done == timeline.streaming.Converted(events=4, read=4, streamed=True, sorted=False)
    assert LOG == ["read a", "write a", "read b", "write b", "read c", "write c", "read d",
                   "write d"]  # fmt: skip
    whole = timeline.dumps(timeline.load(tmp_path / "in.lines"), "lines")
    assert (tmp_path / "out.lines").read_text("utf-8") == whole == _text(IN_ORDER)


def test_the_same_bytes_when_a_format_needs_the_whole_timeline(tmp_path: Path) -> None:
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    done = convert(tmp_path / "in.lines", [Output(tmp_path / "a.lines"),
                   Output(tmp_path / "b.lines", options={"whole": True}), tmp_path / "c.json"])  # fmt: skip
    assert (done.streamed, done.events) == (False, 4)
    assert LOG[:4] == ["read a", "read b", "read c", "read d"]  # all read before any write
    expected = timeline.load(tmp_path / "in.lines")
    assert (tmp_path / "a.lines").read_text("utf-8") == _text(IN_ORDER)
    assert (tmp_path / "b.lines").read_text("utf-8") == _text(IN_ORDER)
    assert (tmp_path / "c.json").read_text("utf-8") == timeline.dumps(expected)


def test_a_selection_keeps_what_the_queries_keep(tmp_path: Path) -> None:
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    done = convert(tmp_path / "in.lines", [tmp_path / "out.lines"],
                   select=Selection(since="2001-06", until="2001-12"))  # fmt: skip
    assert (done.events, done.read) == (2, 4)
    assert (tmp_path / "out.lines").read_text("utf-8") == _text(IN_ORDER[:2])


def test_a_file_out_of_order_is_read_again_and_sorted(tmp_path: Path) -> None:
    shuffled = [("2002", "d"), ("2001", "a"), ("2002", "c"), ("2001-06-15", "b")]
    (tmp_path / "in.lines").write_text(_text(shuffled), "utf-8")
    with pytest.warns(OrderWarning) as caught:
        done = convert(tmp_path / "in.lines", [tmp_path / "out.lines"], run_size=2)
    assert [str(w.message) for w in caught] == [
        f"{tmp_path / 'in.lines'}: event 'a': comes before event 'd', which the input has "
        "first; reading it again to sort it"
    ]
    assert (done.events, done.streamed, done.sorted) == (4, True, True)
    assert (tmp_path / "out.lines").read_text("utf-8") == _text(IN_ORDER)


def test_a_stream_out_of_order_is_an_error_with_the_remedy(tmp_path: Path) -> None:
    data = io.BytesIO(_text([("2002", "d"), ("2001", "a")]).encode())
    with pytest.raises(ValidationError) as caught:
        convert(data, [Output(tmp_path / "out.lines")], format="lines")
    assert str(caught.value.problems[0]) == (
        "event 'a': comes before event 'd', which the input has first; the events of a "
        "stream must come in the timeline's order (by start, then id): give the file by "
        "its path, which is read again and sorted, or sort it first"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_second_id_is_an_error_or_left_out(tmp_path: Path) -> None:
    twice = [("2001", "a"), ("2002", "b"), ("2003", "a")]
    (tmp_path / "in.lines").write_text(_text(twice), "utf-8")
    (tmp_path / "out.lines").write_text("before\n", "utf-8")
    with pytest.raises(ValidationError) as caught:
        convert(tmp_path / "in.lines", [tmp_path / "out.lines"])
    assert str(caught.value).startswith(f"{tmp_path / 'in.lines'}")
    assert [str(p) for p in caught.value.problems] == ["event 'a': a second event with this id"]
    assert (tmp_path / "out.lines").read_text("utf-8") == "before\n"  # untouched
    with pytest.warns(timeline.ImporterWarning, match="event 'a': a second event with this "
                      "id; left out"):  # fmt: skip
        done = convert(tmp_path / "in.lines", [tmp_path / "out.lines"], lenient=True)
    assert done.events == 2
    assert (tmp_path / "out.lines").read_text("utf-8") == _text(twice[:2])


def test_an_exporter_that_fails_names_its_output_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    outputs = [tmp_path / "a.json", Output(tmp_path / "b.lines", options={"fail_at": "c"})]
    with pytest.raises(ExportError) as caught:
        convert(tmp_path / "in.lines", outputs)
    assert caught.value.name == str(tmp_path / "b.lines")
    assert str(caught.value.__cause__) == "cannot write c"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.lines"]


@pytest.mark.parametrize("whole", [False, True], ids=["streamed", "read whole"])
def test_what_an_exporter_warns_about_names_its_output(tmp_path: Path, whole: bool) -> None:
    twice = [*IN_ORDER[:2], ("2001-06-15", "b"), *IN_ORDER[2:]]
    (tmp_path / "in.lines").write_text(_text(twice), "utf-8")
    a, b = tmp_path / "a.lines", tmp_path / "b.lines"
    outputs = [Output(a, options={"warn_at": "a", "whole": whole}),
               Output(b, options={"warn_at": "c"}, name="B")]  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = convert(tmp_path / "in.lines", outputs, lenient=True)
    assert (done.events, done.streamed) == (4, not whole)
    given = [(w.category, str(w.message)) for w in caught]
    second = (timeline.ImporterWarning,
              f"{tmp_path / 'in.lines'}: event 'b': a second event with this id; left out")  # fmt: skip
    first = (timeline.ExportWarning, f"{a}: event 'a': written plain")
    third = (timeline.ExportWarning, "B: event 'c': written plain")
    # Streamed, each comes as its event passes; read whole, the reader's come first.
    assert given == ([second, first, third] if whole else [first, second, third])
    assert {w.filename for w in caught} == {__file__}


def test_the_command_streams_when_every_format_can(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from timeline import cli

    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "in.lines", "-o", "out.lines", "--since", "2002"]) == 0
    assert LOG == ["read a", "read b", "read c", "write c", "read d", "write d"]
    assert (tmp_path / "out.lines").read_text("utf-8") == _text(IN_ORDER[2:])
    LOG.clear()
    assert cli.main(["export", "in.lines", "-o", "out.lines", "-o", "out.json"]) == 0
    assert LOG == ["read a", "write a", "read b", "write b", "read c", "write c", "read d",
                   "write d"]  # fmt: skip
    assert (tmp_path / "out.json").read_text("utf-8") == timeline.dumps(timeline.load("in.lines"))
    LOG.clear()
    assert cli.main(["export", "in.lines", "-o", "out.lines", "--option", "whole=true"]) == 0
    assert LOG[:4] == ["read a", "read b", "read c", "read d"]  # the whole timeline, first


def test_read_events_gives_the_header_then_the_events_as_asked(tmp_path: Path) -> None:
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    with read_events(tmp_path / "in.lines") as read:
        assert read.header.title == "Story"
        assert LOG == []
        first = next(read.events)
        assert (first.id, LOG) == ("a", ["read a"])
    sco = timeline.example("sco")
    timeline.dump(sco, tmp_path / "sco.json")
    with read_events(tmp_path / "sco.json") as read:  # read whole: JSON is not read by event
        assert read.header == attrs.evolve(sco, events=())
        assert tuple(read.events) == sco.events


def test_the_whole_timeline_s_way_for_formats_without_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same DTSTAMP in both
    sco = timeline.example("sco")
    timeline.dump(sco, tmp_path / "sco.json")
    outputs = [tmp_path / "out.json", tmp_path / "out.ics",
               Output(tmp_path / "out.lines", options={"whole": True})]  # fmt: skip
    done = convert(tmp_path / "sco.json", outputs, select=Selection(kinds=("summit",)))
    assert (done.streamed, done.events, done.read) == (False, len(sco.of_kind("summit")), 33)
    summits = sco.of_kind("summit")
    assert (tmp_path / "out.json").read_text("utf-8") == timeline.dumps(summits)
    assert (tmp_path / "out.ics").read_bytes() == timeline.dumps(summits, "ics").encode()
    assert (tmp_path / "out.lines").read_text("utf-8") == timeline.dumps(summits, "lines")


# -- the parts, against what they stand for ---------------------------------------------------

_TIMELINE = synthetic_timeline(300, seed=7)
_PARTIES = [*sorted({p for e in _TIMELINE for p in e.parties()}), "Kazakhstan", "nobody"]
_TAGS = [*sorted({t for e in _TIMELINE for t in e.tags}), "none"]
_DAYS = st.sampled_from(["1990", "2001-06", "2001-06-15", "2010", "2015-03", "2020-12-31"])


@settings(max_examples=200, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(sorted({e.kind for e in _TIMELINE})), max_size=2),
    since=st.none() | _DAYS,
    until=st.none() | _DAYS,
    tags=st.lists(st.sampled_from(_TAGS), max_size=2),
    involving=st.lists(st.sampled_from(_PARTIES), max_size=2),
)
def test_a_selection_of_one_event_is_the_timeline_s_queries(
    kinds: list[str], since: str | None, until: str | None, tags: list[str],
    involving: list[str],
) -> None:  # fmt: skip
    try:
        selection = Selection(tuple(kinds), since, until, tuple(tags), tuple(involving))
    except timeline.QueryError:
        with pytest.raises(timeline.QueryError):
            _TIMELINE.between(since, until)
        return
    assert [e for e in _TIMELINE if selection(e)] == list(selection.apply(_TIMELINE).events)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=3000), st.sampled_from([24, 240, SEEN_IN_MEMORY]))
def test_seen_ids_is_a_set(ids: list[str], in_memory: int) -> None:
    seen, expected = SeenIds(in_memory=in_memory), set()
    for event_id in ids:
        assert seen.add(event_id) == (event_id not in expected)
        expected.add(event_id)
        assert event_id in seen
    assert len(seen) == len(expected)
    seen.close()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=6), st.integers(-(2**63), 2**63 - 1)), max_size=3000),
    st.sampled_from([24, 240, SEEN_IN_MEMORY]),
)
def test_indexed_seen_ids_is_a_dict_of_first_places(
    ids: list[tuple[str, int]], in_memory: int
) -> None:
    seen, expected = SeenIds(indexed=True, in_memory=in_memory), {}
    for event_id, index in ids:
        assert seen.first(event_id, index) == expected.setdefault(event_id, index)
    assert len(seen) == len(expected)


def test_seen_ids_holds_10_to_18_bytes_an_id_in_memory() -> None:
    """Its table (4-byte slots, at most half full), 2 bytes of each digest,
    and at most SEEN_IN_MEMORY bytes of records: the rest are in its file."""
    seen = SeenIds(indexed=True)
    for n in range(1, 200_001):
        assert seen.first(f"event-{n}", -n) == -n
        if n in (1_000, 50_000, 65_537, 131_073, 200_000):
            assert 10 * n <= seen.nbytes <= 18 * n + SEEN_IN_MEMORY, (n, seen.nbytes)
    # The first ones are read back from the file.
    assert [seen.first(f"event-{n}", 0) for n in (1, 2, 43_690, 43_691, 200_000)] == [
        -1, -2, -43_690, -43_691, -200_000
    ]  # fmt: skip
    assert "event-77" in seen
    assert "event-0" not in seen
    assert len(seen) == 200_000


def test_seen_ids_never_holds_two_tables() -> None:
    """When its table doubles, the old one is let go before the new one is
    made from the records: the peak is the new table, the records in memory
    and what reading the file back takes (48 KiB at a time), not one and a
    half tables."""
    seen = SeenIds()
    gc.collect()
    tracemalloc.start()
    try:
        for n in range(65_537):  # the table doubles to 2**18 slots (1 MiB) at the last
            seen.add(f"event-{n}")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    table = 4 * 2**18 + 2 * 65_537
    assert table <= seen.nbytes <= table + SEEN_IN_MEMORY
    assert peak < table + SEEN_IN_MEMORY + 200_000, peak  # two tables: 512 KiB more


@settings(max_examples=50, deadline=None)
@given(st.permutations(list(synthetic_timeline(60, seed=3).events)), st.integers(1, 70))
def test_sorted_events_is_sorted(events: list[Event], run_size: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = list(sorted_events(events, run_size=run_size))
    assert got == list(Timeline(events=events).events)


def test_check_exporter_checks_the_streaming_contract() -> None:
    from timeline.testing import check_exporter

    check_exporter(LinesExporter())

    class Eager(LinesExporter):
        def event_writer(
            self, header: Timeline, out: TextIO, options: Mapping[str, Any]
        ) -> EventWriter | None:
            out.write("# too soon\n")
            return LinesWriter(header, out, "")

    with pytest.raises(AssertionError, match="lines: event_writer wrote '# too soon"):
        check_exporter(Eager())

    class Other(LinesExporter):
        def event_writer(
            self, header: Timeline, out: TextIO, options: Mapping[str, Any]
        ) -> EventWriter | None:
            writer = LinesWriter(header, out, "")
            writer.close = lambda: out.write("# the end\n")  # type: ignore[method-assign]
            return writer

    with pytest.raises(AssertionError, match=r"lines: event by event, with .*, it "
                       "writes other text than write"):  # fmt: skip
        check_exporter(Other())


def test_the_ids_are_kept_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """timeline's JSON checks its ids itself (for load's message), so convert
    keeps no table of its own; a reader that does not gets convert's."""
    made: list[str] = []

    class Counted(SeenIds):
        def __init__(self, **kwargs: Any) -> None:
            made.append("indexed" if kwargs.get("indexed") else "plain")
            super().__init__(**kwargs)

    monkeypatch.setattr(timeline.streaming, "SeenIds", Counted)
    timeline.dump(timeline.example("sco"), tmp_path / "sco.json")
    assert convert(tmp_path / "sco.json", [tmp_path / "out.json"]).streamed
    assert made == ["indexed"]
    made.clear()
    (tmp_path / "in.lines").write_text(_text(IN_ORDER), "utf-8")
    assert convert(tmp_path / "in.lines", [tmp_path / "out.json"]).streamed
    assert made == ["plain"]


def test_convert_keeps_fewer_dates_while_it_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No timeline shares the dates of a stream's events: parse_date keeps
    STREAM_DATE_CACHE_SIZE of them meanwhile, and all of them again after."""
    from timeline.dates import DATE_CACHE_SIZE, READ_DATES

    tl = synthetic_timeline(12_000, seed=4)
    texts = {event.start.isoformat() for event in tl.events}
    assert DATE_CACHE_SIZE > len(texts) > 2 * STREAM_DATE_CACHE_SIZE  # what the test needs
    timeline.dump(tl, tmp_path / "big.json")
    held: list[int] = []
    write = LinesWriter.write

    def counted(self: LinesWriter, event: Event) -> None:
        held.append(len(READ_DATES))
        write(self, event)

    monkeypatch.setattr(LinesWriter, "write", counted)
    assert convert(tmp_path / "big.json", [tmp_path / "out.lines"]).streamed
    assert len(held) == 12_000
    assert max(held) <= STREAM_DATE_CACHE_SIZE
    for text in texts:
        timeline.parse_date(text)
    assert len(READ_DATES) >= len(texts) - STREAM_DATE_CACHE_SIZE


def _streaming_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every built-in exporter that writes event by event, with each choice
    of each of its options."""
    cases: list[tuple[str, dict[str, Any]]] = []
    for name in ("json", "ics", "markdown"):
        exporter = timeline.exporters()[name]
        cases.append((name, {}))
        for option in exporter.options:
            values = option.choices or ((True, False) if option.type is bool else ())
            cases.extend((name, {option.name: value}) for value in values)
    return cases


@pytest.mark.parametrize(("name", "options"), _streaming_cases())
def test_a_format_that_streams_writes_the_bytes_of_the_whole_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, options: dict[str, Any]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same DTSTAMP in both
    sco = timeline.example("sco")
    timeline.dump(sco, tmp_path / "sco.json")
    out = tmp_path / f"out.{name}"
    with warnings.catch_warnings(record=True) as streamed:
        warnings.simplefilter("always")
        done = convert(tmp_path / "sco.json", [Output(out, name, options)],
                       select=Selection(since="2010"))  # fmt: skip
    assert done.streamed
    kept = sco.between("2010", None)
    with warnings.catch_warnings(record=True) as whole:
        warnings.simplefilter("always")
        text = timeline.dumps(kept, name, **options)
    assert out.read_bytes() == text.encode("utf-8")
    assert [str(w.message) for w in streamed] == [f"{out}: {w.message}" for w in whole]


def test_the_command_counts_the_warnings_of_its_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``wrote ... with N warnings`` counts what the exporters said, not the
    reader, whose warnings come before, as when the timeline is read whole."""
    from timeline import cli

    twice = [*IN_ORDER[:2], ("2001-06-15", "b"), *IN_ORDER[2:]]
    (tmp_path / "in.lines").write_text(_text(twice), "utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["export", "in.lines", "--input-option", "lenient=true", "-o", "out.lines",
            "--option", "warn_at=c"]  # fmt: skip
    assert cli.main(argv) == 0
    assert capsys.readouterr().err == (
        "warning: in.lines: event 'b': a second event with this id; left out\n"
        "warning: out.lines: event 'c': written plain\n"
        "wrote out.lines from 4 events, with 1 warning\n"
    )
