"""The view of ``timeline show``: a heading, then the events by year, one
line each. See ``docs/cli.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from timeline import Date, Event, Timeline

from .console import count, printable

__all__ = ["repeats", "show_lines", "when"]

_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip
_TO: Final = "-"
_SPACED_TO: Final = " - "
_KIND_WIDTH: Final = 12
_DATE_WIDTH: Final = 40


def show_lines(timeline: Timeline, total: int) -> Iterator[str]:
    """The lines of ``timeline show``: a heading, then the events by year."""
    events = timeline.events
    if timeline.title:
        yield printable(timeline.title)
    shown = count(len(events), "event") if len(events) == total else (
        f"{len(events):,} of {count(total, 'event')}")  # fmt: skip
    if events:
        first, last = _year(events[0].start.year), _year(max(e.last.year for e in events))
        span = first if first == last else f"{first} to {last}"
        yield f"{shown}, {span}"
    else:
        yield shown
    labels = [when(e) for e in events]
    date_width = min(max((len(label) for label in labels), default=0), _DATE_WIDTH)
    kind_width = min(max((len(e.kind) for e in events), default=0), _KIND_WIDTH)
    year: int | None = None
    for event, label in zip(events, labels, strict=True):
        if event.start.year != year:
            year = event.start.year
            yield ""
            yield _year(year)
        place = ""
        if event.place is not None:
            country = event.place.country_name
            place = f" — {event.place.name}" + (f", {country}" if country else "")
        title = event.title + repeats(event.recurrence)
        yield printable(f"  {label:<{date_width}}  {event.kind:<{kind_width}}  {title}{place}")


_UNITS: Final = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day"}


def repeats(rule: str | None) -> str:
    """`` (every year)`` for ``FREQ=YEARLY``, `` (every 2 weeks)`` for
    ``FREQ=WEEKLY;INTERVAL=2``; any other rule as it is written."""
    if rule is None:
        return ""
    parts = dict(part.partition("=")[::2] for part in rule.removeprefix("RRULE:").split(";"))
    unit = _UNITS.get(parts.pop("FREQ", "").upper())
    interval = parts.pop("INTERVAL", "1")
    if unit is None or parts or not interval.isdigit() or int(interval) < 1:
        return f" (repeats: {rule})"
    return f" (every {unit})" if interval == "1" else f" (every {int(interval)} {unit}s)"


def when(event: Event) -> str:
    """When the event happened, in words, without the year of its heading when
    the year is the same: ``3-4 Jul``, ``31 Dec 2019 - 2 Jan 2020``, ``c. 1996``,
    ``Jun?``, ``4 Jul 10:00-18:00 (Asia/Almaty)``."""
    start, end = event.start, event.end
    if end is None or end == start:
        return _date_words(start, with_year=start.month is None)
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    if plain and start.time is None and end.time is None and start.year == end.year:
        if start.day is not None and end.day is not None and start.month == end.month:
            return f"{start.day}{_TO}{_date_words(end, False)}"
        if start.month is not None and end.month is not None:
            return f"{_date_words(start, False)}{_SPACED_TO}{_date_words(end, False)}"
    same_day = (start.year, start.month, start.day) == (end.year, end.month, end.day)
    if plain and same_day and start.time is not None and end.time is not None \
            and start.tz == end.tz:  # fmt: skip
        times = f"{_time_words(start)}{_TO}{_time_words(end)}{_zone_words(start)}"
        return f"{_day_words(start, False)} {times}"
    other_year = start.year != end.year
    return f"{_date_words(start, other_year)}{_SPACED_TO}{_date_words(end, other_year)}"


def _date_words(d: Date, with_year: bool) -> str:
    """``15 Jun``, ``c. Jun 2001?``, ``9 Jun 10:00 UTC``."""
    text = _day_words(d, with_year)
    if d.time is not None:
        text += f" {_time_words(d)}{_zone_words(d)}"
    if d.approximate:
        text = "c. " + text
    if d.uncertain:
        text += "?"
    return text


def _day_words(d: Date, with_year: bool) -> str:
    parts = []
    if d.day is not None:
        parts.append(str(d.day))
    if d.month is not None:
        parts.append(_MONTHS[d.month - 1])
    if with_year or d.month is None:
        parts.append(_year(d.year))
    return " ".join(parts)


def _time_words(d: Date) -> str:
    t = d.time
    assert t is not None
    return t.isoformat(timespec="seconds" if t.second or t.microsecond else "minutes")


def _zone_words(d: Date) -> str:
    if d.tz is None:
        return ""
    return " UTC" if d.tz == "UTC" else f" ({d.tz})"


def _year(year: int) -> str:
    """``2001``, or ``477 BCE`` for the astronomical year -476."""
    return str(year) if year >= 1 else f"{1 - year} BCE"
