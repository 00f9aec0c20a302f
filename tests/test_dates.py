"""Dates that know their precision: parsing, order, ranges, conversion."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import pickle
import random
import tracemalloc
import zoneinfo
from importlib.resources.abc import Traversable

import edtf
import pytest

from timeline import Date, DateError, Precision, dates, parse_date
from timeline.dates import get_zone, zone_keys


class TestParseISO:
    @pytest.mark.parametrize(
        ("text", "year", "month", "day", "precision"),
        [
            ("2001", 2001, None, None, Precision.YEAR),
            ("2001-06", 2001, 6, None, Precision.MONTH),
            ("2001-06-15", 2001, 6, 15, Precision.DAY),
            ("0042-03-01", 42, 3, 1, Precision.DAY),
            ("0000", 0, None, None, Precision.YEAR),
            ("-0476", -476, None, None, Precision.YEAR),
            ("-0044-03-15", -44, 3, 15, Precision.DAY),
            ("2000-02-29", 2000, 2, 29, Precision.DAY),
        ],
    )
    def test_calendar_dates(self, text, year, month, day, precision):
        """The fields and the precision come from what the text gave."""
        d = parse_date(text)
        assert (d.year, d.month, d.day, d.precision) == (year, month, day, precision)
        assert d.isoformat() == text

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2001-06-15T10:00", "2001-06-15T10:00"),
            ("2001-06-15 10:00", "2001-06-15T10:00"),
            ("2001-06-15T10:00:30", "2001-06-15T10:00:30"),
            ("2001-06-15T10:00:30.5", "2001-06-15T10:00:30.500000"),
            ("2001-06-15T10:00Z", "2001-06-15T10:00Z"),
            ("2001-06-15T10:00+00:00", "2001-06-15T10:00Z"),
            ("2001-06-15T10:00[UTC]", "2001-06-15T10:00Z"),
            ("2001-06-15T10:00[Etc/UTC]", "2001-06-15T10:00Z"),
            ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T10:00[Asia/Almaty]"),
            ("2024-07-04T10:00+05:00[Asia/Almaty]", "2024-07-04T10:00[Asia/Almaty]"),
        ],
    )
    def test_times(self, text, expected):
        """Times keep floating, UTC or their IANA zone."""
        d = parse_date(text)
        assert d.precision is Precision.TIME
        assert d.isoformat() == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2001-06-15T14:30+06:00", "2001-06-15T08:30Z"),
            ("2001-06-15T14:30+0600", "2001-06-15T08:30Z"),
            ("2001-06-15T02:30+06", "2001-06-14T20:30Z"),
            ("2001-06-15T22:30-05:00", "2001-06-16T03:30Z"),
        ],
    )
    def test_fixed_offsets_become_utc(self, text, expected):
        """A fixed offset keeps the instant and is written in UTC, even when
        that moves the day: no exporter can write a wrong local time."""
        assert parse_date(text).isoformat() == expected

    @pytest.mark.parametrize(
        ("text", "approximate", "uncertain"),
        [("2001~", True, False), ("2001-06?", False, True), ("2001-06-15%", True, True)],
    )
    def test_qualifiers(self, text, approximate, uncertain):
        """EDTF ~ is approximate, ? uncertain, % both."""
        d = parse_date(text)
        assert (d.approximate, d.uncertain) == (approximate, uncertain)
        assert str(d) == text

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("2001-13", "month 13 is out of range 1..12"),
            ("2001-00", "month 0 is out of range 1..12"),
            ("2024-02-30", "day 30 is out of range for February 2024"),
            ("2023-02-29", "day 29 is out of range for February 2023"),
            ("2001-06-00", "day 0 does not exist"),
            ("0000-13-01", "month 13 is out of range 1..12"),
            ("-0000", "year -0000 does not exist; 1 BCE is 0000"),
            ("2001-06-15T24:00", "time 24:00:00 is out of range"),
            ("2001-06-15T10:00[Mars/Olympus]", "unknown time zone 'Mars/Olympus'"),
            ("2024-07-04T10:00+06:00[Asia/Almaty]", "offset +06:00 does not match Asia/Almaty"),
            ("2003-04-06T02:30[America/New_York]", "does not exist in America/New_York"),
            ("-0044-03-15T10:00", "a time of day needs a year between 1 and 9999"),
        ],
    )
    def test_errors_name_the_text_and_the_reason(self, text, reason):
        """A date that cannot be read is a DateError naming it and saying why."""
        with pytest.raises(DateError) as info:
            parse_date(text)
        assert str(info.value).startswith(f"cannot read date {text!r}: ")
        assert reason in str(info.value)

    def test_ambiguous_local_time_is_the_earlier_one(self):
        """01:30 on the night clocks go back happens twice; the first is meant."""
        d = parse_date("2003-10-26T01:30[America/New_York]")
        assert d.to_datetime().utcoffset() == dt.timedelta(hours=-4)

    def test_fromisoformat_refuses_free_text(self):
        """The strict reader used by the JSON format takes no prose."""
        with pytest.raises(DateError, match="not an EDTF/ISO 8601 date"):
            Date.fromisoformat("June 2001")
        assert Date.fromisoformat("2001-06") == Date(2001, 6)

    def test_not_a_string(self):
        with pytest.raises(DateError, match="expected a string, not int"):
            parse_date(2001)  # type: ignore[arg-type]


class TestParseFreeText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("15 June 2001", "2001-06-15"),
            ("June 15, 2001", "2001-06-15"),
            ("June 2001", "2001-06"),
            ("Jun 2001", "2001-06"),
            ("6/2001", "2001-06"),
            ("March 3rd, 1066", "1066-03-03"),
            ("July 4, 2024 10:00", "2024-07-04T10:00"),
            ("July 4, 2024 10:00 UTC", "2024-07-04T10:00Z"),
            ("July 4, 2024 10:00 GMT", "2024-07-04T10:00Z"),
            ("July 4, 2024 10:00 +05:00", "2024-07-04T05:00Z"),
            ("July 4, 2024 10:00 Asia/Almaty", "2024-07-04T10:00[Asia/Almaty]"),
            ("July 4, 2024 10:00 [Asia/Almaty]", "2024-07-04T10:00[Asia/Almaty]"),
            ("c. 1850", "1850~"),
            ("circa 1850", "1850~"),
            ("about June 1850", "1850-06~"),
            ("1850?", "1850?"),
            ("c. 1850?", "1850%"),
            ("477 BCE", "-0476"),
            ("44 BC", "-0043"),
            ("1 BC", "0000"),
            ("20240704", "2024-07-04"),
            ("25/07/2024", "2024-07-25"),
            ("07/25/2024", "2024-07-25"),
            ("5/5/2024", "2024-05-05"),
            ("2001/06", "2001-06"),
            ("2024-07-04 10am", "2024-07-04T10:00"),
        ],
    )
    def test_free_text(self, text, expected):
        """Prose keeps exactly the fields it gave; nothing comes from today."""
        assert parse_date(text).isoformat() == expected

    def test_missing_fields_never_come_from_today(self, monkeypatch):
        """dateutil fills gaps from today unless told otherwise; we never let it."""
        import dateutil.parser

        real = dateutil.parser.parse
        days = []

        def spy(text, *args, **kwargs):
            result = real(text, *args, **kwargs)
            days.append(kwargs.get("default"))
            return result

        monkeypatch.setattr(dateutil.parser, "parse", spy)
        assert parse_date("June 2001") == Date(2001, 6)
        assert days
        assert all(d is not None for d in days)

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("June 15", "no year"),
            ("Sat", "not a date"),
            ("6/15/01", "a two-digit year is ambiguous"),
            ("June 0042", "a two-digit year is ambiguous"),
            ("2001-06-15 14:30 ALMT", "time zone abbreviation 'ALMT' is ambiguous"),
            ("blah", "not a date (write it as 2001-06-15, 15 June 2001, June 2001 or 2001)"),
            ("yesterday", "not a date"),
            ("2024-07-03/2024-07-04", "it looks like a range of dates"),
            ("2001-06-15 - 2001-06-16", "it looks like a range of dates"),
            ("3-4 July 2024", "it looks like a range of dates"),
            ("4 July 2024 to 5 July 2024", "it looks like a range of dates"),
            ("05/07/2024", "05/07/2024 could be 5 July or 7 May; write 2024-MM-DD"),
            ("2024-W27", "week dates are not supported"),
            ("July 4 2024 10 15", "not a date"),
            ("", "empty text"),
            ("0 BCE", "there is no year 0 BCE"),
            ("June 2001 Asia/Almaty", "a time zone needs a time of day"),
            ("x" * 300, "too long for a date"),
        ],
    )
    def test_errors(self, text, reason):
        with pytest.raises(DateError, match="cannot read date") as info:
            parse_date(text)
        assert reason in str(info.value)


class TestConstruct:
    def test_fields_are_validated(self):
        with pytest.raises(DateError, match="day 31 is out of range for June 2001"):
            Date(2001, 6, 31)
        with pytest.raises(DateError, match="a day needs a month"):
            Date(2001, None, 3)
        with pytest.raises(DateError, match="a time of day needs a day"):
            Date(2001, 6, time=dt.time(10))
        with pytest.raises(DateError, match="a time zone needs a time of day"):
            Date(2001, 6, 1, tz="Asia/Almaty")
        with pytest.raises(DateError, match="time must be naive"):
            Date(2001, 6, 1, time=dt.time(10, tzinfo=dt.UTC))
        with pytest.raises(DateError, match="year 10000 is out of range"):
            Date(10000)
        with pytest.raises(DateError, match="month must be an int"):
            Date(2001, "6")  # type: ignore[arg-type]

    def test_utc_aliases_are_utc(self):
        assert Date(2001, 6, 1, time=dt.time(10), tz="Etc/UTC").tz == "UTC"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (dt.date(2001, 6, 15), "2001-06-15"),
            (dt.datetime(2001, 6, 15, 10, 0), "2001-06-15T10:00"),
            (dt.datetime(2001, 6, 15, 10, 0, tzinfo=dt.UTC), "2001-06-15T10:00Z"),
            (
                dt.datetime(2024, 7, 4, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty")),
                "2024-07-04T10:00[Asia/Almaty]",
            ),
            (
                dt.datetime(2001, 6, 15, 10, tzinfo=dt.timezone(dt.timedelta(hours=6))),
                "2001-06-15T04:00Z",
            ),
        ],
    )
    def test_coerce(self, value, expected):
        assert Date.coerce(value).isoformat() == expected

    def test_to_date_and_datetime(self):
        assert Date(2001, 6, 15).to_date() == dt.date(2001, 6, 15)
        aware = parse_date("2024-07-04T10:00[Asia/Almaty]").to_datetime()
        assert isinstance(aware.tzinfo, zoneinfo.ZoneInfo)
        assert aware.tzinfo.key == "Asia/Almaty"
        assert aware.utcoffset() == dt.timedelta(hours=5)
        with pytest.raises(DateError, match=r"a datetime\.date needs a day"):
            Date(2001).to_date()
        with pytest.raises(DateError, match="outside the years 1-9999"):
            Date(-44, 3, 15).to_date()


class TestRanges:
    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("2001", "2001-01-01", "2001-12-31"),
            ("2001-02", "2001-02-01", "2001-02-28"),
            ("2000-02", "2000-02-01", "2000-02-29"),
            ("-0476", "-0476-01-01", "-0476-12-31"),
            ("-0476-02", "-0476-02-01", "-0476-02-29"),  # -476 is a leap year (477 BCE)
            ("2001-06-15T10:00Z", "2001-06-15", "2001-06-15"),
        ],
    )
    def test_earliest_and_latest_day(self, text, first, last):
        d = parse_date(text)
        assert (str(d.earliest), str(d.latest)) == (first, last)

    def test_day_numbers_match_the_standard_library(self):
        """Our day numbers agree with date.toordinal wherever that works."""
        rng = random.Random(3)
        for _ in range(2000):
            day = dt.date.fromordinal(rng.randint(1, dt.date.max.toordinal()))
            d = Date(day.year, day.month, day.day)
            assert d.first_day_number() - Date(1970, 1, 1).first_day_number() == (
                day.toordinal() - dt.date(1970, 1, 1).toordinal()
            )

    def test_overlaps_and_contains(self):
        year = parse_date("2001")
        assert year.overlaps("2001-12-31")
        assert not year.overlaps("2002-01-01")
        assert year.contains("2001-06")
        assert not parse_date("2001-06").contains("2001")


class TestOrder:
    def test_documented_order(self):
        """Earliest day first; on the same day coarser precision first; times
        by instant, floating times read as UTC."""
        texts = [
            "2001-06-15T10:00Z",
            "2001-06-15T12:00[Asia/Almaty]",  # 06:00 UTC
            "2001-06-15",
            "2001",
            "2001-06",
            "2000-12-31",
            "-0476",
            "2001-06-15T08:00",
            "2001~",
        ]
        ordered = sorted(parse_date(t) for t in texts)
        assert [str(d) for d in ordered] == [
            "-0476",
            "2000-12-31",
            "2001",
            "2001~",
            "2001-06",
            "2001-06-15",
            "2001-06-15T12:00[Asia/Almaty]",
            "2001-06-15T08:00",
            "2001-06-15T10:00Z",
        ]

    def test_order_is_total_and_consistent_with_equality(self):
        """Two dates are equal, or one is before the other: never neither."""
        texts = [
            "2001",
            "2001~",
            "2001?",
            "2001%",
            "2001-01",
            "2001-01-01",
            "2001-01-01T00:00",
            "2001-01-01T00:00Z",
            "2001-01-01T05:00[Asia/Almaty]",
            "2001-01-01T06:00[Asia/Almaty]",
            "2000-12-31T19:00[America/New_York]",
        ]
        dates = [parse_date(t) for t in texts]
        for a in dates:
            for b in dates:
                assert (a == b) + (a < b) + (a > b) == 1, (a, b)
                assert (a <= b) == (a < b or a == b)

    def test_comparing_with_other_types(self):
        assert Date(2001) != "2001"
        with pytest.raises(TypeError):
            _ = Date(2001) < "2002"  # type: ignore[operator]


class TestAgainstPythonEdtf:
    """python-edtf is a slow but independent reader of EDTF: our earliest and
    latest days and flags must agree with its on every level-0/1 string."""

    def cases(self):
        rng = random.Random(7)
        for _ in range(120):
            year = rng.choice([rng.randint(-2000, -1), 0, rng.randint(1, 2999)])
            text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
            if rng.random() < 0.7:
                month = rng.randint(1, 12)
                text += f"-{month:02d}"
                if rng.random() < 0.6:
                    text += f"-{rng.randint(1, 28):02d}"
            text += rng.choice(["", "", "~", "?", "%"])
            yield text

    def test_same_range_and_flags(self):
        for text in self.cases():
            ours = parse_date(text)
            theirs = edtf.parse_edtf(text)
            assert tuple(theirs.lower_strict()[:3]) == (
                ours.earliest.year,
                ours.earliest.month,
                ours.earliest.day,
            ), text
            assert tuple(theirs.upper_strict()[:3]) == (
                ours.latest.year,
                ours.latest.month,
                ours.latest.day,
            ), text
            ua = getattr(theirs, "ua", None)
            approximate = bool(ua and (ua.is_approximate or ua.is_uncertain_and_approximate))
            uncertain = bool(ua and (ua.is_uncertain or ua.is_uncertain_and_approximate))
            assert (ours.approximate, ours.uncertain) == (approximate, uncertain), text


def _message(text: str, **kwargs: bool) -> str:
    with pytest.raises(DateError) as info:
        parse_date(text, **kwargs)
    return str(info.value)


NOT_A_DATE = "not a date (write it as 2001-06-15, 15 June 2001, June 2001 or 2001)"


FULLWIDTH_DAY = "\uff12\uff10\uff10\uff11-\uff10\uff16-\uff11\uff15"  # 2001-06-15
ARABIC_INDIC_YEAR = "\u0662\u0660\u0660\u0661"  # 2001


class TestASCIIDigits:
    """Python's \\d, int() and dateutil read every script's digits; dates do not."""

    @pytest.mark.parametrize(
        ("text", "char"),
        [
            (FULLWIDTH_DAY, "'\uff12' (U+FF12 FULLWIDTH DIGIT TWO)"),
            (ARABIC_INDIC_YEAR, "'\u0662' (U+0662 ARABIC-INDIC DIGIT TWO)"),
            ("2001-06-1\u0665", "'\u0665' (U+0665 ARABIC-INDIC DIGIT FIVE)"),
            ("15 June \uff12\uff10\uff10\uff11", "'\uff12' (U+FF12 FULLWIDTH DIGIT TWO)"),
            ("2001\u00b2", "'\u00b2' (U+00B2 SUPERSCRIPT TWO)"),
        ],
    )
    def test_other_digits_are_refused(self, text, char):
        assert _message(text) == (
            f"cannot read date {text!r}: only ASCII digits 0-9 are read, not {char}"
        )

    def test_the_strict_reader_says_why_too(self):
        assert _message(ARABIC_INDIC_YEAR, free_text=False) == (
            f"cannot read date {ARABIC_INDIC_YEAR!r}: only ASCII digits 0-9 are read, "
            "not '\u0662' (U+0662 ARABIC-INDIC DIGIT TWO)"
        )


class TestFreeTextRefusedCheaply:
    """Text no date is written as is refused before dateutil spends its time on it."""

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("1" * 101, "too long for a date (101 characters; free text may have 100)"),
            (
                "15 June 2001 (Friday)",
                "'(' (U+0028 LEFT PARENTHESIS) is not a character of a date",
            ),
            (
                "février 2001",
                "'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) is not a character of a date",
            ),
            ("2001\x00", "'\\x00' (U+0000) is not a character of a date"),
            ("June, July and August", NOT_A_DATE),
            (
                " ".join(["1"] * 21),
                "too many words and numbers for a date (21; free text may have 20)",
            ),
        ],
    )
    def test_refusals(self, text, reason):
        assert (
            _message(text)
            == f"cannot read date {text[:57] + '...' if len(text) > 60 else text!r}: {reason}"
        )

    def test_the_longest_dates_still_read(self):
        """92 characters and 16 runs of letters or digits: well within the limits."""
        text = (
            "about Wednesday, 25th of September, 2024 at 10:30:00 p.m. "
            "[America/Argentina/ComodRivadavia]"
        )
        assert str(parse_date(text)) == "2024-09-25T22:30[America/Argentina/ComodRivadavia]~"

    def test_other_spaces_are_spaces(self):
        assert str(parse_date("15\u00a0June\t2001")) == "2001-06-15"

    def test_no_work_for_dateutil(self, monkeypatch):
        """None of the refusals above calls dateutil at all."""
        import dateutil.parser

        def refuse(*args, **kwargs):
            raise AssertionError("dateutil was called")

        monkeypatch.setattr(dateutil.parser, "parse", refuse)
        for text in ["x" * 199, "15 June 2001 (Friday)", "June and July", "1 " * 30]:
            with pytest.raises(DateError):
                parse_date(text)


class TestDateutilNeverSpeaks:
    """dateutil's own messages are not for the people whose data it is."""

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("1" * 30, NOT_A_DATE),  # Python int too large to convert to C long
            ("99999999999999999999 June", NOT_A_DATE),
            ("June 2001 1111111111111111111111111", NOT_A_DATE),  # Unknown string format
            ("31 June 2001", "the day is out of range for the month"),
            ("2001 13 13", "the month is out of range 1..12"),
            ("25:00 June 2001", "the hour is out of range 0..23"),
            ("10:99 June 2001", "the minute is out of range 0..59"),
            ("June 10000", "year 10000 is out of range"),
            ("June 15 2001 10:00 +99:00", "offset +99:00 is out of range"),
        ],
    )
    def test_our_words(self, text, reason):
        assert _message(text) == f"cannot read date {text!r}: {reason}"

    def test_junk_of_date_characters(self):
        """Random text of the characters a date may have is a date or a
        DateError in our words, never another exception."""
        rng = random.Random(12)
        alphabet = "0123456789 .,/:-+'JunJulyMarchamp"
        messages = []
        for _ in range(3000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
            try:
                parse_date(text)
            except DateError as exc:
                messages.append(str(exc))
        assert messages
        assert not [m for m in messages if "format" in m or "C long" in m or "must be" in m]


UNKNOWN = "unknown time zone {} (expected an IANA name such as 'Asia/Almaty')"


class TestZonesAreTzdataKeys:
    """A zone is a key of the tzdata package, never a file of this machine."""

    @pytest.mark.parametrize(
        ("key", "message"),
        [
            (
                "localtime",
                UNKNOWN.format("'localtime'")
                + "; 'localtime' is this machine's own zone, which others do not share",
            ),
            ("posixrules", UNKNOWN.format("'posixrules'")),
            ("Factory", UNKNOWN.format("'Factory'")),
            (
                "posix/Asia/Tokyo",
                UNKNOWN.format("'posix/Asia/Tokyo'") + "; did you mean 'Asia/Tokyo'?",
            ),
            ("right/UTC", UNKNOWN.format("'right/UTC'") + "; did you mean 'UTC'?"),
            ("../../etc/localtime", UNKNOWN.format("'../../etc/localtime'")),
            (
                "Asia/../Asia/Tokyo",
                UNKNOWN.format("'Asia/../Asia/Tokyo'") + "; did you mean 'Asia/Tokyo'?",
            ),
            (
                "/usr/share/zoneinfo/UTC",
                UNKNOWN.format("'/usr/share/zoneinfo/UTC'") + "; did you mean 'UTC'?",
            ),
            ("asia/almaty", UNKNOWN.format("'asia/almaty'") + "; did you mean 'Asia/Almaty'?"),
            ("Almaty", UNKNOWN.format("'Almaty'") + "; did you mean 'Asia/Almaty'?"),
            ("New York", UNKNOWN.format("'New York'") + "; did you mean 'America/New_York'?"),
            ("Mars/Olympus", UNKNOWN.format("'Mars/Olympus'")),
            ("", UNKNOWN.format("''")),
            ("A" * 100, UNKNOWN.format(repr("A" * 57 + "..."))),
        ],
    )
    def test_get_zone_refuses(self, key, message):
        with pytest.raises(DateError) as info:
            get_zone(key)
        assert str(info.value) == message

    def test_not_a_string(self):
        with pytest.raises(DateError) as info:
            get_zone(["Asia/Almaty"])  # type: ignore[arg-type]
        assert str(info.value) == "a time zone is a string naming an IANA zone, not list"

    def test_everywhere_a_zone_is_read(self):
        message = UNKNOWN.format("'posixrules'")
        assert _message("2001-06-15T10:00[posixrules]") == (
            f"cannot read date '2001-06-15T10:00[posixrules]': {message}"
        )
        assert _message("June 15, 2001 10:00 posix/Asia/Tokyo") == (
            "cannot read date 'June 15, 2001 10:00 posix/Asia/Tokyo': "
            + UNKNOWN.format("'posix/Asia/Tokyo'")
            + "; did you mean 'Asia/Tokyo'?"
        )
        with pytest.raises(DateError) as info:
            Date(2001, 6, 15, time=dt.time(10), tz="Factory")
        assert str(info.value) == UNKNOWN.format("'Factory'")

    def test_utc_and_its_names(self):
        assert get_zone("UTC").utcoffset(dt.datetime(2001, 6, 15)) == dt.timedelta(0)
        for name in ["UTC", "Etc/UTC", "Zulu", "Z"]:
            assert str(parse_date(f"2001-06-15T10:00[{name}]")) == "2001-06-15T10:00Z"

    def test_every_key_loads(self):
        keys = zone_keys()
        assert "Asia/Almaty" in keys
        assert "US/Eastern" in keys  # tzdata's backward links are keys too
        assert not keys & {"Factory", "localtime", "posixrules"}
        assert not [k for k in keys if k.startswith(("posix/", "right/"))]
        for key in keys:
            assert get_zone(key).key == key

    def test_the_rules_come_from_tzdata_not_this_machine(self, tmp_path, monkeypatch):
        """Even when this machine's zone files say otherwise."""
        with (tzdata_file("UTC")).open("rb") as source:
            utc = source.read()
        (tmp_path / "Asia").mkdir()
        (tmp_path / "Asia" / "Almaty").write_bytes(utc)
        monkeypatch.setattr(dates, "_zones", {})
        zoneinfo.reset_tzpath(to=[str(tmp_path)])
        try:
            assert zoneinfo.ZoneInfo.no_cache("Asia/Almaty").utcoffset(None) == dt.timedelta(0)
            aware = parse_date("2024-07-04T10:00[Asia/Almaty]").to_datetime()
        finally:
            zoneinfo.reset_tzpath()
        assert aware.utcoffset() == dt.timedelta(hours=5)

    def test_a_zone_is_one_object_and_pickles(self):
        aware = parse_date("2024-07-04T10:00[Asia/Almaty]").to_datetime()
        assert aware.tzinfo is get_zone("Asia/Almaty")
        again = pickle.loads(pickle.dumps(aware))
        assert again == aware
        assert again.tzinfo is aware.tzinfo

    def test_datetimes_in_zones_that_are_not_keys(self):
        """A ZoneInfo read from a file has the key it was given, or none: no
        key is a fixed offset's case (converted to UTC), a wrong key is refused."""
        with tzdata_file("Asia/Almaty").open("rb") as file:
            unnamed = zoneinfo.ZoneInfo.from_file(file)
        assert str(Date.from_datetime(dt.datetime(2024, 7, 4, 10, tzinfo=unnamed))) == (
            "2024-07-04T05:00Z"
        )
        with tzdata_file("Asia/Almaty").open("rb") as file:
            misnamed = zoneinfo.ZoneInfo.from_file(file, key="localtime")
        with pytest.raises(DateError, match="unknown time zone 'localtime'"):
            Date.from_datetime(dt.datetime(2024, 7, 4, 10, tzinfo=misnamed))


def tzdata_file(key: str) -> Traversable:
    return importlib.resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))


RANGE = "out of the range of dates a time of day can have (years 1 to 9999)"


class TestTheEndsOfTime:
    """Years 1 and 9999 are the ends of Python's datetime: a fixed offset that
    would move a time past them is an error in our words, and a zoned time
    there (kept as its local time) works everywhere."""

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            (
                "0001-01-01T00:00+05:00",
                f"the offset +05:00 moves 0001-01-01T00:00 before 0001-01-01T00:00Z, {RANGE}",
            ),
            (
                "0001-01-01T04:59:59+05:00",
                f"the offset +05:00 moves 0001-01-01T04:59 before 0001-01-01T00:00Z, {RANGE}",
            ),
            (
                "9999-12-31T23:00-05:00",
                f"the offset -05:00 moves 9999-12-31T23:00 after 9999-12-31T23:59Z, {RANGE}",
            ),
            (
                "December 31, 9999 23:00 -05:00",
                f"the offset -05:00 moves 9999-12-31T23:00 after 9999-12-31T23:59Z, {RANGE}",
            ),
            (
                "January 1, 1000 00:00 +05:00",  # a year it can read, as a check
                None,
            ),
        ],
    )
    def test_fixed_offsets_past_the_ends(self, text, reason):
        if reason is None:
            assert str(parse_date(text)) == "0999-12-31T19:00Z"
            return
        assert _message(text) == f"cannot read date {text!r}: {reason}"

    def test_the_last_moments_that_fit(self):
        assert str(parse_date("0001-01-01T05:00+05:00")) == "0001-01-01T00:00Z"
        assert str(parse_date("9999-12-31T18:59-05:00")) == "9999-12-31T23:59Z"

    def test_datetimes_past_the_ends(self):
        east = dt.timezone(dt.timedelta(hours=5))
        with pytest.raises(DateError) as info:
            Date.from_datetime(dt.datetime(1, 1, 1, tzinfo=east))
        assert str(info.value) == (
            f"the offset +05:00 moves 0001-01-01T00:00 before 0001-01-01T00:00Z, {RANGE}"
        )
        with pytest.raises(DateError) as info:
            Date.coerce(
                dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone(-dt.timedelta(hours=1)))
            )
        assert str(info.value) == (
            f"the offset -01:00 moves 9999-12-31T23:30 after 9999-12-31T23:59Z, {RANGE}"
        )

    def test_zoned_times_at_the_ends(self):
        first = parse_date("0001-01-01T00:00[Asia/Tokyo]")  # 0000-12-31T14:41:01Z
        last = parse_date("9999-12-31T23:59[America/Los_Angeles]")  # 10000-01-01T07:59Z
        assert first.to_datetime().utcoffset() == dt.timedelta(hours=9, minutes=18, seconds=59)
        assert last.to_datetime().utcoffset() == dt.timedelta(hours=-8)
        assert (str(first.earliest), str(first.latest)) == ("0001-01-01", "0001-01-01")
        assert (str(last.earliest), str(last.latest)) == ("9999-12-31", "9999-12-31")
        assert first.sort_key[4] == -(9 * 3600 + 18 * 60 + 59)
        assert last.sort_key[4] == 23 * 3600 + 59 * 60 + 8 * 3600
        texts = ["0001-01-01T00:00Z", "0001-01-01", str(first), "0001"]
        assert [str(d) for d in sorted(parse_date(t) for t in texts)] == [
            "0001",
            "0001-01-01",
            "0001-01-01T00:00[Asia/Tokyo]",
            "0001-01-01T00:00Z",
        ]
        texts = [str(last), "9999-12-31T23:59Z", "9999", "9999-12-31"]
        assert [str(d) for d in sorted(parse_date(t) for t in texts)] == [
            "9999",
            "9999-12-31",
            "9999-12-31T23:59Z",
            "9999-12-31T23:59[America/Los_Angeles]",
        ]
        assert Date.from_datetime(first.to_datetime()) == first
        assert Date.from_datetime(last.to_datetime()) == last
        assert parse_date(str(last)) == last


def test_a_smaller_date_cache_holds_fewer_dates_while_its_block_runs() -> None:
    from timeline.dates import DATE_CACHE_SIZE, READ_DATES, smaller_date_cache

    def days(first: int, count: int) -> list[str]:
        return [(dt.date(1900, 1, 1) + dt.timedelta(days=first + n)).isoformat()
                for n in range(count)]  # fmt: skip

    for text in days(0, 50):
        parse_date(text)
    with smaller_date_cache(40):
        assert len(READ_DATES) <= 40  # it held more: emptied
        with smaller_date_cache(100):  # the smallest asked for holds
            for text in days(100, 90):
                assert parse_date(text).isoformat() == text
                assert len(READ_DATES) <= 40
        for text in days(200, 90):
            parse_date(text)
            assert len(READ_DATES) <= 40
    for text in days(300, 90):
        parse_date(text)
    assert 90 <= len(READ_DATES) <= DATE_CACHE_SIZE  # the whole cache again
    again = days(300, 1)[0]
    assert parse_date(again) is READ_DATES[again]


def test_days_keep_no_sort_key_and_share_their_years():
    """Sorting 20,000 dates of days keeps nothing but the sorted list: their
    sort keys are cheap to make again, and not kept (a tuple a date, about
    100 bytes an event in a big timeline). The dates parsed share one int a
    year (28 bytes a date above the year 256)."""
    texts = [f"{1000 + i // 336}-{i // 28 % 12 + 1:02d}-{i % 28 + 1:02d}" for i in range(20_000)]
    days = [parse_date(text) for text in reversed(texts)]
    tracemalloc.start()
    try:
        ordered = sorted(days)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [str(d) for d in ordered] == texts
    # the list, and tuples CPython keeps for reuse (up to 2,000 of each size)
    assert held < 9 * len(days) + 2_000 * 120
    assert len({id(d.year) for d in days}) == len({d.year for d in days}) == 60


def test_a_time_keeps_its_sort_key():
    """A time's key needs its zone's offset: it is worked out once."""
    when = parse_date("2024-07-04T10:00[Asia/Shanghai]")
    assert when.sort_key is when.sort_key
    assert when.sort_key[:5] == (2024, 7, 4, 4, 2 * 3600)
