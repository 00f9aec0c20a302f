"""The ics importer: our files back exactly, other producers' files as plain
events with a report of what was left out, and broken files as a
ValidationError with line numbers, never a crash or a hang."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ics_support import export

import timeline
from timeline import Date, Event, ImporterWarning, Place, ValidationError
from timeline.testing import register_plugin, sample_timeline, synthetic_timeline

SAMPLES = Path(__file__).parent / "ics" / "samples"


def calendar(
    *lines: str, head: tuple[str, ...] = ("VERSION:2.0", "PRODID:-//test//test//EN")
) -> str:
    return "\r\n".join(("BEGIN:VCALENDAR", *head, *lines, "END:VCALENDAR")) + "\r\n"


def vevent(*lines: str, uid: str = "a@example.org") -> tuple[str, ...]:
    return ("BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT")


def read(text: str, **options: Any) -> tuple[timeline.Timeline, list[str]]:
    """The timeline and the messages of the ImporterWarnings."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.loads(text, "ics", **options)
    return t, [str(w.message) for w in record if issubclass(w.category, ImporterWarning)]


def problems(text: str, **options: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        read(text, **options)
    assert info.value.source == "<string>"
    return [str(p) for p in info.value.problems]


# -- our own files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "options"),
    [
        (sample_timeline, {}),
        (sample_timeline, {"imprecise": "span"}),
        (lambda: timeline.example("sco"), {}),
        (lambda: timeline.example("sco"), {"anniversaries": True}),
        (lambda: timeline.example("sco"), {"refresh": "P1D", "name": "SCO", "domain": "x.org"}),
        (lambda: synthetic_timeline(300), {}),
    ],
)
def test_export_import_export_gives_the_same_file(make: Any, options: dict[str, Any]) -> None:
    first = export(make(), **options)
    again, notes = read(first)
    assert export(again, **options) == first
    assert all("REFRESH-INTERVAL" in n or "X-PUBLISHED-TTL" in n for n in notes)


def test_import_gives_the_same_events() -> None:
    t = sample_timeline()
    again, notes = read(export(t, imprecise="span"))
    assert notes == []
    assert again == t.filter(lambda e: e.id != "bce")
    assert again["summit-range"] == t["summit-range"]
    assert type(again["summit-range"]) is timeline.Summit


def test_the_sco_example_comes_back_exactly() -> None:
    t = timeline.example("sco")
    assert read(export(t))[0] == t


def test_anniversaries_come_back_as_the_events_they_repeat() -> None:
    t = timeline.example("sco")
    again, _ = read(export(t, anniversaries=True))
    assert list(again) == [e for e in t if e.kind in ("founding", "accession")]


def test_a_plugin_kind_survives_the_round_trip() -> None:
    @attrs.frozen(kw_only=True)
    class Treaty(Event):
        kind = "treaty"
        parties: tuple[str, ...] = attrs.field(default=(), converter=tuple,
                                               metadata={"label": "Parties"})  # fmt: skip

    class Plugin:
        @timeline.hookimpl
        def register_kinds(self, register: Any) -> None:
            register(Treaty)

    treaty = Treaty(id="t", title="Treaty", start="2001-06-15", parties=("CN", "RU"))
    with register_plugin(Plugin(), name="treaty-kind"):
        text = export(timeline.Timeline(events=[treaty]))
        assert "DESCRIPTION:Parties: China\\, Russia" in text
        again, _ = read(text)
        assert again["t"] == treaty
    assert problems(text) == [
        "line 16: VEVENT 't@timeline.invalid': X-TIMELINE-EVENT.kind: unknown kind 'treaty'; "
        "known kinds are accession, event, founding, summit (a plugin may add others)"
    ]


def test_without_the_data_our_events_come_back_as_plain_events() -> None:
    t = timeline.example("sco").of_kind("summit")
    again, notes = read(export(t, lossless=False))
    assert notes == []
    assert again.title == t.title
    astana = again["sco-summit-2024-astana"]
    assert astana.kind == "event"
    assert (astana.start, astana.end) == (Date(2024, 7, 3), Date(2024, 7, 4))
    assert astana.tags == ("summit",)
    assert astana.place == Place(name="Astana, Kazakhstan", latitude=51.1694, longitude=71.4491)
    assert astana.description.startswith("Organisation: SCO\nHost: Kazakhstan\n")
    assert astana.url == t["sco-summit-2024-astana"].sources[0].url


def test_an_event_changed_in_a_calendar_app_is_reported() -> None:
    text = export(timeline.example("sco")).replace(
        "SUMMARY:SCO Council of Heads of State summit (Astana 2024)", "SUMMARY:Astana"
    )
    again, notes = read(text)
    assert again == timeline.example("sco")
    assert notes == [
        "<string>: the SUMMARY or DTSTART of 1 event ('sco-summit-2024-astana@timeline.invalid')"
        " differ from their X-TIMELINE-EVENT data (changed in a calendar app?); the "
        "X-TIMELINE-EVENT data is used"
    ]


# -- other producers' files -------------------------------------------------------------------


def test_a_google_calendar_export() -> None:
    t, notes = read((SAMPLES / "google.ics").read_text(encoding="utf-8"))
    assert (t.title, t.description) == (
        "Summits and calls",
        "Meetings of heads of state, and the calls that prepare them.",
    )
    assert [e.id for e in t] == [
        "3q8v1k2m9d0s7t6r5e4w3a2b1c", "7kukuqrfedlm2f9t44rtbv0c2d", "0a1b2c3d4e5f6g7h8i9j0k1l2m"
    ]  # fmt: skip
    summit, call, press = t
    assert summit == Event(
        id="3q8v1k2m9d0s7t6r5e4w3a2b1c", title="SCO summit", start="2024-07-03",
        end="2024-07-04", place=Place(name="Astana, Kazakhstan"),
        description="Heads of state meet in Astana.\nSee https://example.org/astana for the "
                    "programme.",
    )  # fmt: skip
    assert call.start == Date.parse("2024-07-04T10:00[Europe/Berlin]")
    assert call.end == Date.parse("2024-07-04T11:30[Europe/Berlin]")
    assert call.recurrence == "FREQ=WEEKLY;UNTIL=20240829T080000Z;BYDAY=TH;WKST=MO"
    assert [o.day for o in call.occurrences("2024-07-01", "2024-12-31")] == [
        4, 11, 18, 25, 1, 8, 15, 22, 29
    ]  # fmt: skip
    assert (press.start, press.end) == (Date.parse("2024-07-05T12:00Z"),
                                        Date.parse("2024-07-05T13:00Z"))  # fmt: skip
    uid = "'7kukuqrfedlm2f9t44rtbv0c2d@google.com'"
    assert notes == [
        "<string>: the calendar's X-WR-TIMEZONE left out: a timeline has no place for it",
        f"<string>: changed occurrences (RECURRENCE-ID) of 1 event ({uid}) left out: a "
        "timeline has no place for them",
        f"<string>: EXDATE left out of 1 event ({uid}): a timeline has no place for it",
        f"<string>: ORGANIZER left out of 1 event ({uid}): a timeline has no place for it",
        f"<string>: ATTENDEE left out of 1 event ({uid}): a timeline has no place for it",
        f"<string>: VALARM left out of 1 event ({uid}): a timeline has no place for it",
        "<string>: STATUS left out of 1 event ('0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com'): a "
        "timeline has no place for it",
    ]


def test_an_outlook_export() -> None:
    t, notes = read((SAMPLES / "outlook.ics").read_text(encoding="utf-8"))
    assert t.title == "Calendar"
    meeting, delhi, founding = t
    assert meeting.title == "Planning meeting"
    # A Windows zone name with a VTIMEZONE that agrees with the IANA zone
    assert meeting.start == Date.parse("2024-07-04T10:00[Europe/Berlin]")
    assert meeting.description == "Agenda:\n1. Welcome\n2. Budget\n"
    # A custom zone: the instant is kept, in UTC
    assert delhi.start == Date.parse("2024-08-01T11:30Z")
    # Outlook's UTC UNTIL for an all-day event becomes the last day
    assert founding.start == Date(2024, 9, 10)
    assert founding.end is None
    assert founding.recurrence == "FREQ=YEARLY;UNTIL=20300910;BYMONTHDAY=10;BYMONTH=9"
    assert founding.occurrences("2024", "2040")
    assert [o.year for o in founding.occurrences("2024", "2040")] == list(range(2024, 2031))
    joined = "\n".join(notes)
    for expected in [
        "1 VTODO ('todo-1') left out: a timeline holds only events",
        "PRIORITY left out of 2 events ('040000008200E00074...F1A2B2C2D2E2F2A3B3', "
        "'040000008200E00074...887766554433221100')",
        "X-MICROSOFT-CDO-BUSYSTATUS left out of 2 events",
        "time zone 'Customized Time Zone' is not an IANA zone: the times of 1 event "
        "('040000008200E00074...112233445566778899') are converted to UTC",
        "CLASS left out of 1 event ('040000008200E00074...112233445566778899')",
    ]:
        assert expected in joined
    assert "CLASS left out of 2" not in joined  # CLASS:PUBLIC says nothing


def test_strict_mode_fails_on_what_a_timeline_cannot_hold() -> None:
    messages = problems((SAMPLES / "google.ics").read_text(encoding="utf-8"), strict=True)
    assert messages == [
        "line 7: the calendar's X-WR-TIMEZONE left out: a timeline has no place for it",
        "line 46: EXDATE left out of 1 event ('7kukuqrfedlm2f9t44rtbv0c2d@google.com'): a "
        "timeline has no place for it",
        "line 48: ORGANIZER left out of 1 event ('7kukuqrfedlm2f9t44rtbv0c2d@google.com'): a "
        "timeline has no place for it",
        "line 50: ATTENDEE left out of 1 event ('7kukuqrfedlm2f9t44rtbv0c2d@google.com'): a "
        "timeline has no place for it",
        "line 62: VALARM left out of 1 event ('7kukuqrfedlm2f9t44rtbv0c2d@google.com'): a "
        "timeline has no place for it",
        "line 73: changed occurrences (RECURRENCE-ID) of 1 event "
        "('7kukuqrfedlm2f9t44rtbv0c2d@google.com') left out: a timeline has no place for them",
        "line 91: STATUS left out of 1 event ('0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com'): a "
        "timeline has no place for it",
    ]
    assert len(messages) == 7


def test_duration_instead_of_dtend() -> None:
    t, _ = read(calendar(
        *vevent("SUMMARY:Timed", "DTSTART:20240704T100000Z", "DURATION:PT90M", uid="t"),
        *vevent("SUMMARY:Days", "DTSTART;VALUE=DATE:20240704", "DURATION:P3D", uid="d"),
        *vevent("SUMMARY:One day", "DTSTART;VALUE=DATE:20240704", "DURATION:P1D", uid="o"),
    ))  # fmt: skip
    assert t["t"].end == Date.parse("2024-07-04T11:30Z")
    assert t["d"].end == Date(2024, 7, 6)
    assert t["o"].end is None


def test_dtend_on_the_same_day_means_one_day() -> None:
    t, _ = read(
        calendar(
            *vevent(
                "SUMMARY:X", "DTSTART;VALUE=DATE:20240704", "DTEND;VALUE=DATE:20240704", uid="x"
            )
        )
    )
    assert (t["x"].start, t["x"].end) == (Date(2024, 7, 4), None)


def test_categories_geo_and_url() -> None:
    t, _ = read(calendar(*vevent(
        "SUMMARY:X", "DTSTART;VALUE=DATE:20240704", "CATEGORIES:summit,a\\,b", "CATEGORIES:c",
        "GEO:51.1694;71.4491", "URL:https://example.org/x", uid="x")))  # fmt: skip
    event = t["x"]
    assert event.tags == ("summit", "a,b", "c")
    assert event.place == Place(name="51.1694, 71.4491", latitude=51.1694, longitude=71.4491)
    assert event.url == "https://example.org/x"


def test_uids_become_ids() -> None:
    t, _ = read(calendar(
        *vevent("SUMMARY:A", "DTSTART;VALUE=DATE:20240704", uid="abc@google.com"),
        *vevent("SUMMARY:B", "DTSTART;VALUE=DATE:20240705", uid="abc@example.org"),
        *vevent("SUMMARY:C", "DTSTART;VALUE=DATE:20240706", uid="{weird uid}/1"),
        *vevent("SUMMARY:D", "DTSTART;VALUE=DATE:20240707", uid="_x"),
    ))  # fmt: skip
    assert [e.id for e in t] == ["abc", "abc-2", "weird-uid-1", "x"]


def test_an_event_without_a_uid_gets_an_id_from_its_title_and_date() -> None:
    text = calendar("BEGIN:VEVENT", "SUMMARY:Founded", "DTSTART;VALUE=DATE:20010615", "END:VEVENT")
    t, _ = read(text)
    assert [e.id for e in t] == ["2001-06-15-founded"]


def test_what_the_model_cannot_take_is_changed_and_reported() -> None:
    t, notes = read(calendar(
        *vevent("DTSTART;VALUE=DATE:20240704", uid="untitled"),
        *vevent("SUMMARY:Two\\nlines", "DTSTART;VALUE=DATE:20240704", "URL:not a url",
                "GEO:95;10", uid="odd"),
    ))  # fmt: skip
    assert t["untitled"].title == "Untitled event"
    assert t["odd"].title == "Two lines"
    assert t["odd"].url is None
    assert t["odd"].place is None
    assert notes == [
        "<string>: no SUMMARY in 1 event ('untitled'): titled 'Untitled event'",
        "<string>: line breaks in the SUMMARY of 1 event ('odd') replaced by spaces",
        "<string>: the GEO of 1 event ('odd') left out: outside the globe",
        "<string>: the URL of 1 event ('odd') left out: not an absolute URL",
    ]


def test_an_unknown_tzid_is_read_as_floating_and_reported() -> None:
    t, notes = read(
        calendar(*vevent("SUMMARY:X", "DTSTART;TZID=Mars/Olympus:20240704T100000", uid="x"))
    )
    assert t["x"].start == Date.parse("2024-07-04T10:00")
    assert notes == [
        "<string>: time zone 'Mars/Olympus' is unknown and has no VTIMEZONE: the times of 1 "
        "event ('x') are read as floating times"
    ]


def test_a_windows_zone_name_without_a_vtimezone() -> None:
    t, notes = read(
        calendar(
            *vevent("SUMMARY:X", 'DTSTART;TZID="W. Europe Standard Time":20240704T100000', uid="x")
        )
    )
    assert t["x"].start == Date.parse("2024-07-04T10:00[Europe/Berlin]")
    assert notes == []


def test_a_title_of_a_foreign_calendar_on_one_line() -> None:
    t, _ = read(calendar(head=("VERSION:2.0", "PRODID:x", "X-WR-CALNAME:Two\\nlines",
                               "X-WR-CALDESC:a\\, b")))  # fmt: skip
    assert (t.title, t.description) == ("Two lines", "a, b")


# -- broken files -------------------------------------------------------------------------------

EVENT = vevent("SUMMARY:Summit", "DTSTART;VALUE=DATE:20240703", "DTEND;VALUE=DATE:20240705")


def test_a_missing_end() -> None:
    text = calendar(*EVENT).replace("END:VEVENT\r\n", "")
    assert problems(text) == ["line 10: END:VCALENDAR closes BEGIN:VEVENT of line 4"]
    text = calendar(*EVENT).replace("END:VCALENDAR\r\n", "")
    assert problems(text) == ["line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR)"]


def test_a_line_break_injected_into_a_summary() -> None:
    text = calendar(*EVENT).replace("SUMMARY:Summit", "SUMMARY:Summit\r\nwith the heads of state")
    assert problems(text) == [
        "line 8: 'with the heads of state' is not a content line (NAME:value); a line break "
        "inside a value must be written as \\n"
    ]


def test_an_injected_property_is_reported_not_obeyed() -> None:
    text = calendar(*EVENT).replace("SUMMARY:Summit", "SUMMARY:Summit\r\nATTENDEE:mailto:x@y.z")
    _, notes = read(text)
    assert notes == [
        "<string>: ATTENDEE left out of 1 event ('a@example.org'): a timeline has no place for it"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["line 1: no BEGIN:VCALENDAR: this is not an iCalendar file"]),
        ('{"format": "timeline-events"}', [
            "line 1: '{\"format\": \"timeline-events\"}' is not a content line (NAME:value); a "
            "line break inside a value must be written as \\n",
        ]),
        ("BEGIN:VEVENT\r\nEND:VEVENT\r\n", [
            "line 1: the file starts with BEGIN:VEVENT, not BEGIN:VCALENDAR"]),
        (calendar() + calendar(), ["line 5: BEGIN:VCALENDAR after the end of the calendar"]),
        ("VERSION:2.0\r\n" + calendar(),
         ["line 1: VERSION outside BEGIN:VCALENDAR ... END:VCALENDAR"]),
        (" folded\r\n" + calendar(), ["line 1: a folded line with nothing to continue"]),
        (calendar().replace("VERSION:2.0", "VERSION:2.0\rX"),
         ["line 2: a carriage return inside a line"]),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_calendar(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_every_problem_is_listed_with_its_line() -> None:
    text = calendar(
        *vevent("SUMMARY:No date", uid="nodate"),
        *vevent("SUMMARY:Bad date", "DTSTART:2024-07-04", uid="baddate"),
        *vevent("SUMMARY:Backwards", "DTSTART;VALUE=DATE:20240704", "DTEND;VALUE=DATE:20240701",
                uid="backwards"),
        *vevent("SUMMARY:Mixed", "DTSTART;VALUE=DATE:20240704", "DTEND:20240705T100000Z",
                uid="mixed"),
        *vevent("SUMMARY:Bad rule", "DTSTART;VALUE=DATE:20240704", "RRULE:FREQ=FORTNIGHTLY",
                uid="badrule"),
        *vevent("SUMMARY:Gap", "DTSTART;TZID=Europe/Berlin:20240331T023000", uid="gap"),
        *vevent("SUMMARY:Twice", "DTSTART;VALUE=DATE:20240704", "DTSTART;VALUE=DATE:20240705",
                uid="twice"),
    )  # fmt: skip
    assert problems(text) == [
        "line 4: VEVENT 'nodate': no DTSTART; an event needs a date",
        "line 13: VEVENT 'baddate': DTSTART: Expected datetime, date, or time. Got: '2024-07-04'",
        "line 20: VEVENT 'backwards': DTEND is before DTSTART",
        "line 27: VEVENT 'mixed': DTEND is a date-time but DTSTART a date",
        "line 34: VEVENT 'badrule': RRULE: Expected frequency, got: FORTNIGHTLY",
        "line 40: VEVENT 'gap': DTSTART: 2024-03-31T02:30 does not exist in Europe/Berlin "
        "(the clocks skip it)",
        "line 46: VEVENT 'twice': DTSTART is given 2 times",
    ]


def _with_data(text: str, name: str, data: str) -> str:
    """``text`` with the value of the (folded) property ``name`` replaced."""
    return re.sub(rf"{name}:.*\r\n(?: .*\r\n)*", lambda m: f"{name}:{data}\r\n", text)


def test_broken_timeline_data() -> None:
    good = export(timeline.Timeline(events=[Event(id="e", title="T", start="2001-06-15")]))
    assert problems(_with_data(good, "X-TIMELINE-EVENT", "{nope")) == [
        "line 15: VEVENT 'e@timeline.invalid': X-TIMELINE-EVENT is not JSON: Expecting property "
        "name enclosed in double quotes: line 1 column 2 (char 1)"
    ]
    bad_date = '{"kind":"event"\\,"id":"e"\\,"title":"T"\\,"start":"2001-02-30"}'
    assert problems(_with_data(good, "X-TIMELINE-EVENT", bad_date)) == [
        "line 15: VEVENT 'e@timeline.invalid': X-TIMELINE-EVENT.start: cannot read date "
        "'2001-02-30': day 30 is out of range for February 2001"
    ]
    bad_header = '{"format":"timeline-events"\\,"version":99}'
    assert problems(_with_data(good, "X-TIMELINE-HEADER", bad_header)) == [
        "line 6: X-TIMELINE-HEADER: $.version: version 99 is newer than this library reads "
        "(1); upgrade timeline-events"
    ]
    assert problems(_with_data(good, "X-TIMELINE-HEADER", "[]")) == [
        "line 6: X-TIMELINE-HEADER is not a timeline header"
    ]


def test_two_different_events_with_one_id() -> None:
    t = timeline.Timeline(events=[Event(id="e", title="T", start="2001-06-15")])
    other = timeline.Timeline(events=[Event(id="e", title="U", start="2001-06-16")])
    body = export(other).split("BEGIN:VEVENT", 1)[1]
    text = export(t).replace("END:VCALENDAR\r\n", "BEGIN:VEVENT" + body)
    assert problems(text) == [
        "line 18: VEVENT 'e@timeline.invalid': a different event with id 'e' comes earlier "
        "in the file"
    ]


def test_a_rule_that_recurs_forever_is_kept_as_a_rule() -> None:
    text = calendar(*vevent("SUMMARY:Tick", "DTSTART:20240704T100000Z", "RRULE:FREQ=SECONDLY",
                            uid="tick"))  # fmt: skip
    t, _ = read(text)
    assert t["tick"].recurrence == "FREQ=SECONDLY"
    with pytest.raises(timeline.FieldError, match="recurs more than 100000 times"):
        list(t["tick"].occurrences("2024", "2025"))


def test_a_rule_that_never_occurs_is_kept_too() -> None:
    t, _ = read(
        calendar(
            *vevent(
                "SUMMARY:Never",
                "DTSTART;VALUE=DATE:20240704",
                "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                uid="never",
            )
        )
    )
    assert t["never"].recurrence == "FREQ=YEARLY;BYMONTHDAY=30;BYMONTH=2"


def test_deep_nesting_and_huge_lines_are_read() -> None:
    deep = "BEGIN:VCALENDAR\r\n" + "BEGIN:X\r\n" * 20000
    messages = problems(deep)
    assert messages[0] == "line 20001: BEGIN:X is never closed (no END:X)"
    assert len(messages) == 20001
    long_line = calendar(*vevent("SUMMARY:" + "x" * 2_000_000, "DTSTART;VALUE=DATE:20240704"))
    t, _ = read(long_line)
    assert len(t.events[0].title) == 1000
    folded = calendar(*vevent("DESCRIPTION:" + "\r\n x" * 300_000, "SUMMARY:S",
                              "DTSTART;VALUE=DATE:20240704"))  # fmt: skip
    t, _ = read(folded)
    assert t.events[0].description == "x" * 300_000


# -- whatever the input, a timeline or a ValidationError --------------------------------------

_BASES = [
    export(sample_timeline(), imprecise="span"),
    (SAMPLES / "google.ics").read_bytes().decode("utf-8"),
    (SAMPLES / "outlook.ics").read_bytes().decode("utf-8"),
]
_PIECES = [
    "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VALARM", "END:VALARM", "END:VCALENDAR", " folded",
    "DTSTART:2024", "DTSTART;VALUE=DATE:20240231", "DTSTART;VALUE=DATE:00000101",
    "DTSTART;VALUE=PERIOD:20240101T000000Z/PT1H", "DTSTART;TZID=\"\":20240101T000000",
    "DTSTART;TZID=Europe/Berlin:20240331T023000", "DTSTART:99991231T235959Z",
    "DTEND:19000101T000000Z", "DTEND;VALUE=DATE:20240101", "DURATION:P-1D", "DURATION:PT0S",
    "RRULE:FREQ=DAILY;COUNT=-1", "RRULE:FREQ=YEARLY;UNTIL=2", "RRULE:FREQ=SECONDLY",
    "RDATE:20240101", "EXDATE:x", "GEO:a;b", "GEO:1e400;0", "URL:x", "UID:", "CATEGORIES:",
    "SUMMARY;LANGUAGE=x:", "DESCRIPTION:\\", "X-TIMELINE-EVENT:{}", "X-TIMELINE-EVENT:[1]",
    "X-TIMELINE-EVENT:null", 'X-TIMELINE-HEADER:{"format":"timeline-events"\\,"version":1}',
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_damaged_file_gives_a_timeline_or_a_validation_error(data: st.DataObject) -> None:
    lines = data.draw(st.sampled_from(_BASES)).split("\r\n")
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, max(0, len(lines) - 1)))
        action = data.draw(st.sampled_from(["delete", "insert", "cut", "repeat"]))
        if action == "delete" and lines:
            del lines[at]
        elif action == "insert":
            lines.insert(at, data.draw(st.sampled_from(_PIECES)))
        elif action == "cut" and lines:
            lines[at] = lines[at][: data.draw(st.integers(0, len(lines[at])))]
        elif lines:
            lines.insert(at, lines[data.draw(st.integers(0, len(lines) - 1))])
    try:
        read("\r\n".join(lines))
    except ValidationError as exc:
        error = exc
    else:
        return
    assert error.problems


def test_braces_in_names_are_just_text() -> None:
    _, notes = read(
        calendar(
            *vevent(
                "SUMMARY:X",
                "DTSTART;TZID={them}:20240704T100000",
                "BEGIN:X-{0}",
                "END:X-{0}",
                uid="x",
            )
        )
    )
    assert notes == [
        "<string>: time zone '{them}' is unknown and has no VTIMEZONE: the times of 1 event "
        "('x') are read as floating times",
        "<string>: X-{0} left out of 1 event ('x'): a timeline has no place for it",
    ]
