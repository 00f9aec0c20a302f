"""What the other ics tests (and ``benchmarks/bench_ics.py``) share, and tests
that it catches what it should.

* :func:`icalendar_calendar` builds the calendar our exporter writes with
  icalendar's own API (``Calendar``, ``Event.new``, ``add``, ``to_ical``),
  from the same properties: icalendar is the reference for the fast writer.
* :func:`raw_problems` checks the text of a file as the RFC and real clients
  want it: CRLF, 75-octet lines that split no UTF-8 character, the required
  properties, a VTIMEZONE for every TZID, DTEND after DTSTART.
* :func:`export` runs the exporter with a fixed DTSTAMP.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from icalendar import Calendar, Event, vRecur, vText

import timeline
from timeline.default_plugins.ics import ICSExporter
from timeline.default_plugins.ics import export as ics_export

STAMP = "2026-01-01T00:00:00Z"
"""The DTSTAMP of the golden files and of most tests."""


def export(t: timeline.Timeline, **options: Any) -> str:
    """The ics text of ``t`` with DTSTAMP fixed, warnings silenced."""
    options.setdefault("dtstamp", STAMP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        return timeline.dumps(t, "ics", **options)


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


# -- tests of the checks ------------------------------------------------------------------

GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:A\r\n"
    "DTSTART;VALUE=DATE:20240703\r\nDTEND;VALUE=DATE:20240705\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_a_good_file_passes() -> None:
    assert raw_problems(GOOD.encode()) == []


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (GOOD.replace("\r\n", "\n"), "does not end with CRLF"),
        (GOOD.replace("SUMMARY:A", "SUMMARY:" + "A" * 80), "line 7: 88 octets"),
        (GOOD.replace("SUMMARY:A", "SUMMARY:" + "é" * 34 + "\r\n " + "é"), "line 7: 76 octets"),
        (GOOD.replace("UID:a\r\n", ""), "VEVENT None: UID is not there once"),
        (GOOD.replace("PRODID:-//x//y//EN\r\n", ""), "VCALENDAR None: PRODID is not there once"),
        (GOOD.replace("20240705", "20240703"), "a: DTEND 20240703 is not after DTSTART 20240703"),
        (
            GOOD.replace(
                "DTSTART;VALUE=DATE:20240703", "DTSTART;TZID=Asia/Almaty:20240703T100000"
            ).replace("DTEND;VALUE=DATE:20240705", "DTEND;TZID=Asia/Almaty:20240703T120000"),
            "TZID Asia/Almaty has no VTIMEZONE",
        ),
        (GOOD.replace("END:VEVENT\r\n", ""), "VCALENDAR is never closed"),
    ],
)
def test_the_checks_catch(broken: str, problem: str) -> None:
    assert problem in raw_problems(broken.encode())


def test_a_split_character_is_caught() -> None:
    data = GOOD.encode().replace(b"SUMMARY:A", "SUMMARY:é".encode()[:-1] + b"\r\n " + b"\xa9")
    assert "line 7: splits a UTF-8 character" in raw_problems(data)


def test_the_reference_builds_what_the_exporter_writes() -> None:
    t = timeline.example("sco")
    assert icalendar_calendar(t) == export(t).encode()


def test_parsing_the_reference_back() -> None:
    cal = Calendar.from_ical(icalendar_calendar(timeline.example("sco")))
    assert len(cal.events) == 33
