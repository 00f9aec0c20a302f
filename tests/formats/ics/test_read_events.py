"""The iCalendar importer event by event (``ICSImporter.read_events``): the same
events, header, warnings and errors as ``timeline.load``, on our own calendars and on
others', with our own events read one at a time in memory that does not grow with
them but for their digests (docs/ics.md, "Streaming")."""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import io
import re
import tempfile
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from helpers.data import DataFolder
from helpers.ics import export
from hypothesis import given
from hypothesis import strategies as st

import timeline
from timeline.dates import Date
from timeline.default_plugins.ics.scan import (
    CALENDAR,
    CHILD,
    DEFECT,
    Component,
    Defect,
    parse_calendar,
    physical_lines,
    scan_components,
)
from timeline.streaming import SeenIds
from timeline.testing import synthetic_timeline, timelines

Outcome = tuple[timeline.Timeline | None, str | None, list[str]]
"""What reading gives: the timeline (or ``None``), the error's text, the warnings."""


def _outcome(read: Callable[[], timeline.Timeline]) -> Outcome:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = read(), None
        except timeline.ValidationError as exc:
            result, error = None, str(exc)
    return result, error, [str(w.message) for w in caught]


def _streamed(source: Any, **options: Any) -> timeline.Timeline:
    """The timeline of the header and the events that read_events gives (a second
    event with an id would make it fail: the importer gives each id once)."""
    with timeline.read_events(source, format="ics", **options) as read:
        assert read.unique  # convert keeps no table of the ids
        events = list(read.events)
    return attrs.evolve(read.header, events=events)


def _same(source: Path, **options: Any) -> Outcome:
    """Read ``source`` both ways; they must give the same outcome, which is returned."""
    whole = _outcome(lambda: timeline.load(source, format="ics", **options))
    streamed = _outcome(lambda: _streamed(source, **options))
    assert streamed == whole
    return whole


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _zoned(t: timeline.Timeline) -> timeline.Timeline:
    """``t`` with every third event at a time of day in a zone, and every seventh
    in UTC: the VEVENTs then use the calendar's VTIMEZONEs."""
    zones = ("Asia/Almaty", "Europe/Moscow", "America/New_York")
    events = []
    for i, event in enumerate(t.events):
        if i % 3 == 0 or i % 7 == 0:
            day = event.start
            tz = "UTC" if i % 7 == 0 else zones[i % len(zones)]
            start = Date(day.year, day.month, day.day, time=dt.time(9 + i % 8, 30), tz=tz)
            events.append(attrs.evolve(event, start=start, end=None))
        else:
            events.append(event)
    return t.with_events(events)


# -- our own calendars ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: timeline.example("sco"),
        lambda: synthetic_timeline(300),
        lambda: _zoned(synthetic_timeline(300, seed=3)),
    ],
    ids=["sco", "synthetic", "synthetic-zoned"],
)
def test_our_own_calendar_is_read_as_load_reads_it(make: Any, tmp_path: Path) -> None:
    t = make()
    path = _write(tmp_path, "ours.ics", export(t))
    read, error, said = _same(path)
    assert error is None
    assert said == []
    assert read == t


def test_our_events_come_one_at_a_time_before_the_end_is_read(tmp_path: Path) -> None:
    """The first event is given when only the start of the file has been read: a
    line that cannot be read at the end is said after the last event."""
    t = synthetic_timeline(50)
    text = export(t).replace("END:VCALENDAR\r\n", "this is no content line\r\nEND:VCALENDAR\r\n")
    path = _write(tmp_path, "late.ics", text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with timeline.read_events(path) as read:
            events = iter(read.events)
            first = next(events)
            assert caught == []
            rest = list(events)
    assert [first, *rest] == list(t.events)
    assert [str(w.message) for w in caught] == [
        f"{path}: line {text.count(chr(10)) - 1}: 'this is no content line' is not a content "
        "line (NAME:value), left out; a line break inside a value must be written as \\n"
    ]
    _same(path)


def test_strict_fails_after_the_last_event_with_every_problem(tmp_path: Path) -> None:
    t = synthetic_timeline(20)
    text = export(t)
    lines = text.split("\r\n")
    lines.insert(len(lines) - 2, "NO COLON HERE")
    lines.insert(12, "X-OTHER-PRODUCER:1")
    path = _write(tmp_path, "strict.ics", "\r\n".join(lines))
    _, error, _ = _same(path, strict=True)
    assert error is not None
    assert "2 problems" in error
    given = []

    def read_all() -> None:
        with timeline.read_events(path, strict=True) as read:
            given.extend(event.id for event in read.events)

    with pytest.raises(timeline.ValidationError) as raised:
        read_all()
    assert str(raised.value) == error
    assert len(given) == len(t)


def test_a_vtimezone_after_the_vevents_that_use_it(tmp_path: Path) -> None:
    """Our events do not read their times through the VTIMEZONEs (their data has the
    zone); others' are read at the end, when every VTIMEZONE has been read."""
    t = _zoned(synthetic_timeline(30))
    text = export(t)
    zones = re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", text, flags=re.DOTALL)
    assert zones
    moved = "".join(zones)
    for zone in zones:
        text = text.replace(zone, "")
    text = text.replace("END:VCALENDAR\r\n", moved + "END:VCALENDAR\r\n")
    read, error, said = _same(_write(tmp_path, "zones-last.ics", text))
    assert read == t
    assert error is None
    assert said == []
    # Someone else's event in our calendar, its zone after it.
    foreign = (
        "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Office time:20260301T090000\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n"
    )
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Office time\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    first = _vevents(text)[0]
    text = text.replace(first, foreign + first).replace(moved, moved + zone)
    read, error, said = _same(_write(tmp_path, "foreign-zone-last.ics", text))
    assert read is not None
    assert read.get("a").start == Date.coerce("2026-03-01T06:00Z")
    assert len(read) == len(t) + 1
    assert error is None
    assert said == [
        f"{tmp_path / 'foreign-zone-last.ics'}: time zone 'Office time' is not an IANA zone: "
        f"the times of 1 event ('a@x' at line {text.count(chr(10), 0, text.index('DTSTART;TZID=Office')) + 1}) "
        "are converted to UTC"
    ]


def _vevents(text: str) -> list[str]:
    return re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, flags=re.DOTALL)


def test_a_second_event_of_ours_with_an_id(tmp_path: Path) -> None:
    t = synthetic_timeline(10)
    text = export(t)
    first, second = _vevents(text)[:2]
    # The same event again, later in the file: taken for one, not said.
    same = text.replace("END:VCALENDAR\r\n", first + "END:VCALENDAR\r\n")
    read, _, said = _same(_write(tmp_path, "same.ics", same))
    assert read == t
    assert said == []
    # Another event with the first one's id: left out, said.
    uid = re.search(r"UID:(.*)\r\n", first)
    assert uid is not None
    other_id = re.search(r"UID:(.*)@", second)
    first_id = re.search(r"UID:(.*)@", first)
    assert other_id is not None
    assert first_id is not None
    impostor = second.replace(f'"id":"{other_id[1]}"', f'"id":"{first_id[1]}"')
    assert impostor != second
    different = text.replace("END:VCALENDAR\r\n", impostor + "END:VCALENDAR\r\n")
    read, _error, said = _same(_write(tmp_path, "different.ics", different))
    assert read == t
    assert len(said) == 1
    assert f"a different event with id {first_id[1]!r} comes earlier" in said[0]


def test_events_without_a_uid_of_the_same_day_and_title(tmp_path: Path) -> None:
    """Each gets an id of its own (its date and title, then ``-2``...), as events with
    the same UID do, and none takes one of ours."""
    t = synthetic_timeline(5)
    taken = t.events[0]
    untitled = (
        "BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20080303\r\nEND:VEVENT\r\n"
    )
    ours = attrs.evolve(taken, id="2008-03-03-untitled-event", start="2008-03-03")
    text = export(t.with_events([*t.events, ours]))
    text = text.replace("END:VCALENDAR\r\n", 2 * untitled + "END:VCALENDAR\r\n")
    read, error, said = _same(_write(tmp_path, "untitled.ics", text))
    assert error is None
    assert read is not None
    assert [e.id for e in read.events if e.start == Date(2008, 3, 3)] == [
        "2008-03-03-untitled-event",
        "2008-03-03-untitled-event-2",
        "2008-03-03-untitled-event-3",
    ]
    assert read.get("2008-03-03-untitled-event") == ours
    assert len(said) == 1
    assert "no SUMMARY in 2 events" in said[0]


def test_a_second_header_after_the_first_component_is_said(tmp_path: Path) -> None:
    """What the stream cannot do as load does: the header is given before the first
    event, so a second X-TIMELINE-HEADER after it cannot undo it."""
    t = timeline.example("sco")
    text = export(t)
    header = re.search(r"X-TIMELINE-HEADER:.*?\r\n(?! )", text, flags=re.DOTALL)
    assert header is not None
    text = text.replace("END:VCALENDAR\r\n", header[0] + "END:VCALENDAR\r\n")
    path = _write(tmp_path, "two-headers.ics", text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        streamed = _streamed(path)
    assert streamed == t
    assert [str(w.message) for w in caught] == [
        f"{path}: line {text[: text.rindex('X-TIMELINE-HEADER')].count(chr(10)) + 1}: a second "
        "X-TIMELINE-HEADER, after the calendar's first component, left out: read event by "
        "event, the calendar has the header of the first (read whole, it has neither)"
    ]


# -- others' calendars ----------------------------------------------------------------------


@pytest.mark.data_files("*/*.ics")
def test_the_files_beside_are_read_as_load_reads_them(ics_file: Path) -> None:
    """The golden files (ours), the producers' and the samples (others')."""
    for strict in (False, True):
        _same(ics_file, strict=strict)


@pytest.mark.data_files("ics/*")
def test_the_hostile_calendars_are_read_as_load_reads_them(
    hostile_file: Path, tmp_path: Path
) -> None:
    path = hostile_file
    if path.suffix == ".gz":
        path = _write(tmp_path, path.stem, gzip.decompress(path.read_bytes()))
    for strict in (False, True):
        _same(path, strict=strict)


ICALENDAR_CORPUS = sorted((Path(icalendar.__file__).parent / "tests").rglob("*.ics"))
"""The calendars icalendar keeps for its own tests (as test_corpus.py reads them)."""


@pytest.mark.parametrize("path", ICALENDAR_CORPUS, ids=[p.name for p in ICALENDAR_CORPUS])
def test_icalendars_calendars_are_read_as_load_reads_them(path: Path) -> None:
    _same(path)


def test_a_calendar_property_after_the_first_component(tmp_path: Path) -> None:
    """Someone else's calendar (no X-TIMELINE-HEADER) is read whole: its name may come
    at the end."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260302\r\n"
        "SUMMARY:Second\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260301\r\n"
        "SUMMARY:First\r\nX-ODD:1\r\nEND:VEVENT\r\n"
        "X-WR-CALNAME:Late name\r\nX-WR-TIMEZONE:Europe/Berlin\r\nEND:VCALENDAR\r\n"
    )
    read, _error, said = _same(_write(tmp_path, "late-name.ics", text))
    assert read is not None
    assert read.title == "Late name"
    assert [e.id for e in read.events] == ["a", "b"]
    assert len(said) == 2


def test_components_outside_the_calendar_and_a_second_calendar(tmp_path: Path) -> None:
    """What is outside any VCALENDAR is read at the end, as the whole reader reads it
    (after every calendar's components), and a second calendar's events with the first's."""
    one, two = synthetic_timeline(30), synthetic_timeline(20, seed=9)
    two = two.with_events(attrs.evolve(e, id=f"second-{e.id}") for e in two.events)
    bare = (
        "BEGIN:VEVENT\r\nUID:event-3@timeline.invalid\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20260301\r\nSUMMARY:Outside\r\nEND:VEVENT\r\n"
    )
    ours = export(one)
    text = bare + ours + export(two) + _vevents(ours)[5] + bare.replace("Outside", "After")
    read, error, said = _same(_write(tmp_path, "outside.ics", text))
    assert error is None
    assert read is not None
    assert len(read) == 30 + 20 + 2
    assert {e.id for e in read.events} - {e.id for e in [*one.events, *two.events]} == {
        "event-3-2",
        "event-3-3",
    }
    second = text.count("\n", 0, text.index("BEGIN:VCALENDAR", len(bare) + 10)) + 1
    assert [re.sub(r".*?\.ics: ", "", s)[:38] for s in said] == [
        "no BEGIN:VCALENDAR around 3 VEVENTs ('",
        f"line {second}: the file holds 2 calendars: ",
    ]


def test_the_order_of_what_is_said_is_the_whole_readers(tmp_path: Path) -> None:
    """A defect near the end is said first (the whole reader says the defects first),
    with those of our events and of others' in their places."""
    text = export(timeline.example("sco"))
    vevents = _vevents(text)
    foreign = (
        "BEGIN:VEVENT\r\nUID:f@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000\r\n"
        "SUMMARY:Foreign\r\nATTENDEE:mailto:a@x\r\nEND:VEVENT\r\n"
    )
    changed = vevents[3].replace("SUMMARY:", "SUMMARY:Changed ", 1)
    text = text.replace(vevents[3], changed + foreign)
    text = text.replace("END:VCALENDAR\r\n", "garbage\r\n\tcontinued\r\nEND:VCALENDAR\r\n")
    text = text.replace("BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\nX-APP:1\r\n", 1)
    _, error, said = _same(_write(tmp_path, "mixed.ics", text))
    assert error is None
    assert [re.sub(r".*?\.ics: ", "", s)[:20] for s in said] == [
        "line 1117: 'garbagec",  # the defects first, the last line's too
        "other producers' X- ",  # then our events', in the order of the file
        "the SUMMARY or DTSTA",
        "ATTENDEE left out of",  # then others' events, read at the end
    ]


# -- the input ------------------------------------------------------------------------------


class _OneWay(io.RawIOBase):
    """Bytes that cannot be read again (a pipe)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_line_endings_and_carriage_returns(ending: str, tmp_path: Path) -> None:
    t = synthetic_timeline(150)  # some 130 KB: lines across the chunks of the input
    text = export(t).replace("\r\n", ending)
    text = text.replace("PRODID:", "PRODID:a\rb", 1)  # a carriage return inside a line
    path = _write(tmp_path, "endings.ics", text)
    whole = _same(path)
    assert _outcome(lambda: _streamed(_OneWay(text.encode()))) == _renamed(whole, path)
    assert _outcome(lambda: _streamed(io.StringIO(text, newline=""))) == _renamed(whole, path)


def _renamed(outcome: Outcome, path: Path, name: str = "<stream>") -> Outcome:
    result, error, said = outcome
    error = None if error is None else error.replace(str(path), name)
    return result, error, [s.replace(str(path), name) for s in said]


def test_a_character_split_by_a_fold(hostile_files: DataFolder, tmp_path: Path) -> None:
    """RFC 5545 asks for a character split by a fold to be put together: a file (which
    can be read again) is then read whole, as load reads it, from the line the error
    stopped; a stream that cannot be read again fails as load fails."""
    data = hostile_files.read_bytes("ics/folded-utf8-split.ics")
    # Our own events first, so that some are given before the split is met.
    ours = export(synthetic_timeline(2000)).encode()
    data = ours.replace(b"END:VCALENDAR\r\n", b"") + data.split(b"BEGIN:VCALENDAR\r\n", 1)[1]
    path = _write(tmp_path, "split.ics", data)
    read, error, _ = _same(path)
    assert error is None
    assert read is not None
    assert len(read) > 2000
    whole = _outcome(lambda: timeline.load(_OneWay(data), format="ics"))
    assert whole[1] is not None
    assert "not valid UTF-8" in whole[1]
    assert _outcome(lambda: _streamed(_OneWay(data))) == whole


def test_physical_lines_are_the_lines_of_split(
    hostile_files: DataFolder, ics_files: DataFolder
) -> None:
    """The lines of a stream, read as they come, make the tree and the defects that
    parse_calendar makes of the whole text (which scan_components reads too)."""
    paths = hostile_files.paths("ics/*") + ics_files.paths("golden/*.ics")
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", "replace")
        variants = [text, text.replace("\r\n", "\r"), text.replace("\r\n", "\n") + "\r"]
        for variant in variants[: 1 if len(text) > 100_000 else 3]:
            stream = io.StringIO(variant, newline="")
            assert list(physical_lines(stream)) == variant.split("\n")
            stream.seek(0)
            top, defects = parse_calendar(variant)
            streamed_top, streamed_defects = _tree(scan_components(physical_lines(stream)))
            assert (_flat(streamed_top), streamed_defects) == (_flat(top), defects)


def _flat(top: list[Component]) -> list[tuple[Any, ...]]:
    """The components of a tree in order, with their depth (a tree of thousands of
    levels cannot be compared by ``==``, which recurses)."""
    flat, stack = [], [(0, c) for c in reversed(top)]
    while stack:
        depth, c = stack.pop()
        flat.append((depth, c.name, c.line, c.properties, len(c.children)))
        stack.extend((depth + 1, child) for child in reversed(c.children))
    return flat


def _tree(items: Iterator[tuple[str, Any]]) -> tuple[list[Component], list[Defect]]:
    top: list[Component] = []
    defects: list[Defect] = []
    calendar = None
    for kind, what in items:
        if kind is DEFECT:
            defects.append(what)
        elif kind is CHILD:
            assert calendar is not None
            calendar.children.append(what)
        else:
            top.append(what)
            calendar = what if kind is CALENDAR else calendar
    return top, defects


# -- what it holds ----------------------------------------------------------------------------


def test_memory_does_not_grow_with_our_events_but_for_their_digests(tmp_path: Path) -> None:
    """Our own calendar of 16,000 events is read in the memory of one of 2,000 (within
    half as much again), but for the digests of each event (of its id, with one of its
    data: an indexed SeenIds table of 10 to 18 bytes an id, measured here as it grows)."""
    paths = {}
    for count in (2000, 16000):
        paths[count] = _write(tmp_path, f"{count}.ics", export(synthetic_timeline(count)))

    def count(path: Path) -> int:
        with timeline.read_events(path) as read:
            return sum(1 for _ in read.events)

    def peak(read: Callable[[], object]) -> int:
        gc.collect()
        tracemalloc.start()
        try:
            read()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def digests(n: int) -> None:
        ids = SeenIds(indexed=True)
        for i in range(n):
            ids.first(f"event-{i}", i)

    for path in paths.values():  # the dates read are cached (timeline.dates), once
        count(path)
    assert [count(path) for path in paths.values()] == [2000, 16000]
    small = peak(lambda: count(paths[2000]))
    large = peak(lambda: count(paths[16000]))
    assert large < 1.5 * small + peak(lambda: digests(16000)), (small, large)


def test_seen_ids_tells_what_it_holds() -> None:
    seen = SeenIds()
    ids = [f"event-{i}" for i in range(3000)]
    for event_id in ids[::2]:
        seen.add(event_id)
    assert all(event_id in seen for event_id in ids[::2])
    assert not any(event_id in seen for event_id in ids[1::2])
    assert len(seen) == 1500
    assert 3 not in seen


# -- convert ----------------------------------------------------------------------------------


def test_convert_writes_what_dump_writes(tmp_path: Path) -> None:
    t = _zoned(synthetic_timeline(500, seed=5))
    path = _write(tmp_path, "in.ics", export(t))
    out = tmp_path / "out.json"
    done = timeline.convert(path, [out])
    assert done.read == done.events == 500
    assert not done.sorted
    expected = tmp_path / "expected.json"
    timeline.dump(timeline.load(path), expected)
    assert out.read_bytes() == expected.read_bytes()


# -- any calendar -----------------------------------------------------------------------------

_EDITS = {
    "garbage": "no colon here\r\n",
    "fold": " a continuation with nothing before\r\n",
    "property": "X-SOMEONE:1\r\n",
    "todo": "BEGIN:VTODO\r\nUID:t@x\r\nSUMMARY:Do\r\nEND:VTODO\r\n",
    "foreign": (
        "BEGIN:VEVENT\r\nUID:weekly@x\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Office time:20260301T090000\r\nRRULE:FREQ=WEEKLY\r\n"
        "SUMMARY:Weekly\r\nATTENDEE:mailto:a@x\r\nEND:VEVENT\r\n"
    ),
    "override": (
        "BEGIN:VEVENT\r\nUID:weekly@x\r\nDTSTAMP:20260101T000000Z\r\n"
        "RECURRENCE-ID;TZID=Office time:20260308T090000\r\n"
        "DTSTART;TZID=Office time:20260309T100000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n"
    ),
    "untitled": "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20200101\r\nEND:VEVENT\r\n",
    "zone": (
        "BEGIN:VTIMEZONE\r\nTZID:Office time\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    ),
    "end": "END:VEVENT\r\n",
    "begin": "BEGIN:VEVENT\r\n",
    "calendar": "END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
}


@given(
    timelines(max_events=6),
    st.lists(st.tuples(st.sampled_from([*sorted(_EDITS), "again", "lose"]), st.floats(0, 1))),
    st.booleans(),
)
def test_any_calendar_of_ours_edited_is_read_as_load_reads_it(
    t: timeline.Timeline, edits: list[tuple[str, float]], strict: bool
) -> None:
    """Any timeline's calendar, with lines, components and calendars put anywhere
    (one of its VEVENTs again, a line of it lost), is read as load reads it."""
    lines = export(t).splitlines(keepends=True)
    vevents = _vevents("".join(lines))
    for edit, where in edits:
        at = round(where * len(lines))
        if edit == "lose":
            del lines[min(at, len(lines) - 1)]
            continue
        text = _EDITS.get(edit) or (vevents[at % len(vevents)] if vevents else "")
        lines[at:at] = text.splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as folder:
        _same(_write(Path(folder), "edited.ics", "".join(lines)), strict=strict)
