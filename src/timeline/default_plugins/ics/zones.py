"""The time zones a calendar file defines in its VTIMEZONEs, read from that file alone.

See docs/ics.md, "Time zones".
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any, Final

import attrs

from ...recurrence import parse_rule
from .scan import Component
from .values import parse_date_or_datetime, parse_offset

__all__ = ["FileZone", "ZoneDefect", "read_zone"]

_DAYS: Final = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_WINDOW: Final = 8
"""Years before the time asked about in which a yearly rule's last onset is
looked for first (a rule on 29 February recurs every four years, or eight
across a century year)."""


class ZoneDefect(ValueError):
    """A VTIMEZONE that cannot be used: its line and the reason."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@attrs.define(slots=True)
class _Observance:
    """One STANDARD or DAYLIGHT block: from ``start`` (local time, in the
    offset before it) the offset is ``offset``."""

    start: dt.datetime
    before: dt.timedelta
    offset: dt.timedelta
    rule: Any | None  # a dateutil rrule, or None
    periodic: bool  # a rule with no COUNT and an INTERVAL of 1
    rule_kwargs: dict[str, Any]
    dates: list[dt.datetime]  # RDATEs, sorted
    cache: dict[dt.datetime, dt.datetime | None] = attrs.Factory(dict)

    def last_onset(self, wall: dt.datetime) -> dt.datetime | None:
        """The latest onset of this observance at or before ``wall``."""
        if wall < self.start:
            return None
        if wall in self.cache:
            return self.cache[wall]
        best = self.start
        i = bisect.bisect_right(self.dates, wall)
        if i:
            best = max(best, self.dates[i - 1])
        if self.rule is not None:
            found = None
            if self.periodic and wall.year - _WINDOW > self.start.year:
                from dateutil.rrule import rrule

                window = self.start.replace(year=wall.year - _WINDOW, month=1, day=1)
                found = rrule(dtstart=window, **self.rule_kwargs).before(wall, inc=True)
            if found is None:
                found = self.rule.before(wall, inc=True)
            if found is not None:
                best = max(best, found)
        if len(self.cache) < 10_000:
            self.cache[wall] = best
        return best


@attrs.define(slots=True)
class FileZone:
    """A zone defined by one VTIMEZONE of the file being read."""

    tzid: str
    line: int
    observances: list[_Observance]

    def utcoffset(self, wall: dt.datetime) -> dt.timedelta:
        """The offset from UTC of a local time in this zone (the offset of
        the observance that began last; before the first, its offset before)."""
        best: tuple[dt.datetime, dt.timedelta] | None = None
        for observance in self.observances:
            onset = observance.last_onset(wall)
            if onset is not None and (best is None or onset > best[0]):
                best = (onset, observance.offset)
        if best is not None:
            return best[1]
        first = min(self.observances, key=lambda o: o.start)
        return first.before


def read_zone(component: Component) -> FileZone:
    """The zone of a VTIMEZONE, checked whole: a :class:`ZoneDefect` names
    the line of anything that cannot be used."""
    tzid_prop = component.get("TZID")
    tzid = tzid_prop.value.strip() if tzid_prop is not None else ""
    if not tzid:
        raise ZoneDefect(component.line, "VTIMEZONE without a TZID")
    observances = []
    for block in component.children:
        if block.name not in ("STANDARD", "DAYLIGHT"):
            continue
        observances.append(_observance(tzid, block))
    if not observances:
        raise ZoneDefect(component.line, f"VTIMEZONE {tzid!r} has no STANDARD or DAYLIGHT")
    return FileZone(tzid, component.line, observances)


def _observance(tzid: str, block: Component) -> _Observance:
    where = f"VTIMEZONE {tzid!r}, {block.name}"

    def required(name: str) -> Any:
        prop = block.get(name)
        if prop is None:
            raise ZoneDefect(block.line, f"{where}: no {name}")
        return prop

    start_prop = required("DTSTART")
    try:
        start = parse_date_or_datetime(start_prop.value)
    except ValueError as exc:
        raise ZoneDefect(start_prop.line, f"{where}: DTSTART: {exc}") from None
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time())
    start = start.replace(tzinfo=None)
    offsets = []
    for name in ("TZOFFSETFROM", "TZOFFSETTO"):
        prop = required(name)
        try:
            offsets.append(parse_offset(prop.value))
        except ValueError as exc:
            raise ZoneDefect(prop.line, f"{where}: {name}: {exc}") from None
    before, offset = offsets
    rules = block.every("RRULE")
    rule = None
    periodic = False
    kwargs: dict[str, Any] = {}
    if len(rules) > 1:
        raise ZoneDefect(rules[1].line, f"{where}: more than one RRULE")
    if rules:
        kwargs, periodic = _yearly(where, rules[0].line, rules[0].value, start, before)
        from dateutil.rrule import rrule as make_rule

        rule = make_rule(dtstart=start, cache=True, **kwargs)
        if periodic:
            kwargs.pop("count", None)
    dates = []
    for prop in block.every("RDATE"):
        for item in prop.value.split(","):
            try:
                value = parse_date_or_datetime(item.split("/")[0])
            except ValueError as exc:
                raise ZoneDefect(prop.line, f"{where}: RDATE: {exc}") from None
            if not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            dates.append(value.replace(tzinfo=None))
    dates.sort()
    return _Observance(start, before, offset, rule, periodic, kwargs, dates)


def _yearly(
    where: str, line: int, text: str, start: dt.datetime, before: dt.timedelta
) -> tuple[dict[str, Any], bool]:
    """The dateutil arguments of an observance's rule, which must be yearly;
    parts the rule leaves out are taken from DTSTART, as RFC 5545 says, so
    that the rule can start again in any year."""
    from dateutil.rrule import YEARLY, weekday

    try:
        parts = parse_rule(text)
    except ValueError as exc:
        raise ZoneDefect(line, f"{where}: RRULE: {exc}") from None
    if parts["FREQ"] != "YEARLY":
        raise ZoneDefect(line, f"{where}: RRULE FREQ={parts['FREQ']}: a time zone observance "
                               "may only recur yearly")  # fmt: skip
    unknown = sorted(k for k in parts if k in ("RSCALE", "SKIP") or k.startswith("X-"))
    if unknown:
        raise ZoneDefect(line, f"{where}: RRULE: {unknown[0]} is not allowed in a time zone")
    kwargs: dict[str, Any] = {"freq": YEARLY, "interval": int(parts.get("INTERVAL", "1"))}
    if "COUNT" in parts:
        kwargs["count"] = int(parts["COUNT"])
    if "UNTIL" in parts:
        until = parse_date_or_datetime(parts["UNTIL"])
        if not isinstance(until, dt.datetime):
            until = dt.datetime.combine(until, dt.time(23, 59, 59))
        elif until.tzinfo is not None:  # UTC, as the RFC asks: local time before the onset
            try:
                until = until.replace(tzinfo=None) + before
            except OverflowError:
                until = until.replace(tzinfo=None)
        kwargs["until"] = until
    for key, name in (("BYMONTH", "bymonth"), ("BYMONTHDAY", "bymonthday"),
                      ("BYYEARDAY", "byyearday"), ("BYWEEKNO", "byweekno"),
                      ("BYSETPOS", "bysetpos"), ("BYHOUR", "byhour"),
                      ("BYMINUTE", "byminute"), ("BYSECOND", "bysecond")):  # fmt: skip
        if key in parts:
            kwargs[name] = tuple(int(v) for v in parts[key].split(","))
    if "BYDAY" in parts:
        days = []
        for item in parts["BYDAY"].split(","):
            n = item[:-2]
            days.append(weekday(_DAYS[item[-2:]], int(n) if n else None))
        kwargs["byweekday"] = tuple(days)
    if "WKST" in parts:
        kwargs["wkst"] = _DAYS[parts["WKST"]]
    if not any(k in kwargs for k in ("byweekno", "byyearday", "bymonthday", "byweekday")):
        kwargs["bymonthday"] = (start.day,)
        kwargs.setdefault("bymonth", (start.month,))
    for name, value in (("byhour", start.hour), ("byminute", start.minute),
                        ("bysecond", start.second)):  # fmt: skip
        kwargs.setdefault(name, (value,))
    periodic = "count" not in kwargs and kwargs["interval"] == 1
    return kwargs, periodic
