"""Recurrence rules: the RFC 5545 RRULE grammar, checked part by part.

A rule is checked when an event is made and when one is read, so that every
calendar can read what we write; see docs/model.md, "Recurrence". A rule
that passes is read with icalendar's ``vRecur`` where its values are needed
(:func:`timeline.words.recurrence_words`, the iCalendar exporter).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["RULE_PARTS", "parse_rule"]

_WEEKDAY: Final = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INTEGER: Final = re.compile(r"[+-]?[0-9]+")
_UNTIL: Final = re.compile(r"[0-9]{8}(?:T[0-9]{6}Z?)?")
_SPACE: Final = re.compile(r"\s")

RULE_PARTS: Final = frozenset({
    "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
    "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
})  # fmt: skip
"""The parts of a recurrence rule in RFC 5545, section 3.3.10."""

_FREQUENCIES: Final = frozenset(
    {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
)
_RANGES: Final = {
    "BYSECOND": (0, 60, False), "BYMINUTE": (0, 59, False), "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True), "BYYEARDAY": (1, 366, True), "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False), "BYSETPOS": (1, 366, True),
}  # fmt: skip
"""Each list part's range, and whether it may be negative (counted from the end)."""


def parse_rule(text: str) -> dict[str, str]:
    """The parts of an RRULE value (``FREQ=YEARLY;BYMONTH=6``), checked
    against RFC 5545, section 3.3.10: known parts only (and ``RSCALE`` and
    ``SKIP`` of RFC 7529 and ``X-`` parts, which the caller decides about),
    each once and in its range. A :class:`ValueError` names the part.

    The parts are read here rather than by ``icalendar.vRecur.from_ical``,
    which forgives what a calendar must not hold: it keeps the last of a
    part given twice, skips a part without ``=``, and takes any number for
    a month or a day. Names and values may be in any case (RFC 5545 says so;
    ``vRecur`` agrees), ``BYDAY`` may number its days (``-1SU``, ``+2MO``), and
    ``UNTIL`` is a date or a date-time, floating or in UTC.

    >>> parse_rule("FREQ=YEARLY;BYMONTH=6")
    {'FREQ': 'YEARLY', 'BYMONTH': '6'}
    >>> parse_rule("FREQ=DAILY;INTERVAL=0")
    Traceback (most recent call last):
    ...
    ValueError: INTERVAL=0 is out of its range (1..2147483647)
    """
    parts: dict[str, str] = {}
    if not text:
        raise ValueError("it is empty")
    if _SPACE.search(text):
        raise ValueError("it has white space in it (one rule, its parts joined by ';')")
    for item in text.split(";"):
        if not item:
            continue
        key, equals, value = item.partition("=")
        key = key.upper()
        if not equals or not value:
            raise ValueError(f"the part {_shown(item)} has no value")
        if key in parts:
            raise ValueError(f"the part {key} is given twice")
        if key not in RULE_PARTS and key not in ("RSCALE", "SKIP") and not key.startswith("X-"):
            raise ValueError(f"{key} is not a part of a recurrence rule")
        parts[key] = value.upper() if key != "UNTIL" else value
    if "RSCALE" in parts and parts["RSCALE"] != "GREGORIAN":
        return parts  # another calendar's months and days: the caller leaves it out
    if "FREQ" not in parts:
        raise ValueError("it has no FREQ")
    if parts["FREQ"] not in _FREQUENCIES:
        raise ValueError(f"FREQ={parts['FREQ']} is not a frequency")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("it has both COUNT and UNTIL")
    for key, lo, hi in (("COUNT", 1, 2**31 - 1), ("INTERVAL", 1, 2**31 - 1)):
        if key in parts:
            _integer(key, parts[key], lo, hi, negative=False)
    if "UNTIL" in parts and not _UNTIL.fullmatch(parts["UNTIL"]):
        raise ValueError(f"UNTIL={_shown(parts['UNTIL'])} is not a date or a date-time "
                         "(YYYYMMDD or YYYYMMDDTHHMMSS, with Z for UTC)")  # fmt: skip
    for key, (lo, hi, negative) in _RANGES.items():
        if key in parts:
            for item in parts[key].split(","):
                _integer(key, item, lo, hi, negative=negative)
    for key in ("BYDAY", "WKST"):
        for item in parts.get(key, "").split(",") if key in parts else ():
            m = _WEEKDAY.fullmatch(item)
            if m is None or (key == "WKST" and m.group(1)):
                raise ValueError(f"{key}={item} is not a day of the week (MO, TU ... SU)")
            if m.group(1) and not 1 <= abs(int(m.group(1))) <= 53:
                raise ValueError(f"{key}={item}: the number before the day must be 1-53")
    return parts


def _integer(key: str, text: str, lo: int, hi: int, *, negative: bool) -> int:
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{key}={_shown(text)} is not a number")
    value = int(text) if len(text) <= 12 else 10**12  # anything longer is out of range
    if lo <= value <= hi or (negative and lo <= -value <= hi):
        return value
    allowed = f"{lo}..{hi}" + (f" or -{hi}..-{lo}" if negative else "")
    shown = text if len(text) <= 20 else text[:17] + "..."
    raise ValueError(f"{key}={shown} is out of its range ({allowed})")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
