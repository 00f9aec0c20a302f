"""Reading iCalendar values: dates, date-times, UTC offsets and durations.

Each function takes the value as written and returns it, or raises
:class:`ValueError` with a message that says in words what is wrong with
it. ASCII digits only. See docs/ics.md, "Importing other producers' calendars".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Final

from ...dates import MONTH_NAMES, days_in_month

__all__ = [
    "DEFAULT_DOMAIN",
    "parse_date_or_datetime",
    "is_duration",
    "parse_duration",
    "parse_offset",
]

DEFAULT_DOMAIN: Final = "timeline.invalid"
"""The domain of every UID unless the ``domain`` option gives one."""

_DATE: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})Z?")
_DATETIME: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})(Z?)")
_TIME: Final = re.compile(r"[0-9]{6}Z?")
_OFFSET: Final = re.compile(r"([+-])([0-9]{2})([0-9]{2})([0-9]{2})?")
_DURATION: Final = re.compile(
    r"[+-]?P(?:[0-9]{1,9}W|(?:[0-9]{1,9}D)?(?:T(?:[0-9]{1,9}H)?(?:[0-9]{1,9}M)?(?:[0-9]{1,9}S)?)?)"
)
"""The form of a DURATION, as RFC 5545 writes it: weeks alone, or days and a
time, in ASCII digits, at most nine of them a number (icalendar's ``vDuration``
also reads ``P``, ``P1W2D`` and other scripts' digits)."""
_MAX_DAYS: Final = 999_999  # timedelta holds up to 999,999,999 days; no calendar needs more


def parse_date_or_datetime(text: str) -> dt.date:
    """A DATE (``20240704``) or a DATE-TIME (``20240704T100000``, with
    ``Z`` for UTC): a :class:`datetime.date`, or a naive or UTC
    :class:`datetime.datetime`. Google writes some dates with a ``Z``
    (``20131210Z``), which is read as the date."""
    value = text.strip()
    m = _DATETIME.fullmatch(value)
    if m is not None:
        year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
        reason = _no_day(year, month, day)
        if reason is None and (hour > 23 or minute > 59 or second > 60):
            time = f"{hour:02d}:{minute:02d}:{second:02d}"
            reason = f"the time {time} is out of range 00:00:00..23:59:59"
        if reason is not None:
            raise ValueError(f"{value!r} is not a date-time ({reason})")
        second = min(second, 59)  # a leap second is the last second of its minute
        return dt.datetime(year, month, day, hour, minute, second,
                           tzinfo=dt.UTC if m.group(7) else None)  # fmt: skip
    m = _DATE.fullmatch(value)
    if m is not None:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        reason = _no_day(year, month, day)
        if reason is not None:
            raise ValueError(f"{value!r} is not a date ({reason})")
        return dt.date(year, month, day)
    if "/" in value:
        raise ValueError(f"{_shown(value)} is a period, not a date or a date-time")
    if _TIME.fullmatch(value):
        raise ValueError(f"{value!r} is a time, not a date or a date-time")
    if _DURATION.fullmatch(value):
        raise ValueError(f"{value!r} is a duration, not a date or a date-time")
    raise ValueError(
        f"{_shown(value)} is not a date or a date-time (expected YYYYMMDD or YYYYMMDDTHHMMSS)"
    )


def _no_day(year: int, month: int, day: int) -> str | None:
    """Why there is no such day, in words; ``None`` when there is."""
    if year < 1:
        return "the year 0000 is out of range 0001..9999"
    if not 1 <= month <= 12:
        return f"the month {month:02d} is out of range 01..12"
    if not 1 <= day <= days_in_month(year, month):
        return f"the day {day:02d} is out of range for {MONTH_NAMES[month - 1]} {year:04d}"
    return None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_offset(text: str) -> dt.timedelta:
    """A UTC-OFFSET (``+0530``, ``-0800``, ``+013045``), less than a day."""
    m = _OFFSET.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{_shown(text)} is not a UTC offset (expected +HHMM or -HHMM)")
    sign, hours, minutes, seconds = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    if hours > 23 or minutes > 59 or (seconds is not None and int(seconds) > 59):
        raise ValueError(f"{text.strip()!r} is not a UTC offset (hours 00-23, minutes 00-59)")
    offset = dt.timedelta(hours=hours, minutes=minutes, seconds=int(seconds or 0))
    return -offset if sign == "-" else offset


def is_duration(text: str) -> bool:
    """Whether ``text`` has the form of a DURATION (see :func:`parse_duration`)."""
    return _DURATION.fullmatch(text) is not None and not text.endswith(("P", "T"))


def parse_duration(text: str) -> dt.timedelta:
    """A DURATION (``P1D``, ``PT1H30M``, ``P2W``, ``-PT15M``), of the form
    RFC 5545 gives, as icalendar's ``vDuration`` reads it."""
    from icalendar import vDuration

    value = text.strip()
    if not is_duration(value):
        raise ValueError(f"{_shown(value)} is not a duration (such as P1D or PT1H30M)")
    read: Callable[[str], dt.timedelta] = vDuration.from_ical  # not annotated in icalendar
    try:
        result = read(value)
    except ValueError:  # more days than a timedelta holds
        result = dt.timedelta.max
    if abs(result).days > _MAX_DAYS:
        raise ValueError(f"{value!r} is longer than any calendar needs ({_MAX_DAYS:,} days)")
    return result
