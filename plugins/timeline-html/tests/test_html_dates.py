"""Dates on the page: in the core's words (``timeline.words``), so the page
says what the Markdown document says, each end of a range in a ``<time>``
element whose ``datetime`` a machine can read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import timeline
from timeline import Date, Event, Timeline
from timeline.testing import sample_timeline
from timeline.words import recurrence_words, span_words

from timeline_html.page import datetime_value

Parse = Callable[[str], Any]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2001", "2001"),
        ("2001-06", "2001-06"),
        ("2001-06-15", "2001-06-15"),
        ("0033-04-03", "0033-04-03"),
        ("0001", "0001"),
        # HTML has no form for approximate or uncertain; the words say it.
        ("2001-06-15~", "2001-06-15"),
        ("2002-06?", "2002-06"),
        # A floating time has no offset; a zoned one has its zone's offset then.
        ("2018-06-09T10:00", "2018-06-09T10:00"),
        ("2018-06-10T12:30Z", "2018-06-10T12:30Z"),
        ("2018-06-10T12:30:05Z", "2018-06-10T12:30:05Z"),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T10:00+05:00"),
        ("2024-01-15T10:00[Europe/London]", "2024-01-15T10:00+00:00"),
        ("2024-07-15T10:00[Europe/London]", "2024-07-15T10:00+01:00"),
        # HTML has no year before 1.
        ("-0476", None),
        ("0000", None),
    ],
)
def test_datetime_value(text: str, value: str | None) -> None:
    assert datetime_value(Date.parse(text)) == value


def details_by_id(root: Any) -> dict[str, Any]:
    return {d.get("id")[2:]: d for d in root.iter("details")}


def described(details: Any, term: str) -> Any:
    """The ``<dd>`` of the details' ``<dt>term</dt>``."""
    pairs = zip(details.iter("dt"), details.iter("dd"), strict=True)
    return next(dd for dt, dd in pairs if dt.text == term)


def test_every_date_is_in_the_core_words(parse: Parse) -> None:
    sample = sample_timeline()
    root = parse(timeline.dumps(sample, "html"))
    by_id = details_by_id(root)
    assert len(by_id) == len(sample)
    for event in sample:
        details = by_id[event.id]
        words = span_words(event.start, event.end)
        assert details.find("summary/span").text == words
        assert "".join(described(details, "When").itertext()) == words


@pytest.mark.parametrize(
    ("start", "end", "times"),
    [
        ("2024-07-03", None, [("2024-07-03", "3 July 2024")]),
        ("2024-07-03", "2024-07-04", [("2024-07-03", "3"), ("2024-07-04", "4 July 2024")]),
        ("2019-12-31", "2020-01-02",
         [("2019-12-31", "31 December 2019"), ("2020-01-02", "2 January 2020")]),
        ("2001-06", "2001-08", [("2001-06", "June"), ("2001-08", "August 2001")]),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         [("2024-07-04T10:00+05:00", "4 July 2024, 10:00"),
          ("2024-07-04T18:00+05:00", "18:00 (Asia/Almaty)")]),
        ("1996~", None, [("1996", "c. 1996")]),
        ("-0043", "0014", [(None, "44 BCE"), ("0014", "14 CE")]),
    ],
)  # fmt: skip
def test_each_end_in_a_time_element(
    parse: Parse, start: str, end: str | None, times: list[tuple[str | None, str]]
) -> None:
    event = Event(id="e", title="Event", start=start, end=end)
    root = parse(timeline.dumps(Timeline(events=[event]), "html"))
    (details,) = root.iter("details")
    when = described(details, "When")
    # A year HTML cannot say is a <span>, with the same words.
    assert [(e.get("datetime"), e.text) for e in when] == times
    assert [e.tag for e in when] == ["time" if value else "span" for value, _ in times]


def test_recurrence_in_the_core_words(parse: Parse) -> None:
    rules = ["FREQ=YEARLY", "FREQ=WEEKLY;INTERVAL=2;COUNT=10", "FREQ=MONTHLY;BYDAY=1MO"]
    t = Timeline(events=[
        Event(id=f"r{i}", title="Repeats", start="2024-01-01", recurrence=rule)
        for i, rule in enumerate(rules)
    ])  # fmt: skip
    root = parse(timeline.dumps(t, "html"))
    shown = ["".join(described(d, "Repeats").itertext()) for d in details_by_id(root).values()]
    assert shown == ["every year", "every 2 weeks, 10 times", "FREQ=MONTHLY;BYDAY=1MO"]
    assert shown[:2] == [recurrence_words(rule) for rule in rules[:2]]


def test_header_and_year_headings(parse: Parse) -> None:
    t = Timeline(title="Long ago", events=[
        Event(id="a", title="A", start="-0043-03-15"), Event(id="b", title="B", start="0014-08-19"),
    ])  # fmt: skip
    root = parse(timeline.dumps(t, "html"))
    (meta,) = [p for p in root.iter("p") if p.get("class") == "meta"]
    assert meta.text == "2 events · 44 BCE - 14 CE"
    assert [h.text for h in root.iter("h3") if h.get("class") == "year"] == ["44 BCE", "14"]
    (plot,) = [s for s in root.iter("{http://www.w3.org/2000/svg}svg") if s.get("class") == "plot"]
    assert plot.get("aria-label") == (
        "Chart of 2 events, 44 BCE to 14 CE; each mark links to its event"
    )
