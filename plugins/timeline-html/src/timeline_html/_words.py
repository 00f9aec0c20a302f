"""Dates in words, for people: ``15 June 2001``, ``3–4 July 2024``, ``about
1996``, ``477 BCE``.

Private to the plugin. (The core may grow a public date-in-words function;
this module can then give way to it.)
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from timeline import Date, Precision

MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DASH: Final = "–"  # en dash, for ranges


def year_words(year: int) -> str:
    """``2001``; ``477 BCE`` for the astronomical year -476 (year 0 is 1 BCE)."""
    return str(year) if year >= 1 else f"{1 - year} BCE"


def _time_words(time: dt.time) -> str:
    if time.second or time.microsecond:
        return time.strftime("%H:%M:%S")
    return time.strftime("%H:%M")


def _zone_words(date: Date) -> str:
    if date.tz is None:
        return ""
    if date.tz == "UTC":
        return " UTC"
    return f" ({date.tz})"


def _day_month(date: Date) -> str:
    assert date.month is not None
    month = MONTHS[date.month - 1]
    return month if date.day is None else f"{date.day} {month}"


def _plain(date: Date) -> str:
    """The date without its qualifiers and zone."""
    if date.month is None:
        return year_words(date.year)
    text = f"{_day_month(date)} {year_words(date.year)}"
    if date.time is not None:
        text += f", {_time_words(date.time)}"
    return text


def _qualified(date: Date, text: str) -> str:
    if date.approximate:
        text = f"about {text}"
    if date.uncertain:
        text = f"{text} (uncertain)"
    return text


def date_words(date: Date) -> str:
    """One date in words.

    >>> date_words(Date.parse("2024-07-04T10:00[Asia/Almaty]"))
    '4 July 2024, 10:00 (Asia/Almaty)'
    >>> date_words(Date.parse("2002-06?")), date_words(Date.parse("-0476~"))
    ('June 2002 (uncertain)', 'about 477 BCE')
    """
    return _qualified(date, _plain(date) + _zone_words(date))


class Span(NamedTuple):
    """A date or a range in words, in parts: ``start``, then ``separator`` and
    ``end`` for a range (empty for a single date)."""

    start: str
    separator: str = ""
    end: str = ""

    def __str__(self) -> str:
        return f"{self.start}{self.separator}{self.end}"


def span_words(start: Date, end: Date | None) -> Span:
    """A date or a range in words, without repeating what both ends share.

    >>> str(span_words(Date.parse("2024-07-03"), Date.parse("2024-07-04")))
    '3–4 July 2024'
    >>> str(span_words(Date.parse("2025-08-31"), Date.parse("2025-09-01")))
    '31 August – 1 September 2025'
    >>> str(span_words(Date.parse("2019-12-31"), Date.parse("2020-01-02")))
    '31 December 2019 – 2 January 2020'
    """
    if end is None or end == start:
        return Span(date_words(start))
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    same_year = start.year == end.year
    if plain and same_year and start.precision == end.precision:
        year = year_words(start.year)
        if start.precision is Precision.DAY:
            if start.month == end.month:
                return Span(str(start.day), DASH, f"{_day_month(end)} {year}")
            return Span(_day_month(start), f" {DASH} ", f"{_day_month(end)} {year}")
        if start.precision is Precision.MONTH:
            return Span(_day_month(start), f" {DASH} ", f"{_day_month(end)} {year}")
        if (
            start.precision is Precision.TIME
            and (start.month, start.day) == (end.month, end.day)
            and start.tz == end.tz
        ):
            assert start.time is not None and end.time is not None
            return Span(
                f"{_day_month(start)} {year}, {_time_words(start.time)}",
                DASH,
                f"{_time_words(end.time)}{_zone_words(end)}",
            )
    return Span(date_words(start), f" {DASH} ", date_words(end))


def machine_date(date: Date) -> str | None:
    """The date for an HTML ``datetime`` attribute, or ``None`` where HTML
    has no form for it (years before 1 or after 9999).

    >>> machine_date(Date.parse("2024-07-04T10:00[Asia/Almaty]"))
    '2024-07-04T10:00+05:00'
    """
    if not 1 <= date.year <= 9999:
        return None
    if date.month is None:
        return f"{date.year:04d}"
    if date.day is None:
        return f"{date.year:04d}-{date.month:02d}"
    if date.time is None:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    spec = "seconds" if date.time.second or date.time.microsecond else "minutes"
    moment = date.to_datetime()
    text = moment.isoformat(timespec=spec)
    if date.tz == "UTC":
        text = text.removesuffix("+00:00") + "Z"
    return text


_FREQUENCIES: Final = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day"}


def recurrence_words(rule: str) -> str | None:
    """``every year`` for ``FREQ=YEARLY``, ``every 2 weeks`` for
    ``FREQ=WEEKLY;INTERVAL=2``; ``None`` for a rule with more in it."""
    parts = dict(part.partition("=")[::2] for part in rule.removeprefix("RRULE:").split(";"))
    unit = _FREQUENCIES.get(parts.pop("FREQ", "").upper())
    interval = parts.pop("INTERVAL", "1")
    if unit is None or parts or not interval.isdigit():
        return None
    count = int(interval)
    return f"every {unit}" if count == 1 else f"every {count} {unit}s"
