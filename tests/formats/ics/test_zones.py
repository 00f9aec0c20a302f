"""The time zones a calendar defines: read from that file alone, bounded,
and refused with their line when they cannot be used (docs/ics.md, "Time zones")."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import timeline
from timeline import Date, ImporterWarning, ValidationError


def calendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", *lines,
                        "END:VCALENDAR", ""])  # fmt: skip


def zone(tzid: str, *observances: tuple[str, str, str, str, str | None]) -> list[str]:
    """A VTIMEZONE: (STANDARD or DAYLIGHT, DTSTART, TZOFFSETFROM, TZOFFSETTO, RRULE)."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for name, start, before, after, rule in observances:
        lines += [f"BEGIN:{name}", f"DTSTART:{start}", f"TZOFFSETFROM:{before}",
                  f"TZOFFSETTO:{after}"]  # fmt: skip
        if rule:
            lines.append(f"RRULE:{rule}")
        lines.append(f"END:{name}")
    return [*lines, "END:VTIMEZONE"]


def event(uid: str, start: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20240101T000000Z", f"DTSTART{start}",
            f"SUMMARY:Meeting {uid}", "END:VEVENT"]  # fmt: skip


def read(text: str, **options: Any) -> tuple[timeline.Timeline, list[str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.loads(text, "ics", **options)
    return t, [str(w.message) for w in record if issubclass(w.category, ImporterWarning)]


EASTERN = zone(
    "Eastern (custom)",
    ("DAYLIGHT", "19700308T020000", "-0500", "-0400", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
    ("STANDARD", "19701101T020000", "-0400", "-0500", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
)


def test_a_custom_zone_with_summer_time_gives_each_time_its_offset():
    text = calendar(*EASTERN, *event("summer", ";TZID=Eastern (custom):20240704T100000"),
                    *event("winter", ";TZID=Eastern (custom):20240110T100000"),
                    *event("far", ";TZID=Eastern (custom):90000704T100000"))  # fmt: skip
    t, messages = read(text)
    assert [e.start for e in t.events] == [
        Date.parse("2024-01-10T15:00Z"),
        Date.parse("2024-07-04T14:00Z"),
        Date.parse("9000-07-04T14:00Z"),
    ]
    assert messages == [
        "<string>: time zone 'Eastern (custom)' is not an IANA zone: the times of 3 events "
        "('summer' at line 22, 'winter' at line 28, 'far' at line 34) are converted to UTC"
    ]


def test_two_files_that_define_one_tzid_differently_keep_their_own_meaning():
    def office(offset: str) -> str:
        return calendar(*zone("Office/Zone", ("STANDARD", "19700101T000000", offset, offset,
                                              None)),
                        *event("m", ";TZID=Office/Zone:20240704T100000"))  # fmt: skip

    first, _ = read(office("+0500"))
    second, _ = read(office("-0800"))
    assert first.events[0].start == Date.parse("2024-07-04T05:00Z")
    assert second.events[0].start == Date.parse("2024-07-04T18:00Z")


def test_a_zone_that_recurs_every_second_is_refused_before_any_date_is_computed(monkeypatch):
    """The 469-byte calendar that made icalendar run forever."""
    import dateutil.rrule

    def no_rule(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a rule was built")

    monkeypatch.setattr(dateutil.rrule, "rrule", no_rule)
    text = calendar(
        *zone("Hostile/Zone",
              ("STANDARD", "16010101T000000", "+0100", "+0000", "FREQ=SECONDLY"),
              ("DAYLIGHT", "16010101T000001", "+0000", "+0100", "FREQ=SECONDLY")),
        *event("a", ";TZID=Hostile/Zone:20240704T100000"),
    )  # fmt: skip
    t, messages = read(text)
    assert t.events[0].start == Date.parse("2024-07-04T10:00")
    assert messages == [
        "<string>: line 10: VTIMEZONE 'Hostile/Zone', STANDARD: RRULE FREQ=SECONDLY: a time "
        "zone observance may only recur yearly; this VTIMEZONE is left out",
        "<string>: time zone 'Hostile/Zone' has no usable VTIMEZONE: the times of 1 event "
        "('a' at line 22) are read as floating times",
    ]
    with pytest.raises(ValidationError) as info:
        read(text, strict=True)
    assert str(info.value.problems[0]) == (
        "line 10: VTIMEZONE 'Hostile/Zone', STANDARD: RRULE FREQ=SECONDLY: a time zone "
        "observance may only recur yearly; this VTIMEZONE is left out"
    )


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        ("+9999", "'+9999' is not a UTC offset (hours 00-23, minutes 00-59)"),
        ("+5", "'+5' is not a UTC offset (expected +HHMM or -HHMM)"),
        (
            "+\u0660\u0665\u0660\u0660",
            "'+\u0660\u0665\u0660\u0660' is not a UTC offset (expected +HHMM or -HHMM)",
        ),
    ],
)
def test_an_offset_out_of_range_is_refused_with_its_line(offset, reason):
    text = calendar(*zone("Z/Z", ("STANDARD", "19700101T000000", "+0000", offset, None)),
                    *event("a", ";TZID=Z/Z:20240704T100000"))  # fmt: skip
    _, messages = read(text)
    assert messages[0] == (
        f"<string>: line 9: VTIMEZONE 'Z/Z', STANDARD: TZOFFSETTO: {reason}; this VTIMEZONE "
        "is left out"
    )


def test_an_offset_that_moves_a_time_out_of_the_years_a_date_can_have():
    text = calendar(*zone("Z/Z", ("STANDARD", "00010101T000000", "+0500", "+0500", None)),
                    *event("early", ";TZID=Z/Z:00010101T010000"),
                    *event("fine", ";TZID=Z/Z:20240704T100000"))  # fmt: skip
    t, messages = read(text)
    assert [e.id for e in t.events] == ["fine"]
    assert messages == [
        "<string>: time zone 'Z/Z' is not an IANA zone: the times of 2 events ('early' at "
        "line 15, 'fine' at line 21) are converted to UTC",
        "<string>: line 15: VEVENT 'early' left out: DTSTART: 00010101T010000 at UTC+05:00 is "
        "out of the range of dates a time of day can have (years 1 to 9999 in UTC)",
    ]


def test_an_iana_tzid_keeps_its_zone_when_the_file_agrees():
    berlin = zone(
        "W. Europe Standard Time",
        ("STANDARD", "16011028T030000", "+0200", "+0100", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
        ("DAYLIGHT", "16010325T020000", "+0100", "+0200", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
    )
    text = calendar(*berlin, *event("a", ";TZID=W. Europe Standard Time:20240704T100000"),
                    *event("b", ";TZID=/mozilla.org/20070129_1/America/New_York:20240704T100000"))  # fmt: skip
    t, messages = read(text)
    assert [e.start for e in t.events] == [
        Date.parse("2024-07-04T10:00[Europe/Berlin]"),
        Date.parse("2024-07-04T10:00[America/New_York]"),
    ]
    assert messages == []


def test_ten_thousand_custom_zones_are_each_read_from_their_own_definition():
    lines: list[str] = []
    for n in range(10_000):
        hours, minutes = divmod(n % 1440, 60)
        offset = f"+{hours % 24:02d}{minutes:02d}"
        lines += zone(f"Zone {n}", ("STANDARD", "19700101T000000", offset, offset, None))
        lines += event(f"e{n}", f";TZID=Zone {n}:20240704T100000")
    t, messages = read(calendar(*lines))
    assert len(t.events) == 10_000
    assert t["e0"].start == Date.parse("2024-07-04T10:00Z")
    assert t["e61"].start == Date.parse("2024-07-04T08:59Z")  # +01:01
    assert len(messages) == 1001  # the first thousand, then a count of the rest
    assert messages[-1] == "<string>: and 9000 more things left out or changed"


def test_reading_custom_zones_leaves_no_memory_behind():
    """Nothing of a file's zones is kept once it is read (icalendar's cache
    kept every one for the life of the process)."""
    import gc
    import tracemalloc

    def calendar_of_zones(prefix: str) -> str:
        lines: list[str] = []
        for n in range(2000):
            lines += zone(f"{prefix} {n}", ("STANDARD", "19700101T000000", "+0100", "+0100", None))
            lines += event(f"e{n}", f";TZID={prefix} {n}:20240704T100000")
        return calendar(*lines)

    first, second = calendar_of_zones("First"), calendar_of_zones("Second")
    read(first)  # anything read once per process (imports, tables) is read now
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        read(second)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
        kept -= before
    finally:
        tracemalloc.stop()
    # What reading takes is gone, but for small things read once (a few KB).
    assert kept < (peak - before) / 50, f"{kept} of {peak - before} bytes kept"


def test_an_iana_tzid_keeps_its_zone_whatever_the_files_vtimezone_says():
    """Found by the trust properties: our own VTIMEZONE for an event in 9999
    covers only 9998, and a producer's often covers only some years; a TZID
    that names an IANA zone keeps it, as calendar apps and icalendar do."""
    late = timeline.Event(id="x", title="X", start="9999-04-01T00:00[America/New_York]")
    text = timeline.dumps(timeline.Timeline(events=[late]), "ics", lossless=False,
                          dtstamp="2026-01-01T00:00:00Z")  # fmt: skip
    t, messages = read(text)
    assert t.events[0].start == Date.parse("9999-04-01T00:00[America/New_York]")
    assert messages == []
    wrong = calendar(*zone("Europe/Berlin", ("STANDARD", "19700101T000000", "+0900", "+0900",
                                             None)),
                     *event("b", ";TZID=Europe/Berlin:20240704T100000"))  # fmt: skip
    t, messages = read(wrong)
    assert t.events[0].start == Date.parse("2024-07-04T10:00[Europe/Berlin]")
    assert messages == []
