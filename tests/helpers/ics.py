"""What the ics tests (and ``benchmarks/bench_ics.py``) share; ``test_ics.py``
beside it tests that the checks catch what they should.

* :func:`icalendar_calendar` builds the calendar our exporter writes with
  icalendar's own API (``Calendar``, ``Event.new``, ``add``, ``to_ical``),
  from the same properties: icalendar is the reference for the fast writer.
* :func:`raw_problems` checks the text of a file as the RFC and real clients
  want it: CRLF, 75-octet lines that split no UTF-8 character, the required
  properties, a VTIMEZONE for every TZID, DTEND after DTSTART.
* :func:`export` runs the exporter with a fixed DTSTAMP, and
  :func:`export_streamed` does it event by event, with its event writer.
* :func:`read_icalendar`, :func:`read_ical` and :func:`read_icaljs` give what
  each parser reads in a file in one shape, so that they can be compared
  (ical.js runs under node, from the npm packages of :data:`ICALJS`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vRecur, vText

import timeline
from timeline.default_plugins.ics import ICSExporter
from timeline.default_plugins.ics import export as ics_export

STAMP = "2026-01-01T00:00:00Z"
"""The DTSTAMP of the golden files and of most tests."""

ICALJS = Path(__file__).resolve().parent.parent / "formats" / "ics" / "js"
"""The npm packages (ical.js) and the script ``parse.mjs`` that reads files with them."""


def export(t: timeline.Timeline, **options: Any) -> str:
    """The ics text of ``t`` with DTSTAMP fixed, warnings silenced."""
    options.setdefault("dtstamp", STAMP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        return timeline.dumps(t, "ics", **options)


def export_streamed(t: timeline.Timeline, **options: Any) -> str:
    """What :func:`export` gives, written by the exporter's event writer,
    one event at a time (making the writer writes nothing)."""
    import io

    options.setdefault("dtstamp", STAMP)
    exporter = ICSExporter()
    out = io.StringIO(newline="")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        writer = exporter.event_writer(t.with_events(()), out, exporter.resolve_options(options))
        assert out.getvalue() == ""
        for event in t.events:
            writer.write(event)
        writer.close()
    return out.getvalue()


def icalendar_event(vevent: Any, stamp: dt.datetime) -> Event:
    """The VEVENT built with icalendar's API, the plain way."""
    event = Event.new(
        uid=vevent.uid,
        stamp=stamp,
        start=vevent.start,
        end=vevent.end,
        summary=vevent.summary,
        description=vevent.description or None,
        location=vevent.location or None,
        categories=list(vevent.categories),
        url=vevent.url,
        transparency="TRANSPARENT" if vevent.transparent else None,
    )
    if vevent.rrule is not None:
        event.add("RRULE", vRecur.from_ical(vevent.rrule))
    if vevent.geo is not None:
        event.add("GEO", vevent.geo)
    if vevent.data is not None:
        event.add("X-TIMELINE-EVENT", vText(vevent.data))
    if vevent.language is not None:
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            if name in event:
                event[name].params["LANGUAGE"] = vevent.language
        event["SUMMARY"].params["LANGUAGE"] = vevent.summary_language
    return event


def icalendar_calendar(t: timeline.Timeline, **options: Any) -> bytes:
    """The whole calendar our exporter writes for ``t``, built with icalendar:
    its properties and VTIMEZONEs, then one ``Event.new`` per event, then
    ``to_ical()``."""
    options.setdefault("dtstamp", STAMP)
    exporter = ICSExporter()
    settings = ics_export.make_settings(t, exporter.resolve_options(options))
    cal = ics_export.calendar(t, settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        for vevent in ics_export.vevents(t, settings):
            cal.add_component(icalendar_event(vevent, settings.stamp))
    data: bytes = cal.to_ical()
    return data


# -- raw checks -----------------------------------------------------------------------------

_REQUIRED = {
    "VCALENDAR": ("VERSION", "PRODID"),
    "VEVENT": ("UID", "DTSTAMP", "DTSTART", "SUMMARY"),
    "VTIMEZONE": ("TZID",),
}
_CONTENT_LINE = re.compile(r"(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)")


def unfold(text: str) -> Iterator[str]:
    """The content lines of CRLF text, unfolded."""
    current: str | None = None
    for line in text.split("\r\n"):
        if line.startswith(" "):
            assert current is not None
            current += line[1:]
            continue
        if current is not None:
            yield current
        current = line
    if current:
        yield current


def _when(params: str, value: str) -> dt.date:
    if "VALUE=DATE" in params and "DATE-TIME" not in params:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    return dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")


def raw_problems(data: bytes) -> list[str]:
    """Everything wrong with the bytes of an exported file, as messages."""
    problems: list[str] = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: splits a UTF-8 character")
    text = data.decode("utf-8", errors="replace")
    stack: list[tuple[str, dict[str, list[tuple[str, str]]]]] = []
    tzids: set[str] = set()
    used: set[str] = set()
    for line in unfold(text):
        m = _CONTENT_LINE.fullmatch(line)
        if m is None:
            problems.append(f"not a content line: {line!r}")
            continue
        name, params, value = m["name"], m["params"], m["value"]
        if name == "BEGIN":
            stack.append((value, {}))
            continue
        if name == "END":
            component, props = stack.pop()
            if component != value:
                problems.append(f"END:{value} closes {component}")
            uid = props["UID"][0][1] if "UID" in props else None
            missing = [r for r in _REQUIRED.get(component, ()) if len(props.get(r, ())) != 1]
            for required in missing:
                problems.append(f"{component} {uid}: {required} is not there once")
            if missing:
                continue
            if component == "VTIMEZONE":
                tzids.add(props["TZID"][0][1])
            if component == "VEVENT":
                problems.extend(_check_times(props))
            continue
        stack[-1][1].setdefault(name, []).append((params, value))
        tzid = re.search(r";TZID=([^;:]+)", params)
        if tzid:
            used.add(tzid.group(1))
    if stack:
        problems.append(f"{stack[-1][0]} is never closed")
    for tzid in sorted(used - tzids):
        problems.append(f"TZID {tzid} has no VTIMEZONE")
    return problems


def _check_times(props: dict[str, list[tuple[str, str]]]) -> list[str]:
    uid = props["UID"][0][1]
    (start_params, start), *_ = props["DTSTART"]
    if "DTEND" not in props:
        return []
    (end_params, end), *_ = props["DTEND"]
    if ("VALUE=DATE" in start_params) != ("VALUE=DATE" in end_params):
        return [f"{uid}: DTSTART and DTEND are of different types"]

    # RFC 5545 3.8.2.2: DTEND is floating (a local time, no Z, no TZID) if and
    # only if DTSTART is; a time in UTC and one in a zone go together.
    def floating(params: str, value: str) -> bool:
        return not value.endswith("Z") and "TZID" not in params

    if floating(start_params, start) != floating(end_params, end):
        return [f"{uid}: DTSTART and DTEND are floating and not"]
    if "TZID" not in start_params and not _when(end_params, end) > _when(start_params, start):
        return [f"{uid}: DTEND {end} is not after DTSTART {start}"]
    if start_params == end_params and not end > start:
        return [f"{uid}: DTEND {end} is not after DTSTART {start}"]
    return []


# -- each parser's reading, in one shape: (uid, summary, start, end) ---------------------------
# A time is (ISO local time, zone), the zone being a TZID, "UTC" or "floating"; a date is
# (ISO date, None).


def python_when(value: dt.date | None) -> tuple[str, str | None] | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return value.isoformat(), None
    local = value.replace(tzinfo=None).isoformat()
    tzinfo = value.tzinfo
    if tzinfo is None:
        return local, "floating"
    if value.utcoffset() == dt.timedelta(0) and str(tzinfo) in ("UTC", "tzutc()"):
        return local, "UTC"
    key = getattr(tzinfo, "key", None) or getattr(tzinfo, "_tzid", None) or str(tzinfo)
    return local, "UTC" if key == "UTC" else key


def _js_when(value: str | None, zone: str | None) -> tuple[str, str | None] | None:
    if value is None:
        return None
    return value.removesuffix("Z"), zone


def read_icalendar(path: Path) -> list[tuple[Any, ...]]:
    cal = Calendar.from_ical(path.read_bytes())
    return [
        (str(e["UID"]), str(e["SUMMARY"]), python_when(e.start),
         python_when(e["DTEND"].dt if "DTEND" in e else None))
        for e in cal.events
    ]  # fmt: skip


def read_ical(path: Path) -> list[tuple[Any, ...]]:
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    return [(e.uid, e.summary, python_when(e.dtstart), python_when(e.dtend)) for e in cal.events]


def read_icaljs(parsed: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (e["uid"], e["summary"], _js_when(e["start"], e["startZone"]),
         _js_when(e["end"], e["endZone"]))
        for e in parsed["events"]
    ]  # fmt: skip
