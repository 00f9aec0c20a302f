"""Dates as TimelineJS's date objects: ``{"year": "2001", "month": "6", "day": "15"}``,
exactly as precise as the date, and back.

TimelineJS counts years as its readers do: ``-477`` is 477 BCE and shows as
``477 BCE``, and there is no year 0; timeline's years are astronomical
(``-0476`` is 477 BCE, ``0000`` is 1 BCE). See the plugin's README, "Dates".
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from timeline import Date

__all__ = ["PARTS", "date_parts", "needs_words", "read_parts", "tjs_year"]

PARTS: Final = ("year", "month", "day", "hour", "minute", "second", "millisecond")
"""The parts of a TimelineJS date, coarsest first."""

_RANGES: Final = {
    "month": (1, 12),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
    "millisecond": (0, 999),
}
_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MIN_YEAR: Final = -9999
MAX_YEAR: Final = 9999


def tjs_year(year: int) -> int:
    """TimelineJS's number for an astronomical year: the same from 1 on,
    ``-477`` for ``-476`` (477 BCE).

    >>> tjs_year(2001), tjs_year(0), tjs_year(-476)
    (2001, -1, -477)
    """
    return year if year >= 1 else year - 1


def date_parts(date: Date) -> dict[str, str]:
    """The parts of ``date`` that it has, as TimelineJS's Google Sheets give
    them (strings: TimelineJS takes a part that is ``0`` as a number for
    missing when it chooses how to show a date, but not ``"0"``). Seconds
    and milliseconds are written when they are not zero."""
    parts = {"year": str(tjs_year(date.year))}
    if date.month is not None:
        parts["month"] = str(date.month)
    if date.day is not None:
        parts["day"] = str(date.day)
    time = date.time
    if time is not None:
        parts["hour"] = str(time.hour)
        parts["minute"] = str(time.minute)
        if time.second or time.microsecond:
            parts["second"] = str(time.second)
        if time.microsecond:
            parts["millisecond"] = str(time.microsecond // 1000)
    return parts


def needs_words(date: Date) -> bool:
    """Whether TimelineJS, which shows a date from its parts, would not
    show what ``date`` means: approximate or uncertain, a time in a zone
    (TimelineJS has none: it shows the wall time), a time finer than a
    millisecond, or a BCE month or day (the proleptic Gregorian leap years
    TimelineJS counts BCE years by are one year off ours)."""
    if date.approximate or date.uncertain or date.tz is not None:
        return True
    if date.time is not None and date.time.microsecond % 1000:
        return True
    return date.year < 1 and date.month is not None


class PartError(ValueError):
    """A part that cannot be read: ``args`` are the part's name and the reason."""


def _number(name: str, value: Any) -> int | None:
    """The whole number a part holds (a JSON number or a string of digits),
    ``None`` for a part that is not there (``null``, an empty string)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PartError(name, f"is {str(value).lower()}, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        raise PartError(name, f"{value!r} is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 20:
            return int(text)
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise PartError(name, f"{shown!r} is not a whole number")
    raise PartError(name, f"is {_json_type(value)}, not a number")


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_parts(data: dict[str, Any], warn: Callable[[str, str], None], *, years_only: bool) -> Date:
    """The :class:`~timeline.Date` of a TimelineJS date object, as precise
    as its parts: a part that cannot be read or is out of its range is
    reported with ``warn(part, reason)`` and left out with every finer part.
    Raises :class:`PartError` when the year cannot be read or held."""
    year = _number("year", data.get("year"))
    if year is None:
        raise PartError("year", "is missing; every TimelineJS date has a year")
    if year == 0:
        warn("year", "TimelineJS has no year 0 (1 BCE is -1); read as 1 BCE")
    astronomical = year + 1 if year < 0 else year
    if not MIN_YEAR <= astronomical <= MAX_YEAR:
        raise PartError(
            "year", f"{year} is out of the range of years timeline holds, -10000 (10000 BCE) "
            "to 9999"
        )  # fmt: skip
    if years_only:
        given = [name for name in PARTS[1:] if _given(data.get(name))]
        if given:
            warn(given[0], "TimelineJS's cosmological scale uses only the year; left out")
        return Date(astronomical)
    values: dict[str, int] = {}
    for name in PARTS[1:]:
        try:
            value = _number(name, data.get(name))
        except PartError as exc:
            warn(name, f"{exc.args[1]}; left out, and every finer part")
            break
        if value is None:
            if name in ("month", "day", "hour"):
                later = PARTS[PARTS.index(name) + 1 :]
                rest = next((n for n in later if _given(data.get(n))), None)
                if rest is not None:
                    warn(rest, f"there is no {name} before it; left out, and every finer part")
                break
            continue  # a minute, second or millisecond not given is 0
        if name == "day":
            month = values["month"]
            low, high = 1, _DAYS[month - 1] + (month == 2 and calendar.isleap(astronomical))
        else:
            low, high = _RANGES[name]
        if not low <= value <= high:
            where = f" for {calendar.month_name[values['month']]}" if name == "day" else ""
            warn(name, f"{value} is out of its range {low}..{high}{where}; left out, "
                 "and every finer part")  # fmt: skip
            break
        values[name] = value
    return _date(astronomical, values, warn)


def _date(year: int, values: dict[str, int], warn: Callable[[str, str], None]) -> Date:
    month = values.get("month")
    day = values.get("day")
    if "hour" not in values:
        return Date(year, month, day)
    if year < 1:
        warn("hour", "a time of day needs a year from 1 on; left out")
        return Date(year, month, day)
    time = dt.time(
        values["hour"],
        values.get("minute", 0),
        values.get("second", 0),
        values.get("millisecond", 0) * 1000,
    )
    return Date(year, month, day, time=time)
