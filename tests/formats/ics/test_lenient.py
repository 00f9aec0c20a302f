"""Reading other people's calendars leniently: the smallest part that cannot
be read is left out with a warning that names its line, UID and reason, and
strict mode makes each an error (docs/ics.md, "Importing other producers'
calendars")."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import timeline
from timeline import Date, Event, ImporterWarning, ValidationError


def calendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", *lines,
                        "END:VCALENDAR", ""])  # fmt: skip


def vevent(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"]


def read(text: str, **options: Any) -> tuple[timeline.Timeline, list[str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.loads(text, "ics", **options)
    return t, [str(w.message).removeprefix("<string>: ") for w in record
               if issubclass(w.category, ImporterWarning)]  # fmt: skip


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationError) as info:
        timeline.loads(text, "ics", strict=True)
    return [str(p) for p in info.value.problems]


def ours(event_json: str, summary: str = "Summit") -> str:
    """A VEVENT of ours whose X-TIMELINE-EVENT carries ``event_json`` (escaped as TEXT)."""
    escaped = event_json.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return calendar(*vevent("s@timeline.invalid", f"SUMMARY:{summary}",
                            "DTSTART;VALUE=DATE:20010615", f"X-TIMELINE-EVENT:{escaped}"))  # fmt: skip


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            '{"kind":"event","id":"s","title":"Summit","start":"2001-06-15","id":"t"}',
            "the key 'id' appears twice in one object",
        ),
        (
            '{"kind":"event","title":"Summit","start":"2001-06-15","x":'
            + "[" * 5000
            + "]" * 5000
            + "}",
            "it is nested too deeply",
        ),
        (
            '{"kind":"event","title":"Summit","start":"2001-06-15","x":' + "9" * 5000 + "}",
            "a number in it is too long",
        ),
        (
            '{"kind":"event","title":"Summit","start":"2001-06-15","x":NaN}',
            "NaN is not a JSON number",
        ),
        ("{not json", "not JSON: Expecting property name enclosed in double quotes at character 1"),
    ],
    ids=["duplicate-key", "deep", "long-number", "nan", "not-json"],
)
def test_our_data_that_cannot_be_read_falls_back_to_the_standard_properties(data, reason):
    text = ours(data)
    t, messages = read(text)
    assert t.events == (Event(id="s", title="Summit", start="2001-06-15"),)
    assert messages == [
        f"line 9: VEVENT 's@timeline.invalid': X-TIMELINE-EVENT cannot be read ({reason}); "
        "the event is read from its standard properties",
    ]
    assert problems(text)[0] == (
        f"line 9: VEVENT 's@timeline.invalid': X-TIMELINE-EVENT cannot be read ({reason}); "
        "the event is read from its standard properties"
    )


def test_a_duplicate_key_in_our_header_is_refused_as_in_json_files():
    text = calendar('X-TIMELINE-HEADER:{"title":"A"\\,"title":"B"}', "NAME:Summits",
                    *vevent("a", "SUMMARY:A", "DTSTART;VALUE=DATE:20010615"))  # fmt: skip
    t, messages = read(text)
    assert t.title == "Summits"
    assert messages == [
        "line 4: X-TIMELINE-HEADER cannot be read (the key 'title' appears twice in one "
        "object); the calendar's name and description are read instead"
    ]


def test_a_duration_too_long_for_any_calendar_names_its_own_line():
    text = calendar(*vevent("long", "SUMMARY:Long", "DTSTART:20240704T100000Z",
                            "DURATION:P99999999D"))  # fmt: skip
    t, messages = read(text)
    assert t["long"].end is None
    assert messages == [
        "line 9: VEVENT 'long': DURATION left out: 'P99999999D' is longer than any calendar "
        "needs (999,999 days)"
    ]
    text = calendar(*vevent("late", "SUMMARY:Late", "DTSTART:99991231T100000Z",
                            "DURATION:P2D"))  # fmt: skip
    _, messages = read(text)
    assert messages == ["line 9: VEVENT 'late': DURATION left out: it ends after the year 9999"]


def test_twenty_thousand_events_that_share_one_uid_each_get_an_id():
    lines: list[str] = []
    for n in range(20_000):
        lines += vevent("same@example.org", f"SUMMARY:Meeting {n}", "DTSTART;VALUE=DATE:20240704")
    t, _ = read(calendar(*lines))
    assert len(t.events) == 20_000
    assert {e.id for e in t.events} == {"same"} | {f"same-{n}" for n in range(2, 20_001)}


def test_a_bad_property_never_loses_its_event_and_a_bad_event_never_loses_the_others():
    text = calendar(
        *vevent("a", "SUMMARY:Kept", "DTSTART;VALUE=DATE:20240704", "DTEND;VALUE=DATE:20240701",
                "GEO:north;south", "RRULE:FREQ=SOMETIMES"),
        *vevent("b", "SUMMARY:No date"),
        *vevent("c", "SUMMARY:Bad date", "DTSTART:20240230"),
        *vevent("d", "SUMMARY:Fine", "DTSTART;VALUE=DATE:20240705"),
    )  # fmt: skip
    t, messages = read(text)
    assert [(e.id, e.title, e.start, e.end, e.recurrence) for e in t.events] == [
        ("a", "Kept", Date(2024, 7, 4), None, None),
        ("d", "Fine", Date(2024, 7, 5), None, None),
    ]
    assert messages == [
        "line 9: VEVENT 'a': DTEND left out: it is before DTSTART",
        "the GEO of 1 event ('a' at line 10) left out: not two numbers (latitude;longitude)",
        "line 11: VEVENT 'a': RRULE left out: FREQ=SOMETIMES is not a frequency",
        "line 13: VEVENT 'b' left out: no DTSTART, and an event needs a date (an iTIP message "
        "such as a CANCEL or REPLY has none)",
        "line 22: VEVENT 'c' left out: DTSTART: '20240230' is not a date (the day 30 is out of range "
        "for February 2024)",
    ]
    assert problems(text) == [
        "line 9: VEVENT 'a': DTEND left out: it is before DTSTART",
        "line 10: the GEO of 1 event ('a' at line 10) left out: not two numbers "
        "(latitude;longitude)",
        "line 11: VEVENT 'a': RRULE left out: FREQ=SOMETIMES is not a frequency",
        "line 13: VEVENT 'b' left out: no DTSTART, and an event needs a date (an iTIP message "
        "such as a CANCEL or REPLY has none)",
        "line 22: VEVENT 'c' left out: DTSTART: '20240230' is not a date (the day 30 is out of range "
        "for February 2024)",
    ]


def test_a_time_the_clocks_skip_is_read_after_the_gap_as_the_rfc_says():
    text = calendar(*vevent("gap", "SUMMARY:Gap", "DTSTART;TZID=Europe/Berlin:20240331T023000"))
    t, messages = read(text)
    assert t["gap"].start == Date.parse("2024-03-31T03:30[Europe/Berlin]")
    assert messages == [
        "the time 02:30 of 1 event ('gap' at line 8) does not exist in Europe/Berlin (the clocks "
        "skip it): read as 03:30, as RFC 5545 says"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "\uff12\uff10\uff12\uff14\uff10\uff17\uff10\uff14",
        "\u0662\u0660\u0662\u0664\u0660\u0667\u0660\u0664",
        "2024-07-04",
        " 2024070",
    ],
)
def test_dates_are_ascii_digits_in_the_basic_format(value):
    text = calendar(*vevent("a", "SUMMARY:A", f"DTSTART;VALUE=DATE:{value}"))
    t, messages = read(text)
    assert t.events == ()
    assert messages == [
        f"line 8: VEVENT 'a' left out: DTSTART: {value.strip()!r} is not a date or a "
        "date-time (expected YYYYMMDD or YYYYMMDDTHHMMSS)"
    ]


def test_a_changed_occurrence_is_an_event_of_its_own_linked_to_its_series():
    text = calendar(
        *vevent("weekly@example.org", "SUMMARY:Weekly call",
                "DTSTART;TZID=Europe/Berlin:20240704T100000", "RRULE:FREQ=WEEKLY;COUNT=4"),
        *vevent("weekly@example.org", "SUMMARY:Weekly call (moved)",
                "RECURRENCE-ID;TZID=Europe/Berlin:20240711T100000",
                "DTSTART;TZID=Europe/Berlin:20240712T150000"),
        *vevent("weekly@example.org", "SUMMARY:Weekly call (new time)",
                "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20240718T100000",
                "DTSTART;TZID=Europe/Berlin:20240718T090000"),
    )  # fmt: skip
    t, messages = read(text)
    assert [(e.id, e.start, e.recurrence, e.notes) for e in t.events] == [
        ("weekly", Date.parse("2024-07-04T10:00[Europe/Berlin]"), "FREQ=WEEKLY;COUNT=4", ""),
        ("weekly-20240711T1000", Date.parse("2024-07-12T15:00[Europe/Berlin]"), None,
         "Changes the occurrence of 2024-07-11T10:00[Europe/Berlin] of the recurring event "
         "'weekly' (RECURRENCE-ID)."),
        ("weekly-20240718T1000",
         Date.parse("2024-07-18T09:00[Europe/Berlin]"), None,
         "Changes the occurrence of 2024-07-18T10:00[Europe/Berlin] of the recurring event "
         "'weekly' (RECURRENCE-ID)."),
    ]  # fmt: skip
    assert messages == [
        "the series of 2 events ('weekly@example.org' at line 15, 'weekly@example.org' at line "
        "22) keeps the occurrence it changes, besides the event read from it (a timeline cannot "
        "take one occurrence out of a rule)",
        "RANGE=THISANDFUTURE of 1 event ('weekly@example.org' at line 22) not followed: each "
        "is read as the one occurrence it changes",
    ]


def test_rules_a_timeline_cannot_hold_leave_the_event_without_them():
    text = calendar(
        *vevent("apple", "SUMMARY:Two rules", "DTSTART;VALUE=DATE:20240704",
                "RRULE:FREQ=YEARLY", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
        *vevent("chinese", "SUMMARY:New Year", "DTSTART;VALUE=DATE:20240210",
                "RRULE:RSCALE=CHINESE;FREQ=YEARLY"),
    )  # fmt: skip
    t, messages = read(text)
    assert [(e.id, e.recurrence) for e in t.events] == [("chinese", None), ("apple", "FREQ=YEARLY")]
    assert messages == [
        "1 more RRULE of 1 event ('apple' at line 10) left out: an event has one recurrence "
        "(the first is read)",
        "the recurrence of 1 event ('chinese' at line 17) left out: RSCALE=CHINESE (RFC 7529) "
        "is not a rule of the Gregorian calendar as RFC 5545 has it",
    ]


def test_a_bare_vevent_is_read_as_if_it_were_in_a_calendar():
    text = "\r\n".join(vevent("invite@example.org", "SUMMARY:Invitation",
                              "DTSTART:20240704T100000Z")) + "\r\n"  # fmt: skip
    t, messages = read(text)
    assert [(e.id, e.start) for e in t.events] == [("invite", Date.parse("2024-07-04T10:00Z"))]
    assert messages == [
        "no BEGIN:VCALENDAR around 1 VEVENT ('invite@example.org' at line 1): read as if there were"
    ]


def test_lax_syntax_is_read_as_icalendar_reads_it():
    text = calendar(
        "begin:vevent", "uid:lax", "summary:Lower case", "dtstart ; value = date :20240704",
        "GROUP1.X-TEST:grouped", "end:vevent",
    )  # fmt: skip
    t, messages = read(text)
    assert [(e.id, e.title, e.start) for e in t.events] == [("lax", "Lower case", Date(2024, 7, 4))]
    assert messages == [
        "other producers' X- properties left out of 1 event ('lax' at line 8): X-TEST (a "
        "timeline has no place for them)"
    ]
