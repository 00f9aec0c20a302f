"""The typed events: fields, validation, ids, recurrence."""

from __future__ import annotations

import attrs
import pytest

from timeline import (
    Accession,
    Date,
    Event,
    FieldError,
    Founding,
    MeetingFormat,
    Place,
    Source,
    Status,
    Summit,
    TimelineError,
)
from timeline.model import kind_fields


class TestEvent:
    def test_minimal(self):
        e = Event(title="Founded", start="2001-06-15")
        assert e.start == Date(2001, 6, 15)
        assert e.end is None
        assert e.kind == "event"
        assert e.tags == ()
        assert e.last is e.start

    def test_frozen(self):
        e = Event(title="Founded", start="2001")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            e.title = "x"  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("title", "start", "expected"),
        [
            ("SCO founded", "2001-06-15", "2001-06-15-sco-founded"),
            ("Café — Ünïcode!", "2001", "2001-cafe-unicode"),
            ("Fall of Rome", "-0476", "0476-fall-of-rome"),
            ("Meeting", "2024-07-04T10:00[Asia/Almaty]", "2024-07-04t10-00-asia-almaty-meeting"),
            ("上海合作组织", "2001-06-15", "2001-06-15-a860416700eb"),  # sha256 of the title
        ],
    )
    def test_id_is_derived_deterministically(self, title, start, expected):
        """No id given: start and title make one, the same on every run."""
        assert Event(title=title, start=start).id == expected

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"title": ""}, "title", "title: must not be empty"),
            ({"title": "   "}, "title", "title: must not be empty"),
            ({"title": "a\nb"}, "title", "title: must be one line"),
            (
                {"title": "a\u2028b"},
                "title",
                "title: must be one line: a line separator (U+2028) at position 1",
            ),
            (
                {"title": "a\u2029b"},
                "title",
                "title: must be one line: a paragraph separator (U+2029) at position 1",
            ),
            (
                {"title": "next\x85line"},
                "title",
                "title: must be one line: a next line (U+0085) at position 4",
            ),
            (
                {"title": "csi \x9b31m"},
                "title",
                "title: contains the control character U+009B at position 4",
            ),
            (
                {"title": "\x80"},
                "title",
                "title: contains the control character U+0080 at position 0",
            ),
            (
                {"title": "a\x00b"},
                "title",
                "title: contains the control character U+0000 at position 1",
            ),
            (
                {"notes": "x\ud800"},
                "notes",
                "notes: contains a lone surrogate U+D800 at position 1",
            ),
            ({"title": "x" * 1001}, "title", "is 1001 characters long; the limit is 1000"),
            ({"title": 5}, "title", "title: expected a string, not int"),
            ({"id": "has space"}, "id", "is not a valid id"),
            ({"end": "2000"}, "end", "end: 2000 is before the start 2001"),
            ({"tags": "abc"}, "tags", "tags: expected a list, not str"),
            ({"tags": ["ok", ""]}, "tags", "tags: must not be empty"),
            ({"url": "not a url"}, "url", "is not an absolute URL"),
            ({"description": "bell\x07"}, "description", "contains the control character U+0007"),
            ({"sources": ["https://x.org"]}, "sources", "expected Source items, not str"),
            ({"recurrence": "FREQ=SOMETIMES"}, "recurrence", "is not a valid RRULE"),
            ({"recurrence": "COUNT=3"}, "recurrence", "has no FREQ"),
        ],
    )
    def test_validation(self, kwargs, field, message):
        """Each field says what is wrong with the value it got."""
        values = {"title": "Event", "start": "2001"} | kwargs
        if field == "recurrence":
            values["start"] = "2001-06-15"
        with pytest.raises(FieldError) as info:
            Event(**values)
        assert info.value.field == field
        assert message in str(info.value)
        assert isinstance(info.value, TimelineError)

    def test_text_of_several_lines_keeps_what_one_line_refuses(self):
        """Notes and descriptions may hold line and paragraph separators and C1
        controls (a terminal gets them escaped by ``timeline show``); a place's
        name, a source's title and a tag may not, like a title."""
        text = "one\u2028two\u2029three\x85four \x9b"
        event = Event(title="Event", start="2001", notes=text, description=text)
        assert (event.notes, event.description) == (text, text)
        with pytest.raises(FieldError, match=r"^name: must be one line: a line separator"):
            Place(name="a\u2028b")
        with pytest.raises(FieldError, match=r"^title: contains the control character U\+0090"):
            Source(url="https://example.org", title="a\x90")
        with pytest.raises(FieldError, match=r"^tags: must be one line: a next line"):
            Event(title="Event", start="2001", tags=["a\x85b"])

    @pytest.mark.parametrize(
        ("rule", "reason"),
        [
            ("DTSTART:19970902T090000 RRULE:FREQ=DAILY;COUNT=3",
             "it has white space in it (one rule, its parts joined by ';')"),
            ("DTSTART:19970902T090000", "the part 'DTSTART:19970902T090000' has no value"),
            ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 is out of its range (1..2147483647)"),
            ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0 is out of its range (1..31 or -31..-1)"),
            ("FREQ=YEARLY;BYEASTER=1", "BYEASTER is not a part of a recurrence rule"),
            (" FREQ=YEARLY", "it has white space in it (one rule, its parts joined by ';')"),
            ("FREQ=DAILY;COUNT=99999999999999999999",
             "COUNT=99999999999999999999 is out of its range (1..2147483647)"),
            ("FREQ=DAILY;COUNT=2147483648", "COUNT=2147483648 is out of its range (1..2147483647)"),
            ("FREQ=YEARLY;FREQ=DAILY", "the part FREQ is given twice"),
            ("BYMONTH=6", "it has no FREQ"),
            ("FREQ=YEARLY;BYDAY=XX", "BYDAY=XX is not a day of the week (MO, TU ... SU)"),
            ("FREQ=YEARLY;X-FOO=1", "X-FOO is not a part of an RFC 5545 rule"),
            ("RSCALE=CHINESE;FREQ=YEARLY", "RSCALE is not a part of an RFC 5545 rule"),
        ],
    )  # fmt: skip
    def test_a_recurrence_follows_the_rfc_5545_grammar(self, rule, reason):
        with pytest.raises(FieldError) as info:
            Event(title="x", start="2001-06-15", recurrence=rule)
        shown = repr(rule) if len(repr(rule)) <= 60 else repr(rule)[:57] + "..."
        assert str(info.value) == f"recurrence: {shown} is not a valid RRULE: {reason}"
        assert info.value.field == "recurrence"

    def test_recurrence_needs_a_day(self):
        with pytest.raises(FieldError, match="needs a start with a day"):
            Event(title="x", start="2001", recurrence="FREQ=YEARLY")

    def test_text_line_endings_are_normalised(self):
        e = Event(title="x", start="2001", description="a\r\nb\rc")
        assert e.description == "a\nb\nc"

    def test_end_may_equal_start(self):
        assert Event(title="x", start="2001-06-15", end="2001-06-15").end == Date(2001, 6, 15)

    @pytest.mark.parametrize(
        ("start", "end"),
        [
            ("2001-06-15", "2001-06"),  # ended some time in June
            ("2001-06-15", "2001"),
            ("2024-06-01T10:00Z", "2024-06-01"),  # ended that day
            ("2024-06-01T10:00Z", "2024-06-01T10:00Z"),
            ("2024-06-01T10:00[Asia/Almaty]", "2024-06-01T06:00Z"),  # 11:00 in Almaty
        ],
    )
    def test_end_is_checked_with_its_precision(self, start, end):
        """An end may be as coarse as what is known of it."""
        assert Event(title="x", start=start, end=end).end is not None

    @pytest.mark.parametrize(
        ("start", "end"),
        [
            ("2001-06-15", "2001-06-14"),
            ("2001-06-15", "2001-05"),
            ("2001-06-15", "2000"),
            ("2024-06-01T10:00Z", "2024-06-01T09:59Z"),
            ("2024-06-01T10:00[Asia/Almaty]", "2024-06-01T04:00Z"),  # 09:00 in Almaty
        ],
    )
    def test_an_end_certainly_before_the_start_is_refused(self, start, end):
        with pytest.raises(FieldError, match="before the start"):
            Event(title="x", start=start, end=end)


class TestRecurrence:
    def test_yearly_anniversary(self):
        e = Event(title="Anniversary", start="2001-06-15", recurrence="FREQ=YEARLY")
        assert [str(d) for d in e.occurrences("2020", "2022")] == [
            "2020-06-15",
            "2021-06-15",
            "2022-06-15",
        ]

    def test_rrule_prefix_and_count(self):
        e = Event(title="x", start="2024-01-31", recurrence="RRULE:FREQ=MONTHLY;COUNT=3")
        assert [str(d) for d in e.occurrences("2024", "2030")] == [
            "2024-01-31",
            "2024-03-31",
            "2024-05-31",
        ]

    def test_zoned_times_keep_their_zone(self):
        e = Event(title="x", start="2024-07-04T10:00[Asia/Almaty]", recurrence="FREQ=DAILY")
        assert [str(d) for d in e.occurrences("2024-07-05", "2024-07-06")] == [
            "2024-07-05T10:00[Asia/Almaty]",
            "2024-07-06T10:00[Asia/Almaty]",
        ]

    def test_no_rule_happens_once(self):
        e = Event(title="x", start="2024-07-04")
        assert list(e.occurrences("2024", "2025")) == [Date(2024, 7, 4)]
        assert list(e.occurrences("2025", "2026")) == []

    def test_a_rule_that_never_ends_is_cut_by_the_limit(self):
        """Expanding an unbounded rule over a huge window is an error, not a hang."""
        e = Event(title="x", start="2001-01-01T00:00Z", recurrence="FREQ=SECONDLY")
        with pytest.raises(FieldError, match="recurs more than 1000 times"):
            list(e.occurrences("2001", "2001", limit=1000))


class TestKinds:
    def test_founding(self):
        f = Founding(title="SCO", start="2001-06-15", organisation="SCO", members=["CN", "KZ"])
        assert f.kind == "founding"
        assert f.members == ("CN", "KZ")
        assert f.parties() == {"CN", "KZ"}

    def test_accession_status_words(self):
        a = Accession(
            title="x", start="2016", organisation="SCO", member="AZ", status="dialogue partner"
        )
        assert a.status is Status.DIALOGUE_PARTNER
        assert a.status.words == "dialogue partner"
        assert a.parties() == {"AZ"}

    def test_summit(self):
        place = Place(name="Astana", country="KZ")
        s = Summit(
            title="x",
            start="2024-07-03",
            end="2024-07-04",
            organisation="SCO",
            host="KZ",
            participants=["CN", "RU"],
            format="virtual",
            place=place,
        )
        assert s.format is MeetingFormat.VIRTUAL
        assert s.parties() == {"KZ", "CN", "RU"}

    @pytest.mark.parametrize(
        ("cls", "kwargs", "message"),
        [
            (Summit, {"format": "zoom"}, "format: 'zoom' is not one of 'in-person'"),
            (Summit, {"host": "XX"}, "host: 'XX' is not an ISO 3166-1 country code"),
            (Summit, {"participants": ["CN", "CN"]}, "participants: lists a party twice"),
            (Accession, {"member": "AZ", "status": "king"}, "is not one of 'member'"),
            (Accession, {"member": None}, "member: is required"),
            (Founding, {"organisation": ""}, "organisation: must not be empty"),
        ],
    )
    def test_kind_validation(self, cls, kwargs, message):
        values = {"title": "x", "start": "2001", "organisation": "SCO"} | kwargs
        if cls is Accession:
            values.setdefault("member", "AZ")
        with pytest.raises(FieldError, match=message):
            cls(**values)

    def test_parties_may_be_organisations(self):
        """A party that is not a two-letter code is free text (an organisation)."""
        f = Founding(title="x", start="2001", organisation="X", members=["ASEAN", "KZ"])
        assert f.members == ("ASEAN", "KZ")

    def test_kind_fields_carry_labels(self):
        labels = {a.name: a.metadata["label"] for a in kind_fields(Founding)}
        assert labels == {"organisation": "Organisation", "members": "Founding members"}
        assert [a.name for a in kind_fields(Summit)] == [
            "organisation",
            "host",
            "participants",
            "format",
        ]
        assert kind_fields(Event) == ()


class TestPlaceAndSource:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"latitude": 91, "longitude": 0}, "latitude: 91.0 is out of range -90..90"),
            ({"latitude": 0, "longitude": -181}, "longitude: -181.0 is out of range -180..180"),
            ({"latitude": float("nan"), "longitude": 0}, "out of range"),
            ({"latitude": 1.0}, "latitude and longitude come together"),
            ({"latitude": "1", "longitude": "2"}, "expected a number, not str"),
            ({"country": "ZZ"}, "'ZZ' is not an ISO 3166-1"),
            ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ],
    )
    def test_place_validation(self, kwargs, message):
        with pytest.raises(FieldError, match=message):
            Place(name="Somewhere", **kwargs)

    def test_place_country_name(self):
        assert Place(name="Astana", country="KZ").country_name == "Kazakhstan"

    def test_source(self):
        s = Source(url="https://example.org", title="Report", accessed="2026-11-01")
        assert s.accessed == Date(2026, 11, 1)
        with pytest.raises(FieldError, match="accessed: must be a day, not 2026-11"):
            Source(url="https://example.org", accessed="2026-11")


class TestZonesAndTheEndsOfTime:
    @pytest.mark.parametrize(
        ("timezone", "message"),
        [
            (
                "localtime",
                "timezone: unknown time zone 'localtime' (expected an IANA name such as "
                "'Asia/Almaty'); 'localtime' is this machine's own zone, which others do not share",
            ),
            (
                "posix/Asia/Almaty",
                "timezone: unknown time zone 'posix/Asia/Almaty' (expected an IANA name such as "
                "'Asia/Almaty'); did you mean 'Asia/Almaty'?",
            ),
            (
                "Factory",
                "timezone: unknown time zone 'Factory' (expected an IANA name such as "
                "'Asia/Almaty')",
            ),
        ],
    )
    def test_a_place_zone_is_a_tzdata_key(self, timezone, message):
        with pytest.raises(FieldError) as info:
            Place(name="Here", timezone=timezone)
        assert str(info.value) == message
        assert info.value.field == "timezone"
        assert Place(name="Here", timezone="UTC").timezone == "UTC"

    def test_a_fixed_offset_past_the_end(self):
        with pytest.raises(TimelineError) as info:
            Event(title="Last", start="9999-12-31T23:00-05:00")
        assert str(info.value) == (
            "cannot read date '9999-12-31T23:00-05:00': the offset -05:00 moves "
            "9999-12-31T23:00 after 9999-12-31T23:59Z, out of the range of dates a time "
            "of day can have (years 1 to 9999)"
        )

    def test_an_event_from_the_first_moment_to_the_last(self):
        e = Event(
            title="Everything",
            start="0001-01-01T00:00[Asia/Tokyo]",
            end="9999-12-31T23:59[America/Los_Angeles]",
        )
        assert e.overlaps("0001", "0001")
        assert e.overlaps("9999-12-31")
        with pytest.raises(FieldError, match="is before the start"):
            Event(title="Backwards", start="0001-01-01T00:00Z", end="0001-01-01T00:00[Asia/Tokyo]")

    def test_recurrence_at_the_ends(self):
        last = Event(
            title="Daily",
            start="9999-12-30T23:59[America/Los_Angeles]",
            recurrence="FREQ=DAILY",
        )
        assert [str(d) for d in last.occurrences("9999", "9999")] == [
            "9999-12-30T23:59[America/Los_Angeles]",
            "9999-12-31T23:59[America/Los_Angeles]",
        ]
        first = Event(
            title="Daily", start="0001-01-01T00:00[Asia/Tokyo]", recurrence="FREQ=DAILY;COUNT=2"
        )
        assert [str(d) for d in first.occurrences("0001", "0001")] == [
            "0001-01-01T00:00[Asia/Tokyo]",
            "0001-01-02T00:00[Asia/Tokyo]",
        ]
