"""The markwhen importer: a markwhen document read line by line, as
markwhen's parser reads it, into a timeline.

What a timeline cannot hold is left out with an :class:`~timeline.ImporterWarning`
that names the line (``story.mw:12: ...``), or, with ``strict``, is a
problem of a :class:`~timeline.ValidationError`. See
plugins/timeline-markwhen/README.md, "Reading markwhen".
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from typing import Any, Final

import attrs
import timeline
from dateutil.relativedelta import relativedelta
from timeline import Date, Event, ImporterWarning, Problems, Timeline, ValidationError
from timeline.document import event_reader
from timeline.model import kind_fields

from . import syntax
from .dates import Absolute, DatePart, Now, Relative, Unheld, find_date_part

__all__ = ["read_markwhen", "starts_event"]

OURS: Final = "timeline-group"
"""The property of a heading that the exporter made for its grouping
(``timeline-group: year``): its title is no tag of the events under it."""

_KNOWN: Final = frozenset({
    "id", "kind", "tags", "start", "end", "sources", "place", "location", "timezone", "tz",
    "recurrence", "url", "notes", "translations",
})  # fmt: skip
_LINK: Final = re.compile(r"\[([^\]<>]+)\]\(([A-Za-z][A-Za-z0-9+.-]*:[^\s()]+)\)")
_OFFSET: Final = re.compile(r"([+-])?(\d{1,2})(?::?(\d\d))?")
_MAX_WARNINGS: Final = 1000


def starts_event(line: str) -> bool:
    """Whether markwhen reads ``line`` as the first line of an event."""
    return find_date_part(line) is not None


@attrs.define
class _Span:
    """An event's range as markwhen computes it: from an instant to an
    instant (exclusive), with the dates as written where they were."""

    start: Date
    end: Date | None
    begin: dt.datetime | None
    """The first instant (wall time), ``None`` before year 1."""
    finish: dt.datetime | None
    """The instant after the last (wall time), ``None`` before year 1."""


@attrs.define
class _Reader:
    source: str
    strict: bool
    problems: Problems = attrs.Factory(Problems)
    warned: int = 0
    header: dict[str, Any] = attrs.Factory(dict)
    zone: str | None = None
    ids: dict[str, _Span] = attrs.Factory(dict)
    prior: _Span | None = None
    events: list[Event] = attrs.Factory(list)
    lines_of: dict[str, int] = attrs.Factory(dict)
    where: dict[str, int] = attrs.Factory(dict)
    line: int = 0
    """The line of the event being read."""
    european: bool = False
    """Slash dates are day/month/year (``dateFormat: d/M/y``)."""
    """The line of each key of the properties read last."""
    structure: Any = attrs.Factory(lambda: event_reader(free_text_dates=True))

    # -- reporting --------------------------------------------------------------------------

    def date_part(self, line: str) -> DatePart | None:
        return find_date_part(line, european=self.european)

    def ends_body(self, line: str) -> bool:
        """Whether ``line`` ends an event's description: the next event, a
        heading, or a group of older markwhen (``group``, ``endGroup``)."""
        return bool(
            self.date_part(line)
            or syntax.SECTION.match(line)
            or syntax.LEGACY_GROUP.match(line)
            or syntax.LEGACY_END.match(line)
        )

    def lost(self, line: int, message: str) -> None:
        """Something left out: a warning, or a problem when strict."""
        if self.strict:
            self.problems.add(f"line {line}", message, order=line)
            return
        self.warned += 1
        if self.warned <= _MAX_WARNINGS:
            warnings.warn(f"{self.source}:{line}: {message}", ImporterWarning, stacklevel=6)

    # -- the document -----------------------------------------------------------------------

    def read(self, text: str) -> Timeline:
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = text.split("\n")
        index = self.read_header(lines)
        groups: list[tuple[int, list[str]]] = []  # (level, tags) of the open headings
        legacy: list[list[str]] = []
        i = index
        while i < len(lines):
            line = lines[i]
            if syntax.COMMENT.match(line):
                i += 1
                continue
            section = syntax.SECTION.match(line)
            if section is not None:
                level = len(section[1])
                while groups and groups[-1][0] >= level:
                    groups.pop()
                properties, i = self.properties(lines, i + 1)
                tags = [] if OURS in properties else _group_tags(section[2])
                groups.append((level, tags))
                continue
            opened = syntax.LEGACY_GROUP.match(line)
            if opened is not None:
                legacy.append(_group_tags(opened[2] or ""))
                i += 1
                continue
            if syntax.LEGACY_END.match(line):
                if legacy:
                    legacy.pop()
                i += 1
                continue
            found = self.date_part(line)
            if found is None:
                if line.strip():
                    hint = (
                        "; markwhen writes a range of two such dates with '/'"
                        if _DASHED_RANGE.match(line)
                        else ""
                    )
                    self.lost(i + 1, f"{_short(line.strip())}: text in no event (no date that "
                              f"markwhen reads starts it, and no event is before it){hint}; "
                              "left out")  # fmt: skip
                i += 1
                continue
            enclosing = [tag for _, tags in groups for tag in tags]
            enclosing += [tag for tags in legacy for tag in tags]
            i = self.event(lines, i, found, enclosing)
        if self.problems:
            raise self.problems.error(self.source)
        if self.warned > _MAX_WARNINGS:
            more = self.warned - _MAX_WARNINGS
            warnings.warn(
                f"{self.source}: ... and {more} more warnings", ImporterWarning, stacklevel=5
            )
        return self.timeline()

    def timeline(self) -> Timeline:
        header = self.header
        title = _text(header.get("title"))
        description = _text(header.get("description"))
        url = header.get("url") if isinstance(header.get("url"), str) else None
        language = header.get("language") if isinstance(header.get("language"), str) else "en"
        unique: list[Event] = []
        seen: set[str] = set()
        for event in self.events:
            if event.id in seen:
                self.lost(
                    self.lines_of.get(event.id, 0), f"a second event with id {event.id!r}; left out"
                )
                continue
            seen.add(event.id)
            unique.append(event)
        if self.problems:
            raise self.problems.error(self.source)
        try:
            translations = header.get("translations")
            return Timeline(
                title=title,
                description=description,
                url=url,
                language=language,
                translations=translations if isinstance(translations, dict) else None,
                events=unique,
            )
        except timeline.TimelineError as exc:
            self.lost(
                1, f"the header: {exc}; read without its title, description, url and language"
            )
            if self.problems:
                raise self.problems.error(self.source) from None
            return Timeline(events=unique)

    def read_header(self, lines: list[str]) -> int:
        """The header: YAML (between ``---`` lines, or the lines before the
        first event). Returns the index of the first line after it."""
        i = 0
        while i < len(lines) and (not lines[i].strip() or syntax.COMMENT.match(lines[i])):
            i += 1
        if i < len(lines) and lines[i].startswith(syntax.THREE_DASHES):
            end = i + 1
            while end < len(lines) and not lines[end].startswith(syntax.THREE_DASHES):
                end += 1
            if end == len(lines):
                self.lost(
                    i + 1, "the header's '---' is never closed; the document is read as events"
                )
                return i + 1
            self.set_header(lines[i + 1 : end], i + 2)
            return end + 1
        start = i
        while i < len(lines) and not (
            starts_event(lines[i])
            or syntax.SECTION.match(lines[i])
            or syntax.LEGACY_GROUP.match(lines[i])
        ):
            i += 1
        self.set_header(lines[start:i], start + 1)
        return i

    def set_header(self, lines: list[str], first: int) -> None:
        kept = [line for line in lines if not syntax.COMMENT.match(line)]
        # markwhen's tag colours, '#Travel: blue', are no YAML keys we keep
        kept = [line for line in kept if not re.match(r"\s*#\w", line)]
        if not any(line.strip() for line in kept):
            return
        try:
            data = syntax.load_yaml("\n".join(kept))
        except ValueError as exc:
            self.lost(first, f"the header is {exc}; it is left out")
            return
        if not isinstance(data, dict):
            self.lost(first, f"the header is {_short(data)}, not 'key: value' lines; it is "
                      "left out")  # fmt: skip
            return
        self.header = data
        self.european = str(data.get("dateFormat", "")).strip() == "d/M/y"
        zone = data.get("timezone", data.get("tz"))
        if zone is not None:
            self.zone = self.zone_of(zone, first)

    def zone_of(self, value: Any, line: int) -> str | None:
        """Our zone suffix for markwhen's zone: ``[Asia/Almaty]``, ``Z``, or
        an offset (``+05:00``), which timeline turns into UTC."""
        text = str(value).strip()
        if text.upper() in ("UTC", "Z", "GMT"):
            return "Z"
        match = _OFFSET.fullmatch(text)
        if match is not None:
            sign = match[1] or "+"
            hours, minutes = int(match[2]), int(match[3] or 0)
            if hours == 0 and minutes == 0:
                return "Z"
            return f"{sign}{hours:02d}:{minutes:02d}"
        try:
            timeline.parse_date(f"2000-01-01T00:00[{text}]")
        except timeline.DateError as exc:
            self.lost(line, f"timezone {text!r}: {exc}; times are read without a zone")
            return None
        return f"[{text}]"

    # -- properties -------------------------------------------------------------------------

    def properties(self, lines: list[str], i: int) -> tuple[dict[str, Any], int]:
        """The property lines from ``lines[i]``, as markwhen reads them, and
        the index of the line after them. :attr:`where` gets the line of
        each key."""
        kept: list[str] = []
        first = i
        self.where = {}
        if i < len(lines) and lines[i].startswith(syntax.THREE_DASHES):
            end = i + 1
            while end < len(lines) and not lines[end].startswith(syntax.THREE_DASHES):
                key = syntax.PROPERTY.match(lines[end])
                if key is not None:
                    kept.append(lines[end])
                    self.where.setdefault(key[1], end + 1)
                end += 1
            i = min(end + 1, len(lines))
        else:
            while i < len(lines):
                line = lines[i]
                if self.date_part(line) or syntax.SECTION.match(line) or syntax.COMMENT.match(line):
                    break
                key = syntax.PROPERTY.match(line)
                if key is None:
                    break
                kept.append(line)
                self.where.setdefault(key[1], i + 1)
                i += 1
        if not kept:
            return {}, i
        # markwhen reads '#word' in a property line as ')word' (its colour syntax)
        text = "\n".join(re.sub(r"(^|\W+)#(\w+)", r"\1)\2", line) for line in kept)
        try:
            data = syntax.load_yaml(text)
        except ValueError as exc:
            self.lost(first + 1, f"the properties are {exc}; they are left out")
            return {}, i
        return (data if isinstance(data, dict) else {}), i

    # -- an event ---------------------------------------------------------------------------

    def event(self, lines: list[str], i: int, found: DatePart, groups: list[str]) -> int:
        number = i + 1
        properties, end = self.properties(lines, i + 1)
        j = end
        while j < len(lines):
            line = lines[j]
            if self.ends_body(line):
                break
            j += 1
        body = [line for line in lines[end:j] if not syntax.COMMENT.match(line)]
        zone = self.zone
        tz = properties.get("timezone", properties.get("tz"))
        if isinstance(tz, str | int | float) and not isinstance(tz, bool):
            zone = self.zone_of(tz, number)
        span = self.span(found, number, zone)
        first = found.rest
        title, tags, id_ = _first_line(first)
        if span is None:
            if id_ is not None:
                self.ids.pop(id_, None)
            return j
        self.prior = span
        event_id = properties.get("id") if isinstance(properties.get("id"), str) else id_
        if event_id is not None:
            self.ids.setdefault(event_id, span)
        parts = _Parts(number, title, tags, event_id, span, found, properties, body, groups)
        event = self.build(parts)
        if event is not None:
            self.events.append(event)
            self.lines_of.setdefault(event.id, number)
        return j

    def build(self, parts: _Parts) -> Event | None:
        """The event of a line's parts, or ``None`` (with warnings)."""
        number, title, tags, event_id = parts.number, parts.title, parts.tags, parts.event_id
        span, found, properties = parts.span, parts.found, parts.properties
        body, groups = parts.body, parts.groups
        where = dict(self.where)
        if not (title.startswith(syntax.MARK) or title.endswith(syntax.MARK)):
            title = title.strip(syntax.JS_SPACE)  # what taking out tags and ids left
        data: dict[str, Any] = {"title": syntax.unescape(title)}
        kind = properties.get("kind", "event")
        kinds = timeline.kinds()
        if not isinstance(kind, str) or kind not in kinds:
            known = ", ".join(kinds)
            self.lost(where.get("kind", number), f"unknown kind {kind!r} (the kinds are "
                      f"{known}; a plugin may add others); read as an event")  # fmt: skip
            kind = "event"
        data["kind"] = kind
        if event_id is not None:
            data["id"] = event_id
        data["start"] = span.start.isoformat()
        if span.end is not None:
            data["end"] = span.end.isoformat()
        for key in ("start", "end"):
            exact = properties.get(key)
            if isinstance(exact, str | int) and not isinstance(exact, bool):
                data[key] = str(exact)
        all_tags: list[str] = []
        extra = properties.get("tags")
        if isinstance(extra, list):  # in their order, with the #tags
            all_tags += [str(t) for t in extra if isinstance(t, str | int) and str(t).strip()]
        all_tags += [tag for tag in tags if tag not in all_tags]
        description, sources, more_tags = _body(body)
        all_tags += [tag for tag in more_tags if tag not in all_tags]
        all_tags += [tag for tag in groups if tag not in all_tags]
        if all_tags:
            data["tags"] = all_tags
        if description:
            data["description"] = description
        if isinstance(properties.get("sources"), list):
            data["sources"] = properties["sources"]
        elif sources:
            data["sources"] = sources
        place = properties.get("place")
        location = properties.get("location")
        if isinstance(place, dict):
            data["place"] = place
        # YAML has already trimmed a plain value: spaces still there were
        # quoted, and are the name's own ("0 " is not "0").
        elif isinstance(place, str) and place.strip():
            data["place"] = {"name": place}
        elif isinstance(location, str) and location.strip():
            data["place"] = {"name": location}
        if place is not None and not isinstance(place, (dict, str)):
            self.lost(where.get("place", number), "property 'place' is neither a name nor a "
                      f"mapping of a place's fields, not {_short(place)}; left out")  # fmt: skip
        recurrence = properties.get("recurrence")
        if isinstance(recurrence, str):
            data["recurrence"] = recurrence
        elif found.recurrence is not None:
            rule = rrule_of(found.recurrence)
            if rule is None:
                self.lost(number, f"the recurrence {found.recurrence!r} is not one timeline "
                          "reads (every N days, weeks, months or years, on week days, for N "
                          "times, until a date); the event is read without it")  # fmt: skip
            else:
                data["recurrence"] = rule
        for key in ("url", "notes", "translations"):
            if key in properties:
                data[key] = properties[key]
        cls = kinds[kind]
        attributes = {f.name for f in kind_fields(cls)}
        for key, value in properties.items():
            if key in _KNOWN or key == OURS:
                continue
            if key in attributes:
                data[key] = value
            else:
                has = f"{_article(kind)} {kind} has {_names(attributes)}"
                message = f"property {key!r} has no place in a timeline ({has}); left out"
                self.lost(where.get(key, number), message)
        return self.checked(number, data, where)

    def checked(self, number: int, data: dict[str, Any], where: dict[str, int]) -> Event | None:
        """The event of ``data``; each field that the model refuses is left
        out (or, when strict, is a problem), and the event without it is tried."""
        for _ in range(8):
            try:
                event: Event = self.structure(data, "$")
                return event
            except ValidationError as exc:
                bad = {_field(problem.path) for problem in exc.problems}
                for problem in exc.problems:
                    field = _field(problem.path)
                    line = where.get(field or "", number)
                    self.lost(line, f"{field}: {problem.message}" if field else problem.message)
                if bad & {"title", "start", None} or not bad & set(data):
                    if not self.strict:
                        self.lost(number, "the event is left out")
                    return None
                for name in bad:
                    data.pop(name or "", None)
        return None

    # -- dates ------------------------------------------------------------------------------

    def span(self, found: DatePart, number: int, zone: str | None) -> _Span | None:
        """The event's dates, or ``None`` (with a warning) when it has none
        that a timeline can hold."""
        self.line = number
        for point in (found.start, found.end):
            if isinstance(point, Now):
                self.lost(number, f"{found.text!r}: 'now' is the time the document is read, "
                          "which no timeline holds; the event is left out")  # fmt: skip
                return None
            if isinstance(point, Unheld):
                self.lost(number, f"{found.text!r}: {point.reason}; the event is left out")
                return None
        try:
            return self._span(found, zone)
        except _Unreadable as exc:
            self.lost(number, f"{found.text!r}: {exc}; the event is left out")
            return None

    def _span(self, found: DatePart, zone: str | None) -> _Span:
        start, end = found.start, found.end
        if found.bce:
            assert isinstance(start, Absolute)
            first = _date(start, zone)
            if end is None:
                return _Span(first, None, None, None)
            assert isinstance(end, Absolute)
            last_year = end.year - 1  # markwhen's end is the first instant of that year
            if last_year < start.year:
                raise _Unreadable("the range ends before it starts")
            return _Span(first, Date(last_year), None, None)
        if isinstance(start, Absolute):
            first = _date(start, zone)
            begin, after = _instants(start)
            if end is None:
                if start.week and begin is not None and after is not None:
                    return self.from_instants(begin, after, first, zone)
                return _Span(first, None, begin, after)
            if isinstance(end, Absolute):
                last = _date(end, zone)
                _, finish = _instants(end)
                if end.week and finish is not None:
                    last = _instant_date(finish - dt.timedelta(days=1), zone, midnight_is_day=True)
                if finish is not None and begin is not None and finish < begin:
                    raise _Unreadable("the range ends before it starts")
                return _Span(first, last, begin, finish)
            assert isinstance(end, Relative)
            if begin is None:
                raise _Unreadable("a relative date from a date before year 1")
            base = self.base(end, begin, before=False, default_end=False)
            finish = _shift(base, end.amounts, end.before)
            return self.from_instants(begin, finish, first, zone)
        assert isinstance(start, Relative)
        base = self.base(start, None, before=start.before, default_end=not start.before)
        if end is None:
            if start.before:
                return self.from_instants(_shift(base, start.amounts, True), base, None, zone)
            return self.from_instants(base, _shift(base, start.amounts, False), None, zone)
        if isinstance(end, Relative):
            if start.before:
                finish = _shift(base, start.amounts, True)
                return self.from_instants(_shift(finish, end.amounts, True), finish, None, zone)
            begin = _shift(base, start.amounts, False)
            end_base = (
                begin
                if end.event_id is None and end.edge is None
                else self.base(end, begin, before=False, default_end=False)
            )
            return self.from_instants(begin, _shift(end_base, end.amounts, False), None, zone)
        assert isinstance(end, Absolute)
        begin = _shift(base, start.amounts, False)
        last = _date(end, zone)
        _, finish = _instants(end)
        if finish is None:
            raise _Unreadable("a relative date before year 1")
        span = self.from_instants(begin, finish, None, zone)
        return _Span(span.start, last, begin, finish)

    def base(
        self, point: Relative, fallback: dt.datetime | None, *, before: bool, default_end: bool
    ) -> dt.datetime:
        """The instant a relative date counts from: the event its id names
        (its end, or its start when ``before``), else the event before."""
        span: _Span | None = None
        named = point.event_id
        if named is not None:
            span = self.ids.get(named)
            if span is None:
                # markwhen counts from the event before, as when no id is given
                self.lost(self.line, f"there is no event !{named} before this one; the date "
                          "is counted from the event before, as markwhen counts it")  # fmt: skip
                named = None
        if span is None and (point.edge is not None or fallback is None):
            span = self.prior
            if span is None:
                raise _Unreadable("a relative date with no event before it, which markwhen "
                                  "counts from now")  # fmt: skip
        if span is None:
            assert fallback is not None
            return fallback
        if span.begin is None or span.finish is None:
            raise _Unreadable("a relative date from an event before year 1 or at the end of 9999")
        edge = point.edge or ("end" if default_end else "start")
        if named is not None and point.edge is None and fallback is not None:
            edge = "start"  # the end of a range counts from the start of the event it names
        return span.finish if edge == "end" else span.begin

    def from_instants(
        self, begin: dt.datetime, finish: dt.datetime, first: Date | None, zone: str | None
    ) -> _Span:
        if finish < begin:
            raise _Unreadable("the range ends before it starts")
        start = first or _instant_date(begin, zone, midnight_is_day=True)
        whole = first is None or first.precision is not timeline.Precision.TIME
        if whole and finish.time() == dt.time() and begin.time() == dt.time():
            last_day = (finish - dt.timedelta(days=1)).date()
            if start.precision is timeline.Precision.YEAR and finish.month == finish.day == 1:
                last = Date(finish.year - 1)
            elif (
                start.precision in (timeline.Precision.YEAR, timeline.Precision.MONTH)
                and finish.day == 1
            ):
                last = Date(last_day.year, last_day.month)
            else:
                last = Date(last_day.year, last_day.month, last_day.day)
            if last.earliest <= start.latest and last.latest <= start.latest:
                return _Span(start, None, begin, finish)
            return _Span(start, last, begin, finish)
        if start.precision is not timeline.Precision.TIME:
            start = _instant_date(begin, zone, midnight_is_day=False)
        last = _instant_date(finish, zone, midnight_is_day=False)
        return _Span(start, None if last == start else last, begin, finish)


@attrs.frozen
class _Parts:
    """What an event's lines say, before it is checked."""

    number: int
    title: str
    tags: list[str]
    event_id: str | None
    span: _Span
    found: DatePart
    properties: dict[str, Any]
    body: list[str]
    groups: list[str]


class _Unreadable(Exception):
    """A date range that no timeline can hold; the message says why."""


def _instants(point: Absolute) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first instant of ``point`` and the one after its last, as markwhen
    rounds up to the precision written."""
    if point.year < 1:
        return None, None
    try:
        if point.hour is not None:
            moment = dt.datetime(
                point.year, point.month or 1, point.day or 1, point.hour, point.minute or 0,
                point.second or 0,
            )  # fmt: skip
            return moment, moment
        if point.day is not None:
            begin = dt.datetime(point.year, point.month or 1, point.day)
            step: Any = dt.timedelta(days=7 if point.week else 1)
        elif point.month is not None:
            begin = dt.datetime(point.year, point.month, 1)
            step = relativedelta(months=1)
        else:
            begin = dt.datetime(point.year, 1, 1)
            step = relativedelta(years=1)
    except (ValueError, OverflowError) as exc:
        raise _Unreadable(str(exc)) from None
    try:
        return begin, begin + step
    except (ValueError, OverflowError):  # the end of 9999: no instant after it here
        return begin, None


def _date(point: Absolute, zone: str | None) -> Date:
    if point.year > 9999:
        raise _Unreadable(f"year {point.year} is after 9999, the last a timeline holds")
    year = f"{point.year:04d}" if point.year >= 0 else f"-{-point.year:04d}"
    text = year
    if point.month is not None:
        text += f"-{point.month:02d}"
    if point.day is not None:
        text += f"-{point.day:02d}"
    if point.hour is not None:
        text += f"T{point.hour:02d}:{point.minute or 0:02d}"
        if point.second:
            text += f":{point.second:02d}"
        text += "Z" if point.utc else (zone or "")
    try:
        return Date.fromisoformat(text)
    except timeline.DateError as exc:
        raise _Unreadable(re.sub(r"^cannot read date '.*?': ", "", str(exc))) from None


def _instant_date(moment: dt.datetime, zone: str | None, *, midnight_is_day: bool) -> Date:
    if midnight_is_day and moment.time() == dt.time():
        return Date(moment.year, moment.month, moment.day)
    return _date(
        Absolute(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second),
        zone,
    )


def _shift(moment: dt.datetime, amounts: tuple[Any, ...], backwards: bool) -> dt.datetime:
    sign = -1 if backwards else 1
    try:
        for amount in amounts:
            n = sign * amount.number
            if amount.unit == "weekdays":
                moment = _weekdays(moment, amount.number, backwards)
            elif amount.unit == "milliseconds":
                moment += dt.timedelta(milliseconds=n)
            else:
                moment += relativedelta(**{amount.unit: n})
    except (ValueError, OverflowError):
        raise _Unreadable("the relative date goes past the years 1 to 9999") from None
    return moment


def _weekdays(moment: dt.datetime, count: int, backwards: bool) -> dt.datetime:
    """``count`` working days (Monday to Friday) after or before ``moment``,
    as markwhen counts them."""
    if not backwards:
        weekday = moment.isoweekday()  # luxon's weekday, 1 = Monday
        this_week = 6 - weekday
        rest = count - this_week
        if rest <= 0:
            return moment + dt.timedelta(days=count)
        weeks, remainder = divmod(rest, 5)
        last = 2 + remainder if remainder else 0
        return moment + dt.timedelta(days=this_week + weeks * 7 + last)
    weekday = moment.isoweekday() - 1
    rest = count - weekday
    if rest <= 0:
        return moment - dt.timedelta(days=count)
    weeks, remainder = divmod(rest, 5)
    last = 2 + remainder if remainder else 0
    return moment - dt.timedelta(days=weekday + weeks * 7 + last)


def _first_line(rest: str) -> tuple[str, list[str], str | None]:
    """The title, tags and ``!id`` of an event's first line, as markwhen
    takes them out."""
    text = rest.strip(syntax.JS_SPACE)
    text = syntax.IMAGE_REMOVE.sub("", text, count=1)
    text = syntax.LOCATION_REMOVE.sub("", text)
    tags: list[str] = []

    def tag(match: re.Match[str]) -> str:
        if match[1] not in tags:
            tags.append(match[1])
        return ""

    text = syntax.TAG_IN_TEXT.sub(tag, text)
    found = syntax.ID_IN_TEXT.search(text)
    event_id = None
    if found is not None:
        event_id = found[1]
        text = text[: found.start()] + text[found.end() :]
    return text, tags, event_id


def _body(lines: list[str]) -> tuple[str, list[dict[str, str]], list[str]]:
    """The description (the lines without the marks, and without the tags
    markwhen takes out of them), the sources (the link list items at its
    end, else its links) and the tags."""
    while lines and not lines[-1].strip(syntax.JS_SPACE):
        lines = lines[:-1]
    while lines and not lines[0].strip(syntax.JS_SPACE):
        lines = lines[1:]
    tags: list[str] = []

    def tag(match: re.Match[str]) -> str:
        if match[1] not in tags:
            tags.append(match[1])
        return ""

    lines = [syntax.TAG_IN_TEXT.sub(tag, line) if "#" in line else line for line in lines]
    sources: list[dict[str, str]] = []
    while lines:
        found = syntax.read_source_line(lines[-1].strip(syntax.JS_SPACE))
        if found is None or ":" not in found[1]:
            break
        title, url = found
        sources.insert(0, {"url": url} if title == url else {"url": url, "title": title})
        lines = lines[:-1]
    while lines and not lines[-1].strip(syntax.JS_SPACE):
        lines = lines[:-1]
    text = "\n".join(syntax.unescape(line.strip(syntax.JS_SPACE)) for line in lines)
    if not sources:
        for match in _LINK.finditer(text):
            url = match[2]
            if all(source["url"] != url for source in sources):
                sources.append({"url": url, "title": match[1]})
    return text, sources, tags


def _group_tags(title: str) -> list[str]:
    """A heading's title as tags: the title itself, and its ``#tags``."""
    tags = [m[1] for m in syntax.TAG_IN_TEXT.finditer(title)]
    text = syntax.unescape(syntax.TAG_IN_TEXT.sub("", title)).strip(syntax.JS_SPACE)
    text = " ".join(text.split())
    return [*([text] if text else []), *tags]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _names(names: set[str]) -> str:
    return "the attributes " + ", ".join(sorted(names)) if names else "no attributes"


def _field(path: str) -> str | None:
    match = re.match(r"\$\.([A-Za-z_]+)", path)
    return match[1] if match else None


# -- recurrence ------------------------------------------------------------------------------

_FREQ: Final = {
    "year": "YEARLY", "month": "MONTHLY", "week": "WEEKLY", "day": "DAILY",
    "hour": "HOURLY", "minute": "MINUTELY", "second": "SECONDLY",
}  # fmt: skip
_DAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RULE: Final = re.compile(
    r"every\s+(?:(?P<n>\d+)\s+)?(?P<unit>years?|months?|weeks?|days?|hours?|minutes?|seconds?"
    r"|weekdays?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)"
    r"(?:\s+on\s+(?P<on>[a-z, ]+?))?"
    r"(?:\s+for\s+(?P<count>\d+)\s+(?:times|years?|months?|weeks?|days?))?"
    r"(?:\s+x\s*(?P<x>\d+))?"
    r"(?:\s+until\s+(?P<until>[a-z0-9 ,]+))?",
    re.I,
)


def rrule_of(text: str) -> str | None:
    """An RFC 5545 RRULE for markwhen's ``every ...`` (the subset of
    rrule's English that says a frequency, an interval, week days, a count
    and an end), or ``None``."""
    match = _RULE.fullmatch(" ".join(text.lower().split()))
    if match is None:
        return None
    unit = match["unit"].rstrip("s") if match["unit"] != "days" else "day"
    parts: list[str] = []
    byday: list[str] = []
    if unit == "weekday":
        freq = "WEEKLY"
        byday = ["MO", "TU", "WE", "TH", "FR"]
    elif unit in _FREQ:
        freq = _FREQ[unit]
    else:
        freq = "WEEKLY"
        byday = [unit[:2].upper()]
    parts.append(f"FREQ={freq}")
    if match["n"] and int(match["n"]) != 1:
        parts.append(f"INTERVAL={int(match['n'])}")
    if match["on"]:
        if freq != "WEEKLY":
            return None
        for word in re.split(r"\s*,\s*|\s+and\s+|\s+", match["on"].strip()):
            if word not in _DAYS:
                return None
            byday.append(word[:2].upper())
    if byday:
        parts.append("BYDAY=" + ",".join(dict.fromkeys(byday)))
    count = match["count"] or match["x"]
    if count:
        parts.append(f"COUNT={int(count)}")
    if match["until"]:
        until = _until(match["until"])
        if until is None:
            return None
        parts.append(f"UNTIL={until}")
    return ";".join(parts)


def _until(text: str) -> str | None:
    try:
        date = timeline.parse_date(text)
    except timeline.DateError:
        return None
    if date.precision is not timeline.Precision.DAY or date.year < 1:
        return None
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"


def read_markwhen(text: str, source: str, *, strict: bool = False) -> Timeline:
    """The timeline of markwhen ``text``; ``source`` names it in messages."""
    return _Reader(source=source, strict=strict).read(text)


_DASHED_RANGE: Final = re.compile(r"\s*[0-9]{4}-[0-9]{2}(-[0-9]{2})?\s+-\s+[0-9]{4}-")


def _short(value: Any) -> str:
    """A value as the message about it shows it: its JSON, cut at 40 characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"
