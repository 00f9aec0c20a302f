"""The ics exporter event by event: ``ICSExporter.event_writer`` writes
exactly what ``write`` writes, with the same warnings, for every option, in
memory that does not grow with the number of events."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import tempfile
import tracemalloc
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.ics import STAMP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import Event, Place, Summit
from timeline.default_plugins.ics import export as ics_export
from timeline.default_plugins.ics.vevent import write_vevent
from timeline.registry import get_exporter
from timeline.testing import sample_timeline, synthetic_timeline, timelines

Said = list[tuple[type[Warning], str]]


def _said(record: list[warnings.WarningMessage]) -> Said:
    return [(w.category, str(w.message)) for w in record]


def whole(t: timeline.Timeline, **options: Any) -> tuple[str, Said]:
    """What ``write`` writes for ``t``, and its warnings."""
    exporter = get_exporter("ics")
    out = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        exporter.write(t, out, exporter.resolve_options({"dtstamp": STAMP, **options}))
    return out.getvalue(), _said(record)


def streamed(
    header: timeline.Timeline, events: Iterator[Event] | list[Event], **options: Any
) -> tuple[str, Said]:
    """What the event writer writes for ``events`` one at a time, and its
    warnings; making the writer writes nothing."""
    exporter = get_exporter("ics")
    out = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        resolved = exporter.resolve_options({"dtstamp": STAMP, **options})
        writer = exporter.event_writer(header.with_events(()), out, resolved)
        assert out.getvalue() == ""
        for event in events:
            writer.write(event)
            assert out.getvalue() == ""  # everything waits for the VTIMEZONEs
        writer.close()
    return out.getvalue(), _said(record)


def reference(t: timeline.Timeline, **options: Any) -> str:
    """The calendar as the exporter wrote it before it streamed: the
    VTIMEZONEs found from the whole timeline first, then the VEVENTs."""
    exporter = get_exporter("ics")
    settings = ics_export.make_settings(t, exporter.resolve_options({"dtstamp": STAMP, **options}))
    head: bytes = ics_export.calendar(t, settings).to_ical()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        body = "".join(
            write_vevent(v, settings.stamp_text) for v in ics_export.vevents(t, settings)
        )
    return head.decode("utf-8").removesuffix("END:VCALENDAR\r\n") + body + "END:VCALENDAR\r\n"


@pytest.fixture(params=["memory", "spooled"])
def spool(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the VEVENTs wait: in memory (a small calendar), and in the
    temporary file, every event spilled to it at once."""
    if request.param == "spooled":
        monkeypatch.setattr(ics_export, "SPOOL_SIZE", 1)
    return str(request.param)


def _zoned_timeline(count: int) -> timeline.Timeline:
    return timeline.Timeline(title="Zoned", events=list(_zoned_events(count)))


_ZONES = ("Asia/Almaty", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
          "Pacific/Chatham", "Asia/Kolkata", "UTC", None)  # fmt: skip


def _zoned_events(count: int) -> Iterator[Event]:
    """``count`` events, made one at a time (with no text for the model's
    cache of dates read), from 2000 to 2031 however many there are: timed in several zones, floating and UTC, some recurring, and
    all-day and imprecise ones between."""
    places = [Place(name=f"Place {i}", country="KZ", timezone="Asia/Almaty") for i in range(5)]
    start = dt.datetime(2000, 1, 3, 9, 30)
    step = dt.timedelta(days=32 * 365) / count
    for i in range(count):
        when = (start + i * step).replace(microsecond=0)
        zone = _ZONES[i % len(_ZONES)]
        common: dict[str, Any] = {"id": f"e{i:06d}", "title": f"Meeting {i}",
                                  "place": places[i % 5], "notes": f"Note {i}."}  # fmt: skip
        if i % 10 == 9:
            yield Event(start=timeline.Date(when.year, when.month), **common)  # imprecise
            continue
        if i % 10 == 4:
            yield Event(start=timeline.Date(when.year, when.month, when.day), **common)
            continue
        try:
            day = timeline.Date(when.year, when.month, when.day, time=when.time(), tz=zone)
        except timeline.DateError:  # a time the clocks skip
            day = timeline.Date(when.year, when.month, when.day, time=when.time())
        later = when + dt.timedelta(hours=3)
        try:
            end = timeline.Date(later.year, later.month, later.day, time=later.time(), tz=zone)
        except timeline.DateError:
            end = None
        if i % 10 == 2:
            yield Summit(start=day, end=end, organisation="SCO", host="KZ",
                         recurrence="FREQ=YEARLY;COUNT=3", **common)  # fmt: skip
        else:
            yield Event(start=day, end=end, **common)


# -- the same bytes, the same warnings ------------------------------------------------------


def test_the_sco_example_streams_to_the_same_bytes(spool: str) -> None:
    sco = timeline.example("sco")
    text, said = whole(sco)
    assert streamed(sco, sco.events) == (text, said)
    assert text == reference(sco)


_OPTIONS: list[dict[str, Any]] = [
    {},
    {"lossless": False},
    {"imprecise": "span"},
    {"anniversaries": True},
    {"anniversaries": True, "imprecise": "span"},
    {"refresh": "P1D"},
    {"name": "Zoned meetings", "description": "Every meeting,\nin its zone; with commas"},
    {"locale": "ru"},
    {"locale": "zh-Hans", "imprecise": "span"},
    {"locale": "fa", "lossless": False},
    {"domain": "example.org"},
    {"dtstamp": "2030-06-15T12:00:00+02:00"},
]


@pytest.mark.parametrize("options", _OPTIONS, ids=repr)
def test_zoned_events_stream_to_the_same_bytes_with_every_option(
    options: dict[str, Any], spool: str
) -> None:
    t = _zoned_timeline(300)
    text, said = whole(t, **options)
    assert streamed(t, t.events, **options) == (text, said)
    assert streamed(t, _zoned_timeline(300).events, **options) == (text, said)  # new objects
    assert text == reference(t, **options)
    if not options.get("anniversaries"):  # all-day events: no zones
        assert text.count("BEGIN:VTIMEZONE") == 6  # every zone but UTC and floating
        assert text.rindex("END:VTIMEZONE") < text.index("BEGIN:VEVENT")


_OPTION_VALUES = st.fixed_dictionaries({
    "imprecise": st.sampled_from(["skip", "span"]),
    "anniversaries": st.booleans(),
    "lossless": st.booleans(),
    "refresh": st.sampled_from([None, "PT36H"]),
    "locale": st.sampled_from([None, "ru", "zh-Hans", "fa"]),
    "name": st.sampled_from([None, "Name, with; commas"]),
})  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=timelines(max_events=8), options=_OPTION_VALUES, spill=st.booleans())
def test_generated_timelines_stream_to_the_same_bytes_and_warnings(
    t: timeline.Timeline, options: dict[str, Any], spill: bool
) -> None:
    size = ics_export.SPOOL_SIZE
    ics_export.SPOOL_SIZE = 1 if spill else size  # type: ignore[misc]
    try:
        text, said = whole(t, **options)
        assert streamed(t, t.events, **options) == (text, said)
    finally:
        ics_export.SPOOL_SIZE = size  # type: ignore[misc]
    assert text == reference(t, **options)


def test_the_warnings_are_the_same_with_their_counts() -> None:
    t = sample_timeline()
    for options in ({}, {"locale": "ru"}, {"anniversaries": True, "locale": "zh-Hans"}):
        text, said = whole(t, **options)
        assert streamed(t, t.events, **options) == (text, said)
    _, said = whole(t, locale="ru")
    left_out = [m for _, m in said if "is left out of the calendar" in m]
    assert len(left_out) == 5
    assert said[-1][0] is timeline.ExportWarning
    assert said[-1][1].startswith("13 texts have no Russian translation and are in English")


def test_texts_are_counted_once_each_though_the_events_are_let_go() -> None:
    """In a stream each event is let go once written, and the next may be
    made at the same address: it is counted all the same."""
    expected = (
        timeline.ExportWarning,
        "1,806 texts have no Russian translation and are in English (name 5, notes 900, title 901)",
    )
    _, said = streamed(timeline.Timeline(title="Zoned"), _zoned_events(1000), locale="ru")
    assert said[-1] == expected
    _, said = whole(_zoned_timeline(1000), locale="ru")
    assert said[-1] == expected


def test_a_place_shared_by_events_far_apart_is_counted_once() -> None:
    """More places than the cache of their text holds, each used by two
    events 1,100 apart: each place's name is counted once."""
    places = [Place(name=f"Place {i}") for i in range(1100)]
    events = [Event(id=f"e{i:05d}", title=f"Meeting {i}", start=f"{2000 + i // 365}-01-01",
                    place=places[i % 1100]) for i in range(2200)]  # fmt: skip
    t = timeline.Timeline(title="Far apart", events=events)
    text, said = whole(t, locale="ru")
    assert said == [(timeline.ExportWarning, "3,301 texts have no Russian translation and are "
                                             "in English (name 1,100, title 2,201)")]  # fmt: skip
    assert streamed(t, t.events, locale="ru") == (text, said)


def test_an_error_in_an_event_leaves_no_spool_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is closed (and so deleted) when an event cannot
    be written, as when the calendar is."""
    monkeypatch.setattr(ics_export, "SPOOL_SIZE", 1)
    spools: list[Any] = []
    make = tempfile.TemporaryFile

    def recorded(*args: Any, **kwargs: Any) -> Any:
        spools.append(make(*args, **kwargs))
        return spools[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recorded)
    bad = Event(title="Summit", start="2001-06-15", url="https://example.org/")
    object.__setattr__(bad, "url", "https://example.org/\r\nATTENDEE:x")
    good = synthetic_timeline(3)
    with pytest.raises(timeline.TimelineError):
        timeline.dumps(good.with_events([*good.events, bad]), "ics", dtstamp=STAMP)
    assert len(spools) == 1
    assert spools[0].closed
    timeline.dumps(good, "ics", dtstamp=STAMP)
    assert len(spools) == 2
    assert spools[1].closed


@pytest.mark.parametrize("when", ["open", "write", "flush"])
def test_a_full_disk_for_the_spool_is_an_error_that_says_so(
    monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    make = tempfile.TemporaryFile

    def no_space(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    def full(*args: Any, **kwargs: Any) -> Any:
        if when == "open":
            no_space()
        spool = make(*args, **kwargs)
        setattr(spool, "write" if when == "write" else "seek", no_space)
        return spool

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    monkeypatch.setattr(ics_export, "SPOOL_SIZE", 1)
    with pytest.raises(timeline.FileError) as info:
        timeline.dumps(synthetic_timeline(5), "ics", dtstamp=STAMP)
    assert str(info.value) == (
        "cannot write the temporary file that holds the calendar's events until its time zones "
        f"are known, in {tempfile.gettempdir()}: No space left on device"
    )


def test_convert_streams_a_calendar(tmp_path: Any) -> None:
    t = _zoned_timeline(500)
    timeline.dump(t, tmp_path / "in.json")
    output = timeline.Output(tmp_path / "out.ics", options={"dtstamp": STAMP})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        done = timeline.convert(tmp_path / "in.json", [output])
    assert done.streamed
    text, said = whole(t)
    assert (tmp_path / "out.ics").read_bytes() == text.encode("utf-8")
    # convert names the output in what its exporter warns about
    assert _said(record) == [(c, f"{tmp_path / 'out.ics'}: {m}") for c, m in said]


# -- memory ---------------------------------------------------------------------------------


class _Discard(io.TextIOBase):
    """An output that counts what it is given and keeps none of it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def _peak(count: int, **options: Any) -> tuple[int, int]:
    """The peak of memory held while the writer writes ``count`` zoned
    events, made one at a time, and the size of the output."""
    exporter = get_exporter("ics")
    resolved = exporter.resolve_options({"dtstamp": STAMP, **options})
    header = timeline.Timeline(title="Zoned")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        warm = exporter.event_writer(header, _Discard(), resolved)  # the zones' rules, cached
        for event in _zoned_events(2000):
            warm.write(event)
        warm.close()
        out = _Discard()
        gc.collect()
        tracemalloc.start()
        try:
            writer = exporter.event_writer(header, out, resolved)
            for event in _zoned_events(count):
                writer.write(event)
            writer.close()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak, out.size


@pytest.mark.parametrize("options", [{}, {"locale": "ru", "imprecise": "span"}], ids=repr)
def test_the_writers_memory_does_not_grow_with_the_number_of_events(
    options: dict[str, Any],
) -> None:
    small, _ = _peak(2000, **options)
    big, size = _peak(16_000, **options)
    assert big < 1.3 * small, (small, big)
    assert big < size / 10, (big, size)  # the VEVENTs wait on disk, not in memory
