"""The ics exporter: what it writes for each kind of event and date, and its options."""

from __future__ import annotations

import datetime as dt
import gc
import re
import tracemalloc
import warnings
from typing import Any

import pytest
from helpers.ics import STAMP, export, raw_problems, unfold
from icalendar import Calendar

import timeline
from timeline import Accession, Event, ExportWarning, Founding, OptionError, Place, Summit
from timeline.registry import exporter_for_suffix, get_exporter, importer_for_suffix
from timeline.testing import check_exporter, sample_timeline, synthetic_timeline

ASTANA = Place(name="Astana", country="KZ", latitude=51.1694, longitude=71.4491,
               timezone="Asia/Almaty")  # fmt: skip


def one(event: Event, **options: Any) -> str:
    return export(timeline.Timeline(events=[event]), **options)


def vevents(text: str) -> list[list[str]]:
    """The unfolded content lines of each VEVENT."""
    events: list[list[str]] = []
    current: list[str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


def vevent(text: str, uid: str) -> list[str]:
    (found,) = [e for e in vevents(text) if f"UID:{uid}" in e]
    return found


def prop(lines: list[str], name: str) -> str:
    (value,) = [line for line in lines if re.match(rf"{name}[;:]", line)]
    return value


def exported_ids(text: str) -> list[str]:
    return [prop(e, "UID").removeprefix("UID:").split("@")[0] for e in vevents(text)]


def left_out(record: list[warnings.WarningMessage]) -> set[str]:
    ids = set()
    for w in record:
        m = re.match(r"event '([^']+)' is left out", str(w.message))
        if m:
            ids.add(m.group(1))
    return ids


# -- the contract ---------------------------------------------------------------------------


def test_the_exporter_keeps_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    check_exporter(get_exporter("ics"))


def test_it_is_registered_for_ics_files() -> None:
    exporter = get_exporter("ics")
    assert exporter.media_type == "text/calendar"
    assert exporter.suffixes[0] == ".ics"
    assert exporter_for_suffix(".ICS") is exporter
    assert importer_for_suffix(".ics").name == "ics"


def test_every_file_is_clean() -> None:
    for t, options in [
        (sample_timeline(), {}),
        (sample_timeline(), {"imprecise": "span", "refresh": "PT6H"}),
        (timeline.example("sco"), {"anniversaries": True}),
        (synthetic_timeline(200), {"lossless": False}),
    ]:
        assert raw_problems(export(t, **options).encode()) == []


# -- all-day events -------------------------------------------------------------------------


def test_the_astana_summit_is_all_day_and_ends_on_the_day_after() -> None:
    text = export(timeline.example("sco"))
    lines = vevent(text, "sco-summit-2024-astana@timeline.invalid")
    assert lines[:5] == [
        "SUMMARY:SCO Council of Heads of State summit (Astana 2024)",
        "DTSTART;VALUE=DATE:20240703",
        "DTEND;VALUE=DATE:20240705",
        "DTSTAMP:20260101T000000Z",
        "UID:sco-summit-2024-astana@timeline.invalid",
    ]
    assert "TRANSP:TRANSPARENT" in lines
    assert prop(lines, "LOCATION") == "LOCATION:Astana\\, Kazakhstan"
    assert prop(lines, "GEO") == "GEO:51.1694;71.4491"
    assert prop(lines, "CATEGORIES") == "CATEGORIES:summit"


def test_a_summit_in_full() -> None:
    summit = Summit(
        id="astana", title="Astana summit", start="2024-07-03", end="2024-07-04",
        organisation="SCO", host="KZ", participants=("CN", "RU", "BY"), place=ASTANA,
        tags=("sco", "2024"), url="https://example.org/summits/2024",
        description="Heads of state meet.", notes="Two days.",
        sources=(timeline.Source(url="https://example.org/r", title="Report",
                                 accessed="2024-07-05", note="Official."),
                 timeline.Source(url="https://example.org/s")),
    )  # fmt: skip
    assert vevents(one(summit, lossless=False)) == [[
        "SUMMARY:Astana summit",
        "DTSTART;VALUE=DATE:20240703",
        "DTEND;VALUE=DATE:20240705",
        "DTSTAMP:20260101T000000Z",
        "UID:astana@timeline.invalid",
        "CATEGORIES:summit,sco,2024",
        "DESCRIPTION:Heads of state meet.\\n\\nOrganisation: SCO\\nHost: Kazakhstan\\n"
        "Participants: China\\, Russia\\, Belarus\\nFormat: in person\\n\\nNotes: Two days.\\n\\n"
        "Sources:\\n- Report: https://example.org/r (accessed 2024-07-05). Official.\\n"
        "- https://example.org/s",
        "GEO:51.1694;71.4491",
        "LOCATION:Astana\\, Kazakhstan",
        "TRANSP:TRANSPARENT",
        "URL:https://example.org/summits/2024",
    ]]  # fmt: skip


def test_a_day_in_a_place_with_a_zone_stays_all_day() -> None:
    text = one(Event(id="e", title="Talks", start="2024-07-04", place=ASTANA))
    lines = vevent(text, "e@timeline.invalid")
    assert prop(lines, "DTSTART") == "DTSTART;VALUE=DATE:20240704"
    assert "TZID" not in text
    assert "BEGIN:VTIMEZONE" not in text


def test_ranges_across_month_and_year_ends() -> None:
    text = export(sample_timeline())
    assert prop(vevent(text, "summit-months@timeline.invalid"), "DTEND") == (
        "DTEND;VALUE=DATE:20250902"
    )
    assert prop(vevent(text, "across-years@timeline.invalid"), "DTEND") == (
        "DTEND;VALUE=DATE:20200103"
    )


def test_the_first_year_and_the_last_day() -> None:
    text = one(Event(id="first", title="Year one", start="0001-01-01"))
    assert prop(vevent(text, "first@timeline.invalid"), "DTSTART") == "DTSTART;VALUE=DATE:00010101"
    with pytest.warns(ExportWarning, match=r"event 'last' is left out .* 31 December 9999"):
        text = timeline.dumps(
            timeline.Timeline(events=[Event(id="last", title="The end", start="9999-12-31")]),
            "ics", dtstamp=STAMP,
        )  # fmt: skip
    assert vevents(text) == []


def test_an_end_with_a_time_and_a_start_without_is_all_day() -> None:
    event = Event(id="e", title="Talks", start="2024-07-03", end="2024-07-04T18:00[Asia/Almaty]")
    lines = vevent(one(event), "e@timeline.invalid")
    assert prop(lines, "DTSTART") == "DTSTART;VALUE=DATE:20240703"
    assert prop(lines, "DTEND") == "DTEND;VALUE=DATE:20240705"


# -- timed events ---------------------------------------------------------------------------


def test_a_zoned_time_has_its_tzid_and_a_vtimezone() -> None:
    text = export(sample_timeline())
    lines = vevent(text, "zoned@timeline.invalid")
    assert prop(lines, "DTSTART") == "DTSTART;TZID=Asia/Almaty:20240704T100000"
    assert prop(lines, "DTEND") == "DTEND;TZID=Asia/Almaty:20240704T180000"
    assert "TRANSP:TRANSPARENT" not in lines
    cal = Calendar.from_ical(text)
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Almaty"]
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_utc_is_written_with_z_and_floating_stays_floating() -> None:
    text = export(sample_timeline())
    assert prop(vevent(text, "utc@timeline.invalid"), "DTSTART") == "DTSTART:20180610T123000Z"
    assert prop(vevent(text, "floating@timeline.invalid"), "DTSTART") == "DTSTART:20180609T100000"
    assert "TZID=UTC" not in text
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_a_timed_event_without_an_end_has_no_dtend() -> None:
    lines = vevent(export(sample_timeline()), "utc@timeline.invalid")
    assert not [line for line in lines if line.startswith("DTEND")]


def test_a_floating_start_with_a_zoned_end_is_written_all_day() -> None:
    # RFC 5545 wants DTSTART and DTEND both floating or both not.
    event = Event(id="e", title="Talks", start="2024-07-04T10:00",
                  end="2024-07-04T18:00[Asia/Almaty]")  # fmt: skip
    lines = vevent(one(event), "e@timeline.invalid")
    assert prop(lines, "DTSTART") == "DTSTART;VALUE=DATE:20240704"
    assert prop(lines, "DTEND") == "DTEND;VALUE=DATE:20240705"


def test_the_vtimezone_covers_the_years_of_the_events() -> None:
    t = timeline.Timeline(events=[
        Event(id="old", title="Old", start="1955-07-01T12:00[Europe/Berlin]"),
        Event(id="new", title="New", start="2061-07-01T12:00[Europe/Berlin]"),
        Event(id="ny", title="NY", start="2001-09-10T09:00[America/New_York]"),
    ])  # fmt: skip
    text = export(t)
    cal = Calendar.from_ical(text)
    comments = {tz.tz_name: str(tz["COMMENT"]) for tz in cal.timezones}
    assert comments == {
        "America/New_York": "This timezone only works from 2001-01-01 to 2002-01-01.",
        "Europe/Berlin": "This timezone only works from 1955-01-01 to 2062-01-01.",
    }


@pytest.mark.parametrize("zone", ["Africa/Abidjan", "Atlantic/Reykjavik", "Etc/GMT", "GMT"])
def test_a_zone_always_at_utc_gets_a_vtimezone_of_its_own_name(zone: str) -> None:
    """icalendar names the VTIMEZONE of a zone whose offset is always 0
    ``UTC``; the events say ``TZID=Africa/Abidjan``, which must be defined."""
    event = Event(id="e", title="Talk", start=f"2024-07-04T10:00[{zone}]",
                  end=f"2024-07-04T12:00[{zone}]")  # fmt: skip
    text = one(event, lossless=False)
    lines = list(unfold(text))
    assert prop(vevent(text, "e@timeline.invalid"), "DTSTART") == (
        f"DTSTART;TZID={zone}:20240704T100000"
    )
    assert [line for line in lines if line.startswith("TZID")] == [f"TZID:{zone}"]
    assert raw_problems(text.encode()) == []
    (tz,) = Calendar.from_ical(text).timezones
    assert tz.tz_name == zone
    (read,) = timeline.loads(text, "ics").events  # the same instants (GMT is read as UTC)
    assert read.start.to_datetime() == event.start.to_datetime()
    assert read.end is not None
    assert event.end is not None
    assert read.end.to_datetime() == event.end.to_datetime()


def test_a_zoned_recurrence_without_until_gets_a_century_of_rules() -> None:
    event = Event(id="e", title="Weekly", start="2024-07-04T10:00[Europe/Berlin]",
                  recurrence="FREQ=WEEKLY")  # fmt: skip
    cal = Calendar.from_ical(one(event))
    (tz,) = cal.timezones
    assert str(tz["COMMENT"]) == "This timezone only works from 2024-01-01 to 2125-01-01."
    event = Event(id="e", title="Weekly", start="2024-07-04T10:00[Europe/Berlin]",
                  recurrence="FREQ=WEEKLY;UNTIL=20300101T000000Z")  # fmt: skip
    (tz,) = Calendar.from_ical(one(event)).timezones
    assert str(tz["COMMENT"]) == "This timezone only works from 2024-01-01 to 2031-01-01."


def test_seconds_are_kept_and_fractions_are_dropped_with_a_warning() -> None:
    t = timeline.Timeline(events=[Event(id="e", title="T", start="2024-07-04T10:00:05.25Z")])
    with pytest.warns(ExportWarning, match=r"event 'e': iCalendar times stop at the second"):
        text = timeline.dumps(t, "ics", dtstamp=STAMP)
    assert prop(vevent(text, "e@timeline.invalid"), "DTSTART") == "DTSTART:20240704T100005Z"


# -- imprecise dates ------------------------------------------------------------------------

IMPRECISE = {"year", "approximate", "uncertain", "bce", "summit-virtual"}


def test_by_default_imprecise_events_are_left_out_with_a_warning_naming_each() -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        text = timeline.dumps(sample_timeline(), "ics", dtstamp=STAMP)
    assert left_out(record) == IMPRECISE
    assert all(issubclass(w.category, ExportWarning) for w in record)
    assert set(exported_ids(text)) == {e.id for e in sample_timeline()} - IMPRECISE
    messages = sorted(str(w.message) for w in record)
    assert messages == [
        "event 'approximate' is left out of the calendar: its date 1996~ is known only to "
        "the year and approximate, which iCalendar cannot say (the option imprecise=span writes it as "
        "an all-day event over every day it may cover)",
        "event 'bce' is left out of the calendar: iCalendar has no dates before the year 1 "
        "(477 BCE)",
        "event 'summit-virtual' is left out of the calendar: its date 2020-11 is known only "
        "to the month, which iCalendar cannot say (the option imprecise=span writes it as an all-day "
        "event over every day it may cover)",
        "event 'uncertain' is left out of the calendar: its date 2002-06? is known only to "
        "the month and uncertain, which iCalendar cannot say (the option imprecise=span writes it as "
        "an all-day event over every day it may cover)",
        "event 'year' is left out of the calendar: its date 2009 is known only to the year, "
        "which iCalendar cannot say (the option imprecise=span writes it as an all-day event over "
        "every day it may cover)",
    ]


def test_an_approximate_day_is_left_out_too() -> None:
    with pytest.warns(ExportWarning, match="its date 2001-06-15~ is approximate"):
        text = timeline.dumps(
            timeline.Timeline(events=[Event(id="e", title="T", start="2001-06-15~")]),
            "ics", dtstamp=STAMP,
        )  # fmt: skip
    assert vevents(text) == []


def test_span_writes_imprecise_events_over_every_day_they_may_cover() -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        text = timeline.dumps(sample_timeline(), "ics", dtstamp=STAMP, imprecise="span")
    assert left_out(record) == {"bce"}
    year = vevent(text, "year@timeline.invalid")
    assert year[:3] == [
        "SUMMARY:A year-long programme (2009)",
        "DTSTART;VALUE=DATE:20090101",
        "DTEND;VALUE=DATE:20100101",
    ]
    assert prop(year, "DESCRIPTION") == (
        "DESCRIPTION:Date: 2009 (the date is known only to the year\\; shown as an all-day "
        "event from 1 January 2009 to 31 December 2009)."
    )
    virtual = vevent(text, "summit-virtual@timeline.invalid")
    assert virtual[:3] == [
        "SUMMARY:Virtual summit (November 2020)",
        "DTSTART;VALUE=DATE:20201101",
        "DTEND;VALUE=DATE:20201201",
    ]
    assert prop(vevent(text, "approximate@timeline.invalid"), "SUMMARY") == (
        "SUMMARY:Talks begin (c. 1996)"
    )
    assert prop(vevent(text, "uncertain@timeline.invalid"), "SUMMARY") == (
        "SUMMARY:A meeting that may have happened (June 2002?)"
    )


def test_span_of_an_approximate_day() -> None:
    text = one(Event(id="e", title="T", start="2001-06-15%", end="2001-06-16"), imprecise="span")
    lines = vevent(text, "e@timeline.invalid")
    assert lines[:3] == [
        "SUMMARY:T (c. 15 June 2001? to 16 June 2001)",
        "DTSTART;VALUE=DATE:20010615",
        "DTEND;VALUE=DATE:20010617",
    ]
    assert prop(lines, "DESCRIPTION") == (
        "DESCRIPTION:Date: c. 15 June 2001? to 16 June 2001 (the date is approximate and "
        "uncertain\\; shown as an all-day event from 15 June 2001 to 16 June 2001)."
    )


def test_a_title_in_brackets_gets_its_date_after_a_comma() -> None:
    text = one(Event(id="e", title="Talks (informal)", start="1996~"), imprecise="span")
    assert vevent(text, "e@timeline.invalid")[0] == "SUMMARY:Talks (informal)\\, c. 1996"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the SUMMARY agrees with the event's data
        again = timeline.loads(text, "ics")
    assert again["e"].title == "Talks (informal)"


def test_bce_events_are_left_out_even_when_spanning() -> None:
    with pytest.warns(ExportWarning, match=r"event 'bce' is left out .* \(477 BCE\)"):
        text = timeline.dumps(sample_timeline().filter(lambda e: e.id == "bce"), "ics",
                              imprecise="span", dtstamp=STAMP)  # fmt: skip
    assert vevents(text) == []


# -- UIDs, DTSTAMP ----------------------------------------------------------------------------


def test_uids_come_from_the_event_ids_and_the_domain() -> None:
    t = timeline.example("sco")
    first = exported_ids(export(t, domain="example.org"))
    assert first == [e.id for e in t]
    text = export(t, domain="example.org")
    assert all(prop(e, "UID").endswith("@example.org") for e in vevents(text))
    assert export(t, dtstamp="2030-01-01T00:00:00Z").count("UID:") == 33


def test_uids_are_stable_when_the_timeline_changes() -> None:
    t = timeline.example("sco")
    fewer = t.filter(lambda e: e.start.year >= 2010)
    uids = {prop(e, "UID") for e in vevents(export(t))}
    assert {prop(e, "UID") for e in vevents(export(fewer))} <= uids


@pytest.mark.parametrize("domain", ["", "exa mple.org", "a..b", "-x.org", "x.org;y", "a@b"])
def test_a_bad_domain_is_refused(domain: str) -> None:
    with pytest.raises(OptionError, match="option 'domain' is a domain name"):
        timeline.dumps(sample_timeline(), "ics", domain=domain)


def test_dtstamp_from_the_option_is_in_utc() -> None:
    text = export(sample_timeline(), dtstamp="2026-01-01T06:00:00+06:00")
    stamps = {line for line in unfold(text) if line.startswith("DTSTAMP")}
    assert stamps == {"DTSTAMP:20260101T000000Z"}


@pytest.mark.parametrize(
    "value", ["2026-01-01T00:00:00", "yesterday", "2026-13-01T00:00Z", "0001-01-01T00:00+01:00"]
)
def test_a_bad_dtstamp_is_refused(value: str) -> None:
    with pytest.raises(OptionError, match="option 'dtstamp'"):
        timeline.dumps(sample_timeline(), "ics", dtstamp=value)


def test_dtstamp_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    text = timeline.dumps(timeline.example("sco"), "ics")
    assert {line for line in unfold(text) if line.startswith("DTSTAMP")} == {
        "DTSTAMP:20260101T000000Z"
    }
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(OptionError, match="SOURCE_DATE_EPOCH is a number of seconds"):
        timeline.dumps(timeline.example("sco"), "ics")


def test_dtstamp_is_the_time_of_export_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    text = timeline.dumps(timeline.example("sco"), "ics")
    after = dt.datetime.now(dt.UTC)
    (stamp,) = {line for line in unfold(text) if line.startswith("DTSTAMP")}
    when = dt.datetime.strptime(stamp, "DTSTAMP:%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    assert before <= when <= after


# -- the calendar ---------------------------------------------------------------------------


def test_the_calendar_properties() -> None:
    text = export(sample_timeline(), refresh="P1D")
    head = list(unfold(text[: text.index("BEGIN:VTIMEZONE")]))
    assert head == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//timeline-events//timeline//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "DESCRIPTION:Every kind of event and every kind of date that timeline knows.",
        "X-WR-CALDESC:Every kind of event and every kind of date that timeline knows.",
        "NAME:Sample timeline",
        "X-WR-CALNAME:Sample timeline",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
        'X-TIMELINE-HEADER:{"format":"timeline-events"\\,"version":2\\,"language":"en"\\,'
        '"title":"Sample timeline"\\,"description":"Every kind of event and every kind of date '
        'that timeline knows."\\,"translations":{"ru":{"title":"Образец хронологии"}}}',
    ]
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_name_and_description_options() -> None:
    text = export(sample_timeline(), name="Summits; all of them", description="One line,\nTwo")
    lines = list(unfold(text))
    assert "NAME:Summits\\; all of them" in lines
    assert "X-WR-CALNAME:Summits\\; all of them" in lines
    assert "DESCRIPTION:One line\\,\\nTwo" in lines
    assert "X-WR-CALDESC:One line\\,\\nTwo" in lines


def test_a_timeline_without_a_title_has_no_name() -> None:
    text = export(timeline.Timeline(events=[Event(title="T", start="2001-06-15")]))
    assert "NAME" not in text
    assert "X-WR-CAL" not in text


@pytest.mark.parametrize(
    ("value", "written"),
    [("P1D", "P1D"), ("PT12H", "PT12H"), ("P1W", "P7D"), ("pt90m", "PT1H30M"),
     ("P1DT12H", "P1DT12H")],
)  # fmt: skip
def test_refresh_interval(value: str, written: str) -> None:
    lines = list(unfold(export(sample_timeline(), refresh=value)))
    assert f"REFRESH-INTERVAL;VALUE=DURATION:{written}" in lines
    assert f"X-PUBLISHED-TTL:{written}" in lines


@pytest.mark.parametrize(
    "value", ["1 day", "P", "PT", "P0D", "-P1D", "P1H", "PT1D", "P999999999999D"]
)
def test_a_bad_refresh_interval_is_refused(value: str) -> None:
    with pytest.raises(OptionError, match="option 'refresh'"):
        timeline.dumps(sample_timeline(), "ics", refresh=value)


def test_without_lossless_there_are_no_timeline_properties() -> None:
    text = export(sample_timeline(), lossless=False)
    assert "X-TIMELINE" not in text


def test_the_options_come_from_the_command_line_as_text() -> None:
    exporter = get_exporter("ics")
    resolved = exporter.resolve_options({"anniversaries": "yes", "lossless": "false"})
    assert resolved["anniversaries"] is True
    assert resolved["lossless"] is False
    with pytest.raises(OptionError, match="option 'imprecise' is one of skip, span"):
        exporter.resolve_options({"imprecise": "guess"})


# -- recurrence and anniversaries -----------------------------------------------------------


def test_a_recurring_event_has_its_rrule() -> None:
    text = export(sample_timeline())
    assert prop(vevent(text, "anniversary@timeline.invalid"), "RRULE") == "RRULE:FREQ=YEARLY"


def test_an_all_day_rrule_gets_a_date_until() -> None:
    event = Event(id="e", title="T", start="2024-07-04",
                  recurrence="RRULE:FREQ=MONTHLY;UNTIL=20250101T000000;BYMONTHDAY=4")  # fmt: skip
    lines = vevent(one(event), "e@timeline.invalid")
    assert prop(lines, "RRULE") == "RRULE:FREQ=MONTHLY;UNTIL=20250101;BYMONTHDAY=4"


def test_anniversaries_repeat_every_founding_and_accession_every_year() -> None:
    t = timeline.example("sco")
    text = export(t, anniversaries=True)
    expected = [e.id for e in t if isinstance(e, Founding | Accession)]
    assert len(expected) == 6
    uids = [prop(e, "UID") for e in vevents(text)]
    assert uids == [f"UID:{i}+anniversary@timeline.invalid" for i in expected]
    assert {prop(e, "RRULE") for e in vevents(text)} == {"RRULE:FREQ=YEARLY"}
    india = vevent(text, "sco-accession-2017-india+anniversary@timeline.invalid")
    assert india[:3] == [
        "SUMMARY:India becomes a full SCO member (9 June 2017)",
        "DTSTART;VALUE=DATE:20170609",
        "DTEND;VALUE=DATE:20170610",
    ]
    assert prop(india, "CATEGORIES") == "CATEGORIES:accession,anniversary"
    assert prop(india, "DESCRIPTION").startswith("DESCRIPTION:Every year since 9 June 2017.")


def test_an_anniversary_on_29_february_falls_on_the_last_day_of_february() -> None:
    founding = Founding(id="leap", title="Founded", start="2004-02-29", organisation="X")
    lines = vevent(one(founding, anniversaries=True), "leap+anniversary@timeline.invalid")
    assert prop(lines, "RRULE") == "RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2"


def test_an_anniversary_of_a_month() -> None:
    founding = Founding(id="m", title="Founded", start="2004-02", organisation="X")
    with pytest.warns(ExportWarning, match="event 'm' is left out"):
        timeline.dumps(timeline.Timeline(events=[founding]), "ics", anniversaries=True,
                       dtstamp=STAMP)  # fmt: skip
    lines = vevent(one(founding, anniversaries=True, imprecise="span"),
                   "m+anniversary@timeline.invalid")  # fmt: skip
    assert lines[:3] == [
        "SUMMARY:Founded (February 2004)",
        "DTSTART;VALUE=DATE:20040201",
        "DTEND;VALUE=DATE:20040301",
    ]


# -- text -------------------------------------------------------------------------------------

TRICKY = (
    'Commas, semicolons; back\\slashes \\N and \\n, quotes "x", colons: a:b,\n'
    "new lines\nand unicode: Қазақстан 上海合作组织 منظمة 👩\u200d💻🤝 e\u0301 " * 3
)


def test_text_is_escaped_folded_and_read_back() -> None:
    event = Event(id="e", title="A; b, c \\ d: é 🤝 " * 6, start="2001-06-15",
                  description=TRICKY, place=Place(name="Room 1; Hall, B"))  # fmt: skip
    text = one(event, lossless=False)
    assert raw_problems(text.encode()) == []
    (read,) = Calendar.from_ical(text).events
    assert str(read["SUMMARY"]) == event.title
    assert str(read["LOCATION"]) == "Room 1; Hall, B"
    assert str(read["DESCRIPTION"]) == TRICKY


def test_a_backslash_before_n_stays_a_backslash() -> None:
    # icalendar's writer turns "\N" into a line break; ours escapes the backslash.
    text = one(Event(id="e", title="C:\\Names", start="2001-06-15"))
    assert prop(vevent(text, "e@timeline.invalid"), "SUMMARY") == "SUMMARY:C:\\\\Names"
    assert str(Calendar.from_ical(text).events[0]["SUMMARY"]) == "C:\\Names"


def test_output_is_crlf_and_every_physical_line_fits_75_octets() -> None:
    text = export(synthetic_timeline(300), imprecise="span")
    data = text.encode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


# -- streaming --------------------------------------------------------------------------------


class _Discard:
    def write(self, text: str) -> int:
        return len(text)


def _peak(t: timeline.Timeline) -> int:
    exporter = get_exporter("ics")
    options = exporter.resolve_options({"dtstamp": STAMP})
    exporter.write(t.with_events(t.events[:50]), _Discard(), options)  # type: ignore[arg-type]
    gc.collect()
    tracemalloc.start()
    try:
        exporter.write(t, _Discard(), options)  # type: ignore[arg-type]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_events() -> None:
    big = synthetic_timeline(8000)
    small = big.with_events(big.events[:2000])
    assert _peak(big) < 1.3 * _peak(small)


@pytest.mark.parametrize(
    ("field", "value"),
    [("url", "https://example.org/\r\nATTENDEE:mailto:evil@example.org"),
     ("recurrence", "FREQ=YEARLY\nEND:VEVENT")],
)  # fmt: skip
def test_a_line_break_that_slipped_past_the_model_is_refused_not_written(field, value):
    """The model refuses line breaks in one-line fields; an event changed
    behind its back must not add a property or an event to the calendar."""
    event = Event(title="Summit", start="2001-06-15", url="https://example.org/")
    object.__setattr__(event, field, value)
    name = {"url": "URL", "recurrence": "RRULE"}[field]
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dumps(timeline.Timeline(events=[event]), "ics", dtstamp="2026-01-01T00:00:00Z")
    assert str(info.value) == (
        f"event '2001-06-15-summit@timeline.invalid': its {name} holds a line break, which "
        "would start a new line of the calendar"
    )


def test_each_events_layout_is_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The VTIMEZONEs need the layouts of the zoned events before any VEVENT
    is written; the VEVENTs use those layouts instead of computing them again."""
    from timeline.default_plugins.ics import export as ics_export

    calls: list[str] = []
    layout = ics_export._layout

    def counted(event: Event, settings: Any) -> Any:
        calls.append(event.id)
        return layout(event, settings)

    monkeypatch.setattr(ics_export, "_layout", counted)
    t = sample_timeline()
    zoned = [e.id for e in t if e.start.tz not in (None, "UTC")]
    assert zoned  # the sample has events in a zone
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        timeline.dumps(t, "ics", dtstamp=STAMP)
    assert sorted(calls) == sorted(e.id for e in t)


@pytest.mark.parametrize("locale", [None, "ru"])
def test_the_words_of_attributes_that_repeat_are_those_of_each_event_alone(
    locale: str | None,
) -> None:
    """The exporter keeps the line of each attribute's label and value it
    has written (the same host, the same members), at most 1,024: more
    than that, of texts, tuples of texts, enums and truth values, some
    repeating after the lines were let go, each written as when its event
    is the calendar's only one."""
    states = ("KZ", "CN", "RU", "IN", "BY", "IR", "PK", "TJ", "UZ", "KG", "MN")
    events: list[Event] = []
    for i in range(1300):
        common: dict[str, Any] = {"id": f"e{i}", "title": f"Meeting {i}", "start": "2001-06-15"}
        members = tuple(s for j, s in enumerate(states) if i >> j & 1)
        if i % 3 == 0:
            events.append(Summit(organisation="SCO", host=states[i % 11], participants=members,
                                 format=("hybrid", "virtual", "in-person")[i % 3], **common))  # fmt: skip
        elif i % 3 == 1:
            events.append(Founding(organisation=f"Org {i % 7}", members=members, **common))
        else:
            events.append(Accession(organisation="SCO", member=states[i % 11],
                                    status=("member", "observer")[i % 2], **common))  # fmt: skip
    t = timeline.Timeline(title="Facts", events=events)
    together = {
        next(x for x in lines if x.startswith("UID:")): lines
        for lines in vevents(export(t, locale=locale, lossless=False))
    }
    assert len(together) == len(events)
    for event in events:
        assert vevents(one(event, locale=locale, lossless=False)) == [
            together[f"UID:{event.id}@timeline.invalid"]
        ]
