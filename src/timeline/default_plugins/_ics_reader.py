"""Reading iCalendar files into timelines, for the ics importer.

Reading happens in two passes. The first (:func:`_scan`) checks the
structure line by line, so that a broken file is reported with line numbers:
a line that is not a content line (a line break pasted into a value), a
BEGIN without its END. The second hands the text to icalendar's parser and
turns each VEVENT into an event: from its ``X-TIMELINE-EVENT`` data when our
exporter wrote it, else from its standard properties. What a timeline has no
place for (ATTENDEE, VALARM, EXDATE, VTODO...) is reported once per kind of
thing with an :class:`~timeline.ImporterWarning`, or as a problem in strict
mode. Recurrence rules are kept as rules, never expanded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from typing import Any, Final

import attrs

from ..conversion import event_from_dict, timeline_from_dict
from ..dates import Date, get_zone
from ..errors import DateError, ImporterWarning, Problem, TimelineError, ValidationError
from ..model import _ID, _URL, MAX_TITLE, Event, Place
from ..timelines import Timeline
from ._ics_writer import EVENT_PROPERTY, HEADER_PROPERTY

__all__ = ["read_calendar"]

_ONE_DAY: Final = dt.timedelta(days=1)


def read_calendar(text: str, source: str, *, strict: bool = False) -> Timeline:
    """The timeline in an iCalendar text; :class:`~timeline.ValidationError`
    lists every problem, each with its line."""
    return _read_calendar(_Reader(source=source, strict=strict), text)


def _day(d: Date) -> dt.date:
    return dt.date(d.year, d.month or 1, d.day or 1)


# -- reading: the structure, with line numbers -------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9-]+")
_UNESCAPE = re.compile(r"\\([\\;,nN])")
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@attrs.define
class _Part:
    """A component the scanner found: where it begins, where each of its
    properties is, and its UID."""

    name: str
    line: int
    properties: dict[str, int] = attrs.Factory(dict)
    uid: str | None = None

    def where(self) -> str:
        return f"line {self.line}"

    def label(self) -> str:
        return f"{self.name} {self.uid!r}" if self.uid else self.name

    def line_of(self, name: str) -> str:
        return f"line {self.properties.get(name.upper(), self.line)}"


def _unescape(text: str) -> str:
    """A TEXT value from its escaped form (RFC 5545, section 3.3.11)."""
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _short(uid: str) -> str:
    """A UID short enough for a message, keeping both ends (Outlook's differ at the end)."""
    return uid if len(uid) <= 40 else f"{uid[:18]}...{uid[-18:]}"


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _scan(text: str) -> tuple[_Part | None, list[_Part], list[Problem]]:
    """Check the structure of the file line by line: content lines, BEGIN
    and END in pairs, one VCALENDAR. Returns the calendar, its components in
    order, and the problems, each with its line number."""
    problems: list[Problem] = []
    stack: list[_Part] = []
    calendar: _Part | None = None
    children: list[_Part] = []
    finished = False
    folded: list[tuple[int, list[str]]] = []  # a logical line's first line number, its pieces
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if "\r" in line:
            problems.append(Problem(f"line {number}", "a carriage return inside a line"))
            line = line.replace("\r", "")
        if line[:1] in (" ", "\t"):
            if not folded:
                problems.append(Problem(f"line {number}", "a folded line with nothing to continue"))
                continue
            folded[-1][1].append(line[1:])
            continue
        if line:
            folded.append((number, [line]))
    for number, pieces in folded:
        line = "".join(pieces)
        where = f"line {number}"
        head, colon, value = line.partition(":")
        name = head.split(";", 1)[0]
        if not colon or not _NAME.fullmatch(name):
            problems.append(Problem(
                where,
                f"{_excerpt(line)} is not a content line (NAME:value); a line break inside a "
                "value must be written as \\n",
            ))  # fmt: skip
            continue
        name = name.upper()
        if name == "BEGIN":
            component = value.strip().upper()
            part = _Part(component, number)
            if finished:
                problems.append(Problem(where, f"BEGIN:{component} after the end of the calendar"))
            elif not stack:
                if component != "VCALENDAR":
                    problems.append(Problem(where, f"the file starts with BEGIN:{component}, "
                                                   "not BEGIN:VCALENDAR"))  # fmt: skip
                calendar = part
            elif len(stack) == 1:
                children.append(part)
            else:
                stack[-1].properties.setdefault(component, number)
            stack.append(part)
            continue
        if name == "END":
            component = value.strip().upper()
            if not stack:
                problems.append(Problem(where, f"END:{component} without a BEGIN"))
                continue
            opened = stack.pop()
            if opened.name != component:
                problems.append(Problem(where, f"END:{component} closes BEGIN:{opened.name} of "
                                               f"line {opened.line}"))  # fmt: skip
                if any(p.name == component for p in stack):
                    while stack and stack[-1].name != component:
                        stack.pop()
                    if stack:
                        stack.pop()
                else:
                    stack.append(opened)
            if not stack:
                finished = True
            continue
        if not stack:
            problems.append(Problem(where, f"{name} outside BEGIN:VCALENDAR ... END:VCALENDAR"))
            continue
        owner = stack[-1]
        owner.properties.setdefault(name, number)
        if name == "UID" and owner.uid is None:
            owner.uid = _unescape(value)
    for part in reversed(stack):
        problems.append(Problem(f"line {part.line}", f"BEGIN:{part.name} is never closed "
                                                     f"(no END:{part.name})"))  # fmt: skip
    if calendar is None and not problems:
        problems.append(Problem("line 1", "no BEGIN:VCALENDAR: this is not an iCalendar file"))
    return calendar, children, problems


# -- reading: events -----------------------------------------------------------------------

_OUR_EVENT_PROPERTIES: Final = frozenset({
    "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "RRULE", "CATEGORIES", "DESCRIPTION",
    "GEO", "LOCATION", "TRANSP", "URL", EVENT_PROPERTY,
})  # fmt: skip
_READ_EVENT_PROPERTIES: Final = frozenset({
    "UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "DESCRIPTION", "LOCATION", "GEO",
    "CATEGORIES", "URL", "RRULE",
})  # fmt: skip
_BOOKKEEPING: Final = frozenset({"DTSTAMP", "SEQUENCE", "CREATED", "LAST-MODIFIED", "TRANSP"})
"""Properties about the copy of an event rather than the event: read, never reported."""
_DEFAULTS: Final = {"CLASS": "PUBLIC", "STATUS": "CONFIRMED"}
"""Properties that say nothing when they have their usual value."""
_READ_CALENDAR_PROPERTIES: Final = frozenset({
    "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "DESCRIPTION",
    "X-WR-CALDESC", HEADER_PROPERTY,
})  # fmt: skip


@attrs.define
class _Reader:
    """The state of one import: the problems, and what was left out or changed."""

    source: str
    strict: bool
    problems: list[Problem] = attrs.Factory(list)
    # (message, noun, values) -> [(where, uid)]
    notes: dict[tuple[str, str, tuple[tuple[str, Any], ...]], list[tuple[str, str | None]]] = (
        attrs.Factory(dict)
    )

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def note(
        self, message: str, where: str, uid: str | None, noun: str = "event", **values: Any
    ) -> None:
        """Something left out or changed. ``message`` says what, as a
        :meth:`str.format` template of ``values`` and of ``{them}``, the list
        of events (or other ``noun``) it concerns: the same message for many
        events is reported once."""
        key = (message, noun, tuple(sorted(values.items())))
        self.notes.setdefault(key, []).append((where, uid))

    def report(self) -> None:
        """Warn about (or, when strict, fail on) everything left out or changed."""
        for (message, noun, values), places in self.notes.items():
            text = message.format(them=_them(places, noun), **dict(values))
            if self.strict:
                self.problems.append(Problem(places[0][0], text))
            else:
                warnings.warn(f"{self.source}: {text}", ImporterWarning, stacklevel=6)


def _them(places: list[tuple[str, str | None]], noun: str) -> str:
    """``1 event ('a@x')``, ``5 events ('a@x', 'b@x', 'c@x' and 2 more)``."""
    names = list(dict.fromkeys(repr(_short(uid)) if uid else where for where, uid in places))
    shown = ", ".join(names[:3])
    if len(names) > 3:
        shown += f" and {len(names) - 3} more"
    count = len(names)
    return f"{count} {noun}{'' if count == 1 else 's'} ({shown})"


def _first(reader: _Reader, comp: Any, part: _Part, name: str) -> Any:
    """The one value of a property, or ``None``; a property given twice is a problem."""
    value = comp.get(name)
    if isinstance(value, list):
        reader.problem(part.line_of(name), f"{part.label()}: {name} is given {len(value)} times")
        return value[0]
    return value


def _text(reader: _Reader, comp: Any, part: _Part, name: str) -> str | None:
    value = _first(reader, comp, part, name)
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        reader.note("control characters removed from the {name} of {them}", part.line_of(name),
                    part.uid, name=name)  # fmt: skip
        text = _CONTROL.sub("", text)
    return text


def _one_line(reader: _Reader, part: _Part, name: str, text: str) -> str:
    if "\n" in text:
        reader.note("line breaks in the {name} of {them} replaced by spaces", part.line_of(name),
                    part.uid, name=name)  # fmt: skip
        text = " ".join(t.strip() for t in text.split("\n") if t.strip())
    return text


def _zone_key(value: dt.datetime, tzid: str | None) -> str | None:
    """The IANA key for an aware datetime's zone, when there is one that
    gives the same offset; ``None`` otherwise."""
    import zoneinfo

    tzinfo = value.tzinfo
    if isinstance(tzinfo, zoneinfo.ZoneInfo):
        return tzinfo.key
    if tzid is None:
        return None
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    candidate = WINDOWS_TO_OLSON.get(tzid.strip(), tzid.strip().strip("/"))
    try:
        zone = get_zone(candidate)
    except DateError:
        return None
    if value.replace(tzinfo=zone).utcoffset() != value.utcoffset():
        return None
    return candidate


def _when(prop: Any) -> dt.date:
    """The date or date-time of a DTSTART or DTEND; a PERIOD, a TIME or a
    DURATION there is a :class:`~timeline.DateError`."""
    value = prop.dt
    if not isinstance(value, dt.date):
        kind = {tuple: "period", dt.time: "time", dt.timedelta: "duration"}.get(
            type(value), type(value).__name__
        )
        raise DateError(f"is a {kind}, not a date or a date-time")
    return value


def _date(reader: _Reader, part: _Part, name: str, prop: Any) -> Date | None:
    """A Date from a DTSTART or DTEND (a date, or a floating, UTC or zoned time)."""
    value = _when(prop)
    if not isinstance(value, dt.datetime):
        return Date(value.year, value.month, value.day)
    tzid = prop.params.get("TZID")
    if value.tzinfo is None:
        if tzid is not None:
            reader.note(
                "time zone {tzid!r} is unknown and has no VTIMEZONE: the times of {them} "
                "are read as floating times",
                part.line_of(name),
                part.uid,
                tzid=tzid,
            )
        return Date.from_datetime(value.replace(microsecond=0))
    if value.utcoffset() == dt.timedelta(0) and tzid is None:
        return Date.from_datetime(value.astimezone(dt.UTC))
    key = _zone_key(value, tzid)
    if key is None:
        reader.note("time zone {tzid!r} is not an IANA zone: the times of {them} are "
                    "converted to UTC", part.line_of(name), part.uid, tzid=tzid)  # fmt: skip
        return Date.from_datetime(value.astimezone(dt.UTC))
    local = value.replace(tzinfo=None)
    return Date(local.year, local.month, local.day, time=local.time(),
                tz="UTC" if key in ("UTC", "Etc/UTC") else key)  # fmt: skip


def _normalise_until(rule: Any, start: dt.date) -> Any:
    """Make UNTIL the same kind of value as DTSTART, as RFC 5545 asks and
    python-dateutil insists.

    Outlook writes the UNTIL of an all-day event as the UTC time of local
    midnight on the last day: ``20300909T220000Z`` in Berlin for 10 September.
    That time is rounded to the nearest day, which is the last day for every
    zone from UTC-12 to UTC+12."""
    untils = rule.get("UNTIL")
    if not untils:
        return rule
    until = untils[0]
    if not isinstance(until, dt.date):
        return rule  # python-dateutil says what is wrong with it
    if not isinstance(start, dt.datetime):
        if isinstance(until, dt.datetime):
            day = until.date()
            if until.tzinfo is not None and until.time() >= dt.time(12):
                day += _ONE_DAY
            rule["UNTIL"] = [day]
    elif start.tzinfo is None:
        if isinstance(until, dt.datetime) and until.tzinfo is not None:
            rule["UNTIL"] = [until.replace(tzinfo=None)]
        elif not isinstance(until, dt.datetime):
            rule["UNTIL"] = [dt.datetime.combine(until, dt.time(23, 59, 59))]
    elif not isinstance(until, dt.datetime):
        rule["UNTIL"] = [dt.datetime.combine(until, dt.time(23, 59, 59), dt.UTC)]
    elif until.tzinfo is None:
        rule["UNTIL"] = [until.replace(tzinfo=start.tzinfo).astimezone(dt.UTC)]
    return rule


def _uid_id(uid: str | None, taken: set[str]) -> str | None:
    """An event id from a UID: the part before ``@`` when it is a valid id
    (``abc@google.com`` gives ``abc``), else the UID with other characters
    replaced; made unique with ``-2``, ``-3``..."""
    if uid is None:
        return None
    local, at, _ = uid.rpartition("@")
    if at and _ID.fullmatch(local):
        base = local
    elif _ID.fullmatch(uid):
        base = uid
    else:
        base = _NOT_ID.sub("-", uid).strip("-._")[:200] or "event"
        if not base[0].isalnum():
            base = "e" + base[:199]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: 200 - len(suffix)] + suffix
    return candidate


def _foreign_event(reader: _Reader, comp: Any, part: _Part, taken: set[str]) -> Event | None:
    """An event from another producer's VEVENT, read from its standard properties."""
    label = part.label()
    start_prop = _first(reader, comp, part, "DTSTART")
    if start_prop is None:
        reader.problem(part.where(), f"{label}: no DTSTART; an event needs a date")
        return None
    try:
        start = _date(reader, part, "DTSTART", start_prop)
    except TimelineError as exc:
        reader.problem(part.line_of("DTSTART"), f"{label}: DTSTART: {exc}")
        return None
    assert start is not None
    start_value = _when(start_prop)
    end: Date | None = None
    end_prop = _first(reader, comp, part, "DTEND")
    duration_prop = _first(reader, comp, part, "DURATION")
    try:
        if end_prop is not None:
            end_value = _when(end_prop)
            if isinstance(end_value, dt.datetime) != isinstance(start_value, dt.datetime):
                reader.problem(
                    part.line_of("DTEND"),
                    f"{label}: DTEND is a "
                    f"{_value_type(end_value)} but DTSTART a {_value_type(start_value)}",
                )
                return None
            if not isinstance(end_value, dt.datetime):
                if end_value < start_value:
                    reader.problem(part.line_of("DTEND"), f"{label}: DTEND is before DTSTART")
                    return None
                last = end_value - _ONE_DAY
                if last > start_value:
                    end = Date(last.year, last.month, last.day)
            else:
                end = _date(reader, part, "DTEND", end_prop)
        elif duration_prop is not None:
            duration = duration_prop.dt
            if not isinstance(duration, dt.timedelta) or duration < dt.timedelta(0):
                reader.problem(part.line_of("DURATION"), f"{label}: DURATION {duration} "
                               "is not a positive duration")  # fmt: skip
                return None
            if not isinstance(start_value, dt.datetime):
                days = duration.days
                if days > 1:
                    last = start_value + dt.timedelta(days=days - 1)
                    end = Date(last.year, last.month, last.day)
            elif duration:
                end = _date(reader, part, "DURATION", _Shifted(start_prop, duration))
    except (TimelineError, OverflowError) as exc:
        reader.problem(part.line_of("DTEND"), f"{label}: DTEND: {exc}")
        return None
    if end is not None and end == start:
        end = None
    title = _text(reader, comp, part, "SUMMARY") or ""
    title = _one_line(reader, part, "SUMMARY", title).strip()
    if not title:
        reader.note("no SUMMARY in {them}: titled 'Untitled event'", part.where(), part.uid)
        title = "Untitled event"
    elif len(title) > MAX_TITLE:
        reader.note("the SUMMARY of {them} cut to {limit} characters",
                    part.line_of("SUMMARY"), part.uid, limit=MAX_TITLE)  # fmt: skip
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    fields: dict[str, Any] = {"title": title, "start": start, "end": end}
    description = _text(reader, comp, part, "DESCRIPTION")
    if description:
        fields["description"] = description
    place = _place(reader, comp, part)
    if place is not None:
        fields["place"] = place
    tags = _tags(reader, comp, part)
    if tags:
        fields["tags"] = tags
    url = _first(reader, comp, part, "URL")
    if url is not None:
        url = str(url).strip()
        if _URL.fullmatch(url):
            fields["url"] = url
        else:
            reader.note("the URL of {them} left out: not an absolute URL", part.line_of("URL"),
                        part.uid)  # fmt: skip
    rrule = _first(reader, comp, part, "RRULE")
    if rrule is not None:
        try:
            rule = _normalise_until(rrule, start_value)
            fields["recurrence"] = rule.to_ical().decode("ascii")
        except (TypeError, ValueError) as exc:  # icalendar keeps some bad parts unparsed
            reader.problem(part.line_of("RRULE"), f"{label}: RRULE cannot be read: {exc}")
            return None
    event_id = _uid_id(part.uid, taken)
    if event_id is not None:
        fields["id"] = event_id
    try:
        event = Event(**fields)
    except TimelineError as exc:
        reader.problem(part.where(), f"{label}: {exc}")
        return None
    return event


class _Shifted:
    """DTSTART moved by a DURATION, looking like a DTEND property."""

    def __init__(self, prop: Any, duration: dt.timedelta) -> None:
        self.dt = prop.dt + duration
        self.params = prop.params


def _value_type(value: dt.date) -> str:
    return "date-time" if isinstance(value, dt.datetime) else "date"


def _place(reader: _Reader, comp: Any, part: _Part) -> Place | None:
    location = _text(reader, comp, part, "LOCATION")
    geo = _first(reader, comp, part, "GEO")
    latitude = longitude = None
    if geo is not None:
        latitude, longitude = float(geo.latitude), float(geo.longitude)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            reader.note(
                "the GEO of {them} left out: outside the globe", part.line_of("GEO"), part.uid
            )
            latitude = longitude = None
    if location:
        location = location.replace("\n", ", ")
    if not location and latitude is None:
        return None
    name = location or f"{latitude}, {longitude}"
    return Place(name=name.strip(), latitude=latitude, longitude=longitude)


def _tags(reader: _Reader, comp: Any, part: _Part) -> tuple[str, ...]:
    tags: dict[str, None] = {}
    categories = comp.get("CATEGORIES")
    for group in categories if isinstance(categories, list) else [categories]:
        if group is None:
            continue
        for item in getattr(group, "cats", []):
            text = " ".join(str(item).split())
            if text:
                tags.setdefault(text)
    return tuple(tags)


def _our_event(reader: _Reader, comp: Any, part: _Part, raw: Any) -> Event | None:
    """An event from its X-TIMELINE-EVENT data, written by our exporter."""
    label = part.label()
    where = part.line_of(EVENT_PROPERTY)
    if isinstance(raw, list):
        reader.problem(where, f"{label}: {EVENT_PROPERTY} is given {len(raw)} times")
        return None
    try:
        data = json.loads(_unescape(str(raw)))
    except ValueError as exc:
        reader.problem(where, f"{label}: {EVENT_PROPERTY} is not JSON: {exc}")
        return None
    try:
        event = event_from_dict(data, path=EVENT_PROPERTY)
    except ValidationError as exc:
        for problem in exc.problems:
            reader.problem(where, f"{label}: {problem}")
        return None
    summary = str(comp.get("SUMMARY", ""))
    start = comp.get("DTSTART")
    day = getattr(start, "dt", None)
    if isinstance(day, dt.datetime):
        day = day.date()
    # The exporter may add the date in words: "Title (9 June 2017)", or after
    # a title in brackets "Title (Declaration), 15 June 2001".
    after = ", " if event.title.endswith(")") else " ("
    agrees = summary == event.title or summary.startswith(event.title + after)
    if event.start.year >= 1:
        agrees = agrees and day == _day(event.start.earliest)
    if not agrees:
        reader.note(
            "the SUMMARY or DTSTART of {them} differ from their {data} data "
            "(changed in a calendar app?); the {data} data is used",
            part.where(),
            part.uid,
            data=EVENT_PROPERTY,
        )
    return event


def _report_leftovers(reader: _Reader, comp: Any, part: _Part, read: frozenset[str]) -> None:
    for key in comp:
        name = key.upper()
        if name in read or name in _BOOKKEEPING:
            continue
        if _DEFAULTS.get(name) == str(comp[key]).upper():
            continue
        reader.note("{name} left out of {them}: a timeline has no place for it",
                    part.line_of(name), part.uid, name=name)  # fmt: skip
    for sub in comp.subcomponents:
        reader.note("{name} left out of {them}: a timeline has no place for it",
                    part.line_of(sub.name), part.uid, name=sub.name)  # fmt: skip


def _line_number(problem: Problem) -> int:
    return int(problem.path.removeprefix("line ")) if problem.path.startswith("line ") else 0


def _read_calendar(reader: _Reader, text: str) -> Timeline:
    calendar_part, parts, problems = _scan(text)
    if problems:
        raise ValidationError(problems, reader.source)
    assert calendar_part is not None
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:  # icalendar's parser raises ValueError and, rarely, others
        raise ValidationError([Problem("", f"not a readable iCalendar file: {exc}")],
                              reader.source) from None  # fmt: skip
    subcomponents = list(cal.subcomponents)
    if [c.name for c in subcomponents] != [p.name for p in parts]:  # pragma: no cover
        # Our scan and icalendar's parser disagree on the components; carry
        # on without line numbers rather than pin problems on the wrong lines.
        parts = [_Part(str(c.name), calendar_part.line) for c in subcomponents]
    for name, message in cal.errors:
        reader.problem(calendar_part.line_of(name or ""), f"VCALENDAR: {name or ''} {message}")
    header = _header(reader, cal, calendar_part)
    events: dict[str, Event] = {}
    foreign: list[tuple[Any, _Part]] = []
    for comp, part in zip(subcomponents, parts, strict=True):
        if part.name == "VTIMEZONE":
            continue
        if part.name != "VEVENT":
            reader.note("{them} left out: a timeline holds only events", part.where(), part.uid,
                        noun=part.name)  # fmt: skip
            continue
        for name, message in comp.errors:
            reader.problem(part.line_of(name or ""), f"{part.label()}: {name or 'a line'}: "
                                                      f"{message}")  # fmt: skip
        if comp.errors:
            continue
        if comp.get("RECURRENCE-ID") is not None:
            reader.note("changed occurrences (RECURRENCE-ID) of {them} left out: a timeline has "
                        "no place for them",
                        part.line_of("RECURRENCE-ID"), part.uid)  # fmt: skip
            continue
        raw = comp.get(EVENT_PROPERTY)
        if raw is None:
            foreign.append((comp, part))
            continue
        event = _our_event(reader, comp, part, raw)
        _report_leftovers(reader, comp, part, _OUR_EVENT_PROPERTIES)
        if event is None:
            continue
        other = events.setdefault(event.id, event)
        if other is not event and other != event:
            reader.problem(part.where(), f"{part.label()}: a different event with id "
                                         f"{event.id!r} comes earlier in the file")  # fmt: skip
    taken = set(events)
    for comp, part in foreign:
        event = _foreign_event(reader, comp, part, taken)
        _report_leftovers(reader, comp, part, _READ_EVENT_PROPERTIES)
        if event is not None:
            taken.add(event.id)
            events[event.id] = event
    reader.report()
    if reader.problems:
        raise ValidationError(sorted(reader.problems, key=_line_number), reader.source)
    try:
        return Timeline(title=header.title, description=header.description, url=header.url,
                        events=events.values())  # fmt: skip
    except TimelineError as exc:
        raise ValidationError([Problem("", str(exc))], reader.source) from None


@attrs.frozen
class _Header:
    title: str = ""
    description: str = ""
    url: str | None = None


def _header(reader: _Reader, cal: Any, part: _Part) -> _Header:
    """The timeline's title, description and URL: from X-TIMELINE-HEADER
    when our exporter wrote it, else from the calendar's name and description."""
    part.name = "VCALENDAR"
    scale = cal.get("CALSCALE")
    if scale is not None and str(scale).upper() != "GREGORIAN":
        reader.problem(part.line_of("CALSCALE"), f"CALSCALE:{scale}: only Gregorian dates "
                                                 "are read")  # fmt: skip
    for name in cal:
        if name.upper() not in _READ_CALENDAR_PROPERTIES:
            reader.note("the calendar's {name} left out: a timeline has no place for it",
                        part.line_of(name), None, name=name.upper())  # fmt: skip
    raw = cal.get(HEADER_PROPERTY)
    if raw is not None and not isinstance(raw, list):
        where = part.line_of(HEADER_PROPERTY)
        try:
            doc = json.loads(_unescape(str(raw)))
        except ValueError as exc:
            reader.problem(where, f"{HEADER_PROPERTY} is not JSON: {exc}")
            return _Header()
        if not isinstance(doc, dict) or "events" in doc:
            reader.problem(where, f"{HEADER_PROPERTY} is not a timeline header")
            return _Header()
        try:
            empty = timeline_from_dict({**doc, "events": []})
        except ValidationError as exc:
            for problem in exc.problems:
                reader.problem(where, f"{HEADER_PROPERTY}: {problem}")
            return _Header()
        return _Header(empty.title, empty.description, empty.url)
    name = _calendar_text(cal, "NAME", "X-WR-CALNAME")
    description = _calendar_text(cal, "DESCRIPTION", "X-WR-CALDESC")
    title = " ".join(name.split()) if name else ""
    return _Header(title=title, description=description or "")


def _calendar_text(cal: Any, *names: str) -> str | None:
    for name in names:
        value = cal.get(name)
        if isinstance(value, list):
            value = value[0]
        if value is not None:
            text = str(value)
            # icalendar reads X- properties verbatim; unescape them ourselves.
            if name.startswith("X-"):
                text = _unescape(text)
            return _CONTROL.sub("", text.replace("\r\n", "\n"))
    return None
