"""Dates, spans and recurrences in words (timeline.words)."""

from __future__ import annotations

import datetime as dt
import doctest
import enum
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import timeline
import timeline.words
from timeline import Date, Event, parse_date
from timeline.model import kind_fields
from timeline.testing import register_plugin
from timeline.words import (
    date_words,
    decade_words,
    field_label,
    month_words,
    name_words,
    recurrence_words,
    span_parts,
    span_words,
    time_words,
    value_words,
    when,
    year_words,
)


def test_the_examples_in_the_docstrings() -> None:
    result = doctest.testmod(timeline.words, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 20
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2001", "2001"),
        ("2001-06", "June 2001"),
        ("2001-06-15", "15 June 2001"),
        ("2001-06-05", "5 June 2001"),
        ("-0476", "477 BCE"),
        ("0000", "1 BCE"),
        ("0001", "1"),
        ("0033-04-03", "3 April 33"),
        ("-0043-03-15", "15 March 44 BCE"),
        ("1996~", "c. 1996"),
        ("2002-06?", "June 2002?"),
        ("2001-06-15%", "c. 15 June 2001?"),
        ("-0476~", "c. 477 BCE"),
        ("2018-06-18T10:00", "18 June 2018, 10:00"),
        ("2018-06-10T12:30Z", "10 June 2018, 12:30 UTC"),
        ("2024-07-04T10:00[Asia/Almaty]", "4 July 2024, 10:00 (Asia/Almaty)"),
        ("2024-07-04T09:05:30Z", "4 July 2024, 09:05:30 UTC"),
        ("2024-07-04T09:05:30.25", "4 July 2024, 09:05:30.250000"),
        ("2024-07-04T00:00~", "c. 4 July 2024, 00:00"),
    ],
)
def test_date_words(text: str, words: str) -> None:
    assert date_words(parse_date(text)) == words


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        # Days: collapse the shared month and year.
        ("2024-07-03", "2024-07-04", "3-4 July 2024"),
        ("2025-08-31", "2025-09-01", "31 August - 1 September 2025"),
        ("2019-12-31", "2020-01-02", "31 December 2019 - 2 January 2020"),
        ("-0476-07-03", "-0476-07-04", "3-4 July 477 BCE"),
        ("-0001-12-31", "0001-01-01", "31 December 2 BCE - 1 January 1 CE"),
        # Months and years.
        ("2001-06", "2001-08", "June-August 2001"),
        ("2019-12", "2020-01", "December 2019 - January 2020"),
        ("2001", "2003", "2001-2003"),
        ("-0499", "-0476", "500-477 BCE"),
        ("-0043", "0014", "44 BCE - 14 CE"),
        ("-0043", "-0043", "44 BCE"),
        # Mixed precisions are written in full.
        ("2001", "2002-03-15", "2001 - 15 March 2002"),
        ("2001-06", "2001-06-20", "June 2001 - 20 June 2001"),
        ("-0043", "0014-08", "44 BCE - August 14 CE"),
        # Times on one day in one zone read as a span of hours.
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         "4 July 2024, 10:00-18:00 (Asia/Almaty)"),
        ("2018-06-10T12:30Z", "2018-06-10T14:00Z", "10 June 2018, 12:30-14:00 UTC"),
        ("2018-06-18T10:00", "2018-06-18T12:15", "18 June 2018, 10:00-12:15"),
        ("2018-06-18T10:00", "2018-06-19T09:00",
         "18 June 2018, 10:00 - 19 June 2018, 09:00"),
        ("2018-06-18T10:00Z", "2018-06-18T18:00[Europe/Moscow]",
         "18 June 2018, 10:00 UTC - 18 June 2018, 18:00 (Europe/Moscow)"),
        # Qualifiers stay with their end.
        ("1996~", "2001", "c. 1996 - 2001"),
        ("2024-07-03", "2024-07-04?", "3 July 2024 - 4 July 2024?"),
        ("-0043~", "0014", "c. 44 BCE - 14 CE"),
        # The same date twice is one date.
        ("2001-06-15", "2001-06-15", "15 June 2001"),
    ],
)  # fmt: skip
def test_span_words(start: str, end: str, words: str) -> None:
    assert span_words(parse_date(start), parse_date(end)) == words


def test_span_without_an_end_is_the_start() -> None:
    assert span_words(Date(2001, 6, 15)) == "15 June 2001"
    assert span_words(Date(2001, 6, 15), None) == "15 June 2001"


@pytest.mark.parametrize(
    ("start", "end", "parts"),
    [
        ("2024-07-03", None, ("3 July 2024", "", "")),
        ("2024-07-03", "2024-07-03", ("3 July 2024", "", "")),
        ("2024-07-03", "2024-07-04", ("3", "-", "4 July 2024")),
        ("2025-08-31", "2025-09-01", ("31 August", " - ", "1 September 2025")),
        ("2019-12-31", "2020-01-02", ("31 December 2019", " - ", "2 January 2020")),
        ("2001-06", "2001-08", ("June", "-", "August 2001")),
        ("2019-12", "2020-01", ("December 2019", " - ", "January 2020")),
        ("2001", "2003", ("2001", "-", "2003")),
        ("-0499", "-0476", ("500", "-", "477 BCE")),
        ("-0043", "0014", ("44 BCE", " - ", "14 CE")),
        ("2001-06", "2001-06-20", ("June 2001", " - ", "20 June 2001")),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         ("4 July 2024, 10:00", "-", "18:00 (Asia/Almaty)")),
        ("1996~", "2001", ("c. 1996", " - ", "2001")),
        ("-0043~", "0014?", ("c. 44 BCE", " - ", "14 CE?")),
    ],
)  # fmt: skip
def test_span_parts(start: str, end: str | None, parts: tuple[str, str, str]) -> None:
    # Each end's words apart, for markup that wraps them (an HTML <time>).
    start_date = parse_date(start)
    end_date = None if end is None else parse_date(end)
    assert span_parts(start_date, end_date) == parts
    assert "".join(parts) == span_words(start_date, end_date)


@pytest.mark.parametrize(
    ("year", "words"),
    [(2000, "2000s"), (1990, "1990s"), (10, "10s"), (0, "1 BCE - 9 CE"), (-10, "11-2 BCE"),
     (-480, "481-472 BCE"), (-10000, "10001-9992 BCE")],
)  # fmt: skip
def test_decade_words(year: int, words: str) -> None:
    assert decade_words(year) == words


def test_year_and_month_words() -> None:
    assert year_words(2001) == "2001"
    assert year_words(2001, era=True) == "2001 CE"
    assert year_words(-476, era=True) == "477 BCE"
    assert month_words(2001, 6) == "June 2001"
    assert month_words(0, 12) == "December 1 BCE"


def test_time_words() -> None:
    assert time_words(dt.time(10, 0)) == "10:00"
    assert time_words(dt.time(10, 0), "UTC") == "10:00 UTC"
    assert time_words(dt.time(10, 0, 1), "Asia/Almaty") == "10:00:01 (Asia/Almaty)"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=YEARLY", "every year"),
        ("freq=yearly", "every year"),
        ("RRULE:FREQ=MONTHLY", "every month"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=DAILY;INTERVAL=1;COUNT=3", "every day, 3 times"),
        ("FREQ=HOURLY;COUNT=1", "every hour, once"),
        ("FREQ=YEARLY;UNTIL=20300615", "every year until 15 June 2030"),
        ("FREQ=YEARLY;UNTIL=20300615T100000Z", "every year until 15 June 2030, 10:00 UTC"),
        ("FREQ=MINUTELY;INTERVAL=15;UNTIL=20300615T100000",
         "every 15 minutes until 15 June 2030, 10:00"),
        # Anything more than a plain repetition is left to the rule itself.
        ("FREQ=MONTHLY;BYDAY=1MO", None),
        ("FREQ=YEARLY;BYMONTH=6", None),
        ("FREQ=FORTNIGHTLY", None),
        ("INTERVAL=2", None),
        ("FREQ=YEARLY;INTERVAL=0", None),
        ("FREQ=YEARLY;INTERVAL=x", None),
        ("FREQ=YEARLY;COUNT=0", None),
        ("FREQ=YEARLY;UNTIL=2030", None),
        ("FREQ=YEARLY;UNTIL=20301350", None),
        ("FREQ=YEARLY;UNTIL=20300615T256000Z", None),
        ("FREQ=YEARLY;UNTIL=20300615T10Z", None),
        ("FREQ=YEARLY;FREQ=DAILY", None),
        ("FREQ=YEARLY;COUNT", None),
        # What timeline.recurrence.parse_rule takes for a valid rule.
        ("FREQ=YEARLY;", "every year"),
        ("rrule:FREQ=YEARLY", "every year"),
        (" FREQ=YEARLY ", "every year"),
        ("FREQ=DAILY;INTERVAL=02", "every 2 days"),
        ("FREQ=YEARLY;COUNT=3;UNTIL=20300615", None),
        ("FREQ=YEARLY;UNTIL=20300231", None),
        ("FREQ=YEARLY;UNTIL=20301231T235960Z", None),
        ("FREQ=YEARLY;RSCALE=HEBREW", None),
        ("FREQ=YEARLY;X-NAME=x", None),
    ],
)  # fmt: skip
def test_recurrence_words(rule: str, words: str | None) -> None:
    assert recurrence_words(rule) == words


# -- properties -------------------------------------------------------------------------------

_days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@st.composite
def _calendar_dates(draw: st.DrawFn) -> Date:
    """Dates of year, month or day precision from 1000 on, qualified or not."""
    day = draw(_days)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return Date(
        day.year,
        None if precision == "year" else day.month,
        day.day if precision == "day" else None,
        approximate=draw(st.booleans()),
        uncertain=draw(st.booleans()),
    )


@given(_calendar_dates())
def test_the_words_of_a_date_read_back_as_the_same_date(date: Date) -> None:
    # The words say exactly what the date knows: the date parser reads them
    # back to the same precision and qualifiers.
    assert parse_date(date_words(date)) == date


@given(st.integers(-9998, 0))  # -9999 is 10000 BCE, which the parser reads no more
def test_bce_years_read_back(year: int) -> None:
    assert parse_date(date_words(Date(year))) == Date(year)


@given(_calendar_dates(), _calendar_dates())
def test_a_span_names_both_ends(a: Date, b: Date) -> None:
    start, end = min(a, b), max(a, b)
    words = span_words(start, end)
    assert words
    first, separator, last = span_parts(start, end)
    assert first + separator + last == words
    assert bool(separator) == bool(last) == (start != end)
    if start == end:
        assert words == date_words(start)
    else:
        # What the ends share is said once, at the end: the end's own words
        # close the span ("3-4 July 2024" ends with "4 July 2024").
        assert words.endswith(date_words(end))
        # ...and the start's first word opens it ("3", "June", "c.", "2001").
        assert words.split(" ")[0].split("-")[0] == date_words(start).split(" ")[0]


# -- the short style (timeline show) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2001", None, "2001"),
        ("2001-06", None, "Jun"),
        ("2001-06-15", None, "15 Jun"),
        ("2001~", None, "c. 2001"),
        ("2001-06?", None, "Jun?"),
        ("2001-06-15%", None, "c. 15 Jun?"),
        ("-0476", None, "477 BCE"),
        ("0000", None, "1 BCE"),
        ("2001-06-15", "2001-06-15", "15 Jun"),
        ("2024-07-03", "2024-07-04", "3-4 Jul"),
        ("2025-08-31", "2025-09-01", "31 Aug - 1 Sep"),
        ("2019-12-31", "2020-01-02", "31 Dec 2019 - 2 Jan 2020"),
        ("-0043-03-15", "0014-08-19", "15 Mar 44 BCE - 19 Aug 14"),
        ("2001-06", "2001-08", "Jun - Aug"),
        ("2001-06", "2001-08-15", "Jun - 15 Aug"),
        ("2001", "2003-06", "2001 - Jun 2003"),
        ("2001", "2003", "2001 - 2003"),
        ("2001~", "2003", "c. 2001 - 2003"),
        ("2001-06-14", "2001-06-15?", "14 Jun - 15 Jun?"),
        ("2018-06-09T10:00", None, "9 Jun 10:00"),
        ("2018-06-09T10:00:30", None, "9 Jun 10:00:30"),
        ("2018-06-09T10:00:00.5", None, "9 Jun 10:00:00"),
        ("2018-06-10T12:30Z", None, "10 Jun 12:30 UTC"),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         "4 Jul 10:00-18:00 (Asia/Almaty)"),
        ("2024-07-04T10:00Z", "2024-07-05T09:00Z", "4 Jul 10:00 UTC - 5 Jul 09:00 UTC"),
        ("2024-07-04T10:00", "2024-07-04T18:00Z", "4 Jul 10:00 - 4 Jul 18:00 UTC"),
        ("2024-07-04", "2024-07-04T18:00Z", "4 Jul - 4 Jul 18:00 UTC"),
    ],
)  # fmt: skip
def test_short_span_words(start: str, end: str | None, words: str) -> None:
    event = Event(title="x", start=start, end=end)
    assert when(event, short=True) == span_words(event.start, event.end, short=True) == words
    if end is None:
        assert date_words(event.start, short=True) == words


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=YEARLY", "every year"),
        ("FREQ=yearly", "every year"),
        ("RRULE:FREQ=MONTHLY", "every month"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("INTERVAL=2;FREQ=WEEKLY", "every 2 weeks"),
        ("FREQ=DAILY;INTERVAL=1", "every day"),
        ("FREQ=DAILY;INTERVAL=01", "every 1 days"),  # as show has always written it
        ("FREQ=YEARLY;COUNT=3", None),
        ("FREQ=YEARLY;UNTIL=20300615", None),
        ("FREQ=HOURLY", None),
        ("freq=yearly", None),
        ("FREQ=YEARLY;", None),
        ("FREQ=YEARLY;BYMONTH=6", None),
    ],
)
def test_short_recurrence_words(rule: str, words: str | None) -> None:
    assert recurrence_words(rule, short=True) == words


# -- the fields of a kind ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("summit", "Summit"),
        ("treaty-signing", "Treaty signing"),
        ("in_force", "In force"),
        ("UN_member", "UN member"),
        ("_hidden__twice-", "Hidden twice"),
        ("", ""),
    ],
)
def test_name_words(name: str, words: str) -> None:
    assert name_words(name) == words


class Level(enum.Enum):
    LOW = "low"


class Scale(enum.StrEnum):
    LARGE = "large"

    @property
    def words(self) -> str:
        return "very large"


@attrs.frozen(kw_only=True)
class Treaty(Event):
    """A kind as a plugin would write it, with a field of every sort."""

    kind: ClassVar[str] = "treaty"

    signatories: tuple[str, ...] = attrs.field(default=(), metadata={"label": "Signed by"})
    in_force: Date | None = None
    ratified: bool = False
    level: Level = Level.LOW
    scale: Scale = Scale.LARGE
    UN_registered: int = 0
    depositary: str = ""


def test_field_label() -> None:
    assert [field_label(f) for f in kind_fields(Treaty)] == [
        "Signed by", "In force", "Ratified", "Level", "Scale", "UN registered", "Depositary",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, ""),
        ("", ""),
        ((), ""),
        ("KZ", "Kazakhstan"),
        ("kz", "kz"),
        ("ASEAN", "ASEAN"),
        (("KZ", "", "ASEAN"), "Kazakhstan, ASEAN"),
        (["CN", ("RU", "IN")], "China, Russia, India"),
        (True, "yes"),
        (False, "no"),
        (0, "0"),
        (2.5, "2.5"),
        (Level.LOW, "low"),
        (Scale.LARGE, "very large"),
        (Date(2001, 6, 15), "15 June 2001"),
        (Date.parse("2024-07-04T10:00[Asia/Almaty]"), "4 July 2024, 10:00 (Asia/Almaty)"),
    ],
)
def test_value_words(value: Any, words: str) -> None:
    assert value_words(value) == words


def test_value_words_with_country_codes_and_markup() -> None:
    def markup(item: Any, words: str) -> str:
        return f"<{type(item).__name__}:{words}>"

    assert value_words(("KZ", "ASEAN"), country_codes=True) == "KZ, ASEAN"
    assert value_words(("KZ", None, True), markup=markup) == "<str:Kazakhstan>, <bool:yes>"
    assert value_words(None, markup=markup) == ""


_TREATY = Treaty(
    title="Treaty",
    start="2007-08-16",
    signatories=("KZ", "ASEAN"),
    in_force=Date.parse("2008-01-01T00:00Z"),
    ratified=True,
    UN_registered=12,
)
_TREATY_FACTS = [
    "Signed by: Kazakhstan, ASEAN",
    "In force: 1 January 2008, 00:00 UTC",
    "Ratified: yes",
    "Level: low",
    "Scale: very large",
    "UN registered: 12",
]


class _TreatyPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Callable[[type[Event]], None]) -> None:
        register(Treaty)


def test_markdown_and_ics_say_a_plugin_kinds_fields_in_the_same_words() -> None:
    # The HTML page's test of such a kind is in plugins/timeline-html.
    with register_plugin(_TreatyPlugin(), name="treaties"):
        markdown = timeline.dumps(timeline.Timeline(events=[_TREATY]), "markdown")
        ics = timeline.dumps(
            timeline.Timeline(events=[_TREATY]), "ics", dtstamp="2026-01-01T00:00Z"
        )
    assert [line.strip()[2:] for line in markdown.splitlines() if line.startswith("    - ")] == [
        *_TREATY_FACTS
    ]
    unfolded = ics.replace("\r\n ", "")
    (description,) = (line for line in unfolded.splitlines() if line.startswith("DESCRIPTION:"))
    assert description == "DESCRIPTION:" + "\\n".join(f.replace(",", "\\,") for f in _TREATY_FACTS)


# -- in the reader's language (docs/languages.md) ---------------------------------------------

from timeline.words import country_words, kind_words, list_words, number_words  # noqa: E402

LOCALE_CASES = {
    "day": lambda locale: date_words(Date(2024, 7, 4), locale=locale),
    "month": lambda locale: date_words(Date(2024, 7), locale=locale),
    "year": lambda locale: date_words(Date(2024), locale=locale),
    "bce": lambda locale: date_words(Date(-476), locale=locale),
    "bce-day": lambda locale: date_words(Date(-476, 3, 15), locale=locale),
    "approximate": lambda locale: date_words(Date.parse("1996~"), locale=locale),
    "uncertain": lambda locale: date_words(Date.parse("2002-06?"), locale=locale),
    "zone": lambda locale: date_words(Date.parse("2024-07-04T10:00[Asia/Almaty]"), locale=locale),
    "utc": lambda locale: date_words(Date.parse("2018-06-10T12:30:15Z"), locale=locale),
    "days": lambda locale: span_words(Date(2024, 7, 3), Date(2024, 7, 4), locale=locale),
    "months": lambda locale: span_words(Date(2025, 8, 31), Date(2025, 9, 1), locale=locale),
    "years": lambda locale: span_words(Date(2019, 12, 31), Date(2020, 1, 2), locale=locale),
    "by-month": lambda locale: span_words(Date(2001, 6), Date(2002, 3), locale=locale),
    "mixed": lambda locale: span_words(Date(2001), Date(2002, 3, 4), locale=locale),
    "across-eras": lambda locale: span_words(Date(-43), Date(14), locale=locale),
    "decade": lambda locale: decade_words(2000, locale=locale),
    "every-2-years": lambda locale: recurrence_words("FREQ=YEARLY;INTERVAL=2", locale=locale),
    "list": lambda locale: value_words(("KZ", "CN", "RU", "IN"), locale=locale),
    "yes": lambda locale: value_words(True, locale=locale),
    "number": lambda locale: number_words(2156, locale=locale),
}

LOCALE_WORDS = {
    "ru": {
        "day": "4 июля 2024\u202fг.", "month": "июль 2024\u202fг.", "year": "2024",
        "bce": "477\u202fг. до н. э.", "bce-day": "15 марта 477\u202fг. до н. э.",
        "approximate": "ок. 1996", "uncertain": "июнь 2002\u202fг.?",
        "zone": "4 июля 2024\u202fг., 10:00 (Алматы)", "utc": "10 июня 2018\u202fг., 12:30:15 UTC",
        "days": "3—4 июля 2024\u202fг.", "months": "31 августа — 1 сентября 2025\u202fг.",
        "years": "31 декабря 2019\u202fг. — 2 января 2020\u202fг.",
        "by-month": "июнь 2001\u202fг. — март 2002\u202fг.", "mixed": "2001 — 4 марта 2002\u202fг.",
        "across-eras": "44\u202fг. до н. э. — 14\u202fг. н. э.", "decade": "2000-е",
        "every-2-years": "каждые 2 года", "list": "Казахстан, Китай, Россия и Индия", "yes": "да",
        "number": "2\xa0156",
    },
    "zh-Hans": {
        "day": "2024年7月4日", "month": "2024年7月", "year": "2024年", "bce": "公元前477年",
        "bce-day": "公元前477年3月15日", "approximate": "约1996年", "uncertain": "2002年6月？",
        "zone": "2024年7月4日 10:00（阿拉木图）", "utc": "2018年6月10日 12:30:15 UTC",
        "days": "2024年7月3日\u2009–\u20094日", "months": "2025年8月31日\u2009–\u20099月1日",
        "years": "2019年12月31日\u2009–\u20092020年1月2日", "by-month": "2001年6月\u2009–\u20092002年3月",
        "mixed": "2001年 – 2002年3月4日", "across-eras": "公元前44年 – 公元14年", "decade": "2000年代",
        "every-2-years": "每2年", "list": "哈萨克斯坦、中国、俄罗斯和印度", "yes": "是",
        "number": "2,156",
    },
    "fa": {
        "day": "۴ ژوئیه ۲۰۲۴", "month": "ژوئیه ۲۰۲۴", "year": "۲۰۲۴", "bce": "۴۷۷ ق.م.",
        "bce-day": "۱۵ مارس، ۴۷۷ ق.م.", "approximate": "حدود ۱۹۹۶", "uncertain": "ژوئن ۲۰۰۲؟",
        "zone": "۴ ژوئیه ۲۰۲۴،\u200f ۱۰:۰۰ (آلماتی)", "utc": "۱۰ ژوئن ۲۰۱۸،\u200f ۱۲:۳۰:۱۵ UTC",
        "days": "۳ تا ۴ ژوئیه ۲۰۲۴", "months": "۳۱ اوت تا ۱ سپتامبر ۲۰۲۵",
        "years": "۳۱ دسامبر ۲۰۱۹ تا ۲ ژانویه ۲۰۲۰", "by-month": "ژوئن ۲۰۰۱ تا مارس ۲۰۰۲",
        "mixed": "۲۰۰۱ تا ۴ مارس ۲۰۰۲", "across-eras": "۴۴ ق.م. تا ۱۴ م.", "decade": "دههٔ ۲۰۰۰",
        "every-2-years": "هر ۲ سال", "list": "قزاقستان،\u200f چین،\u200f روسیه، و هند", "yes": "بله",
        "number": "۲٬۱۵۶",
    },
}  # fmt: skip


@pytest.mark.parametrize("locale", sorted(LOCALE_WORDS))
@pytest.mark.parametrize("case", sorted(LOCALE_CASES))
def test_words_in_a_locale(locale, case):
    """CLDR's patterns, month and era names, interval and list patterns and
    digits, with our rules for what CLDR has none of (approximate, uncertain,
    decades, spans across eras, repetitions) from the catalogue."""
    assert LOCALE_CASES[case](locale) == LOCALE_WORDS[locale][case]


def test_without_a_locale_the_words_are_the_librarys_english():
    assert [LOCALE_CASES[case](None) for case in ("day", "days", "bce", "list", "number")] == [
        "4 July 2024", "3-4 July 2024", "477 BCE", "Kazakhstan, China, Russia, India", "2,156"
    ]  # fmt: skip


def test_cldr_english_is_a_locale_of_its_own():
    assert date_words(Date(2024, 7, 4), locale="en") == "July 4, 2024"
    assert date_words(Date(2024, 7, 4), locale="en-GB") == "4 July 2024"
    assert list_words(["China", "India", "Russia"], locale="en") == "China, India, and Russia"


def test_country_and_kind_names_in_a_locale():
    from timeline.default_plugins.organisations import Summit

    assert [country_words("KZ", locale=tag) for tag in (None, "ru", "zh", "fa")] == [
        "Kazakhstan", "Казахстан", "哈萨克斯坦", "قزاقستان"
    ]  # fmt: skip
    assert [kind_words(Summit, locale=tag) for tag in (None, "ru", "zh", "fa")] == [
        "Summit", "Саммит", "峰会", "اجلاس"
    ]  # fmt: skip


def test_a_locale_has_its_patterns_read_once():
    """Babel parses each pattern once a locale; dates are filled from tables."""
    from unittest import mock

    import babel.dates

    # The locale's patterns, read: a day, a span within a month and across months.
    date_words(Date(2024, 7, 4), locale="kk")
    span_words(Date(2024, 7, 3), Date(2024, 7, 4), locale="kk")
    span_words(Date(2024, 7, 3), Date(2024, 8, 4), locale="kk")
    with mock.patch.object(babel.dates, "parse_pattern", side_effect=AssertionError):
        for day in range(1, 29):
            date_words(Date(2024, 2, day), locale="kk")
            span_words(Date(2024, 2, day), Date(2024, 2, 29), locale="kk")
            span_words(Date(2024, 2, day), Date(2024, 3, day), locale="kk")


def test_short_spans_across_years_keep_their_years_in_a_locale():
    """``timeline show`` puts an event under its start's year: an end in
    another year (or era) says its year."""
    assert span_words(Date(2019, 3, 1), Date(2021, 5, 1), short=True, locale="ru") == (
        "1 марта 2019\u202fг. — 1 мая 2021\u202fг."
    )
    assert span_words(Date(-10, 3, 1), Date(14, 5, 1), short=True, locale="ru") == (
        "1 марта 11\u202fг. до н. э. — 1 мая 14\u202fг. н. э."
    )
    assert span_words(Date(2024, 7, 3), Date(2024, 7, 4), short=True, locale="ru") == "3—4 июл."
    assert year_words(14, era=True, locale="ru") == "14\u202fг. н. э."


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", "July 3, 2024, 10:00\u202fAM\u2009–\u20092:30\u202fPM (Almaty)"),
        ("fa", "۳ ژوئیه ۲۰۲۴،\u200f ۱۰:۰۰ تا ۱۴:۳۰ (آلماتی)"),
        ("ru", "3 июля 2024\u202fг., 10:00—14:30 (Алматы)"),
        ("zh-Hans", "2024年7月3日 10:00–14:30（阿拉木图）"),
    ],
)
def test_a_span_of_hours_in_a_locale_says_the_day_once(locale, words):
    """Two times of one day in one zone: the day once, the hours by CLDR's
    interval pattern (in 12 hours where the locale counts so), the zone once."""
    start, end = (
        Date.parse("2024-07-03T10:00[Asia/Almaty]"),
        Date.parse("2024-07-03T14:30[Asia/Almaty]"),
    )
    assert span_words(start, end, locale=locale) == words
