"""The ics importer: our files back exactly, other producers' files as plain
events with a report of what was left out, and broken files as a
ValidationError with line numbers, never a crash or a hang."""

from __future__ import annotations

import gzip
import re
import warnings
from typing import Any

import attrs
import pytest
from helpers.data import DataFolder
from helpers.ics import export, unfold
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import Date, Event, ImporterWarning, Place, ValidationError
from timeline.testing import register_plugin, sample_timeline, synthetic_timeline


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


def test_the_language_and_every_translation_come_back() -> None:
    """X-TIMELINE-HEADER carries the original language and the timeline's
    translations, X-TIMELINE-EVENT those of the event and its place."""
    place = Place(
        name="Ташкент", translations={"en": {"name": "Tashkent"}, "uz-Latn": {"name": "Toshkent"}}
    )
    t = timeline.Timeline(
        title="ШОС",
        description="Саммиты.",
        language="ru",
        translations={"en": {"title": "SCO", "description": "Summits."}, "zh": {"title": "上合"}},
        events=[
            timeline.Summit(
                id="e", title="Саммит", start="2004-06-17", place=place, notes="Заметки.",
                organisation="ШОС", translations={"en": {"title": "Summit", "notes": "Notes."}},
            )
        ],
    )  # fmt: skip
    text = export(t)
    again, notes = read(text)
    assert notes == []
    assert again == t
    assert (again.language, again["e"].translated("title", "en-GB")) == ("ru", "Summit")
    header = next(line for line in unfold(text) if line.startswith("X-TIMELINE-HEADER:"))
    assert '"version":2\\,"language":"ru"' in header


def test_anniversaries_come_back_as_the_events_they_repeat() -> None:
    t = timeline.example("sco")
    again, _ = read(export(t, anniversaries=True))
    assert list(again) == [e for e in t if e.kind in ("founding", "accession")]


def test_a_plugin_kind_survives_the_round_trip() -> None:
    @attrs.frozen(kw_only=True)
    class Treaty(Event):
        kind = "treaty"
        signatories: tuple[str, ...] = attrs.field(default=(), converter=tuple,
                                               metadata={"label": "Parties"})  # fmt: skip

    class Plugin:
        @timeline.hookimpl
        def register_kinds(self, register: Any) -> None:
            register(Treaty)

    treaty = Treaty(id="t", title="Treaty", start="2001-06-15", signatories=("CN", "RU"))
    with register_plugin(Plugin(), name="treaty-kind"):
        text = export(timeline.Timeline(events=[treaty]))
        assert "DESCRIPTION:Parties: China\\, Russia" in text
        again, _ = read(text)
        assert again["t"] == treaty
    # Without the plugin, the event is read from its standard properties.
    unknown = (
        "line 17: VEVENT 't@timeline.invalid': X-TIMELINE-EVENT cannot be read "
        "(X-TIMELINE-EVENT.kind: unknown kind 'treaty'; known kinds are accession, event, "
        "founding, summit (a plugin may add others)); the event is read from its standard "
        "properties"
    )
    assert problems(text, strict=True) == [unknown]
    plain, notes = read(text)
    assert notes == [f"<string>: {unknown}"]
    assert plain.events == (
        Event(id="t", title="Treaty", start="2001-06-15", tags=("treaty",),
              description="Parties: China, Russia"),
    )  # fmt: skip


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
        "<string>: the SUMMARY or DTSTART of 1 event ('sco-summit-2024-astana@timeline.invalid'"
        " at line 988) differ from their X-TIMELINE-EVENT data (changed in a calendar app?); the "
        "X-TIMELINE-EVENT data is used"
    ]


# -- other producers' files -------------------------------------------------------------------


def test_a_google_calendar_export(ics_files: DataFolder) -> None:
    t, notes = read(ics_files.read_text("samples/google.ics"))
    assert (t.title, t.description) == (
        "Summits and calls",
        "Meetings of heads of state, and the calls that prepare them.",
    )
    assert [e.id for e in t] == [
        "3q8v1k2m9d0s7t6r5e4w3a2b1c", "7kukuqrfedlm2f9t44rtbv0c2d", "0a1b2c3d4e5f6g7h8i9j0k1l2m",
        "7kukuqrfedlm2f9t44rtbv0c2d-20240711T1000",
    ]  # fmt: skip
    summit, call, press, moved = t
    assert summit == Event(
        id="3q8v1k2m9d0s7t6r5e4w3a2b1c", title="SCO summit", start="2024-07-03",
        end="2024-07-04", place=Place(name="Astana, Kazakhstan"),
        description="Heads of state meet in Astana.\nSee https://example.org/astana for the "
                    "programme.",
    )  # fmt: skip
    assert call.start == Date.parse("2024-07-04T10:00[Europe/Berlin]")
    assert call.end == Date.parse("2024-07-04T11:30[Europe/Berlin]")
    assert call.recurrence == "FREQ=WEEKLY;WKST=MO;UNTIL=20240829T080000Z;BYDAY=TH"  # as written
    assert [o.day for o in call.occurrences("2024-07-01", "2024-12-31")] == [
        4, 11, 18, 25, 1, 8, 15, 22, 29
    ]  # fmt: skip
    assert (press.start, press.end) == (Date.parse("2024-07-05T12:00Z"),
                                        Date.parse("2024-07-05T13:00Z"))  # fmt: skip
    # The changed occurrence (RECURRENCE-ID) is an event of its own, linked to its series.
    assert moved == Event(
        id="7kukuqrfedlm2f9t44rtbv0c2d-20240711T1000", title="Weekly preparation call (moved)",
        start="2024-07-11T11:00[Europe/Berlin]", end="2024-07-11T12:30[Europe/Berlin]",
        notes="Changes the occurrence of 2024-07-11T10:00[Europe/Berlin] of the recurring "
              "event '7kukuqrfedlm2f9t44rtbv0c2d' (RECURRENCE-ID).",
    )  # fmt: skip
    uid = "'7kukuqrfedlm2f9t44rtbv0c2d@google.com'"
    assert notes == [
        "<string>: line 7: the calendar's X-WR-TIMEZONE left out: a timeline has no place for it",
        f"<string>: EXDATE left out of 1 event ({uid} at line 46): a timeline has no place for it",
        f"<string>: ORGANIZER left out of 1 event ({uid} at line 48): a timeline has no place "
        "for it",
        # Two ATTENDEEs of one event: one event, both lines
        f"<string>: ATTENDEE left out of 1 event ({uid} at lines 50, 52): a timeline has no "
        "place for it",
        f"<string>: VALARM left out of 1 event ({uid} at line 62): a timeline has no place for it",
        "<string>: STATUS left out of 1 event ('0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com' at line "
        "91): a timeline has no place for it",
        f"<string>: the series of 1 event ({uid} at line 73) keeps the occurrence it changes, "
        "besides the event read from it (a timeline cannot take one occurrence out of a rule)",
    ]


def test_an_outlook_export(ics_files: DataFolder) -> None:
    t, notes = read(ics_files.read_text("samples/outlook.ics"))
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
    meeting_uid = "'040000008200E00074...F1A2B2C2D2E2F2A3B3'"  # long UIDs keep both ends
    founding_uid = "'040000008200E00074...887766554433221100'"
    delhi_uid = "'040000008200E00074...112233445566778899'"
    unplaced = "a timeline has no place for it"
    assert notes == [f"<string>: {note}" for note in [
        f"line 5: the calendar's X-CALSTART left out: {unplaced}",
        f"line 6: the calendar's X-CALEND left out: {unplaced}",
        f"line 7: the calendar's X-WR-RELCALID left out: {unplaced}",
        "1 VTODO ('todo-1' at line 81) left out: a timeline holds only events",
        f"PRIORITY left out of 2 events ({meeting_uid} at line 41, {founding_uid} at line 62): "
        f"{unplaced}",
        # Other producers' X- properties: one warning for all of them
        f"other producers' X- properties left out of 2 events ({meeting_uid} at lines 47, 49, "
        f"50 and 3 more, {founding_uid} at lines 69, 70): X-ALT-DESC, X-MICROSOFT-CDO-BUSYSTATUS, "
        "X-MICROSOFT-CDO-IMPORTANCE, X-MICROSOFT-DISALLOW-COUNTER, X-MS-OLK-AUTOFILLLOCATION, "
        "X-MS-OLK-CONFTYPE and X-MICROSOFT-CDO-ALLDAYEVENT (a timeline has no place for them)",
        # DTSTART and DTEND of one event: one event, both lines
        "time zone 'Customized Time Zone' is not an IANA zone: the times of 1 event "
        f"({delhi_uid} at lines 74, 76) are converted to UTC",
        # CLASS:PUBLIC (lines 33 and 56) says nothing
        f"CLASS left out of 1 event ({delhi_uid} at line 73): {unplaced}",
    ]]  # fmt: skip


def test_strict_mode_fails_on_what_a_timeline_cannot_hold(ics_files: DataFolder) -> None:
    messages = problems(ics_files.read_text("samples/google.ics"), strict=True)
    uid = "'7kukuqrfedlm2f9t44rtbv0c2d@google.com'"
    assert messages == [
        "line 7: the calendar's X-WR-TIMEZONE left out: a timeline has no place for it",
        f"line 46: EXDATE left out of 1 event ({uid} at line 46): a timeline has no place for it",
        f"line 48: ORGANIZER left out of 1 event ({uid} at line 48): a timeline has no place for "
        "it",
        f"line 50: ATTENDEE left out of 1 event ({uid} at lines 50, 52): a timeline has no place "
        "for it",
        f"line 62: VALARM left out of 1 event ({uid} at line 62): a timeline has no place for it",
        # The changed occurrence of line 68 is an event of its own, and its series keeps it too.
        f"line 73: the series of 1 event ({uid} at line 73) keeps the occurrence it changes, "
        "besides the event read from it (a timeline cannot take one occurrence out of a rule)",
        "line 91: STATUS left out of 1 event ('0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com' at line "
        "91): a timeline has no place for it",
    ]


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


def test_a_geo_with_many_decimals_is_read() -> None:
    """Our exporter writes a tiny coordinate in full (RFC 5545 has no exponents)."""
    place = Place(name="P", latitude=0.0, longitude=4.5651373140632134e-55)
    t = timeline.Timeline(events=[Event(id="e", title="T", start="2001-06-15", place=place)])
    text = export(t, lossless=False)
    assert "GEO:0.0;0." + "0" * 54 + "4565137314\r\n" in text
    again, notes = read(text)
    assert (again["e"].place, notes) == (place, [])


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
        "<string>: no SUMMARY in 1 event ('untitled' at line 4): titled 'Untitled event'",
        "<string>: line breaks in the SUMMARY of 1 event ('odd' at line 12) replaced by spaces",
        "<string>: the GEO of 1 event ('odd' at line 15) left out: outside the globe",
        "<string>: the URL of 1 event ('odd' at line 14) left out: not an absolute URL",
    ]


def test_an_unknown_tzid_is_read_as_floating_and_reported() -> None:
    t, notes = read(
        calendar(*vevent("SUMMARY:X", "DTSTART;TZID=Mars/Olympus:20240704T100000", uid="x"))
    )
    assert t["x"].start == Date.parse("2024-07-04T10:00")
    assert notes == [
        "<string>: time zone 'Mars/Olympus' is unknown and has no VTIMEZONE: the times of 1 "
        "event ('x' at line 8) are read as floating times"
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


SUMMIT = Event(id="a", title="Summit", start="2024-07-03", end="2024-07-04")


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("END:VEVENT", "line 4: VEVENT 'a@example.org': BEGIN:VEVENT is never closed (no "
                       "END:VEVENT); it ends at the END:VCALENDAR of line 10"),
        ("END:VCALENDAR", "line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR); it ends "
                          "at the end of the file"),
    ],
)  # fmt: skip
def test_a_missing_end(missing: str, message: str) -> None:
    text = calendar(*EVENT).replace(f"{missing}\r\n", "")
    assert problems(text, strict=True) == [message]
    t, notes = read(text)
    assert notes == [f"<string>: {message}"]
    assert t.events == (SUMMIT,)


def test_a_line_break_injected_into_a_summary() -> None:
    text = calendar(*EVENT).replace("SUMMARY:Summit", "SUMMARY:Summit\r\nwith the heads of state")
    message = (
        "line 8: VEVENT 'a@example.org': 'with the heads of state' is not a content line "
        "(NAME:value), left out; a line break inside a value must be written as \\n"
    )
    assert problems(text, strict=True) == [message]
    t, notes = read(text)
    assert notes == [f"<string>: {message}"]
    assert t.events == (SUMMIT,)  # the rest of the event is read


def test_an_injected_property_is_reported_not_obeyed() -> None:
    text = calendar(*EVENT).replace("SUMMARY:Summit", "SUMMARY:Summit\r\nATTENDEE:mailto:x@y.z")
    t, notes = read(text)
    assert notes == [
        "<string>: ATTENDEE left out of 1 event ('a@example.org' at line 8): a timeline has no "
        "place for it"
    ]
    assert t.events == (SUMMIT,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["line 1: no BEGIN:VCALENDAR: this is not an iCalendar file"]),
        ('{"format": "timeline-events"}', [
            "line 1: '{\"format\": \"timeline-events\"}' is not a content line (NAME:value); a "
            "line break inside a value must be written as \\n",
        ]),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_calendar(text: str, expected: list[str]) -> None:
    assert problems(text) == expected
    assert problems(text, strict=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (calendar() + calendar(), ["line 5: the file holds 2 calendars: their events are read "
                                   "together"]),
        ("VERSION:2.0\r\n" + calendar(), ["line 1: VERSION outside any BEGIN ... END, left out"]),
        (" folded\r\n" + calendar(), ["line 1: a folded line with nothing to continue, left out"]),
        (calendar().replace("VERSION:2.0", "VERSION:2.0\rX"),
         ["line 2: a carriage return inside a line, removed"]),
    ],
)  # fmt: skip
def test_a_calendar_with_broken_lines_around_its_events(text: str, expected: list[str]) -> None:
    """What once made the file unreadable is left out (or mended) with a
    warning, and the events are read; strict mode refuses it."""
    assert problems(text, strict=True) == expected
    end = text.rindex("END:VCALENDAR")
    t, notes = read(text[:end] + "\r\n".join(EVENT) + "\r\n" + text[end:])
    assert notes == [f"<string>: {message}" for message in expected]
    assert t.events == (SUMMIT,)


def test_a_bare_vevent_without_a_date_is_read_and_left_out() -> None:
    text = "BEGIN:VEVENT\r\nEND:VEVENT\r\n"
    bare = "no BEGIN:VCALENDAR around 1 VEVENT (line 1): read as if there were"
    undated = (
        "line 1: VEVENT left out: no DTSTART, and an event needs a date (an iTIP message such "
        "as a CANCEL or REPLY has none)"
    )
    assert problems(text, strict=True) == [f"line 1: {bare}", undated]
    t, notes = read(text)
    assert notes == [f"<string>: {bare}", f"<string>: {undated}"]
    assert t.events == ()


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
    expected = [
        "line 4: VEVENT 'nodate' left out: no DTSTART, and an event needs a date (an iTIP "
        "message such as a CANCEL or REPLY has none)",
        "line 13: VEVENT 'baddate' left out: DTSTART: '2024-07-04' is not a date or a date-time "
        "(expected YYYYMMDD or YYYYMMDDTHHMMSS)",
        "line 20: VEVENT 'backwards': DTEND left out: it is before DTSTART",
        "line 27: VEVENT 'mixed': DTEND left out: it is a date-time but DTSTART a date",
        "line 34: VEVENT 'badrule': RRULE left out: FREQ=FORTNIGHTLY is not a frequency",
        "line 40: the time 02:30 of 1 event ('gap' at line 40) does not exist in Europe/Berlin "
        "(the clocks skip it): read as 03:30, as RFC 5545 says",
        "line 47: a second DTSTART of 1 event ('twice' at line 47) left out (the first is read)",
    ]
    assert problems(text, strict=True) == expected
    # Leniently, the events without a date are left out, and of the others only
    # what cannot be read.
    t, notes = read(text)
    assert notes == [f"<string>: {message}" for message in expected[:5]] + [
        # said of events, which name their lines
        "<string>: the time 02:30 of 1 event ('gap' at line 40) does not exist in Europe/Berlin "
        "(the clocks skip it): read as 03:30, as RFC 5545 says",
        "<string>: a second DTSTART of 1 event ('twice' at line 47) left out (the first is read)",
    ]
    assert {e.id: (e.start, e.end, e.recurrence) for e in t} == {
        "backwards": (Date(2024, 7, 4), None, None),
        "mixed": (Date(2024, 7, 4), None, None),
        "badrule": (Date(2024, 7, 4), None, None),
        "gap": (Date.parse("2024-03-31T03:30[Europe/Berlin]"), None, None),
        "twice": (Date(2024, 7, 4), None, None),
    }


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("deep-nesting.ics.gz", [
            "line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR); it ends at the end of "
            "the file",
            "line 2: BEGIN:X is never closed (no END:X); it ends at the end of the file; the "
            "same at lines 3, 4, 5 and 99996 more",
            "line 2: 1 X (line 2) left out: a timeline holds only events",
        ]),
        ("end-before-start.ics", [
            "line 9: VEVENT 'a@example.org': DTEND left out: it is before DTSTART"]),
        ("impossible-dates.ics", [
            "line 8: VEVENT 'a@example.org' left out: DTSTART: '20240230' is not a date (the day "
            "30 is out of range for February 2024)",
            "line 14: VEVENT 'b' left out: DTSTART: '00001301T000000' is not a date-time (the "
            "year 0000 is out of range 0001..9999)",
            "line 20: VEVENT 'c' left out: DTSTART: '999990101' is not a date or a date-time "
            "(expected YYYYMMDD or YYYYMMDDTHHMMSS)",
            "line 26: VEVENT 'd' left out: DTSTART: '20010615T250000' is not a date-time (the "
            "time 25:00:00 is out of range 00:00:00..23:59:59)",
        ]),
        ("missing-end-vcalendar.ics", [
            "line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR); it ends at the end of "
            "the file"]),
        ("missing-end-vevent.ics", [
            "line 4: VEVENT 'a@example.org': BEGIN:VEVENT is never closed (no END:VEVENT); it "
            "ends at the END:VCALENDAR of line 10"]),
        ("our-data-unknown-kind.ics", [
            "line 9: VEVENT 'a@example.org': X-TIMELINE-EVENT cannot be read "
            "(X-TIMELINE-EVENT.kind: unknown kind 'comet'; known kinds are accession, event, "
            "founding, summit (a plugin may add others)); the event is read from its standard "
            "properties"]),
        ("rrule-bad.ics", [
            "line 9: VEVENT 'a@example.org': RRULE left out: FREQ=SOMETIMES is not a frequency"]),
        ("summary-crlf-dtstart.ics", [
            "line 9: a second DTSTART of 1 event ('a@example.org' at line 9) left out (the first "
            "is read)",
            "line 10: VEVENT 'a@example.org': DTEND left out: it is before DTSTART",
        ]),
        ("summary-crlf-text.ics", [
            "line 8: VEVENT 'a@example.org': 'with the heads of state' is not a content line "
            "(NAME:value), left out; a line break inside a value must be written as \\n"]),
    ],
)  # fmt: skip
def test_hostile_cases_read_leniently_are_refused_when_strict(
    case: str, expected: list[str], hostile_files: DataFolder
) -> None:
    """tests/corpus/hostile/expected.toml says what these read to by default; strict
    mode refuses each, with the same reasons."""
    data = hostile_files.read_bytes(f"ics/{case}")
    text = (gzip.decompress(data) if case.endswith(".gz") else data).decode("utf-8")
    assert problems(text, strict=True) == expected


def _with_data(text: str, name: str, data: str) -> str:
    """``text`` with the value of the (folded) property ``name`` replaced."""
    return re.sub(rf"{name}:.*\r\n(?: .*\r\n)*", lambda m: f"{name}:{data}\r\n", text)


def test_broken_timeline_data() -> None:
    """Our data that cannot be read is left out with a warning: the event is
    read from its standard properties (the kind becomes a tag, as in an
    export without the data), the timeline from the calendar's name."""
    good = export(timeline.Timeline(title="Dates", events=[
        Event(id="e", title="T", start="2001-06-15")]))  # fmt: skip
    plain = Event(id="e", title="T", start="2001-06-15", tags=("event",))
    fallback = "the event is read from its standard properties"
    bad_date = '{"kind":"event"\\,"id":"e"\\,"title":"T"\\,"start":"2001-02-30"}'
    for data, reason in [
        ("{nope", "not JSON: Expecting property name enclosed in double quotes at character 1"),
        (bad_date, "X-TIMELINE-EVENT.start: cannot read date '2001-02-30': day 30 is out of "
                   "range for February 2001"),
    ]:  # fmt: skip
        text = _with_data(good, "X-TIMELINE-EVENT", data)
        message = (
            f"line 18: VEVENT 'e@timeline.invalid': X-TIMELINE-EVENT cannot be read ({reason}); "
            f"{fallback}"
        )
        assert problems(text, strict=True) == [message]
        t, notes = read(text)
        assert notes == [f"<string>: {message}"]
        assert (t.title, t.events) == ("Dates", (plain,))
    bad_header = '{"format":"timeline-events"\\,"version":99}'
    for data, reason in [
        (bad_header, "$.version: version 99 is newer than this library reads (2); upgrade "
                     "timeline-events"),
        ("[]", "it is not a timeline header"),
    ]:  # fmt: skip
        text = _with_data(good, "X-TIMELINE-HEADER", data)
        message = (
            f"line 8: X-TIMELINE-HEADER cannot be read ({reason}); the calendar's name and "
            "description are read instead"
        )
        assert problems(text, strict=True) == [message]
        t, notes = read(text)
        assert notes == [f"<string>: {message}"]
        assert (t.title, t.events) == ("Dates", (Event(id="e", title="T", start="2001-06-15"),))


def test_two_different_events_with_one_id() -> None:
    t = timeline.Timeline(events=[Event(id="e", title="T", start="2001-06-15")])
    other = timeline.Timeline(events=[Event(id="e", title="U", start="2001-06-16")])
    body = export(other).split("BEGIN:VEVENT", 1)[1]
    text = export(t).replace("END:VCALENDAR\r\n", "BEGIN:VEVENT" + body)
    message = (
        "line 19: VEVENT 'e@timeline.invalid' left out: a different event with id 'e' comes "
        "earlier in the file"
    )
    assert problems(text, strict=True) == [message]
    again, notes = read(text)
    assert notes == [f"<string>: {message}"]
    assert again == t
    # The same event twice is read once, and says nothing.
    twice = export(t).replace("END:VCALENDAR\r\n", "BEGIN:VEVENT" + export(t).split(
        "BEGIN:VEVENT", 1)[1])  # fmt: skip
    assert read(twice) == (t, [])


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
    assert t["never"].recurrence == "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"  # as written


def test_deep_nesting_and_huge_lines_are_read() -> None:
    deep = "BEGIN:VCALENDAR\r\n" + "BEGIN:X\r\n" * 20000
    unclosed = [
        "line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR); it ends at the end of the "
        "file",
        # the same problem 20,000 times is said once, with its lines
        "line 2: BEGIN:X is never closed (no END:X); it ends at the end of the file; the same "
        "at lines 3, 4, 5 and 19996 more",
    ]
    assert problems(deep, strict=True) == [
        *unclosed,
        "line 2: 1 X (line 2) left out: a timeline holds only events",
    ]
    t, notes = read(deep)
    assert notes == [
        f"<string>: {unclosed[1]}",
        f"<string>: {unclosed[0]}",
        "<string>: 1 X (line 2) left out: a timeline holds only events",
    ]
    assert t.events == ()
    long_line = calendar(*vevent("SUMMARY:" + "x" * 2_000_000, "DTSTART;VALUE=DATE:20240704"))
    t, notes = read(long_line)
    assert len(t.events[0].title) == 1000
    assert notes == [
        "<string>: the SUMMARY of 1 event ('a@example.org' at line 7) cut to 1000 characters"
    ]
    folded = calendar(*vevent("DESCRIPTION:" + "\r\n x" * 300_000, "SUMMARY:S",
                              "DTSTART;VALUE=DATE:20240704"))  # fmt: skip
    t, notes = read(folded)
    assert t.events[0].description == "x" * 300_000
    assert notes == []


# -- whatever the input, a timeline or a ValidationError --------------------------------------


@pytest.fixture(scope="module")
def bases(ics_files: DataFolder) -> list[str]:
    """The files that the damaged files are made from."""
    return [
        export(sample_timeline(), imprecise="span"),
        ics_files.read_bytes("samples/google.ics").decode("utf-8"),
        ics_files.read_bytes("samples/outlook.ics").decode("utf-8"),
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
def test_a_damaged_file_gives_a_timeline_or_a_validation_error(
    bases: list[str], data: st.DataObject
) -> None:
    lines = data.draw(st.sampled_from(bases)).split("\r\n")
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
        "('x' at line 8) are read as floating times",
        "<string>: X-{0} left out of 1 event ('x' at line 9): a timeline has no place for it",
    ]


_SPELLINGS = st.sampled_from(["{}", "{} ", " {}", "{:lower}", "g1.{}", "{:title}", "{:lower} "])


def _spell(name: str, how: str) -> str:
    if how == "{:lower}" or how == "{:lower} ":
        return name.lower() + how[len("{:lower}") :]
    if how == "{:title}":
        return name.title()
    return how.format(name)


@given(
    names=st.lists(_SPELLINGS.filter(lambda how: not how.startswith(" ")), min_size=8, max_size=8),
    components=st.lists(
        _SPELLINGS.filter(lambda how: not how.startswith("g1.")), min_size=4, max_size=4
    ),
)
@settings(max_examples=60, deadline=None)
def test_names_in_any_case_and_spacing_read_as_the_written_ones(
    names: list[str], components: list[str]
) -> None:
    """The scanner's fast path for names already in upper case without
    spaces or groups reads a file as the general path does: any case,
    spaces and vCard groups give the same timeline and the same warnings (a
    line that starts with a space is a folded one, so names get none before)."""
    lines = [("BEGIN", "VCALENDAR"), ("VERSION", "2.0"), ("PRODID", "-//x//y//EN"),
             ("BEGIN", "VEVENT"), ("UID", "a@x"), ("DTSTART;VALUE=DATE", "20200102"),
             ("SUMMARY", "One"), ("LOCATION", "Here"), ("END", "VEVENT"),
             ("END", "VCALENDAR")]  # fmt: skip
    canonical = "".join(f"{n}:{v}\r\n" for n, v in lines)
    spelled = []
    for i, (written, value) in enumerate(lines):
        if written in ("BEGIN", "END"):
            name = _spell(written, names[i % 8]).replace("g1.", "")
            spelled.append(f"{name}:{_spell(value, components[i % 4])}\r\n")
        else:
            head, _, params = written.partition(";")
            name = _spell(head, names[i % 8]) + (";" + params if params else "")
            spelled.append(f"{name}:{value}\r\n")
    assert read("".join(spelled)) == read(canonical)
