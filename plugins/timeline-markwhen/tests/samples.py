"""Timelines the tests write: dates of every precision, BCE, times in
zones, spans, tags, kinds, recurrences."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import timeline
from timeline import Date, Event, Place, Precision, Source, Summit, Timeline


def sample() -> Timeline:
    """BCE years, years, months, days, times (floating, UTC, zoned), spans."""
    astana = Place(name="Astana", country="KZ", latitude=51.1694, longitude=71.4491,
                   timezone="Asia/Almaty")  # fmt: skip
    return Timeline(
        title="Sample",
        description="Every precision markwhen can say.",
        events=[
            Event(title="Rome founded", start="-0752", tags=("rome",)),
            Event(title="Republic", start="-0508", end="-0026"),
            Event(title="Across the eras", start="-0049", end="0050"),
            Event(title="Augustus", start="0014"),
            Event(title="A year", start="1996", tags=("years", "human rights")),
            Event(title="A month", start="2001-06"),
            Event(title="Months", start="2001-06", end="2002-02"),
            Event(title="A day", start="2001-06-15", recurrence="FREQ=YEARLY"),
            Event(
                title="Fortnightly", start="2024-01-01", recurrence="FREQ=WEEKLY;INTERVAL=2;COUNT=5"
            ),
            Summit(
                title="Astana summit",
                start="2024-07-03",
                end="2024-07-04",
                organisation="SCO",
                host="KZ",
                place=astana,
                sources=[Source(url="https://example.org/astana")],
            ),
            Event(title="Floating time", start="2024-07-04T10:00"),
            Event(title="UTC time", start="2024-07-04T11:30Z"),
            Event(
                title="Zoned time",
                start="2024-07-04T10:00[Asia/Almaty]",
                end="2024-07-04T12:30[Asia/Almaty]",
            ),
            Event(title="About 1850", start="1850~", description="Two lines\nof text."),
        ],
    )


_ISO = re.compile(r"(-?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{3}(Z|[+-]\d\d:\d\d)")


def instant(text: str) -> tuple[int, int, int, int, int, int, str]:
    """An ISO instant of markwhen's parser (luxon writes years before 0 and
    after 9999 with six digits and a sign), comparable."""
    match = _ISO.fullmatch(text)
    assert match is not None, text
    offset = "+00:00" if match[7] == "Z" else match[7]
    return (*(int(match[i]) for i in range(1, 7)), offset)  # type: ignore[return-value]


def _day(date: Date, *, after: bool) -> tuple[int, int, int, int, int, int, str]:
    if date.year < 1 or (date.precision is Precision.YEAR and date.year < 1):
        return (date.year + (1 if after else 0), 1, 1, 0, 0, 0, "+00:00")
    day = date.latest if after else date.earliest
    if after:
        if day.year == 9999 and day.month == 12 and day.day == 31:
            return (10000, 1, 1, 0, 0, 0, "+00:00")
        moment = day.to_date() + timedelta(days=1)
    else:
        moment = day.to_date()
    return (moment.year, moment.month, moment.day, 0, 0, 0, "+00:00")


def _time(date: Date) -> tuple[int, int, int, int, int, int, str]:
    moment = date.to_datetime()
    offset = moment.utcoffset()
    if offset is None:
        text = "+00:00"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, text)


def expected_range(event: Event) -> tuple[Any, Any]:
    """The range markwhen's parser should give the event: from its first
    instant to the one after its last (BCE: whole years)."""
    start, end = event.start, event.end
    if start.year < 1 or (end is not None and end.year < 1):
        last = end or start
        return (start.year, 1, 1, 0, 0, 0, "+00:00"), (last.year + 1, 1, 1, 0, 0, 0, "+00:00")
    first = _time(start) if start.precision is Precision.TIME else _day(start, after=False)
    last = end or start
    if last.precision is Precision.TIME:
        return first, _time(last)
    return first, _day(last, after=True)


def visible(text: str) -> str:
    """Text as markwhen shows it, without the exporter's invisible marks."""
    from timeline_markwhen.syntax import unescape

    return unescape(text)


__all__ = ["expected_range", "instant", "sample", "timeline", "visible"]
