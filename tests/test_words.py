"""Dates, spans and recurrences in words (timeline.words)."""

from __future__ import annotations

import datetime as dt
import doctest
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import timeline
import timeline.words
from timeline import Date, Event, parse_date
from timeline.testing import events
from timeline.words import (
    date_words,
    decade_words,
    month_words,
    recurrence_words,
    span_parts,
    span_words,
    time_words,
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
     (-480, "481-472 BCE")],
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


# The short style is what ``timeline show`` wrote with its own copy of these
# words (``timeline._terminal.when`` and ``repeats``); while that copy is
# there, the two are compared on every event we have.

_HOSTILE = Path(__file__).resolve().parent / "corpus" / "hostile"


def _show_copy(name: str) -> Callable[..., str]:
    from timeline import _terminal

    found: Callable[..., str] | None = getattr(_terminal, name, None)
    if found is None:
        pytest.skip(f"timeline show has no words of its own ({name}) to compare with")
    return found


def _show_repeats(rule: str | None) -> str:
    """The words of the short style, laid out as ``show`` lays them out."""
    if rule is None:
        return ""
    words = recurrence_words(rule, short=True)
    return f" ({words})" if words is not None else f" (repeats: {rule})"


def _hostile_events() -> list[Event]:
    found: list[Event] = []
    for path in sorted(_HOSTILE.glob("*/*")):
        if path.suffix not in (".json", ".ics"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found.extend(timeline.load(path).events)
            except timeline.TimelineError:
                continue
    return found


def _assert_short_style_is_shows(event: Event) -> None:
    assert when(event, short=True) == _show_copy("when")(event)
    assert _show_repeats(event.recurrence) == _show_copy("repeats")(event.recurrence)


def test_the_short_style_is_shows_for_the_example() -> None:
    for event in timeline.example("sco").events:
        _assert_short_style_is_shows(event)


def test_the_short_style_is_shows_for_the_hostile_corpus() -> None:
    found = _hostile_events()  # the cases that load, but not the big compressed ones
    assert len(found) >= 40
    for event in found:
        _assert_short_style_is_shows(event)


# Rules an event may hold, in the spellings that tell the short style apart:
# the order of the parts, the case of names and values, the prefix, a
# trailing ';', a zero-padded or signed number.
_parts = st.lists(
    st.sampled_from(
        (
            "FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=DAILY", "FREQ=HOURLY", "FREQ=SECONDLY",
            "INTERVAL=1", "INTERVAL=01", "INTERVAL=12", "INTERVAL=+3", "COUNT=3",
            "UNTIL=20300615", "UNTIL=20300615T100000Z", "BYDAY=1MO,-1FR", "BYMONTH=6", "",
        )
    ),
    max_size=3,
)  # fmt: skip
_rules = st.builds(
    lambda prefix, parts, spell: prefix + ";".join(map(spell, parts)),
    st.sampled_from(("", "RRULE:")),
    st.permutations(["FREQ=WEEKLY", "INTERVAL=2"]) | _parts.map(lambda p: ["FREQ=WEEKLY", *p]),
    st.sampled_from((str, str.lower, str.title, lambda p: p[:5] + p[5:].lower())),
)


def _with_rule(event: Event, rule: str) -> Event | None:
    try:
        return attrs.evolve(event, recurrence=rule)
    except timeline.TimelineError:
        return None  # not a rule an event may hold (or the start has no day)


@given(events(), _rules)
def test_the_short_style_is_shows_for_generated_events(event: Event, rule: Any) -> None:
    _assert_short_style_is_shows(event)
    recurring = _with_rule(event, rule)
    if recurring is not None:
        _assert_short_style_is_shows(recurring)
