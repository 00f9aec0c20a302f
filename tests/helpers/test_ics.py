"""The checks of ``helpers.ics`` catch what they should, and its reference
builder writes what the exporter writes."""

from __future__ import annotations

import pytest
from icalendar import Calendar

import timeline
from helpers.ics import export, icalendar_calendar, raw_problems

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
