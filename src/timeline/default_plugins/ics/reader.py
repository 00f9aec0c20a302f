"""Reading iCalendar files into timelines, for the ics importer.

Each VEVENT of the components that :mod:`.scan` finds becomes an event, its times read with
the zones of :mod:`.zones`. See docs/ics.md, "Importing other producers' calendars".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, TextIO

import attrs

from ...dates import Date, get_zone
from ...document import event_reader, timeline_from_dict
from ...errors import DateError, ImporterWarning, Problem, Problems, TimelineError, ValidationError
from ...files import collector_paused
from ...formats import EventSource
from ...model import Event, Place, ends_before_it_starts
from ...recurrence import parse_rule
from ...streaming import SeenIds
from ...timelines import Timeline
from ...validators import (
    C1_CONTROL_CHARACTERS,
    CONTROL_CHARACTERS,
    MAX_TITLE,
    ONE_LINE_CONTROL_CHARACTERS,
    is_event_id,
    is_url,
)
from .scan import (
    BARE,
    CALENDAR,
    CHILD,
    DEFECT,
    Component,
    Defect,
    Item,
    Property,
    scan_components,
    scan_pieces,
    unescape_text,
)
from .values import parse_date_or_datetime, parse_duration
from .vevent import EVENT_PROPERTY, HEADER_PROPERTY
from .zones import FileZone, ZoneDefect, read_zone

__all__ = ["read_calendar", "read_stream", "stream_calendar", "stream_pieces"]

_ONE_DAY: Final = dt.timedelta(days=1)
_NOT_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
# The line breaks of one-line fields other than \n and \r: NEL and the line
# and paragraph separators.
_OTHER_BREAKS: Final = re.compile(r"[\x85\u2028\u2029]")
_FLOAT: Final = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]*)?")  # 1e-55 is written in full
_COMMA: Final = re.compile(r"(?<!\\),")
_UTC_NAMES: Final = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "Zulu", "Etc/Zulu"})
_OTHER_X: Final = (
    "other producers' X- properties left out of {them}: {x_names} (a timeline has no place "
    "for them)"
)
_MAX_NOTES: Final = 1000
"""Warnings (or problems, when strict) past this many are counted, not kept."""

# The steps of reading a calendar, in the order of the whole reader: what is
# left out or changed is said in this order, whatever order it was found in
# (a defect of line 9000 is found after the events before it were read, when
# the calendar is read event by event).
_DEFECTS, _CALENDARS, _HEADER, _ZONES, _OURS, _FOREIGN, _OVERRIDES = range(7)

_OUR_EVENT_PROPERTIES: Final = frozenset({
    "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "RRULE", "CATEGORIES", "DESCRIPTION",
    "GEO", "LOCATION", "TRANSP", "URL", EVENT_PROPERTY,
})  # fmt: skip
_READ_EVENT_PROPERTIES: Final = frozenset({
    "UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "DESCRIPTION", "LOCATION", "GEO",
    "CATEGORIES", "URL", "RRULE", "RECURRENCE-ID", EVENT_PROPERTY,
})  # fmt: skip
"""What a VEVENT of another producer's is read from (and ours, when its
X-TIMELINE-EVENT cannot be read, which is said once)."""
_BOOKKEEPING: Final = frozenset({"DTSTAMP", "SEQUENCE", "CREATED", "LAST-MODIFIED", "TRANSP"})
"""Properties about the copy of an event rather than the event: read, never reported."""
_DEFAULTS: Final = {"CLASS": "PUBLIC", "STATUS": "CONFIRMED"}
"""Properties that say nothing when they have their usual value."""
_READ_CALENDAR_PROPERTIES: Final = frozenset({
    "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "DESCRIPTION",
    "X-WR-CALDESC", HEADER_PROPERTY,
})  # fmt: skip


def read_calendar(text: str, source: str, *, strict: bool = False) -> Timeline:
    """The timeline in an iCalendar text. Raises
    :class:`~timeline.ValidationError` when the text is not a calendar at
    all, or, when ``strict``, for anything that cannot be read or held."""
    return _Reader(source=source, strict=strict).read(text)


def read_stream(
    stream: TextIO,
    source: str,
    *,
    strict: bool = False,
    refold: Callable[[TextIO, UnicodeDecodeError], str],
) -> Timeline:
    """:func:`read_calendar` of the text in ``stream``, read a piece at a time rather than
    held whole; a text that is not UTF-8 is given to ``refold``, as in
    :func:`stream_calendar`.

    Python's cyclic garbage collector is paused while it reads, as the JSON importer
    pauses it (:func:`timeline.files.collector_paused`)."""
    reader = _Reader(source=source, strict=strict)
    with collector_paused():
        return reader.whole(scan_pieces(stream_pieces(stream, refold)))[1]


def stream_calendar(
    stream: TextIO,
    source: str,
    *,
    strict: bool = False,
    refold: Callable[[TextIO, UnicodeDecodeError], str],
) -> EventSource:
    """The header and the events of the calendar in ``stream``, read as they are asked
    for, as :func:`read_calendar` reads them: our own events one at a time as they come,
    others' (and changed occurrences) at the end. The header is what comes before the
    calendar's first component; a calendar without our header is someone else's, and is
    read whole before this returns (its events are held either way). A text that is not
    UTF-8 is given to ``refold``, which gives it whole (put together where a fold split
    a character) or raises. See docs/ics.md, "Streaming"."""
    reader = _Reader(source=source, strict=strict)
    return reader.stream(scan_pieces(stream_pieces(stream, refold)))


def stream_pieces(
    stream: TextIO, refold: Callable[[TextIO, UnicodeDecodeError], str], size: int = 1 << 16
) -> Iterator[str]:
    """The text of ``stream`` read ``size`` characters at a time as it is asked for, never
    held whole, in pieces of whole lines, each ended by ``\\n``, but the last, the rest
    of the text (maybe ``""``). When a byte is not UTF-8, the rest of the text that
    ``refold`` gives, from the first line not yet given, is the last piece."""
    given = 0  # the lines given
    tail = ""  # the start of a line that the next piece ends
    try:
        while data := stream.read(size):
            cut = data.rfind("\n") + 1
            if not cut:
                tail += data
                continue
            piece = tail + data[:cut] if tail else data[:cut]
            tail = data[cut:]
            given += piece.count("\n")
            yield piece
    except UnicodeDecodeError as exc:
        yield "\n".join(refold(stream, exc).split("\n")[given:])
        return
    yield tail


class _Unreadable(ValueError):
    """A value that cannot be read; the message says why."""


class _Taken:
    """The ids taken, when the calendar is read event by event: ours, as the digests
    seen, and others' (which are read at the end, and held)."""

    def __init__(self, ours: SeenIds) -> None:
        self.ours, self.others = ours, set[str]()

    def __contains__(self, event_id: str) -> bool:
        return event_id in self.others or event_id in self.ours

    def add(self, event_id: str) -> None:
        self.others.add(event_id)


@attrs.define
class _Reader:
    """The state of one import: the file's zones, the ids taken, and what
    was left out or changed."""

    source: str
    strict: bool
    problems: Problems = attrs.Factory(Problems)
    # (message, noun, values) -> [(step, order, line, uid, the line of the event it is in)]
    notes: dict[
        tuple[str, str, tuple[tuple[str, Any], ...]],
        list[tuple[int, int, int, str | None, int]],
    ] = attrs.Factory(dict)
    step: int = _DEFECTS  # the step of reading that what is noted belongs to
    noted: int = 0  # how many notes were taken, for their order
    zone_parts: dict[str, Component] = attrs.Factory(dict)
    zones: dict[str, FileZone | None] = attrs.Factory(dict)
    iana: dict[str, str | None] = attrs.Factory(dict)
    taken: set[str] | _Taken = attrs.Factory(set)
    next_suffix: dict[str, int] = attrs.Factory(dict)
    x_names: dict[str, None] = attrs.Factory(dict)  # other producers' X- properties
    current: str | None = None  # the UID of the event being read
    # The component whose properties were last looked up, and its properties by name.
    indexed: Component | None = None
    properties: dict[str, list[Property]] = attrs.Factory(dict)
    event_line: int = 0  # the line of its BEGIN:VEVENT
    # The file as it is read: the first calendar, how many there are, the line of
    # the second, the first defect of line 1, what is read at the end.
    calendar: Component | None = None
    calendars: int = 0
    second_line: int = 0
    line_one: Defect | None = None
    bare: list[Component] = attrs.Factory(list)  # components outside any calendar
    foreign: deque[Component] = attrs.Factory(deque)  # let go of as they are read
    overrides: list[Component] = attrs.Factory(list)
    # Our events: whole, by id (``kept``); event by event, the digests of their
    # ids, each with a digest of its data (``kept`` is None then).
    kept: dict[str, Event] | None = attrs.Factory(dict)
    ids: SeenIds = attrs.Factory(lambda: SeenIds(indexed=True))
    early: int = -1  # event by event: the calendar's properties in its header
    # event_from_dict, with the kinds registered when the import starts, looked up once
    structure: Callable[[Any, str], Event] = attrs.Factory(event_reader)

    # -- what was left out ---------------------------------------------------------------

    def problem(self, line: int, message: str) -> None:
        """Something that makes the whole file unreadable, strict or not."""
        self.problems.add(f"line {line}" if line else "", message, order=line)

    def warn(self, line: int, message: str) -> None:
        """One thing left out or changed, said on its own."""
        self.note(message.replace("{", "{{").replace("}", "}}"), line, None, noun="")

    def note(
        self, message: str, line: int, uid: str | None, noun: str = "event", **values: Any
    ) -> None:
        """Something left out or changed. ``message`` is a :meth:`str.format`
        template of ``values`` and of ``{them}``, the events (or other
        ``noun``) it concerns: the same message for many is said once, and
        an event is counted once however many of its lines it concerns
        (two ATTENDEEs, a DTSTART and a DTEND)."""
        key = (message, noun, tuple(sorted(values.items())))
        places = self.notes.get(key)
        if places is None:
            places = self.notes[key] = []
        self.noted += 1
        owner = self.event_line if noun == "event" else line
        places.append((self.step, self.noted, line, uid, owner))

    def report(self) -> None:
        """Warn about (or, when strict, fail on) everything left out or changed, in the
        order of the steps of reading; past :data:`_MAX_NOTES` messages, counted."""
        for taken in self.notes.values():
            taken.sort()
        ordered = sorted(self.notes.items(), key=lambda item: item[1][0][:2])
        for (message, noun, values), noted in ordered[:_MAX_NOTES]:
            places = [(place[2], place[3], place[4]) for place in noted]
            text = message.format(them=_them(places, noun), x_names=_names(self.x_names),
                                  **dict(values))  # fmt: skip
            line = min(place[0] for place in places)
            path = ""
            if line and noun in ("", "line"):  # said of lines, not of events
                path = f"line {line}"
                others = sorted({place[0] for place in places} - {line})
                if others:
                    text += f"; the same at {_lines(others)}"
            self._say(path, text, line)
        uncounted = sum(len(taken) for _, taken in ordered[_MAX_NOTES:])
        if uncounted:
            self._say("", f"and {uncounted} more things left out or changed", 0)

    def _say(self, path: str, text: str, line: int) -> None:
        if self.strict:
            self.problems.add(path or (f"line {line}" if line else ""), text, order=line)
        else:
            warnings.warn(f"{self.source}: {path + ': ' if path else ''}{text}", ImporterWarning,
                          stacklevel=7)  # fmt: skip

    # -- the file ------------------------------------------------------------------------

    def read(self, text: str) -> Timeline:
        """The whole calendar of ``text``."""
        return self.whole(scan_components(text.split("\n")))[1]

    def whole(self, items: Iterable[Item]) -> tuple[Timeline, Timeline]:
        """The header and the timeline of the calendar whose ``items`` are read (those
        not yet read by :meth:`stream`)."""
        for kind, what in items:
            self._take(kind, what)
        header, held = self._finish()
        kept = self.kept
        assert header is not None and kept is not None
        for event in held:
            kept[event.id] = event
        try:
            return header, header.with_events(kept.values())
        except TimelineError as exc:
            raise ValidationError([Problem("", str(exc))], self.source) from None

    def stream(self, items: Iterator[Item]) -> EventSource:
        """The header (what comes before the first calendar's first component) and the
        events of ``items``, ours read as they come: see :func:`stream_calendar`."""
        pending: Item | None = None
        for kind, what in items:
            if kind is CHILD or (kind is CALENDAR and self.calendar is not None):
                pending = (kind, what)
                break
            self._take(kind, what)
        if pending is None or self.calendar is None or not _our_header(self.calendar):
            if pending is not None:
                self._take(*pending)
            header, timeline = self.whole(items)
            return EventSource(header, iter(timeline.events), lenient=True, unique=True)
        self.kept = None
        self.step = _HEADER
        header = _header(self, self.calendar)
        self.early = len(self.calendar.properties)
        return EventSource(header, self._events(pending, items), lenient=True, unique=True)

    def _events(self, pending: Item, items: Iterator[Item]) -> Iterator[Event]:
        event = self._take(*pending)
        if event is not None:
            yield event
        for kind, what in items:
            event = self._take(kind, what)
            if event is not None:
                yield event
        _, held = self._finish()
        held.sort(key=lambda e: (e.start.sort_key, e.id))
        yield from held

    def _take(self, kind: str, what: Any) -> Event | None:
        """Read one item of the file; our event that it is, when it is one to give."""
        if kind is CHILD:
            return self._child(what)
        if kind is DEFECT:
            if what.line == 1 and self.line_one is None:
                self.line_one = what
            self.step = _DEFECTS
            self._defect(what)
        elif kind is CALENDAR:
            self.calendars += 1
            if self.calendar is None:
                self.calendar = what
            elif not self.second_line:
                self.second_line = what.line
        elif kind is BARE:
            self.bare.append(what)
        return None

    def _child(self, component: Component) -> Event | None:
        """Read a component of a calendar: a VTIMEZONE is kept for the times of others'
        events, which are kept to be read at the end with the changed occurrences; our
        event is given (``None`` for a second one with its id)."""
        if component.name == "VTIMEZONE":
            self.step = _ZONES
            tzid = component.get("TZID")
            key = tzid.value.strip() if tzid is not None else ""
            if key in self.zone_parts:
                first_line = self.zone_parts[key].line
                self.warn(component.line, f"a second VTIMEZONE {key!r} left out (the "
                                          f"first, of line {first_line}, is used)")  # fmt: skip
            else:
                self.zone_parts[key] = component
            return None
        self.step = _OURS
        if component.name != "VEVENT":
            self.note("{them} left out: a timeline holds only events", component.line,
                      component.uid, noun=component.name)  # fmt: skip
            return None
        if component.get("RECURRENCE-ID") is not None:
            self.overrides.append(component)
            return None
        raw = component.every(EVENT_PROPERTY)  # others' are looked up by name at the end
        if not raw:
            self.foreign.append(component)
            return None
        event = self._our_event(component, raw)
        if event is None:
            self.foreign.append(component)
            return None
        kept = self.kept
        if kept is not None:
            other = kept.setdefault(event.id, event)
            first = other is event
            different = not first and other != event
        else:
            # Seen before with the same data: the same event, not said. (Two spellings
            # of one event's data, which the whole reader takes for one, are told apart.)
            ids, data = self.ids, _digest(raw[0].value)
            count = len(ids)
            earlier = ids.first(event.id, data)
            first = len(ids) > count
            different = not first and earlier != data
        if different:
            self.warn(component.line, f"{component.label()} left out: a different "
                                      f"event with id {event.id!r} comes earlier in the "
                                      "file")  # fmt: skip
            return None
        self._leftovers(component, _OUR_EVENT_PROPERTIES)
        return event if first and kept is None else None

    def _finish(self) -> tuple[Timeline | None, list[Event]]:
        """What is read at the end: the header (when the calendar is read whole),
        the components outside any calendar, others' events and the changed
        occurrences, given with our events outside any calendar (when it is read
        event by event); what was left out or changed is said, and when that, or
        anything, fails the file, it is raised."""
        calendar = self.calendar
        if calendar is None and not self.bare:
            first = self.line_one
            if first is not None and "content line" in first.message:
                message = first.message.replace(", left out;", ";")
                raise ValidationError([Problem("line 1", message)], self.source)
            raise ValidationError([Problem("line 1", "no BEGIN:VCALENDAR: this is not an "
                                                     "iCalendar file")], self.source)  # fmt: skip
        self.step = _CALENDARS
        for component in self.bare:
            self.note("no BEGIN:VCALENDAR around {them}: read as if there were",
                      component.line, component.uid, noun=component.name)  # fmt: skip
        if self.calendars > 1:
            self.note("the file holds {count} calendars: their events are read together",
                      self.second_line, None, noun="", count=self.calendars)  # fmt: skip
        self.step = _HEADER
        header = None
        if self.kept is not None:
            header = _header(self, calendar) if calendar is not None else Timeline()
        elif calendar is not None:
            _late(self, calendar, calendar.properties[self.early :])
        held: list[Event] = []
        for component in self.bare:
            if component.name == "VTIMEZONE":
                self._child(component)
        for component in self.bare:
            if component.name != "VTIMEZONE":
                event = self._child(component)
                if event is not None:
                    held.append(event)
        self.taken = set(self.kept) if self.kept is not None else _Taken(self.ids)
        self.step = _FOREIGN
        series: dict[str, str] = {}
        foreign = self.foreign
        while foreign:
            component = foreign.popleft()
            event = self._foreign_event(component)
            if event is not None:  # of an event left out, nothing more is said
                self._leftovers(component, _READ_EVENT_PROPERTIES)
                held.append(event)
                uid = component.uid
                if uid is not None:
                    series.setdefault(uid, event.id)
        self.step = _OVERRIDES
        for component in self.overrides:
            event = self._foreign_event(component, series=series)
            if event is not None:
                self._leftovers(component, _READ_EVENT_PROPERTIES)
                held.append(event)
        self.report()
        if self.problems:
            raise self.problems.error(self.source)
        return header, held

    def _defect(self, defect: Defect) -> None:
        label = f"VEVENT {defect.uid!r}: " if defect.uid else ""
        self.warn(defect.line, label + defect.message)

    # -- events --------------------------------------------------------------------------

    def _our_event(self, comp: Component, raw: list[Property]) -> Event | None:
        """An event from its X-TIMELINE-EVENT data, written by our exporter;
        ``None`` (with a warning) when the data cannot be read."""
        prop = raw[0]
        line = prop.line
        self.current, self.event_line = comp.uid, comp.line

        def unreadable(reason: str) -> None:
            self.warn(line, f"{comp.label()}: {EVENT_PROPERTY} cannot be read ({reason}); the "
                            "event is read from its standard properties")  # fmt: skip

        if len(raw) > 1:
            unreadable(f"it is given {len(raw)} times")
            return None
        data = _json(unescape_text(prop.value), unreadable)
        if data is None:
            return None
        try:
            event = self.structure(data, EVENT_PROPERTY)
        except ValidationError as exc:
            unreadable("; ".join(str(p) for p in exc.problems[:3]))
            return None
        properties = self._properties(comp)
        summary = properties["SUMMARY"][0] if "SUMMARY" in properties else None
        title = unescape_text(summary.value) if summary is not None else ""
        start = properties["DTSTART"][0] if "DTSTART" in properties else None
        day: dt.date | None = None
        if start is not None:
            try:
                day = parse_date_or_datetime(start.value)
            except ValueError:
                day = None
            if isinstance(day, dt.datetime):
                day = day.date()
        # The exporter may add the date in words: "Title (9 June 2017)", or after
        # a title in brackets "Title (Declaration), 15 June 2001".
        # In a calendar in a reader's language (SUMMARY;LANGUAGE=ru), the title
        # is the event's translation into it, where it has one.
        language = summary.params.get("LANGUAGE") if summary is not None else None
        written = event.title
        if language:
            with contextlib.suppress(TimelineError):  # a tag that is none: the original
                written = event.translated("title", language)
        after = ", " if written.endswith(")") else " ("
        agrees = title == written or title.startswith(written + after)
        if event.start.year >= 1:
            agrees = agrees and day == _day(event.start.earliest)
        if not agrees:
            self.note(
                "the SUMMARY or DTSTART of {them} differ from their {data} data "
                "(changed in a calendar app?); the {data} data is used",
                comp.line,
                comp.uid,
                data=EVENT_PROPERTY,
            )
        return event

    def _foreign_event(self, comp: Component, series: dict[str, str] | None = None) -> Event | None:
        """An event from another producer's VEVENT, read from its standard
        properties; ``None`` (with a warning) when it has no readable DTSTART."""
        label = comp.label()
        uid = self.current = comp.uid
        self.event_line = comp.line
        start_prop = self._one(comp, "DTSTART")
        if start_prop is None:
            method = " (an iTIP message such as a CANCEL or REPLY has none)"
            self.warn(comp.line, f"{label} left out: no DTSTART, and an event needs a "
                                 f"date{method}")  # fmt: skip
            return None
        try:
            start_value, start = self._when(start_prop)
        except _Unreadable as exc:
            self.warn(start_prop.line, f"{label} left out: DTSTART: {exc}")
            return None
        end = self._end(comp, label, start_prop, start_value, start)
        if end is not None and end == start:
            end = None
        fields: dict[str, Any] = {"title": self._title(comp), "start": start, "end": end}
        description = self._text(comp, "DESCRIPTION")
        if description:
            fields["description"] = description
        place = self._place(comp)
        if place is not None:
            fields["place"] = place
        tags = _tags(comp)
        if tags:
            fields["tags"] = tags
        url = self._one(comp, "URL")
        if url is not None:
            value = url.value.strip()
            if is_url(value):
                fields["url"] = value
            else:
                self.note("the URL of {them} left out: not an absolute URL", url.line, uid)
        recurrence = self._recurrence(comp, label, start_value)
        if recurrence is not None:
            fields["recurrence"] = recurrence
        base = uid
        if series is not None:
            notes = self._override(comp, label, series)
            if notes is None:
                return None
            fields["notes"], changed = notes
            base = f"{_id_base(uid or 'event')[:180]}-{changed}"
        event_id = self._event_id(base)
        if event_id is not None:
            fields["id"] = event_id
        try:
            event = Event(**fields)
        except TimelineError as exc:
            if "recurrence" in fields:
                self.warn(comp.get("RRULE").line if comp.get("RRULE") else comp.line,  # type: ignore[union-attr]
                          f"{label}: RRULE left out: {exc}")  # fmt: skip
                del fields["recurrence"]
                try:
                    event = Event(**fields)
                except TimelineError as again:
                    self.warn(comp.line, f"{label} left out: {again}")
                    return None
            else:
                self.warn(comp.line, f"{label} left out: {exc}")
                return None
        if event_id is None and event.id in self.taken:  # the id of its date and title
            event = attrs.evolve(event, id=self._event_id(event.id) or event.id)
        self.taken.add(event.id)
        return event

    def _override(
        self, comp: Component, label: str, series: dict[str, str]
    ) -> tuple[str, str] | None:
        """The notes of a changed occurrence (RECURRENCE-ID), linking it to
        its series, and the occurrence's date for its id."""
        prop = comp.get("RECURRENCE-ID")
        assert prop is not None
        try:
            _, occurrence = self._when(prop)
        except _Unreadable as exc:
            self.warn(prop.line, f"{label} left out: RECURRENCE-ID: {exc}")
            return None
        if prop.params.get("RANGE", "").upper() == "THISANDFUTURE":
            self.note("RANGE=THISANDFUTURE of {them} not followed: each is read as the one "
                      "occurrence it changes", prop.line, comp.uid)  # fmt: skip
        uid = comp.uid or ""
        parent = series.get(uid)
        if parent is not None:
            self.note("the series of {them} keeps the occurrence it changes, besides the event "
                      "read from it (a timeline cannot take one occurrence out of a rule)",
                      prop.line, comp.uid)  # fmt: skip
        whose = f"the recurring event {parent!r}" if parent else f"the series with UID {uid!r}"
        notes = f"Changes the occurrence of {occurrence} of {whose} (RECURRENCE-ID)."
        return notes, re.sub(r"[^0-9T]+", "", str(occurrence).split("[")[0])

    def _event_id(self, uid: str | None) -> str | None:
        """An event id from a UID: the part before ``@`` when it is a valid
        id (``abc@google.com`` gives ``abc``), else the UID with other
        characters replaced; made unique with ``-2``, ``-3``... in time
        linear in the number of events that share it."""
        if uid is None:
            return None
        base = _id_base(uid)
        candidate = base
        n = self.next_suffix.get(base, 1)
        while candidate in self.taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: 200 - len(suffix)] + suffix
        self.next_suffix[base] = n
        return candidate

    def _properties(self, comp: Component) -> dict[str, list[Property]]:
        """The properties of ``comp`` by name, made once for the component being read."""
        if self.indexed is not comp:
            self.indexed, self.properties = comp, comp.by_name()
        return self.properties

    def _one(self, comp: Component, name: str) -> Property | None:
        """The first of a property; a second one is left out with a warning."""
        found = self._properties(comp).get(name)
        if not found:
            return None
        if len(found) > 1:
            self.note("a second {name} of {them} left out (the first is read)", found[1].line,
                      comp.uid, name=name)  # fmt: skip
        return found[0]

    def _end(
        self, comp: Component, label: str, start_prop: Property, start_value: dt.date,
        start: Date,
    ) -> Date | None:  # fmt: skip
        end_prop = self._one(comp, "DTEND")
        duration_prop = self._one(comp, "DURATION")
        if end_prop is not None:
            try:
                end_value, end = self._when(end_prop)
            except _Unreadable as exc:
                self.warn(end_prop.line, f"{label}: DTEND left out: {exc}")
                return None
            if isinstance(end_value, dt.datetime) != isinstance(start_value, dt.datetime):
                kinds = f"{_value_type(end_value)} but DTSTART a {_value_type(start_value)}"
                self.warn(end_prop.line, f"{label}: DTEND left out: it is a {kinds}")
                return None
            if not isinstance(end_value, dt.datetime):
                if end_value < start_value:
                    self.warn(end_prop.line, f"{label}: DTEND left out: it is before DTSTART")
                    return None
                last = end_value - _ONE_DAY
                return Date(last.year, last.month, last.day) if last > start_value else None
            if ends_before_it_starts(start, end):
                self.warn(end_prop.line, f"{label}: DTEND left out: it is before DTSTART")
                return None
            return end
        if duration_prop is None:
            return None
        try:
            duration = parse_duration(duration_prop.value)
        except ValueError as exc:
            self.warn(duration_prop.line, f"{label}: DURATION left out: {exc}")
            return None
        if duration < dt.timedelta(0):
            self.warn(duration_prop.line, f"{label}: DURATION left out: it is negative")
            return None
        try:
            if not isinstance(start_value, dt.datetime):
                if duration.days > 1:
                    last = start_value + dt.timedelta(days=duration.days - 1)
                    return Date(last.year, last.month, last.day)
                return None
            if not duration:
                return None
            if start_value.tzinfo is None:
                return Date.from_datetime(start_value + duration)
            instant = start_value.astimezone(dt.UTC) + duration  # an exact duration
            return Date.from_datetime(instant.astimezone(start_value.tzinfo))
        except (OverflowError, TimelineError):
            self.warn(duration_prop.line, f"{label}: DURATION left out: it ends after "
                                          "the year 9999")  # fmt: skip
            return None

    def _when(self, prop: Property) -> tuple[dt.date, Date]:
        """The value of a DTSTART, DTEND or RECURRENCE-ID, as written
        (a date, or a naive or aware date-time) and as a :class:`Date`."""
        try:
            value = parse_date_or_datetime(prop.value)
        except ValueError as exc:
            raise _Unreadable(str(exc)) from None
        if not isinstance(value, dt.datetime):
            return value, Date(value.year, value.month, value.day)
        if value.tzinfo is not None:
            try:
                return value, Date.from_datetime(value)
            except TimelineError as exc:
                raise _Unreadable(str(exc)) from None
        tzid = prop.params.get("TZID")
        try:
            if tzid is None:
                return value, Date.from_datetime(value)
            return self._zoned(prop, value, tzid)
        except (TimelineError, OverflowError) as exc:
            raise _Unreadable(str(exc)) from None

    def _zoned(self, prop: Property, wall: dt.datetime, tzid: str) -> tuple[dt.date, Date]:
        # A TZID that names an IANA zone keeps it, whatever the file's
        # VTIMEZONE says, as calendar apps and icalendar do: a producer's
        # VTIMEZONE often covers only some years (ours, for the year 9999).
        key = self._iana(tzid)
        zone = None if key is not None else self._file_zone(tzid)
        uid = self.current
        if key is not None:
            if key == "UTC":
                return self._utc(wall, dt.timedelta(0))
            aware = wall.replace(tzinfo=get_zone(key))
            from dateutil import tz

            if not tz.datetime_exists(aware):
                # RFC 5545, 3.3.5: a time the clocks skip is read with the
                # offset before the gap, which is the same time after it.
                moved = tz.resolve_imaginary(aware)
                self.note("the time {time} of {them} does not exist in {key} (the clocks "
                          "skip it): read as {moved}, as RFC 5545 says", prop.line, uid,
                          time=f"{wall:%H:%M}", key=key, moved=f"{moved:%H:%M}")  # fmt: skip
                aware = moved
                wall = moved.replace(tzinfo=None)
            local = Date(wall.year, wall.month, wall.day, time=wall.time(), tz=key)
            return aware, local
        if zone is not None:
            self.note("time zone {tzid!r} is not an IANA zone: the times of {them} are "
                      "converted to UTC", prop.line, uid, tzid=tzid)  # fmt: skip
            return self._utc(wall, zone.utcoffset(wall))
        if tzid.strip() in self.zone_parts:
            self.note("time zone {tzid!r} has no usable VTIMEZONE: the times of {them} are "
                      "read as floating times", prop.line, uid, tzid=tzid)  # fmt: skip
            return wall, Date.from_datetime(wall)
        self.note("time zone {tzid!r} is unknown and has no VTIMEZONE: the times of {them} "
                  "are read as floating times", prop.line, uid, tzid=tzid)  # fmt: skip
        return wall, Date.from_datetime(wall)

    @staticmethod
    def _utc(wall: dt.datetime, offset: dt.timedelta) -> tuple[dt.date, Date]:
        try:
            instant = (wall - offset).replace(tzinfo=dt.UTC)
        except OverflowError:
            raise _Unreadable(
                f"{_format(wall)} at UTC{_offset_text(offset)} is out of the range of dates "
                "a time of day can have (years 1 to 9999 in UTC)"
            ) from None
        return instant, Date.from_datetime(instant)

    def _iana(self, tzid: str) -> str | None:
        """The IANA key a TZID names: itself, a Windows name (``W. Europe
        Standard Time``) or a globally unique one
        (``/mozilla.org/20070129_1/America/New_York``); ``None`` otherwise."""
        if tzid in self.iana:
            return self.iana[tzid]
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        clean = tzid.strip().strip("/")
        found: str | None = None
        candidates = [clean, WINDOWS_TO_OLSON.get(clean, "")]
        if tzid.strip().startswith("/"):  # RFC 5545, 3.2.19: a vendor prefix, then the name
            segments = [s for s in clean.split("/") if s]
            candidates += ["/".join(segments[k:]) for k in range(1, len(segments))]
        for candidate in candidates:
            if not candidate:
                continue
            if candidate in _UTC_NAMES:
                found = "UTC"
                break
            try:
                get_zone(candidate)
            except DateError:
                continue
            found = candidate
            break
        self.iana[tzid] = found
        return found

    def _file_zone(self, tzid: str) -> FileZone | None:
        if tzid in self.zones:
            return self.zones[tzid]
        part = self.zone_parts.get(tzid.strip())
        zone = None
        if part is not None:
            try:
                zone = read_zone(part)
            except ZoneDefect as exc:
                self.warn(exc.line, f"{exc}; this VTIMEZONE is left out")
        self.zones[tzid] = zone
        return zone

    def _recurrence(self, comp: Component, label: str, start: dt.date) -> str | None:
        rules = self._properties(comp).get("RRULE")
        if not rules:
            return None
        if len(rules) > 1:
            more = f"{len(rules) - 1} more RRULE{'s' if len(rules) > 2 else ''}"
            self.note("{more} of {them} left out: an event has one recurrence (the first is "
                      "read)", rules[1].line, comp.uid, more=more)  # fmt: skip
        prop = rules[0]
        try:
            parts = parse_rule(prop.value.strip())
        except ValueError as exc:
            self.warn(prop.line, f"{label}: RRULE left out: {exc}")
            return None
        if parts.get("RSCALE") == "GREGORIAN" and parts.get("SKIP", "OMIT") == "OMIT":
            del parts["RSCALE"]  # RFC 7529: what RFC 5545 means without RSCALE
            parts.pop("SKIP", None)
        if "RSCALE" in parts or "SKIP" in parts:
            rule = ";".join(f"{k}={parts[k]}" for k in ("RSCALE", "SKIP") if k in parts)
            self.note("the recurrence of {them} left out: {rule} (RFC 7529) is not a rule of "
                      "the Gregorian calendar as RFC 5545 has it", prop.line, comp.uid,
                      rule=rule)  # fmt: skip
            return None
        extra = sorted(k for k in parts if k.startswith("X-"))
        for key in extra:
            self.note("the part {part} of the RRULE of {them} left out", prop.line, comp.uid,
                      part=key)  # fmt: skip
            del parts[key]
        if "UNTIL" in parts:
            parts["UNTIL"] = _normalise_until(parts["UNTIL"], start)
        return ";".join(f"{k}={v}" for k, v in parts.items())

    # -- text and places -----------------------------------------------------------------

    def _text(self, comp: Component, name: str, *, one_line: bool = False) -> str | None:
        prop = self._one(comp, name)
        if prop is None:
            return None
        text = unescape_text(prop.value).replace("\r\n", "\n").replace("\r", "\n")
        control = CONTROL_CHARACTERS
        if one_line:
            text, control = _OTHER_BREAKS.sub("\n", text), ONE_LINE_CONTROL_CHARACTERS
        if control.search(text):
            self.note("control characters removed from the {name} of {them}", prop.line,
                      comp.uid, name=name)  # fmt: skip
            text = control.sub("", text)
        return text

    def _title(self, comp: Component) -> str:
        title = self._text(comp, "SUMMARY", one_line=True) or ""
        summaries = self._properties(comp).get("SUMMARY")
        line = summaries[0].line if summaries else comp.line
        if "\n" in title:
            self.note("line breaks in the SUMMARY of {them} replaced by spaces", line, comp.uid)
            title = " ".join(t.strip() for t in title.split("\n") if t.strip())
        title = title.strip()
        if not title:
            self.note("no SUMMARY in {them}: titled 'Untitled event'", comp.line, comp.uid)
            return "Untitled event"
        if len(title) > MAX_TITLE:
            self.note("the SUMMARY of {them} cut to {limit} characters", line, comp.uid,
                      limit=MAX_TITLE)  # fmt: skip
            title = title[: MAX_TITLE - 1].rstrip() + "…"
        return title

    def _place(self, comp: Component) -> Place | None:
        location = self._text(comp, "LOCATION", one_line=True)
        geo = self._one(comp, "GEO")
        latitude = longitude = None
        if geo is not None:
            numbers = geo.value.strip().split(";")
            if len(numbers) != 2 or not all(_FLOAT.fullmatch(n.strip()) for n in numbers):
                self.note("the GEO of {them} left out: not two numbers (latitude;longitude)",
                          geo.line, comp.uid)  # fmt: skip
            else:
                latitude, longitude = (float(n) for n in numbers)
                if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                    self.note("the GEO of {them} left out: outside the globe", geo.line,
                              comp.uid)  # fmt: skip
                    latitude = longitude = None
        if location:
            location = location.replace("\n", ", ")
        if not location and latitude is None:
            return None
        name = location or f"{latitude}, {longitude}"
        return Place(name=name.strip(), latitude=latitude, longitude=longitude)

    def _leftovers(self, comp: Component, read: frozenset[str]) -> None:
        self.current, self.event_line = comp.uid, comp.line
        for prop in comp.properties:
            name = prop.name
            if name in read or name in _BOOKKEEPING:
                continue
            if _DEFAULTS.get(name) == prop.value.strip().upper():
                continue
            if name.startswith("X-"):  # other producers' own: said once for all of them
                self.x_names.setdefault(name)
                self.note(_OTHER_X, prop.line, comp.uid)
                continue
            self.note("{name} left out of {them}: a timeline has no place for it", prop.line,
                      comp.uid, name=name)  # fmt: skip
        for sub in comp.children:
            self.note("{name} left out of {them}: a timeline has no place for it", sub.line,
                      comp.uid, name=sub.name)  # fmt: skip


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Unreadable(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def _no_constants(name: str) -> Any:
    raise _Unreadable(f"{name} is not a JSON number")


_DECODER: Final = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
"""The decoder of :func:`json.loads` with these hooks, made once rather than for each."""


def _json(text: str, unreadable: Any) -> Any:
    """The JSON data in an X-TIMELINE-* property, or ``None`` after calling
    ``unreadable`` with the reason; a key twice in an object is refused, as
    in JSON files. Read as :func:`json.loads` reads it (which refuses a
    byte-order mark), by one decoder for all."""
    try:
        if text.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except _Unreadable as exc:
        unreadable(str(exc))
    except RecursionError:
        unreadable("it is nested too deeply")
    except json.JSONDecodeError as exc:
        unreadable(f"not JSON: {exc.msg} at character {exc.pos}")
    except ValueError as exc:  # int() of a number of thousands of digits
        unreadable("a number in it is too long" if "digits" in str(exc) else str(exc))
    return None


def _digest(text: str) -> int:
    """A 64-bit digest of ``text``, as a signed machine integer."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _id_base(uid: str) -> str:
    """The part of a UID before ``@`` when it is a valid id, else the UID
    with other characters replaced."""
    local, at, _ = uid.rpartition("@")
    if at and is_event_id(local):
        return local
    if is_event_id(uid):
        return uid
    base = _NOT_ID.sub("-", uid).strip("-._")[:200] or "event"
    return base if base[0].isalnum() else "e" + base[:199]


def _names(names: dict[str, None]) -> str:
    """``X-A, X-B and X-C``; past eight, ``... and 4 more``."""
    listed = list(names)
    if len(listed) > 8:
        return ", ".join(listed[:8]) + f" and {len(listed) - 8} more"
    if len(listed) > 1:
        return ", ".join(listed[:-1]) + f" and {listed[-1]}"
    return "".join(listed)


def _them(places: list[tuple[int, str | None, int]], noun: str) -> str:
    """``1 event ('a@x' at line 9)``, ``1 event ('a@x' at lines 9, 10)``,
    ``5 events ('a@x' at line 3, ... and 2 more)``: each event once, with
    the lines concerned."""
    lines: dict[tuple[int, str | None], list[int]] = {}
    for line, uid, owner in places:
        seen = lines.setdefault((owner, uid), [])
        if line not in seen:
            seen.append(line)
    names = []
    for (_, uid), numbers in lines.items():
        at = _lines(sorted(numbers))
        if uid:
            names.append(f"{_short(uid)!r} at {at}")
        else:
            names.append(f"one without a UID at {at}" if noun == "event" else at)
    shown = ", ".join(names[:3])
    if len(names) > 3:
        shown += f" and {len(names) - 3} more"
    count = len(names)
    if noun == "line":
        return shown
    return f"{count} {noun}{'' if count == 1 else 's'} ({shown})"


def _lines(numbers: list[int]) -> str:
    """``line 9``, ``lines 9, 10``, ``lines 3, 4, 5 and 19997 more``."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:3])
    return f"lines {shown}" + (f" and {len(numbers) - 3} more" if len(numbers) > 3 else "")


def _short(uid: str) -> str:
    return uid if len(uid) <= 40 else f"{uid[:18]}...{uid[-18:]}"


def _day(d: Date) -> dt.date:
    return dt.date(d.year, d.month or 1, d.day or 1)


def _value_type(value: dt.date) -> str:
    return "date-time" if isinstance(value, dt.datetime) else "date"


def _format(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        z = "Z" if value.tzinfo is not None else ""
        return f"{value:%Y%m%dT%H%M%S}".zfill(15) + z
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _offset_text(offset: dt.timedelta) -> str:
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _tags(comp: Component) -> tuple[str, ...]:
    tags: dict[str, None] = {}
    for prop in comp.every("CATEGORIES"):
        for item in _COMMA.split(prop.value):
            text = " ".join(C1_CONTROL_CHARACTERS.sub("", unescape_text(item)).split())
            if text:
                tags.setdefault(text)
    return tuple(tags)


def _normalise_until(text: str, start: dt.date) -> str:
    """UNTIL as the same kind of value as DTSTART, as RFC 5545 asks and
    python-dateutil insists.

    Outlook writes the UNTIL of an all-day event as the UTC time of local
    midnight on the last day: ``20300909T220000Z`` in Berlin for 10 September.
    That time is rounded to the nearest day, which is the last day for every
    zone from UTC-12 to UTC+12."""
    until = parse_date_or_datetime(text)
    if not isinstance(start, dt.datetime):
        if isinstance(until, dt.datetime):
            day = until.date()
            if until.tzinfo is not None and until.time() >= dt.time(12):
                day += _ONE_DAY
            return _format(day)
        return _format(until)
    if start.tzinfo is None:
        if isinstance(until, dt.datetime):
            return _format(until.replace(tzinfo=None))
        return _format(dt.datetime.combine(until, dt.time(23, 59, 59)))
    if not isinstance(until, dt.datetime):
        return _format(dt.datetime.combine(until, dt.time(23, 59, 59), dt.UTC))
    if until.tzinfo is None:
        return _format(until.replace(tzinfo=start.tzinfo).astimezone(dt.UTC))
    return _format(until)


def _header(reader: _Reader, cal: Component) -> Timeline:
    """The timeline without its events: its title, description, URL,
    language and translations from X-TIMELINE-HEADER when our exporter wrote
    it, else the title and description from the calendar's name and description."""
    _late(reader, cal, cal.properties)
    raw = cal.every(HEADER_PROPERTY)
    if len(raw) == 1:
        line = raw[0].line

        def unreadable(reason: str) -> None:
            reader.warn(line, f"{HEADER_PROPERTY} cannot be read ({reason}); the calendar's "
                              "name and description are read instead")  # fmt: skip

        empty = _header_data(raw[0], unreadable)
        if empty is not None:
            return empty
    name = _calendar_text(cal, "NAME", "X-WR-CALNAME")
    description = _calendar_text(cal, "DESCRIPTION", "X-WR-CALDESC")
    title = " ".join(C1_CONTROL_CHARACTERS.sub("", name).split()) if name else ""
    return Timeline(title=title, description=description or "")


def _late(reader: _Reader, cal: Component, properties: list[Property]) -> None:
    """What is said of the calendar's ``properties``: those a timeline has no place for,
    a calendar scale other than Gregorian. When the calendar is read event by event,
    those that come after its first component are said at the end, and a second
    X-TIMELINE-HEADER there, which the whole reader would take for none, is said too."""
    scale = cal.get("CALSCALE")
    if (
        scale is not None
        and any(p is scale for p in properties)
        and scale.value.strip().upper() != "GREGORIAN"
    ):
        reader.problem(scale.line, f"CALSCALE:{scale.value}: only Gregorian dates are read")
    for prop in properties:
        if prop.name not in _READ_CALENDAR_PROPERTIES:
            reader.note("the calendar's {name} left out: a timeline has no place for it",
                        prop.line, None, noun="line", name=prop.name)  # fmt: skip
        elif prop.name == HEADER_PROPERTY and properties is not cal.properties:
            reader.warn(prop.line, f"a second {HEADER_PROPERTY}, after the calendar's "
                                   "first component, left out: read event by event, the "
                                   "calendar has the header of the first (read whole, it "
                                   "has neither)")  # fmt: skip


def _header_data(prop: Property, unreadable: Any) -> Timeline | None:
    """The header in an X-TIMELINE-HEADER, or ``None`` after calling
    ``unreadable`` with the reason."""
    doc = _json(unescape_text(prop.value), unreadable)
    if doc is None:
        return None
    if not isinstance(doc, dict) or "events" in doc:
        unreadable("it is not a timeline header")
        return None
    try:
        return timeline_from_dict({**doc, "events": []})
    except ValidationError as exc:
        unreadable("; ".join(str(p) for p in exc.problems[:3]))
        return None


def _our_header(cal: Component) -> bool:
    """Whether the calendar, as far as it has been read, has our header: one
    X-TIMELINE-HEADER that can be read."""
    raw = cal.every(HEADER_PROPERTY)
    return len(raw) == 1 and _header_data(raw[0], lambda reason: None) is not None


def _calendar_text(cal: Component, *names: str) -> str | None:
    for name in names:
        prop = cal.get(name)
        if prop is not None:
            text = unescape_text(prop.value)
            return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n"))
    return None
