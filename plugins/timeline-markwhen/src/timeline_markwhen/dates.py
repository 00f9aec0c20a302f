"""markwhen's date ranges, read as markwhen's parser (``@markwhen/parser``
1.2.0) reads them, and our dates written so that it reads them back.

The grammar is markwhen's documented one (docs.markwhen.com, "Dates and
ranges"): EDTF dates and ranges (``2024``, ``2024-07``, ``2024-07-04``,
``2024-07-04 10:30``, ``2004-06 / 2006-08``), ISO times (``...T10:00:00Z``),
``now``, slash dates in American order (``07/04/2024``, ``07/2024``), dates
with month names (``4 July 2024``, ``July 4, 2024``, ``July 2024``), years
with ``BCE``/``BC``/``CE``/``AD``, relative dates (``2 weeks``, ``after
!launch 3 days``, ``before !xmas 1 month``) and recurrences (``every
year``). See plugins/timeline-markwhen/README.md, "Reading markwhen".

Every expression here is linear in its input: no nested quantifiers, and
the date part of a line is at most :data:`MAX_DATE_PART` characters, so no
line can make the reader work long.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, NamedTuple

__all__ = [
    "MAX_DATE_PART",
    "Amount",
    "Absolute",
    "DatePart",
    "Now",
    "Relative",
    "Unheld",
    "find_date_part",
    "month_number",
]

MAX_DATE_PART: Final = 160
"""The longest date part looked for (``after !a-long-id 3 years 2 months ...``)."""

_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
_MONTH: Final = (
    r"(?P<{0}>january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)
_TIME: Final = (
    r"(?:(?P<{0}h12>1[0-2]|[1-9])(?::(?P<{0}m12>\d\d))?(?P<{0}ap>[ap]m)"
    r"|(?P<{0}h>[012]?\d)(?::(?P<{0}m>\d\d))?)"
)


def month_number(name: str) -> int:
    """1-12 for a month's English name or its first three letters."""
    name = name.lower()
    for i, month in enumerate(_MONTHS, start=1):
        if month.startswith(name):
            return i
    raise ValueError(name)


class Absolute(NamedTuple):
    """A date written out: year (astronomical), month, day, hour, minute,
    second, and its precision, ``year``, ``month``, ``day`` or ``time``."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    utc: bool = False
    """Written with ``Z``: a time in UTC whatever the zones say."""
    week: bool = False
    """An ISO week (``2024-W27``): the seven days from its Monday."""

    @property
    def precision(self) -> str:
        if self.hour is not None:
            return "time"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"


class Amount(NamedTuple):
    number: int
    unit: str
    """``years``, ``months``, ``weeks``, ``weekdays``, ``days``, ``hours``,
    ``minutes``, ``seconds`` or ``milliseconds``."""


class Relative(NamedTuple):
    """``[after|before] [!id[.start|.end] | .start | .end] amounts``."""

    before: bool
    event_id: str | None
    edge: str | None
    amounts: tuple[Amount, ...]


class Now(NamedTuple):
    """``now``: the time the document is read."""


class Unheld(NamedTuple):
    """A date markwhen reads from the clock: a time without a day, a month
    and day without a year; ``reason`` says which."""

    reason: str


Point = Absolute | Relative | Now | Unheld


class DatePart(NamedTuple):
    """The date part of an event line and what follows its colon."""

    start: Point
    end: Point | None
    recurrence: str | None
    text: str
    """The date part as written."""
    rest: str
    """The line after the colon."""
    bce: bool = False
    """Read as a range of years with BCE/CE (markwhen's end year of such a
    range is the first instant of that year)."""


_UNIT: Final = (
    r"(?P<unit>milliseconds|ms|seconds|second|secs|sec|s|minutes|minute|mins|min|hours|hour|h"
    r"|(?:week\s*|work\s*|business\s*)days?|days|day|d|weeks|week|w|months|month|years|year|y)"
)
_AMOUNT: Final = re.compile(r"(?P<neg>-)?(?P<n>\d+)\W*" + _UNIT + r"(?:\s*,\s*|\s*)", re.I)
_RELATIVE_HEAD: Final = re.compile(
    r"(?P<dir>by|before|after)?\s*(?:(?:(?<=\s)|^)!(?P<id>\w+)(?:\.(?P<idedge>start|end))?"
    r"|(?:(?<=\s)|^)\.(?P<edge>start|end))?\s*(?:plus|\+)?\s*",
    re.I | re.ASCII,
)
_EDTF: Final = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d\d)(?:-(?P<d>\d\d)(?:\s+" + _TIME.format("t") + r")?)?)?",
    re.I,
)
_ISO_WEEK: Final = re.compile(r"(?P<y>\d{4})-?W(?P<w>\d\d)(?:-?(?P<d>[1-7]))?", re.I)
_ISO: Final = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)T(?P<h>\d\d):(?P<mi>\d\d):(?P<s>\d{2,})(?:\.\d*)?Z"
)
_SLASH: Final = re.compile(
    r"(?P<a>\d{1,5})(?:/(?P<b>\d{1,5})(?:/(?P<c>\d{1,5})(?:[,\s]+" + _TIME.format("t") + r")?)?)?"
)
_CASUAL: Final = re.compile(
    r"(?:(?:(?P<d1>[0-3]?\d)\s+"
    + _MONTH.format("m1")
    + r"|"
    + _MONTH.format("m2")
    + r"\s+(?P<d2>[0-3]?\d)(?!\d)),?(?:\s+(?P<y1>\d{4}),?)?(?:\s+"
    + _TIME.format("t")
    + r")?)"
    r"|(?:" + _MONTH.format("m3") + r"(?:\s+(?P<y2>\d{1,4}))?)",
    re.I,
)
_TIME_ONLY: Final = re.compile(_TIME.format("t"), re.I)
_BCE: Final = re.compile(
    r"\s*(?P<a>\d{1,5})\s?(?P<an>BCE|BC|AD|CE)?(?:\s?[\u2013-]\s?(?P<b>\d{1,5})\s?"
    r"(?P<bn>BCE|BC|AD|CE)?)?\s*",
    re.I,
)
_RECURRENCE: Final = re.compile(r"\s*(every[^:]+)\Z", re.I)
_EDTF_SEPARATOR: Final = re.compile(r"\s*/\s*")
_CASUAL_SEPARATOR: Final = re.compile(r"\s*-\s*|\s+to\s+", re.I)


def find_date_part(line: str, *, european: bool = False) -> DatePart | None:
    """The date part of ``line`` when markwhen reads it as the first line of
    an event (``DATE: text``), else ``None``. ``european``: slash dates are
    day/month/year (the header's ``dateFormat: d/M/y``)."""
    if ":" not in line:
        return None
    head = line[: MAX_DATE_PART + 1]
    # The longest date part first, as markwhen's greedy expression takes it.
    colons = [i for i, c in enumerate(head) if c == ":"]
    for colon in reversed(colons):
        found = _date_part(line[:colon], line[colon + 1 :], european)
        if found is not None:
            return found
    return None


def _date_part(before: str, rest: str, european: bool = False) -> DatePart | None:
    text = before.strip()
    recurrence = None
    match = _RECURRENCE.search(text)
    if match is not None and match.start() > 0:
        recurrence = match.group(1).strip()
        text = text[: match.start()].rstrip()
    found = _edtf_range(text) or _casual_range(text, european)
    if found is not None:
        return DatePart(found[0], found[1], recurrence, text, rest)
    if recurrence is None:
        bce = _BCE.fullmatch(before)
        if bce is not None:
            return _bce(bce, before.strip(), rest)
    return None


def _edtf_range(text: str) -> tuple[Point, Point | None] | None:
    parts = _EDTF_SEPARATOR.split(text, maxsplit=1) if "/" in text else [text]
    points = [_edtf_point(p) for p in parts]
    if any(p is None for p in points):
        return None
    return points[0], (points[1] if len(points) > 1 else None)  # type: ignore[return-value]


def _edtf_point(text: str) -> Point | None:
    match = _EDTF.fullmatch(text)
    if match is not None:
        return _absolute(match, "t")
    match = _ISO_WEEK.fullmatch(text)
    if match is not None:
        return _iso_week(match)
    if text.lower() == "now":
        return Now()
    return _relative(text)


def _casual_range(text: str, european: bool) -> tuple[Point, Point | None] | None:
    first = _casual_point(text, european)
    if first is not None:
        return first, None
    for separator in _CASUAL_SEPARATOR.finditer(text):
        a, b = text[: separator.start()], text[separator.end() :]
        start = _casual_point(a, european)
        if start is None:
            continue
        end = _casual_point(b, european)
        if end is not None:
            return start, end
    return None


def _casual_point(text: str, european: bool = False) -> Point | None:
    if not text:
        return _relative(text)
    match = _ISO.fullmatch(text)
    if match is not None:
        return Absolute(
            int(match["y"]), int(match["mo"]), int(match["d"]),
            int(match["h"]), int(match["mi"]), int(match["s"][:2]), utc=True,
        )  # fmt: skip
    if text.lower() == "now":
        return Now()
    if _TIME_ONLY.fullmatch(text) is not None and not text.isdigit():
        return Unheld("a time of day without a day, which markwhen puts on today's date")
    match = _SLASH.fullmatch(text)
    if match is not None:
        return _slash(match, european)
    relative = _relative(text)
    if relative is not None:
        return relative
    match = _CASUAL.fullmatch(text)
    if match is not None:
        return _casual(match)
    return None


def _relative(text: str) -> Relative | None:
    head = _RELATIVE_HEAD.match(text)
    assert head is not None  # every part of it is optional
    position = head.end()
    amounts: list[Amount] = []
    negative = False
    while position < len(text):
        match = _AMOUNT.match(text, position)
        if match is None or match.end() == position:
            return None
        if not amounts and match["neg"]:
            negative = True
        amounts.append(Amount(int(match["n"]), _unit(match["unit"])))
        position = match.end()
    if not amounts and not (head["dir"] or head["id"] or head["edge"]) and text:
        return None
    direction = (head["dir"] or "").lower()
    return Relative(
        before=direction in ("before", "by") or negative,
        event_id=head["id"],
        edge=(head["idedge"] or head["edge"] or "").lower() or None,
        amounts=tuple(amounts),
    )


def _unit(word: str) -> str:
    word = word.lower()
    if word.startswith(("week", "work", "business")) and word.endswith(("day", "days")):
        return "weekdays"
    table = {
        "ms": "milliseconds", "milliseconds": "milliseconds",
        "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds",
        "seconds": "seconds",
        "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
        "h": "hours", "hour": "hours", "hours": "hours",
        "d": "days", "day": "days", "days": "days",
        "w": "weeks", "week": "weeks", "weeks": "weeks",
        "month": "months", "months": "months",
        "y": "years", "year": "years", "years": "years",
    }  # fmt: skip
    return table[word]


def _time(match: re.Match[str], prefix: str) -> tuple[int, int] | None:
    if match[prefix + "h12"]:
        hour = int(match[prefix + "h12"]) % 12
        if match[prefix + "ap"].lower() == "pm":
            hour += 12
        return hour, int(match[prefix + "m12"] or 0)
    if match[prefix + "h"]:
        return int(match[prefix + "h"]), int(match[prefix + "m"] or 0)
    return None


def _absolute(match: re.Match[str], prefix: str) -> Absolute:
    year = int(match["y"])
    month = int(match["mo"]) if match["mo"] else None
    day = int(match["d"]) if match["d"] else None
    time = _time(match, prefix) if day is not None else None
    if time is None:
        return Absolute(year, month, day)
    return Absolute(year, month, day, time[0], time[1])


def _iso_week(match: re.Match[str]) -> Point:
    try:
        day = dt.date.fromisocalendar(int(match["y"]), int(match["w"]), int(match["d"] or 1))
    except ValueError:
        return Unheld(f"there is no week {match['w']} in {match['y']}")
    return Absolute(day.year, day.month, day.day, week=match["d"] is None)


def _slash(match: re.Match[str], european: bool) -> Absolute | None:
    a, b, c = match["a"], match["b"], match["c"]
    if european and c is not None:
        a, b = b, a
    if c is not None:
        time = _time(match, "t")
        if time is None:
            return Absolute(int(c), int(a), int(b))
        return Absolute(int(c), int(a), int(b), time[0], time[1])
    if b is not None:
        return Absolute(int(b), int(a))
    return Absolute(int(a))


def _casual(match: re.Match[str]) -> Absolute | Unheld:
    name = match["m1"] or match["m2"]
    if name is not None:
        year = match["y1"]
        if year is None:
            return Unheld("a day without a year, which markwhen puts in the current year")
        day = int(match["d1"] or match["d2"])
        time = _time(match, "t")
        if time is None:
            return Absolute(int(year), month_number(name), day)
        return Absolute(int(year), month_number(name), day, time[0], time[1])
    year = match["y2"]
    if year is None:
        return Unheld("a month without a year, which markwhen puts in the current year")
    return Absolute(int(year), month_number(match["m3"]))


def _bce(match: re.Match[str], text: str, rest: str) -> DatePart:
    notation = match["an"] or match["bn"] or ""
    start = _era_year(int(match["a"]), notation)
    end = None
    if match["b"] is not None:
        end = _era_year(int(match["b"]), match["bn"] or "")
    return DatePart(start, end, None, text, rest, bce=True)


def _era_year(number: int, notation: str) -> Absolute:
    """markwhen's year: BCE and BC (in capitals, as markwhen compares them)
    are astronomical, ``1 - number``."""
    if notation in ("BCE", "BC"):
        return Absolute(1 - number)
    return Absolute(number)
