"""Dates in words, as the page shows them."""

from __future__ import annotations

import pytest
from timeline import Date

from timeline_html._words import (
    date_words,
    machine_date,
    recurrence_words,
    span_words,
    year_words,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2001", "2001"),
        ("2001-06", "June 2001"),
        ("2001-06-15", "15 June 2001"),
        ("2018-06-09T10:00", "9 June 2018, 10:00"),
        ("2018-06-10T12:30Z", "10 June 2018, 12:30 UTC"),
        ("2018-06-10T12:30:15Z", "10 June 2018, 12:30:15 UTC"),
        ("2024-07-04T10:00[Asia/Almaty]", "4 July 2024, 10:00 (Asia/Almaty)"),
        ("1996~", "about 1996"),
        ("2002-06?", "June 2002 (uncertain)"),
        ("2002-06-01%", "about 1 June 2002 (uncertain)"),
        ("-0476", "477 BCE"),
        ("0000", "1 BCE"),
        ("0001", "1"),
    ],
)
def test_date_words(text: str, words: str) -> None:
    assert date_words(Date.parse(text)) == words


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2024-07-03", None, "3 July 2024"),
        ("2024-07-03", "2024-07-03", "3 July 2024"),
        ("2024-07-03", "2024-07-04", "3–4 July 2024"),
        ("2025-08-31", "2025-09-01", "31 August – 1 September 2025"),
        ("2019-12-31", "2020-01-02", "31 December 2019 – 2 January 2020"),
        ("2001-06", "2001-08", "June – August 2001"),
        ("2001", "2003", "2001 – 2003"),
        ("-0480", "-0479", "481 BCE – 480 BCE"),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         "4 July 2024, 10:00–18:00 (Asia/Almaty)"),
        ("2024-07-04T10:00Z", "2024-07-05T09:00Z",
         "4 July 2024, 10:00 UTC – 5 July 2024, 09:00 UTC"),
        ("2024-07-03~", "2024-07-04", "about 3 July 2024 – 4 July 2024"),
        ("2001-06", "2001-06-20", "June 2001 – 20 June 2001"),
    ],
)  # fmt: skip
def test_span_words(start: str, end: str | None, words: str) -> None:
    span = span_words(Date.parse(start), None if end is None else Date.parse(end))
    assert str(span) == words


def test_span_parts() -> None:
    span = span_words(Date.parse("2024-07-03"), Date.parse("2024-07-04"))
    assert tuple(span) == ("3", "–", "4 July 2024")
    assert tuple(span_words(Date.parse("2024-07-03"), None)) == ("3 July 2024", "", "")


@pytest.mark.parametrize(
    ("text", "machine"),
    [
        ("2001", "2001"),
        ("2001-06", "2001-06"),
        ("2001-06-15~", "2001-06-15"),
        ("2018-06-09T10:00", "2018-06-09T10:00"),
        ("2018-06-10T12:30Z", "2018-06-10T12:30Z"),
        ("2018-06-10T12:30:05Z", "2018-06-10T12:30:05Z"),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T10:00+05:00"),
        ("-0476", None),
        ("0000", None),
    ],
)
def test_machine_date(text: str, machine: str | None) -> None:
    assert machine_date(Date.parse(text)) == machine


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=YEARLY", "every year"),
        ("RRULE:FREQ=MONTHLY", "every month"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=DAILY;INTERVAL=1", "every day"),
        ("FREQ=YEARLY;BYMONTH=6", None),
        ("FREQ=HOURLY", None),
    ],
)
def test_recurrence_words(rule: str, words: str | None) -> None:
    assert recurrence_words(rule) == words


def test_year_words() -> None:
    assert [year_words(y) for y in (-476, -1, 0, 1, 2025)] == [
        "477 BCE", "2 BCE", "1 BCE", "1", "2025",
    ]  # fmt: skip
