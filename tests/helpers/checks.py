"""Independent checks of what each built-in exporter writes, for any timeline.

Shared by the property tests (``tests/properties/test_exports.py``) and the hostile
corpus (``tests/corpus/test_hostile.py``). Each check reads the output with tools that did
not write it and compares what they read with the timeline:

* JSON: the JSON Schema, and the exact round trip.
* iCalendar: the raw RFC 5545 rules (:func:`helpers.ics.raw_problems`), two
  parsers (icalendar and allenporter's ``ical``; ical.js in batches, see
  :func:`read_with_icaljs`) agreeing with each other and with the timeline on
  the events, their UIDs and dates, what the exporter's ``imprecise`` policy
  leaves out (warned about, by id, and not written), and the round trip back
  through our importer.
* Markdown: the three renderers of :mod:`helpers.markdown` and the structure
  it asserts (headings, one item or row per event with the texts of the data,
  the Mermaid diagram's sections, periods and events, nothing but text).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
from icalendar import vRecur

import timeline
from helpers import markdown as md
from helpers import node_packages
from helpers.ics import ICALJS as JS
from helpers.ics import STAMP, python_when, raw_problems, read_ical, read_icalendar, read_icaljs
from timeline import Date, Event, Timeline
from timeline.schema import json_schema

DOMAIN = "timeline.invalid"
ONE_DAY = dt.timedelta(days=1)


# -- JSON ---------------------------------------------------------------------------------------


def check_json(t: Timeline, text: str) -> None:
    """Valid against the schema of the registered kinds, and read back exactly."""
    validator = jsonschema.Draft202012Validator(json_schema())
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(text))
    ]
    assert errors == []
    assert timeline.loads(text) == t


# -- iCalendar: what the calendar should hold ---------------------------------------------------


def _exact(d: Date | None) -> bool:
    return d is None or (d.day is not None and not d.approximate and not d.uncertain)


def _day(d: Date) -> dt.date:
    return dt.date(d.year, d.month or 1, d.day or 1)


def _seconds(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


def expected_vevent(event: Event, *, span: bool) -> tuple[dt.date, dt.date | None] | None:
    """(DTSTART, DTEND) as iCalendar should hold the event, or ``None`` when
    the exporter must leave it out: a year before 1, a date iCalendar cannot
    say (unless ``span``), or an all-day event that would end after 9999."""
    start, end = event.start, event.end
    if start.year < 1:
        return None
    if not (_exact(start) and _exact(end)):
        if not span:
            return None
        first, last = _day(start.earliest), _day(event.last.latest)
    else:
        mixed = end is not None and (end.time is None or (start.tz is None) != (end.tz is None))
        if start.time is not None and not mixed:
            start_dt = _seconds(start.to_datetime())
            end_dt = None if end is None else _seconds(end.to_datetime())
            if end_dt is not None and not end_dt > start_dt:
                end_dt = None  # iCalendar holds seconds, and DTEND must come after DTSTART
            return start_dt, end_dt
        first = _day(start)
        last = first if end is None else _day(end)
    if max(first, last) == dt.date.max:
        return None
    return first, max(first, last) + ONE_DAY


def export_ics(t: Timeline, **options: Any) -> tuple[str, list[str]]:
    """The calendar (DTSTAMP fixed) and the messages of the ExportWarnings."""
    options.setdefault("dtstamp", STAMP)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        text = timeline.dumps(t, "ics", **options)
    messages = [str(w.message) for w in record if issubclass(w.category, timeline.ExportWarning)]
    return text, messages


def written(t: Timeline, *, span: bool) -> list[tuple[Event, tuple[dt.date, dt.date | None]]]:
    found = []
    for event in t:
        layout = expected_vevent(event, span=span)
        if layout is not None:
            found.append((event, layout))
    return found


def check_ics(t: Timeline, text: str, messages: Sequence[str], *, span: bool = False) -> None:
    """The raw rules; icalendar and ``ical`` agree with each other and with
    the timeline; each event left out is warned about by id."""
    data = text.encode("utf-8")
    assert raw_problems(data) == []
    expected = written(t, span=span)
    kept = {event.id for event, _ in expected}
    for event in t:
        if event.id not in kept:
            assert any(f"event {event.id!r} is left out" in m for m in messages), event.id
    with tempfile.TemporaryDirectory(prefix="trust-ics-") as folder:
        path = Path(folder) / "calendar.ics"
        path.write_bytes(data)
        by_icalendar = read_icalendar(path)
        assert read_ical(path) == by_icalendar
    assert by_icalendar == [vevent_reading(event, layout, span=span) for event, layout in expected]


def vevent_reading(
    event: Event, layout: tuple[dt.date, dt.date | None], *, span: bool
) -> tuple[Any, ...]:
    """(UID, SUMMARY, start, end) as the parsers should read the event. An
    event spread over the days it may cover (``span``) has its dates in words
    after its title."""
    summary = event.title
    if span and not (_exact(event.start) and _exact(event.end)):
        summary = _Summary(event.title)
    start, end = layout
    return f"{event.id}@{DOMAIN}", summary, python_when(start), python_when(end)


class _Summary(str):
    """A SUMMARY that is the title followed by the dates in words: in brackets,
    or after a comma when the title already ends in brackets."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        title = str.__str__(self)
        after = ", " if title.endswith(")") else " ("
        return isinstance(other, str) and other.startswith(title + after)

    __hash__ = str.__hash__


def read_with_icaljs(paths: Iterable[Path]) -> list[list[tuple[Any, ...]]]:
    """What ical.js reads in each file, in one run of node: (UID, SUMMARY,
    start, end) per event, as ``tests/formats/ics/test_parsers.py`` compares them."""
    paths = list(paths)
    node = node_packages.installed(JS, "ical.js")
    done = subprocess.run(
        [node, str(JS / "parse.mjs"), *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [
        [
            (uid, summary, _padded(start), _padded(end))
            for uid, summary, start, end in read_icaljs(parsed)
        ]
        for parsed in json.loads(done.stdout)
    ]


def _padded(when: tuple[str, str | None] | None) -> tuple[str, str | None] | None:
    """ical.js writes the years before 1000 without leading zeros (``1-01-01``)."""
    if when is None:
        return None
    year, _, rest = when[0].partition("-")
    return f"{int(year):04d}-{rest}", when[1]


def check_with_icaljs(paths: Sequence[Path]) -> None:
    """ical.js reads every file as icalendar does."""
    for path, reading in zip(paths, read_with_icaljs(paths), strict=True):
        assert reading == read_icalendar(path), path


def check_ics_round_trip(t: Timeline, text: str, *, span: bool = False) -> None:
    """Our importer gives back every event the calendar holds, exactly (the
    file carries each event's data in X-TIMELINE-EVENT)."""
    events = [event for event, _ in written(t, span=span)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", timeline.ImporterWarning)
        again = timeline.loads(text, "ics")
    assert again == t.with_events(events)


def check_ics_standard_round_trip(t: Timeline, text: str) -> None:
    """Without the X- data, what iCalendar's standard properties hold comes
    back: the ids, titles, dates, rules, links, tags and places."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        again = timeline.loads(text, "ics")
    expected = written(t, span=False)
    by_id = {e.id: e for e in again}
    assert sorted(by_id) == sorted(e.id for e, _ in expected)
    for event, (start, end) in expected:
        read = by_id[event.id]
        assert read.kind == "event"
        assert read.title == event.title.strip()
        assert _as_value(read.start) == start, event.id
        read_end = None if read.end is None else _as_value(read.end)
        if isinstance(start, dt.datetime):
            assert read_end == (None if end == start else end), event.id
        else:
            assert read_end == (None if end is None or end - ONE_DAY == start else end - ONE_DAY)
        if event.recurrence is None:
            assert read.recurrence is None
        else:
            assert vRecur.from_ical(read.recurrence) == vRecur.from_ical(event.recurrence)
        url = event.url if event.url is not None else (
            event.sources[0].url if event.sources else None)  # fmt: skip
        assert read.url == url
        tags = dict.fromkeys(" ".join(tag.split()) for tag in (event.kind, *event.tags))
        assert read.tags == tuple(tag for tag in tags if tag)
        if event.description:
            assert event.description in read.description
        if event.notes:
            assert event.notes in read.description
        place = event.place
        if place is None:
            assert read.place is None
        else:
            assert read.place is not None
            # docs/ics.md: a virtual summit is online, hosted from its place,
            # with no pin on the map.
            virtual = event.online
            name = read.place.name.removeprefix("Online, hosted from ") if virtual else (
                read.place.name)  # fmt: skip
            assert name.lstrip().startswith(place.name.strip())
            pin = (place.latitude, place.longitude) if place.longitude is not None else None
            assert (read.place.latitude, read.place.longitude) == (
                (None, None) if virtual or pin is None else pin
            )


def _as_value(d: Date) -> dt.date:
    if d.time is None:
        return d.to_date()
    return d.to_datetime()


# -- Markdown --------------------------------------------------------------------------------------


def check_markdown(t: Timeline, text: str, style: str) -> None:
    """Rendered by markdown-it, cmark-gfm and Python-Markdown to the structure
    of the data, with nothing but the expected elements."""
    for renderer, render in md.RENDERERS.items():
        doc = md.tree(render(text))
        md.check_safe(doc, renderer)
        assert md.headings(doc) == md.expected_headings(t), renderer
        blocks = doc.elements()
        top = md.top_level_text(t)
        assert [b.text() for b in blocks[1 : 1 + len(top)]] == top, renderer
        if not t.events:
            assert [b.text() for b in blocks[1 + len(top) :]] == ["No events."], renderer
        elif style == "mermaid":
            block = md.diagram(doc)
            assert block == md.mermaid_block(text)
            md.check_mermaid_structure(block, t)
            md.check_list(doc, t, renderer)
        elif style == "table":
            md.check_table(doc, t, renderer)
        else:
            md.check_list(doc, t, renderer)
